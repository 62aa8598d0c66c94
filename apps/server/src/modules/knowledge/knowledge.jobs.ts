import { z } from 'zod';
import type { Deps } from '../../platform/context';
import type { JobDefinition } from '../../platform/jobs';
import { remindExpiredArticles } from './verification.service';

/**
 * Every hour: reminds owners of articles whose verification has expired (once per expiry; a verification
 * arms the reminder again). A run handles a bounded batch; the next one takes the rest.
 */
export function verificationJob(deps: Deps): JobDefinition<z.ZodObject<Record<string, never>>> {
  return {
    name: 'knowledge.verification',
    payload: z.object({}),
    cron: '7 * * * *',
    retryLimit: 1,
    handle: async () => {
      const reminded = await remindExpiredArticles(deps);
      if (reminded > 0) deps.log.info({ reminded }, 'knowledge articles due for review');
    },
  };
}
