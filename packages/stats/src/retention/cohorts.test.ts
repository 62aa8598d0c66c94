import { describe, expect, it } from 'vitest';
import { cohortRetention, orderCohortRetention } from './cohorts';
import { RetentionInputError } from './input';
import { period } from './test-periods';

/**
 * January cohort: a1 (100, stays), a2 (50, ends 5 March), a5 (20, starts on 31 January, ends 29 February).
 * February cohort: a3 (30, 60 from March). a4 has a free plan only: no cohort.
 */
const PERIODS = [
  period('a1', 100, '2024-01-15'),
  period('a2', 50, '2024-01-20', '2024-03-05'),
  period('a3', 30, '2024-02-01', '2024-03-01'),
  period('a3', 60, '2024-03-01'),
  period('a4', 0, '2024-01-01'),
  period('a5', 20, '2024-01-31', '2024-02-29'),
];

const cell = (active: number, retention: number, revenue: number, revenueRetention: number | null) => ({
  active,
  retention,
  revenue,
  revenueRetention,
});

describe('cohortRetention', () => {
  it('follows each acquisition month’s accounts month by month, null after asOf', () => {
    expect(cohortRetention(PERIODS, { asOf: '2024-03' })).toEqual({
      asOf: '2024-03',
      months: 2,
      rows: [
        {
          cohort: '2024-01',
          size: 3,
          cells: [cell(3, 1, 170, 1), cell(2, 2 / 3, 150, 150 / 170), cell(1, 1 / 3, 100, 100 / 170)],
        },
        { cohort: '2024-02', size: 1, cells: [cell(1, 1, 30, 1), cell(1, 1, 60, 2), null] },
        { cohort: '2024-03', size: 0, cells: [null, null, null] },
      ],
      average: [cell(4, 1, 200, 1), cell(3, 3 / 4, 210, 210 / 200), cell(1, 1 / 3, 100, 100 / 170)],
      accountsWithoutCohort: 1,
    });
  });

  it('puts an account in the cohort of acquiredOn, also when it paid nothing then or never', () => {
    const matrix = cohortRetention(PERIODS, {
      asOf: '2024-03',
      acquiredOn: new Map([
        ['a3', '2024-01-10'],
        ['a9', '2024-02'],
      ]),
    });
    expect(matrix.rows[0]).toEqual({
      cohort: '2024-01',
      size: 4,
      cells: [cell(3, 3 / 4, 170, 1), cell(3, 3 / 4, 180, 180 / 170), cell(2, 2 / 4, 160, 160 / 170)],
    });
    expect(matrix.rows[1]).toEqual({
      cohort: '2024-02',
      size: 1,
      cells: [cell(0, 0, 0, null), cell(0, 0, 0, null), null],
    });
    expect(cohortRetention(PERIODS, { asOf: '2024-03', acquiredOn: { a3: '2024-01' } }).rows[0]!.size).toBe(
      4,
    );
  });

  it('limits rows to from…to and columns to months', () => {
    const matrix = cohortRetention(PERIODS, { asOf: '2024-03', from: '2024-02', to: '2024-02', months: 1 });
    expect(matrix).toMatchObject({
      months: 1,
      rows: [{ cohort: '2024-02', size: 1, cells: [cell(1, 1, 30, 1), cell(1, 1, 60, 2)] }],
    });
  });

  it('is empty without any account with revenue', () => {
    expect(cohortRetention([period('free', 0, '2024-01-01')], { asOf: '2024-03' })).toEqual({
      asOf: '2024-03',
      months: 0,
      rows: [],
      average: [],
      accountsWithoutCohort: 1,
    });
  });

  it('refuses options that do not make a matrix', () => {
    expect(() => cohortRetention(PERIODS, { asOf: '2024-03', to: '2024-04' })).toThrow(
      /to: must not be after asOf/,
    );
    expect(() => cohortRetention(PERIODS, { asOf: '2024-03', from: '2024-04', to: '2024-03' })).toThrow(
      /from: must not be after to/,
    );
    expect(() => cohortRetention(PERIODS, { asOf: '2024-03', months: -1 })).toThrow(RetentionInputError);
    expect(() => cohortRetention(PERIODS, { asOf: '2024-03', months: 1e9 })).toThrow(
      /months: must be a whole/,
    );
    expect(() => cohortRetention(PERIODS, { asOf: '2024-03', from: '1900-01' })).toThrow(
      /from: must be less/,
    );
    expect(() => cohortRetention(PERIODS, { asOf: '2024-03', acquiredOn: { a1: 'soon' } })).toThrow(
      /acquiredOn\["a1"\]/,
    );
  });
});

describe('orderCohortRetention', () => {
  const ORDERS = [
    { account: 'o1', date: '2024-01-05', amount: 10 },
    { account: 'o1', date: '2024-01-20', amount: 5 },
    { account: 'o1', date: '2024-03-02', amount: 30 },
    { account: 'o2', date: '2024-01-31', amount: 20 },
    { account: 'o2', date: '2024-02-01', amount: 0 },
    { account: 'o3', date: '2024-04-01', amount: 10 },
    { account: 'o3', date: '2024-02-14', amount: 40 },
  ];

  it('counts an account active in a month it ordered in, and its revenue in that month', () => {
    expect(orderCohortRetention(ORDERS, { asOf: '2024-03' })).toEqual({
      asOf: '2024-03',
      months: 2,
      rows: [
        {
          cohort: '2024-01',
          size: 2,
          cells: [cell(2, 1, 35, 1), cell(1, 1 / 2, 0, 0), cell(1, 1 / 2, 30, 30 / 35)],
        },
        { cohort: '2024-02', size: 1, cells: [cell(1, 1, 40, 1), cell(0, 0, 0, 0), null] },
        { cohort: '2024-03', size: 0, cells: [null, null, null] },
      ],
      average: [cell(3, 1, 75, 1), cell(1, 1 / 3, 0, 0), cell(1, 1 / 2, 30, 30 / 35)],
      accountsWithoutCohort: 0,
    });
  });

  it('names a bad order', () => {
    expect(() =>
      orderCohortRetention([{ account: 'x', date: '2024-01-01', amount: -3 }], { asOf: '2024-01' }),
    ).toThrow(/orders\[0\]\.amount/);
  });
});
