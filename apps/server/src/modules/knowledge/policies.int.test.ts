import type { KbAcknowledgementList, KbArticle, KbPendingPolicyList } from '@keepdesk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, startTestServer, type TestServer, uniq } from '../../../test/harness';

let server: TestServer;
let lead: { authorization: string };
let agent: { user: { id: string }; headers: { authorization: string } };

async function call<T>(
  method: 'GET' | 'POST' | 'PATCH',
  url: string,
  payload?: object,
  headers: Record<string, string> = lead,
): Promise<{ status: number; body: T }> {
  const res = await server.app.inject({ method, url: `/api/v1${url}`, headers, payload });
  return { status: res.statusCode, body: res.json<T>() };
}

const pendingIds = async (headers: Record<string, string>) =>
  (await call<KbPendingPolicyList>('GET', '/kb/policies/mine', undefined, headers)).body.items.map((p) => [
    p.id,
    p.acknowledgeVersion,
  ]);

beforeAll(async () => {
  server = await startTestServer();
  lead = (await bearerFor(server, 'team_lead')).headers;
  agent = await bearerFor(server, 'agent');
}, 120_000);
afterAll(async () => {
  await server?.close();
});

describe('policies', () => {
  it('asks agents to acknowledge each published version, and tells the lead who did', async () => {
    const created = await call<KbArticle>('POST', '/kb/articles', {
      title: `Refund policy ${uniq()}`,
      body: '<p>Refunds up to 50 € without approval.</p>',
      kind: 'policy',
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    // A draft asks nobody.
    expect(await pendingIds(agent.headers)).not.toContainEqual([id, 1]);
    const early = await call('POST', `/kb/policies/${id}/acknowledge`, { version: 1 }, agent.headers);
    expect(early.status).toBe(404);

    const published = await call<KbArticle>('POST', `/kb/articles/${id}/status`, { status: 'published' });
    expect(published.body.acknowledgeVersion).toBe(1);
    expect(await pendingIds(agent.headers)).toContainEqual([id, 1]);

    const wrong = await call('POST', `/kb/policies/${id}/acknowledge`, { version: 2 }, agent.headers);
    expect(wrong.status).toBe(409);
    const ok = await call<{ version: number }>(
      'POST',
      `/kb/policies/${id}/acknowledge`,
      { version: 1 },
      agent.headers,
    );
    expect(ok.status).toBe(200);
    const twice = await call('POST', `/kb/policies/${id}/acknowledge`, { version: 1 }, agent.headers);
    expect(twice.status).toBe(200);
    expect((await pendingIds(agent.headers)).map(([p]) => p)).not.toContain(id);

    const list = await call<KbAcknowledgementList>('GET', `/kb/policies/${id}/acknowledgements`);
    expect(list.body.version).toBe(1);
    const mine = list.body.items.find((i) => i.user.id === agent.user.id);
    expect(mine).toMatchObject({ acknowledged: true });
    expect(list.body.items.some((i) => !i.acknowledged)).toBe(true);
    const forbidden = await call('GET', `/kb/policies/${id}/acknowledgements`, undefined, agent.headers);
    expect(forbidden.status).toBe(403);

    // A metadata change asks nobody again; new content, published live, does.
    const meta = await call<KbArticle>('PATCH', `/kb/articles/${id}`, { verificationIntervalDays: 180 });
    expect(meta.body.acknowledgeVersion).toBe(1);
    const edited = await call<KbArticle>('PATCH', `/kb/articles/${id}`, {
      body: '<p>Refunds up to 100 € without approval.</p>',
    });
    expect(edited.body).toMatchObject({ version: 2, acknowledgeVersion: 2, status: 'published' });
    expect(await pendingIds(agent.headers)).toContainEqual([id, 2]);
    const stale = await call('POST', `/kb/policies/${id}/acknowledge`, { version: 1 }, agent.headers);
    expect(stale.status).toBe(409);
    const relist = await call<KbAcknowledgementList>('GET', `/kb/policies/${id}/acknowledgements`);
    expect(relist.body.items.find((i) => i.user.id === agent.user.id)).toMatchObject({
      acknowledged: false,
      acknowledgedAt: null,
    });
  });

  it('asks again when a policy edited in draft is published anew', async () => {
    const created = await call<KbArticle>('POST', '/kb/articles', {
      title: `Data policy ${uniq()}`,
      kind: 'policy',
    });
    const id = created.body.id;
    await call('POST', `/kb/articles/${id}/status`, { status: 'published' });
    await call('POST', `/kb/policies/${id}/acknowledge`, { version: 1 }, agent.headers);
    await call('POST', `/kb/articles/${id}/status`, { status: 'archived' });
    await call('POST', `/kb/articles/${id}/status`, { status: 'draft' });
    await call('PATCH', `/kb/articles/${id}`, { title: `Data policy v2 ${uniq()}` }, agent.headers);
    // Not yet published: nobody is asked about version 2.
    expect(await pendingIds(agent.headers)).not.toContainEqual([id, 2]);
    const republished = await call<KbArticle>('POST', `/kb/articles/${id}/status`, { status: 'published' });
    expect(republished.body.acknowledgeVersion).toBe(2);
    expect(await pendingIds(agent.headers)).toContainEqual([id, 2]);
  });
});
