import { z } from 'zod';
import type { Deps } from '../../platform/context';
import type { JobDefinition } from '../../platform/jobs';
import { runRetention } from './model.service';

/**
 * Every night at 03:15 UTC: trains the churn model when the active one is older than the settings allow (a failed
 * training keeps it), then scores every account, so the at-risk list is current each morning.
 */
export function retentionJob(deps: Deps): JobDefinition<z.ZodObject<Record<string, never>>> {
  return {
    name: 'retention.nightly',
    payload: z.object({}),
    cron: '15 3 * * *',
    retryLimit: 1,
    handle: async () => {
      const run = await runRetention(deps);
      deps.log.info(
        { trained: run.training?.status ?? 'not due', scored: run.scored, seconds: run.seconds },
        'retention scored',
      );
    },
  };
}
