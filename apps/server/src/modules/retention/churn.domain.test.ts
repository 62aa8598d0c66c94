import { describe, expect, it } from 'vitest';
import {
  type AccountFacts,
  BASE_FEATURES,
  chooseAttributeKeys,
  chooseUsageNames,
  featureHeader,
  featureTable,
  usageTrend,
} from './churn.domain';

function facts(id: string, changes: Partial<AccountFacts> = {}): AccountFacts {
  return {
    id,
    tenureDays: 400,
    mrr: 99,
    plan: 'pro',
    mrrChange90d: 0,
    orders90d: 0,
    revenue90d: 0,
    orders365d: 0,
    daysSinceOrder: null,
    usage30d: {},
    usagePrevious30d: 0,
    openTickets: 0,
    tickets90d: 0,
    complaints90d: 0,
    reopened90d: 0,
    slaBreaches90d: 0,
    csat90d: null,
    nps: null,
    daysSinceContact: null,
    attributes: {},
    ...changes,
  };
}

describe('usage trend', () => {
  it('is the relative change against the 30 days before', () => {
    expect(usageTrend(facts('a', { usage30d: { login: 30, export: 10 }, usagePrevious30d: 80 }))).toBe(-0.5);
    expect(usageTrend(facts('a', { usage30d: { login: 5 }, usagePrevious30d: 0 }))).toBe(1);
    expect(usageTrend(facts('a'))).toBeNull();
    expect(usageTrend(facts('a', { usagePrevious30d: 12 }))).toBe(-1);
  });
});

describe('feature columns', () => {
  it('take the usage names most accounts have', () => {
    const all = [
      facts('a', { usage30d: { login: 3, export: 1 } }),
      facts('b', { usage30d: { login: 1, report: 2 } }),
      facts('c', { usage30d: { report: 1, export: 0 } }),
      facts('d', { usage30d: { login: 9 } }),
    ];
    expect(chooseUsageNames(all)).toEqual(['login', 'report', 'export']);
    expect(chooseUsageNames(all, 1)).toEqual(['login']);
  });

  it('take common attributes but not identifiers, rare keys or objects', () => {
    const all = Array.from({ length: 40 }, (_, i) =>
      facts(String(i), {
        attributes: {
          seats: i,
          country: i % 2 ? 'DE' : 'AT',
          vatId: `DE${100_000 + i}`,
          nested: { a: 1 },
          ...(i === 0 ? { rare: 'x' } : {}),
        },
      }),
    );
    expect(chooseAttributeKeys(all)).toEqual(['country', 'seats']);
  });
});

describe('feature table', () => {
  const columns = { usageNames: ['login'], attributeKeys: ['country'] };

  it('has one row per account with blanks for unknown values', () => {
    const table = featureTable(
      [facts('a', { usage30d: { login: 4, export: 2 }, csat90d: 0.5, attributes: { country: 'DE' } })],
      columns,
    );
    expect(table.header).toEqual(['account', ...BASE_FEATURES, 'usage.login', 'attr.country']);
    const row = Object.fromEntries(table.header.map((name, i) => [name, table.rows[0]![i]]));
    expect(row).toMatchObject({
      account: 'a',
      mrr: '99',
      plan: 'pro',
      usage_30d: '6',
      usage_trend: '1',
      csat_90d: '0.5',
      nps: '',
      days_since_order: '',
      'usage.login': '4',
      'attr.country': 'DE',
    });
  });

  it('adds the label and leaves out accounts without one', () => {
    const table = featureTable(
      [facts('a'), facts('b'), facts('c')],
      columns,
      new Map([
        ['a', true],
        ['c', false],
      ]),
    );
    expect(table.header).toEqual(featureHeader(columns, true));
    expect(table.rows.map((row) => [row[0], row[row.length - 1]])).toEqual([
      ['a', 'yes'],
      ['c', 'no'],
    ]);
  });
});
