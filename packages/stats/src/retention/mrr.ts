/** MRR at a day and at month ends: the snapshots every other retention metric compares. */
import { formatLastDayOf, formatMonth } from './calendar';
import {
  fillMonthEndMrr,
  groupSubscriptions,
  readDay,
  readMonthRange,
  type SubscriptionPeriod,
  unitsOf,
} from './input';

export interface AccountMrr {
  account: string;
  mrr: number;
}

/**
 * The paying accounts at the end of `date` ('YYYY-MM-DD') and their MRR: the sum of the mrr of their
 * subscriptions with startedOn ≤ date and endedOn null or after date. Accounts with MRR 0 are left out; order
 * of first appearance.
 */
export function mrrByAccountAt(periods: readonly SubscriptionPeriod[], date: string): AccountMrr[] {
  const day = readDay(date, 'date');
  const result: AccountMrr[] = [];
  for (const { account, subscriptions } of groupSubscriptions(periods)) {
    let cents = 0;
    for (const subscription of subscriptions) {
      if (subscription.startDay <= day && day < subscription.endDay) cents += subscription.cents;
    }
    if (cents > 0) result.push({ account, mrr: unitsOf(cents) });
  }
  return result;
}

export interface MonthEndMrr {
  month: string;
  /** The day the snapshot is read on: the month's last day. */
  monthEnd: string;
  mrr: number;
  /** Accounts with MRR > 0 at the month's end. */
  customers: number;
}

/** Total MRR and paying customers at the end of every month from `from` to `to` ('YYYY-MM'). */
export function monthlyMrr(
  periods: readonly SubscriptionPeriod[],
  range: { from: string; to: string },
): MonthEndMrr[] {
  const { from, to } = readMonthRange(range);
  const length = to - from + 1;
  const totals = new Float64Array(length);
  const customers = new Float64Array(length);
  const series = new Float64Array(length + 1);
  for (const { subscriptions, firstPaidMonth } of groupSubscriptions(periods)) {
    if (firstPaidMonth > to) continue;
    fillMonthEndMrr(subscriptions, from, to, series);
    for (let i = 0; i < length; i++) {
      const cents = series[i]!;
      if (cents > 0) {
        totals[i]! += cents;
        customers[i]!++;
      }
    }
  }
  return Array.from({ length }, (_, i) => ({
    month: formatMonth(from + i),
    monthEnd: formatLastDayOf(from + i),
    mrr: unitsOf(totals[i]!),
    customers: customers[i]!,
  }));
}
