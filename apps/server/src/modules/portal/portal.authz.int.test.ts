import { randomUUID } from 'node:crypto';
import type { CreatedTicket, PortalTicket, PortalTicketPage, Problem } from '@keepdesk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, makeUser, signIn, startTestServer, type TestServer, uniq } from '../../../test/harness';
import { openSse } from '../../../test/sse';
import { type Headers, makeOrganization, makeTicket, multipartBody, portalSignIn } from './portal.fixture';

let server: TestServer;
let url: string;
let agent: Headers;
/** A and A2 share an organisation that shares tickets; B and B2 one that does not. */
let orgA: Awaited<ReturnType<typeof makeOrganization>>;
let orgB: Awaited<ReturnType<typeof makeOrganization>>;
let tA: CreatedTicket;
let tA2: CreatedTicket;
let tB: CreatedTicket;
let tB2: CreatedTicket;
let A: Headers;
let B: Headers;
let publicFileA: string;
let internalFileA: string;
let publicFileB: string;
const SECRET_NOTE = `internal-${uniq()} the customer must never read this`;

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

async function agentReply(ticketId: string, body: string, visibility: 'public' | 'internal', file?: string) {
  const ids: string[] = [];
  if (file) {
    const upload = multipartBody({}, [{ name: file, type: 'application/pdf', data: PDF }]);
    const res = await server.app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${ticketId}/attachments`,
      headers: { ...agent, ...upload.headers },
      payload: upload.payload,
    });
    expect(res.statusCode).toBe(201);
    ids.push(res.json<{ items: { id: string }[] }>().items[0]!.id);
  }
  const res = await server.app.inject({
    method: 'POST',
    url: `/api/v1/tickets/${ticketId}/messages`,
    headers: agent,
    payload: { body, visibility, attachmentIds: ids },
  });
  expect(res.statusCode).toBe(201);
  return ids[0] ?? '';
}

const get = (path: string, who: Headers) =>
  server.app.inject({ method: 'GET', url: `/api/v1${path}`, headers: who });
const post = (path: string, who: Headers, payload?: ReturnType<typeof multipartBody>) =>
  server.app.inject({
    method: 'POST',
    url: `/api/v1${path}`,
    headers: { ...who, ...(payload?.headers ?? {}) },
    ...(payload ? { payload: payload.payload } : {}),
  });
const ids = (page: PortalTicketPage) => page.items.map((t) => t.id).sort();
const setSharing = async (orgId: string, sharing: boolean) =>
  expect(
    (
      await server.app.inject({
        method: 'PATCH',
        url: `/api/v1/organizations/${orgId}`,
        headers: agent,
        payload: { portalSharesTickets: sharing },
      })
    ).statusCode,
  ).toBe(200);

beforeAll(async () => {
  server = await startTestServer();
  url = await server.listen();
  agent = (await bearerFor(server, 'agent')).headers;
  orgA = await makeOrganization(server, agent, true);
  orgB = await makeOrganization(server, agent, false);
  tA = await makeTicket(server, agent, `a-${uniq()}@${orgA.domain}`);
  tA2 = await makeTicket(server, agent, `a2-${uniq()}@${orgA.domain}`);
  tB = await makeTicket(server, agent, `b-${uniq()}@${orgB.domain}`);
  tB2 = await makeTicket(server, agent, `b2-${uniq()}@${orgB.domain}`);
  expect(tA.organization?.id).toBe(orgA.id);
  publicFileA = await agentReply(tA.id, 'Here is the manual', 'public', 'manual.pdf');
  internalFileA = await agentReply(tA.id, SECRET_NOTE, 'internal', 'secret.pdf');
  publicFileB = await agentReply(tB.id, 'Your invoice', 'public', 'invoice.pdf');
  A = await portalSignIn(server, tA.requester.id);
  B = await portalSignIn(server, tB.requester.id);
  // Four tickets with files on a busy PGlite take a while; the tests themselves are quick.
}, 180_000);
afterAll(async () => {
  await server?.close();
});

function expectNotFound(res: { statusCode: number; json: <T>() => T }) {
  expect(res.statusCode).toBe(404);
  expect(res.json<Problem>().code).toBe('NOT_FOUND');
}

describe('portal authorisation', () => {
  it('lists only the own tickets, and the organisation’s only where it shares them', async () => {
    expect(ids((await get('/portal/tickets?scope=mine', A)).json())).toEqual([tA.id]);
    expect(ids((await get('/portal/tickets?scope=organization', A)).json())).toEqual([tA.id, tA2.id].sort());
    expect(ids((await get('/portal/tickets?scope=mine', B)).json())).toEqual([tB.id]);
    expect(ids((await get('/portal/tickets?scope=organization', B)).json())).toEqual([]);
    expect(ids((await get('/portal/tickets?scope=mine&status=closed', A)).json())).toEqual([]);
  });

  it('answers 404 for another customer’s ticket exactly as for an id that does not exist', async () => {
    const guessed = await get(`/portal/tickets/${randomUUID()}`, A);
    expectNotFound(guessed);
    for (const other of [tB, tB2]) expectNotFound(await get(`/portal/tickets/${other.id}`, A));
    expectNotFound(await get(`/portal/tickets/${tB2.id}`, B)); // same organisation, which does not share
    expect((await get(`/portal/tickets/${tA2.id}`, A)).statusCode).toBe(200); // sharing organisation
    // Ticket numbers are no ids: enumerating them gets nowhere.
    expect((await get(`/portal/tickets/${tB.number}`, A)).statusCode).toBe(400);
  });

  it('follows the organisation’s sharing switch both ways', async () => {
    await setSharing(orgB.id, true);
    try {
      expect((await get(`/portal/tickets/${tB2.id}`, B)).statusCode).toBe(200);
      expect(ids((await get('/portal/tickets?scope=organization', B)).json())).toEqual(
        [tB.id, tB2.id].sort(),
      );
      expectNotFound(await get(`/portal/tickets/${tB2.id}`, A)); // sharing is within an organisation only
    } finally {
      await setSharing(orgB.id, false);
    }
    await setSharing(orgA.id, false);
    try {
      expectNotFound(await get(`/portal/tickets/${tA2.id}`, A));
      expect(ids((await get('/portal/tickets?scope=organization', A)).json())).toEqual([]);
    } finally {
      await setSharing(orgA.id, true);
    }
  });

  it('never shows internal notes, their files or agent-only fields', async () => {
    const res = await get(`/portal/tickets/${tA.id}`, A);
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain(SECRET_NOTE);
    expect(res.body).not.toContain(internalFileA);
    expect(res.body).not.toContain('secret.pdf');
    const ticket = res.json<PortalTicket>();
    expect(ticket.messages.map((m) => m.authorKind)).toEqual(['contact', 'agent']);
    expect(ticket.messages[1]!.attachments.map((a) => a.id)).toEqual([publicFileA]);
    for (const field of ['assignee', 'team', 'tags', 'priority', 'customFields', 'sla']) {
      expect(ticket).not.toHaveProperty(field);
    }
  });

  it('downloads only files of public messages on visible tickets', async () => {
    const own = await get(`/portal/attachments/${publicFileA}`, A);
    expect(own.statusCode).toBe(200);
    expect(own.headers['content-disposition']).toMatch(/^attachment;/);
    expect(own.rawPayload.equals(PDF)).toBe(true);
    expectNotFound(await get(`/portal/attachments/${internalFileA}`, A));
    expectNotFound(await get(`/portal/attachments/${publicFileB}`, A));
    expectNotFound(await get(`/portal/attachments/${randomUUID()}`, A));
    expectNotFound(await get(`/portal/attachments/${publicFileA}`, B));
  });

  it('lets nobody reply to or close another customer’s ticket', async () => {
    const reply = multipartBody({ text: 'Let me in' }, []);
    expectNotFound(await post(`/portal/tickets/${tB.id}/replies`, A, reply));
    expectNotFound(await post(`/portal/tickets/${randomUUID()}/replies`, A, reply));
    expectNotFound(await post(`/portal/tickets/${tB.id}/close`, A));
    expectNotFound(await post(`/portal/tickets/${tB2.id}/close`, B));
    const seen = (await get(`/tickets/${tB.id}`, agent)).json<{
      statusCategory: string;
      messageCount: number;
    }>();
    expect(seen.messageCount).toBe(2);
    expect(seen.statusCategory).not.toBe('solved');
  });

  it('requires the CSRF header of the portal session for changes', async () => {
    const res = await post(`/portal/tickets/${tA.id}/close`, { cookie: A.cookie! });
    expect(res.statusCode).toBe(403);
    expect(res.json<Problem>().code).toBe('CSRF_FAILED');
    const wrong = await post(`/portal/tickets/${tA.id}/close`, {
      cookie: A.cookie!,
      'x-csrf-token': B['x-csrf-token']!,
    });
    expect(wrong.json<Problem>().code).toBe('CSRF_FAILED');
  });

  it('keeps agent and customer credentials apart', async () => {
    const user = await makeUser(server, { role: 'admin' });
    const session = await signIn(server, user);
    for (const path of [
      '/portal/me',
      '/portal/tickets',
      `/portal/tickets/${tA.id}`,
      `/portal/attachments/${publicFileA}`,
    ]) {
      expect((await get(path, session.headers)).statusCode).toBe(401);
      expect((await get(path, agent)).statusCode).toBe(401);
    }
    expect((await post(`/portal/tickets/${tA.id}/close`, session.headers)).statusCode).toBe(401);
    for (const path of ['/tickets', '/me', `/tickets/${tA.id}`, `/attachments/${publicFileA}`]) {
      expect((await get(path, A)).statusCode).toBe(401);
    }
    const live = await openSse(`${url}/api/v1/live`, A);
    expect(live.status).toBe(401);
    await live.close();
    const portalLive = await openSse(`${url}/api/v1/portal/live`, session.headers);
    expect(portalLive.status).toBe(401);
    await portalLive.close();
  });

  it('streams changes of visible tickets only, never internal notes', async () => {
    const stream = await openSse(`${url}/api/v1/portal/live`, A);
    expect(stream.status).toBe(200);
    try {
      await agentReply(tB.id, 'for B only', 'public');
      await agentReply(tA.id, `${SECRET_NOTE} again`, 'internal');
      await agentReply(tA.id, 'Is it fixed?', 'public');
      const event = await stream.waitFor(
        (e) => e.event === 'change' && (e.data as { action: string }).action === 'ticket.replied',
      );
      expect(event).toMatchObject({ type: 'change', entityType: 'ticket', entityId: tA.id });
      await new Promise((resolve) => setTimeout(resolve, 500));
      const seen = JSON.stringify(stream.events);
      expect(seen).not.toContain(tB.id);
      expect(seen).not.toContain('ticket.noted');
      expect(seen).not.toContain(SECRET_NOTE);
      expect(stream.events.every((e) => e.event === 'change')).toBe(true);
    } finally {
      await stream.close();
    }
  });

  it('replies with files, reopens a solved ticket, and closes it', async () => {
    const closed = await post(`/portal/tickets/${tA2.id}/close`, A);
    expect(closed.statusCode).toBe(200);
    expect(closed.json<PortalTicket>().status).toBe('solved');
    const reply = multipartBody({ text: 'Still broken <script>alert(1)</script>' }, [
      { name: 'photo.pdf', type: 'application/pdf', data: PDF },
    ]);
    const res = await post(`/portal/tickets/${tA2.id}/replies`, A, reply);
    expect(res.statusCode).toBe(201);
    const ticket = res.json<PortalTicket>();
    expect(ticket.status).toBe('open');
    const mine = ticket.messages.at(-1)!;
    expect(mine.isOwn).toBe(true);
    expect(mine.bodyHtml).not.toContain('<script');
    expect(mine.bodyHtml).toContain('&lt;script&gt;');
    expect(mine.attachments).toHaveLength(1);
    // The organisation colleague who asked sees the reply too, the other organisation does not.
    expectNotFound(await get(`/portal/attachments/${mine.attachments[0]!.id}`, B));
  });

  it('signs out: the cookie stops working', async () => {
    const C = await portalSignIn(server, tB2.requester.id);
    expect((await post('/portal/logout', C)).statusCode).toBe(204);
    expect((await get('/portal/me', C)).statusCode).toBe(401);
  });
});
