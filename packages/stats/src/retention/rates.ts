/** Churn and retention rates per month or quarter, from the MRR movements between period-end snapshots. */
import { formatMonth, formatQuarter, quarterStartOf } from './calendar';
import { groupSubscriptions, RetentionInputError, readMonthRange, type SubscriptionPeriod } from './input';
import { type MrrMovementPeriod, movementsBetweenSnapshots, type SnapshotPeriod } from './movements';

export interface RetentionRates {
  /** churned ÷ starting customers. */
  customerChurnRate: number | null;
  /** (ending − new − reactivated) ÷ starting customers: the share of the starting customers still paying. */
  customerRetentionRate: number | null;
  /** (churned MRR + contraction) ÷ starting MRR. */
  grossRevenueChurnRate: number | null;
  /** GRR: 1 − gross revenue churn rate. */
  grossRevenueRetention: number | null;
  /** NRR: (starting + expansion − contraction − churned) ÷ starting MRR; reactivations are new business. */
  netRevenueRetention: number | null;
}

export interface RetentionPeriod extends MrrMovementPeriod, RetentionRates {
  /** False for a last quarter cut short at `to` (quarter to date); always true for months. */
  isComplete: boolean;
}

export interface RetentionRatesOptions {
  /** First month ('YYYY-MM'); quarters start with the quarter this month falls in. */
  from: string;
  /** Last month ('YYYY-MM'); a quarter that ends later is measured up to the end of this month. */
  to: string;
  period: 'month' | 'quarter';
  /** List the accounts behind each movement (default); false leaves `accounts` empty and is faster. */
  listAccounts?: boolean;
}

function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

/** The rates of one period's movements; null (not NaN) where the starting customers or MRR are 0. */
export function ratesOf(movement: MrrMovementPeriod): RetentionRates {
  const { customers } = movement;
  // Work in cents so that GRR and NRR are exact ratios of whole numbers.
  const starting = Math.round(movement.startingMrr * 100);
  const expansion = Math.round(movement.expansion * 100);
  const contraction = Math.round(movement.contraction * 100);
  const churned = Math.round(movement.churned * 100);
  return {
    customerChurnRate: ratio(customers.churned, customers.starting),
    customerRetentionRate: ratio(
      customers.ending - customers.new - customers.reactivated,
      customers.starting,
    ),
    grossRevenueChurnRate: ratio(churned + contraction, starting),
    grossRevenueRetention: ratio(starting - churned - contraction, starting),
    netRevenueRetention: ratio(starting + expansion - contraction - churned, starting),
  };
}

function snapshotPeriods(from: number, to: number, period: 'month' | 'quarter'): SnapshotPeriod[] {
  const periods: SnapshotPeriod[] = [];
  if (period === 'month') {
    for (let month = from; month <= to; month++) {
      periods.push({ label: formatMonth(month), startMonth: month - 1, endMonth: month });
    }
    return periods;
  }
  for (let start = quarterStartOf(from); start <= to; start += 3) {
    periods.push({ label: formatQuarter(start), startMonth: start - 1, endMonth: Math.min(start + 2, to) });
  }
  return periods;
}

/**
 * Customer and revenue churn and retention per month or quarter from `from` to `to`. A quarter compares the
 * snapshots at the ends of consecutive quarters, so an account that left and came back within it did not
 * churn.
 */
export function retentionRates(
  periods: readonly SubscriptionPeriod[],
  options: RetentionRatesOptions,
): RetentionPeriod[] {
  const { from, to } = readMonthRange(options);
  if (options.period !== 'month' && options.period !== 'quarter') {
    throw new RetentionInputError('period', `must be month or quarter, got ${String(options.period)}`);
  }
  const snapshots = snapshotPeriods(from, to, options.period);
  const movements = movementsBetweenSnapshots(
    groupSubscriptions(periods),
    snapshots,
    options.listAccounts ?? true,
  );
  return movements.map((movement, i) => ({
    ...movement,
    ...ratesOf(movement),
    isComplete: snapshots[i]!.endMonth - snapshots[i]!.startMonth === (options.period === 'month' ? 1 : 3),
  }));
}
