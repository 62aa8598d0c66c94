import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { contacts } from '../customers/customers.tables';
import { brands } from '../knowledge/knowledge.tables';
import { tickets } from '../tickets/tickets.tables';

/**
 * A web-widget visitor's key to the one request they opened. Only the SHA-256 of the random token is kept,
 * so a leaked table opens no conversation. `contactId` is who opened it (and counts against the daily
 * limit per address); messages are written as the ticket's current requester, which merges may change.
 */
export const widgetConversations = pgTable(
  'widget_conversations',
  {
    tokenHash: text('token_hash').primaryKey(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    brandId: uuid('brand_id')
      .notNull()
      .references(() => brands.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('widget_conversations_ticket_idx').on(t.ticketId),
    index('widget_conversations_contact_idx').on(t.contactId, t.createdAt),
  ],
);
