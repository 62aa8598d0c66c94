/** E-mail channel: raw messages in, threaded onto tickets. */

export { fillTemplate } from './email.domain';
export {
  ACKNOWLEDGE_WEB_REQUEST,
  acknowledgeWebRequestJob,
  deliverJob,
  QUEUE_REPLY,
  queueReplyJob,
} from './email.jobs';
export { emailRoutes } from './email.routes';
export { ImapPoller } from './imap.poller';
export { createMailbox, listMailboxes } from './mailboxes.service';
export {
  installationSecret,
  isAcknowledgementExpected,
  queueRuleEmail,
  requestAcknowledgement,
  sendAutomaticMail,
  WEB_REQUEST_RECEIVED,
} from './outbound.service';
export { type SmtpListener, startSmtpListener } from './smtp.listener';
