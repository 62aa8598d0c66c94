import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { summarizePurchases, type Transaction } from './customer-summary';

const BY_DAY = { calibrationEnd: 14, dateUnit: 'day-number', timeUnit: 'day' } as const;

describe('summarizePurchases', () => {
  it('merges a customer’s purchases of one day and leaves the first day out of frequency and spend', () => {
    const transactions: Transaction[] = [
      { customerId: 'a', date: 0, amount: 10 },
      { customerId: 'a', date: 3, amount: 20 },
      { customerId: 'a', date: 0, amount: 5 },
      { customerId: 'a', date: 10, amount: 30 },
      { customerId: 'a', date: 3, amount: 1 },
      { customerId: 'b', date: 7, amount: 99 },
    ];
    expect(summarizePurchases(transactions, BY_DAY)).toEqual({
      customers: [
        { customerId: 'a', frequency: 2, recency: 10, age: 14, monetaryValue: (21 + 30) / 2 },
        { customerId: 'b', frequency: 0, recency: 0, age: 7, monetaryValue: 0 },
      ],
      customersFirstSeenInHoldout: [],
    });
  });

  it('counts weeks as 7 days, as Hardie’s CDNOW files do', () => {
    const [customer] = summarizePurchases(
      [
        { customerId: 1, date: 0, amount: 1 },
        { customerId: 1, date: 213, amount: 1 },
      ],
      { calibrationEnd: 272, dateUnit: 'day-number', timeUnit: 'week' },
    ).customers;
    expect(customer).toMatchObject({ frequency: 1, recency: 213 / 7, age: 272 / 7 });
  });

  it('groups epoch milliseconds into UTC days', () => {
    const at = (iso: string) => Date.parse(iso);
    const { customers } = summarizePurchases(
      [
        { customerId: 'c', date: at('2024-03-01T09:00:00Z'), amount: 5 },
        { customerId: 'c', date: at('2024-03-02T00:30:00Z'), amount: 7 },
        { customerId: 'c', date: at('2024-03-02T23:59:00Z'), amount: 8 },
      ],
      { calibrationEnd: at('2024-03-15T00:00:00Z'), dateUnit: 'epoch-milliseconds', timeUnit: 'day' },
    );
    expect(customers[0]).toEqual({ customerId: 'c', frequency: 1, recency: 1, age: 14, monetaryValue: 15 });
  });

  it('counts holdout purchase days and lists customers who first bought in the holdout', () => {
    const summary = summarizePurchases(
      [
        { customerId: 'a', date: 2, amount: 10 },
        { customerId: 'a', date: 16, amount: 4 },
        { customerId: 'a', date: 16, amount: 6 },
        { customerId: 'a', date: 20, amount: 20 },
        { customerId: 'late', date: 15, amount: 3 },
      ],
      { ...BY_DAY, holdoutEnd: 28 },
    );
    expect(summary.holdoutDuration).toBe(14);
    expect(summary.customers).toEqual([
      {
        customerId: 'a',
        frequency: 0,
        recency: 0,
        age: 12,
        monetaryValue: 0,
        holdoutFrequency: 2,
        holdoutMonetaryValue: 15,
      },
    ]);
    expect(summary.customersFirstSeenInHoldout).toEqual(['late']);
  });

  it.each([
    [{ customerId: 'x', date: 3, amount: -1 }, /transaction 1: amount/],
    [{ customerId: 'x', date: Number.NaN, amount: 1 }, /transaction 1: date/],
    [{ customerId: 'x', date: 15, amount: 1 }, /transaction 1: dated after the calibration end/],
    [{ customerId: 'x', date: 2.5, amount: 1 }, /transaction 1: date must be a whole day/],
    [{ customerId: '', date: 3, amount: 1 }, /transaction 1: invalid customer id/],
    [{ customerId: 'x', date: 3, amount: Number.POSITIVE_INFINITY }, /transaction 1: amount/],
  ])('names the row of an invalid transaction %o', (invalid, message) => {
    const transactions = [{ customerId: 'ok', date: 1, amount: 1 }, invalid as Transaction];
    expect(() => summarizePurchases(transactions, BY_DAY)).toThrow(message);
  });

  it('refuses transactions after the holdout end and a holdout that ends before it starts', () => {
    const row = [{ customerId: 'x', date: 29, amount: 1 }];
    expect(() => summarizePurchases(row, { ...BY_DAY, holdoutEnd: 28 })).toThrow(
      /transaction 0: dated after the holdout end/,
    );
    expect(() => summarizePurchases([], { ...BY_DAY, holdoutEnd: 14 })).toThrow(/holdoutEnd/);
    expect(() => summarizePurchases([], { ...BY_DAY, timeUnit: 'month' as 'day' })).toThrow(/time unit/);
  });

  it('gives the same summary however a day’s spend is split into purchases and the rows are ordered', () => {
    const purchase = fc.record({
      customerId: fc.constantFrom('a', 'b', 'c'),
      date: fc.integer({ min: 0, max: 30 }),
      // Whole cents, so that sums do not depend on the order of addition.
      amount: fc.integer({ min: 0, max: 10_000 }).map((cents) => cents / 100),
    });
    fc.assert(
      fc.property(
        fc.array(purchase, { minLength: 1, maxLength: 40 }),
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 40, maxLength: 40 }),
        fc.integer(),
        (purchases, pieces, seed) => {
          const options = { calibrationEnd: 30, dateUnit: 'day-number', timeUnit: 'day' } as const;
          const split = purchases.flatMap((p, i) => {
            const count = pieces[i]!;
            const cents = Math.round(p.amount * 100);
            return Array.from({ length: count }, (_, k) => ({
              ...p,
              amount:
                (k === 0 ? cents - Math.floor(cents / count) * (count - 1) : Math.floor(cents / count)) / 100,
            }));
          });
          const shuffled = split
            .map((p, i) => ({ p, key: (Math.imul(i + 1, 2654435761) ^ seed) >>> 0 }))
            .sort((x, y) => x.key - y.key)
            .map(({ p }) => p);
          const byId = (summary: ReturnType<typeof summarizePurchases>) =>
            Object.fromEntries(summary.customers.map((c) => [c.customerId, c]));
          const merged = byId(summarizePurchases(purchases, options));
          const fromPieces = byId(summarizePurchases(shuffled, options));
          expect(Object.keys(fromPieces).sort()).toEqual(Object.keys(merged).sort());
          for (const [id, customer] of Object.entries(merged)) {
            const other = fromPieces[id]!;
            expect(other.frequency).toBe(customer.frequency);
            expect(other.recency).toBe(customer.recency);
            expect(other.age).toBe(customer.age);
            expect(other.monetaryValue).toBeCloseTo(customer.monetaryValue, 9);
            const days = new Set(purchases.filter((p) => p.customerId === id).map((p) => p.date));
            expect(customer.frequency).toBe(days.size - 1);
          }
        },
      ),
    );
  });
});
