import type { KbArticle, WidgetConversationCreated } from '@keepdesk/contract';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, startTestServer, type TestServer, uniq } from '../../../test/harness';
import { openSse, type SseStream } from '../../../test/sse';
import { makeTicket, portalSignIn } from '../portal/portal.fixture';
import { tickets } from '../tickets/tickets.tables';

let server: TestServer;
let url: string;
let lead: Record<string, string>;
let agent: Record<string, string>;

type Change = { type: string; entityType: string; entityId: string; action: string };

beforeAll(async () => {
  server = await startTestServer();
  url = await server.listen();
  lead = (await bearerFor(server, 'team_lead')).headers;
  agent = (await bearerFor(server, 'agent')).headers;
});
afterAll(async () => {
  await server?.close();
});

async function call<T>(method: 'POST' | 'PATCH', path: string, payload: object): Promise<T> {
  const res = await server.app.inject({ method, url: `/api/v1${path}`, headers: lead, payload });
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res.json<T>();
}

const changeOf = (stream: SseStream, articleId: string, action: string) =>
  stream.waitFor(
    (e) =>
      e.event === 'change' &&
      (e.data as Change).entityId === articleId &&
      (e.data as Change).action === action,
    10_000,
  );

/** A public reply on a ticket: what the portal and widget streams do hear of, to know they are up to date. */
const replyTo = (ticketId: string) =>
  server.app.inject({
    method: 'POST',
    url: `/api/v1/tickets/${ticketId}/messages`,
    headers: agent,
    payload: { body: 'We are on it.', visibility: 'public' },
  });

describe('live knowledge-base changes', () => {
  it('tells agents who may read the knowledge base that an article was created, edited and published', async () => {
    const stream = await openSse(`${url}/api/v1/live`, agent);
    try {
      const title = `Internal escalation matrix ${uniq()}`;
      const created = await call<KbArticle>('POST', '/kb/articles', { title, body: '<p>Call Bob.</p>' });
      expect(await changeOf(stream, created.id, 'kb_article.created')).toEqual({
        type: 'change',
        entityType: 'kb_article',
        entityId: created.id,
        action: 'kb_article.created',
      });
      await call('PATCH', `/kb/articles/${created.id}`, { body: '<p>Call Alice.</p>' });
      await changeOf(stream, created.id, 'kb_article.updated');
      await call('POST', `/kb/articles/${created.id}/status`, { status: 'published' });
      await changeOf(stream, created.id, 'kb_article.published');
      // Ids only: the browser loads the article with its own permissions.
      expect(JSON.stringify(stream.events)).not.toContain(title);
    } finally {
      await stream.close();
    }
  });

  it('keeps article changes from users without kb:read and from customers’ portal and widget streams', async () => {
    const key = `tickets_only_${uniq().replace(/-/g, '')}`;
    const admin = await bearerFor(server, 'admin');
    const role = await server.app.inject({
      method: 'POST',
      url: '/api/v1/roles',
      headers: admin.headers,
      payload: { key, name: 'Tickets only', permissions: ['tickets:read'] },
    });
    expect(role.statusCode, role.body).toBe(201);
    const outsider = (await bearerFor(server, key)).headers;

    const portalTicket = await makeTicket(server, agent, `kb-live-${uniq()}@example.com`);
    const customer = await portalSignIn(server, portalTicket.requester.id);
    const opened = await server.app.inject({
      method: 'POST',
      url: '/api/v1/widget/default/conversations',
      remoteAddress: '10.78.0.1',
      payload: {
        name: 'Vera Visitor',
        email: `visitor-${uniq()}@example.com`,
        message: 'Hallo',
        language: 'de',
      },
    });
    expect(opened.statusCode, opened.body).toBe(201);
    const conversation = opened.json<WidgetConversationCreated>();
    const [widgetTicket] = await server.deps.database.db
      .select({ id: tickets.id })
      .from(tickets)
      .where(eq(tickets.number, conversation.conversation.ticketNumber));

    const watcher = await openSse(`${url}/api/v1/live`, agent);
    const others = await openSse(`${url}/api/v1/live`, outsider);
    const portal = await openSse(`${url}/api/v1/portal/live`, customer);
    const widget = await openSse(`${url}/api/v1/widget/conversation/live`, {
      authorization: `Widget ${conversation.token}`,
    });
    expect([others.status, portal.status, widget.status]).toEqual([200, 200, 200]);
    try {
      const title = `Public returns ${uniq()}`;
      const created = await call<KbArticle>('POST', '/kb/articles', {
        title,
        body: '<p>30 days.</p>',
        visibility: 'public',
      });
      await call('POST', `/kb/articles/${created.id}/status`, { status: 'published' });
      await changeOf(watcher, created.id, 'kb_article.published');

      // Changes are announced in commit order: once these ticket events arrived, the article's went by.
      expect((await replyTo(portalTicket.id)).statusCode).toBe(201);
      expect((await replyTo(widgetTicket!.id)).statusCode).toBe(201);
      const isTicket = (id: string) => (e: { data: unknown }) => (e.data as Change).entityId === id;
      await others.waitFor(isTicket(widgetTicket!.id), 10_000);
      await portal.waitFor(isTicket(portalTicket.id), 10_000);
      await widget.waitFor((e) => e.event === 'message', 10_000);

      for (const stream of [others, portal, widget]) {
        const seen = JSON.stringify(stream.events);
        expect(seen).not.toContain(created.id);
        expect(seen).not.toContain('kb_article');
        expect(seen).not.toContain(title);
      }
    } finally {
      await Promise.all([watcher.close(), others.close(), portal.close(), widget.close()]);
    }
  });
});
