/** E-mail channel: raw messages in, threaded onto tickets. */
export { emailRoutes } from './email.routes';
