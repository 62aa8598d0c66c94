import { index, integer, pgTable, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from '../auth/auth.tables';
import { tickets } from './tickets.tables';

/**
 * Time an agent actively worked a ticket in the agent workspace (the page visible, the agent active within the
 * last minute). The browser sends segments; segments that follow each other within two minutes extend one row,
 * so a row is one visit. Reporting reads it for handle time and agent utilisation.
 */
export const ticketWorkSessions = pgTable(
  'ticket_work_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    agentId: uuid('agent_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    /** The end of the last segment counted in (its start plus its seconds). */
    endedAt: timestamp('ended_at', { withTimezone: true }).notNull(),
    /** Active seconds, at most the time from start to end. */
    seconds: integer('seconds').notNull(),
  },
  (t) => [
    index('ticket_work_sessions_ticket_idx').on(t.ticketId),
    index('ticket_work_sessions_agent_idx').on(t.agentId, t.endedAt),
  ],
);
