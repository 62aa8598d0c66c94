import type {
  CreatedTicket,
  Message,
  MessageList,
  Organization,
  Problem,
  Team,
  Ticket,
  TicketEventList,
  TicketPage,
  User,
} from '@keepdesk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, startTestServer, type TestServer, uniq } from '../../../test/harness';

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
  method: 'GET' | 'POST' | 'PATCH',
  url: string,
  payload?: unknown,
  headers: object = agent.headers,
) =>
  server.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: headers as Record<string, string>,
    payload: payload as object,
  });

async function newTicket(overrides: Record<string, unknown> = {}): Promise<CreatedTicket> {
  const res = await call('POST', '/tickets', {
    subject: `Rechnung doppelt abgebucht ${uniq()}`,
    requester: { email: `kunde-${uniq()}@example.com`, name: 'Karl Kunde' },
    message: { body: 'Guten Tag, mir wurde zweimal abgebucht.' },
    channel: 'email',
    ...overrides,
  });
  if (res.statusCode !== 201) throw new Error(`create failed: ${res.statusCode} ${res.body}`);
  return res.json<CreatedTicket>();
}

/** Tickets with this subject: other test files write tickets at the same time, so never count them all. */
describe('a new customer writing several times at once', () => {
  it('gets one contact and every ticket', async () => {
    const email = `burst-${uniq()}@example.com`;
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        call('POST', '/tickets', {
          subject: `Burst ${i} ${uniq()}`,
          requester: { email, name: 'Berta Burst' },
          message: { body: 'Hallo?' },
        }),
      ),
    );
    expect(results.map((r) => r.statusCode)).toEqual(Array(8).fill(201));
    const requesters = new Set(results.map((r) => r.json<CreatedTicket>().requester.id));
    expect(requesters.size).toBe(1);
  });
});

describe('a ticket taken down by an agent on the phone', () => {
  it('has the agent as the author of its first message', async () => {
    const ticket = await newTicket({
      channel: 'phone',
      message: { body: 'Anruf: Kunde meldet doppelte Abbuchung.' },
    });
    expect(ticket.channel).toBe('phone');
    expect(ticket.firstMessage).toMatchObject({
      authorKind: 'agent',
      author: { id: agent.user.id, name: agent.user.name },
      channel: 'phone',
    });
    const messages = (await call('GET', `/tickets/${ticket.id}/messages`)).json<MessageList>();
    expect(messages.items[0]).toMatchObject({ authorKind: 'agent', author: { id: agent.user.id } });
  });
});

describe('tags', () => {
  it('are listed once put on a ticket, on create or on update, by prefix', async () => {
    const prefix = `t${uniq()}`.toLowerCase().slice(0, 12);
    const ticket = await newTicket({ tags: [`${prefix}-a`, `${prefix}_b`] });
    await call('PATCH', `/tickets/${ticket.id}`, { tags: [`${prefix}-a`, `${prefix}-c`] });
    const listed = (await call('GET', `/tags?q=${prefix}`)).json<{ items: { name: string }[] }>();
    expect(listed.items.map((t) => t.name)).toEqual([`${prefix}-a`, `${prefix}-c`, `${prefix}_b`]);
    const underscore = (await call('GET', `/tags?q=${prefix}_`)).json<{ items: { name: string }[] }>();
    expect(underscore.items.map((t) => t.name)).toEqual([`${prefix}_b`]);
  });
});

describe('finding a ticket by its number', () => {
  it('lists exactly the ticket with that number', async () => {
    const ticket = await newTicket();
    const page = (await call('GET', `/tickets?number=${ticket.number}`)).json<TicketPage>();
    expect(page.items.map((t) => t.id)).toEqual([ticket.id]);
    expect((await call('GET', '/tickets?number=abc')).statusCode).toBe(400);
  });
});

async function ticketsWithSubject(subject: string): Promise<number> {
  const { rows } = await server.deps.database.query(
    'select count(*)::int as n from tickets where subject = $1',
    [subject],
  );
  return Number(rows[0]?.n);
}

describe('creating tickets', () => {
  it('numbers the ticket, creates the requester, links their organisation and cleans the message', async () => {
    const domain = `kunde-${uniq()}.example`;
    const org = (
      await call('POST', '/organizations', { name: `Kunde ${domain}`, domains: [domain] })
    ).json<Organization>();
    const first = await newTicket();
    const ticket = await newTicket({
      requester: { email: `lea@${domain}`, name: 'Lea Lang' },
      message: { body: '<p>Hallo<script>alert(1)</script> <b>Team</b></p>' },
      tags: ['Billing', 'billing', 'VIP'],
    });
    expect(first.number).toBeGreaterThanOrEqual(10001);
    expect(ticket.number).toBeGreaterThan(first.number);
    expect(ticket).toMatchObject({
      status: 'new',
      statusCategory: 'new',
      priority: 'normal',
      type: 'question',
      channel: 'email',
      requester: { name: 'Lea Lang', email: `lea@${domain}` },
      organization: { id: org.id },
      tags: ['billing', 'vip'],
      messageCount: 1,
    });
    expect(ticket.firstMessage).toMatchObject({
      authorKind: 'contact',
      visibility: 'public',
      bodyHtml: '<p>Hallo <b>Team</b></p>',
      bodyText: 'Hallo Team',
    });
    const events = (await call('GET', `/tickets/${ticket.id}/events`)).json<TicketEventList>();
    expect(events.items.map((e) => e.kind)).toEqual(['created']);
  });

  it('refuses unknown values and writes nothing', async () => {
    const subject = `Refused ${uniq()}`;
    const badPriority = await call('POST', '/tickets', {
      subject,
      requester: { email: `x-${uniq()}@example.com` },
      message: { body: 'x' },
      priority: 'whenever',
    });
    expect(badPriority.statusCode).toBe(400);
    expect(badPriority.json<Problem>().errors?.[0]?.field).toBe('priority');
    const badStatus = await call('POST', '/tickets', {
      subject,
      requester: { email: `x-${uniq()}@example.com` },
      message: { body: 'x' },
      status: 'nonexistent',
    });
    expect(badStatus.statusCode).toBe(400);
    expect(badStatus.json<Problem>().errors?.[0]?.field).toBe('status');
    expect(await ticketsWithSubject(subject)).toBe(0);
  });

  it('refuses an assignee outside the ticket team', async () => {
    const team = (await call('POST', '/teams', { name: `Billing ${uniq()}` }, manager.headers)).json<Team>();
    const subject = `Outside ${uniq()}`;
    const res = await call('POST', '/tickets', {
      subject,
      requester: { email: `x-${uniq()}@example.com` },
      message: { body: 'x' },
      teamId: team.id,
      assigneeId: agent.user.id,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<Problem>().errors).toEqual([
      { field: 'assigneeId', message: 'not a member of the team' },
    ]);
    expect(await ticketsWithSubject(subject)).toBe(0);
  });

  it('creates a ticket once for a retried request with the same Idempotency-Key', async () => {
    const headers = { ...agent.headers, 'idempotency-key': `ticket-${uniq()}` };
    const body = {
      subject: 'Retry',
      requester: { email: `r-${uniq()}@example.com` },
      message: { body: 'Hallo' },
    };
    const first = await call('POST', '/tickets', body, headers);
    const retry = await call('POST', '/tickets', body, headers);
    expect(retry.json<CreatedTicket>().id).toBe(first.json<CreatedTicket>().id);
    expect(retry.json<CreatedTicket>().number).toBe(first.json<CreatedTicket>().number);
  });
});

describe('working a ticket', () => {
  it('opens a ticket when an agent takes it and records every change from → to', async () => {
    const ticket = await newTicket();
    const taken = await call('PATCH', `/tickets/${ticket.id}`, {
      assigneeId: agent.user.id,
      priority: 'high',
      tags: ['Refund'],
    });
    expect(taken.statusCode).toBe(200);
    expect(taken.json<Ticket>()).toMatchObject({
      status: 'open',
      priority: 'high',
      tags: ['refund'],
      assignee: { id: agent.user.id },
    });
    const events = (await call('GET', `/tickets/${ticket.id}/events`)).json<TicketEventList>();
    expect(events.items.slice(1).map((e) => [e.field, e.from, e.to, e.actor.id])).toEqual([
      ['status', 'new', 'open', agent.user.id],
      ['priority', 'normal', 'high', agent.user.id],
      ['assignee', null, agent.user.id, agent.user.id],
      ['tags', [], ['refund'], agent.user.id],
    ]);
  });

  it('keeps notes internal, opens a new ticket on the first public reply and counts messages', async () => {
    const ticket = await newTicket();
    const note = await call('POST', `/tickets/${ticket.id}/messages`, {
      body: 'Bitte Buchhaltung fragen',
      visibility: 'internal',
    });
    expect(note.statusCode).toBe(201);
    expect((await call('GET', `/tickets/${ticket.id}`)).json<Ticket>().status).toBe('new');
    const reply = await call('POST', `/tickets/${ticket.id}/messages`, { body: 'Wir prüfen das.' });
    expect(reply.json<Message>()).toMatchObject({
      visibility: 'public',
      authorKind: 'agent',
      author: { id: agent.user.id },
    });
    const after = (await call('GET', `/tickets/${ticket.id}`)).json<Ticket>();
    expect(after).toMatchObject({ status: 'open', messageCount: 3 });
    const messages = (await call('GET', `/tickets/${ticket.id}/messages`)).json<MessageList>();
    expect(messages.items.map((m) => m.visibility)).toEqual(['public', 'internal', 'public']);
  });

  it('solves with a timestamp, maps custom statuses to their category and keeps closed tickets final', async () => {
    const key = `vendor_${uniq().replace(/-/g, '')}`;
    const agentMayNot = await call('POST', '/ticket-statuses', {
      key,
      category: 'pending',
      nameEn: 'Waiting for vendor',
      nameDe: 'Wartet auf Lieferant',
    });
    expect(agentMayNot.statusCode).toBe(403);
    const status = await call(
      'POST',
      '/ticket-statuses',
      { key, category: 'pending', nameEn: 'Waiting for vendor', nameDe: 'Wartet auf Lieferant' },
      manager.headers,
    );
    expect(status.statusCode).toBe(201);

    const ticket = await newTicket();
    const waiting = await call('PATCH', `/tickets/${ticket.id}`, { status: key });
    expect(waiting.json<Ticket>()).toMatchObject({ status: key, statusCategory: 'pending' });
    const solved = (await call('PATCH', `/tickets/${ticket.id}`, { status: 'solved' })).json<Ticket>();
    expect(solved.solvedAt).not.toBeNull();
    await call('PATCH', `/tickets/${ticket.id}`, { status: 'closed' });
    const refused = await call('PATCH', `/tickets/${ticket.id}`, { priority: 'urgent' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json<Problem>().code).toBe('TICKET_CLOSED');
    const noReply = await call('POST', `/tickets/${ticket.id}/messages`, { body: 'Noch da?' });
    expect(noReply.statusCode).toBe(409);
  });

  it('answers 404 for a ticket that does not exist', async () => {
    const res = await call('GET', '/tickets/00000000-0000-4000-8000-000000000000');
    expect(res.statusCode).toBe(404);
  });
});

describe('listing tickets', () => {
  it('filters by assignee, status category and tag, and pages without repeating a ticket', async () => {
    const tag = `list${uniq().replace(/-/g, '')}`;
    const created: CreatedTicket[] = [];
    for (let i = 0; i < 5; i++) created.push(await newTicket({ tags: [tag] }));
    await call('PATCH', `/tickets/${created[0]!.id}`, { assigneeId: agent.user.id });
    await call('PATCH', `/tickets/${created[1]!.id}`, { status: 'pending' });

    const mine = (await call('GET', `/tickets?assignee=me&tag=${tag}`)).json<TicketPage>();
    expect(mine.items.map((t) => t.id)).toEqual([created[0]!.id]);
    const unassigned = (
      await call('GET', `/tickets?assignee=none&tag=${tag}&statusCategory=new`)
    ).json<TicketPage>();
    expect(unassigned.items).toHaveLength(3);
    const pending = (await call('GET', `/tickets?statusCategory=pending&tag=${tag}`)).json<TicketPage>();
    expect(pending.items.map((t) => t.id)).toEqual([created[1]!.id]);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: TicketPage = (
        await call('GET', `/tickets?tag=${tag}&limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      ).json<TicketPage>();
      seen.push(...page.items.map((t) => t.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
    expect(seen[0]).toBe(created[1]!.id);

    const bad = await call('GET', '/tickets?statusCategory=archived');
    expect(bad.statusCode).toBe(400);
    expect(bad.json<Problem>().errors?.[0]?.field).toBe('statusCategory');
  });

  it('lets a collaborator read tickets but not change them', async () => {
    const collaborator = await bearerFor(server, 'collaborator');
    const ticket = await newTicket();
    expect((await call('GET', `/tickets/${ticket.id}`, undefined, collaborator.headers)).statusCode).toBe(
      200,
    );
    expect(
      (await call('PATCH', `/tickets/${ticket.id}`, { priority: 'low' }, collaborator.headers)).statusCode,
    ).toBe(403);
  });
});
