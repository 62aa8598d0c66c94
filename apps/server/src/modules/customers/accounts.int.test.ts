import { readFileSync } from 'node:fs';
import {
  type BulkUpsertResult,
  type Contact,
  CustomerAccount360,
  CustomerAccountPage,
  type Organization,
  type Problem,
} from '@keepdesk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, makeUser, startTestServer, type TestServer, uniq } from '../../../test/harness';
import { AppError } from '../../platform/errors';
import { type Actor, SYSTEM_ACTOR } from '../../platform/events';
import { importCustomerCsv, writeInBatches } from './accounts.service';

let server: TestServer;
let agent: { authorization: string };
beforeAll(async () => {
  server = await startTestServer();
  agent = (await bearerFor(server, 'agent')).headers;
});
afterAll(async () => {
  await server?.close();
});

const post = (url: string, payload: unknown, headers: Record<string, string> = agent) =>
  server.app.inject({ method: 'POST', url: `/api/v1${url}`, headers, payload: payload as object });
const get = (url: string) => server.app.inject({ url: `/api/v1${url}`, headers: agent });

/**
 * A fixture file with its ids made unique to the test (`ACC-1001` → `ACC-<id>-1001`): the test database is
 * shared with other files and tests, so every test imports its own accounts.
 */
function fixture(name: string, id: string): string {
  return readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8').replace(
    /\b(ACC|SUB|ORD)-/g,
    `$1-${id}-`,
  );
}

const importCsv = (
  kind: Parameters<typeof importCustomerCsv>[2],
  csv: string,
  dryRun = false,
  actor: Actor = SYSTEM_ACTOR,
) => importCustomerCsv(server.deps, actor, kind, csv, { dryRun });

async function count(table: string, prefix: string): Promise<number> {
  const { rows } = await server.deps.database.query(
    `select count(*)::int as n from ${table} where external_id like $1`,
    [`${prefix}%`],
  );
  return Number(rows[0]?.n);
}

async function accountIdOf(externalId: string): Promise<string> {
  const { rows } = await server.deps.database.query(
    'select id from customer_accounts where external_id = $1',
    [externalId],
  );
  return String(rows[0]?.id);
}

describe('importing customer data from CSV', () => {
  it('creates accounts and subscriptions, and a second import updates them without duplicates', async () => {
    const id = uniq();
    const first = await importCsv('accounts', fixture('accounts.csv', id));
    expect([first.created, first.updated, first.errors]).toEqual([4, 0, []]);
    const subscriptions = await importCsv('subscriptions', fixture('subscriptions.csv', id));
    expect([subscriptions.created, subscriptions.updated, subscriptions.errors]).toEqual([5, 0, []]);

    const again = await importCsv('accounts', fixture('accounts.csv', id));
    expect([again.created, again.updated]).toEqual([0, 4]);
    const subscriptionsAgain = await importCsv('subscriptions', fixture('subscriptions.csv', id));
    expect([subscriptionsAgain.created, subscriptionsAgain.updated]).toEqual([0, 5]);
    expect(await count('customer_accounts', `ACC-${id}-`)).toBe(4);
    expect(await count('subscriptions', `SUB-${id}-`)).toBe(5);

    const { rows } = await server.deps.database.query(
      `select a.name, a.email, a.attributes, a.acquired_on::text as acquired_on, s.plan, s.mrr::text as mrr, s.currency
         from customer_accounts a join subscriptions s on s.account_id = a.id
        where a.external_id = $1 order by s.started_on`,
      [`ACC-${id}-1004`],
    );
    expect(rows).toEqual([
      {
        name: 'Jane Doe',
        email: 'jane.doe@example.com',
        attributes: { country: 'GB', seats: 1 },
        acquired_on: '2025-05-01', // not given: the first subscription's start
        plan: 'Personal',
        mrr: '9.90',
        currency: 'GBP',
      },
    ]);
  });

  it('writes one summary event per import, not one per row', async () => {
    const id = uniq();
    const user = await makeUser(server, { role: 'admin' });
    await importCsv('accounts', fixture('accounts.csv', id), false, { kind: 'user', userId: user.id });
    const { rows } = await server.deps.database.query(
      `select action, entity_id, data from audit_log where actor_user_id = $1`,
      [user.id],
    );
    expect(rows).toEqual([
      {
        action: 'customer_data.imported',
        entity_id: 'accounts',
        data: { kind: 'accounts', source: 'csv', created: 4, updated: 0, badRows: 0 },
      },
    ]);
  });

  it('checks everything in a dry run, previews the rows and writes nothing', async () => {
    const id = uniq();
    const dry = await importCsv('accounts', fixture('accounts.csv', id), true);
    expect([dry.created, dry.updated, dry.errors]).toEqual([4, 0, []]);
    expect(dry.preview?.[1]).toEqual({
      externalId: `ACC-${id}-1002`,
      name: 'Nordwind Logistik',
      email: 'einkauf@nordwind.example',
      attributes: { plan_tier: 'silver', country: 'DE', seats: 40 },
    });
    expect(await count('customer_accounts', `ACC-${id}-`)).toBe(0);

    await importCsv('accounts', fixture('accounts.csv', id));
    const subscriptions = await importCsv('subscriptions', fixture('subscriptions-bad.csv', id), true);
    expect([subscriptions.created, subscriptions.updated]).toEqual([1, 0]);
    expect(subscriptions.errors.map((e) => e.line)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(await count('subscriptions', `SUB-${id}-`)).toBe(0);
    const again = await importCsv('accounts', fixture('accounts.csv', id), true);
    expect([again.created, again.updated]).toEqual([0, 4]);
  });

  it('writes the good rows and reports each bad one with its line, an unknown account among them', async () => {
    const id = uniq();
    await importCsv('accounts', fixture('accounts.csv', id));
    const report = await importCsv('subscriptions', fixture('subscriptions-bad.csv', id));
    expect(report.created).toBe(1);
    expect(report.errors).toEqual([
      { line: 3, field: 'mrr', message: 'is negative' },
      { line: 4, field: 'started_on', message: '2099-01-01 is in the future' },
      { line: 5, field: 'external_id', message: `"SUB-${id}-10" is already on line 2` },
      { line: 6, field: 'account', message: `no account has the external id "ACC-${id}-9999"` },
      { line: 7, field: 'mrr', message: '"abc" is not a number' },
      { line: 8, field: 'ended_on', message: '2025-02-01 is before the start 2025-03-01' },
    ]);
    const { rows } = await server.deps.database.query(
      `select s.external_id, a.external_id as account, s.mrr::float as mrr from subscriptions s
         join customer_accounts a on a.id = s.account_id where s.external_id like $1`,
      [`SUB-${id}-%`],
    );
    expect(rows).toEqual([{ external_id: `SUB-${id}-10`, account: `ACC-${id}-1001`, mrr: 99 }]);
  });

  it('refuses a file without a required column as a whole, naming the column', async () => {
    const id = uniq();
    await importCsv('accounts', fixture('accounts.csv', id));
    const failed = await importCsv('subscriptions', fixture('subscriptions-no-mrr.csv', id)).catch(
      (e: unknown) => e,
    );
    expect(failed).toBeInstanceOf(AppError);
    expect((failed as AppError).errors).toEqual([
      {
        field: 'mrr',
        message:
          'the file has no column "mrr" (or name one with --map mrr=COLUMN); it has "external_id", "account", "plan", "started_on"',
      },
    ]);
    expect(await count('subscriptions', `SUB-${id}-`)).toBe(0);
  });

  it('links an account to the contact with its e-mail, an organisation by name and an owner by e-mail', async () => {
    const id = uniq();
    const domain = `linked-${id}.example`;
    const org = (
      await post('/organizations', { name: `Linked ${id}`, domains: [domain] })
    ).json<Organization>();
    const contact = (
      await post('/contacts', { name: 'Lena Link', emails: [`lena@${domain}`] })
    ).json<Contact>();
    const other = (await post('/organizations', { name: `Other Org ${id}` })).json<Organization>();
    const owner = await makeUser(server, { role: 'retention_specialist' });
    const csv = [
      'external_id,name,email,organization,owner',
      `ACC-${id}-1,Lena,LENA@${domain.toUpperCase()},,${owner.email.toUpperCase()}`,
      `ACC-${id}-2,Other,,other org ${id},`,
      `ACC-${id}-3,Unknown org,,Nobody ${id},`,
      `ACC-${id}-4,Bad owner,,,nobody-${id}@example.com`,
    ].join('\n');
    const report = await importCsv('accounts', csv);
    expect(report.errors).toEqual([
      { line: 5, field: 'owner', message: `no Keepdesk user has the e-mail nobody-${id}@example.com` },
    ]);
    const lena = (
      await get(`/customer-accounts/${await accountIdOf(`ACC-${id}-1`)}`)
    ).json<CustomerAccount360>();
    expect(lena).toMatchObject({
      email: `lena@${domain}`,
      contact: { id: contact.id, name: 'Lena Link' },
      organization: { id: org.id },
      owner: { id: owner.id, email: owner.email },
    });
    const linked = (
      await get(`/customer-accounts/${await accountIdOf(`ACC-${id}-2`)}`)
    ).json<CustomerAccount360>();
    expect(linked.organization?.id).toBe(other.id);
    const unknown = (
      await get(`/customer-accounts/${await accountIdOf(`ACC-${id}-3`)}`)
    ).json<CustomerAccount360>();
    expect(unknown.organization).toBeNull();
    expect(unknown.attributes).toEqual({ organization: `Nobody ${id}` });
  });

  it('keeps stored values a later file leaves blank and merges attributes', async () => {
    const id = uniq();
    await importCsv(
      'accounts',
      `external_id,name,acquired_on,tier\nACC-${id}-1,First name,2020-05-01,gold\n`,
    );
    await importCsv('accounts', `external_id,name,seats\nACC-${id}-1,,9\n`);
    await importCsv(
      'subscriptions',
      `external_id,account,plan,mrr,started_on\nSUB-${id}-1,ACC-${id}-1,P,5,2019-01-01\n`,
    );
    const account = (
      await get(`/customer-accounts/${await accountIdOf(`ACC-${id}-1`)}`)
    ).json<CustomerAccount360>();
    expect(account).toMatchObject({
      name: 'First name',
      attributes: { tier: 'gold', seats: 9 },
      acquiredOn: '2020-05-01', // given, so an earlier subscription does not move it
    });
  });
});

describe('the bulk API', () => {
  it('answers a malformed row with 400 naming the field, and writes nothing', async () => {
    const id = uniq();
    await post('/customer-accounts/bulk', { rows: [{ externalId: `ACC-${id}-1` }] });
    const rows = Array.from({ length: 20 }, (_, i) => ({
      externalId: `SUB-${id}-${i}`,
      account: `ACC-${id}-1`,
      plan: 'Pro',
      mrr: i === 17 ? '99' : 99,
      startedOn: '2025-01-01',
    }));
    const res = await post('/subscriptions/bulk', { rows });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json<Problem>().errors?.map((e) => e.field)).toEqual(['rows.17.mrr']);
    expect(await count('subscriptions', `SUB-${id}-`)).toBe(0);
    const empty = await post('/subscriptions/bulk', { rows: [] });
    expect(empty.statusCode).toBe(400);
    expect(empty.json<Problem>().errors?.[0]?.field).toBe('rows');
  });

  it('skips and reports rows of unknown accounts, future days and repeated keys, writing the others', async () => {
    const id = uniq();
    await post('/customer-accounts/bulk', { rows: [{ externalId: `ACC-${id}-1`, name: 'Bulk' }] });
    const order = (n: number, extra: object = {}) => ({
      externalId: `ORD-${id}-${n}`,
      account: `ACC-${id}-1`,
      orderedAt: '2025-06-01T10:00:00Z',
      amount: 10,
      ...extra,
    });
    const res = await post('/orders/bulk', {
      rows: [
        order(1),
        order(2, { account: `ACC-${id}-404` }),
        order(3, { orderedAt: '2099-01-01T00:00:00Z' }),
        order(1, { amount: 20 }),
        order(4, { products: ['A', 'B'] }),
      ],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json<BulkUpsertResult>()).toEqual({
      created: 2,
      updated: 0,
      errors: [
        { index: 1, field: 'account', message: `no account has the external id "ACC-${id}-404"` },
        { index: 2, field: 'orderedAt', message: '2099-01-01T00:00:00Z is in the future' },
        { index: 3, field: 'externalId', message: `"ORD-${id}-1" is already on row 0` },
      ],
    });
    const again = await post('/orders/bulk', { rows: [order(1), order(4)] });
    expect(again.json<BulkUpsertResult>()).toMatchObject({ created: 0, updated: 2, errors: [] });
  });

  it('takes 10,000 usage events in one call, more than the default 1 MB body', async () => {
    const id = uniq();
    await post('/customer-accounts/bulk', { rows: [{ externalId: `ACC-${id}-1` }] });
    const start = Date.parse('2025-01-01T00:00:00Z');
    const rows = Array.from({ length: 10_000 }, (_, i) => ({
      account: `ACC-${id}-1`,
      name: i % 2 === 0 ? 'report_exported_as_pdf' : 'retention_dashboard_viewed',
      occurredAt: new Date(start + i * 60_000).toISOString(),
      count: (i % 5) + 1,
    }));
    const payload = JSON.stringify({ rows });
    expect(payload.length).toBeGreaterThan(1_048_576);
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/v1/usage-events/bulk',
      headers: { ...agent, 'content-type': 'application/json' },
      payload,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<BulkUpsertResult>()).toEqual({ created: 10_000, updated: 0, errors: [] });
    const { rows: stored } = await server.deps.database.query(
      `select count(*)::int as n, sum(count)::int as total from usage_events
        where account_id = (select id from customer_accounts where external_id = $1)`,
      [`ACC-${id}-1`],
    );
    expect(stored[0]).toEqual({ n: 10_000, total: 30_000 });
    const tooMany = await post('/usage-events/bulk', { rows: [...rows, rows[0]] });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json<Problem>().errors?.[0]?.field).toBe('rows');
  }, 60_000);

  it('lets a collaborator read accounts but not write them', async () => {
    const collaborator = (await bearerFor(server, 'collaborator')).headers;
    const res = await post(
      '/customer-accounts/bulk',
      { rows: [{ externalId: `ACC-${uniq()}` }] },
      collaborator,
    );
    expect(res.statusCode).toBe(403);
    const list = await server.app.inject({ url: '/api/v1/customer-accounts', headers: collaborator });
    expect(list.statusCode).toBe(200);
  });
});

describe('the customer 360', () => {
  it('shows subscriptions, current MRR, orders and the last 30 days of usage, and finds the account', async () => {
    const id = uniq();
    const account = `ACC-${id}-1`;
    await post('/customer-accounts/bulk', { rows: [{ externalId: account, name: `Three Sixty ${id}` }] });
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const subscriptions = await post('/subscriptions/bulk', {
      rows: [
        {
          externalId: `SUB-${id}-1`,
          account,
          plan: 'Basic',
          mrr: 49,
          startedOn: day(-400),
          endedOn: day(-200),
        },
        { externalId: `SUB-${id}-2`, account, plan: 'Pro', mrr: 99.5, startedOn: day(-200) },
        { externalId: `SUB-${id}-3`, account, plan: 'Seats', mrr: 20, startedOn: day(-100) },
        {
          externalId: `SUB-${id}-4`,
          account,
          plan: 'Addon',
          mrr: 5,
          currency: 'usd',
          startedOn: day(-10),
          endedOn: day(20),
        },
      ],
    });
    expect(subscriptions.json<BulkUpsertResult>().errors).toEqual([]);
    await post('/orders/bulk', {
      rows: [
        { externalId: `ORD-${id}-1`, account, orderedAt: `${day(-50)}T10:00:00Z`, amount: 100 },
        { externalId: `ORD-${id}-2`, account, orderedAt: `${day(-5)}T10:00:00Z`, amount: 20.25 },
      ],
    });
    await post('/usage-events/bulk', {
      rows: [
        { account, name: 'login', occurredAt: `${day(-40)}T09:00:00Z`, count: 50 },
        { account, name: 'login', occurredAt: `${day(-3)}T09:00:00Z`, count: 2 },
        { account, name: 'login', occurredAt: `${day(-2)}T09:00:00Z` },
        { account, name: 'export', occurredAt: `${day(-1)}T09:00:00Z`, count: 7 },
      ],
    });
    const found = (await get(`/customer-accounts?q=${encodeURIComponent(`acc-${id}`)}`)).json();
    const page = CustomerAccountPage.parse(found);
    expect(page.items.map((a) => a.externalId)).toEqual([account]);
    const res = await get(`/customer-accounts/${page.items[0]!.id}`);
    expect(res.statusCode).toBe(200);
    const view = CustomerAccount360.parse(res.json());
    expect(view.acquiredOn).toBe(day(-400));
    expect(view.subscriptions.map((s) => [s.plan, s.isActive])).toEqual([
      ['Addon', true],
      ['Seats', true],
      ['Pro', true],
      ['Basic', false],
    ]);
    expect(view.currentMrr).toEqual([
      { currency: 'EUR', amount: 119.5 },
      { currency: 'USD', amount: 5 },
    ]);
    expect(view.orders).toEqual({
      count: 2,
      totals: [{ currency: 'EUR', amount: 120.25 }],
      lastOrderedAt: `${day(-5)}T10:00:00.000Z`,
    });
    expect(view.usageLast30Days.map((u) => [u.name, u.count, u.events])).toEqual([
      ['export', 7, 1],
      ['login', 3, 2],
    ]);
    expect((await get('/customer-accounts/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
  });
});

describe('writing in batches', () => {
  it('retries a failed batch row by row, so only the row the database refuses is reported', async () => {
    const items = Array.from({ length: 7 }, (_, i) => ({ ref: i + 2 }));
    const progress: number[] = [];
    const result = await writeInBatches(
      items,
      3,
      async (batch) => {
        if (batch.some((item) => item.ref === 6))
          throw new Error('value too long for type character varying');
        return { created: batch.length, updated: 0 };
      },
      (done) => progress.push(done),
    );
    expect(result).toEqual({
      created: 6,
      updated: 0,
      failed: [{ ref: 6, field: 'row', message: 'not saved: value too long for type character varying' }],
    });
    expect(progress).toEqual([0, 3, 6, 7]);
  });
});
