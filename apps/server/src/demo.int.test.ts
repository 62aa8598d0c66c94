import type { AccountRetention, AtRiskPage, ChurnModelList, TicketPage } from '@keepdesk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeToken, startTestServer, type TestServer } from '../test/harness';
import { DEMO_MAILBOX, DEMO_USERS, seedDemo } from './demo';
import { findUserByEmail } from './modules/auth';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ isolated: true });
});
afterAll(async () => {
  await server?.close();
});

describe('demo workspace', () => {
  it('creates people, teams, customers and German and English tickets once', async () => {
    expect(await seedDemo(server.deps)).toEqual({ created: true });
    expect(await seedDemo(server.deps)).toEqual({ created: false });

    const admin = await findUserByEmail(server.deps.database.db, DEMO_USERS[0]!.email);
    const authorization = `Bearer ${await makeToken(server, { ...admin!, createdAt: '', lastLoginAt: null } as never)}`;
    const page = (
      await server.app.inject({ url: '/api/v1/tickets?limit=100', headers: { authorization } })
    ).json<TicketPage>();
    expect(page.items.length).toBeGreaterThanOrEqual(10);
    expect(new Set(page.items.map((t) => t.language))).toEqual(new Set(['de', 'en']));
    expect(new Set(page.items.map((t) => t.statusCategory))).toEqual(
      new Set(['new', 'pending', 'on_hold', 'solved', 'open']),
    );
    expect(page.items.filter((t) => t.organization !== null).length).toBeGreaterThanOrEqual(6);
    const mailboxes = await server.app.inject({ url: '/api/v1/mailboxes', headers: { authorization } });
    expect(mailboxes.json<{ items: { address: string; teamId: string | null }[] }>().items).toEqual([
      expect.objectContaining({ address: DEMO_MAILBOX, teamId: expect.any(String) }),
    ]);
    const triggers = await server.app.inject({ url: '/api/v1/triggers', headers: { authorization } });
    expect(triggers.json<{ items: { active: boolean }[] }>().items).toEqual([
      expect.objectContaining({ active: true }),
    ]);
    const automations = await server.app.inject({ url: '/api/v1/automations', headers: { authorization } });
    expect(automations.json<{ items: { name: string }[] }>().items.map((a) => a.name)).toEqual([
      'Waiting on the customer for 3 business days: remind',
      'Solved for 4 days: close',
    ]);

    // Customer accounts with a trained churn model, scored with reasons and eight weeks of trend.
    const models = await server.app.inject({ url: '/api/v1/retention/models', headers: { authorization } });
    const [model] = models.json<ChurnModelList>().items;
    expect(model).toMatchObject({ status: 'active', error: null });
    expect(model!.auc).toBeGreaterThan(0.7);
    const atRisk = (
      await server.app.inject({ url: '/api/v1/retention/at-risk?limit=200', headers: { authorization } })
    ).json<AtRiskPage>();
    expect(atRisk.items.length).toBeGreaterThan(100);
    expect(atRisk.items.filter((item) => item.riskBand === 'high').length).toBeGreaterThan(5);
    expect(atRisk.items[0]!.raising.length).toBeGreaterThan(0);
    const mueller = atRisk.items.find((item) => item.account.name === 'Müller Maschinenbau GmbH');
    expect(mueller?.owner?.name).toBe('Rita Retention');
    expect(mueller?.openTickets).toBeGreaterThan(0);
    const detail = (
      await server.app.inject({
        url: `/api/v1/customer-accounts/${mueller!.account.id}/retention`,
        headers: { authorization },
      })
    ).json<AccountRetention>();
    expect(detail.history).toHaveLength(9);
  }, 120_000);
});
