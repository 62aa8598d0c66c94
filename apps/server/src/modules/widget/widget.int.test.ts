import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Message, Problem, WidgetConversation, WidgetConversationCreated } from '@keepdesk/contract';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, startTestServer, type TestServer, uniq } from '../../../test/harness';
import { openSse } from '../../../test/sse';
import { type App, createHttpApp } from '../../platform/http';
import { Metrics } from '../../platform/metrics';
import { brands } from '../knowledge/knowledge.tables';
import { tickets } from '../tickets/tickets.tables';
import { widgetPages } from './index';

let server: TestServer;
let withAssets: App;
let url: string;
let agent: Awaited<ReturnType<typeof bearerFor>>;

let ipCount = 0;
/** Each test comes from its own addresses, so the per-address limits of one test leave the others alone. */
const nextIp = () => `10.77.${Math.floor(++ipCount / 250)}.${ipCount % 250}`;

beforeAll(async () => {
  server = await startTestServer();
  url = await server.listen();
  agent = await bearerFor(server, 'agent');
  // The widget's pages over a built widget (the test server's web root has none), with the server's HTTP setup.
  const assetsDir = mkdtempSync(path.join(tmpdir(), 'keepdesk-widget-'));
  writeFileSync(path.join(assetsDir, 'loader.js'), '/* loader */');
  writeFileSync(path.join(assetsDir, 'frame.js'), '/* frame */');
  withAssets = await createHttpApp({
    config: server.deps.config,
    log: server.deps.log,
    metrics: new Metrics(),
    authenticate: async () => null,
    isShuttingDown: () => false,
  });
  await withAssets.register(widgetPages(server.deps, assetsDir));
});
afterAll(async () => {
  await withAssets?.close();
  await server?.close();
});

async function makeBrand(widget: Record<string, unknown>): Promise<string> {
  const slug = `w-${uniq()}`;
  await server.deps.database.db.insert(brands).values({
    slug,
    name: `Brand ${slug}`,
    widget: {
      enabled: true,
      primaryColor: '#2b8a3e',
      textColor: '#ffffff',
      position: 'bottom-left',
      language: 'auto',
      allowedOrigins: [],
      ...widget,
    } as typeof brands.$inferInsert.widget,
  });
  return slug;
}

async function open(message = 'Mein Paket ist nicht angekommen', brand = 'default', ip = nextIp()) {
  const res = await server.app.inject({
    method: 'POST',
    url: `/api/v1/widget/${brand}/conversations`,
    remoteAddress: ip,
    payload: { name: 'Vera Visitor', email: `visitor-${uniq()}@example.com`, message, language: 'de' },
  });
  return res;
}

async function opened(message?: string) {
  const res = await open(message);
  expect(res.statusCode, res.body).toBe(201);
  const created = res.json<WidgetConversationCreated>();
  const [ticket] = await server.deps.database.db
    .select()
    .from(tickets)
    .where(eq(tickets.number, created.conversation.ticketNumber));
  return { ...created, ticket: ticket!, headers: { authorization: `Widget ${created.token}` } };
}

const read = (headers: Record<string, string>) =>
  server.app.inject({ method: 'GET', url: '/api/v1/widget/conversation', headers, remoteAddress: nextIp() });

const agentWrites = (ticketId: string, body: string, visibility: 'public' | 'internal' = 'public') =>
  server.app.inject({
    method: 'POST',
    url: `/api/v1/tickets/${ticketId}/messages`,
    headers: agent.headers,
    payload: { body, visibility },
  });

describe('loader and frame', () => {
  it('serves the loader to any site: script type, CORS and cross-origin resource policy, short cache', async () => {
    const res = await withAssets.inject({ method: 'GET', url: '/widget.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    expect(res.body).toBe('/* loader */');
    // Without a build there is nothing to serve, and it says why.
    const unbuilt = await server.app.inject({ method: 'GET', url: '/widget.js' });
    expect(unbuilt.statusCode).toBe(404);
    expect(unbuilt.json<Problem>().detail).toContain('npm run build');
  });

  it('serves the frame under a strict CSP that any site may embed when no origins are configured', async () => {
    const res = await withAssets.inject({
      method: 'GET',
      url: '/widget/frame?brand=default&origin=https://shop.example&hostLang=de-DE',
    });
    expect(res.statusCode).toBe(200);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("style-src 'self';");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe');
    expect(csp).toMatch(/frame-ancestors \*$/);
    expect(res.headers['x-frame-options']).toBeUndefined();
    expect(res.body).toContain('<html lang="de"');
    expect(res.body).toContain('data-host-origin="https://shop.example"');
    expect(res.body).toContain('Hilfe durchsuchen');
    expect(res.body).toMatch(/<script src="\/widget\/frame\.js\?v=[0-9a-f]{12}" defer><\/script>/);
    // No inline script or style: only the JSON data block, which is never run.
    expect(res.body.match(/<script[^>]*>/g)).toEqual([
      '<script type="application/json" id="kd-words">',
      expect.stringContaining('src="/widget/frame.js'),
    ]);
    expect(res.body).not.toMatch(/<style|style="/);
  });

  it('lets only the allowed origins embed the frame, and takes overrides only when they are valid', async () => {
    const slug = await makeBrand({ allowedOrigins: ['https://shop.example', 'javascript:alert(1)'] });
    const res = await server.app.inject({
      method: 'GET',
      url: `/widget/frame?brand=${slug}&lang=en&color=${encodeURIComponent('red"><script>alert(1)</script>')}&origin=${encodeURIComponent('https://x.example"><b>')}`,
    });
    expect(res.statusCode).toBe(200);
    expect(String(res.headers['content-security-policy'])).toMatch(
      /frame-ancestors https:\/\/shop\.example$/,
    );
    expect(res.body).toContain('data-primary="#2b8a3e"');
    expect(res.body).toContain('data-position="bottom-left"');
    expect(res.body).toContain('data-host-origin=""');
    expect(res.body).not.toContain('<script>alert');
    expect(res.body).toContain('Search help');
    const recoloured = await server.app.inject({
      method: 'GET',
      url: `/widget/frame?brand=${slug}&color=%23ff0000&position=bottom-right`,
    });
    expect(recoloured.body).toContain('data-primary="#ff0000"');
    expect(recoloured.body).toContain('data-position="bottom-right"');
  });

  it('shows nothing for a disabled widget and takes no requests through it', async () => {
    const slug = await makeBrand({ enabled: false });
    const frame = await server.app.inject({ method: 'GET', url: `/widget/frame?brand=${slug}` });
    expect(frame.statusCode).toBe(404);
    expect(frame.body).not.toContain('kd-launcher');
    const res = await open('Hallo', slug);
    expect(res.statusCode).toBe(404);
    expect((await server.app.inject({ method: 'GET', url: '/widget/frame?brand=nope' })).statusCode).toBe(
      404,
    );
  });
});

describe('conversations', () => {
  it('opens a web ticket with the message and returns a token for it', async () => {
    const { token, conversation, ticket } = await opened('Mein Paket ist nicht angekommen\nBestellung 4711');
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(ticket.channel).toBe('web');
    expect(ticket.tags).toContain('widget');
    expect(ticket.subject).toBe('Mein Paket ist nicht angekommen');
    expect(conversation.messages).toEqual([
      expect.objectContaining({ from: 'visitor', text: 'Mein Paket ist nicht angekommen\nBestellung 4711' }),
    ]);
  });

  it('refuses bad bodies naming the field', async () => {
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/v1/widget/default/conversations',
      remoteAddress: nextIp(),
      payload: { name: 'X', email: 'not-an-address', message: 'Hi' },
    });
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(res.json<Problem>().errors)).toContain('email');
  });

  it('lets a token read its own conversation only', async () => {
    const a = await opened('Frage A');
    const b = await opened('Frage B');
    expect((await read(a.headers)).json<WidgetConversation>().ticketNumber).toBe(a.ticket.number);
    expect((await read(b.headers)).json<WidgetConversation>().ticketNumber).toBe(b.ticket.number);
    for (const headers of [
      {},
      { authorization: `Widget ${'x'.repeat(43)}` },
      { authorization: `Widget ${a.token}x` },
      { authorization: `Bearer ${a.token}` },
      agent.headers,
    ]) {
      const res = await read(headers);
      expect(res.statusCode).toBe(401);
      expect(res.body).not.toContain('Frage');
    }
    const post = await server.app.inject({
      method: 'POST',
      url: '/api/v1/widget/conversation/messages',
      headers: { authorization: `Widget ${'y'.repeat(43)}` },
      payload: { text: 'Hallo?' },
    });
    expect(post.statusCode).toBe(401);
  });

  it('shows public replies by first name and never internal notes', async () => {
    const { ticket, headers } = await opened();
    expect((await agentWrites(ticket.id, 'Interne Notiz: Kunde prüfen', 'internal')).statusCode).toBe(201);
    expect((await agentWrites(ticket.id, '<p>Wir haben es <b>nachgeschickt</b>.</p>')).statusCode).toBe(201);
    const conversation = (await read(headers)).json<WidgetConversation>();
    expect(conversation.messages.map((m) => [m.from, m.text])).toEqual([
      ['visitor', 'Mein Paket ist nicht angekommen'],
      ['agent', 'Wir haben es nachgeschickt.'],
    ]);
    expect(conversation.messages[1]!.authorName).toBe(agent.user.name.split(' ')[0]);
    expect(JSON.stringify(conversation)).not.toContain('Interne Notiz');
    expect(conversation.status).toBe('open');
  });

  it('adds the visitor message to the ticket as text, inert for the agent', async () => {
    const { ticket, headers } = await opened('<script>alert(1)</script>');
    const attack = '<img src=x onerror="window.__pwned=1">';
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/v1/widget/conversation/messages',
      headers,
      remoteAddress: nextIp(),
      payload: { text: attack },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json<WidgetConversation>().messages.map((m) => m.text)).toEqual([
      '<script>alert(1)</script>',
      attack,
    ]);
    const list = await server.app.inject({
      method: 'GET',
      url: `/api/v1/tickets/${ticket.id}/messages`,
      headers: agent.headers,
    });
    const messages = list.json<{ items: Message[] }>().items;
    const last = messages.find((m) => m.bodyText === attack);
    expect(last).toMatchObject({ authorKind: 'contact', visibility: 'public', channel: 'web' });
    expect(last!.bodyHtml).not.toContain('<img');
    expect(last!.bodyHtml).not.toContain('<script');
    expect(messages[0]!.bodyHtml).not.toContain('<script');
  });

  it('refuses messages on a closed request', async () => {
    const { ticket, headers } = await opened();
    await server.app.inject({
      method: 'PATCH',
      url: `/api/v1/tickets/${ticket.id}`,
      headers: agent.headers,
      payload: { status: 'closed' },
    });
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/v1/widget/conversation/messages',
      headers,
      payload: { text: 'Noch eine Frage' },
    });
    expect(res.statusCode).toBe(409);
    expect((await read(headers)).json<WidgetConversation>().status).toBe('closed');
  });
});

describe('live replies', () => {
  it('tells the one conversation whose ticket got a public reply, and nothing of notes', async () => {
    const mine = await opened();
    const other = await opened();
    const stream = await openSse(`${url}/api/v1/widget/conversation/live`, mine.headers);
    const otherStream = await openSse(`${url}/api/v1/widget/conversation/live`, other.headers);
    expect(stream.status).toBe(200);
    expect(stream.contentType).toContain('text/event-stream');
    try {
      await agentWrites(mine.ticket.id, 'Nur intern', 'internal');
      await agentWrites(mine.ticket.id, 'Ihre Antwort ist da');
      await stream.waitFor((e) => e.event === 'message', 10_000);
      // The note came first but produced no event; the reply produced exactly one.
      expect(stream.events.filter((e) => e.event === 'message')).toHaveLength(1);
      expect(JSON.stringify(stream.events)).not.toContain('intern');
      expect(otherStream.events).toEqual([]);
    } finally {
      await stream.close();
      await otherStream.close();
    }
    const refused = await fetch(`${url}/api/v1/widget/conversation/live`, {
      headers: { authorization: `Widget ${'z'.repeat(43)}` },
    });
    expect(refused.status).toBe(401);
  });
});

describe('rate limits', () => {
  it('slows down one address opening many requests', async () => {
    const ip = nextIp();
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await open(`Anfrage ${i}`, 'default', ip)).statusCode);
    expect(statuses.slice(0, 5)).toEqual([201, 201, 201, 201, 201]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    expect((await open('Von woanders', 'default', nextIp())).statusCode).toBe(201);
  });

  it('limits the messages of one token, wherever they come from', async () => {
    const first = await opened();
    const second = await opened();
    const send = (headers: Record<string, string>) =>
      server.app.inject({
        method: 'POST',
        url: '/api/v1/widget/conversation/messages',
        headers,
        remoteAddress: nextIp(),
        payload: { text: 'Hallo?' },
      });
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await send(first.headers)).statusCode);
    expect(statuses.filter((s) => s === 201)).toHaveLength(20);
    expect(statuses.at(-1)).toBe(429);
    expect((await send(second.headers)).statusCode).toBe(201);
  });
});
