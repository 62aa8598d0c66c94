import type { AccountLifetimeValue, LifetimeValueReport, Problem } from '@keepdesk/contract';
import { createRandom } from '@keepdesk/stats';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, startTestServer, type TestServer } from '../../../test/harness';
import { rowsOf } from '../../platform/db';
import { scoreWorkspace } from './model.service';
import { discountedRemainingMonths, fitSubscriptionCohorts, subscriptionCohorts } from './value.service';

let server: TestServer;
let rita: { authorization: string };
let agent: { authorization: string };
const NOW = new Date('2025-06-30T12:00:00Z');
const DAY_MS = 86_400_000;
const BUYERS = 80;
const SUBSCRIBERS = 40;

async function call<T>(
  url: string,
  headers: Record<string, string> = rita,
  method = 'GET',
  payload?: object,
) {
  const res = await server.app.inject({ method: method as 'GET', url: `/api/v1${url}`, headers, payload });
  return { status: res.statusCode, body: res.json() as T, type: String(res.headers['content-type']) };
}

const day = (offset: number) => new Date(NOW.getTime() - offset * DAY_MS).toISOString().slice(0, 10);
let idOf: Map<string, string>;

beforeAll(async () => {
  server = await startTestServer({ isolated: true });
  server.deps.now = () => NOW;
  rita = (await bearerFor(server, 'retention_specialist')).headers;
  agent = (await bearerFor(server, 'agent')).headers;
  const random = createRandom(11);
  const accounts = [
    ...Array.from({ length: BUYERS }, (_, i) => ({ externalId: `buyer-${i}`, name: `Buyer ${i}` })),
    ...Array.from({ length: SUBSCRIBERS }, (_, i) => ({ externalId: `sub-${i}`, name: `Subscriber ${i}` })),
    { externalId: 'usd-1', name: 'Dollar buyer' },
  ];
  // Buyers over two years as BG/NBD pictures them: purchases at random (exponential gaps around each buyer's
  // own rate), and after each purchase a chance of never coming back.
  const orders: object[] = [];
  for (let i = 0; i < BUYERS; i++) {
    const meanGap = 15 + random() * 120;
    const dropout = 0.05 + random() * 0.3;
    let age = 730 - Math.floor(random() * 300);
    for (let n = 0; age >= 0; n++) {
      orders.push({
        externalId: `o-${i}-${n}`,
        account: `buyer-${i}`,
        orderedAt: `${day(age)}T10:00:00Z`,
        amount: 20 + Math.round(random() * 80) + (i % 5) * 10,
      });
      if (random() < dropout) break;
      age -= Math.ceil(-meanGap * Math.log(1 - random()));
    }
  }
  // The account the figures are checked on: three orders, 100 + 50 + 30.
  orders.push(
    { externalId: 'o-x-1', account: 'buyer-0', orderedAt: '2025-01-15T10:00:00Z', amount: 100 },
    {
      externalId: 'o-usd-1',
      account: 'usd-1',
      orderedAt: '2024-06-01T10:00:00Z',
      amount: 10,
      currency: 'USD',
    },
  );
  // Subscribers starting over 18 months; a third cancels after 1–10 months.
  const subscriptions = Array.from({ length: SUBSCRIBERS }, (_, i) => {
    const start = 30 + Math.floor(random() * 520);
    const cancels = i % 3 === 0 ? Math.min(start - 1, 30 * (1 + Math.floor(random() * 10))) : null;
    return {
      externalId: `s-${i}`,
      account: `sub-${i}`,
      plan: 'team',
      mrr: 100,
      startedOn: day(start),
      endedOn: cancels === null ? null : day(start - cancels),
      cancelReason: null,
    };
  });
  for (const [url, rows] of [
    ['/customer-accounts/bulk', accounts],
    ['/orders/bulk', orders],
    ['/subscriptions/bulk', subscriptions],
  ] as const) {
    for (let first = 0; first < rows.length; first += 1000) {
      const res = await call<{ errors: unknown[] }>(url, rita, 'POST', {
        rows: rows.slice(first, first + 1000),
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.errors).toEqual([]);
    }
  }
  const listed = rowsOf(
    await server.deps.database.db.execute(sql`select id::text as id, external_id from customer_accounts`),
  );
  idOf = new Map(listed.map((row) => [String(row.external_id), String(row.id)]));
}, 180_000);
afterAll(async () => {
  await server?.close();
});

describe('GET /retention/lifetime-value', () => {
  it('fits BG/NBD, Gamma-Gamma and sBG with a holdout comparison', async () => {
    const res = await call<LifetimeValueReport>('/retention/lifetime-value?holdoutWeeks=26');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const { purchases, subscriptions } = res.body;
    expect(res.body.currency).toBe('EUR');
    expect(res.body.purchasesSkipped).toBeNull();
    expect(purchases!.calibrationEnd).toBe(day(26 * 7));
    expect(purchases!.customers).toBe(BUYERS);
    expect(
      [purchases!.bgnbd.r, purchases!.bgnbd.alpha, purchases!.bgnbd.a, purchases!.bgnbd.b].every(
        (v) => v > 0,
      ),
    ).toBe(true);
    expect(purchases!.bgnbd.logLikelihood).toBeLessThan(0);
    expect(purchases!.gammaGamma!.p).toBeGreaterThan(0);
    expect(purchases!.gammaGamma!.q).toBeGreaterThan(0);
    const rows = purchases!.holdout!.byFrequency;
    expect(rows.length).toBeGreaterThan(3);
    expect(rows.reduce((sum, row) => sum + row.customers, 0)).toBe(BUYERS);
    expect(rows.at(-1)).toMatchObject({ frequency: 7, orMore: true });
    // The model is not far off in total: within half of the holdout purchases.
    const { actual, expected } = purchases!.holdout!;
    expect(Math.abs(expected - actual) / actual).toBeLessThan(0.5);

    expect(res.body.subscriptionsSkipped).toBeNull();
    expect(subscriptions!.alpha).toBeGreaterThan(0);
    expect(subscriptions!.beta).toBeGreaterThan(0);
    expect(subscriptions!.logLikelihood).toBeLessThan(0);
    expect(subscriptions!.survival[0]).toMatchObject({ month: 0, actual: 1, expected: 1 });
    expect(subscriptions!.subscribers).toBeLessThanOrEqual(SUBSCRIBERS);
    expect(subscriptions!.survival.at(-1)!.actual).toBeLessThan(1);
  });

  it('says how much data is missing when there is too little', async () => {
    const res = await call<LifetimeValueReport>('/retention/lifetime-value?currency=usd');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ currency: 'USD', purchases: null, subscriptions: null });
    expect(res.body.purchasesSkipped).toMatch(/^1 customers ordered by .* at least 10 are needed/);
    expect(res.body.subscriptionsSkipped).toMatch(/^0 subscribers .* at least 10 are needed/);
  });

  it('rejects bad parameters with a problem naming the field, and agents without reports', async () => {
    for (const query of ['holdoutWeeks=0', 'holdoutWeeks=2.5', 'holdoutWeeks=abc', 'currency=EURO']) {
      const res = await call<Problem>(`/retention/lifetime-value?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.type).toContain('application/problem+json');
      expect(JSON.stringify(res.body.errors), query).toContain(query.split('=')[0]);
    }
    expect((await call('/retention/lifetime-value', agent)).status).toBe(403);
  });
});

describe('GET /customer-accounts/:id/lifetime-value', () => {
  it("gives a buyer's historic revenue exactly and a 12-month prediction", async () => {
    const res = await call<AccountLifetimeValue>(`/customer-accounts/${idOf.get('buyer-0')}/lifetime-value`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const [expected] = rowsOf(
      await server.deps.database.db.execute(sql`select sum(amount)::float8 as revenue, count(*)::int as n
        from orders where account_id = ${idOf.get('buyer-0')}`),
    ) as { revenue: number; n: number }[];
    expect(res.body.historic.orderRevenue).toBeCloseTo(expected!.revenue, 2);
    expect(res.body.historic.orders).toBe(expected!.n);
    expect(res.body.historic.subscriptionRevenue).toBe(0);
    expect(res.body.historic.averageOrderValue).toBe(
      Math.round((expected!.revenue / expected!.n) * 100) / 100,
    );
    expect(res.body.buyerSkipped).toBeNull();
    const buyer = res.body.buyer!;
    expect(buyer.probabilityAlive).toBeGreaterThan(0);
    expect(buyer.probabilityAlive).toBeLessThanOrEqual(1);
    expect(buyer.expectedPurchases).toBeGreaterThan(0);
    expect(buyer.expectedSpend).toBeGreaterThan(0);
    expect(buyer.value).toBeGreaterThan(0);
    // Discounting at 10 % a year keeps the value below purchases × spend.
    expect(buyer.value!).toBeLessThan(buyer.expectedPurchases * buyer.expectedSpend!);
    expect(res.body.subscriber).toBeNull();
    expect(res.body.subscriberSkipped).toBe('no running paid subscription');
  });

  it('agrees with the 12-month value the at-risk list holds', async () => {
    const [recent] = rowsOf(
      await server.deps.database.db.execute(sql`select account_id::text as id from orders
        where ordered_at > ${new Date(NOW.getTime() - 30 * DAY_MS)} and currency = 'EUR' limit 1`),
    );
    await scoreWorkspace(server.deps);
    const [risk] = rowsOf(
      await server.deps.database.db.execute(
        sql`select value::float8 as value from account_risk where account_id = ${String(recent!.id)}`,
      ),
    );
    const res = await call<AccountLifetimeValue>(`/customer-accounts/${String(recent!.id)}/lifetime-value`);
    expect(res.body.buyer!.value).toBeGreaterThan(0);
    // The same fit; the at-risk list also counts the one dollar order, which moves the figure a little.
    expect(Math.abs(Number(risk!.value) - res.body.buyer!.value!) / res.body.buyer!.value!).toBeLessThan(
      0.01,
    );
  });

  it("values a subscriber's MRR by the discounted months sBG expects", async () => {
    const res = await call<AccountLifetimeValue>(`/customer-accounts/${idOf.get('sub-1')}/lifetime-value`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.buyer).toBeNull();
    expect(res.body.buyerSkipped).toBe('no orders');
    const subscriber = res.body.subscriber!;
    expect(subscriber.mrr).toBe(100);
    expect(subscriber.expectedRemainingMonths).toBeGreaterThan(1);
    expect(subscriber.value).toBeCloseTo(100 * subscriber.expectedRemainingMonths!, 0);
    expect(res.body.historic.subscriptionRevenue).toBeGreaterThan(0);
  });

  it('answers 404 for an unknown account and 400 for a malformed id', async () => {
    expect(
      (await call('/customer-accounts/00000000-0000-4000-8000-000000000000/lifetime-value')).status,
    ).toBe(404);
    const bad = await call<Problem>('/customer-accounts/nope/lifetime-value');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.errors)).toContain('id');
  });
});

describe('subscription cohorts and sBG', () => {
  it('counts each cohort by the whole months its members have had', () => {
    const cohorts = subscriptionCohorts(
      [
        { account: 'a', startedOn: '2025-01-10', endedOn: null },
        { account: 'b', startedOn: '2025-01-20', endedOn: '2025-03-05' },
        { account: 'c', startedOn: '2025-01-02', endedOn: '2025-02-02' },
        { account: 'd', startedOn: '2025-05-03', endedOn: null },
      ],
      '2025-05-15',
    );
    // January is observed for 3 months (all members have had them), May not yet.
    expect(cohorts).toEqual([[3, 2, 1, 1]]);
  });

  it('needs ten subscribers and a cancellation', () => {
    expect(fitSubscriptionCohorts([[5, 4, 3]])).toMatch(/^5 subscribers .* at least 10/);
    expect(fitSubscriptionCohorts([[12, 12, 12]])).toMatch(/no subscriber has cancelled/);
  });

  it('discounts the remaining months and expects more of a long-standing subscriber', () => {
    const parameters = { alpha: 1, beta: 4 };
    // Without discounting S(n+k)/S(n) sums to (β+n)/(α−1) − 1 for α>1; here α = 1: discounting keeps it finite.
    const fresh = discountedRemainingMonths(parameters, 0);
    const loyal = discountedRemainingMonths(parameters, 24);
    expect(Number.isFinite(fresh)).toBe(true);
    expect(loyal).toBeGreaterThan(fresh);
    const steady = discountedRemainingMonths({ alpha: 0.001, beta: 1000 }, 0);
    // Nearly nobody leaves: Σ 1/(1+d)^k = 1/d with d the monthly rate of 10 % a year.
    const monthly = 1.1 ** (1 / 12) - 1;
    expect(steady).toBeCloseTo(1 / monthly, -1);
  });
});
