/** Reporting: the metric catalogue, rollups kept from events, metric queries. */
export { metricReport } from './query.service';
export { ReportingWorker } from './reporting.jobs';
export { reportingRoutes } from './reporting.routes';
export { rebuildReports, settleReports } from './rollups.service';
