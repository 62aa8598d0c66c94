/** Triggers on ticket events and automations on elapsed time. */

export {
  automationSweepJob,
  rescheduleJob,
  ruleEmailJob,
  runAutomationJob,
  TICKET_EVENT,
  ticketEventJob,
} from './automations.jobs';
export { automationRoutes } from './automations.routes';
export { RULE_EMAIL } from './engine.service';
export { createAutomation, createTrigger, listAutomations, listTriggers } from './rules.service';
export { reschedule } from './timed.service';
export { TRIGGER_EVENT_OF } from './triggers.service';
