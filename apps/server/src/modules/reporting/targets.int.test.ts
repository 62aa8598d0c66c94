import type {
  NotificationPage,
  Problem,
  ReportTarget,
  ReportTargetDetail,
  ReportTargetList,
  Team,
  User,
} from '@keepdesk/contract';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, startTestServer, TEST_DB, type TestServer, uniq } from '../../../test/harness';
import { type Database, withTransaction } from '../../platform/db';
import { settleReports } from './rollups.service';
import { checkTargets, listTargets, TARGETS_LOCK, targetDetail } from './targets.service';

/*
 * Fixture (owner in Europe/Berlin, so March 2026 runs from 2026-02-28T23:00Z to 2026-03-31T22:00Z: 743 hours).
 * Team A: six tickets created at 10:00Z on March 2–7, each answered after 30 minutes and solved at 12:00Z;
 * two more created and solved on February 10. Evaluated at 2026-03-10T23:00Z (midnight in Berlin): 10 days
 * elapsed, 503 hours (20.9583 days) left. Solved: 6 → run rate 0.6 a day → forecast 6 + 0.6 × 20.9583 = 18.58.
 */
let server: TestServer;
type Who = { user: User; headers: { authorization: string } };
let manager: Who;
let lead: Who;
let agent: Who;
let teamA: Team;
const NOW = new Date('2026-03-10T23:00:00Z');

const sqlOf = (text: string, values: unknown[] = []) => server.deps.database.query(text, values);
const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, who: Who, payload?: object) =>
  server.app.inject({ method, url: `/api/v1${url}`, headers: who.headers, payload });
const checkAt = (now: Date) => checkTargets({ ...server.deps, now: () => now });

async function solvedTicket(createdAt: string, repliedAt: string, solvedAt: string): Promise<void> {
  const [contact] = (await sqlOf(`insert into contacts (name) values ('Targets') returning id`)).rows;
  const [row] = (
    await sqlOf(
      `insert into tickets (subject, status_key, status_category, channel, requester_id, team_id, created_at, updated_at)
       values ('Target fixture', 'solved', 'solved', 'email', $1, $2, $3, $3) returning id`,
      [contact!.id, teamA.id, createdAt],
    )
  ).rows;
  await sqlOf(
    `insert into ticket_messages (ticket_id, visibility, author_kind, body_html, body_text, channel, created_at)
     values ($1, 'public', 'contact', '<p>Hi</p>', 'Hi', 'email', $2)`,
    [row!.id, createdAt],
  );
  for (const [when, kind, field, to] of [
    [createdAt, 'created', null, { status: 'new' }],
    [repliedAt, 'replied', null, {}],
    [solvedAt, 'changed', 'status', 'solved'],
  ] as const) {
    await sqlOf(
      `insert into ticket_events (ticket_id, kind, field, from_value, to_value, actor_kind, created_at)
       values ($1, $2, $3, 'null'::jsonb, $4::jsonb, 'system', $5)`,
      [row!.id, kind, field, JSON.stringify(to), when],
    );
  }
}

async function create(body: object, who: Who = manager): Promise<ReportTarget> {
  const response = await call('POST', '/reports/targets', who, body);
  expect(response.statusCode, response.body).toBe(201);
  return response.json<ReportTarget>();
}
async function alertsOf(targetId: string, who: Who = lead): Promise<number> {
  const page = (await call('GET', '/notifications?limit=100', who)).json<NotificationPage>();
  return page.items.filter((n) => n.kind === 'target_off_track' && n.target?.id === targetId).length;
}

beforeAll(async () => {
  server = await startTestServer({ isolated: true });
  manager = await bearerFor(server, 'manager');
  lead = await bearerFor(server, 'team_lead');
  agent = await bearerFor(server, 'agent');
  teamA = (await call('POST', '/teams', manager, { name: `A ${uniq()}` })).json<Team>();
  for (let day = 2; day <= 7; day++) {
    const d = `2026-03-0${day}`;
    await solvedTicket(`${d}T10:00:00Z`, `${d}T10:30:00Z`, `${d}T12:00:00Z`);
  }
  for (const hour of ['10', '11']) {
    await solvedTicket(`2026-02-10T${hour}:00:00Z`, `2026-02-10T${hour}:30:00Z`, `2026-02-10T${hour}:45:00Z`);
  }
  await settleReports(server.deps);
});
afterAll(async () => {
  await server?.close();
});

describe('reporting targets', () => {
  it('forecasts a count at its run rate and reads a median time as it stands (hand-computed)', async () => {
    const solved = await create({
      name: 'Team A solves 20',
      metric: 'tickets_solved',
      comparison: 'at_least',
      threshold: 20,
      scope: `team:${teamA.id}`,
      period: 'month',
      ownerId: lead.user.id,
    });
    expect(solved).toMatchObject({
      stat: 'count',
      unit: 'tickets',
      scopeLabel: teamA.name,
      owner: { id: lead.user.id, name: lead.user.name },
      timeZone: 'Europe/Berlin',
      active: true,
    });
    const response = await create({
      name: 'Team A answers within 25 minutes',
      metric: 'first_response_time',
      comparison: 'at_most',
      threshold: 25,
      scope: `team:${teamA.id}`,
    });
    expect(response.stat).toBe('median');
    expect(response.unit).toBe('minutes');

    const list = await listTargets({ ...server.deps, now: () => NOW }, `team:${teamA.id}`);
    const progress = Object.fromEntries(list.items.map((t) => [t.id, t.progress]));
    expect(progress[solved.id]).toMatchObject({
      period: '2026-03',
      start: '2026-02-28T23:00:00.000Z',
      end: '2026-03-31T22:00:00.000Z',
      value: 6,
      samples: 6,
      met: false,
      ratio: 0.3,
      elapsed: Math.round((240 / 743) * 10_000) / 10_000,
      forecast: 18.58,
      status: 'off_track',
    });
    const time = progress[response.id]!;
    expect(time.samples).toBe(6);
    expect(Math.abs(time.value! - 30)).toBeLessThanOrEqual(0.75); // a histogram median: within 2.5 %
    expect(time.forecast).toBe(time.value);
    expect(time.status).toBe('off_track');

    // Lower the bar to 18: the forecast 18.58 clears it by less than 5 % → at risk; 15 → on track.
    for (const [threshold, status] of [
      [18, 'at_risk'],
      [15, 'on_track'],
    ] as const) {
      expect((await call('PATCH', `/reports/targets/${solved.id}`, manager, { threshold })).statusCode).toBe(
        200,
      );
      const again = await listTargets({ ...server.deps, now: () => NOW }, `team:${teamA.id}`);
      expect(again.items.find((t) => t.id === solved.id)!.progress.status).toBe(status);
    }
  });

  it('lists targets with the current period and shows the outcome of past periods', async () => {
    const target = await create({
      name: `History ${uniq()}`,
      metric: 'tickets_solved',
      comparison: 'at_least',
      threshold: 5,
      scope: `team:${teamA.id}`,
    });
    const list = await call('GET', `/reports/targets?scope=team:${teamA.id}`, lead);
    expect(list.statusCode, list.body).toBe(200);
    const listed = list.json<ReportTargetList>().items.find((t) => t.id === target.id)!;
    expect(listed.progress.period).toMatch(/^\d{4}-\d{2}$/);
    expect(listed.progress.end > listed.progress.start).toBe(true);
    expect((await call('GET', '/reports/targets?scope=none', lead)).json<ReportTargetList>().items).toEqual(
      [],
    );

    const detail = await call('GET', `/reports/targets/${target.id}?periods=104`, lead);
    expect(detail.statusCode, detail.body).toBe(200);
    const history = Object.fromEntries(
      detail.json<ReportTargetDetail>().history.map((h) => [h.period, [h.value, h.status]]),
    );
    expect(history['2026-03']).toEqual([6, 'met']);
    expect(history['2026-02']).toEqual([2, 'missed']);
    expect(history['2026-01']).toEqual([0, 'missed']);
    expect((await call('GET', `/reports/targets/${crypto.randomUUID()}`, lead)).statusCode).toBe(404);
  });

  it('refuses bad definitions with a problem naming the field', async () => {
    const base = { name: 'Bad', metric: 'csat', comparison: 'at_least', threshold: 90 };
    const cases: [object, string][] = [
      [{ metric: 'happiness' }, 'metric'],
      [{ stat: 'p90' }, 'stat'],
      [{ threshold: -1 }, 'threshold'],
      [{ threshold: 101 }, 'threshold'],
      [{ scope: `team:${crypto.randomUUID()}` }, 'scope'],
      [{ scope: `agent:${crypto.randomUUID()}` }, 'scope'],
      [{ scope: 'channel:pigeon' }, 'scope'],
      [{ scope: 'tag' }, 'scope'],
      // Definitions the metric query refuses: refused now, not shown as "no data" forever.
      [{ metric: 'agent_utilisation', scope: 'channel:email', threshold: 80 }, 'scope'],
      [{ metric: 'tickets_per_agent', scope: 'channel:email', threshold: 10 }, 'scope'],
      [{ metric: 'agent_utilisation', threshold: 120 }, 'threshold'],
      [{ metric: 'nps', threshold: -101 }, 'threshold'],
      [{ metric: 'nps', stat: 'count', threshold: -1 }, 'threshold'],
      [{ period: 'year' }, 'period'],
      [{ ownerId: crypto.randomUUID() }, 'ownerId'],
    ];
    for (const [change, field] of cases) {
      const response = await call('POST', '/reports/targets', manager, { ...base, ...change });
      expect(response.statusCode, JSON.stringify(change)).toBe(400);
      expect(
        response.json<Problem>().errors?.map((e) => e.field),
        JSON.stringify(change),
      ).toContain(field);
    }
    const target = await create({ ...base, scope: `agent:${agent.user.id}` });
    expect(target.scopeLabel).toBe(agent.user.name);
    const badPatch = await call('PATCH', `/reports/targets/${target.id}`, manager, { stat: 'median' });
    expect(badPatch.json<Problem>().errors?.[0]?.field).toBe('stat');
    // A new metric without a statistic takes the metric's own.
    const moved = await call('PATCH', `/reports/targets/${target.id}`, manager, {
      metric: 'resolution_time',
      threshold: 600,
    });
    expect(moved.json<ReportTarget>()).toMatchObject({ stat: 'median', unit: 'minutes', threshold: 600 });
    const unanswerable = await call('PATCH', `/reports/targets/${target.id}`, manager, {
      metric: 'agent_utilisation',
      threshold: 80,
      scope: 'channel:phone',
    });
    expect(unanswerable.statusCode).toBe(400);
    expect(unanswerable.json<Problem>().errors?.map((e) => e.field)).toEqual(['scope']);

    // NPS runs from −100 to 100: "at least −10" is a target.
    const nps = await create({ ...base, metric: 'nps', threshold: -10 });
    expect(nps).toMatchObject({ stat: 'score', unit: 'score', threshold: -10 });
    const utilisation = await create({ ...base, metric: 'agent_utilisation', threshold: 75 });
    expect(utilisation).toMatchObject({ stat: 'rate', unit: 'percent' });
  });

  it('lets only users who may see reports own a target, but anyone a target of their own numbers', async () => {
    const body = { name: `Owned ${uniq()}`, metric: 'csat', comparison: 'at_least', threshold: 90 };
    const teamWide = await call('POST', '/reports/targets', manager, {
      ...body,
      scope: `team:${teamA.id}`,
      ownerId: agent.user.id,
    });
    expect(teamWide.statusCode).toBe(400);
    expect(teamWide.json<Problem>().errors?.map((e) => e.field)).toEqual(['ownerId']);
    const someoneElse = await call('POST', '/reports/targets', manager, {
      ...body,
      scope: `agent:${lead.user.id}`,
      ownerId: agent.user.id,
    });
    expect(someoneElse.json<Problem>().errors?.map((e) => e.field)).toEqual(['ownerId']);

    const own = await create({ ...body, scope: `agent:${agent.user.id}`, ownerId: agent.user.id });
    expect(own.owner.id).toBe(agent.user.id);
    // Widening the agent's own target to the workspace would show them everyone's numbers.
    const widened = await call('PATCH', `/reports/targets/${own.id}`, manager, { scope: null });
    expect(widened.statusCode).toBe(400);
    expect(widened.json<Problem>().errors?.map((e) => e.field)).toEqual(['ownerId']);
    const handedOver = await call('PATCH', `/reports/targets/${own.id}`, manager, {
      ownerId: agent.user.id,
      scope: `team:${teamA.id}`,
    });
    expect(handedOver.json<Problem>().errors?.map((e) => e.field)).toEqual(['ownerId']);
  });

  it('reads many targets with as many queries as one, each with the numbers it has on its own', async () => {
    // Counts the statements the listing sends (reads through the query builder or as SQL).
    let statements = 0;
    const db = new Proxy(server.deps.database.db, {
      get(target, key) {
        const value = Reflect.get(target, key, target) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (key === 'execute' || key === 'select') statements++;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    }) as Database;
    const deps = { ...server.deps, now: () => NOW, database: { ...server.deps.database, db } };
    const scope = `team:${teamA.id}`;
    const statementsOfList = async () => {
      statements = 0;
      const list = await listTargets(deps, scope);
      return { count: statements, list };
    };
    await create({
      name: `Few ${uniq()}`,
      metric: 'tickets_solved',
      comparison: 'at_least',
      threshold: 9,
      scope,
    });
    const few = await statementsOfList();
    for (const [metric, threshold, period] of [
      ['tickets_created', 10, 'week'],
      ['resolution_time', 200, 'month'],
      ['one_touch_rate', 50, 'quarter'],
      ['backlog', 3, 'month'],
      ['first_response_time', 20, 'week'],
    ] as const) {
      await create({ name: `Many ${metric}`, metric, comparison: 'at_most', threshold, scope, period });
    }
    const many = await statementsOfList();
    expect(many.list.items.length).toBeGreaterThanOrEqual(few.list.items.length + 5);
    expect(many.count).toBe(few.count);
    // The same numbers as each target read on its own.
    for (const listed of many.list.items) {
      const alone = await targetDetail(deps, listed.id, 1);
      expect(listed.progress, listed.metric).toEqual(alone.progress);
    }
    const byMetric = Object.fromEntries(many.list.items.map((t) => [`${t.metric}|${t.period}`, t.progress]));
    expect(byMetric['tickets_solved|month']).toMatchObject({ value: 6, samples: 6 });
    expect(byMetric['tickets_created|week']).toMatchObject({ value: 0 }); // week 11 starts on March 9
    expect(byMetric['resolution_time|month']?.samples).toBe(6);
    expect(Math.abs(byMetric['resolution_time|month']!.value! - 120)).toBeLessThanOrEqual(3); // histogram median
  });

  it('shows no data, not an error, for a target whose owner left and whose time zone is no longer kept', async () => {
    const owner = await bearerFor(server, 'team_lead');
    await sqlOf(`update users set time_zone = 'Pacific/Chatham' where id = $1`, [owner.user.id]);
    await settleReports(server.deps);
    const target = await create({
      name: `Left ${uniq()}`,
      metric: 'tickets_solved',
      comparison: 'at_least',
      threshold: 5,
      ownerId: owner.user.id,
    });
    await sqlOf(`update users set is_active = false where id = $1`, [owner.user.id]);
    await settleReports(server.deps);
    const list = await call('GET', '/reports/targets', manager);
    expect(list.statusCode, list.body).toBe(200);
    const listed = list.json<ReportTargetList>().items.find((t) => t.id === target.id)!;
    expect(listed.progress.status).toBe('no_data');
    expect((await call('GET', `/reports/targets/${target.id}`, manager)).statusCode).toBe(200);
  });

  it('stops alerting an owner who lost reports:read', async () => {
    const owner = await bearerFor(server, 'team_lead');
    const target = await create({
      name: `Demoted ${uniq()}`,
      metric: 'tickets_solved',
      comparison: 'at_least',
      threshold: 40,
      scope: `team:${teamA.id}`,
      ownerId: owner.user.id,
    });
    await sqlOf(`update users set role_key = 'agent' where id = $1`, [owner.user.id]);
    await checkAt(NOW);
    expect(await alertsOf(target.id, owner)).toBe(0);
    await sqlOf(`update users set role_key = 'team_lead' where id = $1`, [owner.user.id]);
    await checkAt(NOW);
    expect(await alertsOf(target.id, owner)).toBe(1);
  });

  it('lets only reports:manage change targets and reports:read see them', async () => {
    const body = { name: 'Mine', metric: 'csat', comparison: 'at_least', threshold: 90 };
    expect((await call('POST', '/reports/targets', agent, body)).statusCode).toBe(403);
    expect((await call('POST', '/reports/targets', lead, body)).statusCode).toBe(403);
    expect((await call('GET', '/reports/targets', agent)).statusCode).toBe(403);
    const target = await create(body);
    expect((await call('PATCH', `/reports/targets/${target.id}`, lead, { threshold: 1 })).statusCode).toBe(
      403,
    );
    expect((await call('DELETE', `/reports/targets/${target.id}`, agent)).statusCode).toBe(403);
    expect((await call('DELETE', `/reports/targets/${target.id}`, manager)).statusCode).toBe(204);
    expect((await call('GET', `/reports/targets/${target.id}`, manager)).statusCode).toBe(404);
  });

  it('alerts the owner once when a target goes off track, and again only after it recovered', async () => {
    const target = await create({
      name: `Alerting ${uniq()}`,
      metric: 'tickets_solved',
      comparison: 'at_least',
      threshold: 20,
      scope: `team:${teamA.id}`,
      ownerId: lead.user.id,
    });
    await checkAt(NOW);
    expect(await alertsOf(target.id)).toBe(1);
    const page = (await call('GET', '/notifications?limit=100', lead)).json<NotificationPage>();
    const alert = page.items.find((n) => n.target?.id === target.id)!;
    expect(alert).toMatchObject({ ticket: null, target: { name: target.name } });
    expect(alert.excerpt).toBe('2026-03: 6 → 18.58 (≥ 20)');

    await checkAt(new Date(NOW.getTime() + 3_600_000));
    expect(await alertsOf(target.id)).toBe(1);

    // Recovers (threshold 10 is met by the forecast), then falls back: a second alert.
    await call('PATCH', `/reports/targets/${target.id}`, manager, { threshold: 10 });
    await checkAt(NOW);
    expect(await alertsOf(target.id)).toBe(1);
    await call('PATCH', `/reports/targets/${target.id}`, manager, { threshold: 20 });
    await checkAt(NOW);
    expect(await alertsOf(target.id)).toBe(2);

    // Inactive targets are not checked.
    await call('PATCH', `/reports/targets/${target.id}`, manager, { active: false, threshold: 10 });
    await checkAt(NOW);
    await call('PATCH', `/reports/targets/${target.id}`, manager, { threshold: 20 });
    await checkAt(NOW);
    expect(await alertsOf(target.id)).toBe(2);
  });

  it('alerts once for a forecast flapping around the threshold, again after a clear recovery', async () => {
    // 6 solved; the forecast is 6 × 743 h ÷ hours passed: 18.58 at NOW, 17.69 half a day later, 20.64 a day before.
    const target = await create({
      name: `Flapping ${uniq()}`,
      metric: 'tickets_solved',
      comparison: 'at_least',
      threshold: 18,
      scope: `team:${teamA.id}`,
      ownerId: lead.user.id,
    });
    const later = new Date(NOW.getTime() + 12 * 3_600_000);
    const earlier = new Date(NOW.getTime() - 24 * 3_600_000);
    // 17.69 (off track), 18.58 (meets 18 by less than 5 %: at risk), 17.69, 18.58, 17.69: one alert.
    for (const at of [later, NOW, later, NOW, later]) await checkAt(at);
    expect(await alertsOf(target.id)).toBe(1);
    // 20.64 clears 18 by more than 5 %: recovered; off track again → a second alert.
    await checkAt(earlier);
    await checkAt(later);
    expect(await alertsOf(target.id)).toBe(2);
  });

  it('checks in one process at a time: concurrent checks send one alert', async () => {
    const target = await create({
      name: `Concurrent ${uniq()}`,
      metric: 'tickets_solved',
      comparison: 'at_least',
      threshold: 30,
      scope: `team:${teamA.id}`,
      ownerId: lead.user.id,
    });
    const results = await Promise.all([checkAt(NOW), checkAt(NOW), checkAt(NOW)]);
    expect(await alertsOf(target.id)).toBe(1);
    expect(results.filter((r) => r !== null && r > 0)).toHaveLength(1);
  });

  it.runIf(TEST_DB === 'postgres')('skips the check while another process holds the lock', async () => {
    const target = await create({
      name: `Locked ${uniq()}`,
      metric: 'tickets_solved',
      comparison: 'at_least',
      threshold: 35,
      scope: `team:${teamA.id}`,
      ownerId: lead.user.id,
    });
    // Another connection holds the lock, as a second worker process would.
    const skipped = await withTransaction(server.deps.database, async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${TARGETS_LOCK})`);
      return checkAt(NOW);
    });
    expect(skipped).toBeNull();
    expect(await alertsOf(target.id)).toBe(0);
    expect(await checkAt(NOW)).toBeGreaterThanOrEqual(1);
    expect(await alertsOf(target.id)).toBe(1);
  });
});
