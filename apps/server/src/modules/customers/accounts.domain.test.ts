import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../platform/csv';
import { checkRow, duplicateErrors, mapColumns, parseTimeCell, readTable } from './accounts.domain';

const NOW = new Date('2026-06-15T12:00:00Z');
const read = <K extends Parameters<typeof readTable>[0]>(
  kind: K,
  csv: string,
  overrides: Record<string, string> = {},
  dateFormat?: string,
) => readTable(kind, parseCsv(csv), overrides, { now: NOW, ...(dateFormat ? { dateFormat } : {}) });

/** The table's errors as `line: field: message`, the way the command prints them. */
function problems(result: ReturnType<typeof read>): string[] {
  if (!result.ok) throw new Error(`whole-file error: ${result.message}`);
  return result.errors.map((e) => `${e.ref}: ${e.field}: ${e.message}`);
}

describe('mapping CSV columns to fields', () => {
  it('matches columns named like a field in any case and spelling, and common other names', () => {
    const result = mapColumns('subscriptions', [
      'Subscription ID',
      'Customer ID',
      'PLAN',
      'mrr',
      'Start Date',
      'Cancellation Date',
      'Notes',
    ]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(Object.fromEntries(result.mapping.columns)).toEqual({
      external_id: 0,
      account: 1,
      plan: 2,
      mrr: 3,
      started_on: 4,
      ended_on: 5,
    });
    expect(result.mapping.extra).toEqual([6]);
  });

  it('takes a column named with --map before any default, and never one column for two fields', () => {
    const result = mapColumns('orders', ['id', 'Kunde', 'Datum', 'Betrag', 'order_id'], {
      external_id: 'order_id',
      account: 'Kunde',
      ordered_at: 'Datum',
      amount: 'Betrag',
    });
    expect(result.ok && Object.fromEntries(result.mapping.columns)).toEqual({
      external_id: 4,
      account: 1,
      ordered_at: 2,
      amount: 3,
    });
    expect(result.ok && result.mapping.extra).toEqual([0]);
  });

  it('fails the whole file naming a required field without a column, and a bad --map', () => {
    expect(mapColumns('subscriptions', ['external_id', 'account', 'plan', 'started_on'])).toEqual({
      ok: false,
      field: 'mrr',
      message:
        'the file has no column "mrr" (or name one with --map mrr=COLUMN); it has "external_id", "account", "plan", "started_on"',
    });
    expect(mapColumns('usage', ['account', 'name', 'time'], { amount: 'time' })).toMatchObject({
      ok: false,
      field: '--map',
      message: expect.stringContaining('"amount" is not a field of usage; the fields are account, name'),
    });
    expect(mapColumns('usage', ['account', 'name', 'time'], { occurred_at: 'When' })).toMatchObject({
      ok: false,
      field: '--map',
      message: 'occurred_at=When: the file has no column "When"; it has "account", "name", "time"',
    });
  });

  it('says that an empty file is empty', () => {
    expect(read('accounts', '')).toEqual({ ok: false, field: 'FILE', message: 'the file is empty' });
  });
});

describe('reading rows', () => {
  it('reads an accounts file, keeping extra columns as attributes with numbers as numbers', () => {
    const result = read(
      'accounts',
      'external_id,name,email,plan_tier,seats,postcode,country\nA-1,Acme GmbH, Info@Acme.example ,gold,25,01067,\n',
    );
    expect(result.ok && result.entries).toEqual([
      {
        ref: 2,
        row: {
          externalId: 'A-1',
          name: 'Acme GmbH',
          email: 'info@acme.example',
          attributes: { plan_tier: 'gold', seats: 25, postcode: '01067' },
        },
      },
    ]);
    expect(result.ok && result.unusedColumns).toEqual([]);
  });

  it('reports every bad row of a subscriptions file by its line and keeps the good ones', () => {
    const result = read(
      'subscriptions',
      [
        'external_id,account,plan,mrr,currency,started_on,ended_on,cancel_reason',
        'S-1,A-1,Pro,"99,50",eur,2025-01-01,2025-06-30,too expensive',
        'S-2,,Pro,10,,2025-01-01,,',
        'S-3,A-1,Pro,ten,,2025-01-01,,',
        'S-4,A-1,Pro,-5,,2025-01-01,,',
        'S-5,A-1,Pro,5,,2025-02-30,,',
        'S-6,A-1,Pro,5,,2027-01-01,,',
        'S-7,A-1,Pro,5,,2025-03-01,2025-02-01,',
        'S-1,A-2,Basic,5,,2025-01-01,,',
        'S-8,A-1,Pro,5,euro,2025-01-01,2030-12-31,',
        'S-9,A-1,Pro,5',
      ].join('\n'),
    );
    expect(problems(result)).toEqual([
      '3: account: is empty',
      '4: mrr: "ten" is not a number',
      '5: mrr: is negative',
      '6: started_on: "2025-02-30" is not a date',
      '7: started_on: 2027-01-01 is in the future',
      '8: ended_on: 2025-02-01 is before the start 2025-03-01',
      '9: external_id: "S-1" is already on line 2',
      '10: currency: not a three-letter currency code (ISO 4217)',
      '11: row: expected 8 fields as in the header, found 4',
    ]);
    expect(result.ok && result.entries).toEqual([
      {
        ref: 2,
        row: {
          externalId: 'S-1',
          account: 'A-1',
          plan: 'Pro',
          mrr: 99.5,
          currency: 'EUR',
          startedOn: '2025-01-01',
          endedOn: '2025-06-30',
          cancelReason: 'too expensive',
        },
      },
    ]);
  });

  it('accepts an end day in the future: a cancellation that takes effect at the end of the term', () => {
    const result = read(
      'subscriptions',
      'external_id,account,plan,mrr,started_on,ended_on\nS-1,A-1,Pro,5,2026-01-01,2026-12-31\n',
    );
    expect(problems(result)).toEqual([]);
    expect(result.ok && result.entries[0]?.row).toMatchObject({ endedOn: '2026-12-31' });
  });

  it('rejects negative and zero order amounts and reads products as a list', () => {
    const result = read(
      'orders',
      [
        'external_id,account,ordered_at,amount,products',
        'O-1,A-1,2026-03-01T10:15:00+02:00,49.90,Starter kit|Refill ; Gift card',
        'O-2,A-1,2026-03-02,-12.00,',
        'O-3,A-1,2026-03-02,0,',
        'O-4,A-1,2026-06-16T01:00:00Z,5,',
        'O-5,A-1,2099-01-01T00:00:00Z,5,',
      ].join('\n'),
    );
    expect(problems(result)).toEqual([
      '3: amount: is negative (a refund is not an order)',
      '4: amount: is 0 (an order has an amount)',
      '6: ordered_at: 2099-01-01T00:00:00.000Z is in the future',
    ]);
    expect(result.ok && result.entries.map((e) => e.row)).toEqual([
      {
        externalId: 'O-1',
        account: 'A-1',
        orderedAt: '2026-03-01T08:15:00.000Z',
        amount: 49.9,
        products: ['Starter kit', 'Refill', 'Gift card'],
      },
      { externalId: 'O-4', account: 'A-1', orderedAt: '2026-06-16T01:00:00.000Z', amount: 5 },
    ]);
  });

  it('counts usage as whole numbers, 1 when blank, and reports the same event twice', () => {
    const result = read(
      'usage',
      [
        'account,name,occurred_at,count',
        'A-1,export,2026-05-01 10:00:00,3',
        'A-1,export,2026-05-01 11:00:00,',
        'A-1,export,2026-05-01T10:00:00Z,7',
        'A-1,login,2026-05-01 10:00:00,1.5',
        'A-1,login,2026-05-01 10:00:00,-1',
      ].join('\n'),
    );
    expect(problems(result)).toEqual([
      '4: occurred_at: the same account, name and time as line 2',
      '5: count: "1.5" is not a whole number',
      '6: count: is negative',
    ]);
    expect(result.ok && result.entries.map((e) => [e.ref, e.row.count ?? 1])).toEqual([
      [2, 3],
      [3, 1],
    ]);
  });

  it('reads dates in the format given with --date-format', () => {
    const result = read(
      'subscriptions',
      'external_id;account;plan;mrr;started_on;ended_on\nS-1;A-1;Pro;10;01.02.2025;31.12.2025\nS-2;A-1;Pro;10;2025-02-01;\n',
      {},
      'dd.MM.yyyy',
    );
    expect(problems(result)).toEqual(['3: started_on: "2025-02-01" is not a date in the format dd.MM.yyyy']);
    expect(result.ok && result.entries[0]?.row).toMatchObject({
      startedOn: '2025-02-01',
      endedOn: '2025-12-31',
    });
    const compact = read('accounts', 'external_id,acquired_on\nA-1,20240229\n', {}, 'yyyyMMdd');
    expect(compact.ok && compact.entries[0]?.row.acquiredOn).toBe('2024-02-29');
  });

  it('names the mapped column in problems, not the field', () => {
    const result = read('orders', 'Nr,Kunde,Datum,Betrag\nO-1,A-1,gestern,10\n', {
      external_id: 'Nr',
      account: 'Kunde',
      ordered_at: 'Datum',
      amount: 'Betrag',
    });
    expect(problems(result)).toEqual(['2: Datum: "gestern" is not a date or time']);
  });

  it('refuses a bad e-mail address and a name that is too long', () => {
    const result = read(
      'accounts',
      `external_id,email,name\nA-1,not-an-address,x\nA-2,,${'n'.repeat(201)}\n`,
    );
    expect(problems(result)).toEqual([
      '2: email: Invalid email address',
      '3: name: longer than 200 characters',
    ]);
  });
});

describe('the clock', () => {
  it('takes a time up to 14 hours ahead of UTC (already today somewhere) and refuses a later one', () => {
    const at = (iso: string) =>
      checkRow('usage', { account: 'A', name: 'login', occurredAt: iso }, new Date('2026-06-15T12:00:00Z'));
    expect('row' in at('2026-06-16T02:00:00Z')).toBe(true);
    expect(at('2026-06-16T02:00:01Z')).toEqual({
      errors: [{ key: 'occurredAt', message: '2026-06-16T02:00:01Z is in the future' }],
    });
    const day = (startedOn: string) =>
      checkRow(
        'subscriptions',
        { externalId: 'S', account: 'A', plan: 'P', mrr: 1, startedOn },
        new Date('2026-06-15T12:00:00Z'),
      );
    expect('row' in day('2026-06-16')).toBe(true);
    expect('errors' in day('2026-06-17')).toBe(true);
  });

  it('reads ISO 8601, SQL and formatted times, keeping the day as written', () => {
    expect(parseTimeCell('2026-03-01T23:30:00-05:00').toISODate()).toBe('2026-03-01');
    expect(parseTimeCell('2026-03-01 23:30:00').toUTC().toISO()).toBe('2026-03-01T23:30:00.000Z');
    expect(parseTimeCell('01.03.2026 08:00', 'dd.MM.yyyy HH:mm', 'Europe/Berlin').toUTC().toISO()).toBe(
      '2026-03-01T07:00:00.000Z',
    );
    expect(parseTimeCell('yesterday').isValid).toBe(false);
  });
});

describe('duplicates in one call', () => {
  it('keeps the first row of a key and reports each later one with where the first was', () => {
    const rows = ['A', 'B', 'A', 'A'].map((externalId, index) => ({ ref: index, row: { externalId } }));
    expect(
      duplicateErrors(
        'accounts',
        rows,
        (i) => `row ${i}`,
        (key) => key,
      ),
    ).toEqual([
      { ref: 2, field: 'externalId', message: '"A" is already on row 0' },
      { ref: 3, field: 'externalId', message: '"A" is already on row 0' },
    ]);
  });
});
