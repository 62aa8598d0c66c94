import { describe, expect, it } from 'vitest';
import { bgNbdConditionalExpectedPurchases } from './bgnbd';
import { gammaGammaExpectedSpend } from './gamma-gamma';
import { customerLifetimeValue } from './lifetime-value';

// The CDNOW estimates (weeks) of Fader, Hardie & Lee (2005) for both models.
const TRANSACTIONS = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const SPEND = { p: 6.25, q: 3.74, gamma: 15.44 };
const CUSTOMER = { frequency: 2, recency: 30.43, age: 38.86, monetaryValue: 22.35 };
const WEEKS_PER_MONTH = 365.2425 / 12 / 7;

describe('customerLifetimeValue', () => {
  it('without discounting is expected spend × expected purchases over the whole horizon', () => {
    const result = customerLifetimeValue(TRANSACTIONS, SPEND, CUSTOMER, {
      months: 12,
      annualDiscountRate: 0,
      timeUnit: 'week',
    });
    const purchases = bgNbdConditionalExpectedPurchases(TRANSACTIONS, CUSTOMER, 12 * WEEKS_PER_MONTH);
    const spend = gammaGammaExpectedSpend(SPEND, 2, 22.35);
    expect(result.expectedPurchases).toBeCloseTo(purchases, 12);
    expect(result.expectedSpend).toBeCloseTo(spend, 12);
    expect(result.value).toBeCloseTo(purchases * spend, 10);
  });

  it('discounts month k by (1 + annual rate)^(k/12) on the purchases expected in that month', () => {
    const result = customerLifetimeValue(TRANSACTIONS, SPEND, CUSTOMER, {
      months: 2,
      annualDiscountRate: 0.1,
      timeUnit: 'week',
    });
    const spend = gammaGammaExpectedSpend(SPEND, 2, 22.35);
    const first = bgNbdConditionalExpectedPurchases(TRANSACTIONS, CUSTOMER, WEEKS_PER_MONTH);
    const second = bgNbdConditionalExpectedPurchases(TRANSACTIONS, CUSTOMER, 2 * WEEKS_PER_MONTH) - first;
    expect(result.monthlyValues[0]).toBeCloseTo((spend * first) / 1.1 ** (1 / 12), 12);
    expect(result.monthlyValues[1]).toBeCloseTo((spend * second) / 1.1 ** (2 / 12), 12);
    expect(result.value).toBeCloseTo(result.monthlyValues[0]! + result.monthlyValues[1]!, 12);
  });

  it('grows with the horizon, shrinks with the discount rate, and is the same in days and weeks', () => {
    const options = { months: 24, annualDiscountRate: 0.1, timeUnit: 'week' } as const;
    const base = customerLifetimeValue(TRANSACTIONS, SPEND, CUSTOMER, options).value;
    expect(
      customerLifetimeValue(TRANSACTIONS, SPEND, CUSTOMER, { ...options, months: 36 }).value,
    ).toBeGreaterThan(base);
    expect(
      customerLifetimeValue(TRANSACTIONS, SPEND, CUSTOMER, { ...options, annualDiscountRate: 0.2 }).value,
    ).toBeLessThan(base);
    // The same model in days: α is in days, and so are the customer's times.
    const inDays = customerLifetimeValue(
      { ...TRANSACTIONS, alpha: TRANSACTIONS.alpha * 7 },
      SPEND,
      { ...CUSTOMER, recency: CUSTOMER.recency * 7, age: CUSTOMER.age * 7 },
      { ...options, timeUnit: 'day' },
    ).value;
    expect(inDays).toBeCloseTo(base, 9);
  });

  it('takes the periods per month of the lifetimes library when asked', () => {
    const result = customerLifetimeValue(TRANSACTIONS, SPEND, CUSTOMER, {
      months: 1,
      annualDiscountRate: 0,
      timeUnit: 'week',
      periodsPerMonth: 4.345,
    });
    expect(result.expectedPurchases).toBeCloseTo(
      bgNbdConditionalExpectedPurchases(TRANSACTIONS, CUSTOMER, 4.345),
      12,
    );
  });

  it('is nearly nothing for a customer who has surely left', () => {
    const gone = { frequency: 30, recency: 2, age: 100, monetaryValue: 50 };
    const result = customerLifetimeValue(TRANSACTIONS, SPEND, gone, {
      months: 12,
      annualDiscountRate: 0.1,
      timeUnit: 'week',
    });
    expect(result.value).toBeLessThan(1e-6);
  });

  it('refuses a fractional horizon, a rate ≤ −1 and an unknown unit', () => {
    const options = { months: 12, annualDiscountRate: 0.1, timeUnit: 'week' } as const;
    expect(() => customerLifetimeValue(TRANSACTIONS, SPEND, CUSTOMER, { ...options, months: 1.5 })).toThrow(
      RangeError,
    );
    expect(() =>
      customerLifetimeValue(TRANSACTIONS, SPEND, CUSTOMER, { ...options, annualDiscountRate: -1 }),
    ).toThrow(RangeError);
    expect(() =>
      customerLifetimeValue(TRANSACTIONS, SPEND, CUSTOMER, { ...options, timeUnit: 'month' as 'week' }),
    ).toThrow(/unknown time unit/);
  });
});
