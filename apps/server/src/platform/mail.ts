import nodemailer from 'nodemailer';
import type { Config } from './config';
import type { Logger } from './logging';

export interface MailMessage {
  to: string | string[];
  subject: string;
  text: string;
  html?: string;
  from?: string;
  replyTo?: string;
  cc?: string[];
  /** Our Message-ID, and the ones the message answers (threading headers). */
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  headers?: Record<string, string>;
  attachments?: { filename: string; content: Buffer; contentType?: string }[];
}

export interface Mailer {
  send(message: MailMessage): Promise<{ messageId: string }>;
  close(): void;
}

/**
 * Outbound mail through nodemailer. The `log` transport (development) writes each message to the log instead,
 * so a developer can follow a password-reset link without a mail server.
 */
export function createMailer(
  config: Pick<Config, 'mailTransport' | 'smtpUrl' | 'mailFrom'>,
  log: Logger,
): Mailer {
  const transport =
    config.mailTransport === 'smtp' && config.smtpUrl
      ? nodemailer.createTransport(config.smtpUrl)
      : nodemailer.createTransport({ jsonTransport: true });
  return {
    async send(message) {
      const info = await transport.sendMail({ from: config.mailFrom, ...message });
      if (config.mailTransport === 'log') {
        log.info(
          { mail: { to: message.to, subject: message.subject, text: message.text } },
          'mail (log transport)',
        );
      }
      return { messageId: info.messageId };
    },
    close: () => transport.close(),
  };
}
