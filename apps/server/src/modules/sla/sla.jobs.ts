import { z } from 'zod';
import type { Deps } from '../../platform/context';
import type { JobDefinition } from '../../platform/jobs';
import { REAPPLY_SLA, RECOMPUTE_SLA, reapplyBatch, recomputeSla } from './policies.service';

const TicketEvent = z.object({ eventId: z.number(), entityId: z.uuid() });

/** After any change of a ticket (outbox events): its SLA clocks are computed again from its history. */
export function recomputeSlaJob(deps: Deps): JobDefinition<typeof TicketEvent> {
  return {
    name: RECOMPUTE_SLA,
    payload: TicketEvent,
    handle: (payload) => recomputeSla(deps, payload.entityId),
  };
}

const Batch = z.object({ afterId: z.uuid().nullable() });

/** After a policy changed: every unfinished ticket, a batch per job, each batch sending the next. */
export function reapplySlaJob(deps: Deps): JobDefinition<typeof Batch> {
  return {
    name: REAPPLY_SLA,
    payload: Batch,
    handle: async (payload) => {
      const last = await reapplyBatch(deps, payload.afterId);
      if (last) await deps.jobs.send(REAPPLY_SLA, { afterId: last });
    },
  };
}
