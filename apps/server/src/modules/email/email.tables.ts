import { sql } from 'drizzle-orm';
import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { ticketMessages, tickets } from '../tickets/tickets.tables';

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
    contentHash: text('content_hash').notNull(),
    storageKey: text('storage_key').notNull(),
    size: integer('size').notNull(),
    fromAddress: text('from_address'),
    subject: text('subject'),
    outcome: text('outcome').$type<'received' | 'ticket' | 'reply'>().notNull().default('received'),
    ticketId: uuid('ticket_id').references(() => tickets.id, { onDelete: 'set null' }),
    ticketMessageId: uuid('ticket_message_id').references(() => ticketMessages.id, { onDelete: 'set null' }),
    problem: text('problem'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('inbound_emails_message_id_idx').on(t.messageIdHeader),
    uniqueIndex('inbound_emails_hash_idx').on(t.contentHash).where(sql`${t.messageIdHeader} is null`),
    index('inbound_emails_ticket_idx').on(t.ticketId),
  ],
);
