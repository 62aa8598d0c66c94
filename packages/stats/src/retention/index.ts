/**
 * Churn and retention metrics from subscription periods and orders: MRR snapshots and movements, churn and
 * retention rates per month or quarter, cohort matrices, and revenue to date. Definitions: docs/metrics.md.
 */
export {
  type CohortCell,
  type CohortMatrix,
  type CohortOptions,
  type CohortRow,
  cohortRetention,
  orderCohortRetention,
} from './cohorts';
export {
  DAYS_PER_MONTH,
  historicValue,
  type OrderHistory,
  type SubscriptionHistory,
  subscriptionRevenueToDate,
} from './historic-value';
export { type OrderEvent, RetentionInputError, type SubscriptionPeriod } from './input';
export {
  type AccountMove,
  type ChurnedAccount,
  type ChurnReasonCount,
  type CustomerCounts,
  type MovementOptions,
  type MrrMovementPeriod,
  mrrMovements,
} from './movements';
export { type AccountMrr, type MonthEndMrr, monthlyMrr, mrrByAccountAt } from './mrr';
export {
  type RetentionPeriod,
  type RetentionRates,
  type RetentionRatesOptions,
  retentionRates,
} from './rates';
