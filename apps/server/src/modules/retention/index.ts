/** Retention analytics: customer lifetime value, churn risk with reasons, health, the at-risk list. */
export {
  dayOfOption,
  fitLifetimeValue,
  historiesOfSummaryCsv,
  historiesOfTransactions,
  transactionsOfCsv,
} from './clv.files';
export { retentionMetricsRoutes } from './metrics.routes';
export { runRetention, scoreWorkspace } from './model.service';
export type { ReportDocument } from './report.domain';
export { type RetentionReportKind, retentionReport } from './report.service';
export { retentionJob } from './retention.jobs';
export { retentionRoutes } from './retention.routes';
export { lifetimeValueRoutes } from './value.routes';
