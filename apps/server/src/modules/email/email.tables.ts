import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { teams } from '../teams/teams.tables';
import { ticketMessages, tickets } from '../tickets/tickets.tables';

/** A support address: where its mail goes (team), how answers are signed and acknowledged, its health. */
export const mailboxes = pgTable('mailboxes', {
  id: uuid('id').primaryKey().defaultRandom(),
  address: text('address').notNull().unique(),
  senderName: text('sender_name').notNull(),
  teamId: uuid('team_id').references(() => teams.id, { onDelete: 'set null' }),
  signature: text('signature').notNull().default(''),
  autoAcknowledge: boolean('auto_acknowledge').notNull().default(true),
  ackSubjectEn: text('ack_subject_en').notNull(),
  ackBodyEn: text('ack_body_en').notNull(),
  ackSubjectDe: text('ack_subject_de').notNull(),
  ackBodyDe: text('ack_body_de').notNull(),
  smtpUrl: text('smtp_url'),
  /** IMAP polling: the account, the folder, and how far it was read (UIDVALIDITY and the last UID taken in). */
  imapUrl: text('imap_url'),
  imapFolder: text('imap_folder').notNull().default('INBOX'),
  imapUidValidity: bigint('imap_uid_validity', { mode: 'number' }),
  imapLastUid: bigint('imap_last_uid', { mode: 'number' }).notNull().default(0),
  /** The one process that watches this mailbox, until when (renewed while it runs). */
  imapLeaseOwner: text('imap_lease_owner'),
  imapLeaseUntil: timestamp('imap_lease_until', { withTimezone: true }),
  lastPolledAt: timestamp('last_polled_at', { withTimezone: true }),
  active: boolean('active').notNull().default(true),
  /** A customer's reply to a solved ticket reopens it (true) or opens a new ticket (false). */
  reopenSolved: boolean('reopen_solved').notNull().default(true),
  lastReceivedAt: timestamp('last_received_at', { withTimezone: true }),
  lastError: text('last_error'),
  lastErrorAt: timestamp('last_error_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Every raw message that came in, kept before anything else happens to it: where its bytes are, what it
 * became (a new ticket, a reply on one, a duplicate) and what went wrong. The Message-ID (or, without one,
 * the content hash) is unique, so a message delivered twice is recognised.
 */
export const inboundEmails = pgTable(
  'inbound_emails',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    messageIdHeader: text('message_id_header'),
    mailboxId: uuid('mailbox_id').references(() => mailboxes.id, { onDelete: 'set null' }),
    contentHash: text('content_hash').notNull(),
    storageKey: text('storage_key').notNull(),
    size: integer('size').notNull(),
    fromAddress: text('from_address'),
    subject: text('subject'),
    /**
     * received (not yet, or never, a ticket: quarantined with `problem`), ticket, reply, spam, blocked, or
     * bounce (a delivery-status notification, noted on the ticket it bounced from).
     */
    outcome: text('outcome')
      .$type<'received' | 'ticket' | 'reply' | 'spam' | 'blocked' | 'bounce'>()
      .notNull()
      .default('received'),
    ticketId: uuid('ticket_id').references(() => tickets.id, { onDelete: 'set null' }),
    ticketMessageId: uuid('ticket_message_id').references(() => ticketMessages.id, { onDelete: 'set null' }),
    problem: text('problem'),
    /** Why the message counts as sent by a machine (auto-reply, list, bulk): it gets no acknowledgement. */
    automatic: text('automatic'),
    /** Why a new ticket from this message was not acknowledged, when it was not. */
    ackSkipped: text('ack_skipped'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('inbound_emails_message_id_idx').on(t.messageIdHeader),
    uniqueIndex('inbound_emails_hash_idx').on(t.contentHash).where(sql`${t.messageIdHeader} is null`),
    index('inbound_emails_ticket_idx').on(t.ticketId),
    index('inbound_emails_held_idx')
      .on(t.receivedAt.desc())
      .where(
        sql`${t.outcome} in ('received', 'spam', 'blocked') or (${t.outcome} = 'bounce' and ${t.ticketId} is null)`,
      ),
  ],
);

/**
 * Every e-mail we send about a ticket (an agent's reply, an acknowledgement) with the headers that thread it
 * and where its delivery stands: queued → sent, or retrying (with the next attempt) → failed.
 */
export const outboundEmails = pgTable(
  'outbound_emails',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').$type<'reply' | 'acknowledgement' | 'rule'>().notNull(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    ticketMessageId: uuid('ticket_message_id').references(() => ticketMessages.id, { onDelete: 'set null' }),
    mailboxId: uuid('mailbox_id').references(() => mailboxes.id, { onDelete: 'set null' }),
    fromAddress: text('from_address').notNull(),
    toAddresses: text('to_addresses').array().notNull(),
    ccAddresses: text('cc_addresses').array().notNull().default(sql`'{}'::text[]`),
    subject: text('subject').notNull(),
    /** The text of a mail a rule sends (replies and acknowledgements are composed when sent). */
    bodyText: text('body_text'),
    /** A rule's mail is queued once per rule run and action, however often its job runs. */
    dedupeKey: text('dedupe_key').unique(),
    messageIdHeader: text('message_id_header').notNull().unique(),
    inReplyTo: text('in_reply_to'),
    references: text('references').array().notNull().default(sql`'{}'::text[]`),
    status: text('status').$type<'queued' | 'sent' | 'retrying' | 'failed'>().notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('outbound_emails_ticket_idx').on(t.ticketId, t.createdAt),
    uniqueIndex('outbound_emails_reply_idx').on(t.ticketMessageId).where(sql`${t.kind} = 'reply'`),
    uniqueIndex('outbound_emails_ack_idx').on(t.ticketId).where(sql`${t.kind} = 'acknowledgement'`),
    index('outbound_emails_to_idx').using('gin', t.toAddresses),
  ],
);

/** Secrets this installation makes for itself on first use (the key that signs reply tokens). */
export const emailSecrets = pgTable('email_secrets', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Senders whose mail never becomes a ticket: an address, or a domain with its subdomains. */
export const emailBlocks = pgTable('email_blocks', {
  id: uuid('id').primaryKey().defaultRandom(),
  pattern: text('pattern').notNull().unique(),
  reason: text('reason').notNull().default(''),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** People copied on a customer's e-mail who are no agents: our replies go to them in Cc. */
export const ticketEmailCcs = pgTable(
  'ticket_email_ccs',
  {
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    address: text('address').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.ticketId, t.address] })],
);
