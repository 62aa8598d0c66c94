import type { MetricReport, Team, User } from '@keepdesk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, startTestServer, type TestServer, uniq } from '../../../test/harness';
import { settleReports } from './rollups.service';

/*
 * Agent utilisation on 2026-05-05 (all instants UTC, well inside the day in every zone the users keep).
 * Eva (team U) is online 08:00–10:00 (7,200 s). She works 08:30–09:00 (1,800 s), 09:45–10:15 (1,800 s evenly
 * spread: 900 s before she went offline) and, offline, 11:00–14:00 (10,800 s). Finn (team U) is never online and
 * works 09:00–10:00. Work within logged-in time: 1,800 + 900 = 2,700 s of 7,200 s = 37.5 %.
 */
let server: TestServer;
let manager: { user: User; headers: { authorization: string } };
let eva: { user: User };
let finn: { user: User };
let team: Team;
const day = { from: '2026-05-05', to: '2026-05-05' };

const sqlOf = (text: string, values: unknown[] = []) => server.deps.database.query(text, values);

async function utilisation(query: Record<string, string>): Promise<MetricReport> {
  const search = new URLSearchParams({ metric: 'agent_utilisation', ...day, ...query });
  const response = await server.app.inject({
    method: 'GET',
    url: `/api/v1/reports/metrics?${search}`,
    headers: manager.headers,
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<MetricReport>();
}

beforeAll(async () => {
  server = await startTestServer({ isolated: true });
  manager = await bearerFor(server, 'manager');
  eva = await bearerFor(server, 'agent');
  finn = await bearerFor(server, 'agent');
  team = (
    await server.app.inject({
      method: 'POST',
      url: '/api/v1/teams',
      headers: manager.headers,
      payload: { name: `U ${uniq()}` },
    })
  ).json<Team>();
  for (const agent of [eva, finn]) {
    await sqlOf(`insert into team_memberships (team_id, user_id) values ($1, $2)`, [team.id, agent.user.id]);
  }
  await sqlOf(
    `insert into agent_presence_intervals (user_id, presence, started_at, ended_at)
     values ($1, 'online', '2026-05-05T08:00:00Z', '2026-05-05T10:00:00Z')`,
    [eva.user.id],
  );
  // The stretch is reported before the work arrives (segments come in up to a day late).
  await settleReports(server.deps);
  const [contact] = (await sqlOf(`insert into contacts (name) values ('Utilisation') returning id`)).rows;
  const [ticket] = (
    await sqlOf(
      `insert into tickets (subject, status_key, status_category, channel, requester_id, created_at)
       values ('Worked', 'open', 'open', 'email', $1, '2026-05-05T07:00:00Z') returning id`,
      [contact!.id],
    )
  ).rows;
  for (const [agent, start, end] of [
    [eva, '08:30', '09:00'],
    [eva, '09:45', '10:15'],
    [eva, '11:00', '14:00'],
    [finn, '09:00', '10:00'],
  ] as const) {
    const seconds = (Date.parse(`2026-05-05T${end}:00Z`) - Date.parse(`2026-05-05T${start}:00Z`)) / 1000;
    await sqlOf(
      `insert into ticket_work_sessions (ticket_id, agent_id, started_at, ended_at, seconds)
       values ($1, $2, $3, $4, $5)`,
      [ticket!.id, agent.user.id, `2026-05-05T${start}:00Z`, `2026-05-05T${end}:00Z`, seconds],
    );
  }
  await settleReports(server.deps);
});
afterAll(async () => {
  await server?.close();
});

describe('agent utilisation', () => {
  it('counts only work within logged-in time, so work while offline cannot push it past 100 %', async () => {
    const byAgent = await utilisation({ groupBy: 'agent' });
    expect(byAgent.series.find((s) => s.key === eva.user.id)?.total.value).toBe(37.5);
    // Finn worked but was never logged in: no utilisation of his own, and none of his work in the team's.
    expect(byAgent.series.find((s) => s.key === finn.user.id)?.total.value ?? null).toBeNull();
    expect((await utilisation({ filter: `team:${team.id}` })).total.value).toBe(37.5);
    expect((await utilisation({})).total.value).toBe(37.5);
  });

  it('recounts the stretch when a visit in it grows later', async () => {
    // Another 30 minutes that follow the first visit extend it (as the worklog does).
    await sqlOf(
      `update ticket_work_sessions set ended_at = '2026-05-05T09:30:00Z', seconds = 3600
        where agent_id = $1 and started_at = '2026-05-05T08:30:00Z'`,
      [eva.user.id],
    );
    await settleReports(server.deps);
    const byAgent = await utilisation({ groupBy: 'agent', grain: 'day' });
    // (3,600 + 900) ÷ 7,200
    expect(byAgent.series.find((s) => s.key === eva.user.id)?.points.map((p) => p.value)).toEqual([62.5]);
  });
});
