import type { Problem, WorkSession } from '@keepdesk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, eventually, startTestServer, type TestServer } from '../../../test/harness';

let server: TestServer;
let agent: Awaited<ReturnType<typeof bearerFor>>;
let ticketId: string;

const work = (body: object, who = agent, id = ticketId) =>
  server.app.inject({
    method: 'POST',
    url: `/api/v1/tickets/${id}/work`,
    headers: who.headers,
    payload: body,
  });

beforeAll(async () => {
  server = await startTestServer();
  agent = await bearerFor(server, 'agent');
  const [contact] = (
    await server.deps.database.query(`insert into contacts (name) values ('Work') returning id`)
  ).rows;
  const [row] = (
    await server.deps.database.query(
      `insert into tickets (subject, status_key, status_category, channel, requester_id)
       values ('Worked', 'open', 'open', 'email', $1) returning id`,
      [contact!.id],
    )
  ).rows;
  ticketId = String(row!.id);
});
afterAll(async () => {
  await server?.close();
});

describe('work time from the agent workspace', () => {
  it('adds segments that follow each other to one visit and counts a segment sent twice once', async () => {
    const first = await work({ startedAt: '2026-05-04T08:00:00Z', seconds: 30 });
    expect(first.statusCode, first.body).toBe(200);
    const again = await work({ startedAt: '2026-05-04T08:00:00Z', seconds: 30 });
    const next = await work({ startedAt: '2026-05-04T08:00:30Z', seconds: 25 });
    expect(again.json<WorkSession>().seconds).toBe(30);
    expect(next.json<WorkSession>()).toMatchObject({
      id: first.json<WorkSession>().id,
      agentId: agent.user.id,
      ticketId,
      startedAt: '2026-05-04T08:00:00.000Z',
      endedAt: '2026-05-04T08:00:55.000Z',
      seconds: 55,
    });
    // After a pause of more than two minutes, a new visit.
    const later = await work({ startedAt: '2026-05-04T09:00:00Z', seconds: 10 });
    expect(later.json<WorkSession>().id).not.toBe(first.json<WorkSession>().id);
    const rows = await server.deps.database.query(
      `select seconds from ticket_work_sessions where ticket_id = $1 order by started_at`,
      [ticketId],
    );
    expect(rows.rows.map((r) => r.seconds)).toEqual([55, 10]);
    // The reporting worker counts the session on its own and in its ticket.
    const counted = await eventually(
      async () =>
        (
          await server.deps.database.query(`select subject from report_facts where id = $1 or id = $2`, [
            ticketId,
            later.json<WorkSession>().id,
          ])
        ).rows.map((r) => r.subject),
      (subjects) => subjects.length === 2,
    );
    expect(counted.sort()).toEqual(['ticket', 'work']);
  });

  it('refuses bad segments naming the field, unknown tickets, and people who cannot work tickets', async () => {
    const field = async (body: object) => {
      const response = await work(body);
      expect(response.statusCode, response.body).toBe(400);
      return response.json<Problem>().errors?.[0]?.field;
    };
    expect(await field({ startedAt: '2026-05-04T08:00:00Z', seconds: 0 })).toBe('seconds');
    expect(await field({ startedAt: '2026-05-04T08:00:00Z', seconds: 3601 })).toBe('seconds');
    expect(await field({ startedAt: '2026-05-04T08:00:00Z', seconds: 1.5 })).toBe('seconds');
    expect(await field({ startedAt: 'yesterday', seconds: 10 })).toBe('startedAt');
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect(await field({ startedAt: future, seconds: 10 })).toBe('startedAt');
    const missing = await work(
      { startedAt: '2026-05-04T08:00:00Z', seconds: 10 },
      agent,
      '00000000-0000-4000-8000-000000000000',
    );
    expect(missing.statusCode).toBe(404);
    const reader = await bearerFor(server, 'collaborator');
    expect((await work({ startedAt: '2026-05-04T08:00:00Z', seconds: 10 }, reader)).statusCode).toBe(403);
  });
});
