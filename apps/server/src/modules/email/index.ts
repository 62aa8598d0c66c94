/** E-mail channel: raw messages in, threaded onto tickets. */
export { emailRoutes } from './email.routes';
export { type SmtpListener, startSmtpListener } from './smtp.listener';
