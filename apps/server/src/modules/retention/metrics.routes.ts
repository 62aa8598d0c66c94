import {
  MovementAccounts,
  MovementAccountsQuery,
  RetentionCohortQuery,
  RetentionCohorts,
  RetentionMetrics,
  RetentionMetricsQuery,
} from '@keepdesk/contract';
import type { Deps } from '../../platform/context';
import type { App } from '../../platform/http';
import { movementAccounts, retentionCohorts, retentionMetrics } from './metrics.service';

// These are reports: whoever reads reports (the retention specialist among them) reads them.
const read = { access: { permission: 'reports:read' } };

/** Churn and retention metrics, cohorts and the accounts behind each MRR movement (docs/retention.md). */
export function retentionMetricsRoutes(deps: Deps) {
  return async (app: App) => {
    const tags = ['retention'];
    app.get(
      '/retention/metrics',
      {
        schema: {
          tags,
          description:
            'MRR movements (new, expansion, reactivation, contraction, churned), customer counts, customer churn and retention rate, gross revenue churn, GRR and NRR per month or quarter (definitions: docs/metrics.md), with the cancel reasons of the churned. Only subscriptions in `currency` count; the answer says how many in other currencies were left out. Default: the last 12 complete months.',
          querystring: RetentionMetricsQuery,
          response: { 200: RetentionMetrics },
        },
        config: read,
      },
      async (req) => retentionMetrics(deps, req.query),
    );
    app.get(
      '/retention/cohorts',
      {
        schema: {
          tags,
          description:
            'The cohort retention matrix: a row per acquisition month, a column per month since; each cell the share of the cohort still active (customers) or its revenue against month 0 (revenue), null after the current month. Default: the cohorts of the last 12 months.',
          querystring: RetentionCohortQuery,
          response: { 200: RetentionCohorts },
        },
        config: read,
      },
      async (req) => retentionCohorts(deps, req.query),
    );
    app.get(
      '/retention/movements',
      {
        schema: {
          tags,
          description:
            'The accounts behind one MRR movement of a month or quarter, largest change first (at most 200), with their MRR before and after and, for churned ones, the cancel reason.',
          querystring: MovementAccountsQuery,
          response: { 200: MovementAccounts },
        },
        config: read,
      },
      async (req) => movementAccounts(deps, req.query),
    );
  };
}
