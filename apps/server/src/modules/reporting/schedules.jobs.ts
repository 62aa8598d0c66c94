import { z } from 'zod';
import type { Deps } from '../../platform/context';
import type { JobDefinition } from '../../platform/jobs';
import { DELIVER_REPORT, deliverReport, runDueSchedules } from './schedules.service';

/** Every minute: schedules whose period ended get their delivery recorded and started. */
export function reportScheduleSweepJob(deps: Deps): JobDefinition<z.ZodObject<Record<string, never>>> {
  return {
    name: 'reports.schedule-sweep',
    payload: z.object({}),
    cron: '* * * * *',
    // The next minute's sweep picks up whatever this one could not.
    retryLimit: 0,
    handle: async () => {
      const started = await runDueSchedules(deps);
      if (started > 0) deps.log.info({ started }, 'scheduled reports due');
    },
  };
}

/** One attempt of a scheduled report's e-mail; it records the outcome and schedules its own next attempt. */
export function deliverReportJob(deps: Deps): JobDefinition<z.ZodObject<{ deliveryId: z.ZodUUID }>> {
  return {
    name: DELIVER_REPORT,
    payload: z.object({ deliveryId: z.uuid() }),
    retryLimit: 0,
    handle: (payload) => deliverReport(deps, payload.deliveryId),
  };
}
