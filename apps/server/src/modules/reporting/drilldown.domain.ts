/**
 * Which stored samples stand behind a number of a report, and how a ticket's samples read as one value. The
 * drill-down reads the same samples the rollups add up (`report_facts`), so the tickets listed are exactly the
 * ones counted.
 */
import { METRIC_BETTER, type MetricName } from '@keepdesk/contract';
import { DateTime } from 'luxon';
import { type Grain, type MetricKey, metricOf, nextPeriod } from './metrics.domain';

export interface DrilldownPlan {
  /** The subjects whose samples count: tickets, or survey invitations (listed by their ticket). */
  subject: 'ticket' | 'invitation';
  /** The sample metric read (derived metrics read their inputs). */
  metric: MetricKey;
  /** How a ticket's samples become one value. */
  value: 'worst' | 'count' | 'age';
  valueUnit: 'minutes' | 'boolean' | 'score' | 'count';
  /** Sorting `slowest` puts the lowest value first (a missed rate) or the highest (a long time). */
  worstFirst: 'low' | 'high' | null;
}

const INVITATION_METRICS: readonly MetricName[] = ['csat', 'nps', 'ces', 'survey_response_rate'];

/** How the drill-down of a metric reads the samples. */
export function drilldownPlan(metric: MetricName): DrilldownPlan {
  const subject = INVITATION_METRICS.includes(metric) ? 'invitation' : 'ticket';
  if (metric === 'backlog') {
    return { subject, metric: 'tickets_created', value: 'age', valueUnit: 'minutes', worstFirst: 'high' };
  }
  if (metric === 'tickets_per_agent') {
    return { subject, metric: 'tickets_solved', value: 'count', valueUnit: 'count', worstFirst: null };
  }
  const kind = metricOf(metric).kind;
  if (kind === 'count') return { subject, metric, value: 'count', valueUnit: 'count', worstFirst: null };
  const better = METRIC_BETTER[metric];
  return {
    subject,
    metric,
    value: 'worst',
    valueUnit:
      kind === 'duration' ? 'minutes' : kind === 'rate' ? 'boolean' : kind === 'score' ? 'score' : 'count',
    worstFirst: better === 'higher' ? 'low' : 'high',
  };
}

const PERIOD_FORMS: [RegExp, Grain][] = [
  [/^\d{4}-\d{2}-\d{2}T\d{2}$/, 'hour'],
  [/^\d{4}-\d{2}-\d{2}$/, 'day'],
  [/^\d{4}-W\d{2}$/, 'week'],
  [/^\d{4}-\d{2}$/, 'month'],
  [/^\d{4}-Q[1-4]$/, 'quarter'],
];

/**
 * The instants [start, end) of a period as a report names it (`2026-03-02T14`, `2026-03-02`, `2026-W10`,
 * `2026-03`, `2026-Q1`) in `zone`; null when the text names none.
 */
export function periodRange(label: string, zone: string): { start: number; end: number } | null {
  const form = PERIOD_FORMS.find(([pattern]) => pattern.test(label));
  if (!form) return null;
  const grain = form[1];
  const local =
    grain === 'quarter'
      ? DateTime.fromObject(
          { year: Number(label.slice(0, 4)), month: 3 * Number(label.slice(6)) - 2 },
          { zone },
        )
      : DateTime.fromISO(label, { zone });
  if (!local.isValid) return null;
  const start = local.toMillis();
  return { start, end: nextPeriod(grain, zone, start) };
}
