/** SLAs: business-hour calendars (policies, escalations, routing and rules follow). */

export { RECOMPUTE_SLA } from './policies.service';
export { reapplySlaJob, recomputeSlaJob } from './sla.jobs';
export { slaRoutes } from './sla.routes';
