import type { MetricQuery, ScheduleContent } from '@keepdesk/contract';
import { sql } from 'drizzle-orm';
import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from '../auth/auth.tables';

/** A report sent by e-mail after each week, month or quarter (docs/reporting.md, "Exports and scheduled reports"). */
export const reportSchedules = pgTable(
  'report_schedules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    ownerId: uuid('owner_id').references(() => users.id, { onDelete: 'set null' }),
    recipients: text('recipients').array().notNull(),
    frequency: text('frequency').$type<'weekly' | 'monthly' | 'quarterly'>().notNull(),
    content: text('content').$type<ScheduleContent>().notNull(),
    queries: jsonb('queries').$type<MetricQuery[]>().notNull().default([]),
    formats: text('formats').array().$type<('pdf' | 'csv' | 'xlsx')[]>().notNull(),
    language: text('language').$type<'de' | 'en'>().notNull(),
    timeZone: text('time_zone').notNull(),
    nextRunAt: timestamp('next_run_at', { withTimezone: true }).notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('report_schedules_due_idx').on(t.nextRunAt)],
);

/** One sending of a schedule's report for one period, with its attempts. */
export const reportDeliveries = pgTable(
  'report_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    scheduleId: uuid('schedule_id')
      .notNull()
      .references(() => reportSchedules.id, { onDelete: 'cascade' }),
    periodFrom: text('period_from').notNull(),
    periodTo: text('period_to').notNull(),
    /**
     * `schedule:<frequency>:<period_from>:<period_to>` for the schedule's own run (once per period; older rows
     * `schedule:<period_from>`); null for "send now".
     */
    runKey: text('run_key'),
    /** `sending` while an attempt that claimed the delivery renders and mails it. */
    status: text('status').$type<'queued' | 'sending' | 'sent' | 'failed'>().notNull().default('queued'),
    /** Attempts started (a claim counts one). */
    attempts: integer('attempts').notNull().default(0),
    /** When the running attempt claimed the delivery; one still `sending` long after is recovered. */
    attemptStartedAt: timestamp('attempt_started_at', { withTimezone: true }),
    lastError: text('last_error'),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('report_deliveries_run_key_idx').on(t.scheduleId, t.runKey),
    index('report_deliveries_schedule_idx').on(t.scheduleId, t.createdAt),
    // The sweep's recovery reads the few deliveries still open.
    index('report_deliveries_open_idx').on(t.createdAt).where(sql`${t.status} in ('queued', 'sending')`),
  ],
);
