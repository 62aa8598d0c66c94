/**
 * The metric catalogue (docs/metrics.md, "Reporting") and how its numbers are made: every ticket and every survey
 * invitation turns into samples — a metric, an instant, an integer value — which rollup rows add up per time
 * bucket and dimension. Incremental maintenance and a rebuild both go through `rollupDelta`, so they agree.
 */
import {
  type FieldType,
  type MetricName,
  REPORT_DIMENSIONS,
  type ReportDimension,
  type ReportGrain,
  type ReportStat,
} from '@keepdesk/contract';
import { addHistogram, bucketOf, histogramQuantile } from '@keepdesk/stats';
import { DateTime } from 'luxon';
import type { TicketFacts } from './facts.domain';

export type Stat = ReportStat;
export type Grain = ReportGrain;

/**
 * How a metric's samples read: `count` (each sample is one), `duration` (seconds, with a histogram for
 * percentiles), `rate` (0 or 1 each: the share of ones), `average` (a number per sample), `score` (−1, 0 or +1:
 * NPS) — or `derived` from other metrics at query time.
 */
export type MetricKind = 'count' | 'duration' | 'rate' | 'average' | 'score' | 'derived';

export interface MetricDefinition {
  kind: MetricKind;
  stats: readonly Stat[];
  defaultStat: Stat;
  /** Kept per UTC hour too (for hourly charts and the arrivals heatmap), by team and channel. */
  hourly?: boolean;
  /** Where the sample's instant comes from, for the docs and the drill-down. */
  at:
    | 'created'
    | 'solved'
    | 'first_response'
    | 'reply'
    | 'reopened'
    | 'sla_stop'
    | 'sent'
    | 'answered'
    | 'work'
    | 'online'
    | 'period_end';
}

const DURATION_STATS: readonly Stat[] = ['median', 'avg', 'p90', 'count', 'sum'];
const duration = (at: MetricDefinition['at']): MetricDefinition => ({
  kind: 'duration',
  stats: DURATION_STATS,
  defaultStat: 'median',
  at,
});
const rate = (at: MetricDefinition['at']): MetricDefinition => ({
  kind: 'rate',
  stats: ['rate', 'count', 'sum'],
  defaultStat: 'rate',
  at,
});
const count = (at: MetricDefinition['at']): MetricDefinition => ({
  kind: 'count',
  stats: ['count'],
  defaultStat: 'count',
  hourly: true,
  at,
});

/** Every metric Keepdesk reports, defined once; docs/metrics.md gives each formula in words. */
export const METRICS = {
  tickets_created: count('created'),
  tickets_solved: count('solved'),
  tickets_reopened: count('reopened'),
  backlog: { kind: 'derived', stats: ['count'], defaultStat: 'count', at: 'period_end' },
  first_response_time: duration('first_response'),
  first_response_time_business: duration('first_response'),
  next_response_time: duration('reply'),
  next_response_time_business: duration('reply'),
  resolution_time: duration('solved'),
  resolution_time_business: duration('solved'),
  one_touch_rate: rate('solved'),
  reopen_rate: rate('solved'),
  resolution_rate: rate('created'),
  escalation_rate: rate('created'),
  sla_compliance: rate('sla_stop'),
  reassignments: { kind: 'average', stats: ['avg', 'sum', 'count'], defaultStat: 'avg', at: 'solved' },
  tickets_per_agent: { kind: 'derived', stats: ['avg'], defaultStat: 'avg', at: 'solved' },
  csat: rate('answered'),
  nps: { kind: 'score', stats: ['score', 'count'], defaultStat: 'score', at: 'answered' },
  ces: { kind: 'average', stats: ['avg', 'count'], defaultStat: 'avg', at: 'answered' },
  survey_response_rate: rate('sent'),
  handle_time: duration('solved'),
  agent_utilisation: { kind: 'derived', stats: ['rate'], defaultStat: 'rate', at: 'online' },
} as const satisfies Record<MetricName, MetricDefinition>;

/**
 * Inputs of derived metrics that are not metrics of their own: sampled and rolled up like metrics, never asked
 * for. Agent utilisation divides the agents' work seconds within their logged-in time (`busy_time`) by their
 * logged-in seconds (`online_time`: online or away; ADR 0032, ADR 0052). `work_time` is all work, at each visit's start.
 */
const INPUTS = {
  work_time: { kind: 'average', stats: ['sum'], defaultStat: 'sum', at: 'work' },
  online_time: { kind: 'average', stats: ['sum'], defaultStat: 'sum', at: 'online' },
  busy_time: { kind: 'average', stats: ['sum'], defaultStat: 'sum', at: 'online' },
} as const satisfies Record<string, MetricDefinition>;

export type MetricKey = keyof typeof METRICS;
/** What a sample measures: a metric, or an input of a derived one. */
export type SampleMetric = MetricKey | keyof typeof INPUTS;
export const METRIC_KEYS = Object.keys(METRICS) as MetricKey[];
export const metricOf = (key: SampleMetric): MetricDefinition =>
  key in METRICS ? METRICS[key as MetricKey] : INPUTS[key as keyof typeof INPUTS];

/** Dimensions the rollups keep besides the custom fields (`field:<key>`); `all` is the total. */
export const DIMENSIONS = REPORT_DIMENSIONS;
export type Dimension = ReportDimension;
export type FieldDimension = `field:${string}`;
const FIELD_DIMENSION = /^field:[a-z][a-z0-9_]{0,39}$/;
export const isFieldDimension = (key: string): key is FieldDimension => FIELD_DIMENSION.test(key);
export const isDimension = (key: string): key is Dimension =>
  (DIMENSIONS as readonly string[]).includes(key) || isFieldDimension(key);
/** Custom field types that are dimensions: those with a closed set of values. */
export const DIMENSION_FIELD_TYPES: readonly FieldType[] = ['dropdown', 'checkbox', 'multiselect'];

/**
 * A ticket's values of the dimension fields (`types`: key → type of every dropdown, checkbox and multiselect
 * field): an option, `true`/`false`, or each chosen option; unset fields are left out.
 */
export function fieldDims(
  values: Record<string, unknown>,
  types: ReadonlyMap<string, FieldType>,
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(values)) {
    const type = types.get(key);
    let chosen: string[] = [];
    if (type === 'dropdown' && typeof value === 'string') chosen = [value];
    else if (type === 'checkbox' && typeof value === 'boolean') chosen = [String(value)];
    else if (type === 'multiselect' && Array.isArray(value))
      chosen = [...new Set(value.filter((v): v is string => typeof v === 'string'))].sort();
    if (chosen.length > 0) out[key] = chosen;
  }
  return out;
}
const HOURLY_DIMENSIONS: readonly Dimension[] = ['team', 'channel'];

/** What a subject (a ticket, a survey invitation) is reported under: its current attributes. */
export interface SubjectDims {
  team: string | null;
  agent: string | null;
  channel: string | null;
  priority: string | null;
  type: string | null;
  tags: string[];
  /** The organisation; absent in reports stored before it was a dimension (they have no rows for it). */
  organization?: string | null;
  /** Values of the dropdown, checkbox and multiselect fields by key (`fieldDims`); unset fields have no rows. */
  fields?: Record<string, string[]>;
}

/** One measurement: metric, instant (epoch ms), integer value (seconds for durations). */
export interface Sample {
  m: SampleMetric;
  t: number;
  v: number;
}

/** What is stored per subject, so that its contribution can be taken back when it changes. */
export interface SubjectReport {
  dims: SubjectDims;
  samples: Sample[];
}

const seconds = (minutes: number) => Math.round(minutes * 60);

/** The samples of a ticket: its facts, the outcome of each SLA target and whether it was escalated. */
export function ticketSamples(
  facts: TicketFacts,
  extra: { sla: { at: Date; met: boolean }[]; escalated: boolean; workSeconds?: number },
): Sample[] {
  const samples: Sample[] = [];
  const add = (m: MetricKey, at: Date, v: number) => samples.push({ m, t: at.getTime(), v });
  const created = facts.createdAt;
  add('tickets_created', created, 1);
  for (const at of facts.solves) add('tickets_solved', at, 1);
  for (const at of facts.reopenedAt) add('tickets_reopened', at, 1);
  if (facts.firstResponseAt) {
    add('first_response_time', facts.firstResponseAt, seconds(facts.firstResponseMinutes!));
    add('first_response_time_business', facts.firstResponseAt, seconds(facts.firstResponseBusinessMinutes!));
  }
  facts.nextResponseAt.forEach((at, i) => {
    add('next_response_time', at, seconds(facts.nextResponseMinutes[i]!));
    add('next_response_time_business', at, seconds(facts.nextResponseBusinessMinutes[i]!));
  });
  add('resolution_rate', created, facts.solvedAt ? 1 : 0);
  add('escalation_rate', created, extra.escalated ? 1 : 0);
  if (facts.solvedAt) {
    add('resolution_time', facts.solvedAt, seconds(facts.resolutionMinutes!));
    add('resolution_time_business', facts.solvedAt, seconds(facts.resolutionBusinessMinutes!));
    add('one_touch_rate', facts.solvedAt, facts.oneTouch ? 1 : 0);
    add('reopen_rate', facts.solvedAt, facts.reopens > 0 ? 1 : 0);
    add('reassignments', facts.solvedAt, facts.reassignments);
    // Handle time counts tickets that were worked in the agent workspace, not those solved without a look.
    if (extra.workSeconds) add('handle_time', facts.solvedAt, extra.workSeconds);
  }
  for (const target of extra.sla) add('sla_compliance', target.at, target.met ? 1 : 0);
  return samples;
}

/** A survey invitation as the survey metrics see it. */
export interface InvitationFacts {
  kind: 'csat' | 'nps' | 'ces';
  sentAt: Date | null;
  answer: { at: Date; score: number; satisfied: boolean } | null;
}

/** NPS class of a 0–10 answer: promoter +1, passive 0, detractor −1. */
export const npsValue = (score: number) => (score >= 9 ? 1 : score >= 7 ? 0 : -1);

export function invitationSamples(invitation: InvitationFacts): Sample[] {
  const samples: Sample[] = [];
  const add = (m: MetricKey, at: Date, v: number) => samples.push({ m, t: at.getTime(), v });
  if (invitation.sentAt) add('survey_response_rate', invitation.sentAt, invitation.answer ? 1 : 0);
  const answer = invitation.answer;
  if (answer) {
    if (invitation.kind === 'csat') add('csat', answer.at, answer.satisfied ? 1 : 0);
    if (invitation.kind === 'nps') add('nps', answer.at, npsValue(answer.score));
    if (invitation.kind === 'ces') add('ces', answer.at, answer.score);
  }
  return samples;
}

/**
 * An agent's logged-in time (online or away) from `start` to `end` (epoch ms) as samples of seconds, split at
 * UTC hours so that each falls on the right day of every zone a whole number of hours from UTC. Seconds are
 * counted on whole-second marks, so the pieces add up to the interval exactly.
 */
export function onlineSamples(start: number, end: number): Sample[] {
  const samples: Sample[] = [];
  for (let from = start; from < end; ) {
    const to = Math.min(end, (Math.floor(from / HOUR) + 1) * HOUR);
    const v = Math.floor(to / 1000) - Math.floor(from / 1000);
    if (v > 0) samples.push({ m: 'online_time', t: from, v });
    from = to;
  }
  return samples;
}

/**
 * The agent's work inside one stretch of logged-in time (`start`…`end`, epoch ms) as `busy_time` samples on the
 * same UTC hours as `onlineSamples` (ADR 0052): each visit's active seconds spread evenly over its span, the part
 * inside the stretch counted, never more in an hour than the stretch's own seconds there. Work while offline is
 * in no stretch, so utilisation (busy ÷ online) cannot pass 100 %.
 */
export function busySamples(
  start: number,
  end: number,
  visits: readonly { startedAt: number; endedAt: number; seconds: number }[],
): Sample[] {
  return onlineSamples(start, end).flatMap((hour) => {
    const to = Math.min(end, (Math.floor(hour.t / HOUR) + 1) * HOUR);
    let busy = 0;
    for (const visit of visits) {
      const span = visit.endedAt - visit.startedAt;
      const overlap = Math.min(to, visit.endedAt) - Math.max(hour.t, visit.startedAt);
      if (span > 0 && overlap > 0) busy += (visit.seconds * overlap) / span;
    }
    const v = Math.min(Math.round(busy), hour.v);
    return v > 0 ? [{ m: 'busy_time' as const, t: hour.t, v }] : [];
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Rollup rows

/** The zone of the hourly rows (UTC hours); every other zone's rows are days in that zone. */
export const HOURLY_ZONE = '';

export interface RollupKey {
  zone: string;
  bucket: number;
  metric: SampleMetric;
  dim: RollupDim;
  value: string;
}
export interface RollupCell {
  n: number;
  total: number;
  /** Counts per histogram bucket, for durations in day rows; null otherwise. */
  hist: number[] | null;
}
/** A change to a rollup row: counts, sums, and histogram counts by bucket (sparse). */
export interface DeltaCell {
  n: number;
  total: number;
  hist: Map<number, number> | null;
}
export type RollupDelta = Map<string, { key: RollupKey; cell: DeltaCell }>;

/**
 * A histogram as PostgreSQL stores it in the rollups: an int array whose subscripts are the bucket numbers
 * (`[12:14]={3,0,1}`), without empty buckets at either end; null when there is nothing in it.
 */
export function histogramLiteral(hist: Map<number, number> | null): string | null {
  if (!hist) return null;
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (const [bucket, count] of hist) {
    if (count === 0) continue;
    low = Math.min(low, bucket);
    high = Math.max(high, bucket);
  }
  if (low > high) return '{}';
  const counts: number[] = [];
  for (let bucket = low; bucket <= high; bucket++) counts.push(hist.get(bucket) ?? 0);
  return `[${low}:${high}]={${counts.join(',')}}`;
}

/** Comma-separated integers (`12,-3,0`), read by hand: a dashboard reads tens of thousands of them. */
export function integersOf(text: string): number[] {
  const values: number[] = [];
  let value = 0;
  let sign = 1;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 44 /* , */) {
      values.push(sign * value);
      value = 0;
      sign = 1;
    } else if (code === 45 /* - */) sign = -1;
    else value = value * 10 + (code - 48);
  }
  values.push(sign * value);
  return values;
}

/**
 * Histograms as the database packs them into a list of integers: each is its number of counts, its first
 * subscript and its counts (`3,2,5,0,1` is counts 5, 0, 1 from bucket 2), or a lone 0 for none. Returns counts
 * per bucket (index = bucket).
 */
export function histogramsOf(values: readonly number[]): (number[] | null)[] {
  const histograms: (number[] | null)[] = [];
  for (let i = 0; i < values.length; ) {
    const length = values[i++]!;
    if (length === 0) {
      histograms.push(null);
      continue;
    }
    const first = values[i++]!;
    const dense: number[] = [];
    for (let bucket = 0; bucket < first; bucket++) dense.push(0);
    for (let k = 0; k < length; k++) dense.push(values[i++]!);
    histograms.push(dense);
  }
  return histograms;
}

const HOUR = 3_600_000;
const dayStarts = new Map<string, Map<number, number>>();

/** The start (epoch ms) of the day in `zone` that holds the instant `t`; days change on whole UTC hours only. */
export function dayStart(zone: string, t: number): number {
  let byHour = dayStarts.get(zone);
  if (!byHour) {
    byHour = new Map();
    dayStarts.set(zone, byHour);
  }
  const hour = Math.floor(t / HOUR);
  let start = byHour.get(hour);
  if (start === undefined) {
    const local = DateTime.fromMillis(hour * HOUR, { zone });
    // Zones with offsets of a half or quarter hour: compute per instant rather than per hour.
    if (local.offset % 60 !== 0) return DateTime.fromMillis(t, { zone }).startOf('day').toMillis();
    start = local.startOf('day').toMillis();
    if (byHour.size > 200_000) byHour.clear();
    byHour.set(hour, start);
  }
  return start;
}

/**
 * The rollup dimension a query reads: the total, one dimension, or a team paired with another dimension (a team
 * lead's filter), whose values are `teamId|value`.
 */
export type RollupDim = 'all' | Dimension | `team+${Exclude<Dimension, 'team'>}`;
export const pairValue = (team: string, value: string) => `${team}|${value}`;

function dimValues(dims: SubjectDims, hourly: boolean): [RollupDim, string][] {
  const out: [RollupDim, string][] = [['all', '']];
  const single: [Dimension, string | null][] = [
    ['team', dims.team],
    ['agent', dims.agent],
    ['channel', dims.channel],
    ['priority', dims.priority],
    ['type', dims.type],
  ];
  for (const [dim, value] of single) {
    if (!hourly || HOURLY_DIMENSIONS.includes(dim)) out.push([dim, value ?? '']);
  }
  if (hourly) return out;
  const tags = [...new Set(dims.tags)];
  for (const tag of tags) out.push(['tag', tag]);
  // Organisations and fields have no team pairs: their values are many, and team+X pairs multiply rows.
  if (dims.organization !== undefined) out.push(['organization', dims.organization ?? '']);
  for (const [key, values] of Object.entries(dims.fields ?? {})) {
    for (const value of new Set(values)) out.push([`field:${key}`, value]);
  }
  const team = dims.team ?? '';
  for (const [dim, value] of single)
    if (dim !== 'team') out.push([`team+${dim}` as RollupDim, pairValue(team, value ?? '')]);
  for (const tag of tags) out.push(['team+tag', pairValue(team, tag)]);
  return out;
}

export const rollupKeyText = (k: RollupKey) => `${k.zone}|${k.bucket}|${k.metric}|${k.dim}|${k.value}`;

/**
 * Adds a subject's contribution (sign +1) or takes it back (−1) into `delta`, for the given day zones and (unless
 * `hourly` is false) the hourly rows.
 */
export function addContribution(
  delta: RollupDelta,
  report: SubjectReport,
  zones: readonly string[],
  sign: 1 | -1,
  hourly = true,
): void {
  const daily = dimValues(report.dims, false);
  const hourlyDims = dimValues(report.dims, true);
  // Agents' work and online time are kept by agent only: utilisation finds an agent's teams when it is asked.
  const byAgent: [RollupDim, string][] = [
    ['all', ''],
    ['agent', report.dims.agent ?? ''],
  ];
  for (const sample of report.samples) {
    const definition = metricOf(sample.m);
    const dims = definition.at === 'work' || definition.at === 'online' ? byAgent : daily;
    const bins = zones.map((zone) => ({ zone, bucket: dayStart(zone, sample.t), dims }));
    if (hourly && 'hourly' in definition && definition.hourly) {
      bins.push({ zone: HOURLY_ZONE, bucket: Math.floor(sample.t / HOUR) * HOUR, dims: hourlyDims });
    }
    const histogramBucket = definition.kind === 'duration' ? bucketOf(sample.v) : -1;
    for (const bin of bins) {
      for (const [dim, value] of bin.dims) {
        const key: RollupKey = { zone: bin.zone, bucket: bin.bucket, metric: sample.m, dim, value };
        const text = rollupKeyText(key);
        let entry = delta.get(text);
        if (!entry) {
          entry = { key, cell: { n: 0, total: 0, hist: null } };
          delta.set(text, entry);
        }
        entry.cell.n += sign;
        entry.cell.total += sign * sample.v;
        if (histogramBucket >= 0 && bin.zone !== HOURLY_ZONE) {
          entry.cell.hist ??= new Map();
          entry.cell.hist.set(histogramBucket, (entry.cell.hist.get(histogramBucket) ?? 0) + sign);
        }
      }
    }
  }
}

/**
 * The change to the rollups when subjects' reports go from `before` to `after` (either may be absent), counted
 * in the day zones `zones` (or a change's own).
 */
export function rollupDelta(
  changes: readonly {
    before: SubjectReport | null;
    after: SubjectReport | null;
    zones?: readonly string[];
  }[],
  zones: readonly string[] = [],
  hourly = true,
): RollupDelta {
  const delta: RollupDelta = new Map();
  for (const change of changes) {
    if (change.before) addContribution(delta, change.before, change.zones ?? zones, -1, hourly);
    if (change.after) addContribution(delta, change.after, change.zones ?? zones, 1, hourly);
  }
  for (const [text, { cell }] of delta) {
    if (cell.n === 0 && cell.total === 0 && [...(cell.hist?.values() ?? [])].every((c) => c === 0))
      delta.delete(text);
  }
  return delta;
}

// ---------------------------------------------------------------------------------------------------------------
// Reading

/** The start of the period (of `grain`, in `zone`) that holds the instant `t`. */
export function periodStart(grain: Grain, zone: string, t: number): number {
  if (grain === 'hour') return Math.floor(t / HOUR) * HOUR;
  const local = DateTime.fromMillis(t, { zone });
  const unit = { day: 'day', week: 'week', month: 'month', quarter: 'quarter' } as const;
  return local.startOf(unit[grain]).toMillis();
}

/** The period after the one starting at `start`. */
export function nextPeriod(grain: Grain, zone: string, start: number): number {
  if (grain === 'hour') return start + HOUR;
  const unit = {
    day: { days: 1 },
    week: { weeks: 1 },
    month: { months: 1 },
    quarter: { quarters: 1 },
  } as const;
  return DateTime.fromMillis(start, { zone }).plus(unit[grain]).toMillis();
}

/** A metric's statistic from the summed cells of a period; null when there is nothing to compute it from. */
export function statOf(metric: MetricKey, stat: Stat, cell: RollupCell): number | null {
  const definition = metricOf(metric);
  const scale = definition.kind === 'duration' ? 1 / 60 : 1; // durations are reported in minutes
  switch (stat) {
    case 'count':
      return cell.n;
    case 'sum':
      return cell.total * scale;
    case 'avg':
      return cell.n > 0 ? (cell.total / cell.n) * scale : null;
    case 'rate':
    case 'score':
      return cell.n > 0 ? (100 * cell.total) / cell.n : null;
    case 'median':
    case 'p90': {
      const value = histogramQuantile(cell.hist ?? [], stat === 'median' ? 0.5 : 0.9);
      return value === null ? null : value * scale;
    }
  }
}

/** Adds `cell` into `into` (n, total and histogram). */
export function addCell(into: RollupCell, cell: RollupCell): RollupCell {
  into.n += cell.n;
  into.total += cell.total;
  if (cell.hist) into.hist = addHistogram(into.hist ?? [], cell.hist);
  return into;
}
