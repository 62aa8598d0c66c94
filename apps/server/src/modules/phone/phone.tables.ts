import { sql } from 'drizzle-orm';
import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from '../auth/auth.tables';
import { contacts } from '../customers/customers.tables';
import { ticketMessages, tickets } from '../tickets/tickets.tables';

/**
 * Phone calls as the telephony system reports them (ringing → answered → ended, or missed), with the customer
 * they were with, the agent who took them and the ticket they are logged on.
 */
export const calls = pgTable(
  'calls',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    externalId: text('external_id').notNull().unique(),
    direction: text('direction').$type<'inbound' | 'outbound'>().notNull(),
    status: text('status').$type<'ringing' | 'answered' | 'ended' | 'missed'>().notNull(),
    fromNumber: text('from_number').notNull(),
    toNumber: text('to_number').notNull(),
    customerNumber: text('customer_number').notNull(),
    contactId: uuid('contact_id').references(() => contacts.id, { onDelete: 'set null' }),
    agentUserId: uuid('agent_user_id').references(() => users.id, { onDelete: 'set null' }),
    ticketId: uuid('ticket_id').references(() => tickets.id, { onDelete: 'set null' }),
    ticketMessageId: uuid('ticket_message_id').references(() => ticketMessages.id, { onDelete: 'set null' }),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    durationSeconds: integer('duration_seconds'),
    recordingUrl: text('recording_url'),
    notes: text('notes').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('calls_contact_idx').on(t.contactId, t.startedAt), index('calls_ticket_idx').on(t.ticketId)],
);

/** A promise to call a customer back, due at a time, on a ticket; missed calls open one by themselves. */
export const callbacks = pgTable(
  'callbacks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    phone: text('phone').notNull(),
    contactId: uuid('contact_id').references(() => contacts.id, { onDelete: 'set null' }),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    callId: uuid('call_id').references(() => calls.id, { onDelete: 'set null' }),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    note: text('note').notNull().default(''),
    assigneeUserId: uuid('assignee_user_id').references(() => users.id, { onDelete: 'set null' }),
    status: text('status').$type<'open' | 'done'>().notNull().default('open'),
    createdByUserId: uuid('created_by_user_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    doneAt: timestamp('done_at', { withTimezone: true }),
  },
  (t) => [
    index('callbacks_open_idx').on(t.dueAt).where(sql`${t.status} = 'open'`),
    index('callbacks_assignee_idx').on(t.assigneeUserId, t.status, t.dueAt),
    index('callbacks_ticket_idx').on(t.ticketId),
    uniqueIndex('callbacks_call_idx').on(t.callId),
  ],
);
