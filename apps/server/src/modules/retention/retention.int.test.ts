import type {
  AccountRetention,
  AtRiskPage,
  ChurnModelList,
  Contact,
  CustomerAccountPage,
  NotificationPage,
  RetentionGlance,
  RetentionSettings,
  ScoringRun,
} from '@keepdesk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, startTestServer, type TestServer } from '../../../test/harness';

let server: TestServer;
let rita: { authorization: string };
let ritaId: string;
let agent: { authorization: string };

const DAY_MS = 86_400_000;
const ACCOUNTS = 240;

function daysAgo(days: number): Date {
  return new Date(server.deps.now().getTime() - days * DAY_MS);
}
const dayOf = (date: Date) => date.toISOString().slice(0, 10);

async function call<T>(
  method: 'GET' | 'POST' | 'PUT',
  url: string,
  payload?: object,
  headers: Record<string, string> = rita,
): Promise<{ status: number; body: T }> {
  const res = await server.app.inject({ method, url: `/api/v1${url}`, headers, payload });
  return { status: res.statusCode, body: res.json<T>() };
}

/**
 * Accounts that all paid a year ago; every fourth one — few seats, little use of the product in the weeks before
 * the model's cutoff — cancelled in the last 80 days; every eighth of the others has not used it in the last month.
 */
function customerBase() {
  const accounts = [];
  const subscriptions = [];
  const usage = [];
  for (let i = 0; i < ACCOUNTS; i++) {
    const leaves = i % 4 === 0;
    accounts.push({
      externalId: `acc-${i}`,
      name: `Kunde ${i}`,
      ...(i === 1 ? { email: 'lea@glance.example' } : {}),
      attributes: { seats: leaves ? 2 + (i % 5) : 8 + (i % 30), region: i % 2 ? 'DE' : 'AT' },
    });
    subscriptions.push({
      externalId: `sub-${i}`,
      account: `acc-${i}`,
      plan: i % 3 ? 'pro' : 'basic',
      mrr: 50 + (i % 10) * 20,
      startedOn: dayOf(daysAgo(400 + i)),
      endedOn: leaves ? dayOf(daysAgo(10 + (i % 70))) : null,
      ...(leaves ? { cancelReason: 'too expensive' } : {}),
    });
    for (let week = 0; week < 8; week++) {
      usage.push({
        account: `acc-${i}`,
        name: 'report.created',
        occurredAt: daysAgo(92 + week * 7).toISOString(),
        count: leaves ? week % 2 : 5 + (i % 7),
      });
      // Some who stay have stopped using the product lately: today they look like those who left.
      if (!leaves && i % 8 !== 2) {
        usage.push({
          account: `acc-${i}`,
          name: 'report.created',
          occurredAt: daysAgo(1 + week * 7).toISOString(),
          count: 4 + (i % 5),
        });
      }
    }
  }
  return { accounts, subscriptions, usage };
}

beforeAll(async () => {
  // A database of its own: the list ranks every account of the workspace.
  server = await startTestServer({ isolated: true });
  const specialist = await bearerFor(server, 'retention_specialist');
  rita = specialist.headers;
  ritaId = specialist.user.id;
  agent = (await bearerFor(server, 'agent')).headers;
  const contact = await call<Contact>(
    'POST',
    '/contacts',
    { name: 'Lea', emails: ['lea@glance.example'] },
    agent,
  );
  expect(contact.status).toBe(201);
  const base = customerBase();
  for (const [url, rows] of [
    ['/customer-accounts/bulk', base.accounts],
    ['/subscriptions/bulk', base.subscriptions],
    ['/usage-events/bulk', base.usage],
  ] as const) {
    const res = await call<{ errors: unknown[] }>('POST', url, { rows });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.errors).toEqual([]);
  }
}, 120_000);
afterAll(async () => {
  await server?.close();
});

describe('the churn model of the workspace', () => {
  let run: ScoringRun;
  beforeAll(async () => {
    const res = await call<ScoringRun>('POST', '/retention/runs', { train: true });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    run = res.body;
  }, 120_000);

  it('learns from the accounts that were customers one horizon ago who of them left', () => {
    expect(run.training).toMatchObject({
      status: 'active',
      error: null,
      rows: ACCOUNTS,
      positives: ACCOUNTS / 4,
    });
    expect(run.training!.auc).toBeGreaterThan(0.9);
    // Only current customers carry a risk.
    expect(run.scored).toBe((ACCOUNTS * 3) / 4);
  });

  it('ranks current customers by value at risk, with reasons', async () => {
    const page = await call<AtRiskPage>('GET', '/retention/at-risk?limit=200');
    expect(page.status).toBe(200);
    const items = page.body.items;
    expect(items).toHaveLength((ACCOUNTS * 3) / 4);
    for (let i = 1; i < items.length; i++) {
      expect(items[i - 1]!.valueAtRisk).toBeGreaterThanOrEqual(items[i]!.valueAtRisk);
    }
    const top = items[0]!;
    expect(top.probability).not.toBeNull();
    expect(top.valueAtRisk).toBeCloseTo(top.probability! * top.value, 6);
    expect(top.value).toBe(12 * (50 + (Number(top.account.externalId.slice(4)) % 10) * 20));
    expect(top.raising.length + top.lowering.length).toBeGreaterThan(0);
    expect(top.healthBand).not.toBeNull();
    const high = await call<AtRiskPage>('GET', '/retention/at-risk?riskBand=low&limit=200');
    expect(high.body.items.every((item) => item.probability! < 0.2)).toBe(true);
    const paged = await call<AtRiskPage>('GET', '/retention/at-risk?limit=100');
    const next = await call<AtRiskPage>(
      'GET',
      `/retention/at-risk?limit=100&cursor=${encodeURIComponent(paged.body.nextCursor!)}`,
    );
    expect([...paged.body.items, ...next.body.items].map((i) => i.account.id)).toEqual(
      items.map((i) => i.account.id),
    );
  });

  it('shows one account with its history and logs outreach', async () => {
    const list = await call<CustomerAccountPage>('GET', '/customer-accounts?q=acc-5&limit=1');
    const id = list.body.items[0]!.id;
    const before = await call<AccountRetention>('GET', `/customer-accounts/${id}/retention`);
    expect(before.status).toBe(200);
    expect(before.body.history.map((h) => h.day)).toEqual([dayOf(server.deps.now())]);
    expect(before.body.healthComponents.map((c) => c.signal)).toContain('churnRisk');
    expect(before.body.model?.auc).toBeGreaterThan(0.9);
    expect(before.body.lastContactAt).toBeNull();

    const logged = await call('POST', `/customer-accounts/${id}/outreach`, {
      kind: 'call',
      outcome: 'reached',
      note: 'Talked about the renewal',
    });
    expect(logged.status, JSON.stringify(logged.body)).toBe(201);
    const after = await call<AccountRetention>('GET', `/customer-accounts/${id}/retention`);
    expect(after.body.outreach).toMatchObject([
      { kind: 'call', outcome: 'reached', note: 'Talked about the renewal' },
    ]);
    expect(after.body.outreach[0]!.user?.name).toBeTruthy();
    expect(after.body.lastContactAt).toBe(after.body.outreach[0]!.happenedAt);
  });

  it('refuses outreach in the future and for unknown accounts', async () => {
    const list = await call<CustomerAccountPage>('GET', '/customer-accounts?q=acc-6&limit=1');
    const future = await call<{ errors: { field: string }[] }>(
      'POST',
      `/customer-accounts/${list.body.items[0]!.id}/outreach`,
      { kind: 'email', outcome: 'no_answer', happenedAt: new Date(Date.now() + 3 * DAY_MS).toISOString() },
    );
    expect(future.status).toBe(400);
    expect(future.body.errors).toEqual([expect.objectContaining({ field: 'happenedAt' })]);
    const unknown = await call('POST', '/customer-accounts/00000000-0000-4000-8000-000000000000/outreach', {
      kind: 'call',
      outcome: 'reached',
    });
    expect(unknown.status).toBe(404);
  });

  it("shows the agent the value and risk of the ticket requester's account", async () => {
    const contacts = await call<{ items: Contact[] }>(
      'GET',
      '/contacts?q=lea@glance.example',
      undefined,
      agent,
    );
    const glance = await call<RetentionGlance>(
      'GET',
      `/retention/glance?contactId=${contacts.body.items[0]!.id}`,
      undefined,
      agent,
    );
    expect(glance.status).toBe(200);
    expect(glance.body.items).toHaveLength(1);
    expect(glance.body.items[0]).toMatchObject({ account: { externalId: 'acc-1' }, value: 12 * 70 });
    expect(glance.body.items[0]!.riskBand).not.toBeNull();
  });

  it("tells the account's owner when it drops to a worse health band", async () => {
    const page = await call<AtRiskPage>('GET', '/retention/at-risk?limit=1');
    const top = page.body.items[0]!;
    expect(top.healthBand).not.toBe('healthy');
    const db = server.deps.database;
    await db.query('update customer_accounts set owner_id = $1 where id = $2', [ritaId, top.account.id]);
    // As if it had been healthy at the last scoring: this one is a drop.
    await db.query("update account_risk set health_band = 'healthy' where account_id = $1", [top.account.id]);
    const run = await call<ScoringRun>('POST', '/retention/runs', {});
    expect(run.body.training).toBeNull();
    expect(run.body.bandDrops).toBe(1);
    const notifications = await call<NotificationPage>('GET', '/notifications');
    expect(notifications.body.items).toEqual([
      expect.objectContaining({
        kind: 'health_dropped',
        account: { id: top.account.id, name: top.account.name },
        excerpt: `healthy → ${top.healthBand}`,
      }),
    ]);
    const mine = await call<AtRiskPage>('GET', '/retention/at-risk?owner=me');
    expect(mine.body.items.map((item) => item.account.id)).toEqual([top.account.id]);
  });

  it('keeps the active model when a training cannot fit', async () => {
    const settings = await call<RetentionSettings>('GET', '/retention/settings');
    // One horizon of a week: nobody who was a customer then has left since — one class.
    const put = await call('PUT', '/retention/settings', { ...settings.body, horizonDays: 7 });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const failed = await call<ScoringRun>('POST', '/retention/runs', { train: true });
    expect(failed.status).toBe(200);
    expect(failed.body.training).toMatchObject({ status: 'failed' });
    expect(failed.body.training!.error).toMatch(/none has left since/);
    const models = await call<ChurnModelList>('GET', '/retention/models');
    expect(models.body.items.map((m) => m.status)).toEqual(['failed', 'active']);
    expect(models.body.items[1]!.auc).toBeGreaterThan(0.9);
    expect(failed.body.scored).toBe((ACCOUNTS * 3) / 4);
    await call('PUT', '/retention/settings', settings.body);
  });

  it('lets only those who manage retention train and configure', async () => {
    expect((await call('POST', '/retention/runs', {}, agent)).status).toBe(403);
    const settings = await call<RetentionSettings>('GET', '/retention/settings', undefined, agent);
    expect(settings.status).toBe(200);
    expect((await call('PUT', '/retention/settings', settings.body, agent)).status).toBe(403);
    const bad = await call<{ errors: { field: string }[] }>('PUT', '/retention/settings', {
      ...settings.body,
      health: {
        ...settings.body.health,
        bands: [
          { key: 'a', min: 10 },
          { key: 'b', min: 50 },
        ],
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e) => e.field)).toEqual(['health.bands.1.min', 'health.bands.1.min']);
  });
});
