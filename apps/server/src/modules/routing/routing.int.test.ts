import type { AgentRoutingList, Team, Ticket, User } from '@keepdesk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, startTestServer, TEST_DB, type TestServer, uniq } from '../../../test/harness';

type Who = { user: User; headers: { authorization: string } };

let server: TestServer;
let manager: Who;
beforeAll(async () => {
  server = await startTestServer();
  manager = await bearerFor(server, 'manager');
});
afterAll(async () => {
  await server?.close();
});

const call = (
  target: TestServer,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH',
  url: string,
  payload?: object,
  who: Who = manager,
) => target.app.inject({ method, url: `/api/v1${url}`, headers: who.headers, payload });

/** A team with `size` online agents and the routing method. */
async function routedTeam(
  method: string,
  size: number,
  capacity = 500,
): Promise<{ team: Team; agents: Who[] }> {
  const team = (await call(server, 'POST', '/teams', { name: `Routed ${uniq()}` })).json<Team>();
  const agents: Who[] = [];
  for (let i = 0; i < size; i++) {
    const agent = await bearerFor(server, 'agent');
    await call(server, 'PUT', `/teams/${team.id}/members/${agent.user.id}`, { isLead: false });
    const set = await call(server, 'PUT', `/routing/agents/${agent.user.id}`, { capacity });
    expect(set.statusCode, set.body).toBe(200);
    expect((await call(server, 'PUT', '/me/presence', { presence: 'online' }, agent)).statusCode).toBe(200);
    agents.push(agent);
  }
  expect((await call(server, 'PUT', `/teams/${team.id}/routing`, { method })).statusCode).toBe(200);
  return { team, agents };
}

const newTicket = (target: TestServer, teamId: string, extra: object = {}) =>
  call(target, 'POST', '/tickets', {
    subject: `Routing ${uniq()}`,
    requester: { email: `routing-${uniq()}@example.com` },
    message: { body: 'Hallo' },
    teamId,
    ...extra,
  }).then((r) => r.json<Ticket>());

async function assigneeOf(id: string): Promise<string | null> {
  const started = Date.now();
  for (;;) {
    const ticket = (await call(server, 'GET', `/tickets/${id}`)).json<Ticket>();
    if (ticket.assignee || Date.now() - started > 10_000) return ticket.assignee?.id ?? null;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('routing', () => {
  it('deals tickets in turn, to online agents with room only, and skills-based to those who can', async () => {
    const { team, agents } = await routedTeam('round_robin', 2);
    const first = await assigneeOf((await newTicket(server, team.id)).id);
    const second = await assigneeOf((await newTicket(server, team.id)).id);
    expect(new Set([first, second])).toEqual(new Set(agents.map((a) => a.user.id)));

    // Nobody online: the ticket waits in the queue, and goes to the first agent who comes online.
    for (const agent of agents) await call(server, 'PUT', '/me/presence', { presence: 'away' }, agent);
    const waiting = await newTicket(server, team.id);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await call(server, 'GET', `/tickets/${waiting.id}`)).json<Ticket>().assignee).toBeNull();
    await call(server, 'PUT', '/me/presence', { presence: 'online' }, agents[1]!);
    expect(await assigneeOf(waiting.id)).toBe(agents[1]!.user.id);

    const skilled = await routedTeam('skills', 2);
    await call(server, 'PUT', `/routing/agents/${skilled.agents[1]!.user.id}`, {
      skills: { sap: 3 },
      languages: ['de'],
    });
    const needsSap = await newTicket(server, skilled.team.id, {
      tags: ['sap'],
      subject: 'SAP-Export bricht ab',
      message: { body: 'Guten Tag, der SAP-Export bricht seit gestern ab. Können Sie uns bitte helfen?' },
    });
    expect(needsSap.language).toBe('de');
    expect(await assigneeOf(needsSap.id)).toBe(skilled.agents[1]!.user.id);

    const list = (await call(server, 'GET', '/routing/agents')).json<AgentRoutingList>().items;
    expect(list.find((a) => a.user.id === skilled.agents[1]!.user.id)).toMatchObject({
      presence: 'online',
      skills: { sap: 3 },
      load: 1,
    });
  });

  it.skipIf(TEST_DB !== 'postgres')(
    'assigns a thousand tickets arriving at once through two processes exactly once, each load within one of even',
    async () => {
      const other = await startTestServer({ secondProcess: true });
      try {
        const { team, agents } = await routedTeam('least_loaded', 7);
        const ids: string[] = [];
        for (let batch = 0; batch < 20; batch++) {
          const created = await Promise.all(
            Array.from({ length: 50 }, (_, i) => newTicket(i % 2 === 0 ? server : other, team.id)),
          );
          ids.push(...created.map((t) => t.id));
        }
        const db = server.deps.database;
        const started = Date.now();
        for (;;) {
          const { rows } = await db.query(
            'select count(*)::int as n from tickets where team_id = $1 and assignee_id is null',
            [team.id],
          );
          if (rows[0]!.n === 0 || Date.now() - started > 240_000) break;
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
        const assignments = await db.query(
          `select ticket_id, count(*)::int as n from ticket_events
            where ticket_id = any($1::uuid[]) and kind = 'changed' and field = 'assignee'
            group by ticket_id`,
          [ids],
        );
        expect(assignments.rows).toHaveLength(1000);
        expect(assignments.rows.every((r) => r.n === 1)).toBe(true);
        const loads = await db.query(
          'select assignee_id, count(*)::int as n from tickets where team_id = $1 group by assignee_id',
          [team.id],
        );
        const counts = loads.rows.map((r) => r.n as number);
        expect(loads.rows.map((r) => r.assignee_id).sort()).toEqual(agents.map((a) => a.user.id).sort());
        // Even: every agent within one ticket of the average.
        const average = counts.reduce((sum, n) => sum + n, 0) / counts.length;
        expect(Math.max(...counts.map((n) => Math.abs(n - average)))).toBeLessThanOrEqual(1);
      } finally {
        await other.close();
      }
    },
    300_000,
  );

  it("keeps every agent's open-ticket count exact through assigning, handing over, solving, reopening and deleting", async () => {
    const { team, agents } = await routedTeam('manual', 2);
    const [first, second] = agents.map((a) => a.user.id) as [string, string];
    const counts = async () => {
      const { rows } = await server.deps.database.query(
        `select a.user_id, a.open_tickets,
                (select count(*)::int from tickets t where t.assignee_id = a.user_id
                   and t.status_category in ('new', 'open')) as actual
           from agent_routing a where a.user_id = any($1::uuid[]) order by a.user_id`,
        [[first, second]],
      );
      return rows as { open_tickets: number; actual: number }[];
    };
    const exact = async () => {
      for (const row of await counts()) expect(row.open_tickets).toBe(row.actual);
    };
    const tickets = await Promise.all([1, 2, 3].map(() => newTicket(server, team.id, { assigneeId: first })));
    await exact();
    expect((await counts()).map((r) => r.actual).sort()).toEqual([0, 3]);
    await call(server, 'PATCH', `/tickets/${tickets[0]!.id}`, { assigneeId: second });
    await call(server, 'PATCH', `/tickets/${tickets[1]!.id}`, { status: 'pending' });
    await call(server, 'PATCH', `/tickets/${tickets[2]!.id}`, { status: 'solved' });
    await exact();
    await call(server, 'PATCH', `/tickets/${tickets[1]!.id}`, { status: 'open' });
    await call(server, 'PATCH', `/tickets/${tickets[0]!.id}`, { assigneeId: null });
    await exact();
    await server.deps.database.query('delete from tickets where id = $1', [tickets[1]!.id]);
    await exact();
    expect((await counts()).map((r) => r.actual)).toEqual([0, 0]);
  });
});
