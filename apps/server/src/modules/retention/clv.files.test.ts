import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../platform/csv';
import {
  dayOfOption,
  fitLifetimeValue,
  historiesOfSummaryCsv,
  historiesOfTransactions,
  transactionsOfCsv,
} from './clv.files';

const FIXTURES = new URL('../../../../../packages/stats/fixtures/cdnow/', import.meta.url);
const day = (iso: string) => dayOfOption(iso, 'day');
const TODAY = day('2026-12-03');

/** The CDNOW 1/10 sample (see packages/stats/fixtures/cdnow/README.md) as a CSV with a header. */
function cdnowCsv(): string {
  const lines = readFileSync(new URL('CDNOW_sample.txt', FIXTURES), 'utf8').trim().split('\n');
  return ['customer,sample,date,cds,dollars', ...lines.map((l) => l.trim().split(/\s+/).join(','))].join(
    '\n',
  );
}

describe('reading a transaction log', () => {
  it('reports each bad row by line and keeps the good ones', () => {
    const table = parseCsv(
      'customer,date,amount\na,2026-01-01,10\nb,2026-13-01,5\n,2026-01-02,3\nc,2026-01-03,-4\nd,2030-01-01,4\ne,2026-01-04,12,50\nf,2026-01-05,"12,50"\n',
    );
    const { transactions, problems } = transactionsOfCsv(
      table,
      { customer: 'customer', date: 'date', amount: 'amount' },
      TODAY,
    );
    expect(transactions).toEqual([
      { customerId: 'a', date: day('2026-01-01'), amount: 10 },
      { customerId: 'f', date: day('2026-01-05'), amount: 12.5 },
    ]);
    expect(problems.map((p) => p.line).sort()).toEqual([3, 4, 5, 6, 7]);
    expect(problems.find((p) => p.line === 3)!.message).toContain('"2026-13-01" is not a date');
    expect(problems.find((p) => p.line === 5)!.message).toContain('negative');
    expect(problems.find((p) => p.line === 6)!.message).toContain('in the future');
  });

  it('names the missing column and the columns there are', () => {
    const table = parseCsv('kunde,datum,betrag\na,2026-01-01,1\n');
    expect(() =>
      transactionsOfCsv(table, { customer: 'customer', date: 'datum', amount: 'betrag' }, TODAY),
    ).toThrow('--customer-col: no column "customer"; the file has "kunde", "datum", "betrag"');
  });

  it('reads dates in a given format', () => {
    const table = parseCsv('c,d,a\nx,19970101,29.33\ny,1997-01-01,1\n');
    const { transactions, problems } = transactionsOfCsv(
      table,
      { customer: 'c', date: 'd', amount: 'a', dateFormat: 'yyyyMMdd' },
      TODAY,
    );
    expect(transactions).toEqual([{ customerId: 'x', date: day('1997-01-01'), amount: 29.33 }]);
    expect(problems).toEqual([{ line: 3, message: '"1997-01-01" is not a date in the format yyyyMMdd' }]);
  });
});

describe('reading a customer summary', () => {
  it("takes lifetimes' and Hardie's column names and reports impossible rows", () => {
    const { customers, problems } = historiesOfSummaryCsv(
      parseCsv(
        'ID,x,t_x,T,zbar\n1,2,30.43,38.86,22.35\n2,0,0,38.86,0\n3,1,40,38,5\n4,1.5,2,3,1\n5,0,2,3,0\n6,1,1,2,-3\n',
      ),
    );
    expect(customers).toEqual([
      { frequency: 2, recency: 30.43, age: 38.86, monetaryValue: 22.35 },
      { frequency: 0, recency: 0, age: 38.86, monetaryValue: 0 },
    ]);
    expect(problems).toEqual([
      { line: 4, message: 'recency must be between 0 and T' },
      { line: 5, message: 'frequency must be a whole number ≥ 0' },
      { line: 6, message: 'recency must be 0 without repeat purchases' },
      { line: 7, message: 'monetary_value must be a number ≥ 0' },
    ]);
  });

  it('says which columns are missing', () => {
    expect(() => historiesOfSummaryCsv(parseCsv('frequency,T\n1,2\n'))).toThrow(
      'recency missing in "frequency", "T"',
    );
  });
});

describe('fitting lifetime value', () => {
  it('refuses too few customers', () => {
    const few = Array.from({ length: 9 }, () => ({ frequency: 1, recency: 1, age: 2 }));
    expect(() => fitLifetimeValue(few, null)).toThrow('9 found; at least 10 are needed to fit');
  });

  // Fader, Hardie & Lee (2005), "Counting your customers the easy way", Marketing Science 24(2): on the CDNOW
  // sample with a 39-week calibration, r = 0.243, α = 4.414, a = 0.793, b = 2.426, LL = −9582.4; and "RFM and
  // CLV" (2005), Journal of Marketing Research 42(4): Gamma-Gamma p = 6.25, q = 3.74, γ = 15.44. The holdout
  // (the next 39 weeks) holds 1,882 repeat purchases of these 2,357 customers.
  it('reproduces the published CDNOW fits from the raw transactions and compares with the holdout', () => {
    const { transactions, problems } = transactionsOfCsv(
      parseCsv(cdnowCsv()),
      { customer: 'customer', date: 'date', amount: 'dollars', dateFormat: 'yyyyMMdd' },
      TODAY,
    );
    expect(problems).toEqual([]);
    expect(transactions).toHaveLength(6919);
    const { customers, holdoutDuration, firstSeenInHoldout } = historiesOfTransactions(transactions, {
      calibrationEnd: day('1997-09-30'),
      timeUnit: 'week',
    });
    expect(holdoutDuration).toBe(39);
    expect(firstSeenInHoldout).toBe(0);
    const report = fitLifetimeValue(customers, holdoutDuration);
    expect(report.customers).toBe(2357);
    expect(report.repeatBuyers).toBe(946);
    expect(report.bgnbd.converged).toBe(true);
    expect(report.bgnbd.r).toBeCloseTo(0.243, 3);
    expect(report.bgnbd.alpha).toBeCloseTo(4.414, 2);
    expect(report.bgnbd.a).toBeCloseTo(0.793, 3);
    expect(report.bgnbd.b).toBeCloseTo(2.426, 2);
    expect(report.bgnbd.logLikelihood).toBeCloseTo(-9582.4, 1);
    expect(report.gammaGamma!.p).toBeCloseTo(6.25, 2);
    expect(report.gammaGamma!.q).toBeCloseTo(3.74, 2);
    expect(report.gammaGamma!.gamma).toBeCloseTo(15.44, 1);
    const holdout = report.holdout!;
    expect(holdout.actual).toBe(1882);
    expect(holdout.byFrequency.reduce((n, row) => n + row.customers, 0)).toBe(2357);
    expect(holdout.byFrequency.map((row) => row.frequency)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // The model's expectation per customer rises with past purchases, as the purchases that followed do.
    const expected = holdout.byFrequency.map((row) => row.expected);
    expect(expected).toEqual([...expected].sort((a, b) => a - b));
    expect(holdout.expected / holdout.actual).toBeGreaterThan(0.8);
    expect(holdout.expected / holdout.actual).toBeLessThan(1.1);
  });

  it('refuses purchases after the holdout end', () => {
    const transactions = [
      { customerId: 'a', date: day('2026-01-01'), amount: 1 },
      { customerId: 'a', date: day('2026-03-01'), amount: 1 },
    ];
    expect(() =>
      historiesOfTransactions(transactions, {
        calibrationEnd: day('2026-01-31'),
        holdoutEnd: day('2026-02-01'),
        timeUnit: 'day',
      }),
    ).toThrow('1 purchases lie after it');
  });
});
