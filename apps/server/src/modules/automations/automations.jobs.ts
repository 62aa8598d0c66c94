import { z } from 'zod';
import type { Deps } from '../../platform/context';
import type { JobDefinition } from '../../platform/jobs';
import { RULE_EMAIL, sendRuleEmail } from './engine.service';
import {
  RESCHEDULE_AUTOMATIONS,
  RUN_AUTOMATION,
  rescheduleBatch,
  runAutomation,
  SWEEP_AUTOMATIONS,
  scheduleTicket,
  sweepAutomations,
} from './timed.service';
import { runTriggers } from './triggers.service';

export const TICKET_EVENT = 'automations.ticket-event';

const TicketEvent = z.object({
  eventId: z.number(),
  type: z.string(),
  entityId: z.uuid(),
  data: z.record(z.string(), z.unknown()).default({}),
  ruleKind: z.enum(['trigger', 'automation']).nullish(),
});

/** After any ticket event (outbox): its triggers run, then its automation schedule is brought up to date. */
export function ticketEventJob(deps: Deps): JobDefinition<typeof TicketEvent> {
  return {
    name: TICKET_EVENT,
    payload: TicketEvent,
    handle: async (event) => {
      await runTriggers(deps, event);
      await scheduleTicket(deps, event.entityId);
    },
  };
}

/** Every minute: automations that are due, each to a job of its own. */
export function automationSweepJob(deps: Deps): JobDefinition<z.ZodObject<Record<string, never>>> {
  return {
    name: SWEEP_AUTOMATIONS,
    payload: z.object({}),
    cron: '* * * * *',
    retryLimit: 0,
    handle: async () => {
      const due = await sweepAutomations(deps);
      if (due > 0) deps.log.info({ due }, 'automations: due');
    },
  };
}

const Due = z.object({
  automationId: z.uuid(),
  ticketId: z.uuid(),
  anchorAt: z.iso.datetime({ offset: true }),
});

export function runAutomationJob(deps: Deps): JobDefinition<typeof Due> {
  return {
    name: RUN_AUTOMATION,
    payload: Due,
    handle: async (payload) => {
      await runAutomation(deps, payload);
    },
  };
}

const Batch = z.object({ afterId: z.uuid().nullable() });

/** After an automation changed: every unfinished ticket's schedule, a batch per job, each sending the next. */
export function rescheduleJob(deps: Deps): JobDefinition<typeof Batch> {
  return {
    name: RESCHEDULE_AUTOMATIONS,
    payload: Batch,
    handle: async (payload) => {
      const last = await rescheduleBatch(deps, payload.afterId);
      if (last) await deps.jobs.send(RESCHEDULE_AUTOMATIONS, { afterId: last });
    },
  };
}

const EmailRequested = z.object({
  entityId: z.uuid(),
  data: z.object({
    key: z.string(),
    to: z.enum(['requester', 'assignee', 'team', 'teamLeads']),
    subject: z.string(),
    text: z.string(),
  }),
});

/** A rule's e-mail, after the run that asked for it committed (outbox event `rule.email_requested`). */
export function ruleEmailJob(deps: Deps): JobDefinition<typeof EmailRequested> {
  return {
    name: RULE_EMAIL,
    payload: EmailRequested,
    handle: (payload) => sendRuleEmail(deps, payload.entityId, payload.data),
  };
}
