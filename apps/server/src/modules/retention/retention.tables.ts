import type { ChurnEvaluation, ChurnModel, Reason } from '@keepdesk/stats';
import { sql } from 'drizzle-orm';
import {
  check,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from '../auth/auth.tables';
import { customerAccounts } from '../customers/accounts.tables';
import type { ComponentScore, HealthConfig } from './health.domain';

/** The workspace's retention settings: one row. */
export const retentionSettings = pgTable(
  'retention_settings',
  {
    id: smallint('id').primaryKey().default(1),
    health: jsonb('health').$type<HealthConfig>(),
    /** An account without subscriptions has churned after this many days without an order. */
    inactiveDays: integer('inactive_days').notNull().default(90),
    /** The model predicts churn within this many days. */
    horizonDays: integer('horizon_days').notNull().default(90),
    /** The model is trained again when the active one is this many days old. */
    retrainDays: integer('retrain_days').notNull().default(7),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('retention_settings_one_row', sql`${t.id} = 1`)],
);

export type ChurnModelStatus = 'active' | 'retired' | 'failed';

/** What a training found, kept beside the model (and without it when the training failed). */
export type ChurnModelSummary = Pick<
  ChurnEvaluation,
  'auc' | 'accuracy' | 'logLoss' | 'modelName' | 'folds' | 'topDrivers' | 'reliability'
> & { candidates: { name: string; auc: number }[] };

/**
 * Each training of the churn model: the active one scores; a failed training is kept with its error and leaves
 * the active one in place; a newer model retires the older.
 */
export const churnModels = pgTable(
  'churn_models',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    status: text('status').$type<ChurnModelStatus>().notNull(),
    trainedAt: timestamp('trained_at', { withTimezone: true }).notNull().defaultNow(),
    /** The day the features were taken; the labels are what happened in the horizon after it. */
    cutoff: date('cutoff', { mode: 'string' }).notNull(),
    horizonDays: integer('horizon_days').notNull(),
    rows: integer('rows').notNull(),
    positives: integer('positives').notNull(),
    model: jsonb('model').$type<ChurnModel>(),
    summary: jsonb('summary').$type<ChurnModelSummary>(),
    error: text('error'),
    seconds: doublePrecision('seconds'),
  },
  (t) => [index('churn_models_trained_idx').on(t.trainedAt.desc())],
);

/** An account's current risk, health and value, as the last scoring left them. */
export const accountRisk = pgTable(
  'account_risk',
  {
    accountId: uuid('account_id')
      .primaryKey()
      .references(() => customerAccounts.id, { onDelete: 'cascade' }),
    modelId: uuid('model_id').references(() => churnModels.id, { onDelete: 'set null' }),
    /** Calibrated probability of churning within the horizon; null when the account is not active. */
    probability: doublePrecision('probability'),
    raising: jsonb('raising').$type<Reason[]>().notNull().default([]),
    lowering: jsonb('lowering').$type<Reason[]>().notNull().default([]),
    healthScore: doublePrecision('health_score'),
    healthBand: text('health_band'),
    healthComponents: jsonb('health_components').$type<ComponentScore[]>().notNull().default([]),
    /** Expected revenue of the next 12 months (see docs/retention.md). */
    value: doublePrecision('value').notNull().default(0),
    scoredAt: timestamp('scored_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('account_risk_value_at_risk_idx').on(sql`(coalesce(${t.probability}, 0) * ${t.value}) desc`),
    index('account_risk_band_idx').on(t.healthBand),
  ],
);

/** One row per account and day it was scored: the trend of risk and health. */
export const accountRiskHistory = pgTable(
  'account_risk_history',
  {
    accountId: uuid('account_id')
      .notNull()
      .references(() => customerAccounts.id, { onDelete: 'cascade' }),
    day: date('day', { mode: 'string' }).notNull(),
    probability: doublePrecision('probability'),
    healthScore: doublePrecision('health_score'),
    healthBand: text('health_band'),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.day] })],
);

/** The retention team's conversations with an account: calls, e-mails, meetings and their outcome. */
export const outreach = pgTable(
  'retention_outreach',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => customerAccounts.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    kind: text('kind').notNull(),
    outcome: text('outcome').notNull(),
    note: text('note').notNull().default(''),
    happenedAt: timestamp('happened_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('retention_outreach_account_idx').on(t.accountId, t.happenedAt.desc())],
);
