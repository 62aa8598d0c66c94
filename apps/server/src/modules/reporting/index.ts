/** Reporting: the metric catalogue, rollups kept from events, metric queries, targets. */
export { exportRoutes } from './export.routes';
export { metricReport } from './query.service';
export { ReportingWorker } from './reporting.jobs';
export { reportingRoutes } from './reporting.routes';
export { rebuildReports, settleReports } from './rollups.service';
export { deliverReportJob, reportScheduleSweepJob } from './schedules.jobs';
export { targetRoutes } from './targets.routes';
