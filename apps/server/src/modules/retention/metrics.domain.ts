/**
 * Pure parts of the retention metrics API and reports: month ranges and their defaults, the API's shape of the
 * packages/stats results, and churn by segment (plan and account attributes). Definitions: docs/metrics.md.
 */
import type {
  CancelReasonCount,
  RetentionCohortCell,
  RetentionMetricsPeriod,
  RetentionPeriodKind,
} from '@keepdesk/contract';
import {
  type CohortCell,
  type CohortMatrix,
  RetentionInputError,
  type RetentionPeriod,
  type SubscriptionPeriod,
} from '@keepdesk/stats';

/** The longest range the API and the reports read: ten years of months. */
export const MAX_RANGE_MONTHS = 120;

/** A subscription period as it is read from the table, with its plan. */
export interface PlanPeriod extends SubscriptionPeriod {
  plan: string;
}

/** year × 12 + month − 1 of 'YYYY-MM', so that consecutive months are consecutive numbers. */
export function monthIndexOf(month: string): number {
  return Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
}

export function monthOfIndex(index: number): string {
  const year = Math.floor(index / 12);
  return `${String(year).padStart(4, '0')}-${String(index - year * 12 + 1).padStart(2, '0')}`;
}

export function shiftMonth(month: string, by: number): string {
  return monthOfIndex(monthIndexOf(month) + by);
}

/** The month of a moment in UTC: retention counts calendar days without time zones. */
export function monthOfMoment(at: Date): string {
  return at.toISOString().slice(0, 7);
}

/** The first month of the quarter a month falls in. */
export function quarterStartOf(month: string): string {
  const index = monthIndexOf(month);
  return monthOfIndex(index - (index % 3));
}

/** 'YYYY-Qn' of a month. */
export function quarterOf(month: string): string {
  return `${month.slice(0, 4)}-Q${Math.floor((Number(month.slice(5, 7)) - 1) / 3) + 1}`;
}

/** The first and last month of a quarter 'YYYY-Qn'. */
export function monthsOfQuarter(quarter: string): { from: string; to: string } {
  const from = monthOfIndex(Number(quarter.slice(0, 4)) * 12 + (Number(quarter.slice(6)) - 1) * 3);
  return { from, to: shiftMonth(from, 2) };
}

/** The last complete month, or the last month of the last complete quarter, before `now`. */
export function lastCompleteMonth(period: RetentionPeriodKind, now: Date): string {
  const current = monthOfMoment(now);
  return shiftMonth(period === 'quarter' ? quarterStartOf(current) : current, -1);
}

/**
 * The months asked for, with defaults: `to` by default the last complete month (or quarter), `from` as
 * `defaultFrom(to)` says. Refuses, naming the field, a `to` after the current month, `from` after `to` and a
 * range longer than MAX_RANGE_MONTHS.
 */
export function resolveMonths(
  asked: { from?: string; to?: string; period: RetentionPeriodKind },
  now: Date,
  defaultFrom: (to: string) => string,
): { from: string; to: string } {
  const current = monthOfMoment(now);
  const to = asked.to ?? lastCompleteMonth(asked.period, now);
  if (to > current) throw new RetentionInputError('to', `must not be after the current month (${current})`);
  const from = asked.from ?? defaultFrom(to);
  if (from > to) throw new RetentionInputError('from', `must not be after to (${to})`);
  if (monthIndexOf(to) - monthIndexOf(from) >= MAX_RANGE_MONTHS) {
    throw new RetentionInputError('from', `must be less than ${MAX_RANGE_MONTHS} months before to (${to})`);
  }
  return { from, to };
}

/** The API's shape of one period of `retentionRates`. */
export function presentPeriod(period: RetentionPeriod): RetentionMetricsPeriod {
  return {
    period: period.period,
    startSnapshot: period.startSnapshot,
    endSnapshot: period.endSnapshot,
    isComplete: period.isComplete,
    mrr: {
      starting: period.startingMrr,
      new: period.new,
      expansion: period.expansion,
      reactivation: period.reactivation,
      contraction: period.contraction,
      churned: period.churned,
      ending: period.endingMrr,
    },
    customers: { ...period.customers },
    customerChurnRate: period.customerChurnRate,
    customerRetentionRate: period.customerRetentionRate,
    grossRevenueChurnRate: period.grossRevenueChurnRate,
    grossRevenueRetention: period.grossRevenueRetention,
    netRevenueRetention: period.netRevenueRetention,
    churnReasons: period.churnReasons.map((reason) => ({ ...reason })),
  };
}

const cents = (amount: number) => Math.round(amount * 100);

/** The cancel reasons of several periods added up (in cents), most accounts first, then most MRR. */
export function sumReasons(lists: readonly (readonly CancelReasonCount[])[]): CancelReasonCount[] {
  const sums = new Map<string | null, { accounts: number; cents: number }>();
  for (const list of lists) {
    for (const { reason, accounts, mrr } of list) {
      const sum = sums.get(reason) ?? { accounts: 0, cents: 0 };
      sum.accounts += accounts;
      sum.cents += cents(mrr);
      sums.set(reason, sum);
    }
  }
  return [...sums]
    .map(([reason, sum]) => ({ reason, accounts: sum.accounts, mrr: sum.cents / 100 }))
    .sort(
      (a, b) =>
        b.accounts - a.accounts ||
        b.mrr - a.mrr ||
        (a.reason === null ? 1 : b.reason === null ? -1 : a.reason.localeCompare(b.reason)),
    );
}

/** A cohort cell as the API shows it: the share of the measure asked for, with the counts behind it. */
export function presentCohortCell(
  cell: CohortCell | null,
  measure: 'customers' | 'revenue',
): RetentionCohortCell | null {
  if (cell === null) return null;
  return {
    value: measure === 'customers' ? cell.retention : cell.revenueRetention,
    active: cell.active,
    revenue: cell.revenue,
  };
}

/** The cohort matrix with only the rows and columns a report shows: at most `columns` months since. */
export function cohortColumns(matrix: CohortMatrix, columns: number): CohortMatrix {
  const keep = Math.min(columns, matrix.months) + 1;
  return {
    ...matrix,
    months: keep - 1,
    rows: matrix.rows.map((row) => ({ ...row, cells: row.cells.slice(0, keep) })),
    average: matrix.average.slice(0, keep),
  };
}

/** Active at the end of `day` ('YYYY-MM-DD'): started by then and not ended by then (docs/metrics.md). */
function isActiveAt(period: SubscriptionPeriod, day: string): boolean {
  return period.startedOn <= day && (period.endedOn === null || period.endedOn > day);
}

/** Each account's plan at the end of `day`: the paid subscription active then with the highest MRR. */
export function plansAt(periods: readonly PlanPeriod[], day: string): Map<string, string> {
  const best = new Map<string, { plan: string; mrr: number }>();
  for (const period of periods) {
    if (period.mrr <= 0 || !isActiveAt(period, day)) continue;
    const chosen = best.get(period.account);
    if (!chosen || period.mrr > chosen.mrr) best.set(period.account, { plan: period.plan, mrr: period.mrr });
  }
  return new Map([...best].map(([account, { plan }]) => [account, plan]));
}

/** One period's paying accounts at its start, with their MRR and plan then, and which of them churned. */
export interface SegmentPeriod {
  starting: readonly { account: string; mrr: number }[];
  plans: ReadonlyMap<string, string>;
  churned: ReadonlySet<string>;
}

export interface SegmentChurn {
  /** 'plan' or the name of an account attribute. */
  dimension: string;
  value: string;
  /** Paying accounts at the starts of the periods (an account counts once per period). */
  starting: number;
  churned: number;
  /** churned ÷ starting; null when none started. */
  churnRate: number | null;
  startingMrr: number;
  churnedMrr: number;
}

/** An attribute is a segment when it takes at most this many values among the paying accounts. */
export const MAX_SEGMENT_VALUES = 8;
/** The value of an account without the attribute, or without a plan. */
export const NO_VALUE = '(none)';

function segmentValueOf(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return NO_VALUE;
  if (typeof value === 'string') return value.length <= 100 ? value : undefined;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined; // lists and objects are no segment
}

/**
 * The attributes that split the paying accounts into 2 to MAX_SEGMENT_VALUES groups of plain values (text,
 * number, yes/no), sorted by name; the rest (ids, counts, lists) say nothing as segments.
 */
export function segmentAttributes(
  accounts: Iterable<string>,
  attributesOf: ReadonlyMap<string, Readonly<Record<string, unknown>>>,
): string[] {
  const seen = [...accounts];
  const keys = new Set<string>();
  for (const account of seen) for (const key of Object.keys(attributesOf.get(account) ?? {})) keys.add(key);
  const chosen: string[] = [];
  for (const key of keys) {
    const values = new Set<string>();
    let plain = true;
    for (const account of seen) {
      const value = segmentValueOf(attributesOf.get(account)?.[key]);
      if (value === undefined) {
        plain = false;
        break;
      }
      values.add(value);
      if (values.size > MAX_SEGMENT_VALUES) break;
    }
    if (plain && values.size >= 2 && values.size <= MAX_SEGMENT_VALUES) chosen.push(key);
  }
  return chosen.sort((a, b) => a.localeCompare(b));
}

/**
 * Churn by plan and by each attribute of `segmentAttributes`: per segment value, the paying accounts at the
 * start of each period and how many of them churned in it, pooled over the periods. A segment is the account's
 * plan or attribute at the start; attributes are as they are now. Sorted by dimension (plan first), then by
 * churned MRR.
 */
export function churnBySegment(
  periods: readonly SegmentPeriod[],
  attributesOf: ReadonlyMap<string, Readonly<Record<string, unknown>>>,
): SegmentChurn[] {
  const paying = new Set<string>();
  for (const period of periods) for (const { account } of period.starting) paying.add(account);
  const attributes = segmentAttributes(paying, attributesOf);
  const sums = new Map<
    string,
    {
      dimension: string;
      value: string;
      starting: number;
      churned: number;
      startingCents: number;
      churnedCents: number;
    }
  >();
  const add = (dimension: string, value: string, mrrCents: number, churned: boolean) => {
    const key = `${dimension}\u0000${value}`;
    let sum = sums.get(key);
    if (!sum) {
      sum = { dimension, value, starting: 0, churned: 0, startingCents: 0, churnedCents: 0 };
      sums.set(key, sum);
    }
    sum.starting++;
    sum.startingCents += mrrCents;
    if (churned) {
      sum.churned++;
      sum.churnedCents += mrrCents;
    }
  };
  for (const period of periods) {
    for (const { account, mrr } of period.starting) {
      const churned = period.churned.has(account);
      const mrrCents = cents(mrr);
      add('plan', period.plans.get(account) ?? NO_VALUE, mrrCents, churned);
      const own = attributesOf.get(account) ?? {};
      for (const key of attributes) add(key, segmentValueOf(own[key]) ?? NO_VALUE, mrrCents, churned);
    }
  }
  const order = new Map(['plan', ...attributes].map((dimension, index) => [dimension, index]));
  return [...sums.values()]
    .map((sum) => ({
      dimension: sum.dimension,
      value: sum.value,
      starting: sum.starting,
      churned: sum.churned,
      churnRate: sum.starting === 0 ? null : sum.churned / sum.starting,
      startingMrr: sum.startingCents / 100,
      churnedMrr: sum.churnedCents / 100,
    }))
    .sort(
      (a, b) =>
        order.get(a.dimension)! - order.get(b.dimension)! ||
        b.churnedMrr - a.churnedMrr ||
        b.churned - a.churned ||
        a.value.localeCompare(b.value),
    );
}
