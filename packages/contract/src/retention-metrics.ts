import { z } from 'zod';
import { Language } from './common';

/** A calendar month, `YYYY-MM`. */
export const Month = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'not a month (YYYY-MM)')
  .meta({ description: 'A month, YYYY-MM' });

/** A quarter, `YYYY-Qn`. */
export const Quarter = z.string().regex(/^\d{4}-Q[1-4]$/, 'not a quarter (YYYY-Qn)');

export const RETENTION_PERIODS = ['month', 'quarter'] as const;
export const RetentionPeriodKind = z.enum(RETENTION_PERIODS);
export type RetentionPeriodKind = z.infer<typeof RetentionPeriodKind>;

/** The MRR movements of docs/metrics.md ("MRR movements"). */
export const MRR_MOVEMENTS = ['new', 'expansion', 'reactivation', 'contraction', 'churned'] as const;
export const MrrMovement = z.enum(MRR_MOVEMENTS);
export type MrrMovement = z.infer<typeof MrrMovement>;

const CurrencyCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{3}$/, 'not a three-letter currency code (ISO 4217)')
  .meta({ description: 'ISO 4217 code; default: the currency most subscriptions are in' });

export const RetentionMetricsQuery = z.object({
  from: Month.optional().meta({ description: 'First month; default: 11 months before `to` (12 months)' }),
  to: Month.optional().meta({ description: 'Last month; default: the last complete month' }),
  period: RetentionPeriodKind.default('month').meta({
    description:
      'month, or quarter (from the quarter `from` falls in; a quarter cut short at `to` is incomplete)',
  }),
  currency: CurrencyCode.optional(),
});
export type RetentionMetricsQuery = z.infer<typeof RetentionMetricsQuery>;

const Rate = (description: string) =>
  z
    .number()
    .nullable()
    .meta({ description: `${description}; null when the base is 0` });

export const CancelReasonCount = z.object({
  reason: z.string().nullable().meta({ description: 'The cancel reason; null when none was given' }),
  accounts: z.number().int(),
  mrr: z.number().meta({ description: 'Their MRR at the start of the period' }),
});
export type CancelReasonCount = z.infer<typeof CancelReasonCount>;

export const RetentionMetricsPeriod = z
  .object({
    period: z.string().meta({ description: 'YYYY-MM or YYYY-Qn' }),
    startSnapshot: z
      .string()
      .meta({ description: 'The day of the starting snapshot (last day of the period before)' }),
    endSnapshot: z
      .string()
      .meta({ description: "The day of the ending snapshot (last day of the period's last month)" }),
    isComplete: z.boolean().meta({ description: 'False for a quarter cut short at `to`' }),
    mrr: z.object({
      starting: z.number(),
      new: z.number(),
      expansion: z.number(),
      reactivation: z.number(),
      contraction: z.number(),
      churned: z.number(),
      ending: z.number(),
    }),
    customers: z.object({
      starting: z.number().int(),
      new: z.number().int(),
      reactivated: z.number().int(),
      churned: z.number().int(),
      ending: z.number().int(),
    }),
    customerChurnRate: Rate('churned ÷ starting customers'),
    customerRetentionRate: Rate('(ending − new − reactivated) ÷ starting customers'),
    grossRevenueChurnRate: Rate('(churned MRR + contraction) ÷ starting MRR'),
    grossRevenueRetention: Rate('GRR: (starting − churned − contraction) ÷ starting MRR'),
    netRevenueRetention: Rate('NRR: (starting + expansion − contraction − churned) ÷ starting MRR'),
    churnReasons: z
      .array(CancelReasonCount)
      .meta({ description: 'Churned accounts by cancel reason, most first' }),
  })
  .meta({ id: 'RetentionMetricsPeriod' });
export type RetentionMetricsPeriod = z.infer<typeof RetentionMetricsPeriod>;

const CurrencyScope = {
  currency: z
    .string()
    .meta({ description: 'The currency of every amount; only subscriptions in it are counted' }),
  currencies: z
    .array(z.object({ currency: z.string(), subscriptions: z.number().int() }))
    .meta({ description: 'Every currency with subscriptions, most used first' }),
  excludedSubscriptions: z
    .number()
    .int()
    .meta({ description: 'Subscriptions in other currencies, left out of these figures' }),
};

export const RetentionMetrics = z
  .object({
    from: Month,
    to: Month,
    period: RetentionPeriodKind,
    ...CurrencyScope,
    subscriptions: z.number().int().meta({ description: 'Subscriptions in the currency' }),
    periods: z.array(RetentionMetricsPeriod),
    churnReasons: z
      .array(CancelReasonCount)
      .meta({ description: "All periods' churned accounts by cancel reason, most first" }),
  })
  .meta({ id: 'RetentionMetrics' });
export type RetentionMetrics = z.infer<typeof RetentionMetrics>;

export const COHORT_BASES = ['subscriptions', 'orders'] as const;
export const COHORT_MEASURES = ['customers', 'revenue'] as const;

export const RetentionCohortQuery = z.object({
  from: Month.optional().meta({ description: 'First cohort; default: 11 months before `to`' }),
  to: Month.optional().meta({ description: 'Last cohort; default: the current month' }),
  basis: z.enum(COHORT_BASES).default('subscriptions').meta({
    description: 'subscriptions: active = MRR > 0 at the month end; orders: active = ordered in the month',
  }),
  measure: z.enum(COHORT_MEASURES).default('customers').meta({
    description: 'customers: share of the cohort active; revenue: revenue ÷ revenue of month 0',
  }),
  currency: CurrencyCode.optional(),
});
export type RetentionCohortQuery = z.infer<typeof RetentionCohortQuery>;

export const RetentionCohortCell = z.object({
  value: z
    .number()
    .nullable()
    .meta({ description: 'The share the measure asks for; null for revenue when month 0 had none' }),
  active: z.number().int().meta({ description: 'Accounts of the cohort active in that month' }),
  revenue: z
    .number()
    .meta({ description: "Subscriptions: the cohort's MRR at the month end; orders: its order revenue" }),
});
export type RetentionCohortCell = z.infer<typeof RetentionCohortCell>;

export const RetentionCohorts = z
  .object({
    from: Month,
    to: Month,
    asOf: Month.meta({ description: 'The current month: later cells are null' }),
    basis: z.enum(COHORT_BASES),
    measure: z.enum(COHORT_MEASURES),
    ...CurrencyScope,
    months: z.number().int().meta({ description: 'The last column: months since acquisition' }),
    rows: z.array(
      z.object({
        cohort: Month.meta({ description: 'The acquisition month' }),
        size: z.number().int(),
        cells: z
          .array(RetentionCohortCell.nullable())
          .meta({ description: 'Columns 0…months; null after today' }),
      }),
    ),
    average: z
      .array(RetentionCohortCell.nullable())
      .meta({ description: 'Per column, the cohorts that have it pooled (a large cohort weighs more)' }),
    accountsWithoutCohort: z.number().int(),
  })
  .meta({ id: 'RetentionCohorts' });
export type RetentionCohorts = z.infer<typeof RetentionCohorts>;

export const MovementAccountsQuery = z.object({
  month: Month.optional().meta({ description: 'The month (give it or `quarter`)' }),
  quarter: Quarter.optional().meta({ description: 'The quarter (give it or `month`)' }),
  movement: MrrMovement,
  currency: CurrencyCode.optional(),
});
export type MovementAccountsQuery = z.infer<typeof MovementAccountsQuery>;

export const MOVEMENT_ACCOUNTS_LIMIT = 200;

export const MovementAccounts = z
  .object({
    period: z.string(),
    movement: MrrMovement,
    currency: z.string(),
    total: z.number().int().meta({ description: 'Accounts in the movement; at most 200 are listed' }),
    mrr: z.number().meta({ description: 'The MRR of the movement (the amount in the chart)' }),
    items: z.array(
      z.object({
        accountId: z.uuid(),
        externalId: z.string(),
        name: z.string(),
        before: z.number().meta({ description: 'MRR at the start of the period' }),
        after: z.number().meta({ description: 'MRR at the end of the period' }),
        reason: z.string().nullable().meta({ description: 'Churned only: the cancel reason' }),
      }),
    ),
  })
  .meta({ id: 'MovementAccounts' });
export type MovementAccounts = z.infer<typeof MovementAccounts>;

/** The retention reports as files: the monthly retention-rate report and the churn analysis. */
export const RetentionReportQuery = z.object({
  from: Month.optional().meta({
    description: 'First month; default: 12 months (retention) or the quarter (churn analysis) before `to`',
  }),
  to: Month.optional().meta({
    description: 'Last month; default: the last complete month (retention) or quarter (churn analysis)',
  }),
  period: RetentionPeriodKind.optional().meta({
    description: 'Default: month (retention), quarter (churn analysis)',
  }),
  currency: CurrencyCode.optional(),
  format: z.enum(['pdf', 'xlsx']).default('pdf'),
  language: Language.optional().meta({ description: "Default: the caller's language" }),
});
export type RetentionReportQuery = z.infer<typeof RetentionReportQuery>;
