import type { AutomationTiming, RuleAction, RuleConditions, TriggerEvent } from '@keepdesk/contract';
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { tickets } from '../tickets/tickets.tables';

const ruleColumns = () => ({
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull().unique(),
  description: text('description').notNull().default(''),
  active: boolean('active').notNull().default(true),
  position: integer('position').notNull(),
  conditions: jsonb('conditions').$type<RuleConditions>().notNull(),
  actions: jsonb('actions').$type<RuleAction[]>().notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Rules run on ticket events, in `position` order, each at most once per event. */
export const triggers = pgTable('triggers', {
  ...ruleColumns(),
  events: text('events').array().$type<TriggerEvent[]>().notNull(),
});

/** Rules on elapsed time, each firing once per ticket and moment it counts from. */
export const automations = pgTable('automations', {
  ...ruleColumns(),
  timing: jsonb('timing').$type<AutomationTiming>().notNull(),
});

/**
 * What a rule did to a ticket (or why it failed). The unique keys make runs exactly-once: a trigger once per
 * outbox event, an automation once per ticket and anchor. The rule's name is kept: rules get renamed and deleted.
 */
export const ruleRuns = pgTable(
  'rule_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ruleKind: text('rule_kind').$type<'trigger' | 'automation'>().notNull(),
    ruleId: uuid('rule_id').notNull(),
    ruleName: text('rule_name').notNull(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    eventId: bigint('event_id', { mode: 'number' }),
    anchorAt: timestamp('anchor_at', { withTimezone: true }),
    outcome: text('outcome').$type<'applied' | 'failed'>().notNull(),
    changes: jsonb('changes').$type<{ field: string; from: unknown; to: unknown }[]>().notNull().default([]),
    error: text('error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('rule_runs_event_idx').on(t.eventId, t.ruleId).where(sql`${t.eventId} is not null`),
    uniqueIndex('rule_runs_anchor_idx')
      .on(t.ruleId, t.ticketId, t.anchorAt)
      .where(sql`${t.anchorAt} is not null`),
    index('rule_runs_ticket_idx').on(t.ticketId, t.createdAt),
    index('rule_runs_created_idx').on(t.createdAt),
  ],
);

/**
 * When each automation is next due on each ticket, kept current on every ticket change: the sweep reads only
 * rows that are due (an index range), never the tickets.
 */
export const automationSchedule = pgTable(
  'automation_schedule',
  {
    automationId: uuid('automation_id')
      .notNull()
      .references(() => automations.id, { onDelete: 'cascade' }),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    anchorAt: timestamp('anchor_at', { withTimezone: true }).notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.automationId, t.ticketId] }),
    index('automation_schedule_due_idx').on(t.dueAt),
    index('automation_schedule_ticket_idx').on(t.ticketId),
  ],
);
