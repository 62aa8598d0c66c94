/**
 * Agent utilisation: the agents' work time on tickets within their logged-in time ÷ their logged-in time (online
 * or away), in per cent, derived at query time from the rollup rows of both kept by agent (`busy_time`,
 * `online_time`: both samples of the presence stretches, so at most 100 %; ADR 0052). An agent counts for every
 * team they belong to now.
 */
import type { MetricReport, ReportDimension } from '@keepdesk/contract';
import { sql } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import { rowsOf, uuidArray } from '../../platform/db';
import { fieldError } from '../../platform/errors';
import type { SampleMetric } from './metrics.domain';

interface AgentRow {
  bucket: number;
  value: string;
  cell: { n: number; total: number };
}

/** The rollup rows utilisation reads: busy and online time by agent, one agent when the filter names one. */
export function utilisationPlan(
  groupBy: ReportDimension | undefined,
  filter: ReadonlyMap<ReportDimension, string>,
) {
  if (groupBy && groupBy !== 'team' && groupBy !== 'agent') {
    throw fieldError('groupBy', 'agent utilisation groups by team or agent');
  }
  if ([...filter.keys()].some((d) => d !== 'team' && d !== 'agent')) {
    throw fieldError('filter', 'agent utilisation filters by team or agent');
  }
  const agent = filter.get('agent');
  return {
    plan: {
      dim: 'agent' as const,
      value: agent !== undefined ? { exact: agent } : null,
      groupOf: () => null,
    },
    inputs: ['busy_time', 'online_time'] as SampleMetric[],
  };
}

interface Sums {
  work: number;
  online: number;
  n: number;
}
const rateOf = (s: Sums) => (s.online > 0 ? Math.round((10_000 * s.work) / s.online) / 100 : null);

/** The series (per team, per agent, or one) and the total over the agents that pass the filter, each once. */
export async function utilisationSeries(
  deps: Deps,
  rows: ReadonlyMap<SampleMetric, AgentRow[]>,
  context: {
    periods: readonly number[];
    periodOf: (bucket: number) => number;
    pointOf: (
      period: number,
      value: number | null,
      n: number,
    ) => MetricReport['series'][number]['points'][number];
    filter: ReadonlyMap<ReportDimension, string>;
    groupBy: ReportDimension | undefined;
  },
): Promise<{ series: MetricReport['series']; total: MetricReport['total'] }> {
  const { filter, groupBy } = context;
  const busy = rows.get('busy_time') ?? [];
  const online = rows.get('online_time') ?? [];
  const agents = [...new Set([...busy, ...online].map((r) => r.value).filter((a) => a !== ''))];
  const teamsOf = new Map<string, string[]>();
  if (agents.length > 0) {
    const memberships = rowsOf(
      await deps.database.db.execute(
        sql`select user_id, team_id from team_memberships where user_id = any(${uuidArray(agents)})`,
      ),
    );
    for (const m of memberships) {
      const list = teamsOf.get(String(m.user_id)) ?? [];
      list.push(String(m.team_id));
      teamsOf.set(String(m.user_id), list);
    }
  }
  const team = filter.get('team');
  const groupsOf = (agent: string): (string | null)[] => {
    const teams = teamsOf.get(agent) ?? [];
    if (agent === '' || (team !== undefined && !teams.includes(team))) return [];
    if (groupBy === 'agent') return [agent];
    if (groupBy === 'team') return team !== undefined ? [team] : teams.length > 0 ? teams : [null];
    return [null];
  };
  const groups = new Map<string | null, Map<number, Sums>>();
  const all: Sums = { work: 0, online: 0, n: 0 };
  for (const [list, input] of [
    [busy, 'work'],
    [online, 'online'],
  ] as const) {
    for (const row of list) {
      const owners = groupsOf(row.value);
      if (owners.length === 0) continue;
      all[input] += row.cell.total;
      if (input === 'online') all.n += row.cell.n;
      const period = context.periodOf(row.bucket);
      for (const group of owners) {
        const byPeriod = groups.get(group) ?? new Map<number, Sums>();
        const sums = byPeriod.get(period) ?? { work: 0, online: 0, n: 0 };
        sums[input] += row.cell.total;
        if (input === 'online') sums.n += row.cell.n;
        byPeriod.set(period, sums);
        groups.set(group, byPeriod);
      }
    }
  }
  const series: MetricReport['series'] = [];
  for (const [key, byPeriod] of groups) {
    const sum: Sums = { work: 0, online: 0, n: 0 };
    const points = context.periods.map((period) => {
      const sums = byPeriod.get(period) ?? { work: 0, online: 0, n: 0 };
      sum.work += sums.work;
      sum.online += sums.online;
      sum.n += sums.n;
      return context.pointOf(period, rateOf(sums), sums.n);
    });
    series.push({ key, label: '', total: { value: rateOf(sum), n: sum.n }, points });
  }
  return { series, total: { value: rateOf(all), n: all.n } };
}
