import { describe, expect, it } from 'vitest';
import { mrrMovements } from './movements';
import { retentionRates } from './rates';
import { EXAMPLE, period } from './test-periods';

describe('retentionRates', () => {
  it('computes the monthly rates of the worked example', () => {
    const months = retentionRates(EXAMPLE, { from: '2024-01', to: '2024-04', period: 'month' });
    expect(
      months.map(
        ({
          period,
          customerChurnRate,
          customerRetentionRate,
          grossRevenueChurnRate,
          grossRevenueRetention,
          netRevenueRetention,
        }) => ({
          period,
          customerChurnRate,
          customerRetentionRate,
          grossRevenueChurnRate,
          grossRevenueRetention,
          netRevenueRetention,
        }),
      ),
    ).toEqual([
      {
        period: '2024-01',
        customerChurnRate: 1 / 3,
        customerRetentionRate: 2 / 3,
        grossRevenueChurnRate: 40 / 260,
        grossRevenueRetention: 220 / 260,
        netRevenueRetention: 220 / 260,
      },
      {
        period: '2024-02',
        customerChurnRate: 0,
        customerRetentionRate: 1,
        grossRevenueChurnRate: 0,
        grossRevenueRetention: 1,
        netRevenueRetention: 470 / 420,
      },
      {
        period: '2024-03',
        customerChurnRate: 1 / 4,
        customerRetentionRate: 3 / 4,
        grossRevenueChurnRate: 200 / 560,
        grossRevenueRetention: 360 / 560,
        netRevenueRetention: 360 / 560,
      },
      {
        period: '2024-04',
        customerChurnRate: 0,
        customerRetentionRate: 1,
        grossRevenueChurnRate: 50 / 410,
        grossRevenueRetention: 360 / 410,
        netRevenueRetention: 360 / 410,
      },
    ]);
    expect(months.every((month) => month.isComplete)).toBe(true);
  });

  it('leaves reactivation and new business out of NRR', () => {
    const [february] = retentionRates(EXAMPLE, { from: '2024-02', to: '2024-02', period: 'month' });
    // C came back with 90: NRR counts only A's expansion of 50 on the 420 of January's end.
    expect(february!.netRevenueRetention).toBe((420 + 50) / 420);
  });

  it('compares quarter ends, so an account that joined and left within the quarter is not churned', () => {
    const [q1, q2] = retentionRates(EXAMPLE, { from: '2024-01', to: '2024-04', period: 'quarter' });
    expect(q1).toMatchObject({
      period: '2024-Q1',
      startSnapshot: '2023-12-31',
      endSnapshot: '2024-03-31',
      isComplete: true,
      startingMrr: 260,
      new: 50,
      expansion: 50,
      reactivation: 90,
      contraction: 0,
      churned: 40,
      endingMrr: 410,
      customers: { starting: 3, new: 1, reactivated: 1, churned: 1, ending: 4 },
      customerChurnRate: 1 / 3,
      customerRetentionRate: 2 / 3,
      grossRevenueRetention: 220 / 260,
      netRevenueRetention: 270 / 260,
    });
    expect(q1!.accounts.churned.map((move) => move.account)).toEqual(['H']);
    expect(q2).toMatchObject({
      period: '2024-Q2',
      endSnapshot: '2024-04-30',
      isComplete: false,
      contraction: 50,
    });
  });

  it('starts quarters at the quarter of from, and counts a new account in a quarter even if it paid earlier in it', () => {
    const periods = [period('x', 10, '2024-04-10', '2024-05-15'), period('x', 10, '2024-06-01')];
    const [q2] = retentionRates(periods, { from: '2024-05', to: '2024-06', period: 'quarter' });
    expect(q2).toMatchObject({ period: '2024-Q2', startSnapshot: '2024-03-31', isComplete: true });
    expect(q2!.customers).toMatchObject({ new: 1, reactivated: 0 });
  });

  it('gives the quarterly churn reasons', () => {
    const [q1] = retentionRates(
      [
        period('a', 10, '2023-12-01', '2024-02-01', 'price'),
        period('b', 10, '2023-12-01', '2024-03-31', 'price'),
      ],
      { from: '2024-01', to: '2024-03', period: 'quarter' },
    );
    expect(q1!.churnReasons).toEqual([{ reason: 'price', accounts: 2, mrr: 20 }]);
  });

  it('gives null, not NaN, when nobody paid at the start', () => {
    const [january] = retentionRates([period('a', 10, '2024-01-05')], {
      from: '2024-01',
      to: '2024-01',
      period: 'month',
    });
    expect(january).toMatchObject({
      customerChurnRate: null,
      customerRetentionRate: null,
      grossRevenueChurnRate: null,
      grossRevenueRetention: null,
      netRevenueRetention: null,
    });
  });

  it('agrees with mrrMovements month by month', () => {
    const rates = retentionRates(EXAMPLE, { from: '2023-11', to: '2024-06', period: 'month' });
    const movements = mrrMovements(EXAMPLE, { from: '2023-11', to: '2024-06' });
    expect(
      rates.map(({ period, startingMrr, endingMrr, customers }) => ({
        period,
        startingMrr,
        endingMrr,
        customers,
      })),
    ).toEqual(
      movements.map(({ period, startingMrr, endingMrr, customers }) => ({
        period,
        startingMrr,
        endingMrr,
        customers,
      })),
    );
  });

  it('refuses an unknown period', () => {
    expect(() => retentionRates([], { from: '2024-01', to: '2024-01', period: 'week' as never })).toThrow(
      /period: must be month or quarter/,
    );
  });
});
