import type { CreatedTicket, Message, Problem } from '@keepdesk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, startTestServer, TEST_DB, type TestServer, uniq } from '../../../test/harness';
import { openSse } from '../../../test/sse';

let server: TestServer;
let url: string;
let agent: Awaited<ReturnType<typeof bearerFor>>;
beforeAll(async () => {
  server = await startTestServer();
  url = await server.listen();
  agent = await bearerFor(server, 'agent');
});
afterAll(async () => {
  await server?.close();
});

async function createTicket(target: TestServer, headers: Record<string, string>): Promise<CreatedTicket> {
  const res = await target.app.inject({
    method: 'POST',
    url: '/api/v1/tickets',
    headers,
    payload: {
      subject: `Live ${uniq()}`,
      requester: { email: `live-${uniq()}@example.com` },
      message: { body: 'Hallo' },
    },
  });
  return res.json<CreatedTicket>();
}

type Change = { type: string; entityType: string; entityId: string; action: string };

describe('live updates', () => {
  it('streams committed ticket changes to signed-in browsers that may read tickets', async () => {
    const stream = await openSse(`${url}/api/v1/live`, agent.headers);
    expect(stream.status).toBe(200);
    expect(stream.contentType).toContain('text/event-stream');
    try {
      const ticket = await createTicket(server, agent.headers);
      const created = (await stream.waitFor(
        (e) => e.event === 'change' && (e.data as Change).entityId === ticket.id,
      )) as Change;
      expect(created).toEqual({
        type: 'change',
        entityType: 'ticket',
        entityId: ticket.id,
        action: 'ticket.created',
      });

      await server.app.inject({
        method: 'PATCH',
        url: `/api/v1/tickets/${ticket.id}`,
        headers: agent.headers,
        payload: { priority: 'urgent' },
      });
      await stream.waitFor(
        (e) => (e.data as Change).entityId === ticket.id && (e.data as Change).action === 'ticket.updated',
      );
    } finally {
      await stream.close();
    }
  });

  it('tells who views and types on a ticket', async () => {
    const colleague = await bearerFor(server, 'agent');
    const stream = await openSse(`${url}/api/v1/live`, colleague.headers);
    try {
      const ticket = await createTicket(server, agent.headers);
      const res = await server.app.inject({
        method: 'POST',
        url: `/api/v1/tickets/${ticket.id}/presence`,
        headers: agent.headers,
        payload: { state: 'typing' },
      });
      expect(res.statusCode).toBe(202);
      const presence = await stream.waitFor((e) => e.event === 'presence');
      expect(presence).toMatchObject({
        ticketId: ticket.id,
        userId: agent.user.id,
        name: agent.user.name,
        state: 'typing',
      });
    } finally {
      await stream.close();
    }
  });

  it('keeps ticket changes from users who may not read tickets, and refuses strangers', async () => {
    expect((await fetch(`${url}/api/v1/live`)).status).toBe(401);
    const key = `nothing_${uniq().replace(/-/g, '')}`;
    const admin = await bearerFor(server, 'admin');
    await server.app.inject({
      method: 'POST',
      url: '/api/v1/roles',
      headers: admin.headers,
      payload: { key, name: 'Nothing', permissions: [] },
    });
    const outsider = await bearerFor(server, key);
    const stream = await openSse(`${url}/api/v1/live`, outsider.headers);
    const watcher = await openSse(`${url}/api/v1/live`, agent.headers);
    try {
      const ticket = await createTicket(server, agent.headers);
      await watcher.waitFor((e) => (e.data as Change).entityId === ticket.id);
      expect(stream.events).toEqual([]);
    } finally {
      await stream.close();
      await watcher.close();
    }
  });

  it.skipIf(TEST_DB !== 'postgres')('carries a change made through another process', async () => {
    const other = await startTestServer({ secondProcess: true });
    const otherUrl = await other.listen();
    const stream = await openSse(`${otherUrl}/api/v1/live`, agent.headers);
    try {
      const ticket = await createTicket(server, agent.headers);
      await stream.waitFor((e) => (e.data as Change).entityId === ticket.id);
    } finally {
      await stream.close();
      await other.close();
    }
  });
});

describe('reply collisions', () => {
  it('refuses a public reply when a colleague replied since the agent last looked, unless forced', async () => {
    const colleague = await bearerFor(server, 'agent');
    const ticket = await createTicket(server, agent.headers);
    const reply = (headers: Record<string, string>, payload: object) =>
      server.app.inject({ method: 'POST', url: `/api/v1/tickets/${ticket.id}/messages`, headers, payload });

    const theirs = await reply(colleague.headers, { body: 'Schon erledigt!' });
    expect(theirs.statusCode).toBe(201);
    const mine = await reply(agent.headers, {
      body: 'Wir kümmern uns.',
      lastSeenMessageId: ticket.firstMessage.id,
    });
    expect(mine.statusCode).toBe(409);
    expect(mine.json<Problem>()).toMatchObject({ code: 'REPLY_COLLISION' });
    expect(mine.json<Problem>().detail).toContain(colleague.user.name);

    const seen = await reply(agent.headers, {
      body: 'Ergänzung.',
      lastSeenMessageId: theirs.json<Message>().id,
    });
    expect(seen.statusCode).toBe(201);
    const forced = await reply(agent.headers, {
      body: 'Trotzdem.',
      lastSeenMessageId: ticket.firstMessage.id,
      force: true,
    });
    expect(forced.statusCode).toBe(201);
    const note = await reply(agent.headers, {
      body: 'Notiz',
      visibility: 'internal',
      lastSeenMessageId: ticket.firstMessage.id,
    });
    expect(note.statusCode).toBe(201);
  });
});
