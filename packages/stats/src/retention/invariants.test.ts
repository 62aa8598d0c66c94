import { describe, expect, it } from 'vitest';
import { createRandom } from '../churn/random';
import { cohortRetention } from './cohorts';
import type { SubscriptionPeriod } from './input';
import { mrrMovements } from './movements';
import { monthlyMrr, mrrByAccountAt } from './mrr';
import { retentionRates } from './rates';

const MONTHS = ['2023-11', '2023-12', '2024-01', '2024-02', '2024-03', '2024-04', '2024-05', '2024-06'];
const REASONS = [null, 'price', 'support', 'competitor'];

/** Random accounts with one to four subscriptions in 2023–2024, ends often on month ends and month starts. */
function randomPeriods(seed: number, accounts: number): SubscriptionPeriod[] {
  const random = createRandom(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  const dateOf = (dayOfPeriod: number) =>
    new Date(Date.UTC(2023, 9, 1) + dayOfPeriod * 86_400_000).toISOString().slice(0, 10);
  const boundaryDay = () => {
    const day = Math.floor(random() * 300);
    if (random() < 0.3) return day;
    // Snap to a month's last or first day, where the boundary rules matter.
    const date = new Date(Date.UTC(2023, 9, 1) + day * 86_400_000);
    const first = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
    const snapped = random() < 0.5 ? first : first - 86_400_000;
    return Math.max(0, Math.round((snapped - Date.UTC(2023, 9, 1)) / 86_400_000));
  };
  const periods: SubscriptionPeriod[] = [];
  for (let account = 0; account < accounts; account++) {
    const count = 1 + Math.floor(random() * 4);
    for (let i = 0; i < count; i++) {
      const start = boundaryDay();
      const end = random() < 0.3 ? null : start + Math.floor(random() * 200);
      periods.push({
        account: `acc-${account}`,
        mrr: random() < 0.1 ? 0 : Math.round(random() * 50_000) / 100,
        startedOn: dateOf(start),
        endedOn: end === null ? null : dateOf(end),
        cancelReason: pick(REASONS),
      });
    }
  }
  return periods;
}

const cents = (amount: number) => Math.round(amount * 100);

/** The month-end MRR in cents of every account, straight from the definition with string comparisons. */
function naiveMonthEnd(periods: readonly SubscriptionPeriod[], monthEnd: string): Map<string, number> {
  const result = new Map<string, number>();
  for (const p of periods) {
    if (p.startedOn <= monthEnd && (p.endedOn === null || p.endedOn > monthEnd)) {
      result.set(p.account, (result.get(p.account) ?? 0) + cents(p.mrr));
    }
  }
  return result;
}

describe.each([1, 2, 3, 4, 5])('random subscriptions (seed %i)', (seed) => {
  const periods = randomPeriods(seed, 300);
  const from = MONTHS[0]!;
  const to = MONTHS[MONTHS.length - 1]!;
  const months = mrrMovements(periods, { from, to });

  it('starting + movements = ending every month, in cents and in customers', () => {
    for (const month of months) {
      expect(
        cents(month.startingMrr) +
          cents(month.new) +
          cents(month.expansion) +
          cents(month.reactivation) -
          cents(month.contraction) -
          cents(month.churned),
      ).toBe(cents(month.endingMrr));
      const { starting, new: added, reactivated, churned, ending } = month.customers;
      expect(starting + added + reactivated - churned).toBe(ending);
      for (const key of ['new', 'expansion', 'contraction', 'churned', 'reactivation'] as const) {
        const listed = month.accounts[key].reduce(
          (sum, move) => sum + Math.abs(cents(move.after) - cents(move.before)),
          0,
        );
        expect(listed).toBe(cents(month[key]));
      }
      expect(month.churnReasons.reduce((sum, reason) => sum + reason.accounts, 0)).toBe(churned);
    }
    for (let i = 1; i < months.length; i++) {
      expect(months[i]!.startingMrr).toBe(months[i - 1]!.endingMrr);
      expect(months[i]!.customers.starting).toBe(months[i - 1]!.customers.ending);
    }
  });

  it('classifies every account as the definition does', () => {
    const previousMonthEnd = (month: string) => months.find((m) => m.period === month)!.startSnapshot;
    // Every month end from before the first subscription (October 2023) on, read by the definition.
    const allMonthEnds = monthlyMrr([], { from: '2023-09', to }).map((month) => month.monthEnd);
    const everPaidBy = (account: string, monthEnd: string) =>
      allMonthEnds.some((end) => end <= monthEnd && (naiveMonthEnd(periods, end).get(account) ?? 0) > 0);
    for (const month of months) {
      const before = naiveMonthEnd(periods, previousMonthEnd(month.period));
      const after = naiveMonthEnd(periods, month.endSnapshot);
      const expected = {
        new: [] as string[],
        reactivation: [] as string[],
        churned: [] as string[],
        expansion: [] as string[],
        contraction: [] as string[],
      };
      for (const account of new Set(periods.map((p) => p.account))) {
        const b = before.get(account) ?? 0;
        const a = after.get(account) ?? 0;
        if (b === 0 && a > 0)
          expected[everPaidBy(account, month.startSnapshot) ? 'reactivation' : 'new'].push(account);
        else if (b > 0 && a === 0) expected.churned.push(account);
        else if (a > b && b > 0) expected.expansion.push(account);
        else if (a < b && a > 0) expected.contraction.push(account);
      }
      for (const key of Object.keys(expected) as (keyof typeof expected)[]) {
        expect(month.accounts[key].map((move) => move.account).sort(), `${month.period} ${key}`).toEqual(
          expected[key].sort(),
        );
      }
      const ending = [...after.values()].filter((value) => value > 0);
      expect(cents(month.endingMrr)).toBe(ending.reduce((sum, value) => sum + value, 0));
      expect(month.customers.ending).toBe(ending.length);
    }
  });

  it('agrees with the monthly snapshot and with mrrByAccountAt', () => {
    const snapshot = monthlyMrr(periods, { from, to });
    expect(snapshot.map((month) => [month.mrr, month.customers])).toEqual(
      months.map((month) => [month.endingMrr, month.customers.ending]),
    );
    for (const month of snapshot) {
      const accounts = mrrByAccountAt(periods, month.monthEnd);
      expect(accounts.length).toBe(month.customers);
      expect(accounts.reduce((sum, account) => sum + cents(account.mrr), 0)).toBe(cents(month.mrr));
    }
  });

  it('keeps quarters consistent with the month-end snapshots', () => {
    const quarters = retentionRates(periods, { from: '2023-10', to: '2024-06', period: 'quarter' });
    const byMonth = new Map(
      monthlyMrr(periods, { from: '2023-09', to: '2024-06' }).map((month) => [month.monthEnd, month]),
    );
    for (const quarter of quarters) {
      expect(quarter.startingMrr).toBe(byMonth.get(quarter.startSnapshot)!.mrr);
      expect(quarter.endingMrr).toBe(byMonth.get(quarter.endSnapshot)!.mrr);
      expect(
        cents(quarter.startingMrr) +
          cents(quarter.new) +
          cents(quarter.expansion) +
          cents(quarter.reactivation) -
          cents(quarter.contraction) -
          cents(quarter.churned),
      ).toBe(cents(quarter.endingMrr));
      if (quarter.customers.starting > 0)
        expect(quarter.customerChurnRate! + quarter.customerRetentionRate!).toBeCloseTo(1, 12);
    }
  });

  it('puts every paying account in the cohort of its first paid month end and follows it as the definition does', () => {
    const matrix = cohortRetention(periods, { asOf: '2024-12' });
    const monthEnds = monthlyMrr(periods, { from: '2023-10', to: '2024-12' }).map((month) => month.monthEnd);
    const byMonthEnd = new Map(monthEnds.map((monthEnd) => [monthEnd, naiveMonthEnd(periods, monthEnd)]));
    const cohortOf = new Map<string, number>();
    monthEnds.forEach((monthEnd, index) => {
      for (const [account, value] of byMonthEnd.get(monthEnd)!)
        if (value > 0 && !cohortOf.has(account)) cohortOf.set(account, index);
    });
    const accounts = new Set(periods.map((p) => p.account));
    expect(matrix.accountsWithoutCohort).toBe(accounts.size - cohortOf.size);
    const firstRow = monthEnds.findIndex((monthEnd) => monthEnd.startsWith(matrix.rows[0]!.cohort));
    matrix.rows.forEach((row, rowIndex) => {
      const members = [...cohortOf]
        .filter(([, cohort]) => cohort === firstRow + rowIndex)
        .map(([account]) => account);
      expect(row.size, row.cohort).toBe(members.length);
      row.cells.forEach((cell, k) => {
        const monthEnd = monthEnds[firstRow + rowIndex + k];
        if (cell === null) {
          expect(monthEnd === undefined || row.size === 0, `${row.cohort} + ${k}`).toBe(true);
          return;
        }
        const values = members
          .map((account) => byMonthEnd.get(monthEnd!)!.get(account) ?? 0)
          .filter((value) => value > 0);
        expect(cell.active, `${row.cohort} + ${k}`).toBe(values.length);
        expect(cents(cell.revenue)).toBe(values.reduce((sum, value) => sum + value, 0));
      });
    });
  });
});
