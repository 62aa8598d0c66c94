/**
 * Discounted customer lifetime value over a horizon of whole months: BG/NBD's expected purchases in each
 * month times Gamma-Gamma's expected spend per purchase, discounted to today. This is the calculation of the
 * `lifetimes` library's customer_lifetime_value (the difference of cumulative expected purchases per step,
 * discounted at the step's end), with an annual rate instead of a monthly one and calendar-average months.
 */
import { type BgNbdParameters, bgNbdConditionalExpectedPurchases, type PurchaseHistory } from './bgnbd';
import { type GammaGammaParameters, gammaGammaExpectedSpend } from './gamma-gamma';

/** Days in an average Gregorian month (365.2425 / 12). */
const DAYS_PER_MONTH = 365.2425 / 12;

export interface LifetimeValueCustomer extends PurchaseHistory {
  /** Mean value of the repeat purchases (ignored without repeat purchases). */
  monetaryValue: number;
}

export interface LifetimeValueOptions {
  /** Horizon in whole months. */
  months: number;
  /** Yearly discount rate, e.g. 0.1 for 10 %; month k is discounted by (1 + rate)^(k/12). */
  annualDiscountRate: number;
  /** The time unit the BG/NBD model was fitted in. */
  timeUnit: 'day' | 'week';
  /**
   * Model periods per month; by default 30.44 days or 4.348 weeks. `lifetimes` uses 30 and 4.345: pass those
   * to reproduce its figures.
   */
  periodsPerMonth?: number;
}

export interface LifetimeValue {
  /** Discounted value over the horizon. */
  value: number;
  /** Undiscounted expected purchases over the horizon. */
  expectedPurchases: number;
  /** Expected spend per future purchase (Gamma-Gamma). */
  expectedSpend: number;
  /** Discounted value contributed by each month, in order; they sum to `value`. */
  monthlyValues: number[];
}

/** One customer's discounted expected value over the next `months` months. */
export function customerLifetimeValue(
  transactionModel: BgNbdParameters,
  spendModel: GammaGammaParameters,
  customer: LifetimeValueCustomer,
  options: LifetimeValueOptions,
): LifetimeValue {
  const { months, annualDiscountRate, timeUnit } = options;
  if (!(Number.isInteger(months) && months >= 0)) {
    throw new RangeError(`months must be a whole number ≥ 0, got ${months}`);
  }
  if (!(annualDiscountRate > -1 && Number.isFinite(annualDiscountRate))) {
    throw new RangeError(`the annual discount rate must be a finite number > −1, got ${annualDiscountRate}`);
  }
  if (timeUnit !== 'day' && timeUnit !== 'week')
    throw new RangeError(`unknown time unit ${String(timeUnit)}`);
  const periodsPerMonth =
    options.periodsPerMonth ?? (timeUnit === 'day' ? DAYS_PER_MONTH : DAYS_PER_MONTH / 7);
  if (!(periodsPerMonth > 0 && Number.isFinite(periodsPerMonth))) {
    throw new RangeError(`periods per month must be a finite number > 0, got ${periodsPerMonth}`);
  }
  const expectedSpend = gammaGammaExpectedSpend(spendModel, customer.frequency, customer.monetaryValue);
  const monthlyValues: number[] = [];
  let value = 0;
  let purchasesSoFar = 0;
  for (let month = 1; month <= months; month++) {
    const cumulative = bgNbdConditionalExpectedPurchases(transactionModel, customer, month * periodsPerMonth);
    const monthValue =
      (expectedSpend * (cumulative - purchasesSoFar)) / (1 + annualDiscountRate) ** (month / 12);
    monthlyValues.push(monthValue);
    value += monthValue;
    purchasesSoFar = cumulative;
  }
  return { value, expectedPurchases: purchasesSoFar, expectedSpend, monthlyValues };
}
