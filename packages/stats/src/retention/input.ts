/**
 * The two inputs of the retention metrics, checked once and turned into whole cents and day and month
 * numbers. Bad input throws a RetentionInputError naming the row and field; nothing is dropped or guessed.
 */
import { monthOfDate, parseDay, parseMonth } from './calendar';

/** One subscription of an account; a plan change ends one period and starts another. */
export interface SubscriptionPeriod {
  account: string;
  /** Monthly recurring revenue in currency units (≥ 0); rounded to whole cents. */
  mrr: number;
  /** First day it runs, 'YYYY-MM-DD'. */
  startedOn: string;
  /** The day it ended, 'YYYY-MM-DD' (not active at the end of that day), or null while it runs. */
  endedOn: string | null;
  plan?: string;
  cancelReason?: string | null;
}

/** One order of an account, in currency units (≥ 0). */
export interface OrderEvent {
  account: string;
  /** 'YYYY-MM-DD'. */
  date: string;
  amount: number;
}

/** Bad input to a retention function: `field` names the row and field, e.g. `periods[3].endedOn`. */
export class RetentionInputError extends RangeError {
  override name = 'RetentionInputError';
  readonly field: string;

  constructor(field: string, problem: string) {
    super(`${field}: ${problem}`);
    this.field = field;
  }
}

/** The day number of a 'YYYY-MM-DD' date. */
export function readDay(value: unknown, field: string): number {
  const day = parseDay(value);
  if (day === null) throw dateError(field, value);
  return day;
}

export function readMonth(value: unknown, field: string): number {
  const parsed = parseMonth(value);
  if (parsed === null) throw new RetentionInputError(field, `must be a month YYYY-MM, got ${show(value)}`);
  return parsed;
}

/** A month given as 'YYYY-MM' or as a date 'YYYY-MM-DD' (its month). */
export function readMonthOrDate(value: unknown, field: string): number {
  const month = parseMonth(value);
  if (month !== null) return month;
  if (parseDay(value) === null) {
    throw new RetentionInputError(field, `must be YYYY-MM or YYYY-MM-DD, got ${show(value)}`);
  }
  return monthOfDate(value as string);
}

/** The longest range of months (100 years) a call may ask for, so that a typo cannot allocate gigabytes. */
export const MAX_MONTHS = 1200;

/** `from` and `to` months, `from` not after `to`, at most MAX_MONTHS apart. */
export function readMonthRange(options: { from: string; to: string }): { from: number; to: number } {
  const from = readMonth(options.from, 'from');
  const to = readMonth(options.to, 'to');
  if (from > to) throw new RetentionInputError('to', `must not be before from (${options.from})`);
  if (to - from >= MAX_MONTHS) {
    throw new RetentionInputError(
      'to',
      `must be less than ${MAX_MONTHS} months after from (${options.from})`,
    );
  }
  return { from, to };
}

/**
 * A row's field name such as `periods[3].endedOn`: built only for an error, as per row it costs more than the
 * checks.
 */
function fieldOf(list: string, index: number, name: string): string {
  return `${list}[${index}].${name}`;
}

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** 10 billion per row, so that sums over thousands of rows stay exact whole numbers (below 2⁵³). */
const MAX_CENTS = 1e12;

/**
 * An amount in whole cents, NaN unless it is a number from 0 to 10 billion. Amounts with more decimals (a
 * yearly price ÷ 12) are rounded half up on their decimal value: 1.005 is 101 cents although 1.005 × 100 is
 * 100.4999….
 */
function parseCents(amount: unknown): number {
  if (typeof amount !== 'number' || !(amount >= 0)) return Number.NaN;
  const scaled = amount * 100;
  const rounded = Math.round(scaled);
  const cents = Math.abs(scaled - rounded) < 1e-6 ? rounded : Math.round(Number(scaled.toPrecision(15)));
  return cents <= MAX_CENTS ? cents : Number.NaN;
}

function amountError(field: string, amount: unknown): RetentionInputError {
  return new RetentionInputError(
    field,
    `must be an amount from 0 to ${MAX_CENTS / 100}, got ${show(amount)}`,
  );
}

function dateError(field: string, value: unknown): RetentionInputError {
  return new RetentionInputError(field, `must be a calendar date YYYY-MM-DD, got ${show(value)}`);
}

function accountError(field: string, value: unknown): RetentionInputError {
  return new RetentionInputError(field, `must be a non-empty account id, got ${show(value)}`);
}

/** Currency units of whole cents. */
export function unitsOf(cents: number): number {
  return cents / 100;
}

export interface Subscription {
  cents: number;
  startDay: number;
  /** Infinity while it runs. */
  endDay: number;
  /** It is active at the end of the months from startMonth up to, not including, endMonth. */
  startMonth: number;
  endMonth: number;
  startedOn: string;
  cancelReason: string | null;
}

export interface AccountSubscriptions {
  account: string;
  subscriptions: Subscription[];
  /** The first month at whose end the account had MRR > 0; Infinity if it never had. */
  firstPaidMonth: number;
}

/**
 * Checks the periods and groups them by account, in order of the account's first appearance. Active at the
 * end of day d means startedOn ≤ d < endedOn, so at the end of month m means startMonth ≤ m < endMonth.
 */
export function groupSubscriptions(periods: readonly SubscriptionPeriod[]): AccountSubscriptions[] {
  if (!Array.isArray(periods)) throw new RetentionInputError('periods', 'must be an array');
  const byAccount = new Map<string, AccountSubscriptions>();
  for (let index = 0; index < periods.length; index++) {
    const period = periods[index]!;
    const { account, mrr, startedOn, endedOn, cancelReason } = period;
    if (typeof account !== 'string' || account.length === 0)
      throw accountError(fieldOf('periods', index, 'account'), account);
    const cents = parseCents(mrr);
    if (Number.isNaN(cents)) throw amountError(fieldOf('periods', index, 'mrr'), mrr);
    const startDay = parseDay(startedOn);
    if (startDay === null) throw dateError(fieldOf('periods', index, 'startedOn'), startedOn);
    const endDay = endedOn === null ? Number.POSITIVE_INFINITY : parseDay(endedOn);
    if (endDay === null) throw dateError(fieldOf('periods', index, 'endedOn'), endedOn);
    if (endDay < startDay) {
      throw new RetentionInputError(
        fieldOf('periods', index, 'endedOn'),
        `must not be before startedOn (${startedOn})`,
      );
    }
    if (cancelReason !== undefined && cancelReason !== null && typeof cancelReason !== 'string') {
      throw new RetentionInputError(
        fieldOf('periods', index, 'cancelReason'),
        `must be text or null, got ${show(cancelReason)}`,
      );
    }
    const subscription: Subscription = {
      cents,
      startDay,
      endDay,
      startMonth: monthOfDate(startedOn),
      endMonth: endedOn === null ? Number.POSITIVE_INFINITY : monthOfDate(endedOn),
      startedOn,
      cancelReason: cancelReason ? cancelReason : null,
    };
    let group = byAccount.get(account);
    if (!group) {
      group = { account, subscriptions: [], firstPaidMonth: Number.POSITIVE_INFINITY };
      byAccount.set(account, group);
    }
    group.subscriptions.push(subscription);
    if (cents > 0 && subscription.startMonth < subscription.endMonth) {
      group.firstPaidMonth = Math.min(group.firstPaidMonth, subscription.startMonth);
    }
  }
  return [...byAccount.values()];
}

/**
 * Writes the account's MRR in cents at the end of each month from `first` to `last` into `series[0…last −
 * first]` (a difference array: one pass over the subscriptions and one over the months). `series` needs one
 * spare slot.
 */
export function fillMonthEndMrr(
  subscriptions: readonly Subscription[],
  first: number,
  last: number,
  series: Float64Array,
): void {
  const length = last - first + 1;
  series.fill(0, 0, length + 1);
  for (const subscription of subscriptions) {
    if (subscription.cents === 0) continue;
    const from = Math.max(subscription.startMonth, first);
    const until = Math.min(subscription.endMonth, last + 1);
    if (from >= until) continue;
    series[from - first]! += subscription.cents;
    series[until - first]! -= subscription.cents;
  }
  let running = 0;
  for (let i = 0; i < length; i++) {
    running += series[i]!;
    series[i] = running;
  }
}

export interface Order {
  day: number;
  month: number;
  date: string;
  cents: number;
}

/** Checks orders and groups them by account, in order of the account's first order in the input. */
export function groupOrders(orders: readonly OrderEvent[]): Map<string, Order[]> {
  if (!Array.isArray(orders)) throw new RetentionInputError('orders', 'must be an array');
  const byAccount = new Map<string, Order[]>();
  for (let index = 0; index < orders.length; index++) {
    const { account, date, amount } = orders[index]!;
    if (typeof account !== 'string' || account.length === 0)
      throw accountError(fieldOf('orders', index, 'account'), account);
    const day = parseDay(date);
    if (day === null) throw dateError(fieldOf('orders', index, 'date'), date);
    const cents = parseCents(amount);
    if (Number.isNaN(cents)) throw amountError(fieldOf('orders', index, 'amount'), amount);
    let list = byAccount.get(account);
    if (!list) {
      list = [];
      byAccount.set(account, list);
    }
    list.push({ day, month: monthOfDate(date), date, cents });
  }
  return byAccount;
}
