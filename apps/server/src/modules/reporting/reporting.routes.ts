import { MetricCatalogue, MetricQuery, MetricReport } from '@keepdesk/contract';
import { sql } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import { rowsOf } from '../../platform/db';
import { AppError } from '../../platform/errors';
import { type App, principalOf } from '../../platform/http';
import { metricCatalogue, metricReport } from './query.service';

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
        config: anyone,
      },
      async (req) => {
        const principal = principalOf(req);
        const mayReadAll = principal.permissions.includes('reports:read');
        const filter = ownFilter(req.query.filter, principal.userId, mayReadAll);
        if (!mayReadAll && req.query.groupBy && req.query.groupBy !== 'agent') {
          throw new AppError('FORBIDDEN', { message: 'without reports:read, reports cannot be grouped' });
        }
        return metricReport(deps, { ...req.query, filter }, await timeZoneOf(deps, principal.userId));
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
