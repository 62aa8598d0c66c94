import { describe, expect, it } from 'vitest';
import { mrrMovements } from './movements';
import { EXAMPLE, period } from './test-periods';

describe('mrrMovements', () => {
  const months = mrrMovements(EXAMPLE, { from: '2024-01', to: '2024-04' });
  const [january, february, march, april] = months;

  it('adds up: starting + new + expansion + reactivation − contraction − churned = ending', () => {
    expect(
      months.map(
        ({ period, startingMrr, new: added, expansion, contraction, churned, reactivation, endingMrr }) => ({
          period,
          startingMrr,
          added,
          expansion,
          contraction,
          churned,
          reactivation,
          endingMrr,
        }),
      ),
    ).toEqual([
      {
        period: '2024-01',
        startingMrr: 260,
        added: 200,
        expansion: 0,
        contraction: 0,
        churned: 40,
        reactivation: 0,
        endingMrr: 420,
      },
      {
        period: '2024-02',
        startingMrr: 420,
        added: 0,
        expansion: 50,
        contraction: 0,
        churned: 0,
        reactivation: 90,
        endingMrr: 560,
      },
      {
        period: '2024-03',
        startingMrr: 560,
        added: 50,
        expansion: 0,
        contraction: 0,
        churned: 200,
        reactivation: 0,
        endingMrr: 410,
      },
      {
        period: '2024-04',
        startingMrr: 410,
        added: 0,
        expansion: 0,
        contraction: 50,
        churned: 0,
        reactivation: 0,
        endingMrr: 360,
      },
    ]);
  });

  it('counts customers, who are accounts with MRR > 0 (a free plan is none)', () => {
    expect(months.map((month) => month.customers)).toEqual([
      { starting: 3, new: 1, reactivated: 0, churned: 1, ending: 3 },
      { starting: 3, new: 0, reactivated: 1, churned: 0, ending: 4 },
      { starting: 4, new: 1, reactivated: 0, churned: 1, ending: 4 },
      { starting: 4, new: 0, reactivated: 0, churned: 0, ending: 4 },
    ]);
  });

  it('reads the snapshots on the last day of the month before and of the month', () => {
    expect([february!.startSnapshot, february!.endSnapshot]).toEqual(['2024-01-31', '2024-02-29']);
  });

  it('counts a subscription that ends on a month’s last day as churned in that month', () => {
    expect(march!.accounts.churned).toEqual([{ account: 'B', before: 200, after: 0, reason: 'price' }]);
  });

  it('counts a subscription that starts on a month’s last day in that month', () => {
    expect(march!.accounts.new).toEqual([{ account: 'D', before: 0, after: 50 }]);
    expect(february!.accounts.reactivation).toEqual([{ account: 'C', before: 0, after: 90 }]);
  });

  it('calls an account that paid before the range reactivated, not new', () => {
    expect(february!.accounts.new).toEqual([]);
    const onlyFebruary = mrrMovements(EXAMPLE, { from: '2024-02', to: '2024-02' })[0]!;
    expect(onlyFebruary.customers).toMatchObject({ new: 0, reactivated: 1 });
  });

  it('calls an account new in its first paid month and reactivated when it returns in the range', () => {
    const periods = [period('x', 10, '2024-01-15', '2024-02-15'), period('x', 12, '2024-03-01')];
    const [jan, feb, mar] = mrrMovements(periods, { from: '2024-01', to: '2024-03' });
    expect(jan!.accounts.new).toEqual([{ account: 'x', before: 0, after: 10 }]);
    expect(feb!.accounts.churned).toEqual([{ account: 'x', before: 10, after: 0, reason: null }]);
    expect(mar!.accounts.reactivation).toEqual([{ account: 'x', before: 0, after: 12 }]);
    expect(mar!.accounts.new).toEqual([]);
  });

  it('does not see an account that started and left within one month', () => {
    const ids = january!.accounts;
    expect([...ids.new, ...ids.churned].map((move) => move.account)).toEqual(['B', 'H']);
  });

  it('keeps a plan change on one day as one movement', () => {
    expect(february!.accounts.expansion).toEqual([{ account: 'A', before: 100, after: 150 }]);
    expect(april!.accounts.contraction).toEqual([{ account: 'E', before: 120, after: 70 }]);
  });

  it('takes the cancel reason of the subscription that ended last, then a given reason, then the higher MRR', () => {
    const periods = [
      period('r', 100, '2024-01-01', '2024-05-10', 'downgrade'),
      period('r', 50, '2024-05-10', '2024-05-20', 'competitor'),
      period('s', 80, '2024-01-01', '2024-05-15'),
      period('s', 20, '2024-01-01', '2024-05-15', 'support'),
    ];
    const [may] = mrrMovements(periods, { from: '2024-05', to: '2024-05' });
    expect(may!.accounts.churned).toEqual([
      { account: 'r', before: 100, after: 0, reason: 'competitor' },
      { account: 's', before: 100, after: 0, reason: 'support' },
    ]);
  });

  it('counts churned accounts and their MRR per cancel reason, most frequent first', () => {
    const periods = [
      period('p1', 10, '2024-01-01', '2024-02-03', 'price'),
      period('p2', 20, '2024-01-01', '2024-02-04', 'price'),
      period('n1', 50, '2024-01-01', '2024-02-05', ''),
      period('q1', 5, '2024-01-01', '2024-02-06', 'quality'),
    ];
    expect(mrrMovements(periods, { from: '2024-02', to: '2024-02' })[0]!.churnReasons).toEqual([
      { reason: 'price', accounts: 2, mrr: 30 },
      { reason: null, accounts: 1, mrr: 50 },
      { reason: 'quality', accounts: 1, mrr: 5 },
    ]);
  });

  it('lists the accounts of a movement largest change first', () => {
    const periods = [
      period('a-small', 5, '2024-01-10'),
      period('b-large', 500, '2024-01-10'),
      period('c-mid', 50, '2024-01-10'),
      period('d-mid', 50, '2024-01-10'),
    ];
    const [january] = mrrMovements(periods, { from: '2024-01', to: '2024-01' });
    expect(january!.accounts.new.map((move) => move.account)).toEqual([
      'b-large',
      'c-mid',
      'd-mid',
      'a-small',
    ]);
  });

  it('leaves the account lists empty when asked to, with the same figures', () => {
    const quick = mrrMovements(EXAMPLE, { from: '2024-01', to: '2024-04', listAccounts: false });
    expect(quick.map(({ accounts, ...figures }) => figures)).toEqual(
      months.map(({ accounts, ...figures }) => figures),
    );
    expect(quick.every(({ accounts }) => Object.values(accounts).every((list) => list.length === 0))).toBe(
      true,
    );
  });

  it('adds cents exactly where binary fractions would not', () => {
    const periods = [
      period('a', 0.1, '2024-01-01'),
      period('b', 0.2, '2024-01-01'),
      period('c', 0.7, '2023-12-01', '2024-01-02'),
    ];
    const [january] = mrrMovements(periods, { from: '2024-01', to: '2024-01' });
    expect(january).toMatchObject({ startingMrr: 0.7, new: 0.3, churned: 0.7, endingMrr: 0.3 });
  });
});
