import { sql } from 'drizzle-orm';
import { index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from '../auth/auth.tables';

/**
 * The history of agents' presence: one row per stretch online or away, written with every change of
 * `agent_routing.presence` in its transaction; the current stretch has no end. Offline time has no rows.
 * Reporting reads it for agent utilisation.
 */
export const agentPresenceIntervals = pgTable(
  'agent_presence_intervals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    presence: text('presence').$type<'online' | 'away'>().notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (t) => [
    index('agent_presence_intervals_user_idx').on(t.userId, t.startedAt),
    uniqueIndex('agent_presence_intervals_open_idx').on(t.userId).where(sql`${t.endedAt} is null`),
  ],
);
