/** Notifications: what each user should look at, delivered live to their browser. */

export { notificationRoutes } from './notifications.routes';
export { notify } from './notifications.service';
