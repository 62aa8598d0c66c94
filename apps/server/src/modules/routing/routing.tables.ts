import { sql } from 'drizzle-orm';
import { integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from '../auth/auth.tables';
import { teams } from '../teams/teams.tables';

/** How a team's new tickets find their agent. Teams without a row route manually. */
export const teamRouting = pgTable('team_routing', {
  teamId: uuid('team_id')
    .primaryKey()
    .references(() => teams.id, { onDelete: 'cascade' }),
  method: text('method').$type<'manual' | 'round_robin' | 'least_loaded' | 'skills'>().notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** An agent as routing sees them: presence, how many open tickets they take at most, skills and languages. */
export const agentRouting = pgTable('agent_routing', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  presence: text('presence').$type<'online' | 'away' | 'offline'>().notNull().default('offline'),
  presenceAt: timestamp('presence_at', { withTimezone: true }).notNull().defaultNow(),
  capacity: integer('capacity').notNull().default(10),
  skills: jsonb('skills').$type<Record<string, number>>().notNull().default({}),
  languages: text('languages').array().notNull().default(sql`'{}'::text[]`),
  lastAssignedAt: timestamp('last_assigned_at', { withTimezone: true }),
  /**
   * Open tickets (new or open) assigned to the agent now, kept by database triggers on `tickets` (and counted
   * when the row is made), so routing reads loads without counting tickets (migration 0026).
   */
  openTickets: integer('open_tickets').notNull().default(0),
});
