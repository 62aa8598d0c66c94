import type {
  CreatedTicket,
  FollowerList,
  MessageList,
  NotificationPage,
  Problem,
  TicketEventList,
  User,
} from '@keepdesk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, startTestServer, type TestServer, uniq } from '../../../test/harness';
import { openSse } from '../../../test/sse';

type Who = { user: User; headers: { authorization: string } };
let server: TestServer;
let url: string;
let agent: Who;
let colleague: Who;
let bystander: Who;
beforeAll(async () => {
  server = await startTestServer();
  url = await server.listen();
  agent = await bearerFor(server, 'agent');
  colleague = await bearerFor(server, 'agent');
  bystander = await bearerFor(server, 'agent');
});
afterAll(async () => {
  await server?.close();
});

const call = (
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  path: string,
  who: Who,
  payload?: object,
) => server.app.inject({ method, url: `/api/v1${path}`, headers: who.headers, payload });

async function newTicket(): Promise<CreatedTicket> {
  const res = await call('POST', '/tickets', agent, {
    subject: `Mention ${uniq()}`,
    requester: { email: `mention-${uniq()}@example.com` },
    message: { body: 'Please help' },
  });
  return res.json<CreatedTicket>();
}

const inbox = async (who: Who) => (await call('GET', '/notifications', who)).json<NotificationPage>();
const mention = (user: User) => `<span data-mention="${user.id}">@${user.name}</span>`;

describe('mentions and followers', () => {
  it('notify a mentioned colleague live, who then follows the ticket', async () => {
    const ticket = await newTicket();
    const stream = await openSse(`${url}/api/v1/live`, colleague.headers);
    const others = await openSse(`${url}/api/v1/live`, bystander.headers);
    try {
      const note = await call('POST', `/tickets/${ticket.id}/messages`, agent, {
        visibility: 'internal',
        body: `<p>${mention(colleague.user)} can you check the refund?</p>`,
      });
      expect(note.statusCode, note.body).toBe(201);
      await stream.waitFor((e) => e.event === 'notification');
      expect(others.events.some((e) => e.event === 'notification')).toBe(false);
    } finally {
      await stream.close();
      await others.close();
    }
    const page = await inbox(colleague);
    expect(page.unread).toBe(1);
    expect(page.items[0]).toMatchObject({
      kind: 'mention',
      ticket: { id: ticket.id, number: ticket.number },
      actor: { id: agent.user.id },
      readAt: null,
    });
    expect(page.items[0]?.excerpt).toContain('can you check the refund?');
    const followers = (await call('GET', `/tickets/${ticket.id}/followers`, agent)).json<FollowerList>();
    expect(followers.items.map((f) => f.id)).toEqual([colleague.user.id]);
    const events = (await call('GET', `/tickets/${ticket.id}/events`, agent)).json<TicketEventList>();
    expect(events.items.some((e) => e.kind === 'follower_added' && e.to === colleague.user.id)).toBe(true);
    expect((await inbox(agent)).items.some((n) => n.ticket?.id === ticket.id)).toBe(false);
  });

  it('tell followers and the assignee of new messages by others, and the new assignee of the assignment', async () => {
    const ticket = await newTicket();
    expect(
      (await call('PUT', `/tickets/${ticket.id}/followers/${colleague.user.id}`, colleague)).statusCode,
    ).toBe(204);
    await call('POST', `/tickets/${ticket.id}/messages`, agent, { body: 'We are on it.' });
    const activity = (await inbox(colleague)).items.find((n) => n.ticket?.id === ticket.id);
    expect(activity?.kind).toBe('activity');

    await call('PATCH', `/tickets/${ticket.id}`, agent, { assigneeId: bystander.user.id });
    const assigned = (await inbox(bystander)).items.find((n) => n.ticket?.id === ticket.id);
    expect(assigned?.kind).toBe('assigned');

    expect(
      (await call('DELETE', `/tickets/${ticket.id}/followers/${colleague.user.id}`, colleague)).statusCode,
    ).toBe(204);
    const before = (await inbox(colleague)).items.filter((n) => n.ticket?.id === ticket.id).length;
    await call('POST', `/tickets/${ticket.id}/messages`, agent, { body: 'Update', visibility: 'internal' });
    expect((await inbox(colleague)).items.filter((n) => n.ticket?.id === ticket.id)).toHaveLength(before);
    expect((await inbox(bystander)).items.filter((n) => n.ticket?.id === ticket.id)).toHaveLength(2);
  });

  it('refuse a note that mentions someone who is not an active user, storing nothing', async () => {
    const ticket = await newTicket();
    const ghost = '00000000-0000-4000-8000-00000000dead';
    const res = await call('POST', `/tickets/${ticket.id}/messages`, agent, {
      visibility: 'internal',
      body: `<p><span data-mention="${ghost}">@Ghost</span> hi</p>`,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<Problem>().errors?.[0]?.field).toBe('body');
    const messages = (await call('GET', `/tickets/${ticket.id}/messages`, agent)).json<MessageList>();
    expect(messages.items).toHaveLength(1);
  });

  it('mark notifications read, only one’s own', async () => {
    const ticket = await newTicket();
    await call('POST', `/tickets/${ticket.id}/messages`, agent, {
      visibility: 'internal',
      body: `<p>${mention(bystander.user)} FYI</p>`,
    });
    const mine = (await inbox(bystander)).items.filter((n) => !n.readAt);
    const foreign = await call('POST', '/notifications/read', colleague, { ids: mine.map((n) => n.id) });
    expect(foreign.json()).toEqual({ updated: 0 });
    const read = await call('POST', '/notifications/read', bystander, { all: true });
    expect(read.json<{ updated: number }>().updated).toBe(mine.length);
    expect((await inbox(bystander)).unread).toBe(0);
    expect((await call('POST', '/notifications/read', bystander, {})).statusCode).toBe(400);
    expect((await server.app.inject({ method: 'GET', url: '/api/v1/notifications' })).statusCode).toBe(401);
  });

  it('lets agents add colleagues as followers, and viewers only themselves', async () => {
    const ticket = await newTicket();
    expect(
      (await call('PUT', `/tickets/${ticket.id}/followers/${bystander.user.id}`, agent)).statusCode,
    ).toBe(204);
    const viewer = await bearerFor(server, 'collaborator');
    expect(
      (await call('PUT', `/tickets/${ticket.id}/followers/${bystander.user.id}`, viewer)).statusCode,
    ).toBe(403);
    expect((await call('PUT', `/tickets/${ticket.id}/followers/${viewer.user.id}`, viewer)).statusCode).toBe(
      204,
    );
    const bad = await call(
      'PUT',
      `/tickets/${ticket.id}/followers/00000000-0000-4000-8000-000000000000`,
      agent,
    );
    expect(bad.statusCode).toBe(400);
  });
});
