/**
 * Answers metric queries from the rollup rows (never from the raw tickets): one metric, one statistic, a range of
 * days in the viewer's time zone, a grain, an optional grouping and filter.
 */
import {
  type MetricCatalogue,
  type MetricQuery,
  type MetricReport,
  type ReportDimension,
  reportUnit,
} from '@keepdesk/contract';
import { type SQL, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Deps } from '../../platform/context';
import { rowsOf } from '../../platform/db';
import { AppError, fieldError } from '../../platform/errors';
import { checkDimensions, dimensionLabels, fieldDimensions } from './dimensions.service';
import {
  addCell,
  DIMENSIONS,
  type Grain,
  HOURLY_ZONE,
  histogramsOf,
  integersOf,
  isDimension,
  isFieldDimension,
  METRIC_KEYS,
  type MetricKey,
  metricOf,
  nextPeriod,
  periodStart,
  type RollupCell,
  type RollupDim,
  type SampleMetric,
  statOf,
} from './metrics.domain';
import { utilisationPlan, utilisationSeries } from './utilisation.service';

const MAX_PERIODS = 10_000;
/** Queries of a batch read side by side (the pool holds ten connections per process). */
const BATCH_LANES = 4;
/** Groups one report may hold; more (organisations, say) need a filter. */
const MAX_GROUPS = 500;

/** Which rollup rows answer a query: the dimension, the values to read, and how a row's value names its group. */
interface Plan {
  dim: RollupDim;
  /** Exact value, a prefix (`team|`), or every value. */
  value: { exact: string } | { prefix: string } | null;
  /** The group a row's value belongs to; undefined when the row does not pass the filter. */
  groupOf: (value: string) => string | null | undefined;
}

export function parseFilter(text: string | undefined): Map<ReportDimension, string> {
  const filter = new Map<ReportDimension, string>();
  for (const part of (text ?? '').split(',').filter((p) => p.trim() !== '')) {
    // A custom field is `field:<key>`; its value follows the second colon.
    const colon = part.indexOf(':', part.trim().startsWith('field:') ? part.indexOf(':') + 1 : 0);
    const dim = (colon < 0 ? part : part.slice(0, colon)).trim();
    if (!isDimension(dim))
      throw fieldError('filter', `unknown dimension "${dim}"; known: ${DIMENSIONS.join(', ')}, field:<key>`);
    if (colon < 0) throw fieldError('filter', `"${dim}" needs a value: ${dim}:VALUE`);
    if (filter.has(dim)) throw fieldError('filter', `"${dim}" is given twice`);
    const value = part.slice(colon + 1).trim();
    filter.set(dim, value === 'none' ? '' : value);
  }
  return filter;
}

/** The rollup rows for a grouping and filter; a team can be combined with one other dimension. */
function planOf(groupBy: ReportDimension | undefined, filter: Map<ReportDimension, string>): Plan {
  const dims = new Set<ReportDimension>([...filter.keys(), ...(groupBy ? [groupBy] : [])]);
  const others = [...dims].filter((d) => d !== 'team');
  if (others.length > 1 || (others.length === 1 && dims.size > 1 && !dims.has('team'))) {
    throw fieldError('filter', 'a report combines a team with at most one other dimension');
  }
  const whole = (value: string) => (value === '' ? null : value);
  if (dims.size === 0) return { dim: 'all', value: { exact: '' }, groupOf: () => null };
  if (dims.size === 1) {
    const dim = [...dims][0]!;
    const value = filter.get(dim);
    return {
      dim,
      value: value === undefined ? null : { exact: value },
      groupOf: groupBy ? whole : () => null,
    };
  }
  const other = others[0]!;
  const dim = `team+${other}` as RollupDim;
  const team = filter.get('team');
  const value = filter.get(other);
  const split = (v: string) => {
    const bar = v.indexOf('|');
    return [v.slice(0, bar), v.slice(bar + 1)] as const;
  };
  return {
    dim,
    value:
      team !== undefined && value !== undefined
        ? { exact: `${team}|${value}` }
        : team !== undefined
          ? { prefix: `${team}|` }
          : null,
    groupOf: (v) => {
      const [teamPart, otherPart] = split(v);
      if (!groupBy) return value !== undefined && otherPart !== value ? undefined : null;
      if (value !== undefined && otherPart !== value) return undefined;
      return whole(groupBy === 'team' ? teamPart : otherPart);
    },
  };
}

interface Row {
  bucket: number;
  value: string;
  cell: RollupCell;
}

/** An instant as whole epoch milliseconds. */
const epochMs = (instant: SQL) => sql`(extract(epoch from ${instant}) * 1000)::bigint`;

/** The rollup rows one report reads: a zone's rows of some metrics for a plan, in a range. */
interface RowRequest {
  zone: string;
  metrics: readonly SampleMetric[];
  plan: Pick<Plan, 'dim' | 'value'>;
  range: { from: number } | { before: number };
  to: number;
}
type RowsByMetric = Map<SampleMetric, Row[]>;
/** How a report gets its rows: on its own by default, or as part of a batch (`batchRowReads`). */
export type RowReader = (request: RowRequest) => Promise<RowsByMetric>;

function requestRows(q: number, { zone, metrics, plan, range, to }: RowRequest): SQL {
  const valueCondition = !plan.value
    ? sql``
    : 'exact' in plan.value
      ? sql`and value = ${plan.value.exact}`
      : sql`and starts_with(value, ${plan.value.prefix})`;
  const metricList = sql.join(
    metrics.map((m) => sql`${m}`),
    sql`, `,
  );
  const rowsWhere = sql`zone = ${zone} and metric in (${metricList}) and dim = ${plan.dim} ${valueCondition}`;
  const toCondition = sql`bucket < ${new Date(to).toISOString()}::timestamptz`;
  return 'before' in range
    ? // Counts only: everything before the range summed by the database into its first bucket, then the range.
      sql`
        select ${q}::int as q, metric, value, ${range.before}::bigint as at, sum(n)::bigint as n, 0::bigint as total,
               null::int[] as hist
          from report_rollups
         where ${rowsWhere} and bucket < ${new Date(range.before).toISOString()}::timestamptz
         group by metric, value
        union all
        select ${q}::int, metric, value, ${epochMs(sql`bucket`)}, n, 0, null
          from report_rollups
         where ${rowsWhere} and bucket >= ${new Date(range.before).toISOString()}::timestamptz and ${toCondition}`
    : sql`
        select ${q}::int as q, metric, value, ${epochMs(sql`bucket`)} as at, n, total, hist
          from report_rollups
         where ${rowsWhere} and bucket >= ${new Date(range.from).toISOString()}::timestamptz and ${toCondition}`;
}

/**
 * The rollup rows of several reports in one statement, in the order asked: those in each range, or (`before`,
 * for the backlog) all up to its end. The database sends one row per report, metric and value with the points as
 * comma-separated lists (bucket, n, total, and each histogram as its length, first subscript and counts): a
 * dashboard reads ten thousand points, and the driver's cost is per row and per field.
 */
async function readRows(deps: Deps, requests: readonly RowRequest[]): Promise<RowsByMetric[]> {
  const parts = requests.map((request, q) => sql`(${requestRows(q, request)})`);
  const result = await deps.database.db.execute(sql`
    select q, metric, value,
           string_agg(at::text, ',' order by at) as buckets,
           string_agg(n::text, ',' order by at) as ns,
           string_agg(total::text, ',' order by at) as totals,
           string_agg(
             coalesce(cardinality(hist) || ',' || array_lower(hist, 1) || ',' || array_to_string(hist, ','), '0'),
             ',' order by at) as hists
      from (${sql.join(parts, sql` union all `)}) r
     group by q, metric, value`);
  const answers = requests.map((r) => new Map<SampleMetric, Row[]>(r.metrics.map((m) => [m, []])));
  for (const r of rowsOf(result)) {
    const list = answers[Number(r.q)]!.get(r.metric as SampleMetric)!;
    const value = String(r.value);
    const buckets = integersOf(String(r.buckets));
    const ns = integersOf(String(r.ns));
    const totals = integersOf(String(r.totals));
    const hists = histogramsOf(integersOf(String(r.hists)));
    for (let i = 0; i < buckets.length; i++) {
      list.push({ bucket: buckets[i]!, value, cell: { n: ns[i]!, total: totals[i]!, hist: hists[i]! } });
    }
  }
  return answers;
}

const readOwnRows =
  (deps: Deps): RowReader =>
  async (request) =>
    (await readRows(deps, [request]))[0]!;

/**
 * Reads the rows of `callers` reports made side by side in one statement: each caller's first request waits
 * until every caller has asked or finished without asking (`finish`, always called when its report is done);
 * then all are read together. A caller's later requests are read on their own.
 */
export function batchRowReads(deps: Deps, callers: number) {
  let waiting = callers;
  let flushed = false;
  let queue: {
    request: RowRequest;
    resolve: (rows: RowsByMetric) => void;
    reject: (error: unknown) => void;
  }[] = [];
  const flush = () => {
    if (flushed || queue.length === 0 || queue.length < waiting) return;
    flushed = true;
    const batch = queue;
    queue = [];
    readRows(
      deps,
      batch.map((b) => b.request),
    ).then(
      (answers) => {
        for (const [i, b] of batch.entries()) b.resolve(answers[i]!);
      },
      (error: unknown) => {
        for (const b of batch) b.reject(error);
      },
    );
  };
  return {
    caller(): { read: RowReader; finish: () => void } {
      let asked = false;
      return {
        read: (request) => {
          if (asked || flushed) return readOwnRows(deps)(request);
          asked = true;
          return new Promise<RowsByMetric>((resolve, reject) => {
            queue.push({ request, resolve, reject });
            flush();
          });
        },
        finish: () => {
          if (asked) return;
          asked = true;
          waiting--;
          flush();
        },
      };
    },
  };
}

function periodLabel(grain: Grain, zone: string, start: number): string {
  const local = DateTime.fromMillis(start, { zone });
  switch (grain) {
    case 'hour':
      return local.toFormat("yyyy-MM-dd'T'HH");
    case 'day':
      return local.toFormat('yyyy-MM-dd');
    case 'week':
      return local.toFormat("kkkk-'W'WW");
    case 'month':
      return local.toFormat('yyyy-MM');
    case 'quarter':
      return `${local.year}-Q${local.quarter}`;
  }
}

interface Calendar {
  starts: number[];
  labels: Map<number, { period: string; start: string }>;
}

/** Dashboards ask for the same ranges again and again: their periods are worked out once. */
const calendars = new Map<string, Calendar>();
/** Periods the kept calendars hold together; past this they are dropped (an hourly year holds 8,784). */
const CALENDAR_PERIODS = 100_000;
let calendarPeriods = 0;

/** The periods from `start` to `end` with their labels; undefined when there are more than MAX_PERIODS. */
function calendarOf(grain: Grain, zone: string, start: number, end: number): Calendar | undefined {
  const key = `${grain}|${zone}|${start}|${end}`;
  let calendar = calendars.get(key);
  if (calendar) return calendar;
  const starts: number[] = [];
  for (let p = start; p < end; p = nextPeriod(grain, zone, p)) {
    starts.push(p);
    if (starts.length > MAX_PERIODS) return undefined;
  }
  calendar = {
    starts,
    labels: new Map(
      starts.map((p) => [p, { period: periodLabel(grain, zone, p), start: new Date(p).toISOString() }]),
    ),
  };
  if (calendarPeriods + starts.length > CALENDAR_PERIODS) {
    calendars.clear();
    calendarPeriods = 0;
  }
  calendars.set(key, calendar);
  calendarPeriods += starts.length;
  return calendar;
}

async function labelsOf(deps: Deps, dim: ReportDimension | undefined, keys: (string | null)[]) {
  if (dim === 'organization' || (dim && isFieldDimension(dim))) return dimensionLabels(deps, dim, keys);
  const labels = new Map<string | null, string>(keys.map((k) => [k, k ?? '—']));
  const ids = keys.filter((k): k is string => k !== null && /^[0-9a-f-]{36}$/i.test(k));
  if ((dim === 'team' || dim === 'agent') && ids.length > 0) {
    const table = dim === 'team' ? sql`teams` : sql`users`;
    const rows = rowsOf(
      await deps.database.db.execute(
        sql`select id, name from ${table} where id in (${sql.join(
          ids.map((id) => sql`${id}::uuid`),
          sql`, `,
        )})`,
      ),
    );
    for (const r of rows) labels.set(String(r.id), String(r.name));
  }
  return labels;
}

const notReady = (zone: string) => `the reports for ${zone} are being built; try again in a minute`;

async function readyZone(deps: Deps, zone: string): Promise<void> {
  const rows = rowsOf(
    await deps.database.db.execute(sql`select zone, ready_at from report_zones order by zone`),
  );
  const state = rows.find((r) => r.zone === zone);
  if (!state) {
    const [user] = rowsOf(
      await deps.database.db.execute(
        sql`select 1 from users where is_active and time_zone = ${zone} limit 1`,
      ),
    );
    // A zone someone has just started to work in: its rows are being made.
    if (user) throw new AppError('REPORT_NOT_READY', { message: notReady(zone) });
    throw fieldError(
      'timeZone',
      `reports are kept for the time zones of the workspace's users (${rows.map((r) => r.zone).join(', ')}); give one of them or set a user to ${zone}`,
    );
  }
  if (state.ready_at === null) {
    throw new AppError('REPORT_NOT_READY', { message: notReady(zone) });
  }
}

/**
 * The reports of several queries (a dashboard), in their order; they read the rollups side by side. A bad query
 * fails the whole batch with its fields named `queries.<index>.<field>`.
 */
export async function metricReports(
  deps: Deps,
  queries: readonly MetricQuery[],
  viewerZone: string,
): Promise<MetricReport[]> {
  const reports: MetricReport[] = new Array(queries.length);
  // The queries of a dashboard mostly share a time zone and groups: each is checked and named once.
  const shared: Shared = new Map();
  let next = 0;
  // A few side by side, not all: one dashboard must not take every connection of the pool.
  const lane = async () => {
    while (next < queries.length) {
      const index = next++;
      reports[index] = await metricReport(deps, queries[index]!, viewerZone, shared).catch(
        (error: unknown) => {
          if (!(error instanceof AppError) || !error.errors) throw error;
          const errors = error.errors.map((e) => ({ ...e, field: `queries.${index}.${e.field}` }));
          throw new AppError(error.code, {
            message: errors.map((e) => `${e.field}: ${e.message}`).join('; '),
            errors,
          });
        },
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(BATCH_LANES, queries.length) }, lane));
  return reports;
}

/** Lookups the queries of one batch share: a zone's readiness, the names of a set of groups. */
type Shared = Map<string, Promise<unknown>>;

function sharedLookup<T>(shared: Shared, key: string, lookup: () => Promise<T>): Promise<T> {
  let found = shared.get(key) as Promise<T> | undefined;
  if (!found) {
    found = lookup();
    shared.set(key, found);
  }
  return found;
}

/** The metric report for a query; `viewerZone` is the caller's time zone (the default). */
export async function metricReport(
  deps: Deps,
  query: MetricQuery,
  viewerZone: string,
  shared: Shared = new Map(),
  readRowsOf: RowReader = readOwnRows(deps),
): Promise<MetricReport> {
  const metric = query.metric as MetricKey;
  const definition = metricOf(metric);
  const stat = query.stat ?? definition.defaultStat;
  if (!definition.stats.includes(stat)) {
    throw fieldError('stat', `${metric} has ${definition.stats.join(', ')}`);
  }
  const zone = query.timeZone ?? viewerZone;
  const grain = query.grain;
  const today = DateTime.now().setZone(zone).toISODate()!;
  const toDay = query.to ?? today;
  const toDate = DateTime.fromISO(toDay, { zone });
  const fromDay = query.from ?? toDate.minus({ days: 29 }).toISODate()!;
  const fromDate = DateTime.fromISO(fromDay, { zone });
  if (!fromDate.isValid) throw fieldError('from', 'not a calendar day');
  if (!toDate.isValid) throw fieldError('to', 'not a calendar day');
  if (fromDate > toDate) throw fieldError('from', `${fromDay} is after ${toDay}`);
  const start = periodStart(grain, zone, fromDate.toMillis());
  const end = toDate.plus({ days: 1 }).toMillis();
  const calendar = calendarOf(grain, zone, start, end);
  if (!calendar) {
    throw fieldError(
      'grain',
      `${fromDay} to ${toDay} holds more than ${MAX_PERIODS} ${grain}s; choose a coarser grain or a shorter range`,
    );
  }
  const periods = calendar.starts;
  const filter = parseFilter(query.filter);
  const groupBy = query.groupBy;
  if (grain === 'hour') {
    if (!('hourly' in definition))
      throw fieldError('grain', `${metric} is reported by day and longer; hours are kept for ticket counts`);
    const dims = [...filter.keys(), ...(groupBy ? [groupBy] : [])];
    const allowed: ReportDimension[] = ['team', 'channel'];
    if (dims.some((d) => !allowed.includes(d)) || new Set(dims).size > 1) {
      throw fieldError('groupBy', 'by the hour, reports group and filter by one of team or channel');
    }
    if (DateTime.fromMillis(start, { zone }).offset % 60 !== 0) {
      throw fieldError(
        'timeZone',
        `${zone} is not a whole number of hours from UTC; hourly reports need one`,
      );
    }
  } else {
    await sharedLookup(shared, `zone|${zone}`, () => readyZone(deps, zone));
  }
  const rowZone = grain === 'hour' ? HOURLY_ZONE : zone;

  await checkDimensions(deps, metric, groupBy, filter);
  let plan: Plan;
  let inputs: SampleMetric[];
  if (metric === 'agent_utilisation') {
    ({ plan, inputs } = utilisationPlan(groupBy, filter));
  } else if (metric === 'tickets_per_agent') {
    if (groupBy && groupBy !== 'team' && groupBy !== 'agent') {
      throw fieldError('groupBy', 'tickets per agent groups by team or agent');
    }
    if ([...filter.keys()].some((d) => d !== 'team' && d !== 'agent')) {
      throw fieldError('filter', 'tickets per agent filters by team or agent');
    }
    const team = filter.get('team');
    const agent = filter.get('agent');
    const byTeam = team !== undefined || groupBy === 'team';
    plan = {
      dim: byTeam ? 'team+agent' : 'agent',
      value:
        team !== undefined
          ? agent !== undefined
            ? { exact: `${team}|${agent}` }
            : { prefix: `${team}|` }
          : agent !== undefined && !byTeam
            ? { exact: agent }
            : null,
      groupOf: () => null,
    };
    inputs = ['tickets_solved'];
  } else {
    plan = planOf(groupBy, filter);
    inputs = metric === 'backlog' ? ['tickets_created', 'tickets_solved', 'tickets_reopened'] : [metric];
  }
  const rows = await readRowsOf({
    zone: rowZone,
    metrics: inputs,
    plan,
    range: metric === 'backlog' ? { before: start } : { from: start },
    to: end,
  });

  // Many rows share a bucket, and many series a period: each is worked out once.
  const periodStarts = new Map<number, number>();
  const periodOf = (bucket: number) => {
    if (bucket < start) return start;
    let period = periodStarts.get(bucket);
    if (period === undefined) {
      period = grain === 'day' ? bucket : periodStart(grain, zone, bucket);
      periodStarts.set(bucket, period);
    }
    return period;
  };
  type Groups = Map<string | null, Map<number, RollupCell>>;
  const cellsOf = (list: Row[], groupOf: (value: string) => string | null | undefined): Groups => {
    const groups: Groups = new Map();
    for (const row of list) {
      const group = groupOf(row.value);
      if (group === undefined) continue;
      let byPeriod = groups.get(group);
      if (!byPeriod) {
        byPeriod = new Map();
        groups.set(group, byPeriod);
      }
      const period = periodOf(row.bucket);
      // A row is read for one report only: the first of a period becomes its cell.
      const cell = byPeriod.get(period);
      if (cell) addCell(cell, row.cell);
      else byPeriod.set(period, row.cell);
    }
    return groups;
  };
  const sum = (cells: Iterable<RollupCell>) => {
    const total: RollupCell = { n: 0, total: 0, hist: null };
    for (const cell of cells) addCell(total, cell);
    return total;
  };

  const emptyValue = stat === 'count' || stat === 'sum' ? 0 : null;
  const series: MetricReport['series'] = [];
  const pointOf = (period: number, value: number | null, n: number) => {
    const label = calendar.labels.get(period)!;
    return { period: label.period, start: label.start, value: value === null ? emptyValue : round(value), n };
  };

  // The total over all groups, when every sample falls in exactly one group (a ticket has one team, one
  // channel…, but may carry several tags, and agents are counted per group for tickets per agent).
  let groupsTotal: MetricReport['total'] | null = null;
  if (metric === 'backlog') {
    const groupOf = plan.groupOf;
    const flows = new Map<string | null, Map<number, number>>();
    for (const [input, sign] of [
      ['tickets_created', 1],
      ['tickets_solved', -1],
      ['tickets_reopened', 1],
    ] as const) {
      for (const [group, byPeriod] of cellsOf(rows.get(input)!, groupOf)) {
        const flow = flows.get(group) ?? new Map<number, number>();
        for (const [period, cell] of byPeriod) flow.set(period, (flow.get(period) ?? 0) + sign * cell.n);
        flows.set(group, flow);
      }
    }
    let all = 0;
    for (const [group, flow] of flows) {
      let open = 0;
      const points = periods.map((period) => {
        open += flow.get(period) ?? 0;
        return pointOf(period, open, open);
      });
      series.push({ key: group, label: '', total: { value: open, n: open }, points });
      all += open;
    }
    groupsTotal = { value: all, n: all };
  } else if (metric === 'agent_utilisation') {
    const result = await utilisationSeries(deps, rows, { periods, periodOf, pointOf, filter, groupBy });
    series.push(...result.series);
    groupsTotal = result.total;
  } else if (metric === 'tickets_per_agent') {
    const perAgent = new Map<string | null, Map<number, Map<string, number>>>();
    for (const row of rows.get('tickets_solved')!) {
      const bar = row.value.indexOf('|');
      const agent = bar >= 0 ? row.value.slice(bar + 1) : row.value;
      if (agent === '' || (filter.has('agent') && agent !== filter.get('agent'))) continue;
      const group = groupBy === 'team' ? row.value.slice(0, bar) || null : groupBy === 'agent' ? agent : null;
      const period = periodOf(row.bucket);
      const byPeriod = perAgent.get(group) ?? new Map<number, Map<string, number>>();
      const counts = byPeriod.get(period) ?? new Map<string, number>();
      counts.set(agent, (counts.get(agent) ?? 0) + row.cell.n);
      byPeriod.set(period, counts);
      perAgent.set(group, byPeriod);
    }
    for (const [group, byPeriod] of perAgent) {
      const all = new Map<string, number>();
      const points = periods.map((period) => {
        const counts = byPeriod.get(period) ?? new Map<string, number>();
        let solved = 0;
        for (const [agent, n] of counts) {
          solved += n;
          all.set(agent, (all.get(agent) ?? 0) + n);
        }
        return pointOf(period, counts.size > 0 ? solved / counts.size : null, solved);
      });
      const solved = [...all.values()].reduce((a, b) => a + b, 0);
      series.push({
        key: group,
        label: '',
        total: { value: all.size > 0 ? round(solved / all.size) : null, n: solved },
        points,
      });
    }
  } else {
    const all: RollupCell = { n: 0, total: 0, hist: null };
    for (const [group, byPeriod] of cellsOf(rows.get(metric)!, plan.groupOf)) {
      const points = periods.map((period) => {
        const cell = byPeriod.get(period) ?? { n: 0, total: 0, hist: null };
        return pointOf(period, statOf(metric, stat, cell), cell.n);
      });
      const total = sum(byPeriod.values());
      addCell(all, total);
      const value = statOf(metric, stat, total);
      series.push({
        key: group,
        label: '',
        total: { value: value === null ? emptyValue : round(value), n: total.n },
        points,
      });
    }
    const value = statOf(metric, stat, all);
    groupsTotal = { value: value === null ? emptyValue : round(value), n: all.n };
  }

  if (series.length > MAX_GROUPS) {
    throw fieldError(
      'groupBy',
      `${series.length} groups by ${groupBy}; a report holds at most ${MAX_GROUPS}: filter by a team or channel first`,
    );
  }
  // Otherwise the total is read again without the grouping.
  let total: MetricReport['total'];
  if (!groupBy) {
    total = series[0]?.total ?? { value: emptyValue, n: 0 };
    if (series.length === 0) {
      series.push({ key: null, label: '', total, points: periods.map((p) => pointOf(p, null, 0)) });
    }
  } else if (groupsTotal && groupBy !== 'tag' && !isFieldDimension(groupBy)) {
    total = groupsTotal;
  } else {
    const ungrouped = await metricReport(
      deps,
      { ...query, groupBy: undefined, timeZone: zone },
      viewerZone,
      shared,
      readRowsOf,
    );
    total = ungrouped.total;
  }
  const keys = series.map((s) => s.key);
  const labels = await sharedLookup(shared, `labels|${groupBy}|${keys.join(',')}`, () =>
    labelsOf(deps, groupBy, keys),
  );
  for (const s of series) s.label = groupBy ? (labels.get(s.key) ?? '—') : '';
  series.sort((a, b) => a.label.localeCompare(b.label));
  return {
    metric,
    stat,
    unit: reportUnit(metric, metricOf(metric).kind, stat),
    grain,
    timeZone: zone,
    from: fromDay,
    to: toDay,
    groupBy: groupBy ?? null,
    filter: Object.fromEntries([...filter].map(([d, v]) => [d, v === '' ? null : v])),
    total,
    series,
  };
}

const round = (value: number) => Math.round(value * 100) / 100;

/** The catalogue: metrics with their statistics, dimensions, and the time zones reports are kept in. */
export async function metricCatalogue(deps: Deps): Promise<MetricCatalogue> {
  const zones = rowsOf(
    await deps.database.db.execute(sql`select zone, ready_at from report_zones order by zone`),
  );
  return {
    metrics: METRIC_KEYS.map((name) => {
      const definition = metricOf(name);
      return {
        name,
        kind: definition.kind,
        stats: [...definition.stats],
        defaultStat: definition.defaultStat,
        hourly: 'hourly' in definition && definition.hourly === true,
      };
    }),
    dimensions: [...DIMENSIONS, ...(await fieldDimensions(deps))],
    timeZones: zones.map((z) => ({ zone: String(z.zone), ready: z.ready_at !== null })),
  };
}
