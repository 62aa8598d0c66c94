import type { ReportStat, ReportTargetComparison, ReportTargetPeriod } from '@keepdesk/contract';
import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  doublePrecision,
  index,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from '../auth/auth.tables';

/**
 * A metric held against a threshold in every calendar period (week, month, quarter in the owner's time zone).
 * `metric` is text checked against the catalogue by the service, so new metrics need no migration (ADR 0029);
 * `scope` is a metric-query filter (`team:<id>`, `agent:<id>`, `channel:email`) or null for the workspace.
 */
export const reportTargets = pgTable(
  'report_targets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    metric: text('metric').notNull(),
    stat: text('stat').$type<ReportStat>().notNull(),
    comparison: text('comparison').$type<ReportTargetComparison>().notNull(),
    threshold: doublePrecision('threshold').notNull(),
    scope: text('scope'),
    period: text('period').$type<ReportTargetPeriod>().notNull(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('report_targets_owner_idx').on(t.ownerId)],
);

/**
 * Off-track alerts sent: one open row (not yet recovered) per target and period at most, so a target alerts
 * once per period, and again only after it recovered (`recovered_at` set) and fell back.
 */
export const reportTargetAlerts = pgTable(
  'report_target_alerts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    targetId: uuid('target_id')
      .notNull()
      .references(() => reportTargets.id, { onDelete: 'cascade' }),
    periodStart: timestamp('period_start', { withTimezone: true }).notNull(),
    alertedAt: timestamp('alerted_at', { withTimezone: true }).notNull().defaultNow(),
    recoveredAt: timestamp('recovered_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('report_target_alerts_open_idx')
      .on(t.targetId, t.periodStart)
      .where(sql`${t.recoveredAt} is null`),
  ],
);
