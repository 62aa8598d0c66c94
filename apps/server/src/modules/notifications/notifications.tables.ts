import { bigint, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from '../auth/auth.tables';

/**
 * What a user should look at: a mention, an assignment, activity on a followed ticket, a reporting target gone
 * off track, a customer account gone down a health band. The subject is a ticket (copied with its number and
 * subject at the time), a target or an account (with its name), so the list reads one table.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    ticketId: uuid('ticket_id'),
    ticketNumber: bigint('ticket_number', { mode: 'number' }),
    ticketSubject: text('ticket_subject'),
    targetId: uuid('target_id'),
    targetName: text('target_name'),
    accountId: uuid('account_id'),
    accountName: text('account_name'),
    messageId: uuid('message_id'),
    actorUserId: uuid('actor_user_id').references(() => users.id, { onDelete: 'set null' }),
    excerpt: text('excerpt').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  (t) => [
    index('notifications_user_idx').on(t.userId, t.createdAt.desc(), t.id.desc()),
    index('notifications_ticket_idx').on(t.ticketId),
  ],
);
