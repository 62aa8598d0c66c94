import { z } from 'zod';
import { Email } from './auth';

const Template = z.string().trim().max(20_000);

export const Mailbox = z
  .object({
    id: z.uuid(),
    address: z.string().meta({ description: 'The support address, e.g. support@example.com' }),
    senderName: z.string(),
    teamId: z.uuid().nullable().meta({ description: 'Tickets from this address go to this team' }),
    signature: z.string(),
    autoAcknowledge: z.boolean(),
    reopenSolved: z
      .boolean()
      .meta({ description: 'A reply to a solved ticket reopens it (true) or opens a new ticket (false)' }),
    ackSubjectEn: z.string(),
    ackBodyEn: z.string(),
    ackSubjectDe: z.string(),
    ackBodyDe: z.string(),
    smtpUrl: z
      .string()
      .nullable()
      .meta({ description: 'Outbound SMTP for this address, password masked; null: the global transport' }),
    imapUrl: z.string().nullable().meta({
      description:
        'IMAP account polled for this address (password masked); null: mail arrives by SMTP or API',
    }),
    imapFolder: z.string(),
    lastPolledAt: z.iso.datetime().nullable().meta({ description: 'When the IMAP folder was last read' }),
    active: z.boolean(),
    lastReceivedAt: z.iso.datetime().nullable(),
    lastError: z.string().nullable(),
    lastErrorAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Mailbox' });
export type Mailbox = z.infer<typeof Mailbox>;
export const MailboxList = z.object({ items: z.array(Mailbox) });
export type MailboxList = z.infer<typeof MailboxList>;

const SmtpUrl = z
  .string()
  .regex(/^smtps?:\/\/[^\s]+$/, 'an smtp:// or smtps:// URL')
  .max(500)
  .nullable();

const ImapUrl = z
  .string()
  .regex(/^imaps?:\/\/[^\s@]+@[^\s]+$/, 'an imap:// or imaps:// URL with user and password')
  .max(500)
  .nullable();
const ImapFolder = z.string().trim().min(1).max(200);

export const CreateMailboxBody = z.object({
  address: Email,
  senderName: z.string().trim().min(1).max(200),
  teamId: z.uuid().nullable().default(null),
  signature: Template.default(''),
  autoAcknowledge: z.boolean().default(true),
  reopenSolved: z.boolean().default(true),
  ackSubjectEn: Template.default('We received your request [#{{number}}]'),
  ackBodyEn: Template.default(
    'Hello,\n\nthank you for your message. Your request has the number #{{number}}; we will get back to you soon.\n\nYou can follow your request at {{portal_url}}',
  ),
  ackSubjectDe: Template.default('Wir haben Ihre Anfrage erhalten [#{{number}}]'),
  ackBodyDe: Template.default(
    'Guten Tag,\n\nvielen Dank für Ihre Nachricht. Ihre Anfrage hat die Nummer #{{number}}; wir melden uns in Kürze.\n\nSie können Ihre Anfrage hier verfolgen: {{portal_url}}',
  ),
  smtpUrl: SmtpUrl.default(null),
  imapUrl: ImapUrl.default(null),
  imapFolder: ImapFolder.default('INBOX'),
});
export type CreateMailboxBody = z.infer<typeof CreateMailboxBody>;
export const UpdateMailboxBody = z.object({
  senderName: z.string().trim().min(1).max(200).optional(),
  teamId: z.uuid().nullable().optional(),
  signature: Template.optional(),
  autoAcknowledge: z.boolean().optional(),
  reopenSolved: z.boolean().optional(),
  ackSubjectEn: Template.optional(),
  ackBodyEn: Template.optional(),
  ackSubjectDe: Template.optional(),
  ackBodyDe: Template.optional(),
  smtpUrl: SmtpUrl.optional(),
  imapUrl: ImapUrl.optional(),
  imapFolder: ImapFolder.optional(),
  active: z.boolean().optional(),
});
export type UpdateMailboxBody = z.infer<typeof UpdateMailboxBody>;

export const DeliveryStatus = z
  .enum(['queued', 'sent', 'retrying', 'failed'])
  .meta({ description: 'queued → sent; on errors retrying (with the next attempt) → failed after the last' });

export const Delivery = z
  .object({
    id: z.uuid(),
    kind: z.enum(['reply', 'acknowledgement', 'rule']),
    messageId: z.uuid().nullable().meta({ description: 'The ticket message this e-mail carries (replies)' }),
    to: z.array(z.string()),
    cc: z.array(z.string()),
    subject: z.string(),
    status: DeliveryStatus,
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    nextAttemptAt: z.iso.datetime().nullable(),
    sentAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Delivery' });
export type Delivery = z.infer<typeof Delivery>;
export const DeliveryList = z.object({ items: z.array(Delivery) });
export type DeliveryList = z.infer<typeof DeliveryList>;

export const HeldEmailKind = z.enum(['quarantined', 'spam', 'blocked', 'bounce']);
export type HeldEmailKind = z.infer<typeof HeldEmailKind>;

export const HeldEmail = z
  .object({
    id: z.uuid(),
    kind: HeldEmailKind,
    from: z.string().nullable(),
    subject: z.string().nullable(),
    mailbox: z.string().nullable().meta({ description: 'The mailbox address it came to' }),
    problem: z.string().nullable().meta({ description: 'Why it was held' }),
    size: z.number().int(),
    receivedAt: z.iso.datetime(),
    rawUrl: z.string().meta({ description: 'Download of the message exactly as it arrived' }),
  })
  .meta({ id: 'HeldEmail' });
export type HeldEmail = z.infer<typeof HeldEmail>;
export const HeldEmailList = z.object({ items: z.array(HeldEmail) });
export type HeldEmailList = z.infer<typeof HeldEmailList>;
export const HeldEmailQuery = z.object({
  kind: HeldEmailKind.optional().meta({ description: 'Only this kind; all held mail without it' }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const BlockPattern = z
  .string()
  .trim()
  .toLowerCase()
  .min(3)
  .max(320)
  .regex(/^(@?[a-z0-9.-]+\.[a-z]{2,}|[^\s@]+@[a-z0-9.-]+\.[a-z]{2,})$/, {
    message: 'an address (spam@example.com) or a domain (example.com or @example.com)',
  });

export const EmailBlock = z
  .object({ id: z.uuid(), pattern: z.string(), reason: z.string(), createdAt: z.iso.datetime() })
  .meta({ id: 'EmailBlock' });
export type EmailBlock = z.infer<typeof EmailBlock>;
export const EmailBlockList = z.object({ items: z.array(EmailBlock) });
export type EmailBlockList = z.infer<typeof EmailBlockList>;
export const CreateEmailBlockBody = z.object({
  pattern: BlockPattern,
  reason: z.string().trim().max(500).default(''),
});
export type CreateEmailBlockBody = z.infer<typeof CreateEmailBlockBody>;
