/**
 * Reporting targets: where a metric stands against its threshold in the current period and where it will end
 * (docs/metrics.md "Targets", ADR 0029). Pure: the caller brings the value so far and `now`.
 */
import {
  type ReportTargetComparison,
  type ReportTargetPeriod,
  type ReportTargetStatus,
  reportUnit,
} from '@keepdesk/contract';
import { type MetricKey, metricOf, nextPeriod, periodStart, type Stat } from './metrics.domain';

const DAY = 86_400_000;
/**
 * A forecast within 5 % of the threshold (on the good side) is at risk; for scores (−100…100, where a threshold
 * may be 0 or negative) 5 % of the scale: 5 points.
 */
const AT_RISK_MARGIN = 0.05;
/** Rates, averages, medians and scores need this many samples in the period before they are judged. */
export const MIN_SAMPLES = 5;

/**
 * How a value moves through a period: `accumulate` grows with every sample (counts, sums, solves per agent) and
 * is extrapolated at its run rate; `level` (rates, averages, percentiles, scores) is forecast as the value so
 * far; `snapshot` (the backlog) is the state at this moment.
 */
export type ForecastMethod = 'accumulate' | 'level' | 'snapshot';

export function forecastMethodOf(metric: MetricKey, stat: Stat): ForecastMethod {
  if (metric === 'backlog') return 'snapshot';
  if (metric === 'tickets_per_agent' || stat === 'count' || stat === 'sum') return 'accumulate';
  return 'level';
}

export type TargetUnit = 'tickets' | 'minutes' | 'percent' | 'score' | 'number';

/** The unit a threshold is given in: the unit the metric query answers in. */
export function targetUnitOf(metric: MetricKey, stat: Stat): TargetUnit {
  return reportUnit(metric, metricOf(metric).kind, stat);
}

/**
 * What is wrong with a threshold for this metric and statistic, or null: a score lies in −100…100, a percent in
 * 0…100, counts, times and other numbers are never negative.
 */
export function thresholdProblem(metric: MetricKey, stat: Stat, threshold: number): string | null {
  if (!Number.isFinite(threshold)) return 'must be a number';
  const unit = targetUnitOf(metric, stat);
  if (unit === 'score') return threshold < -100 || threshold > 100 ? 'a score lies from -100 to 100' : null;
  if (unit === 'percent') return threshold < 0 || threshold > 100 ? 'a percent lies from 0 to 100' : null;
  return threshold < 0 ? 'must not be negative' : null;
}

/** How far a forecast must clear the threshold to be on track rather than at risk. */
function marginOf(unit: TargetUnit, threshold: number): number {
  return AT_RISK_MARGIN * (unit === 'score' ? 100 : Math.abs(threshold));
}

/** The calendar period (in `zone`) holding the instant `now`. */
export function periodBounds(
  period: ReportTargetPeriod,
  zone: string,
  now: number,
): { start: number; end: number } {
  const start = periodStart(period, zone, now);
  return { start, end: nextPeriod(period, zone, start) };
}

export interface TargetInput {
  comparison: ReportTargetComparison;
  threshold: number;
  method: ForecastMethod;
  /** The threshold's unit (`targetUnitOf`): sets the at-risk margin. */
  unit: TargetUnit;
  /** The period (epoch ms, end exclusive). */
  start: number;
  end: number;
  now: number;
  /** The value of the period so far (the whole period once it is over); null when there is nothing. */
  value: number | null;
  samples: number;
}

export interface TargetEvaluation {
  /** Whether the value so far satisfies the comparison; null without a value. */
  met: boolean | null;
  /** value ÷ threshold, for a progress bar; null without a value or with a zero threshold. */
  ratio: number | null;
  /** Share of the period passed, 0–1. */
  elapsed: number;
  forecast: number | null;
  status: ReportTargetStatus;
}

const round = (value: number) => Math.round(value * 100) / 100;

export function evaluateTarget(input: TargetInput): TargetEvaluation {
  const { comparison, threshold, method, start, end, now, value, samples } = input;
  const margin = marginOf(input.unit, threshold);
  const meets = (x: number) => (comparison === 'at_least' ? x >= threshold : x <= threshold);
  const elapsed = Math.min(1, Math.max(0, (now - start) / (end - start)));
  const met = value === null ? null : meets(value);
  const ratio = value === null || threshold === 0 ? null : round(value / threshold);
  const result = (forecast: number | null, status: ReportTargetStatus): TargetEvaluation => ({
    met,
    ratio,
    elapsed: Math.round(elapsed * 10_000) / 10_000,
    forecast: forecast === null ? null : round(forecast),
    status,
  });

  if (now >= end) {
    if (value === null) return result(null, 'no_data');
    return result(value, meets(value) ? 'met' : 'missed');
  }
  // Nothing read (a count with no samples reads 0, not null): nothing to judge, and nothing to alert on.
  if (value === null) return result(null, 'no_data');
  if (method === 'accumulate') {
    const sum = value;
    const elapsedDays = (now - start) / DAY;
    // The rate counts at least one day, so the first hours of a period do not project a handful to thousands.
    const forecast = sum + (sum / Math.max(1, elapsedDays)) * ((end - now) / DAY);
    // New samples only add: an at-least count once reached stays met, an at-most count once over stays over.
    if (comparison === 'at_least' && sum >= threshold) return result(forecast, 'met');
    if (comparison === 'at_most' && sum > threshold) return result(forecast, 'off_track');
    if (elapsedDays < 1) return result(forecast, 'no_data');
    return result(forecast, statusOf(comparison, threshold, margin, forecast));
  }
  if (method === 'level' && samples < MIN_SAMPLES) return result(value, 'no_data');
  return result(value, statusOf(comparison, threshold, margin, value));
}

function statusOf(
  comparison: ReportTargetComparison,
  threshold: number,
  margin: number,
  forecast: number,
): 'on_track' | 'at_risk' | 'off_track' {
  if (comparison === 'at_least') {
    if (forecast < threshold) return 'off_track';
    return forecast < threshold + margin ? 'at_risk' : 'on_track';
  }
  if (forecast > threshold) return 'off_track';
  return forecast > threshold - margin ? 'at_risk' : 'on_track';
}

/**
 * What the off-track check does with a target's status, given whether an alert of this period is open (sent and
 * not yet recovered). Hysteresis: an open alert recovers only when the target is back on track by the at-risk
 * margin (`on_track` or `met`); `at_risk` and `no_data` leave it open, so a value hovering around the threshold
 * alerts once.
 */
export function alertStep(status: ReportTargetStatus, open: boolean): 'alert' | 'recover' | 'keep' {
  if (status === 'off_track') return open ? 'keep' : 'alert';
  if (status === 'on_track' || status === 'met') return open ? 'recover' : 'keep';
  return 'keep';
}
