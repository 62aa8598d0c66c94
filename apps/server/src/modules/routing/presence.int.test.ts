import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, eventually, startTestServer, type TestServer } from '../../../test/harness';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

describe('presence history', () => {
  it('keeps a stretch per presence, closed by the next change, none while offline', async () => {
    const agent = await bearerFor(server, 'agent');
    const realNow = server.deps.now;
    const put = async (presence: string, at: string) => {
      server.deps.now = () => new Date(at);
      const response = await server.app.inject({
        method: 'PUT',
        url: '/api/v1/me/presence',
        headers: agent.headers,
        payload: { presence },
      });
      expect(response.statusCode, response.body).toBe(200);
    };
    try {
      await put('online', '2026-05-04T08:00:00Z');
      await put('online', '2026-05-04T08:30:00Z'); // no change: the stretch goes on
      await put('away', '2026-05-04T10:00:00Z');
      await put('offline', '2026-05-04T10:15:00Z');
      await put('online', '2026-05-04T11:00:00Z');
    } finally {
      server.deps.now = realNow;
    }
    const rows = await server.deps.database.query(
      `select presence, started_at, ended_at from agent_presence_intervals where user_id = $1 order by started_at`,
      [agent.user.id],
    );
    expect(
      rows.rows.map((r) => [
        r.presence,
        new Date(String(r.started_at)).toISOString(),
        r.ended_at ? new Date(String(r.ended_at)).toISOString() : null,
      ]),
    ).toEqual([
      ['online', '2026-05-04T08:00:00.000Z', '2026-05-04T10:00:00.000Z'],
      ['away', '2026-05-04T10:00:00.000Z', '2026-05-04T10:15:00.000Z'],
      ['online', '2026-05-04T11:00:00.000Z', null],
    ]);
    // The reporting worker counts each stretch.
    const counted = await eventually(
      async () =>
        (
          await server.deps.database.query(
            `select count(*)::int as n from report_facts f join agent_presence_intervals p on p.id = f.id
              where f.subject = 'presence' and p.user_id = $1`,
            [agent.user.id],
          )
        ).rows[0]!.n,
      (n) => n === 3,
    );
    expect(counted).toBe(3);
  });
});
