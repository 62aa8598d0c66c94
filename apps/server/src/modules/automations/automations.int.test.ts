import type {
  Automation,
  ChangeLog,
  Contact,
  CreatedTicket,
  MessageList,
  NotificationPage,
  Problem,
  RuleRunList,
  RuleTestResult,
  Team,
  Ticket,
  TicketEventList,
  Trigger,
  User,
} from '@keepdesk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, eventually, startTestServer, type TestServer, uniq } from '../../../test/harness';
import { type SmtpSink, startSmtpSink } from '../../../test/smtp';
import { runAutomation, sweepAutomations } from './timed.service';
import { runTriggers } from './triggers.service';

let sink: SmtpSink;
let server: TestServer;
let manager: { user: User; headers: { authorization: string } };
let agent: { user: User; headers: { authorization: string } };
let lead: { user: User; headers: { authorization: string } };
let team: Team;
let escalations: Team;
beforeAll(async () => {
  sink = await startSmtpSink();
  // A database of its own: its rules must not act on other tests' tickets, its mail must reach this sink.
  server = await startTestServer({ isolated: true, config: { mailTransport: 'smtp', smtpUrl: sink.url } });
  manager = await bearerFor(server, 'manager');
  agent = await bearerFor(server, 'agent');
  lead = await bearerFor(server, 'team_lead');
  team = (await call('POST', '/teams', { name: `Support ${uniq()}` })).json<Team>();
  escalations = (await call('POST', '/teams', { name: `Escalations ${uniq()}` })).json<Team>();
  await call('PUT', `/teams/${team.id}/members/${agent.user.id}`, { isLead: false });
  await call('PUT', `/teams/${team.id}/members/${lead.user.id}`, { isLead: true });
  await call('PUT', `/teams/${escalations.id}/members/${lead.user.id}`, { isLead: true });
});
afterAll(async () => {
  await server?.close();
  await sink?.close();
});

type Who = { headers: Record<string, string> };
function call(
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  url: string,
  payload?: object,
  who: Who = manager,
) {
  return server.app.inject({ method, url: `/api/v1${url}`, headers: who.headers, payload });
}

const ticketWhen = (id: string, ok: (ticket: Ticket) => boolean) =>
  eventually(async () => (await call('GET', `/tickets/${id}`)).json<Ticket>(), ok);
const runsOf = (id: string) =>
  eventually(
    async () => (await call('GET', `/tickets/${id}/rule-runs`)).json<RuleRunList>().items,
    (items) => items.length > 0,
  );

async function trigger(body: object): Promise<Trigger> {
  const res = await call('POST', '/triggers', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json<Trigger>();
}

async function newTicket(body: object = {}): Promise<CreatedTicket> {
  const res = await call('POST', '/tickets', {
    subject: `Frage ${uniq()}`,
    requester: { email: `kunde-${uniq()}@example.com` },
    message: { body: 'Hallo' },
    ...body,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<CreatedTicket>();
}

describe('triggers', () => {
  it('act on a new ticket of a gold customer: priority, tag, note and an e-mail, each recorded as the rule’s doing', async () => {
    const vip = await trigger({
      name: `Gold customers ${uniq()}`,
      events: ['created'],
      conditions: { all: [{ field: 'customer.attributes.segment', operator: 'is', value: ['gold'] }] },
      actions: [
        { type: 'setPriority', value: 'urgent' },
        { type: 'addTags', value: ['gold'] },
        { type: 'addNote', bodyEn: 'Gold customer {{customer.name}}: call back today.', bodyDe: '' },
        {
          type: 'email',
          to: 'requester',
          subjectEn: 'We are on it',
          subjectDe: 'Wir kümmern uns',
          bodyEn: 'Dear {{customer.firstName}}, ticket {{ticket.number}} has priority.',
          bodyDe: 'Hallo {{customer.firstName}}, Ticket {{ticket.number}} hat Vorrang.',
        },
      ],
    });
    const address = `gold-${uniq()}@example.com`;
    const contact = (
      await call('POST', '/contacts', {
        name: 'Erika Muster',
        emails: [address],
        attributes: { segment: 'Gold' },
      })
    ).json<Contact>();
    const created = await newTicket({
      requester: { id: contact.id },
      message: { body: 'Hello, the export fails.' },
    });
    const ordinary = await newTicket();

    const ticket = await ticketWhen(created.id, (t) => t.tags.includes('gold'));
    expect(ticket).toMatchObject({ priority: 'urgent', tags: ['gold'] });
    const events = (await call('GET', `/tickets/${created.id}/events`)).json<TicketEventList>().items;
    expect(events.find((e) => e.field === 'priority')?.actor).toEqual({
      kind: 'rule',
      id: vip.id,
      name: vip.name,
    });
    const messages = (await call('GET', `/tickets/${created.id}/messages`)).json<MessageList>().items;
    expect(messages.at(-1)).toMatchObject({
      visibility: 'internal',
      bodyText: 'Gold customer Erika Muster: call back today.',
    });
    const mail = await sink.waitFor((m) => m.subject?.includes('We are on it') === true);
    expect(mail.subject).toBe(`[#${created.number}] We are on it`);
    expect(mail.text).toContain(`Dear Erika, ticket ${created.number} has priority.`);
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    const [run] = await runsOf(created.id);
    expect(run).toMatchObject({ ruleName: vip.name, outcome: 'applied' });
    expect(run!.changes.map((c) => c.field)).toEqual(expect.arrayContaining(['priority', 'tags', 'email']));

    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await call('GET', `/tickets/${ordinary.id}`)).json<Ticket>().priority).toBe('normal');
    await call('PATCH', `/triggers/${vip.id}`, { active: false });
  });

  it('run in order within one event, each at most once, and the changes of one make the next match', async () => {
    await trigger({
      name: `Urgent to escalations ${uniq()}`,
      events: ['updated'],
      conditions: { all: [{ field: 'priority', operator: 'changedTo', value: ['urgent'] }] },
      actions: [{ type: 'setTeam', value: escalations.id }],
    });
    await trigger({
      name: `Mark escalated ${uniq()}`,
      events: ['updated'],
      conditions: { all: [{ field: 'team', operator: 'is', value: [escalations.id] }] },
      actions: [
        { type: 'addTags', value: ['escalated'] },
        { type: 'notify', to: 'teamLeads', textEn: '{{ticket.subject}} is urgent', textDe: '' },
      ],
    });
    const created = await newTicket({ teamId: team.id });
    await call('PATCH', `/tickets/${created.id}`, { priority: 'urgent' }, agent);
    const ticket = await ticketWhen(created.id, (t) => t.tags.includes('escalated'));
    expect(ticket).toMatchObject({ team: { id: escalations.id }, tags: ['escalated'] });
    const runs = await eventually(
      async () => (await call('GET', `/tickets/${created.id}/rule-runs`)).json<RuleRunList>().items,
      (items) => items.length >= 2,
    );
    expect(runs).toHaveLength(2);
    const notes = (await call('GET', '/notifications', undefined, lead)).json<NotificationPage>().items;
    expect(notes.find((n) => n.kind === 'rule' && n.ticket?.id === created.id)?.excerpt).toContain(
      'is urgent',
    );
  });

  it('run exactly once per event, however often its job runs', async () => {
    const created = await newTicket({ teamId: team.id });
    await call('PATCH', `/tickets/${created.id}`, { priority: 'urgent' }, agent);
    await ticketWhen(created.id, (t) => t.tags.includes('escalated'));
    const runs = await runsOf(created.id);
    const eventId = await eventually(
      async () => {
        const result = await server.deps.database.query(
          `select id from outbox_events where type = 'ticket.updated' and payload->>'entityId' = $1 order by id limit 1`,
          [created.id],
        );
        return Number((result.rows[0] as { id: string } | undefined)?.id ?? 0);
      },
      (id) => id > 0,
    );
    const again = await runTriggers(server.deps, {
      eventId,
      type: 'ticket.updated',
      entityId: created.id,
      data: { priority: { from: 'normal', to: 'urgent' } },
    });
    expect(again).toBe(0);
    expect((await call('GET', `/tickets/${created.id}/rule-runs`)).json<RuleRunList>().items).toHaveLength(
      runs.length,
    );
  });

  it('refuse a trigger that would loop, unknown placeholders and fields, with the field named', async () => {
    const tag = `x${uniq()}`.toLowerCase();
    await trigger({
      name: `Ping ${uniq()}`,
      events: ['updated'],
      conditions: { all: [{ field: 'tags', operator: 'includes', value: [`${tag}a`] }] },
      actions: [
        { type: 'addTags', value: [`${tag}b`] },
        { type: 'removeTags', value: [`${tag}a`] },
      ],
    });
    const pong = await call('POST', '/triggers', {
      name: `Pong ${uniq()}`,
      events: ['updated'],
      conditions: { all: [{ field: 'tags', operator: 'includes', value: [`${tag}b`] }] },
      actions: [
        { type: 'addTags', value: [`${tag}a`] },
        { type: 'removeTags', value: [`${tag}b`] },
      ],
    });
    expect(pong.statusCode).toBe(400);
    expect(pong.json<Problem>().detail).toMatch(/would loop/);

    const placeholder = await call('POST', '/triggers', {
      name: `Typo ${uniq()}`,
      events: ['created'],
      actions: [{ type: 'addNote', bodyEn: 'Hi {{customer.nmae}}', bodyDe: '' }],
    });
    expect(placeholder.statusCode).toBe(400);
    expect(placeholder.json<Problem>().errors?.[0]?.field).toBe('actions.0.bodyEn');

    const field = await call('POST', '/triggers', {
      name: `Unknown ${uniq()}`,
      events: ['created'],
      conditions: { all: [{ field: 'colour', operator: 'is', value: ['red'] }] },
      actions: [{ type: 'addTags', value: ['x'] }],
    });
    expect(field.json<Problem>().errors?.[0]?.field).toBe('conditions.all.0.field');
  });

  it('record a failing rule on the ticket and tell the admins, without blocking the update', async () => {
    const doomed = (await call('POST', '/teams', { name: `Doomed ${uniq()}` })).json<Team>();
    const mover = await trigger({
      name: `Move ${uniq()}`,
      events: ['updated'],
      conditions: { all: [{ field: 'tags', operator: 'includes', value: ['move-me'] }] },
      actions: [{ type: 'setTeam', value: doomed.id }],
    });
    expect((await call('DELETE', `/teams/${doomed.id}`)).statusCode).toBe(204);
    const created = await newTicket();
    const updated = await call('PATCH', `/tickets/${created.id}`, { tags: ['move-me'] }, agent);
    expect(updated.statusCode).toBe(200);
    const [run] = await runsOf(created.id);
    expect(run).toMatchObject({ ruleId: mover.id, outcome: 'failed' });
    expect(run!.error).toMatch(/team/i);
    const events = (await call('GET', `/tickets/${created.id}/events`)).json<TicketEventList>().items;
    expect(events.some((e) => e.kind === 'rule_failed' && e.actor.name === mover.name)).toBe(true);
    expect((await call('GET', `/tickets/${created.id}`)).json<Ticket>().tags).toEqual(['move-me']);
    const notes = (await call('GET', '/notifications')).json<NotificationPage>().items;
    expect(notes.some((n) => n.kind === 'rule_failed' && n.ticket?.id === created.id)).toBe(true);
    const failures = (await call('GET', '/rule-runs?outcome=failed')).json<RuleRunList>().items;
    expect(failures.map((f) => f.ticket.id)).toContain(created.id);
    await call('DELETE', `/triggers/${mover.id}`);
  });

  it('can be tried on a ticket without changing it', async () => {
    const created = await newTicket({ priority: 'high' });
    const res = await call('POST', '/rules/test', {
      ticketNumber: created.number,
      event: 'updated',
      conditions: {
        all: [{ field: 'priority', operator: 'is', value: ['high', 'urgent'] }],
        any: [{ field: 'tags', operator: 'includes', value: ['never'] }],
      },
      actions: [
        { type: 'setPriority', value: 'urgent' },
        { type: 'email', to: 'assignee', subjectEn: 'Look', subjectDe: '', bodyEn: 'x', bodyDe: '' },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    const result = res.json<RuleTestResult>();
    expect(result.matches).toBe(false);
    expect(result.conditions.map((c) => [c.met, c.actual])).toEqual([
      [true, 'high'],
      [false, []],
    ]);
    expect(result.changes).toEqual([{ field: 'priority', from: 'high', to: 'urgent' }]);
    expect(result.effects).toEqual(['email to assignee: Look']);
    expect((await call('GET', `/tickets/${created.id}`)).json<Ticket>().priority).toBe('high');
    expect((await call('POST', '/rules/test', { ticketNumber: 999_999 })).statusCode).toBe(400);
  });

  it('keep a change log of who changed which rule', async () => {
    const made = await trigger({
      name: `Logged ${uniq()}`,
      events: ['created'],
      actions: [{ type: 'addTags', value: ['logged'] }],
      active: false,
    });
    await call('PATCH', `/triggers/${made.id}`, { description: 'for the log' });
    const log = (await call('GET', `/change-log?entityType=trigger&entityId=${made.id}`)).json<ChangeLog>()
      .items;
    expect(log.map((e) => e.action)).toEqual(['trigger.updated', 'trigger.created']);
    expect(log[0]).toMatchObject({
      actor: { id: manager.user.id, name: manager.user.name },
      data: { description: { from: '', to: 'for the log' } },
    });
    expect((await call('GET', '/change-log?entityType=trigger', undefined, agent)).statusCode).toBe(403);
  });
});

describe('automations', () => {
  it('remind a customer after 3 days pending and solve after 7, once per pending spell, by a sweep of due rows', async () => {
    const remind = (
      await call('POST', '/automations', {
        name: `Remind ${uniq()}`,
        timing: { since: 'statusChanged', minutes: 3 * 24 * 60 },
        conditions: { all: [{ field: 'statusCategory', operator: 'is', value: ['pending'] }] },
        actions: [
          {
            type: 'email',
            to: 'requester',
            subjectEn: 'Still need help?',
            subjectDe: 'Brauchen Sie noch Hilfe?',
            bodyEn: 'We are waiting for your answer on {{ticket.number}}.',
            bodyDe: 'Wir warten auf Ihre Antwort zu {{ticket.number}}.',
          },
        ],
      })
    ).json<Automation>();
    const solve = await call('POST', '/automations', {
      name: `Solve ${uniq()}`,
      timing: { since: 'statusChanged', minutes: 7 * 24 * 60 },
      conditions: { all: [{ field: 'statusCategory', operator: 'is', value: ['pending'] }] },
      actions: [{ type: 'setStatus', value: 'solved' }],
    });
    expect(solve.statusCode, solve.body).toBe(201);
    const created = await newTicket({ subject: `Warten ${uniq()}` });
    const other = await newTicket();
    await call('PATCH', `/tickets/${created.id}`, { status: 'pending' }, agent);
    const pendingSince = await eventually(
      async () =>
        (
          await server.deps.database.query(
            'select automation_id, due_at from automation_schedule where ticket_id = $1',
            [created.id],
          )
        ).rows as { due_at: string }[],
      (rows) => rows.length === 2,
    );
    expect(pendingSince).toHaveLength(2);
    const untouched = await server.deps.database.query(
      'select 1 from automation_schedule where ticket_id = $1',
      [other.id],
    );
    expect(untouched.rows).toHaveLength(0);

    const at = (days: number) => {
      const deps = { ...server.deps, now: () => new Date(Date.now() + days * 86_400_000) };
      return {
        deps,
        async sweepAndRun() {
          const due = await server.deps.database.query(
            'select automation_id, ticket_id, anchor_at from automation_schedule where due_at <= $1 and ticket_id = $2',
            [deps.now(), created.id],
          );
          let fired = 0;
          for (const row of due.rows as { automation_id: string; ticket_id: string; anchor_at: Date }[]) {
            const ok = await runAutomation(deps, {
              automationId: row.automation_id,
              ticketId: row.ticket_id,
              anchorAt: new Date(row.anchor_at).toISOString(),
            });
            if (ok) fired++;
          }
          return fired;
        },
      };
    };
    expect(await at(1).sweepAndRun()).toBe(0);
    expect(await sweepAutomations(at(1).deps)).toBe(0);
    expect(await at(3.1).sweepAndRun()).toBe(1);
    const mail = await sink.waitFor((m) => m.subject?.includes('Still need help?') === true);
    expect(mail.text).toContain(`We are waiting for your answer on ${created.number}.`);
    expect(await at(3.2).sweepAndRun()).toBe(0);
    expect((await call('GET', `/tickets/${created.id}`)).json<Ticket>().statusCategory).toBe('pending');
    // The reminder's own change (none to the status) leaves the solve automation due at day 7.
    expect(await at(7.1).sweepAndRun()).toBe(1);
    const solved = (await call('GET', `/tickets/${created.id}`)).json<Ticket>();
    expect(solved.statusCategory).toBe('solved');
    const runs = (await call('GET', `/tickets/${created.id}/rule-runs`)).json<RuleRunList>().items;
    expect(runs.map((r) => r.ruleName).sort()).toEqual([remind.name, solve.json<Automation>().name].sort());
  });

  it('refuse change conditions, an unknown calendar and a zero wait', async () => {
    const change = await call('POST', '/automations', {
      name: `Bad ${uniq()}`,
      timing: { since: 'created', minutes: 15 },
      conditions: { all: [{ field: 'priority', operator: 'changed', value: [] }] },
      actions: [{ type: 'addTags', value: ['x'] }],
    });
    expect(change.statusCode).toBe(400);
    const calendar = await call('POST', '/automations', {
      name: `Bad ${uniq()}`,
      timing: {
        since: 'created',
        minutes: 15,
        businessHours: true,
        calendarId: '00000000-0000-4000-8000-000000000000',
      },
      actions: [{ type: 'addTags', value: ['x'] }],
    });
    expect(calendar.json<Problem>().errors?.[0]?.field).toBe('timing.calendarId');
    const zero = await call('POST', '/automations', {
      name: `Bad ${uniq()}`,
      timing: { since: 'created', minutes: 0 },
      actions: [{ type: 'addTags', value: ['x'] }],
    });
    expect(zero.statusCode).toBe(400);
  });
});
