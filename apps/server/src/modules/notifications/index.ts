/** Notifications: what each user should look at, delivered live to their browser. */

export { notificationRoutes } from './notifications.routes';
export { type NewNotification, NOTIFICATION_TOPIC, notify } from './notifications.service';
