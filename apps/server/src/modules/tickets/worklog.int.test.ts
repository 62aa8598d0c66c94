import type { Problem, WorkSession } from '@keepdesk/contract';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bearerFor, eventually, startTestServer, type TestServer } from '../../../test/harness';

let server: TestServer;
let agent: Awaited<ReturnType<typeof bearerFor>>;
let ticketId: string;
let realNow: () => Date;

/** The server's clock in these tests: segments may be at most 24 hours old. */
const NOW = '2026-05-04T12:00:00Z';

const work = (body: object, who = agent, id = ticketId) =>
  server.app.inject({
    method: 'POST',
    url: `/api/v1/tickets/${id}/work`,
    headers: who.headers,
    payload: body,
  });

async function makeTicket(fields: { status?: string; category?: string; createdAt?: string } = {}) {
  const [contact] = (
    await server.deps.database.query(`insert into contacts (name) values ('Work') returning id`)
  ).rows;
  const [row] = (
    await server.deps.database.query(
      `insert into tickets (subject, status_key, status_category, channel, requester_id, created_at)
       values ('Worked', $1, $2, 'email', $3, $4) returning id`,
      [
        fields.status ?? 'open',
        fields.category ?? 'open',
        contact!.id,
        fields.createdAt ?? '2026-05-03T06:00:00Z',
      ],
    )
  ).rows;
  return String(row!.id);
}

const visits = async (agentId: string) =>
  (
    await server.deps.database.query(
      `select ticket_id, started_at, ended_at, seconds from ticket_work_sessions where agent_id = $1
        order by started_at`,
      [agentId],
    )
  ).rows.map((r) => ({
    ticketId: String(r.ticket_id),
    startedAt: new Date(String(r.started_at)).toISOString(),
    endedAt: new Date(String(r.ended_at)).toISOString(),
    seconds: Number(r.seconds),
  }));

beforeAll(async () => {
  server = await startTestServer();
  realNow = server.deps.now;
  ticketId = await makeTicket();
});
beforeEach(async () => {
  agent = await bearerFor(server, 'agent');
  server.deps.now = () => new Date(NOW);
});
afterAll(async () => {
  if (server) server.deps.now = realNow;
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
    expect((await visits(agent.user.id)).map((v) => v.seconds)).toEqual([55, 10]);
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

  it('counts an hour of real time once however often it is posted, shifted or not', async () => {
    for (const startedAt of ['07:00:00', '07:30:00', '07:45:00', '07:00:00', '07:59:59']) {
      const response = await work({ startedAt: `2026-05-04T${startedAt}Z`, seconds: 3600 });
      expect(response.statusCode, response.body).toBe(200);
    }
    // 07:00 until 08:59:59 is covered, nothing more: one visit of 7,199 seconds.
    expect(await visits(agent.user.id)).toEqual([
      {
        ticketId,
        startedAt: '2026-05-04T07:00:00.000Z',
        endedAt: '2026-05-04T08:59:59.000Z',
        seconds: 7199,
      },
    ]);
  });

  it('clips a segment on another ticket to the time not yet recorded (two tabs side by side)', async () => {
    const other = await makeTicket();
    expect((await work({ startedAt: '2026-05-04T10:00:00Z', seconds: 600 })).statusCode).toBe(200);
    const clipped = await work({ startedAt: '2026-05-04T10:05:00Z', seconds: 600 }, agent, other);
    expect(clipped.statusCode, clipped.body).toBe(200);
    expect(clipped.json<WorkSession>()).toMatchObject({
      ticketId: other,
      startedAt: '2026-05-04T10:10:00.000Z',
      endedAt: '2026-05-04T10:15:00.000Z',
      seconds: 300,
    });
    // Wholly covered: nothing is added, the answer is the visit that holds the time.
    const covered = await work({ startedAt: '2026-05-04T10:01:00Z', seconds: 60 }, agent, other);
    expect(covered.statusCode, covered.body).toBe(200);
    expect((await visits(agent.user.id)).map((v) => [v.ticketId, v.seconds])).toEqual([
      [ticketId, 600],
      [other, 300],
    ]);
    // Another agent's time is their own.
    const colleague = await bearerFor(server, 'agent');
    expect((await work({ startedAt: '2026-05-04T10:05:00Z', seconds: 600 }, colleague)).statusCode).toBe(200);
    expect((await visits(colleague.user.id)).map((v) => v.seconds)).toEqual([600]);
  });

  it('adds the first segment of two tabs sent at the same moment once', async () => {
    const tabs = await Promise.all(
      [0, 1, 2].map(() => work({ startedAt: '2026-05-04T11:00:00Z', seconds: 30 })),
    );
    for (const tab of tabs) expect(tab.statusCode, tab.body).toBe(200);
    expect((await visits(agent.user.id)).map((v) => v.seconds)).toEqual([30]);
  });

  it('refuses bad segments naming the field, unknown tickets, and people who cannot work tickets', async () => {
    const field = async (body: object, id = ticketId) => {
      const response = await work(body, agent, id);
      expect(response.statusCode, response.body).toBe(400);
      return response.json<Problem>().errors?.[0]?.field;
    };
    expect(await field({ startedAt: '2026-05-04T08:00:00Z', seconds: 0 })).toBe('seconds');
    expect(await field({ startedAt: '2026-05-04T08:00:00Z', seconds: 3601 })).toBe('seconds');
    expect(await field({ startedAt: '2026-05-04T08:00:00Z', seconds: 1.5 })).toBe('seconds');
    expect(await field({ startedAt: 'yesterday', seconds: 10 })).toBe('startedAt');
    expect(await field({ startedAt: '2026-05-04T13:30:00Z', seconds: 10 })).toBe('startedAt'); // future
    expect(await field({ startedAt: '2026-05-03T11:59:00Z', seconds: 10 })).toBe('startedAt'); // > 24 h ago
    expect(await field({ startedAt: '0000-01-01T00:00:00Z', seconds: 10 })).toBe('startedAt');
    expect(await field({ startedAt: '2020-05-04T08:00:00Z', seconds: 10 })).toBe('startedAt');
    const young = await makeTicket({ createdAt: '2026-05-04T11:00:00Z' });
    expect(await field({ startedAt: '2026-05-04T10:00:00Z', seconds: 10 }, young)).toBe('startedAt');
    expect(await visits(agent.user.id)).toEqual([]);
    const missing = await work(
      { startedAt: '2026-05-04T08:00:00Z', seconds: 10 },
      agent,
      '00000000-0000-4000-8000-000000000000',
    );
    expect(missing.statusCode).toBe(404);
    const reader = await bearerFor(server, 'collaborator');
    expect((await work({ startedAt: '2026-05-04T08:00:00Z', seconds: 10 }, reader)).statusCode).toBe(403);
  });

  it('books work on a merged ticket on the ticket it survives in, and says where it went', async () => {
    const survivor = await makeTicket();
    const middle = await makeTicket({ status: 'closed', category: 'closed' });
    const merged = await makeTicket({ status: 'closed', category: 'closed' });
    // The case was merged into a ticket that was merged again later.
    await server.deps.database.query(`update tickets set merged_into_id = $2 where id = $1`, [
      merged,
      middle,
    ]);
    await server.deps.database.query(`update tickets set merged_into_id = $2 where id = $1`, [
      middle,
      survivor,
    ]);
    const [{ number }] = (
      await server.deps.database.query(`select number from tickets where id = $1`, [survivor])
    ).rows as [{ number: string }];
    const booked = await work({ startedAt: '2026-05-04T08:00:00Z', seconds: 10 }, agent, merged);
    expect(booked.statusCode, booked.body).toBe(200);
    expect(booked.json<WorkSession>()).toMatchObject({
      ticketId: survivor,
      seconds: 10,
      mergedInto: { id: survivor, number: Number(number) },
    });
    // The next segment extends the same visit on the survivor; nothing lands on the merged tickets.
    const next = await work({ startedAt: '2026-05-04T08:00:10Z', seconds: 20 }, agent, merged);
    expect(next.json<WorkSession>()).toMatchObject({ id: booked.json<WorkSession>().id, seconds: 30 });
    expect(await visits(agent.user.id)).toEqual([
      {
        ticketId: survivor,
        startedAt: '2026-05-04T08:00:00.000Z',
        endedAt: '2026-05-04T08:00:30.000Z',
        seconds: 30,
      },
    ]);
    // Work on the survivor itself carries no mergedInto.
    const direct = await work({ startedAt: '2026-05-04T08:00:30Z', seconds: 5 }, agent, survivor);
    expect(direct.json<WorkSession>().mergedInto).toBeUndefined();
    const solved = await makeTicket({ status: 'solved', category: 'solved' });
    const closed = await makeTicket({ status: 'closed', category: 'closed' });
    expect((await work({ startedAt: '2026-05-04T09:00:00Z', seconds: 10 }, agent, solved)).statusCode).toBe(
      200,
    );
    expect((await work({ startedAt: '2026-05-04T09:01:00Z', seconds: 10 }, agent, closed)).statusCode).toBe(
      200,
    );
  });
});
