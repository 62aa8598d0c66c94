import { describe, expect, it } from 'vitest';
import { RetentionInputError } from './input';
import { monthlyMrr, mrrByAccountAt } from './mrr';
import { period } from './test-periods';

describe('mrrByAccountAt', () => {
  it('counts a subscription from the end of its first day, not at the end of the day it ended', () => {
    const periods = [period('a', 100, '2024-03-31', '2024-04-30')];
    expect(mrrByAccountAt(periods, '2024-03-30')).toEqual([]);
    expect(mrrByAccountAt(periods, '2024-03-31')).toEqual([{ account: 'a', mrr: 100 }]);
    expect(mrrByAccountAt(periods, '2024-04-29')).toEqual([{ account: 'a', mrr: 100 }]);
    expect(mrrByAccountAt(periods, '2024-04-30')).toEqual([]);
  });

  it('sums an account’s subscriptions and does not count a plan change twice', () => {
    const periods = [
      period('a', 100, '2024-01-01', '2024-02-10'),
      period('a', 150, '2024-02-10'),
      period('a', 25.5, '2024-01-15'),
      period('b', 0, '2024-01-01'),
      period('c', 10, '2024-02-10'),
    ];
    expect(mrrByAccountAt(periods, '2024-02-09')).toEqual([{ account: 'a', mrr: 125.5 }]);
    expect(mrrByAccountAt(periods, '2024-02-10')).toEqual([
      { account: 'a', mrr: 175.5 },
      { account: 'c', mrr: 10 },
    ]);
  });

  it('rounds each subscription to whole cents before adding', () => {
    const periods = [
      period('a', 100 / 12, '2024-01-01'),
      period('a', 1.005, '2024-01-01'),
      period('b', 0.1, '2024-01-01'),
      period('b', 0.2, '2024-01-01'),
    ];
    expect(mrrByAccountAt(periods, '2024-01-01')).toEqual([
      { account: 'a', mrr: 9.34 },
      { account: 'b', mrr: 0.3 },
    ]);
  });

  it('names the row and field of bad input', () => {
    const bad = (periods: unknown[], field: string) => {
      const attempt = () => mrrByAccountAt(periods as never, '2024-01-01');
      expect(attempt).toThrow(RetentionInputError);
      expect(attempt).toThrow(expect.objectContaining({ field }));
    };
    const good = period('a', 1, '2024-01-01');
    bad([good, { ...good, startedOn: '2024-02-30' }], 'periods[1].startedOn');
    bad([{ ...good, endedOn: '2023-12-31' }], 'periods[0].endedOn');
    bad([{ ...good, mrr: -1 }], 'periods[0].mrr');
    bad([{ ...good, mrr: Number.NaN }], 'periods[0].mrr');
    bad([{ ...good, mrr: '12' }], 'periods[0].mrr');
    bad([{ ...good, account: '' }], 'periods[0].account');
    bad([{ ...good, cancelReason: 3 }], 'periods[0].cancelReason');
    expect(() => mrrByAccountAt([good], '2024-01')).toThrow(/date: must be a calendar date/);
  });

  it('accepts a subscription that ends on the day it started, and never counts it', () => {
    expect(mrrByAccountAt([period('a', 5, '2024-01-10', '2024-01-10')], '2024-01-10')).toEqual([]);
  });
});

describe('monthlyMrr', () => {
  it('reads each month at the end of its last day', () => {
    const periods = [
      period('a', 100, '2024-01-31', '2024-03-31'),
      period('b', 40, '2024-02-01', '2024-03-01'),
      period('c', 7, '2024-02-05', '2024-02-20'),
    ];
    expect(monthlyMrr(periods, { from: '2024-01', to: '2024-04' })).toEqual([
      { month: '2024-01', monthEnd: '2024-01-31', mrr: 100, customers: 1 },
      { month: '2024-02', monthEnd: '2024-02-29', mrr: 140, customers: 2 },
      { month: '2024-03', monthEnd: '2024-03-31', mrr: 0, customers: 0 },
      { month: '2024-04', monthEnd: '2024-04-30', mrr: 0, customers: 0 },
    ]);
  });

  it('refuses a range that ends before it starts or spans more than 100 years', () => {
    expect(() => monthlyMrr([], { from: '2024-02', to: '2024-01' })).toThrow(/to: must not be before from/);
    expect(() => monthlyMrr([], { from: '0001-01', to: '9999-12' })).toThrow(
      /to: must be less than 1200 months/,
    );
    expect(monthlyMrr([], { from: '1925-01', to: '2024-12' })).toHaveLength(1200);
  });
});
