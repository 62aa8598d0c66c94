import type {
  CreatedTicket,
  Problem,
  SlaPolicy,
  SlaPolicyList,
  Ticket,
  TicketPage,
  TicketSla,
  User,
} from '@keepdesk/contract';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, startTestServer, type TestServer, uniq } from '../../../test/harness';

let server: TestServer;
let manager: { user: User; headers: { authorization: string } };
let agent: { user: User; headers: { authorization: string } };
beforeAll(async () => {
  // A database of its own: the policies here must be the only ones.
  server = await startTestServer({ isolated: true });
  manager = await bearerFor(server, 'manager');
  agent = await bearerFor(server, 'agent');
});
afterAll(async () => {
  await server?.close();
});

type Who = { headers: Record<string, string> };
const call = (
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  url: string,
  payload?: object,
  who: Who = manager,
) => server.app.inject({ method, url: `/api/v1${url}`, headers: who.headers, payload });

/** The SLA is computed by a job after the change: wait until the ticket shows what is expected. */
async function ticketWhen(id: string, ok: (ticket: Ticket) => boolean): Promise<Ticket> {
  const started = Date.now();
  for (;;) {
    const ticket = (await call('GET', `/tickets/${id}`)).json<Ticket>();
    if (ok(ticket) || Date.now() - started > 15_000) return ticket;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const newTicket = async (priority: string) =>
  (
    await call('POST', '/tickets', {
      subject: `SLA ${uniq()}`,
      requester: { email: `sla-${uniq()}@example.com` },
      message: { body: 'Bitte schnell helfen' },
      priority,
    })
  ).json<CreatedTicket>();

describe('SLA policies', () => {
  it('apply the first matching policy and its targets for the priority; pending pauses, a reply meets', async () => {
    const urgent = await call('POST', '/sla-policies', {
      name: 'Urgent',
      conditions: { priority: ['urgent'] },
      targets: { urgent: { firstResponse: 60, resolution: 240 } },
      businessTime: false,
    });
    expect(urgent.statusCode, urgent.body).toBe(201);
    const catchAll = await call('POST', '/sla-policies', {
      name: 'Everything else',
      targets: { normal: { resolution: 2880 } },
      businessTime: false,
    });
    expect(catchAll.json<SlaPolicy>().position).toBe(urgent.json<SlaPolicy>().position + 1);

    const ticket = await newTicket('urgent');
    const computed = await ticketWhen(ticket.id, (t) => t.sla !== null);
    const created = new Date(ticket.createdAt).getTime();
    expect(computed.sla).toMatchObject({ state: 'on_track', policyId: urgent.json<SlaPolicy>().id });
    expect(new Date(computed.sla!.dueAt!).getTime() - created).toBe(60 * 60_000);

    await call(
      'POST',
      `/tickets/${ticket.id}/messages`,
      { body: 'Wir sind dran.', visibility: 'public' },
      agent,
    );
    const replied = await ticketWhen(ticket.id, (t) => t.sla?.dueAt !== computed.sla?.dueAt);
    expect(new Date(replied.sla!.dueAt!).getTime() - created).toBe(240 * 60_000);

    await call('PATCH', `/tickets/${ticket.id}`, { status: 'pending' }, agent);
    const pending = await ticketWhen(ticket.id, (t) => t.sla?.state === 'paused');
    expect(pending.sla).toMatchObject({ state: 'paused', dueAt: null });

    const clocks = (await call('GET', `/tickets/${ticket.id}/sla`, undefined, agent)).json<TicketSla>();
    expect(clocks.policy?.name).toBe('Urgent');
    expect(clocks.clocks.map((c) => [c.metric, c.state])).toEqual([
      ['first_response', 'met'],
      ['resolution', 'paused'],
    ]);

    // A normal ticket falls to the catch-all; a low one matches no targets and has no SLA.
    const normal = await ticketWhen((await newTicket('normal')).id, (t) => t.sla !== null);
    expect(normal.sla?.policyId).toBe(catchAll.json<SlaPolicy>().id);
    const low = await newTicket('low');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await call('GET', `/tickets/${low.id}`)).json<Ticket>().sla).toBeNull();

    // A view sorted by the next due time: the ticket with a running clock first, the others after it.
    const view = (
      await call(
        'POST',
        '/views',
        { name: 'Due next', filter: {}, sort: { field: 'slaDueAt', direction: 'asc' } },
        agent,
      )
    ).json<{ id: string }>();
    const first = (
      await call('GET', `/views/${view.id}/tickets?limit=1`, undefined, agent)
    ).json<TicketPage>();
    expect(first.items.map((t) => t.id)).toEqual([normal.id]);
    const rest = (
      await call('GET', `/views/${view.id}/tickets?limit=10&cursor=${first.nextCursor}`, undefined, agent)
    ).json<TicketPage>();
    expect(rest.items.map((t) => t.id).sort()).toEqual([ticket.id, low.id].sort());
  });

  it('apply in their order, and existing tickets follow a reordered or changed policy', async () => {
    const ticket = await newTicket('high');
    const policy = (
      await call('POST', '/sla-policies', {
        name: `High ${uniq()}`,
        conditions: { priority: ['high'] },
        targets: { high: { firstResponse: 120 } },
        businessTime: false,
      })
    ).json<SlaPolicy>();
    // New policies go last: the catch-all of the first test matches first and has no target for high.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await call('GET', `/tickets/${ticket.id}`)).json<Ticket>().sla).toBeNull();

    const list = (await call('GET', '/sla-policies')).json<SlaPolicyList>().items;
    const highFirst = [policy.id, ...list.map((p) => p.id).filter((id) => id !== policy.id)];
    const ordered = await call('PUT', '/sla-policies/order', { ids: highFirst });
    expect(ordered.json<SlaPolicyList>().items.map((p) => p.id)).toEqual(highFirst);
    const applied = await ticketWhen(ticket.id, (t) => t.sla?.policyId === policy.id);
    const created = new Date(ticket.createdAt).getTime();
    expect(new Date(applied.sla!.dueAt!).getTime() - created).toBe(120 * 60_000);

    // A shorter target moves the due time earlier: only the rules may.
    await call('PATCH', `/sla-policies/${policy.id}`, { targets: { high: { firstResponse: 30 } } });
    const shorter = await ticketWhen(ticket.id, (t) => t.sla?.dueAt !== applied.sla?.dueAt);
    expect(new Date(shorter.sla!.dueAt!).getTime() - created).toBe(30 * 60_000);
    expect((await call('PUT', '/sla-policies/order', { ids: highFirst.slice(1) })).statusCode).toBe(400);
  });

  it('match on the requester’s attributes: gold customers get a shorter target', async () => {
    const policy = (
      await call('POST', '/sla-policies', {
        name: `Gold ${uniq()}`,
        conditions: { priority: ['low'], customer: [{ key: 'segment', op: 'in', values: ['gold'] }] },
        targets: { low: { firstResponse: 15 } },
        businessTime: false,
      })
    ).json<SlaPolicy>();
    const list = (await call('GET', '/sla-policies')).json<SlaPolicyList>().items;
    await call('PUT', '/sla-policies/order', {
      ids: [policy.id, ...list.map((p) => p.id).filter((id) => id !== policy.id)],
    });
    const gold = (
      await call('POST', '/contacts', {
        name: 'Gold',
        emails: [`gold-${uniq()}@example.com`],
        attributes: { segment: 'gold' },
      })
    ).json<{ id: string }>();
    const ticket = (
      await call('POST', '/tickets', {
        subject: `Gold ${uniq()}`,
        requester: { id: gold.id },
        message: { body: 'Hilfe' },
        priority: 'low',
      })
    ).json<CreatedTicket>();
    const other = await newTicket('low');
    const applied = await ticketWhen(ticket.id, (t) => t.sla?.policyId === policy.id);
    expect(new Date(applied.sla!.dueAt!).getTime() - new Date(ticket.createdAt).getTime()).toBe(15 * 60_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await call('GET', `/tickets/${other.id}`)).json<Ticket>().sla?.policyId).not.toBe(policy.id);
    const circular = await call('POST', '/sla-policies', {
      name: `Circular ${uniq()}`,
      conditions: { sla: ['breached'] },
      targets: { low: { firstResponse: 15 } },
    });
    expect(circular.json<Problem>().errors?.[0]?.field).toBe('conditions.sla');
  });

  it('refuses targets of zero, policies without targets and conditions about whoever looks', async () => {
    const zero = await call('POST', '/sla-policies', {
      name: 'Zero',
      targets: { urgent: { firstResponse: 0 } },
    });
    expect(zero.statusCode).toBe(400);
    expect(zero.json<Problem>().errors?.[0]?.field).toBe('targets.urgent.firstResponse');
    const none = await call('POST', '/sla-policies', { name: 'None', targets: {} });
    expect(none.json<Problem>().errors?.[0]?.field).toBe('targets');
    const me = await call('POST', '/sla-policies', {
      name: 'Mine',
      conditions: { assignee: ['me'] },
      targets: { normal: { resolution: 60 } },
    });
    expect(me.json<Problem>().errors?.[0]?.field).toBe('conditions.assignee');
    expect(
      (await call('POST', '/sla-policies', { name: 'x', targets: { normal: { resolution: 60 } } }, agent))
        .statusCode,
    ).toBe(403);
  });
});
