import type {
  BulkResult,
  CreatedTicket,
  MessageList,
  Problem,
  Team,
  Ticket,
  TicketLinks,
  User,
} from '@keepdesk/contract';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, startTestServer, TEST_DB, type TestServer, uniq } from '../../../test/harness';

let server: TestServer;
let agent: { user: User; headers: { authorization: string } };
let manager: { user: User; headers: { authorization: string } };
beforeAll(async () => {
  server = await startTestServer();
  agent = await bearerFor(server, 'agent');
  manager = await bearerFor(server, 'manager');
});
afterAll(async () => {
  await server?.close();
});

const call = (
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  url: string,
  payload?: object,
  headers: object = agent.headers,
) => server.app.inject({ method, url: `/api/v1${url}`, headers: headers as Record<string, string>, payload });

async function newTicket(overrides: Record<string, unknown> = {}): Promise<CreatedTicket> {
  const res = await call('POST', '/tickets', {
    subject: `Work ${uniq()}`,
    requester: { email: `work-${uniq()}@example.com` },
    message: { body: 'Erste Nachricht' },
    ...overrides,
  });
  if (res.statusCode !== 201) throw new Error(res.body);
  return res.json<CreatedTicket>();
}

describe('take next', () => {
  it('gives the oldest unassigned open ticket of my teams, never the same to two agents', async () => {
    const team = (await call('POST', '/teams', { name: `Queue ${uniq()}` }, manager.headers)).json<Team>();
    const colleague = await bearerFor(server, 'agent');
    for (const member of [agent.user.id, colleague.user.id]) {
      await call('PUT', `/teams/${team.id}/members/${member}`, {}, manager.headers);
    }
    const older = await newTicket({ teamId: team.id });
    const newer = await newTicket({ teamId: team.id });
    const [mine, theirs] = await Promise.all([
      call('POST', '/tickets/take-next'),
      call('POST', '/tickets/take-next', {}, colleague.headers),
    ]);
    const taken = [mine.json<Ticket>(), theirs.json<Ticket>()];
    expect(taken.map((t) => t.id).sort()).toEqual([older.id, newer.id].sort());
    expect(taken.every((t) => t.status === 'open')).toBe(true);
    expect(new Set(taken.map((t) => t.assignee?.id)).size).toBe(2);
    expect((await call('POST', '/tickets/take-next')).statusCode).toBe(204);
  });

  // Two connections at once: PostgreSQL only (PGlite is one connection).
  it.runIf(TEST_DB === 'postgres')(
    'waits for a ticket a background job holds for a moment instead of saying nothing is waiting',
    async () => {
      const team = (await call('POST', '/teams', { name: `Queue ${uniq()}` }, manager.headers)).json<Team>();
      const colleague = await bearerFor(server, 'agent');
      await call('PUT', `/teams/${team.id}/members/${colleague.user.id}`, {}, manager.headers);
      const waiting = await newTicket({ teamId: team.id });
      let release: () => void = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let locked: () => void = () => {};
      const isLocked = new Promise<void>((resolve) => {
        locked = resolve;
      });
      // As the SLA or routing job does: the ticket's row locked in a transaction of its own.
      const job = server.deps.database.db.transaction(async (tx) => {
        await tx.execute(sql`select id from tickets where id = ${waiting.id} for update`);
        locked();
        await held;
      });
      await isLocked;
      const taking = call('POST', '/tickets/take-next', {}, colleague.headers);
      await new Promise((resolve) => setTimeout(resolve, 200));
      release();
      await job;
      const res = await taking;
      expect(res.statusCode).toBe(200);
      expect(res.json<Ticket>().id).toBe(waiting.id);
    },
  );
});

describe('bulk actions', () => {
  it('changes many tickets and reports those that could not change', async () => {
    const tickets = await Promise.all([
      newTicket({ tags: ['old'] }),
      newTicket({ tags: ['old'] }),
      newTicket(),
    ]);
    await call('PATCH', `/tickets/${tickets[2]!.id}`, { status: 'closed' });
    const res = await call('POST', '/tickets/bulk', {
      ids: tickets.map((t) => t.id),
      changes: { priority: 'high', addTags: ['vip'], removeTags: ['old'] },
    });
    expect(res.statusCode).toBe(200);
    const result = res.json<BulkResult>();
    expect(result).toMatchObject({ updated: 2, unchanged: 0 });
    expect(result.failed).toEqual([
      { id: tickets[2]!.id, code: 'TICKET_CLOSED', message: expect.any(String) },
    ]);
    const first = (await call('GET', `/tickets/${tickets[0]!.id}`)).json<Ticket>();
    expect(first).toMatchObject({ priority: 'high', tags: ['vip'] });
  });

  it('refuses more than 1,000 tickets and an empty change, naming the field', async () => {
    const many = Array.from({ length: 1001 }, () => '00000000-0000-4000-8000-000000000000');
    const tooMany = await call('POST', '/tickets/bulk', { ids: many, changes: { priority: 'low' } });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json<Problem>().errors?.[0]?.field).toBe('ids');
    const nothing = await call('POST', '/tickets/bulk', { ids: [many[0]], changes: {} });
    expect(nothing.json<Problem>().errors?.[0]?.field).toBe('changes');
  });
});

describe('merging and splitting', () => {
  it('moves the messages of duplicates into the target and closes them with a pointer', async () => {
    const target = await newTicket({ tags: ['a'] });
    const duplicate = await newTicket({ tags: ['b'], message: { body: 'Doppelt gemeldet' } });
    const res = await call('POST', `/tickets/${target.id}/merge`, { sourceIds: [duplicate.id] });
    expect(res.statusCode).toBe(200);
    expect(res.json<Ticket>()).toMatchObject({ messageCount: 2, tags: ['a', 'b'] });
    const messages = (await call('GET', `/tickets/${target.id}/messages`)).json<MessageList>();
    expect(messages.items.map((m) => m.bodyText)).toContain('Doppelt gemeldet');
    const closed = (await call('GET', `/tickets/${duplicate.id}`)).json<Ticket>();
    expect(closed).toMatchObject({ statusCategory: 'closed', mergedIntoId: target.id });
    expect(
      (await call('GET', `/tickets/${duplicate.id}/messages`)).json<MessageList>().items[0]?.bodyText,
    ).toBe(`Merged into #${target.number}.`);
  });

  it('refuses to merge a ticket into itself or a closed ticket, changing nothing', async () => {
    const ticket = await newTicket();
    const self = await call('POST', `/tickets/${ticket.id}/merge`, { sourceIds: [ticket.id] });
    expect(self.statusCode).toBe(409);
    expect(self.json<Problem>().code).toBe('MERGE_INVALID');
    const closed = await newTicket();
    await call('PATCH', `/tickets/${closed.id}`, { status: 'closed' });
    const intoClosed = await call('POST', `/tickets/${closed.id}/merge`, { sourceIds: [ticket.id] });
    expect(intoClosed.statusCode).toBe(409);
    expect((await call('GET', `/tickets/${ticket.id}`)).json<Ticket>().statusCategory).toBe('new');
  });

  it('splits a message into a new linked ticket', async () => {
    const ticket = await newTicket();
    const second = (
      await call('POST', `/tickets/${ticket.id}/messages`, { body: 'Andere Frage: Lieferzeit?' })
    ).json<{ id: string }>();
    const res = await call('POST', `/tickets/${ticket.id}/split`, {
      messageId: second.id,
      subject: 'Lieferzeit',
    });
    expect(res.statusCode).toBe(201);
    const split = res.json<Ticket>();
    expect(split).toMatchObject({
      subject: 'Lieferzeit',
      messageCount: 1,
      requester: { id: ticket.requester.id },
    });
    expect((await call('GET', `/tickets/${ticket.id}`)).json<Ticket>().messageCount).toBe(1);
    const links = (await call('GET', `/tickets/${ticket.id}/links`)).json<TicketLinks>();
    expect(links.related.map((r) => r.id)).toEqual([split.id]);
    const only = await call('POST', `/tickets/${split.id}/split`, { messageId: second.id });
    expect(only.statusCode).toBe(409);
  });
});

describe('problems and incidents', () => {
  it('solves the open incidents of a problem with it', async () => {
    const problem = await newTicket({ type: 'problem' });
    const incidents = [await newTicket({ type: 'incident' }), await newTicket({ type: 'incident' })];
    for (const incident of incidents) {
      expect(
        (await call('PUT', `/tickets/${problem.id}/links/${incident.id}`, { kind: 'child' })).statusCode,
      ).toBe(200);
    }
    const links = (await call('GET', `/tickets/${problem.id}/links`)).json<TicketLinks>();
    expect(links.children.map((c) => c.id).sort()).toEqual(incidents.map((i) => i.id).sort());
    expect((await call('GET', `/tickets/${incidents[0]!.id}/links`)).json<TicketLinks>().parent?.id).toBe(
      problem.id,
    );

    await call('PATCH', `/tickets/${problem.id}`, { status: 'solved' });
    for (const incident of incidents) {
      expect((await call('GET', `/tickets/${incident.id}`)).json<Ticket>().statusCategory).toBe('solved');
    }
  });

  it('keeps the hierarchy one level deep and refuses self-links', async () => {
    const problem = await newTicket();
    const incident = await newTicket();
    const other = await newTicket();
    await call('PUT', `/tickets/${problem.id}/links/${incident.id}`, { kind: 'child' });
    const deeper = await call('PUT', `/tickets/${incident.id}/links/${other.id}`, { kind: 'child' });
    expect(deeper.statusCode).toBe(409);
    expect(deeper.json<Problem>().code).toBe('LINK_INVALID');
    expect(
      (await call('PUT', `/tickets/${problem.id}/links/${problem.id}`, { kind: 'related' })).statusCode,
    ).toBe(409);
    const unlinked = (
      await call('DELETE', `/tickets/${problem.id}/links/${incident.id}`)
    ).json<TicketLinks>();
    expect(unlinked.children).toEqual([]);
  });
});
