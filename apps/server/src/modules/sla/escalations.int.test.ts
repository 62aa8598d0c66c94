import type {
  CreatedTicket,
  EscalationList,
  MessageList,
  NotificationPage,
  Problem,
  SlaPolicy,
  Team,
  Ticket,
  User,
} from '@keepdesk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, eventually, startTestServer, type TestServer, uniq } from '../../../test/harness';
import { type SmtpSink, startSmtpSink } from '../../../test/smtp';
import { sweepSla } from './escalations.service';

let sink: SmtpSink;
let server: TestServer;
let manager: { user: User; headers: { authorization: string } };
let agent: { user: User; headers: { authorization: string } };
let lead: { user: User; headers: { authorization: string } };
let team: Team;
let secondLevel: Team;
beforeAll(async () => {
  sink = await startSmtpSink();
  // A database of its own: its sweep must see only these tickets, its mail must reach this sink.
  server = await startTestServer({ isolated: true, config: { mailTransport: 'smtp', smtpUrl: sink.url } });
  manager = await bearerFor(server, 'manager');
  agent = await bearerFor(server, 'agent');
  lead = await bearerFor(server, 'team_lead');
  team = (await call('POST', '/teams', { name: `First level ${uniq()}` })).json<Team>();
  secondLevel = (await call('POST', '/teams', { name: `Second level ${uniq()}` })).json<Team>();
  await call('PUT', `/teams/${team.id}/members/${agent.user.id}`, { isLead: false });
  await call('PUT', `/teams/${team.id}/members/${lead.user.id}`, { isLead: true });
  await call('PUT', `/teams/${secondLevel.id}/members/${lead.user.id}`, { isLead: true });
});
afterAll(async () => {
  await server?.close();
  await sink?.close();
});

type Who = { headers: Record<string, string> };
function call(method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: object, who: Who = manager) {
  return server.app.inject({ method, url: `/api/v1${url}`, headers: who.headers, payload });
}

function ticketWhen(id: string, ok: (ticket: Ticket) => boolean): Promise<Ticket> {
  return eventually(async () => (await call('GET', `/tickets/${id}`)).json<Ticket>(), ok);
}

const kinds = async (who: Who) =>
  (await call('GET', '/notifications', undefined, who)).json<NotificationPage>().items.map((n) => n.kind);

/** The sweep as it would run at a later time. */
const sweepAt = (at: Date) => sweepSla({ ...server.deps, now: () => at });

describe('SLA escalations', () => {
  it('warn when at risk and, on breach, hand the ticket to the team lead — once each, however often the sweep runs', async () => {
    const policy = await call('POST', '/sla-policies', {
      name: 'Urgent',
      conditions: { priority: ['urgent'] },
      targets: { urgent: { firstResponse: 60 } },
      businessTime: false,
      escalation: {
        atRisk: { notify: ['assignee'] },
        breach: {
          notify: ['assignee', 'team_lead'],
          reassignToLead: true,
          escalationTeamId: null,
          raisePriority: false,
        },
      },
    });
    expect(policy.statusCode, policy.body).toBe(201);
    const created = (
      await call('POST', '/tickets', {
        subject: `Alles steht ${uniq()}`,
        requester: { email: `kunde-${uniq()}@example.com` },
        message: { body: 'Nichts geht mehr' },
        priority: 'urgent',
        teamId: team.id,
        assigneeId: agent.user.id,
      })
    ).json<CreatedTicket>();
    const ticket = await ticketWhen(created.id, (t) => t.sla !== null);
    const start = new Date(ticket.createdAt).getTime();

    expect(await sweepAt(new Date(start + 30 * 60_000))).toEqual({ atRisk: 0, breached: 0 });
    expect(await sweepAt(new Date(start + 50 * 60_000))).toEqual({ atRisk: 1, breached: 0 });
    expect(await sweepAt(new Date(start + 55 * 60_000))).toEqual({ atRisk: 0, breached: 0 });
    expect(
      await eventually(
        () => kinds(agent),
        (k) => k.includes('sla_at_risk'),
      ),
    ).toContain('sla_at_risk');

    expect(await sweepAt(new Date(start + 61 * 60_000))).toEqual({ atRisk: 0, breached: 1 });
    expect(await sweepAt(new Date(start + 90 * 60_000))).toEqual({ atRisk: 0, breached: 0 });
    const after = await ticketWhen(created.id, (t) => t.assignee?.id === lead.user.id);
    expect(after.assignee?.id).toBe(lead.user.id);
    expect(
      await eventually(
        () => kinds(lead),
        (k) => k.includes('sla_breached'),
      ),
    ).toContain('sla_breached');
    const mail = await sink.waitFor((m) => m.subject?.startsWith('SLA target breached') === true);
    expect(mail.text).toContain(`/tickets/${created.id}`);
    const history = (await call('GET', `/tickets/${created.id}/escalations`)).json<EscalationList>().items;
    expect(history.map((e) => e.kind)).toEqual(['at_risk', 'breach']);
    expect(history[1]!.dueAt).toBe(ticket.sla!.dueAt);
  });

  it('let an agent escalate to another department with a reason and a hand-over note', async () => {
    const created = (
      await call('POST', '/tickets', {
        subject: `Datenbankfehler ${uniq()}`,
        requester: { email: `kunde-${uniq()}@example.com` },
        message: { body: 'Fehler 500' },
        teamId: team.id,
        assigneeId: agent.user.id,
      })
    ).json<CreatedTicket>();
    const res = await call(
      'POST',
      `/tickets/${created.id}/escalations`,
      {
        toTeamId: secondLevel.id,
        reason: 'Needs a database expert',
        note: 'Logs attached; customer waits since Monday.',
        raisePriority: true,
      },
      agent,
    );
    expect(res.statusCode, res.body).toBe(201);
    const ticket = (await call('GET', `/tickets/${created.id}`)).json<Ticket>();
    expect(ticket).toMatchObject({ team: { id: secondLevel.id }, assignee: null, priority: 'high' });
    const [escalation] = (await call('GET', `/tickets/${created.id}/escalations`)).json<EscalationList>()
      .items;
    expect(escalation).toMatchObject({
      kind: 'manual',
      reason: 'Needs a database expert',
      fromTeam: { id: team.id },
      toTeam: { id: secondLevel.id },
      by: { id: agent.user.id },
    });
    const messages = (await call('GET', `/tickets/${created.id}/messages`)).json<MessageList>().items;
    expect(messages.at(-1)).toMatchObject({ visibility: 'internal', author: { id: agent.user.id } });
    expect(messages.at(-1)!.bodyText).toContain('Logs attached');
    expect(await kinds(lead)).toContain('escalated');

    const nowhere = await call('POST', `/tickets/${created.id}/escalations`, { reason: 'Somewhere' }, agent);
    expect(nowhere.statusCode).toBe(400);
    expect(nowhere.json<Problem>().errors?.[0]?.field).toBe('toTeamId');
    expect(
      (await call('GET', '/sla-policies')).json<{ items: SlaPolicy[] }>().items[0]!.escalation.breach
        .reassignToLead,
    ).toBe(true);
  });
});
