/** E-mail channel: raw messages in, threaded onto tickets. */

export { fillTemplate } from './email.domain';
export { deliverJob, QUEUE_REPLY, queueReplyJob } from './email.jobs';
export { emailRoutes } from './email.routes';
export { ImapPoller } from './imap.poller';
export { createMailbox, listMailboxes } from './mailboxes.service';
export { installationSecret, queueRuleEmail, sendAutomaticMail } from './outbound.service';
export { type SmtpListener, startSmtpListener } from './smtp.listener';
