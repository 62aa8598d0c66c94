/**
 * Cohort retention matrices: accounts grouped by the month they were acquired, followed month by month. Rows
 * are cohorts, column k is k months after acquisition; cells after `asOf` are null, never 0.
 */
import { formatMonth } from './calendar';
import {
  fillMonthEndMrr,
  groupOrders,
  groupSubscriptions,
  MAX_MONTHS,
  type OrderEvent,
  RetentionInputError,
  readMonth,
  readMonthOrDate,
  type SubscriptionPeriod,
  unitsOf,
} from './input';

export interface CohortCell {
  /** Accounts of the cohort active in month cohort + k. */
  active: number;
  /** active ÷ cohort size. */
  retention: number;
  /**
   * Subscriptions: the cohort's MRR at the end of month cohort + k; orders: its order revenue in that month.
   */
  revenue: number;
  /** revenue(k) ÷ revenue(0); null when revenue(0) is 0. */
  revenueRetention: number | null;
}

export interface CohortRow {
  /** Acquisition month 'YYYY-MM'. */
  cohort: string;
  size: number;
  /** Columns 0…months; null after `asOf` and in empty cohorts. */
  cells: (CohortCell | null)[];
}

export interface CohortMatrix {
  asOf: string;
  /** The last column k. */
  months: number;
  rows: CohortRow[];
  /**
   * Per column, all cohorts with a cell there pooled: Σ active ÷ Σ size and Σ revenue(k) ÷ Σ revenue(0), so a
   * large cohort weighs more than a small one.
   */
  average: (CohortCell | null)[];
  /** Accounts that never were active and have no acquiredOn: in no cohort. */
  accountsWithoutCohort: number;
}

export interface CohortOptions {
  /** The last month filled in ('YYYY-MM'); later cells are null. */
  asOf: string;
  /** First cohort ('YYYY-MM'); by default the earliest acquisition month. */
  from?: string;
  /** Last cohort ('YYYY-MM', not after asOf); by default asOf. */
  to?: string;
  /** The last column k; by default asOf − from, so that the first cohort is filled to asOf. */
  months?: number;
  /** Acquisition month ('YYYY-MM' or a date) per account, instead of its first active month. */
  acquiredOn?: ReadonlyMap<string, string> | Readonly<Record<string, string>>;
}

interface CohortRange {
  asOf: number;
  from: number;
  to: number;
  months: number;
}

function readOverrides(acquiredOn: CohortOptions['acquiredOn']): Map<string, number> {
  const overrides = new Map<string, number>();
  if (acquiredOn === undefined) return overrides;
  const entries = acquiredOn instanceof Map ? [...acquiredOn] : Object.entries(acquiredOn);
  for (const [account, value] of entries) {
    overrides.set(account, readMonthOrDate(value, `acquiredOn[${JSON.stringify(account)}]`));
  }
  return overrides;
}

function earliestOf(months: Iterable<number>): number {
  let earliest = Number.POSITIVE_INFINITY;
  for (const month of months) if (month < earliest) earliest = month;
  return earliest;
}

/**
 * Reads the options once the earliest cohort is known (Infinity when there is none); null when nothing to
 * show.
 */
function readRange(options: CohortOptions, earliestCohort: number): CohortRange | null {
  const asOf = readMonth(options.asOf, 'asOf');
  const to = options.to === undefined ? asOf : readMonth(options.to, 'to');
  if (to > asOf) throw new RetentionInputError('to', `must not be after asOf (${options.asOf})`);
  if (options.from === undefined && !Number.isFinite(earliestCohort)) return null;
  const from = options.from === undefined ? Math.min(earliestCohort, to) : readMonth(options.from, 'from');
  if (from > to) throw new RetentionInputError('from', `must not be after to (${formatMonth(to)})`);
  if (to - from >= MAX_MONTHS) {
    throw new RetentionInputError('from', `must be less than ${MAX_MONTHS} months before to`);
  }
  const months = options.months ?? asOf - from;
  if (!Number.isInteger(months) || months < 0 || months >= MAX_MONTHS) {
    throw new RetentionInputError(
      'months',
      `must be a whole number from 0 to ${MAX_MONTHS - 1}, got ${String(months)}`,
    );
  }
  return { asOf, from, to, months };
}

/** Sums of active accounts and revenue cents per cohort row and column, turned into the matrix at the end. */
class CohortAccumulator {
  readonly sizes: Float64Array;
  readonly active: Float64Array;
  readonly cents: Float64Array;
  readonly width: number;

  constructor(readonly range: CohortRange) {
    this.width = range.months + 1;
    const rows = range.to - range.from + 1;
    this.sizes = new Float64Array(rows);
    this.active = new Float64Array(rows * this.width);
    this.cents = new Float64Array(rows * this.width);
  }

  /** Row index of a cohort, or −1 outside from…to. */
  rowOf(cohort: number): number {
    return cohort < this.range.from || cohort > this.range.to ? -1 : cohort - this.range.from;
  }

  /** The last column of a cohort that is not after asOf. */
  lastColumnOf(cohort: number): number {
    return Math.min(this.range.months, this.range.asOf - cohort);
  }

  /** One account active in a column, with its revenue there. */
  add(row: number, column: number, cents: number): void {
    const at = row * this.width + column;
    this.active[at]!++;
    this.cents[at]! += cents;
  }

  matrix(accountsWithoutCohort: number): CohortMatrix {
    const rows: CohortRow[] = [];
    const pooled = Array.from({ length: this.width }, () => ({ size: 0, active: 0, cents: 0, baseCents: 0 }));
    for (let row = 0; row < this.sizes.length; row++) {
      const cohort = this.range.from + row;
      const size = this.sizes[row]!;
      const lastColumn = this.lastColumnOf(cohort);
      const baseCents = this.cents[row * this.width]!;
      const cells: (CohortCell | null)[] = [];
      for (let column = 0; column < this.width; column++) {
        if (size === 0 || column > lastColumn) {
          cells.push(null);
          continue;
        }
        const active = this.active[row * this.width + column]!;
        const cents = this.cents[row * this.width + column]!;
        cells.push(cellOf(active, size, cents, baseCents));
        const sums = pooled[column]!;
        sums.size += size;
        sums.active += active;
        sums.cents += cents;
        sums.baseCents += baseCents;
      }
      rows.push({ cohort: formatMonth(cohort), size, cells });
    }
    return {
      asOf: formatMonth(this.range.asOf),
      months: this.range.months,
      rows,
      average: pooled.map((sums) =>
        sums.size === 0 ? null : cellOf(sums.active, sums.size, sums.cents, sums.baseCents),
      ),
      accountsWithoutCohort,
    };
  }
}

function cellOf(active: number, size: number, cents: number, baseCents: number): CohortCell {
  return {
    active,
    retention: active / size,
    revenue: unitsOf(cents),
    revenueRetention: baseCents === 0 ? null : cents / baseCents,
  };
}

/**
 * Subscription cohorts: an account's cohort is the first month at whose end it had MRR > 0 (or its
 * acquiredOn); it is active in month cohort + k when its MRR at that month's end is > 0, and revenue is that
 * MRR.
 */
export function cohortRetention(
  periods: readonly SubscriptionPeriod[],
  options: CohortOptions,
): CohortMatrix {
  const groups = groupSubscriptions(periods);
  const overrides = readOverrides(options.acquiredOn);
  const cohortOf = new Map<string, number>(overrides);
  let accountsWithoutCohort = 0;
  for (const group of groups) {
    if (cohortOf.has(group.account)) continue;
    if (Number.isFinite(group.firstPaidMonth)) cohortOf.set(group.account, group.firstPaidMonth);
    else accountsWithoutCohort++;
  }
  const range = readRange(options, earliestOf(cohortOf.values()));
  if (!range) return emptyMatrix(options.asOf, accountsWithoutCohort);
  const cohorts = new CohortAccumulator(range);
  const series = new Float64Array(range.months + 2);
  const subscriptionsOf = new Map(groups.map((group) => [group.account, group.subscriptions]));
  for (const [account, cohort] of cohortOf) {
    const row = cohorts.rowOf(cohort);
    if (row < 0) continue;
    cohorts.sizes[row]!++;
    const lastColumn = cohorts.lastColumnOf(cohort);
    fillMonthEndMrr(subscriptionsOf.get(account) ?? [], cohort, cohort + lastColumn, series);
    for (let column = 0; column <= lastColumn; column++) {
      const cents = series[column]!;
      if (cents > 0) cohorts.add(row, column, cents);
    }
  }
  return cohorts.matrix(accountsWithoutCohort);
}

/**
 * Order cohorts, for shops without subscriptions: an account's cohort is the month of its first order (or its
 * acquiredOn); it is active in month cohort + k when it ordered in that month, and revenue is what it ordered
 * then.
 */
export function orderCohortRetention(orders: readonly OrderEvent[], options: CohortOptions): CohortMatrix {
  const ordersOf = groupOrders(orders);
  const cohortOf = readOverrides(options.acquiredOn);
  for (const [account, list] of ordersOf) {
    if (!cohortOf.has(account)) cohortOf.set(account, earliestOf(list.map((order) => order.month)));
  }
  const range = readRange(options, earliestOf(cohortOf.values()));
  if (!range) return emptyMatrix(options.asOf, 0);
  const cohorts = new CohortAccumulator(range);
  for (const [account, cohort] of cohortOf) {
    const row = cohorts.rowOf(cohort);
    if (row < 0) continue;
    cohorts.sizes[row]!++;
    const lastColumn = cohorts.lastColumnOf(cohort);
    const centsByColumn = new Map<number, number>();
    for (const order of ordersOf.get(account) ?? []) {
      const column = order.month - cohort;
      if (column >= 0 && column <= lastColumn) {
        centsByColumn.set(column, (centsByColumn.get(column) ?? 0) + order.cents);
      }
    }
    for (const [column, cents] of centsByColumn) cohorts.add(row, column, cents);
  }
  return cohorts.matrix(0);
}

function emptyMatrix(asOf: string, accountsWithoutCohort: number): CohortMatrix {
  return { asOf, months: 0, rows: [], average: [], accountsWithoutCohort };
}
