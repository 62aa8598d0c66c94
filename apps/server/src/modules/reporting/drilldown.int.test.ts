import type { DrilldownResult, LiveQueue, MetricReport, Problem, Team, User } from '@keepdesk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, startTestServer, type TestServer, uniq } from '../../../test/harness';
import { settleReports } from './rollups.service';

/*
 * Hand-checked fixture, all instants UTC, reports read in UTC (2026-03-02 is a Monday):
 *
 * T1  team A, anna, email. Created Mon 08:00, answered 08:30 (FRT 30 min), solved 09:00.
 * T2  team A, anna, web. Created Mon 10:00, answered 12:00 (FRT 120), still open.
 * T3  team B, ben, email. Created Tue 09:00, answered 09:10 (FRT 10), solved 09:20.
 * T4  team B, unassigned, phone. Created Tue 11:00, never answered, new; escalated by hand.
 * T5  team A, ben, email. Created Wed 07:00, answered 12:00 (FRT 300), pending.
 *
 * FRT over Mon–Wed, slowest first: T5 300, T2 120, T1 30, T3 10. Backlog at the end of Tuesday: T2 (open 38 h =
 * 2,280 min), T4 (13 h = 780). Resolution rate (at creation): T1 and T3 resolved, T2, T4, T5 not.
 * Live queue: T2 open with a running SLA clock past its due time (breached), T5 pending with a clock past its
 * at-risk time (due soon), T4 new without a clock.
 */
let server: TestServer;
let manager: { user: User; headers: { authorization: string } };
let anna: { user: User; headers: { authorization: string } };
let ben: { user: User; headers: { authorization: string } };
let teamA: Team;
let teamB: Team;
const ids: Record<string, string> = {};

const sqlOf = (text: string, values: unknown[] = []) => server.deps.database.query(text, values);

async function ticket(spec: {
  name: string;
  createdAt: string;
  team: string;
  assignee: string | null;
  channel: string;
  status: string;
  replies: string[];
  solvedAt?: string;
}): Promise<void> {
  const [contact] = (await sqlOf(`insert into contacts (name) values ('Drill-down') returning id`)).rows;
  const [row] = (
    await sqlOf(
      `insert into tickets (subject, status_key, status_category, channel, requester_id, team_id, assignee_id,
                            created_at, updated_at)
       values ($1, $2, $2, $3, $4, $5, $6, $7, $7) returning id`,
      [spec.name, spec.status, spec.channel, contact!.id, spec.team, spec.assignee, spec.createdAt],
    )
  ).rows;
  const id = String(row!.id);
  ids[spec.name] = id;
  await sqlOf(
    `insert into ticket_messages (ticket_id, visibility, author_kind, body_html, body_text, channel, created_at)
     values ($1, 'public', 'contact', '<p>Hi</p>', 'Hi', $2, $3)`,
    [id, spec.channel, spec.createdAt],
  );
  const events: [string, string, string | null, unknown][] = [
    [spec.createdAt, 'created', null, { status: 'new' }],
  ];
  for (const at of spec.replies) events.push([at, 'replied', null, {}]);
  if (spec.solvedAt) events.push([spec.solvedAt, 'changed', 'status', 'solved']);
  for (const [at, kind, field, to] of events) {
    await sqlOf(
      `insert into ticket_events (ticket_id, kind, field, from_value, to_value, actor_kind, created_at)
       values ($1, $2, $3, 'null'::jsonb, $4::jsonb, 'system', $5)`,
      [id, kind, field, JSON.stringify(to), at],
    );
  }
}

function drill(query: Record<string, string>, who = manager) {
  const search = new URLSearchParams({ from: '2026-03-02', to: '2026-03-04', timeZone: 'UTC', ...query });
  return server.app.inject({ method: 'GET', url: `/api/v1/reports/tickets?${search}`, headers: who.headers });
}
async function ok(query: Record<string, string>, who = manager): Promise<DrilldownResult> {
  const response = await drill(query, who);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<DrilldownResult>();
}
const names = (result: DrilldownResult) =>
  result.items.map((item) => [Object.keys(ids).find((name) => ids[name] === item.id), item.value]);

beforeAll(async () => {
  server = await startTestServer({ isolated: true });
  manager = await bearerFor(server, 'manager');
  anna = await bearerFor(server, 'agent');
  ben = await bearerFor(server, 'agent');
  const post = (url: string, payload: object) =>
    server.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: manager.headers, payload });
  teamA = (await post('/teams', { name: `A ${uniq()}` })).json<Team>();
  teamB = (await post('/teams', { name: `B ${uniq()}` })).json<Team>();
  const a = anna.user.id;
  const b = ben.user.id;
  await ticket({
    name: 'T1',
    createdAt: '2026-03-02T08:00:00Z',
    team: teamA.id,
    assignee: a,
    channel: 'email',
    status: 'solved',
    replies: ['2026-03-02T08:30:00Z'],
    solvedAt: '2026-03-02T09:00:00Z',
  });
  await ticket({
    name: 'T2',
    createdAt: '2026-03-02T10:00:00Z',
    team: teamA.id,
    assignee: a,
    channel: 'web',
    status: 'open',
    replies: ['2026-03-02T12:00:00Z'],
  });
  await ticket({
    name: 'T3',
    createdAt: '2026-03-03T09:00:00Z',
    team: teamB.id,
    assignee: b,
    channel: 'email',
    status: 'solved',
    replies: ['2026-03-03T09:10:00Z'],
    solvedAt: '2026-03-03T09:20:00Z',
  });
  await ticket({
    name: 'T4',
    createdAt: '2026-03-03T11:00:00Z',
    team: teamB.id,
    assignee: null,
    channel: 'phone',
    status: 'new',
    replies: [],
  });
  await ticket({
    name: 'T5',
    createdAt: '2026-03-04T07:00:00Z',
    team: teamA.id,
    assignee: b,
    channel: 'email',
    status: 'pending',
    replies: ['2026-03-04T12:00:00Z'],
  });
  await sqlOf(`insert into ticket_escalations (ticket_id, kind, reason) values ($1, 'manual', 'loud')`, [
    ids.T4,
  ]);
  const hour = 3_600_000;
  await sqlOf(
    `update tickets set sla_status = 'running', sla_at_risk_at = $2, sla_due_at = $3 where id = $1`,
    [ids.T2, new Date(Date.now() - 2 * hour), new Date(Date.now() - hour)],
  );
  await sqlOf(
    `update tickets set sla_status = 'running', sla_at_risk_at = $2, sla_due_at = $3 where id = $1`,
    [ids.T5, new Date(Date.now() - hour), new Date(Date.now() + hour)],
  );
  await settleReports(server.deps);
});
afterAll(async () => {
  await server?.close();
});

describe('the tickets behind a number (hand-checked)', () => {
  it('lists the tickets of a time metric slowest first, as many as the metric counted', async () => {
    const frt = await ok({ metric: 'first_response_time' });
    expect(names(frt)).toEqual([
      ['T5', 300],
      ['T2', 120],
      ['T1', 30],
      ['T3', 10],
    ]);
    expect(frt).toMatchObject({ valueUnit: 'minutes', total: 4, from: '2026-03-02T00:00:00.000Z' });
    expect(frt.items[0]).toMatchObject({
      subject: 'T5',
      status: 'pending',
      team: { id: teamA.id, name: teamA.name },
      assignee: { id: ben.user.id },
      createdAt: '2026-03-04T07:00:00.000Z',
      at: '2026-03-04T12:00:00.000Z',
    });
    const metric = await server.app.inject({
      method: 'GET',
      url: '/api/v1/reports/metrics?metric=first_response_time&from=2026-03-02&to=2026-03-04&timeZone=UTC',
      headers: manager.headers,
    });
    expect(metric.json<MetricReport>().total.n).toBe(frt.total);
    expect(names(await ok({ metric: 'first_response_time', sort: 'newest', limit: '2' }))).toEqual([
      ['T5', 300],
      ['T3', 10],
    ]);
  });

  it('narrows to a chart point: one period and one group', async () => {
    expect(names(await ok({ metric: 'first_response_time', period: '2026-03-03' }))).toEqual([['T3', 10]]);
    expect(names(await ok({ metric: 'first_response_time', filter: `team:${teamA.id}` }))).toEqual([
      ['T5', 300],
      ['T2', 120],
      ['T1', 30],
    ]);
    expect(names(await ok({ metric: 'tickets_created', filter: 'agent:none' }))).toEqual([['T4', 1]]);
    expect(
      names(await ok({ metric: 'tickets_created', filter: 'channel:email', period: '2026-W10' })),
    ).toEqual([
      ['T5', 1],
      ['T3', 1],
      ['T1', 1],
    ]);
  });

  it('lists the backlog at the end of the range, oldest first, and misses of a rate first', async () => {
    const backlog = await ok({ metric: 'backlog', to: '2026-03-03' });
    expect(names(backlog)).toEqual([
      ['T2', 2280],
      ['T4', 780],
    ]);
    const metric = await server.app.inject({
      method: 'GET',
      url: '/api/v1/reports/metrics?metric=backlog&from=2026-03-02&to=2026-03-03&timeZone=UTC',
      headers: manager.headers,
    });
    expect(metric.json<MetricReport>().total.value).toBe(backlog.total);
    expect(names(await ok({ metric: 'resolution_rate' }))).toEqual([
      ['T5', 0],
      ['T4', 0],
      ['T2', 0],
      ['T3', 1],
      ['T1', 1],
    ]);
  });

  it('shows an agent the tickets behind their own numbers only', async () => {
    expect(names(await ok({ metric: 'first_response_time', filter: 'agent:me' }, ben))).toEqual([
      ['T5', 300],
      ['T3', 10],
    ]);
    expect((await drill({ metric: 'first_response_time' }, ben)).statusCode).toBe(403);
    expect(
      (await drill({ metric: 'tickets_created', filter: `agent:${anna.user.id}` }, ben)).statusCode,
    ).toBe(403);
  });

  it('names the field of a bad query', async () => {
    const field = async (query: Record<string, string>) => {
      const response = await drill(query);
      expect(response.statusCode, response.body).toBe(400);
      return response.json<Problem>().errors?.[0]?.field;
    };
    expect(await field({ metric: 'first_response_time', period: 'yesterday' })).toBe('period');
    expect(await field({ metric: 'first_response_time', period: '2026-04-01' })).toBe('period');
    // A month long before the range (it once listed that month's tickets).
    expect(await field({ metric: 'first_response_time', period: '2020-01' })).toBe('period');
    expect(await field({ metric: 'agent_utilisation' })).toBe('metric');
    expect(await field({ metric: 'first_response_time', filter: 'colour:red' })).toBe('filter');
    expect(await field({ metric: 'happiness' })).toContain('metric');
    expect(await field({ metric: 'csat', from: '2026-03-05' })).toBe('from');
  });
});

describe('the live queue', () => {
  const live = (filter: string | null, who = manager) =>
    server.app.inject({
      method: 'GET',
      url: `/api/v1/reports/live${filter ? `?filter=${encodeURIComponent(filter)}` : ''}`,
      headers: who.headers,
    });

  it('counts open tickets by status and SLA risk, the escalated and the unassigned', async () => {
    const response = await live(null);
    expect(response.statusCode, response.body).toBe(200);
    const queue = response.json<LiveQueue>();
    expect(queue.byStatus.map((s) => [s.status, s.count])).toEqual([
      ['new', 1],
      ['open', 1],
      ['pending', 1],
    ]);
    expect(queue).toMatchObject({
      bySla: { breached: 1, dueSoon: 1, ok: 0, none: 1 },
      escalated: 1,
      unassigned: 1,
    });
    const teamAQueue = (await live(`team:${teamA.id}`)).json<LiveQueue>();
    expect(teamAQueue).toMatchObject({
      bySla: { breached: 1, dueSoon: 1, none: 0 },
      escalated: 0,
      unassigned: 0,
    });
  });

  it('gives an agent their own queue only', async () => {
    const mine = await live('agent:me', ben);
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json<LiveQueue>().byStatus).toEqual([{ status: 'pending', category: 'pending', count: 1 }]);
    expect((await live(null, ben)).statusCode).toBe(403);
    expect((await live('tag:vip')).statusCode).toBe(400);
    expect((await live('team:north')).json<Problem>().errors?.[0]?.field).toBe('filter');
  });
});
