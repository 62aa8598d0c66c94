import { MetricReport, type Problem, ReportBatchResult, type Team, type User } from '@keepdesk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, startTestServer, type TestServer, uniq } from '../../../test/harness';
import { settleReports } from './rollups.service';

/*
 * Hand-checked fixture (all instants UTC; Berlin is UTC+1 in early March 2026; 2026-03-02 is a Monday). The
 * default business calendar is Mon–Fri 09:00–17:00 Berlin.
 *
 * T1  team A, anna, email, tag billing. Created Mon 08:00, answered and solved 08:45.
 *     FRT 45 min (business 45), resolution 45 (45), one-touch.
 * T2  team A, web. Created Mon 15:30 (16:30 Berlin), assigned anna, answered Tue 08:30 (09:30 Berlin):
 *     FRT 1,020 min, business 30 + 30 = 60. Customer writes Tue 09:00, reassigned to ben 09:10, answered 09:30:
 *     next response 30 (30). Solved Tue 09:30, reopened Wed 10:00, solved Wed 10:30: resolution 2,580 min,
 *     business 30 + 480 + 150 = 660; one reopen, one reassignment.
 * T3  team B, phone, unassigned. Created Mon 23:30 UTC — Tuesday 00:30 in Berlin. Never answered; escalated.
 * T4  team B, ben, email, opened by ben Tue 10:00 (no first response), customer 11:00, answered 11:20 (next
 *     response 20), solved 11:20: resolution 80 (80).
 * T1's SLA: first response met, resolution breached. CSAT: two invitations sent for T1, one answered "satisfied".
 */
let server: TestServer;
let manager: { user: User; headers: { authorization: string } };
let anna: { user: User; headers: { authorization: string } };
let ben: { user: User; headers: { authorization: string } };
let teamA: Team;
let teamB: Team;

const sqlOf = (text: string, values: unknown[] = []) => server.deps.database.query(text, values);

const settle = () => settleReports(server.deps);

type Step = [at: string, kind: 'status' | 'reply' | 'customer' | 'assign', value?: string | null];

async function ticket(spec: {
  createdAt: string;
  team: string;
  assignee?: string | null;
  channel: string;
  tags?: string[];
  byAgent?: boolean;
  steps: Step[];
}): Promise<string> {
  const [contact] = (await sqlOf(`insert into contacts (name) values ('Reporting') returning id`)).rows;
  const finalStatus = [...spec.steps].reverse().find((s) => s[1] === 'status')?.[2] ?? 'new';
  const [row] = (
    await sqlOf(
      `insert into tickets (subject, status_key, status_category, channel, requester_id, team_id, assignee_id, tags,
                            created_at, updated_at)
       values ('Reporting fixture', $1, $1, $2, $3, $4, $5, $6, $7, $7) returning id`,
      [
        finalStatus,
        spec.channel,
        contact!.id,
        spec.team,
        spec.assignee ?? null,
        `{${(spec.tags ?? []).join(',')}}`,
        spec.createdAt,
      ],
    )
  ).rows;
  const id = String(row!.id);
  await sqlOf(
    `insert into ticket_messages (ticket_id, visibility, author_kind, body_html, body_text, channel, created_at)
     values ($1, 'public', $2, '<p>Hi</p>', 'Hi', $3, $4)`,
    [id, spec.byAgent ? 'agent' : 'contact', spec.channel, spec.createdAt],
  );
  const events: [string, string, string | null, unknown, unknown][] = [
    [spec.createdAt, 'created', null, null, { status: 'new' }],
  ];
  let assignee: string | null = null;
  for (const [at, kind, value] of spec.steps) {
    if (kind === 'reply') events.push([at, 'replied', null, null, {}]);
    if (kind === 'customer') events.push([at, 'customer_replied', null, null, {}]);
    if (kind === 'status') events.push([at, 'changed', 'status', null, value]);
    if (kind === 'assign') {
      events.push([at, 'changed', 'assigneeId', assignee, value ?? null]);
      assignee = value ?? null;
    }
  }
  // One statement per event, in a shuffled order: facts must not depend on the order events arrive in.
  for (const [at, kind, field, from, to] of [...events].sort(() => Math.random() - 0.5)) {
    await sqlOf(
      `insert into ticket_events (ticket_id, kind, field, from_value, to_value, actor_kind, created_at)
       values ($1, $2, $3, $4::jsonb, $5::jsonb, 'system', $6)`,
      [id, kind, field, JSON.stringify(from), JSON.stringify(to), at],
    );
  }
  return id;
}

function report(query: Record<string, string>, who = manager) {
  const search = new URLSearchParams({ from: '2026-03-02', to: '2026-03-04', timeZone: 'UTC', ...query });
  return server.app.inject({ method: 'GET', url: `/api/v1/reports/metrics?${search}`, headers: who.headers });
}
async function ok(query: Record<string, string>, who = manager): Promise<MetricReport> {
  const response = await report(query, who);
  expect(response.statusCode, response.body).toBe(200);
  // The route writes its answer without checking it (unvalidatedJson): every answer here is held to the contract.
  return MetricReport.parse(response.json());
}
const points = (r: MetricReport, key: string | null = null) =>
  Object.fromEntries(r.series.find((s) => s.key === key)!.points.map((p) => [p.period, p.value]));
/** Medians and percentiles come from 5 % histogram buckets: within 2.5 % of the exact value. */
const near = (value: number | null, exact: number) => {
  expect(value).not.toBeNull();
  expect(Math.abs(value! - exact)).toBeLessThanOrEqual(exact * 0.025);
};

beforeAll(async () => {
  server = await startTestServer({ isolated: true });
  manager = await bearerFor(server, 'manager');
  anna = await bearerFor(server, 'agent');
  ben = await bearerFor(server, 'agent');
  const post = (url: string, payload: object) =>
    server.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: manager.headers, payload });
  teamA = (await post('/teams', { name: `A ${uniq()}` })).json<Team>();
  teamB = (await post('/teams', { name: `B ${uniq()}` })).json<Team>();
  const nine = [{ start: '09:00', end: '17:00' }];
  const calendar = await post('/calendars', {
    name: 'Office',
    timeZone: 'Europe/Berlin',
    week: { mon: nine, tue: nine, wed: nine, thu: nine, fri: nine, sat: [], sun: [] },
    isDefault: true,
  });
  expect(calendar.statusCode, calendar.body).toBe(201);

  const t1 = await ticket({
    createdAt: '2026-03-02T08:00:00Z',
    team: teamA.id,
    assignee: anna.user.id,
    channel: 'email',
    tags: ['billing'],
    steps: [
      ['2026-03-02T08:05:00Z', 'assign', anna.user.id],
      ['2026-03-02T08:45:00Z', 'reply'],
      ['2026-03-02T08:45:00Z', 'status', 'solved'],
    ],
  });
  await ticket({
    createdAt: '2026-03-02T15:30:00Z',
    team: teamA.id,
    assignee: ben.user.id,
    channel: 'web',
    steps: [
      ['2026-03-02T15:31:00Z', 'assign', anna.user.id],
      ['2026-03-03T08:30:00Z', 'reply'],
      ['2026-03-03T09:00:00Z', 'customer'],
      ['2026-03-03T09:10:00Z', 'assign', ben.user.id],
      ['2026-03-03T09:30:00Z', 'reply'],
      ['2026-03-03T09:30:00Z', 'status', 'solved'],
      ['2026-03-04T10:00:00Z', 'status', 'open'],
      ['2026-03-04T10:30:00Z', 'status', 'solved'],
    ],
  });
  const t3 = await ticket({ createdAt: '2026-03-02T23:30:00Z', team: teamB.id, channel: 'phone', steps: [] });
  await ticket({
    createdAt: '2026-03-03T10:00:00Z',
    team: teamB.id,
    assignee: ben.user.id,
    channel: 'email',
    byAgent: true,
    steps: [
      ['2026-03-03T10:00:00Z', 'assign', ben.user.id],
      ['2026-03-03T10:00:00Z', 'reply'],
      ['2026-03-03T11:00:00Z', 'customer'],
      ['2026-03-03T11:20:00Z', 'reply'],
      ['2026-03-03T11:20:00Z', 'status', 'solved'],
    ],
  });
  await sqlOf(
    `insert into ticket_escalations (ticket_id, kind, reason) values ($1, 'manual', 'angry caller')`,
    [t3],
  );
  const clock = (metric: string, stoppedAt: string, breached: boolean) => ({
    metric,
    targetMinutes: 60,
    startedAt: '2026-03-02T08:00:00Z',
    dueAt: '2026-03-02T09:00:00Z',
    atRiskAt: null,
    pausedMinutes: 0,
    paused: false,
    stoppedAt,
    breached,
  });
  await sqlOf(`insert into ticket_slas (ticket_id, clocks) values ($1, $2::jsonb)`, [
    t1,
    JSON.stringify([
      clock('first_response', '2026-03-02T08:45:00Z', false),
      clock('resolution', '2026-03-02T08:45:00Z', true),
    ]),
  ]);
  const [survey] = (
    await sqlOf(
      `insert into surveys (name, kind, scale, audience, texts) values ($1, 'csat', '1-5', '{}', '{}') returning id`,
      [`CSAT ${uniq()}`],
    )
  ).rows;
  const [contact] = (await sqlOf(`insert into contacts (name) values ('Surveyed') returning id`)).rows;
  const invitations = [];
  for (const sentAt of ['2026-03-02T10:00:00Z', '2026-03-02T11:00:00Z']) {
    const [invitation] = (
      await sqlOf(
        `insert into survey_invitations (survey_id, contact_id, language, send_at, sent_at, status, team_id, agent_id,
                                         channel)
         values ($1, $2, 'en', $3, $3, 'sent', $4, $5, 'email') returning id`,
        [survey!.id, contact!.id, sentAt, teamA.id, anna.user.id],
      )
    ).rows;
    invitations.push(invitation!.id);
  }
  await sqlOf(
    `insert into survey_responses (invitation_id, survey_id, kind, scale, score, rating, language, team_id, agent_id,
                                   channel, answered_at)
     values ($1, $2, 'csat', '1-5', 5, 'satisfied', 'en', $3, $4, 'email', '2026-03-03T12:00:00Z')`,
    [invitations[0], survey!.id, teamA.id, anna.user.id],
  );
  await settle();
});
afterAll(async () => {
  await server?.close();
});

describe('metrics from the rollups (hand-checked)', () => {
  it('counts tickets created, solved and reopened per day, and the backlog at each day end', async () => {
    expect(points(await ok({ metric: 'tickets_created' }))).toEqual({
      '2026-03-02': 3,
      '2026-03-03': 1,
      '2026-03-04': 0,
    });
    expect(points(await ok({ metric: 'tickets_solved' }))).toEqual({
      '2026-03-02': 1,
      '2026-03-03': 2,
      '2026-03-04': 1,
    });
    expect(points(await ok({ metric: 'tickets_reopened' }))).toEqual({
      '2026-03-02': 0,
      '2026-03-03': 0,
      '2026-03-04': 1,
    });
    const backlog = await ok({ metric: 'backlog' });
    expect(points(backlog)).toEqual({ '2026-03-02': 2, '2026-03-03': 1, '2026-03-04': 1 });
    expect(backlog.total.value).toBe(1);
  });

  it('reads a day in Berlin, not a day in UTC', async () => {
    const berlin = await ok({ metric: 'tickets_created', timeZone: 'Europe/Berlin' });
    expect(points(berlin)).toEqual({ '2026-03-02': 2, '2026-03-03': 2, '2026-03-04': 0 });
    expect(berlin.series[0]!.points[0]!.start).toBe('2026-03-01T23:00:00.000Z');
  });

  it('measures response and resolution times in calendar and business minutes', async () => {
    const frt = await ok({ metric: 'first_response_time', stat: 'avg' });
    expect(frt).toMatchObject({ unit: 'minutes', total: { value: 532.5, n: 2 } });
    near((await ok({ metric: 'first_response_time' })).total.value, 45);
    near((await ok({ metric: 'first_response_time', stat: 'p90' })).total.value, 1020);
    expect((await ok({ metric: 'first_response_time_business', stat: 'avg' })).total.value).toBe(52.5);
    expect((await ok({ metric: 'next_response_time', stat: 'avg' })).total).toEqual({ value: 25, n: 2 });
    expect((await ok({ metric: 'next_response_time_business', stat: 'avg' })).total.value).toBe(25);
    expect((await ok({ metric: 'resolution_time', stat: 'avg' })).total).toEqual({ value: 901.67, n: 3 });
    expect((await ok({ metric: 'resolution_time_business', stat: 'avg' })).total.value).toBe(261.67);
    expect((await ok({ metric: 'resolution_time', stat: 'sum' })).total.value).toBe(2705);
  });

  it('computes the rates', async () => {
    const value = async (metric: string) => (await ok({ metric })).total.value;
    expect(await value('one_touch_rate')).toBe(33.33);
    expect(await value('reopen_rate')).toBe(33.33);
    expect(await value('resolution_rate')).toBe(75);
    expect(await value('escalation_rate')).toBe(25);
    expect(await value('sla_compliance')).toBe(50);
    expect(await value('csat')).toBe(100);
    expect(await value('survey_response_rate')).toBe(50);
    expect((await ok({ metric: 'reassignments' })).total).toEqual({ value: 0.33, n: 3 });
    expect((await ok({ metric: 'tickets_per_agent' })).total).toEqual({ value: 2, n: 4 });
  });

  it('groups by a dimension and filters a team by another', async () => {
    const byTeam = await ok({ metric: 'tickets_created', groupBy: 'team' });
    expect(byTeam.series.map((s) => [s.key, s.label, s.total.value])).toEqual([
      [teamA.id, teamA.name, 2],
      [teamB.id, teamB.name, 2],
    ]);
    expect(byTeam.total.value).toBe(4);
    const channels = await ok({ metric: 'tickets_created', groupBy: 'channel', filter: `team:${teamA.id}` });
    expect(channels.series.map((s) => [s.key, s.total.value])).toEqual([
      ['email', 1],
      ['web', 1],
    ]);
    expect(channels.total.value).toBe(2);
    const emailByTeam = await ok({ metric: 'tickets_created', groupBy: 'team', filter: 'channel:email' });
    expect(emailByTeam.series.map((s) => [s.key, s.total.value])).toEqual([
      [teamA.id, 1],
      [teamB.id, 1],
    ]);
    expect((await ok({ metric: 'tickets_created', filter: 'tag:billing' })).total.value).toBe(1);
    expect((await ok({ metric: 'tickets_created', filter: 'agent:none' })).total.value).toBe(1);
    const perAgent = await ok({ metric: 'tickets_per_agent', groupBy: 'team' });
    expect(perAgent.series.map((s) => [s.key, s.total.value])).toEqual([
      [teamA.id, 1.5],
      [teamB.id, 1],
    ]);
  });

  it('rolls days up into weeks, months and quarters, and counts by the hour', async () => {
    const week = await ok({ metric: 'tickets_created', grain: 'week' });
    expect(points(week)).toEqual({ '2026-W10': 4 });
    const quarter = await ok({ metric: 'first_response_time', grain: 'quarter', stat: 'avg' });
    expect(points(quarter)).toEqual({ '2026-Q1': 532.5 });
    const hours = await ok({ metric: 'tickets_created', grain: 'hour', to: '2026-03-02' });
    expect(hours.series[0]!.points).toHaveLength(24);
    expect(points(hours)['2026-03-02T08']).toBe(1);
    expect(points(hours)['2026-03-02T23']).toBe(1);
  });

  it('shows an agent their own numbers and nobody else’s', async () => {
    const mine = await ok({ metric: 'tickets_solved', filter: 'agent:me' }, ben);
    expect(mine.total.value).toBe(3);
    expect((await report({ metric: 'tickets_solved' }, ben)).statusCode).toBe(403);
    expect(
      (await report({ metric: 'tickets_solved', filter: `agent:${anna.user.id}` }, ben)).statusCode,
    ).toBe(403);
  });
});

describe('a dashboard in one request', () => {
  const batch = (queries: Record<string, string>[], who = manager) =>
    server.app.inject({
      method: 'POST',
      url: '/api/v1/reports/batch',
      headers: who.headers,
      payload: {
        queries: queries.map((q) => ({ from: '2026-03-02', to: '2026-03-04', timeZone: 'UTC', ...q })),
      },
    });

  it('answers each query as GET /reports/metrics does, in order', async () => {
    const queries: Record<string, string>[] = [
      { metric: 'resolution_time', stat: 'avg' },
      { metric: 'tickets_created', groupBy: 'channel' },
      { metric: 'tickets_solved', filter: 'agent:me' },
    ];
    const response = await batch(queries);
    expect(response.statusCode, response.body).toBe(200);
    const { reports } = ReportBatchResult.parse(response.json());
    expect(reports).toEqual([await ok(queries[0]!), await ok(queries[1]!), await ok(queries[2]!)]);
    expect(reports[0]!.total).toEqual({ value: 901.67, n: 3 });
  });

  it('totals a grouped report as the ungrouped one, medians and the backlog included', async () => {
    for (const metric of ['first_response_time', 'resolution_time', 'backlog', 'csat', 'tickets_created']) {
      const whole = await ok({ metric });
      for (const groupBy of ['team', 'channel', 'agent', 'tag']) {
        expect((await ok({ metric, groupBy })).total, `${metric} by ${groupBy}`).toEqual(whole.total);
      }
    }
  });

  it('names the bad query by its index and keeps an agent to their own numbers', async () => {
    const bad = await batch([{ metric: 'tickets_created' }, { metric: 'resolution_time', stat: 'rate' }]);
    expect(bad.statusCode).toBe(400);
    expect(bad.json<Problem>().errors?.[0]?.field).toBe('queries.1.stat');
    const unknown = await batch([{ metric: 'happiness' }]);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json<Problem>().errors?.[0]?.field).toContain('metric');
    const mine = await batch([{ metric: 'tickets_solved', filter: 'agent:me' }], ben);
    expect(mine.json<{ reports: MetricReport[] }>().reports[0]!.total.value).toBe(3);
    expect((await batch([{ metric: 'tickets_solved' }], ben)).statusCode).toBe(403);
  });
});

describe('bad queries', () => {
  it('names the problem', async () => {
    const problem = async (query: Record<string, string>) => {
      const response = await report(query);
      expect(response.statusCode, response.body).toBe(400);
      return response.json<Problem>();
    };
    expect((await problem({ metric: 'happiness' })).errors?.[0]?.field).toBe('metric');
    expect((await problem({ metric: 'tickets_created', groupBy: 'mood' })).errors?.[0]?.field).toBe(
      'groupBy',
    );
    expect((await problem({ metric: 'tickets_created', filter: 'mood:good' })).detail).toContain(
      'unknown dimension',
    );
    expect(
      (await problem({ metric: 'tickets_created', from: '2026-03-05', to: '2026-03-01' })).errors?.[0],
    ).toMatchObject({ field: 'from', message: '2026-03-05 is after 2026-03-01' });
    expect(
      (await problem({ metric: 'tickets_created', grain: 'hour', from: '2020-01-01', to: '2026-01-01' }))
        .errors?.[0]?.field,
    ).toBe('grain');
    expect((await problem({ metric: 'resolution_time', stat: 'rate' })).errors?.[0]?.field).toBe('stat');
    expect((await problem({ metric: 'resolution_time', grain: 'hour' })).errors?.[0]?.field).toBe('grain');
    expect((await problem({ metric: 'tickets_created', timeZone: 'Asia/Tokyo' })).errors?.[0]?.field).toBe(
      'timeZone',
    );
    expect(
      (await problem({ metric: 'tickets_created', filter: 'channel:email,priority:high' })).detail,
    ).toContain('team with at most one other dimension');
  });
});

/*
 * Organisations, custom fields, handle time and agent utilisation, on 2026-05-04 (UTC), after the March fixture;
 * every ticket here is solved, so nothing adds to the backlog of other reports.
 *
 * W1 org O1, reason refund, products app+web. Created 08:00, solved 09:00 (resolution 60). Carla works 15 min.
 * W2 org O1, reason bug, products app. Created 10:00, solved 12:00 (120). Carla 45 min, Dora 10 min: 55 min.
 * W3 org O2, reason refund, vip. Created 11:00, solved 11:30 (30). No work measured: no handle time.
 * W4 no organisation, no fields. Created 13:00, solved 13:10 (10).
 * Carla (team C) is online 08:00–12:00: 60 min of work in 240 min online = 25 %.
 */
describe('organisations, custom fields, handle time and agent utilisation', () => {
  const may = { from: '2026-05-04', to: '2026-05-04' };
  let carla: Awaited<ReturnType<typeof bearerFor>>;
  let dora: Awaited<ReturnType<typeof bearerFor>>;
  let teamC: Team;
  let o1: string;
  let o2: string;

  beforeAll(async () => {
    carla = await bearerFor(server, 'agent');
    dora = await bearerFor(server, 'agent');
    teamC = (
      await server.app.inject({
        method: 'POST',
        url: '/api/v1/teams',
        headers: manager.headers,
        payload: { name: `C ${uniq()}` },
      })
    ).json<Team>();
    await sqlOf(`insert into team_memberships (team_id, user_id) values ($1, $2)`, [teamC.id, carla.user.id]);
    o1 = String((await sqlOf(`insert into organizations (name) values ('Acme') returning id`)).rows[0]!.id);
    o2 = String((await sqlOf(`insert into organizations (name) values ('Globex') returning id`)).rows[0]!.id);
    const option = (value: string, en: string, de: string) => ({ value, labelEn: en, labelDe: de });
    for (const [key, type, options] of [
      ['reason', 'dropdown', [option('refund', 'Refund', 'Erstattung'), option('bug', 'Bug', 'Fehler')]],
      ['products', 'multiselect', [option('app', 'App', 'App'), option('web', 'Web', 'Web')]],
      ['vip', 'checkbox', []],
      ['note', 'text', []],
    ] as const) {
      await sqlOf(
        `insert into ticket_fields (key, type, label_en, label_de, options) values ($1, $2, $1, $1, $3::jsonb)`,
        [key, type, JSON.stringify(options)],
      );
    }
    const solvedTicket = async (created: string, solved: string) =>
      ticket({
        createdAt: `2026-05-04T${created}:00Z`,
        team: teamA.id,
        channel: 'email',
        steps: [[`2026-05-04T${solved}:00Z`, 'status', 'solved']],
      });
    const w1 = await solvedTicket('08:00', '09:00');
    const w2 = await solvedTicket('10:00', '12:00');
    const w3 = await solvedTicket('11:00', '11:30');
    await solvedTicket('13:00', '13:10');
    await settle();
    // Set without a ticket event, as a contact's move or a deleted organisation would: the trigger marks them.
    const set = (id: string, organization: string | null, fields: object) =>
      sqlOf(`update tickets set organization_id = $2, custom_fields = $3::jsonb where id = $1`, [
        id,
        organization,
        JSON.stringify(fields),
      ]);
    await set(w1, o1, { reason: 'refund', products: ['app', 'web'], note: 'x' });
    await set(w2, o1, { reason: 'bug', products: ['app'] });
    await set(w3, o2, { reason: 'refund', vip: true });
    const work = async (who: typeof carla, id: string, startedAt: string, seconds: number) => {
      const realNow = server.deps.now;
      server.deps.now = () => new Date('2026-05-04T13:00:00Z'); // segments are at most 24 hours old
      const response = await server.app.inject({
        method: 'POST',
        url: `/api/v1/tickets/${id}/work`,
        headers: who.headers,
        payload: { startedAt: `2026-05-04T${startedAt}Z`, seconds },
      });
      server.deps.now = realNow;
      expect(response.statusCode, response.body).toBe(200);
    };
    await work(carla, w1, '08:10:00', 600);
    await work(carla, w1, '08:20:00', 300); // follows: one visit of 15 min
    await work(carla, w2, '10:05:00', 2700);
    await work(dora, w2, '10:10:00', 600);
    const realNow = server.deps.now;
    for (const [presence, at] of [
      ['online', '2026-05-04T08:00:00Z'],
      ['offline', '2026-05-04T12:00:00Z'],
    ] as const) {
      server.deps.now = () => new Date(at);
      const response = await server.app.inject({
        method: 'PUT',
        url: '/api/v1/me/presence',
        headers: carla.headers,
        payload: { presence },
      });
      server.deps.now = realNow;
      expect(response.statusCode, response.body).toBe(200);
    }
    await settle();
  });

  const totals = (r: MetricReport) => Object.fromEntries(r.series.map((s) => [s.label, s.total.value]));

  it('groups and filters by organisation, with names', async () => {
    const byOrganization = await ok({ metric: 'tickets_created', groupBy: 'organization', ...may });
    expect(totals(byOrganization)).toEqual({ Acme: 2, Globex: 1, '—': 1 });
    expect(byOrganization.total.value).toBe(4);
    const acme = await ok({ metric: 'resolution_time', stat: 'avg', filter: `organization:${o1}`, ...may });
    expect(acme.total).toEqual({ value: 90, n: 2 });
    const none = await ok({ metric: 'tickets_solved', filter: 'organization:none', ...may });
    expect(none.total.value).toBe(1);
  });

  it('groups and filters by a dropdown, a multiselect and a checkbox field', async () => {
    const byReason = await ok({ metric: 'tickets_created', groupBy: 'field:reason', ...may });
    expect(totals(byReason)).toEqual({ Refund: 2, Bug: 1 });
    expect(byReason.total.value).toBe(4); // tickets without a reason count in the total only
    const byProduct = await ok({ metric: 'resolution_time', stat: 'sum', groupBy: 'field:products', ...may });
    expect(totals(byProduct)).toEqual({ App: 180, Web: 60 });
    expect(byProduct.total.value).toBe(220);
    const web = await ok({ metric: 'tickets_solved', filter: 'field:products:web', ...may });
    expect(web.total.value).toBe(1);
    const vip = await ok({ metric: 'resolution_time', stat: 'avg', filter: 'field:vip:true', ...may });
    expect(vip.total).toEqual({ value: 30, n: 1 });
    // The drill-down lists the same tickets as the numbers.
    const drill = async (filter: string) => {
      const search = new URLSearchParams({ metric: 'resolution_time', filter, timeZone: 'UTC', ...may });
      const response = await server.app.inject({
        method: 'GET',
        url: `/api/v1/reports/tickets?${search}`,
        headers: manager.headers,
      });
      expect(response.statusCode, response.body).toBe(200);
      return response.json<{ items: { value: number | null }[] }>().items.map((t) => t.value);
    };
    expect(await drill('field:products:app')).toEqual([120, 60]);
    expect(await drill('field:vip:true')).toEqual([30]);
    expect(await drill(`organization:${o2}`)).toEqual([30]);
  });

  it('reports handle time of worked tickets at their solve, by organisation too', async () => {
    const all = await ok({ metric: 'handle_time', stat: 'sum', ...may });
    expect(all.total).toEqual({ value: 70, n: 2 });
    const median = await ok({ metric: 'handle_time', ...may });
    near(median.total.value, 15);
    const acme = await ok({ metric: 'handle_time', stat: 'avg', groupBy: 'organization', ...may });
    expect(totals(acme)).toEqual({ Acme: 35 });
  });

  it('reports agent utilisation: work minutes ÷ online minutes', async () => {
    const team = await ok({ metric: 'agent_utilisation', filter: `team:${teamC.id}`, ...may });
    expect(team.unit).toBe('percent');
    expect(team.total.value).toBe(25);
    const byAgent = await ok({ metric: 'agent_utilisation', groupBy: 'agent', ...may });
    expect(byAgent.series.find((s) => s.key === carla.user.id)?.total.value).toBe(25);
    // Dora worked but was never online: no utilisation of her own (ADR 0052: her work is in no logged-in time).
    expect(byAgent.series.find((s) => s.key === dora.user.id)?.total.value ?? null).toBeNull();
    const byTeam = await ok({ metric: 'agent_utilisation', groupBy: 'team', ...may });
    expect(byTeam.series.find((s) => s.key === teamC.id)?.total.value).toBe(25);
  });

  it('names the problem with a field or a combination it cannot report', async () => {
    const problem = async (query: Record<string, string>) => {
      const response = await report({ ...query, ...may });
      expect(response.statusCode, response.body).toBe(400);
      return response.json<Problem>().errors?.[0];
    };
    expect(await problem({ metric: 'tickets_created', groupBy: 'field:note' })).toMatchObject({
      field: 'groupBy',
      message: expect.stringContaining('text field'),
    });
    expect(await problem({ metric: 'tickets_created', groupBy: 'field:nothing' })).toMatchObject({
      field: 'groupBy',
      message: expect.stringContaining('no custom field'),
    });
    expect((await problem({ metric: 'tickets_created', groupBy: 'field:Bad Key' }))?.field).toBe('groupBy');
    expect((await problem({ metric: 'tickets_created', filter: 'field:reason:none' }))?.field).toBe('filter');
    expect(
      (await problem({ metric: 'tickets_created', groupBy: 'organization', filter: `team:${teamA.id}` }))
        ?.message,
    ).toContain('on their own');
    expect((await problem({ metric: 'csat', groupBy: 'field:reason' }))?.field).toBe('groupBy');
    expect((await problem({ metric: 'agent_utilisation', groupBy: 'channel' }))?.field).toBe('groupBy');
  });
});

describe('a report with too many groups', () => {
  it('asks for a filter instead of answering with hundreds of series', async () => {
    // 501 tickets of 501 organisations on a day no other test uses.
    await sqlOf(`
      with orgs as (
        insert into organizations (name) select 'Many ' || g from generate_series(1, 501) g returning id),
      contact as (insert into contacts (name) values ('Many') returning id),
      made as (
        insert into tickets (subject, status_key, status_category, channel, requester_id, organization_id, created_at)
        select 'Many', 'new', 'new', 'email', contact.id, orgs.id, '2026-07-01T10:00:00Z' from orgs, contact
        returning id, created_at)
      insert into ticket_events (ticket_id, kind, to_value, actor_kind, created_at)
      select id, 'created', '{"status":"new"}', 'system', created_at from made`);
    await settle();
    const day = { from: '2026-07-01', to: '2026-07-01' };
    expect((await ok({ metric: 'tickets_created', ...day })).total.value).toBe(501);
    const response = await report({ metric: 'tickets_created', groupBy: 'organization', ...day });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json<Problem>().errors?.[0]).toMatchObject({ field: 'groupBy' });
    expect(response.json<Problem>().detail).toContain('at most 500');
  });
});
