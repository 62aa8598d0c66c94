import type { CustomerImportFields, CustomerImportReport, Problem } from '@keepdesk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, startTestServer, type TestServer, uniq } from '../../../test/harness';

let server: TestServer;
let agent: { authorization: string };
beforeAll(async () => {
  server = await startTestServer();
  agent = (await bearerFor(server, 'agent')).headers;
});
afterAll(async () => {
  await server?.close();
});

const importCsv = (payload: object, headers: Record<string, string> = agent) =>
  server.app.inject({ method: 'POST', url: '/api/v1/customer-accounts/import', headers, payload });

async function accountsLike(prefix: string): Promise<{ external_id: string; name: string }[]> {
  const { rows } = await server.deps.database.query(
    'select external_id, name from customer_accounts where external_id like $1 order by external_id',
    [`${prefix}%`],
  );
  return rows as { external_id: string; name: string }[];
}

describe('POST /customer-accounts/import', () => {
  it('checks a file in a dry run without writing, then imports it', async () => {
    const id = uniq();
    const csv = `external_id,name,email\nACC-${id}-1,Bäckerei Müller,info@mueller.example\nACC-${id}-2,Nordwind,\n`;

    const dry = await importCsv({ kind: 'accounts', csv, dryRun: true });
    expect(dry.statusCode).toBe(200);
    const checked = dry.json<CustomerImportReport>();
    expect([checked.dryRun, checked.rows, checked.created, checked.updated]).toEqual([true, 2, 2, 0]);
    expect(checked.preview?.map((row) => row.externalId)).toEqual([`ACC-${id}-1`, `ACC-${id}-2`]);
    expect(checked.preview?.[0]).toMatchObject({ name: 'Bäckerei Müller', email: 'info@mueller.example' });
    expect(await accountsLike(`ACC-${id}-`)).toEqual([]);

    const done = (await importCsv({ kind: 'accounts', csv, dryRun: false })).json<CustomerImportReport>();
    expect([done.dryRun, done.created, done.updated, done.errors]).toEqual([false, 2, 0, []]);
    expect(done.preview).toBeUndefined();
    expect(await accountsLike(`ACC-${id}-`)).toEqual([
      { external_id: `ACC-${id}-1`, name: 'Bäckerei Müller' },
      { external_id: `ACC-${id}-2`, name: 'Nordwind' },
    ]);

    const again = (await importCsv({ kind: 'accounts', csv, dryRun: true })).json<CustomerImportReport>();
    expect([again.created, again.updated]).toEqual([0, 2]);
  });

  it('reads a German file through a mapping and a date format', async () => {
    const id = uniq();
    const csv = `Kundennummer;Firma;Kunde seit\nACC-${id}-1;Alpenblick GmbH;03.02.2024\n`;
    const res = await importCsv({
      kind: 'accounts',
      csv,
      map: { external_id: 'Kundennummer', name: 'Firma', acquired_on: 'Kunde seit' },
      dateFormat: 'dd.MM.yyyy',
      dryRun: false,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json<CustomerImportReport>()).toMatchObject({ created: 1, updated: 0, errors: [] });
    const { rows } = await server.deps.database.query(
      'select name, acquired_on::text as acquired_on from customer_accounts where external_id = $1',
      [`ACC-${id}-1`],
    );
    expect(rows).toEqual([{ name: 'Alpenblick GmbH', acquired_on: '2024-02-03' }]);
  });

  it('reports bad rows by their line and imports the good ones', async () => {
    const id = uniq();
    await importCsv({ kind: 'accounts', csv: `external_id\nACC-${id}-1\n`, dryRun: false });
    const csv = [
      'external_id,account,plan,mrr,started_on',
      `SUB-${id}-1,ACC-${id}-1,gold,99.50,2024-01-01`,
      `SUB-${id}-2,ACC-${id}-1,gold,lots,2024-01-01`,
      `SUB-${id}-3,ACC-${id}-404,gold,10,2024-01-01`,
      `SUB-${id}-4,ACC-${id}-1,silver,20,2024-02-30`,
      '',
    ].join('\n');
    const report = (
      await importCsv({ kind: 'subscriptions', csv, dryRun: false })
    ).json<CustomerImportReport>();
    expect([report.rows, report.created, report.updated]).toEqual([4, 1, 0]);
    expect(report.errors.map((e) => [e.line, e.field])).toEqual([
      [3, 'mrr'],
      [4, 'account'],
      [5, 'started_on'],
    ]);
    expect(report.errors[0]?.message).toContain('"lots" is not a number');
    const { rows } = await server.deps.database.query(
      'select external_id, mrr::text as mrr from subscriptions where external_id like $1',
      [`SUB-${id}-%`],
    );
    expect(rows).toEqual([{ external_id: `SUB-${id}-1`, mrr: '99.50' }]);
  });

  it('refuses a file without a required column, naming the field, and writes nothing', async () => {
    const id = uniq();
    const res = await importCsv({
      kind: 'subscriptions',
      csv: `external_id,account,plan,started_on\nSUB-${id}-1,ACC-x,gold,2024-01-01\n`,
      dryRun: false,
    });
    expect(res.statusCode).toBe(400);
    const problem = res.json<Problem>();
    expect(problem.errors?.[0]?.field).toBe('mrr');
    expect(problem.errors?.[0]?.message).toContain('no column "mrr"');

    const badMap = await importCsv({
      kind: 'accounts',
      csv: `id\nACC-${id}-1\n`,
      map: { external_id: 'Kundennummer' },
      dryRun: true,
    });
    expect(badMap.statusCode).toBe(400);
    expect(badMap.json<Problem>().errors?.[0]?.message).toContain('no column "Kundennummer"');
    expect(await accountsLike(`ACC-${id}-`)).toEqual([]);
  });

  it('refuses an unknown kind and an empty file by field', async () => {
    const kind = await importCsv({ kind: 'invoices', csv: 'a\n1\n', dryRun: true });
    expect(kind.statusCode).toBe(400);
    expect(kind.json<Problem>().errors?.map((e) => e.field)).toContain('kind');
    const empty = await importCsv({ kind: 'accounts', csv: '', dryRun: true });
    expect(empty.statusCode).toBe(400);
    expect(empty.json<Problem>().errors?.map((e) => e.field)).toContain('csv');
  });

  it('is closed to a collaborator, who may only read customers', async () => {
    const collaborator = (await bearerFor(server, 'collaborator')).headers;
    const id = uniq();
    const res = await importCsv(
      { kind: 'accounts', csv: `external_id\nACC-${id}-1\n`, dryRun: false },
      collaborator,
    );
    expect(res.statusCode).toBe(403);
    expect(await accountsLike(`ACC-${id}-`)).toEqual([]);
  });
});

describe('GET /customer-accounts/import/fields', () => {
  it('lists the fields of a kind with the required ones and their other column names', async () => {
    const res = await server.app.inject({
      url: '/api/v1/customer-accounts/import/fields?kind=subscriptions',
      headers: agent,
    });
    expect(res.statusCode).toBe(200);
    const body = res.json<CustomerImportFields>();
    expect(body.fields.map((f) => f.name)).toEqual([
      'external_id',
      'account',
      'plan',
      'mrr',
      'currency',
      'started_on',
      'ended_on',
      'cancel_reason',
    ]);
    expect(body.fields.filter((f) => f.required).map((f) => f.name)).toEqual([
      'external_id',
      'account',
      'plan',
      'mrr',
      'started_on',
    ]);
    expect(body.fields.find((f) => f.name === 'mrr')).toMatchObject({
      key: 'mrr',
      type: 'money',
      aliases: ['monthly_recurring_revenue'],
    });
    const unknown = await server.app.inject({
      url: '/api/v1/customer-accounts/import/fields?kind=invoices',
      headers: agent,
    });
    expect(unknown.statusCode).toBe(400);
  });
});
