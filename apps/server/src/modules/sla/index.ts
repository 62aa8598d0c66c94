/** SLAs: business-hour calendars (policies, escalations, routing and rules follow). */

export { addBusinessMinutes } from './calendar.domain';
export { assertCalendarExists, calendarOrDefault } from './calendars.service';
export { firstName, renderMacro, unknownPlaceholders } from './macros.domain';
export { RECOMPUTE_SLA } from './policies.service';
export { escalateJob, escalationMailJob, reapplySlaJob, recomputeSlaJob, slaSweepJob } from './sla.jobs';
export { slaRoutes } from './sla.routes';
