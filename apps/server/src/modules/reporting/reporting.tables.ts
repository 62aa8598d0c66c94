import {
  bigint,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import type { SubjectReport } from './metrics.domain';

/** What reporting counts: tickets, survey invitations, agents' work sessions and presence intervals. */
export type ReportSubject = 'ticket' | 'invitation' | 'work' | 'presence';

/**
 * Subjects whose report must be recomputed, marked by database triggers in the transaction that changed them
 * (ticket events, SLA clocks, escalations, survey invitations and answers; see migration 0032).
 */
export const reportDirty = pgTable(
  'report_dirty',
  {
    subject: text('subject').$type<ReportSubject>().notNull(),
    id: uuid('id').notNull(),
    markedAt: timestamp('marked_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.subject, t.id] }), index('report_dirty_marked_idx').on(t.markedAt)],
);

/** Each subject's report as the rollups last counted it: its dimensions and samples. No foreign key: a deleted
 *  ticket's report stays until the worker has taken its contribution back. */
export const reportFacts = pgTable(
  'report_facts',
  {
    subject: text('subject').$type<ReportSubject>().notNull(),
    id: uuid('id').notNull(),
    report: jsonb('report').$type<SubjectReport>().notNull(),
    /** The instants (ms) of the earliest and latest sample: the drill-down reads only reports that reach its range. */
    firstAt: bigint('first_at', { mode: 'number' }),
    lastAt: bigint('last_at', { mode: 'number' }),
    computedAt: timestamp('computed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.subject, t.id] }),
    index('report_facts_last_at_idx').on(t.subject, t.lastAt),
  ],
);

/**
 * Sums of samples per time bucket and dimension value: in zone '' per UTC hour (counts by team and channel), in
 * every other zone per day of that zone, with a histogram of durations (counts per `@keepdesk/stats` bucket).
 */
export const reportRollups = pgTable(
  'report_rollups',
  {
    zone: text('zone').notNull(),
    metric: text('metric').notNull(),
    dim: text('dim').notNull(),
    bucket: timestamp('bucket', { withTimezone: true }).notNull(),
    value: text('value').notNull(),
    n: bigint('n', { mode: 'number' }).notNull(),
    total: bigint('total', { mode: 'number' }).notNull(),
    hist: integer('hist').array(),
  },
  (t) => [primaryKey({ columns: [t.zone, t.metric, t.dim, t.bucket, t.value] })],
);

/**
 * The time zones that have day rows: every active user's zone and UTC. A new zone is built in batches; until
 * `readyAt`, only subjects up to `builtUntil` (in (subject, id) order) are counted in it.
 */
export const reportZones = pgTable('report_zones', {
  zone: text('zone').primaryKey(),
  builtUntil: text('built_until'),
  readyAt: timestamp('ready_at', { withTimezone: true }),
});
