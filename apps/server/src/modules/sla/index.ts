/** SLAs: business-hour calendars (policies, escalations, routing and rules follow). */

export { addBusinessMinutes, type BusinessCalendar, businessMinutesBetween } from './calendar.domain';
export { assertCalendarExists, calendarOrDefault, policyCalendar } from './calendars.service';
export { firstName, renderMacro, unknownPlaceholders } from './macros.domain';
export { RECOMPUTE_SLA } from './policies.service';
export { escalateJob, escalationMailJob, reapplySlaJob, recomputeSlaJob, slaSweepJob } from './sla.jobs';
export { slaRoutes } from './sla.routes';
