import { cohortRetention, RetentionInputError } from '@keepdesk/stats';
import { describe, expect, it } from 'vitest';
import {
  churnBySegment,
  cohortColumns,
  lastCompleteMonth,
  monthsOfQuarter,
  NO_VALUE,
  type PlanPeriod,
  plansAt,
  presentCohortCell,
  quarterOf,
  quarterStartOf,
  resolveMonths,
  segmentAttributes,
  shiftMonth,
  sumReasons,
} from './metrics.domain';

const NOW = new Date('2024-05-20T10:00:00Z');
const twelve = (to: string) => shiftMonth(to, -11);

function problemOf(run: () => unknown): { field: string; message: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof RetentionInputError) return { field: error.field, message: error.message };
    throw error;
  }
  throw new Error('no problem raised');
}

describe('months and quarters', () => {
  it('counts months across years and finds quarters', () => {
    expect(shiftMonth('2024-01', -1)).toBe('2023-12');
    expect(shiftMonth('2023-12', 13)).toBe('2025-01');
    expect(quarterStartOf('2024-05')).toBe('2024-04');
    expect(quarterStartOf('2024-03')).toBe('2024-01');
    expect(quarterOf('2024-12')).toBe('2024-Q4');
    expect(monthsOfQuarter('2024-Q3')).toEqual({ from: '2024-07', to: '2024-09' });
  });

  it('takes the last complete month or quarter before now as the default end', () => {
    expect(lastCompleteMonth('month', NOW)).toBe('2024-04');
    expect(lastCompleteMonth('quarter', NOW)).toBe('2024-03');
    expect(lastCompleteMonth('month', new Date('2024-01-01T00:00:00Z'))).toBe('2023-12');
  });
});

describe('resolveMonths', () => {
  it('defaults to the 12 complete months before now', () => {
    expect(resolveMonths({ period: 'month' }, NOW, twelve)).toEqual({ from: '2023-05', to: '2024-04' });
    expect(resolveMonths({ period: 'quarter' }, NOW, twelve)).toEqual({ from: '2023-04', to: '2024-03' });
    expect(resolveMonths({ to: '2024-02', period: 'month' }, NOW, twelve)).toEqual({
      from: '2023-03',
      to: '2024-02',
    });
  });

  it('refuses, naming the field, a backwards range, a future end and more than ten years', () => {
    expect(
      problemOf(() => resolveMonths({ from: '2024-03', to: '2024-02', period: 'month' }, NOW, twelve)),
    ).toEqual({
      field: 'from',
      message: 'from: must not be after to (2024-02)',
    });
    expect(problemOf(() => resolveMonths({ to: '2024-06', period: 'month' }, NOW, twelve)).field).toBe('to');
    // The current month may be asked for: its figures are as recorded so far.
    expect(resolveMonths({ from: '2024-05', to: '2024-05', period: 'month' }, NOW, twelve).to).toBe(
      '2024-05',
    );
    expect(
      problemOf(() => resolveMonths({ from: '2014-04', to: '2024-04', period: 'month' }, NOW, twelve)).field,
    ).toBe('from');
    expect(resolveMonths({ from: '2014-05', to: '2024-04', period: 'month' }, NOW, twelve).from).toBe(
      '2014-05',
    );
  });
});

describe('sumReasons', () => {
  it('adds the reasons of several periods to the cent, most accounts first, no reason last', () => {
    expect(
      sumReasons([
        [
          { reason: 'price', accounts: 1, mrr: 0.1 },
          { reason: null, accounts: 2, mrr: 5 },
        ],
        [
          { reason: 'price', accounts: 1, mrr: 0.2 },
          { reason: 'budget', accounts: 2, mrr: 7 },
        ],
      ]),
    ).toEqual([
      { reason: 'budget', accounts: 2, mrr: 7 },
      { reason: null, accounts: 2, mrr: 5 },
      { reason: 'price', accounts: 2, mrr: 0.3 },
    ]);
  });
});

const sub = (
  account: string,
  plan: string,
  mrr: number,
  startedOn: string,
  endedOn: string | null = null,
): PlanPeriod => ({
  account,
  plan,
  mrr,
  startedOn,
  endedOn,
  cancelReason: null,
});

describe('plansAt', () => {
  it('takes the paid plan active at the end of the day with the highest MRR', () => {
    const periods = [
      sub('a', 'basic', 10, '2024-01-01', '2024-02-01'),
      sub('a', 'pro', 50, '2024-02-01'),
      sub('b', 'free', 0, '2024-01-01'),
      sub('c', 'addon', 5, '2024-01-01'),
      sub('c', 'team', 30, '2024-01-15'),
    ];
    expect(Object.fromEntries(plansAt(periods, '2024-01-31'))).toEqual({ a: 'basic', c: 'team' });
    expect(Object.fromEntries(plansAt(periods, '2024-02-01'))).toEqual({ a: 'pro', c: 'team' });
  });
});

describe('churn by segment', () => {
  const attributes = new Map<string, Record<string, unknown>>([
    ['a', { region: 'DE', seats: 1, tags: ['x'], vip: true }],
    ['b', { region: 'DE', seats: 2, tags: [], vip: false }],
    ['c', { region: 'AT', seats: 3 }],
    ['d', { seats: 4 }],
  ]);

  it('keeps attributes with 2 to 8 plain values and leaves out lists and one-value ones', () => {
    const many = new Map([...Array(12).keys()].map((i) => [`x${i}`, { id: `id-${i}`, country: 'DE' }]));
    expect(segmentAttributes(many.keys(), many)).toEqual([]);
    // seats takes 4 values (fine), tags holds lists (no segment), vip is yes / no / none.
    expect(segmentAttributes(['a', 'b', 'c', 'd'], attributes)).toEqual(['region', 'seats', 'vip']);
  });

  it('pools starting and churned accounts per plan and attribute value over the periods', () => {
    const rows = churnBySegment(
      [
        {
          starting: [
            { account: 'a', mrr: 100 },
            { account: 'b', mrr: 50 },
            { account: 'c', mrr: 20 },
          ],
          plans: new Map([
            ['a', 'pro'],
            ['b', 'basic'],
            ['c', 'basic'],
          ]),
          churned: new Set(['b']),
        },
        {
          starting: [
            { account: 'a', mrr: 100 },
            { account: 'c', mrr: 20 },
            { account: 'd', mrr: 10 },
          ],
          plans: new Map([
            ['a', 'pro'],
            ['c', 'basic'],
          ]),
          churned: new Set(['a', 'd']),
        },
      ],
      new Map([...attributes].map(([id, values]) => [id, { region: values.region }])),
    );
    expect(rows).toEqual([
      {
        dimension: 'plan',
        value: 'pro',
        starting: 2,
        churned: 1,
        churnRate: 0.5,
        startingMrr: 200,
        churnedMrr: 100,
      },
      {
        dimension: 'plan',
        value: 'basic',
        starting: 3,
        churned: 1,
        churnRate: 1 / 3,
        startingMrr: 90,
        churnedMrr: 50,
      },
      {
        dimension: 'plan',
        value: NO_VALUE,
        starting: 1,
        churned: 1,
        churnRate: 1,
        startingMrr: 10,
        churnedMrr: 10,
      },
      {
        dimension: 'region',
        value: 'DE',
        starting: 3,
        churned: 2,
        churnRate: 2 / 3,
        startingMrr: 250,
        churnedMrr: 150,
      },
      {
        dimension: 'region',
        value: NO_VALUE,
        starting: 1,
        churned: 1,
        churnRate: 1,
        startingMrr: 10,
        churnedMrr: 10,
      },
      {
        dimension: 'region',
        value: 'AT',
        starting: 2,
        churned: 0,
        churnRate: 0,
        startingMrr: 40,
        churnedMrr: 0,
      },
    ]);
  });
});

describe('cohort cells', () => {
  const matrix = cohortRetention(
    [
      { account: 'a', mrr: 100, startedOn: '2024-01-01', endedOn: '2024-03-10' },
      { account: 'b', mrr: 50, startedOn: '2024-01-05', endedOn: null },
    ],
    { asOf: '2024-04' },
  );

  it('shows the share the measure asks for, with the counts behind it', () => {
    const cell = matrix.rows[0]!.cells[2]!;
    expect(presentCohortCell(cell, 'customers')).toEqual({ value: 0.5, active: 1, revenue: 50 });
    expect(presentCohortCell(cell, 'revenue')).toEqual({ value: 50 / 150, active: 1, revenue: 50 });
    expect(presentCohortCell(null, 'customers')).toBeNull();
  });

  it('cuts a matrix to the months a report shows', () => {
    const cut = cohortColumns(matrix, 1);
    expect(cut.months).toBe(1);
    expect(cut.rows[0]!.cells).toHaveLength(2);
    expect(cut.average).toHaveLength(2);
    expect(cohortColumns(matrix, 12).months).toBe(3);
  });
});
