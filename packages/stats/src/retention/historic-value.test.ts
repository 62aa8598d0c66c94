import { describe, expect, it } from 'vitest';
import { historicValue, subscriptionRevenueToDate } from './historic-value';
import { period } from './test-periods';

describe('historicValue', () => {
  it('sums each account’s orders in cents and finds its first and last order', () => {
    expect(
      historicValue([
        { account: 'x', date: '2024-03-01', amount: 10.1 },
        { account: 'y', date: '2024-02-02', amount: 7 },
        { account: 'x', date: '2024-01-05', amount: 20.2 },
        { account: 'x', date: '2024-02-01', amount: 0.3 },
      ]),
    ).toEqual([
      {
        account: 'x',
        revenue: 30.6,
        orders: 3,
        firstOrderOn: '2024-01-05',
        lastOrderOn: '2024-03-01',
        averageOrderValue: 10.2,
      },
      {
        account: 'y',
        revenue: 7,
        orders: 1,
        firstOrderOn: '2024-02-02',
        lastOrderOn: '2024-02-02',
        averageOrderValue: 7,
      },
    ]);
  });
});

describe('subscriptionRevenueToDate', () => {
  it('earns mrr ÷ 30.4375 per active day, counting asOf and not the day it ended', () => {
    const periods = [period('a', 100, '2024-01-01', '2024-01-31'), period('b', 100, '2024-01-31')];
    expect(subscriptionRevenueToDate(periods, { asOf: '2024-01-31' })).toEqual([
      // 30 days: 100 × 30 / 30.4375 = 98.5626 → 98.56
      { account: 'a', revenue: 98.56, paidDays: 30, firstStartedOn: '2024-01-01', mrr: 0 },
      // asOf itself: 100 / 30.4375 = 3.2854 → 3.29
      { account: 'b', revenue: 3.29, paidDays: 1, firstStartedOn: '2024-01-31', mrr: 100 },
    ]);
  });

  it('earns about 12 × mrr in a year: 366 days of 2024 are 12.02 months', () => {
    const [year] = subscriptionRevenueToDate([period('a', 10, '2024-01-01', '2025-01-01')], {
      asOf: '2025-06-30',
    });
    expect(year!.revenue).toBe(120.25);
  });

  it('counts overlapping paid days once and ignores what starts after asOf', () => {
    const periods = [
      period('a', 10, '2024-01-01', '2024-01-11'),
      period('a', 5, '2024-01-06', '2024-01-16'),
      period('a', 0, '2024-01-01', '2024-03-01'),
      period('a', 99, '2024-02-01'),
    ];
    const [account] = subscriptionRevenueToDate(periods, { asOf: '2024-01-31' });
    expect(account).toEqual({
      account: 'a',
      revenue: Math.round(((10 * 10 + 5 * 10) * 100) / 30.4375) / 100,
      paidDays: 15,
      firstStartedOn: '2024-01-01',
      mrr: 0,
    });
  });
});
