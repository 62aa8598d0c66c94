/** What each account has brought in so far: the historic side of customer lifetime value. */
import {
  groupOrders,
  groupSubscriptions,
  type OrderEvent,
  readDay,
  type SubscriptionPeriod,
  unitsOf,
} from './input';

/** Days in an average month, 365.25 ÷ 12: a partial month of subscription revenue is its days ÷ 30.4375. */
export const DAYS_PER_MONTH = 30.4375;

export interface OrderHistory {
  account: string;
  /** Sum of the order amounts. */
  revenue: number;
  orders: number;
  firstOrderOn: string;
  lastOrderOn: string;
  /** revenue ÷ orders. */
  averageOrderValue: number;
}

/**
 * Per account, in order of first appearance: revenue, number of orders, first and last order day, average
 * order.
 */
export function historicValue(orders: readonly OrderEvent[]): OrderHistory[] {
  const result: OrderHistory[] = [];
  for (const [account, list] of groupOrders(orders)) {
    let cents = 0;
    let first = list[0]!;
    let last = list[0]!;
    for (const order of list) {
      cents += order.cents;
      if (order.day < first.day) first = order;
      if (order.day > last.day) last = order;
    }
    result.push({
      account,
      revenue: unitsOf(cents),
      orders: list.length,
      firstOrderOn: first.date,
      lastOrderOn: last.date,
      averageOrderValue: unitsOf(cents / list.length),
    });
  }
  return result;
}

export interface SubscriptionHistory {
  account: string;
  /** Σ mrr × days active up to asOf ÷ 30.4375, rounded to cents. */
  revenue: number;
  /** Days up to asOf on which the account had MRR > 0 (overlapping subscriptions count a day once). */
  paidDays: number;
  firstStartedOn: string;
  /** MRR at the end of asOf. */
  mrr: number;
}

/**
 * Subscription revenue to date per account, in order of first appearance. A subscription earns mrr ÷ 30.4375
 * for each day it is active, from startedOn up to the day before endedOn, counting asOf itself; a month is
 * the average month (365.25 ÷ 12 days), so a whole year earns 12 × mrr (11.99 or 12.02 in a 365- or 366-day
 * year).
 */
export function subscriptionRevenueToDate(
  periods: readonly SubscriptionPeriod[],
  options: { asOf: string },
): SubscriptionHistory[] {
  const asOf = readDay(options.asOf, 'asOf');
  return groupSubscriptions(periods).map(({ account, subscriptions }) => {
    let revenueCents = 0;
    let mrrCents = 0;
    let firstStart = subscriptions[0]!;
    const paidIntervals: [number, number][] = [];
    for (const subscription of subscriptions) {
      if (subscription.startDay < firstStart.startDay) firstStart = subscription;
      const until = Math.min(subscription.endDay, asOf + 1);
      const days = Math.max(0, until - subscription.startDay);
      revenueCents += (subscription.cents * days) / DAYS_PER_MONTH;
      if (subscription.startDay <= asOf && asOf < subscription.endDay) mrrCents += subscription.cents;
      if (days > 0 && subscription.cents > 0) paidIntervals.push([subscription.startDay, until]);
    }
    return {
      account,
      revenue: unitsOf(Math.round(revenueCents)),
      paidDays: daysCovered(paidIntervals),
      firstStartedOn: firstStart.startedOn,
      mrr: unitsOf(mrrCents),
    };
  });
}

/** Days in the union of half-open day intervals. */
function daysCovered(intervals: [number, number][]): number {
  intervals.sort((left, right) => left[0] - right[0]);
  let days = 0;
  let coveredUntil = Number.NEGATIVE_INFINITY;
  for (const [start, end] of intervals) {
    const from = Math.max(start, coveredUntil);
    if (end > from) days += end - from;
    coveredUntil = Math.max(coveredUntil, end);
  }
  return days;
}
