/**
 * MRR movements between two month-end snapshots: per account, MRR at the earlier end compared with MRR at the
 * later one. Definitions in docs/metrics.md ("Retention").
 */
import { formatLastDayOf, formatMonth, lastDayOf } from './calendar';
import {
  type AccountSubscriptions,
  fillMonthEndMrr,
  groupSubscriptions,
  readMonthRange,
  type Subscription,
  type SubscriptionPeriod,
  unitsOf,
} from './input';

/** One account's MRR at the start and at the end of a period. */
export interface AccountMove {
  account: string;
  before: number;
  after: number;
}

export interface ChurnedAccount extends AccountMove {
  /** The cancel reason of the subscription that ended last in the period; null if none was given. */
  reason: string | null;
}

export interface ChurnReasonCount {
  reason: string | null;
  /** Churned accounts with this reason. */
  accounts: number;
  /** Their MRR at the start of the period. */
  mrr: number;
}

export interface CustomerCounts {
  /** Accounts with MRR > 0 at the start. */
  starting: number;
  new: number;
  reactivated: number;
  churned: number;
  /** starting + new + reactivated − churned. */
  ending: number;
}

/**
 * One period's movements, all amounts ≥ 0 and whole cents:
 * startingMrr + new + expansion + reactivation − contraction − churned = endingMrr.
 */
export interface MrrMovementPeriod {
  /** 'YYYY-MM' or 'YYYY-Qn'. */
  period: string;
  /** The day of the starting snapshot: the last day of the month before the period. */
  startSnapshot: string;
  /** The day of the ending snapshot: the last day of the period's last month. */
  endSnapshot: string;
  startingMrr: number;
  new: number;
  expansion: number;
  contraction: number;
  churned: number;
  reactivation: number;
  endingMrr: number;
  customers: CustomerCounts;
  /** The accounts behind each movement, largest change first; empty with `listAccounts: false`. */
  accounts: {
    new: AccountMove[];
    expansion: AccountMove[];
    contraction: AccountMove[];
    churned: ChurnedAccount[];
    reactivation: AccountMove[];
  };
  /** Churned accounts by cancel reason, most frequent first. */
  churnReasons: ChurnReasonCount[];
}

export interface SnapshotPeriod {
  label: string;
  /** Month of the starting snapshot (the month before the period). */
  startMonth: number;
  /** Month of the ending snapshot. */
  endMonth: number;
}

type Movement = 'new' | 'expansion' | 'contraction' | 'churned' | 'reactivation';

/** Sums of one period in whole cents, so that the identity holds exactly; lists only when asked for. */
class PeriodTotals {
  starting = 0;
  ending = 0;
  startingCents = 0;
  endingCents = 0;
  readonly counts = { new: 0, expansion: 0, contraction: 0, churned: 0, reactivation: 0 };
  readonly cents = { new: 0, expansion: 0, contraction: 0, churned: 0, reactivation: 0 };
  readonly reasons = new Map<string | null, { accounts: number; cents: number }>();
  readonly moves: MrrMovementPeriod['accounts'] | null;
  /** Last days of the starting and ending snapshot months. */
  readonly afterDay: number;
  readonly byDay: number;

  constructor(
    readonly period: SnapshotPeriod,
    listAccounts: boolean,
  ) {
    this.afterDay = lastDayOf(period.startMonth);
    this.byDay = lastDayOf(period.endMonth);
    this.moves = listAccounts ? noAccounts() : null;
  }

  /** `move` is a ChurnedAccount when `kind` is churned; null when accounts are not listed. */
  add(kind: Movement, cents: number, move: AccountMove | null): void {
    this.counts[kind]++;
    this.cents[kind] += cents;
    if (move) (this.moves![kind] as AccountMove[]).push(move);
  }
}

/**
 * The cancel reason of a churned account: of its paid subscriptions that ended after `afterDay` and by
 * `byDay`, the one that ended last (a plan change before the cancellation ends a period without a reason); on
 * the same day a given reason before none, then the higher MRR.
 */
function churnReasonOf(
  subscriptions: readonly Subscription[],
  afterDay: number,
  byDay: number,
): string | null {
  let chosen: Subscription | undefined;
  for (const subscription of subscriptions) {
    if (subscription.cents === 0 || subscription.endDay <= afterDay || subscription.endDay > byDay) continue;
    if (!chosen || isLaterCancellation(subscription, chosen)) chosen = subscription;
  }
  return chosen?.cancelReason ?? null;
}

function isLaterCancellation(candidate: Subscription, chosen: Subscription): boolean {
  if (candidate.endDay !== chosen.endDay) return candidate.endDay > chosen.endDay;
  if ((candidate.cancelReason === null) !== (chosen.cancelReason === null))
    return chosen.cancelReason === null;
  return candidate.cents > chosen.cents;
}

function addAccount(totals: PeriodTotals, group: AccountSubscriptions, before: number, after: number): void {
  if (before > 0) {
    totals.starting++;
    totals.startingCents += before;
  }
  if (after > 0) {
    totals.ending++;
    totals.endingCents += after;
  }
  if (before === after) return;
  const move = totals.moves
    ? { account: group.account, before: unitsOf(before), after: unitsOf(after) }
    : null;
  if (before === 0) {
    totals.add(group.firstPaidMonth > totals.period.startMonth ? 'new' : 'reactivation', after, move);
  } else if (after === 0) {
    const reason = churnReasonOf(group.subscriptions, totals.afterDay, totals.byDay);
    const counted = totals.reasons.get(reason);
    if (counted) {
      counted.accounts++;
      counted.cents += before;
    } else {
      totals.reasons.set(reason, { accounts: 1, cents: before });
    }
    const churned: ChurnedAccount | null = move && { ...move, reason };
    totals.add('churned', before, churned);
  } else if (after > before) {
    totals.add('expansion', after - before, move);
  } else {
    totals.add('contraction', before - after, move);
  }
}

function byLargestChange(left: AccountMove, right: AccountMove): number {
  const difference = Math.abs(right.after - right.before) - Math.abs(left.after - left.before);
  if (difference !== 0) return difference;
  return left.account < right.account ? -1 : left.account > right.account ? 1 : 0;
}

function churnReasonsOf(reasons: PeriodTotals['reasons']): ChurnReasonCount[] {
  return [...reasons]
    .map(([reason, { accounts, cents }]) => ({ reason, accounts, mrr: unitsOf(cents) }))
    .sort(
      (left, right) =>
        right.accounts - left.accounts ||
        right.mrr - left.mrr ||
        (left.reason === null ? 1 : right.reason === null ? -1 : left.reason < right.reason ? -1 : 1),
    );
}

function noAccounts(): MrrMovementPeriod['accounts'] {
  return { new: [], expansion: [], contraction: [], churned: [], reactivation: [] };
}

function presentPeriod(totals: PeriodTotals): MrrMovementPeriod {
  const { period, moves, counts, cents } = totals;
  if (moves) for (const list of Object.values(moves)) list.sort(byLargestChange);
  return {
    period: period.label,
    startSnapshot: formatLastDayOf(period.startMonth),
    endSnapshot: formatLastDayOf(period.endMonth),
    startingMrr: unitsOf(totals.startingCents),
    new: unitsOf(cents.new),
    expansion: unitsOf(cents.expansion),
    contraction: unitsOf(cents.contraction),
    churned: unitsOf(cents.churned),
    reactivation: unitsOf(cents.reactivation),
    endingMrr: unitsOf(totals.endingCents),
    customers: {
      starting: totals.starting,
      new: counts.new,
      reactivated: counts.reactivation,
      churned: counts.churned,
      ending: totals.ending,
    },
    accounts: moves ?? noAccounts(),
    churnReasons: churnReasonsOf(totals.reasons),
  };
}

/**
 * Movements for consecutive periods, each from one month-end snapshot to a later one. One pass per account
 * over its subscriptions and the months covered: O(subscriptions + accounts × months).
 */
export function movementsBetweenSnapshots(
  groups: readonly AccountSubscriptions[],
  periods: readonly SnapshotPeriod[],
  listAccounts: boolean,
): MrrMovementPeriod[] {
  if (periods.length === 0) return [];
  const first = periods[0]!.startMonth;
  const last = periods[periods.length - 1]!.endMonth;
  const series = new Float64Array(last - first + 2);
  const totals = periods.map((period) => new PeriodTotals(period, listAccounts));
  for (const group of groups) {
    if (group.firstPaidMonth > last) continue;
    fillMonthEndMrr(group.subscriptions, first, last, series);
    for (let i = 0; i < periods.length; i++) {
      const period = periods[i]!;
      const before = series[period.startMonth - first]!;
      const after = series[period.endMonth - first]!;
      if (before > 0 || after > 0) addAccount(totals[i]!, group, before, after);
    }
  }
  return totals.map(presentPeriod);
}

export interface MovementOptions {
  /** First month, 'YYYY-MM'. */
  from: string;
  /** Last month, 'YYYY-MM'. */
  to: string;
  /** List the accounts behind each movement (default); false leaves `accounts` empty and is faster. */
  listAccounts?: boolean;
}

/**
 * MRR movements of every month from `from` to `to` ('YYYY-MM'), between the end of the month before and the
 * end of the month. An account going from 0 to MRR > 0 is new if it never had MRR > 0 at an earlier month
 * end, else reactivated; from MRR > 0 to 0 it churned; otherwise it expanded or contracted.
 */
export function mrrMovements(
  periods: readonly SubscriptionPeriod[],
  options: MovementOptions,
): MrrMovementPeriod[] {
  const { from, to } = readMonthRange(options);
  const months: SnapshotPeriod[] = [];
  for (let month = from; month <= to; month++) {
    months.push({ label: formatMonth(month), startMonth: month - 1, endMonth: month });
  }
  return movementsBetweenSnapshots(groupSubscriptions(periods), months, options.listAccounts ?? true);
}
