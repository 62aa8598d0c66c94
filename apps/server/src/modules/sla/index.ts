/** SLAs: business-hour calendars (policies, escalations, routing and rules follow). */

export { RECOMPUTE_SLA } from './policies.service';
export { escalationMailJob, reapplySlaJob, recomputeSlaJob, slaSweepJob } from './sla.jobs';
export { slaRoutes } from './sla.routes';
