/** The customer portal: sign-in by single-use e-mail link, the customer's own (and organisation's) tickets. */

export { authenticatePortal, LINK_REQUESTED, PORTAL_COOKIE } from './links.service';
export { portalSweepJob, SEND_PORTAL_LINK, sendPortalLinkJob } from './portal.jobs';
export { portalPages } from './portal.page';
export { portalRoutes } from './portal.routes';
