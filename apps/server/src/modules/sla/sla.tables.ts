import type { MacroActions, SlaEscalation, SlaTargets, ViewFilter, Week } from '@keepdesk/contract';
import { sql } from 'drizzle-orm';
import {
  boolean,
  date,
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
import { users } from '../auth/auth.tables';
import { tickets } from '../tickets/tickets.tables';

/** Working hours in a time zone, closed on the public holidays of a country (and region) and on custom days. */
export const businessCalendars = pgTable('business_calendars', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull().unique(),
  timeZone: text('time_zone').notNull(),
  week: jsonb('week').$type<Week>().notNull(),
  holidayCountry: text('holiday_country'),
  holidayRegion: text('holiday_region'),
  isDefault: boolean('is_default').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Days a calendar is closed besides its public holidays (a company day off, imported from iCalendar). */
export const calendarDays = pgTable(
  'calendar_days',
  {
    calendarId: uuid('calendar_id')
      .notNull()
      .references(() => businessCalendars.id, { onDelete: 'cascade' }),
    date: date('date', { mode: 'string' }).notNull(),
    name: text('name').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.calendarId, t.date] })],
);

/** SLA policies, tried in `position` order; the first whose conditions match a ticket applies to it. */
export const slaPolicies = pgTable(
  'sla_policies',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull().unique(),
    position: integer('position').notNull(),
    active: boolean('active').notNull().default(true),
    conditions: jsonb('conditions').$type<ViewFilter>().notNull().default({}),
    targets: jsonb('targets').$type<Record<'urgent' | 'high' | 'normal' | 'low', SlaTargets>>().notNull(),
    businessTime: boolean('business_time').notNull().default(true),
    calendarId: uuid('calendar_id').references(() => businessCalendars.id, { onDelete: 'set null' }),
    pauseOn: text('pause_on').array().notNull(),
    atRiskPercent: integer('at_risk_percent').notNull().default(75),
    escalation: jsonb('escalation')
      .$type<SlaEscalation>()
      .notNull()
      .default({
        atRisk: { notify: ['assignee'] },
        breach: {
          notify: ['assignee', 'team_lead'],
          reassignToLead: false,
          escalationTeamId: null,
          raisePriority: false,
        },
      }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('sla_policies_position_idx').on(t.position)],
);

/** A ticket's SLA clocks as last computed (the summary lives on the ticket for lists and views). */
export const ticketSlas = pgTable('ticket_slas', {
  ticketId: uuid('ticket_id')
    .primaryKey()
    .references(() => tickets.id, { onDelete: 'cascade' }),
  policyId: uuid('policy_id').references(() => slaPolicies.id, { onDelete: 'set null' }),
  clocks: jsonb('clocks').$type<StoredClock[]>().notNull(),
  computedAt: timestamp('computed_at', { withTimezone: true }).notNull().defaultNow(),
});

export interface StoredClock {
  metric: 'first_response' | 'next_response' | 'resolution';
  targetMinutes: number;
  startedAt: string;
  dueAt: string | null;
  atRiskAt: string | null;
  pausedMinutes: number;
  paused: boolean;
  stoppedAt: string | null;
  breached: boolean;
}

/**
 * Escalations of a ticket: automatic ones (at risk, breached; one per SLA due time, so the sweep may run any
 * number of times) and manual hand-overs with reason and note.
 */
export const ticketEscalations = pgTable(
  'ticket_escalations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<'at_risk' | 'breach' | 'manual'>().notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }),
    reason: text('reason').notNull().default(''),
    note: text('note').notNull().default(''),
    fromTeamId: uuid('from_team_id'),
    toTeamId: uuid('to_team_id'),
    toUserId: uuid('to_user_id'),
    byUserId: uuid('by_user_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('ticket_escalations_ticket_idx').on(t.ticketId, t.createdAt),
    uniqueIndex('ticket_escalations_automatic_idx')
      .on(t.ticketId, t.kind, t.dueAt)
      .where(sql`${t.kind} <> 'manual'`),
    index('ticket_escalations_created_idx').on(t.createdAt),
  ],
);

/** Macros: reply texts in both languages with placeholders, plus field changes; personal or shared. */
export const macros = pgTable(
  'macros',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    shared: boolean('shared').notNull().default(false),
    ownerId: uuid('owner_id').references(() => users.id, { onDelete: 'cascade' }),
    bodyEn: text('body_en').notNull().default(''),
    bodyDe: text('body_de').notNull().default(''),
    visibility: text('visibility').$type<'public' | 'internal'>().notNull().default('public'),
    actions: jsonb('actions').$type<MacroActions>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('macros_owner_idx').on(t.ownerId)],
);
