import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearerFor,
  eventually,
  makeUser,
  signIn,
  startTestServer,
  type TestServer,
} from '../../../test/harness';
import { sweepPresence } from './presence.service';

let server: TestServer;
let realNow: () => Date;

beforeAll(async () => {
  server = await startTestServer();
  realNow = server.deps.now;
});
afterAll(async () => {
  if (server) server.deps.now = realNow;
  await server?.close();
});

type Headers = Record<string, string>;

/** Sets the presence at `at` (the server's clock), or now. */
async function put(headers: Headers, presence: string, at?: string) {
  server.deps.now = at ? () => new Date(at) : realNow;
  try {
    const response = await server.app.inject({
      method: 'PUT',
      url: '/api/v1/me/presence',
      headers,
      payload: { presence },
    });
    expect(response.statusCode, response.body).toBe(200);
  } finally {
    server.deps.now = realNow;
  }
}

const iso = (value: unknown) => (value ? new Date(String(value)).toISOString() : null);

async function stretches(userId: string) {
  const rows = await server.deps.database.query(
    `select presence, started_at, ended_at from agent_presence_intervals where user_id = $1 order by started_at`,
    [userId],
  );
  return rows.rows.map((r) => [r.presence, iso(r.started_at), iso(r.ended_at)]);
}

async function presenceOf(userId: string) {
  const rows = await server.deps.database.query(`select presence from agent_routing where user_id = $1`, [
    userId,
  ]);
  return rows.rows[0]?.presence;
}

/** Runs the minute's sweep as if it were `at`. */
async function sweepAt(at: string) {
  server.deps.now = () => new Date(at);
  try {
    return await sweepPresence(server.deps);
  } finally {
    server.deps.now = realNow;
  }
}

describe('presence history', () => {
  it('keeps a stretch per presence, closed by the next change, none while offline; away counts as logged in', async () => {
    const agent = await bearerFor(server, 'agent');
    await put(agent.headers, 'online', '2026-05-04T08:00:00Z');
    await put(agent.headers, 'online', '2026-05-04T08:30:00Z'); // no change: the stretch goes on
    await put(agent.headers, 'away', '2026-05-04T10:00:00Z');
    await put(agent.headers, 'offline', '2026-05-04T10:15:00Z');
    await put(agent.headers, 'online'); // now, so that the open stretch began today
    const rows = await stretches(agent.user.id);
    expect(rows.slice(0, 2)).toEqual([
      ['online', '2026-05-04T08:00:00.000Z', '2026-05-04T10:00:00.000Z'],
      ['away', '2026-05-04T10:00:00.000Z', '2026-05-04T10:15:00.000Z'],
    ]);
    expect(rows[2]).toEqual(['online', expect.any(String), null]);
    // The reporting worker counts each stretch; online and away are both logged-in time.
    const seconds = await eventually(
      async () =>
        (
          await server.deps.database.query(
            `select p.presence, (select coalesce(sum((s->>'v')::int), 0) from jsonb_array_elements(f.report->'samples') s)::int as v
               from report_facts f join agent_presence_intervals p on p.id = f.id
              where f.subject = 'presence' and p.user_id = $1 and p.ended_at is not null order by p.started_at`,
            [agent.user.id],
          )
        ).rows.map((r) => [r.presence, r.v]),
      // A stretch counted while it was still open (up to now) is counted again once closed: wait for that.
      (counted) => counted.length === 2 && counted.every(([, v]) => Number(v) < 86_400),
    );
    expect(seconds).toEqual([
      ['online', 7200],
      ['away', 900],
    ]);
  });

  it('ends when the last session logs out, not before', async () => {
    const user = await makeUser(server, { role: 'agent' });
    const laptop = await signIn(server, user);
    const phone = await signIn(server, user);
    await put(laptop.headers, 'online');
    const logout = async (headers: Headers) => {
      const response = await server.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers });
      expect(response.statusCode, response.body).toBeLessThan(300);
    };
    await logout(phone.headers);
    expect(await presenceOf(user.id)).toBe('online');
    expect((await stretches(user.id))[0]?.[2]).toBeNull();
    await logout(laptop.headers);
    expect(await presenceOf(user.id)).toBe('offline');
    const rows = await stretches(user.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.[2]).not.toBeNull();
  });

  it('ends when the user is deactivated', async () => {
    const agent = await bearerFor(server, 'agent');
    const admin = await bearerFor(server, 'admin');
    await put(agent.headers, 'away');
    const response = await server.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${agent.user.id}`,
      headers: admin.headers,
      payload: { isActive: false },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(await presenceOf(agent.user.id)).toBe('offline');
    expect((await stretches(agent.user.id)).map((r) => r[2] !== null)).toEqual([true]);
  });

  it('ends at the expiry of the last session, noticed by the sweep; presence set by an API token stays', async () => {
    const user = await makeUser(server, { role: 'agent' });
    const session = await signIn(server, user);
    await put(session.headers, 'online', '2026-06-01T08:00:00Z');
    await server.deps.database.query(
      `update sessions set expires_at = '2026-06-01T09:30:00Z' where user_id = $1`,
      [user.id],
    );
    const byToken = await bearerFor(server, 'agent');
    await put(byToken.headers, 'online', '2026-06-01T08:00:00Z');
    await sweepAt('2026-06-01T09:00:00Z'); // the session still runs
    expect(await presenceOf(user.id)).toBe('online');
    await sweepAt('2026-06-01T09:31:00Z');
    expect(await presenceOf(user.id)).toBe('offline');
    expect(await stretches(user.id)).toEqual([
      ['online', '2026-06-01T08:00:00.000Z', '2026-06-01T09:30:00.000Z'],
    ]);
    expect(await presenceOf(byToken.user.id)).toBe('online');
    await put(byToken.headers, 'offline', '2026-06-01T10:00:00Z'); // no stretch left open for the real sweep
  });

  it('cuts an open stretch at each UTC midnight, so a long one is recounted a day at most', async () => {
    const agent = await bearerFor(server, 'agent');
    await put(agent.headers, 'online', '2026-07-01T22:00:00Z');
    await sweepAt('2026-07-01T23:59:00Z'); // still the first day: nothing to cut
    expect(await stretches(agent.user.id)).toHaveLength(1);
    await sweepAt('2026-07-04T10:00:00Z');
    await sweepAt('2026-07-04T10:01:00Z'); // cut once only
    expect(await stretches(agent.user.id)).toEqual([
      ['online', '2026-07-01T22:00:00.000Z', '2026-07-02T00:00:00.000Z'],
      ['online', '2026-07-02T00:00:00.000Z', '2026-07-03T00:00:00.000Z'],
      ['online', '2026-07-03T00:00:00.000Z', '2026-07-04T00:00:00.000Z'],
      ['online', '2026-07-04T00:00:00.000Z', null],
    ]);
    // The next change ends the day's stretch as before.
    await put(agent.headers, 'away', '2026-07-04T12:00:00Z');
    expect((await stretches(agent.user.id)).slice(-2)).toEqual([
      ['online', '2026-07-04T00:00:00.000Z', '2026-07-04T12:00:00.000Z'],
      ['away', '2026-07-04T12:00:00.000Z', null],
    ]);
    await put(agent.headers, 'offline', '2026-07-04T12:30:00Z');
  });
});
