import {
  DrilldownQuery,
  DrilldownResult,
  LiveQueue,
  LiveQueueQuery,
  MetricCatalogue,
  MetricQuery,
  MetricReport,
  ReportBatch,
  ReportBatchResult,
} from '@keepdesk/contract';
import { sql } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import { rowsOf } from '../../platform/db';
import { AppError } from '../../platform/errors';
import { type App, type Principal, principalOf, unvalidatedJson } from '../../platform/http';
import { drilldownTickets } from './drilldown.service';
import { liveQueue } from './live.service';
import { metricCatalogue, metricReport, metricReports } from './query.service';

const tags = ['reports'];
const anyone = { access: { permission: null } };

async function timeZoneOf(deps: Deps, userId: string): Promise<string> {
  const [row] = rowsOf(await deps.database.db.execute(sql`select time_zone from users where id = ${userId}`));
  return row ? String(row.time_zone) : 'UTC';
}

/**
 * `agent:me` in a filter is the caller. Without reports:read a caller sees only their own numbers: the filter
 * must name them as the agent.
 */
function ownFilter(filter: string | undefined, userId: string, mayReadAll: boolean): string | undefined {
  const parts = (filter ?? '')
    .split(',')
    .filter((p) => p.trim() !== '')
    .map((p) => (p.trim() === 'agent:me' ? `agent:${userId}` : p.trim()));
  if (!mayReadAll && !parts.includes(`agent:${userId}`)) {
    throw new AppError('FORBIDDEN', {
      message: 'without reports:read, reports show your own numbers: filter agent:me',
    });
  }
  return parts.length > 0 ? parts.join(',') : undefined;
}

/**
 * A caller's query as they may ask it: `agent:me` resolved, and without reports:read only their own numbers,
 * ungrouped or by agent.
 */
export function scopedQuery(principal: Principal, query: MetricQuery): MetricQuery {
  const mayReadAll = principal.permissions.includes('reports:read');
  const filter = ownFilter(query.filter, principal.userId, mayReadAll);
  if (!mayReadAll && query.groupBy && query.groupBy !== 'agent') {
    throw new AppError('FORBIDDEN', { message: 'without reports:read, reports cannot be grouped' });
  }
  return { ...query, filter };
}

/** The metric catalogue and metric queries on the rollups (docs/metrics.md, docs/reporting.md). */
export function reportingRoutes(deps: Deps) {
  return async (app: App) => {
    app.get(
      '/reports/metrics',
      {
        schema: {
          tags,
          description:
            'One metric of the catalogue over a range of days in the time zone, by hour, day, week, month or quarter, optionally grouped by a dimension and filtered (`team:<id>,channel:email`). Read from the rollups. Callers without reports:read see their own numbers (`filter=agent:me`).',
          querystring: MetricQuery,
          response: { 200: MetricReport },
        },
        serializerCompiler: unvalidatedJson,
        config: anyone,
      },
      async (req) => {
        const principal = principalOf(req);
        return metricReport(
          deps,
          scopedQuery(principal, req.query),
          await timeZoneOf(deps, principal.userId),
        );
      },
    );
    app.post(
      '/reports/batch',
      {
        schema: {
          tags,
          description:
            'Several metric queries in one request (a dashboard), answered in the order given. The same rules as GET /reports/metrics apply to each; a bad query is a 400 naming `queries.<index>.<field>`.',
          body: ReportBatch,
          response: { 200: ReportBatchResult },
        },
        serializerCompiler: unvalidatedJson,
        config: anyone,
      },
      async (req) => {
        const principal = principalOf(req);
        const queries = req.body.queries.map((query) => scopedQuery(principal, query));
        return { reports: await metricReports(deps, queries, await timeZoneOf(deps, principal.userId)) };
      },
    );
    app.get(
      '/reports/tickets',
      {
        schema: {
          tags,
          description:
            'The tickets behind a number or a chart point: those whose samples count in the metric in the range (or one `period` of it) and filter, with each ticket’s value; the slowest (worst) first. The same rules as GET /reports/metrics.',
          querystring: DrilldownQuery,
          response: { 200: DrilldownResult },
        },
        config: anyone,
      },
      async (req) => {
        const principal = principalOf(req);
        const mayReadAll = principal.permissions.includes('reports:read');
        const filter = ownFilter(req.query.filter, principal.userId, mayReadAll);
        return drilldownTickets(deps, { ...req.query, filter }, await timeZoneOf(deps, principal.userId));
      },
    );
    app.get(
      '/reports/live',
      {
        schema: {
          tags,
          description:
            'The open queue now: open tickets by status and by SLA risk (breached, due soon, ok, none), escalated and unassigned; filter by `team:<id>`, `agent:<id>`, channel or priority. Callers without reports:read see their own queue (`filter=agent:me`).',
          querystring: LiveQueueQuery,
          response: { 200: LiveQueue },
        },
        config: anyone,
      },
      async (req) => {
        const principal = principalOf(req);
        const mayReadAll = principal.permissions.includes('reports:read');
        return liveQueue(deps, ownFilter(req.query.filter, principal.userId, mayReadAll));
      },
    );
    app.get(
      '/reports/catalogue',
      {
        schema: {
          tags,
          description:
            'The metrics with their statistics, the dimensions, and the time zones reports are kept in.',
          response: { 200: MetricCatalogue },
        },
        config: anyone,
      },
      async () => metricCatalogue(deps),
    );
  };
}
