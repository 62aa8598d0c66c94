/** Phone channel: the CTI webhook, call pop-ups, call logs and callbacks. */
export { callbackDueJob } from './phone.jobs';
export { phoneRoutes } from './phone.routes';
export { CALL_TOPIC } from './phone.service';
