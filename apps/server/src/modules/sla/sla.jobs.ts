import { z } from 'zod';
import type { Deps } from '../../platform/context';
import type { JobDefinition } from '../../platform/jobs';
import {
  carryOutEscalation,
  ESCALATE,
  ESCALATION_MAIL,
  mailEscalation,
  SLA_SWEEP,
  sweepSla,
} from './escalations.service';
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

/** Every minute: clocks that turned at risk or passed their due time are escalated (once each). */
export function slaSweepJob(deps: Deps): JobDefinition<z.ZodObject<Record<string, never>>> {
  return {
    name: SLA_SWEEP,
    payload: z.object({}),
    cron: '* * * * *',
    retryLimit: 0,
    handle: async () => {
      const { atRisk, breached } = await sweepSla(deps);
      if (atRisk + breached > 0) deps.log.info({ atRisk, breached }, 'sla: escalated');
    },
  };
}

const Mail = z.object({
  userId: z.uuid(),
  ticketId: z.uuid(),
  kind: z.enum(['sla_at_risk', 'sla_breached', 'escalated']),
  excerpt: z.string(),
});

export function escalationMailJob(deps: Deps): JobDefinition<typeof Mail> {
  return { name: ESCALATION_MAIL, payload: Mail, handle: (payload) => mailEscalation(deps, payload) };
}

const Escalation = z.object({
  ticketId: z.uuid(),
  kind: z.enum(['at_risk', 'breach']),
  dueAt: z.iso.datetime({ offset: true }),
});

/** One escalation the sweep recorded, carried out as the ticket's policy says. */
export function escalateJob(deps: Deps): JobDefinition<typeof Escalation> {
  return { name: ESCALATE, payload: Escalation, handle: (payload) => carryOutEscalation(deps, payload) };
}
