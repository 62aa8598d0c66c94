/**
 * From a transaction log to what the lifetime-value models read: per customer the frequency, recency and age
 * (x, tₓ, T) and the mean repeat spend, as the "buy till you die" literature defines them (Fader, Hardie &
 * Lee 2005) and Hardie's CDNOW files hold them. A customer's purchases on one day count as one purchase of
 * their summed amount; the first purchase starts the clock and is left out of frequency and monetary value.
 */

export interface Transaction {
  customerId: string | number;
  /** Epoch milliseconds or a day number, as `dateUnit` says. */
  date: number;
  /** Value of the transaction (≥ 0). */
  amount: number;
}

export interface PurchaseSummaryOptions {
  /** Last day of the calibration period (inclusive), in `dateUnit`. */
  calibrationEnd: number;
  /** Last day of the holdout period (inclusive); without it there are no holdout counts. */
  holdoutEnd?: number;
  /**
   * `epoch-milliseconds`: dates are Date.getTime() values, grouped into UTC days; `day-number`: whole days.
   */
  dateUnit: 'epoch-milliseconds' | 'day-number';
  /** Unit of recency, age and holdout duration; a week is 7 days. */
  timeUnit: 'day' | 'week';
}

export interface CustomerPurchaseSummary {
  customerId: string | number;
  /** Purchase days in the calibration period after the first one (x). */
  frequency: number;
  /** From the first purchase day to the last one in the calibration period (tₓ). */
  recency: number;
  /** From the first purchase day to the end of the calibration period (T). */
  age: number;
  /** Mean amount of the repeat purchase days; 0 without any. */
  monetaryValue: number;
  /** Purchase days in the holdout period (only with `holdoutEnd`). */
  holdoutFrequency?: number;
  /** Mean amount of the holdout purchase days; 0 without any (only with `holdoutEnd`). */
  holdoutMonetaryValue?: number;
}

export interface PurchaseSummary {
  /** Customers whose first purchase falls in the calibration period, in order of first appearance. */
  customers: CustomerPurchaseSummary[];
  /**
   * Customers who first bought in the holdout period: not part of the calibration, listed so nobody is lost.
   */
  customersFirstSeenInHoldout: (string | number)[];
  /** Length of the holdout period in `timeUnit` (only with `holdoutEnd`). */
  holdoutDuration?: number;
}

const MILLISECONDS_PER_DAY = 86_400_000;

function dayOf(value: number, dateUnit: PurchaseSummaryOptions['dateUnit'], what: string): number {
  if (!Number.isFinite(value)) throw new RangeError(`${what} must be a finite date, got ${value}`);
  if (dateUnit === 'epoch-milliseconds') return Math.floor(value / MILLISECONDS_PER_DAY);
  if (!Number.isInteger(value)) throw new RangeError(`${what} must be a whole day number, got ${value}`);
  return value;
}

function assertCustomerId(customerId: unknown, index: number): void {
  const isValid =
    (typeof customerId === 'string' && customerId.length > 0) ||
    (typeof customerId === 'number' && Number.isFinite(customerId));
  if (!isValid) throw new RangeError(`transaction ${index}: invalid customer id ${String(customerId)}`);
}

/**
 * Per-customer frequency, recency, age and monetary value at the end of the calibration period, and holdout
 * counts when `holdoutEnd` is given. Invalid rows (missing or NaN date, negative or non-finite amount, a date
 * after the last end) throw a RangeError that names the row's index; nothing is dropped silently.
 */
export function summarizePurchases(
  transactions: readonly Transaction[],
  options: PurchaseSummaryOptions,
): PurchaseSummary {
  const { dateUnit, timeUnit } = options;
  if (dateUnit !== 'epoch-milliseconds' && dateUnit !== 'day-number') {
    throw new RangeError(`unknown date unit ${String(dateUnit)}`);
  }
  if (timeUnit !== 'day' && timeUnit !== 'week')
    throw new RangeError(`unknown time unit ${String(timeUnit)}`);
  const calibrationEnd = dayOf(options.calibrationEnd, dateUnit, 'calibrationEnd');
  const holdoutEnd =
    options.holdoutEnd === undefined ? undefined : dayOf(options.holdoutEnd, dateUnit, 'holdoutEnd');
  if (holdoutEnd !== undefined && holdoutEnd <= calibrationEnd) {
    throw new RangeError('holdoutEnd must fall on a later day than calibrationEnd');
  }
  const lastDay = holdoutEnd ?? calibrationEnd;
  const daysPerUnit = timeUnit === 'week' ? 7 : 1;

  const spendByCustomer = new Map<string | number, Map<number, number>>();
  transactions.forEach((transaction, index) => {
    assertCustomerId(transaction.customerId, index);
    const day = dayOf(transaction.date, dateUnit, `transaction ${index}: date`);
    if (day > lastDay) {
      throw new RangeError(
        `transaction ${index}: dated after the ${holdoutEnd === undefined ? 'calibration' : 'holdout'} end`,
      );
    }
    if (!(Number.isFinite(transaction.amount) && transaction.amount >= 0)) {
      throw new RangeError(
        `transaction ${index}: amount must be a finite number ≥ 0, got ${transaction.amount}`,
      );
    }
    let spendByDay = spendByCustomer.get(transaction.customerId);
    if (!spendByDay) {
      spendByDay = new Map();
      spendByCustomer.set(transaction.customerId, spendByDay);
    }
    spendByDay.set(day, (spendByDay.get(day) ?? 0) + transaction.amount);
  });

  const customers: CustomerPurchaseSummary[] = [];
  const customersFirstSeenInHoldout: (string | number)[] = [];
  for (const [customerId, spendByDay] of spendByCustomer) {
    const days = [...spendByDay.keys()].sort((left, right) => left - right);
    const firstDay = days[0]!;
    if (firstDay > calibrationEnd) {
      customersFirstSeenInHoldout.push(customerId);
      continue;
    }
    const repeatDays = days.filter((day) => day > firstDay && day <= calibrationEnd);
    const holdoutDays = days.filter((day) => day > calibrationEnd);
    const lastCalibrationDay = repeatDays[repeatDays.length - 1] ?? firstDay;
    const summary: CustomerPurchaseSummary = {
      customerId,
      frequency: repeatDays.length,
      recency: (lastCalibrationDay - firstDay) / daysPerUnit,
      age: (calibrationEnd - firstDay) / daysPerUnit,
      monetaryValue: meanSpend(spendByDay, repeatDays),
    };
    if (holdoutEnd !== undefined) {
      summary.holdoutFrequency = holdoutDays.length;
      summary.holdoutMonetaryValue = meanSpend(spendByDay, holdoutDays);
    }
    customers.push(summary);
  }
  return {
    customers,
    customersFirstSeenInHoldout,
    ...(holdoutEnd === undefined ? {} : { holdoutDuration: (holdoutEnd - calibrationEnd) / daysPerUnit }),
  };
}

function meanSpend(spendByDay: ReadonlyMap<number, number>, days: readonly number[]): number {
  if (days.length === 0) return 0;
  return days.reduce((sum, day) => sum + spendByDay.get(day)!, 0) / days.length;
}
