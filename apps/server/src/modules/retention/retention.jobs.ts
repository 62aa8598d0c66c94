import { z } from 'zod';
import type { Deps } from '../../platform/context';
import { AppError } from '../../platform/errors';
import type { JobDefinition } from '../../platform/jobs';
import { runRetention } from './model.service';

/**
 * Every night at 03:15 UTC: trains the churn model when the active one is older than the settings allow (a failed
 * training keeps it), then scores every account, so the at-risk list is current each morning. Skipped, with a log
 * line, while another retention run is going.
 */
export function retentionJob(deps: Deps): JobDefinition<z.ZodObject<Record<string, never>>> {
  return {
    name: 'retention.nightly',
    payload: z.object({}),
    cron: '15 3 * * *',
    retryLimit: 1,
    handle: async () => {
      try {
        const run = await runRetention(deps);
        deps.log.info(
          { trained: run.training?.status ?? 'not due', scored: run.scored, seconds: run.seconds },
          'retention scored',
        );
      } catch (error) {
        // A run someone started by hand is scoring already: tonight's would only repeat it.
        if (!(error instanceof AppError && error.code === 'RETENTION_RUN_IN_PROGRESS')) throw error;
        deps.log.info({ reason: error.message }, 'retention run skipped');
      }
    },
  };
}
