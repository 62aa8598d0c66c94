/** Routing: who gets a ticket (round robin, least loaded, skills), presence and capacity. */
export { endPresence } from './presence.service';
export { drainQueueJob, presenceSweepJob, routeTicketJob } from './routing.jobs';
export { routingRoutes } from './routing.routes';
export { ROUTE_TICKET } from './routing.service';
