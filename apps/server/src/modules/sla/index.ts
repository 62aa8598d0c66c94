/** SLAs: business-hour calendars (policies, escalations, routing and rules follow). */
export { slaRoutes } from './sla.routes';
