import type { Problem } from '@keepdesk/contract';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeToken, makeUser, startTestServer, TEST_DB, type TestServer } from '../../test/harness';
import { startTcpProxy } from '../../test/tcp-proxy';
import { createServer } from '../server';
import { loadConfig } from './config';
import { openDatabase, rowsOf } from './db';

/** The database goes away while Keepdesk runs: /readyz and requests answer 503 until it is back. */
describe.runIf(TEST_DB === 'postgres')('database outage', () => {
  let seed: TestServer;
  let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
  let server: Awaited<ReturnType<typeof createServer>>;
  let token: string;

  beforeAll(async () => {
    seed = await startTestServer({ isolated: true });
    token = await makeToken(seed, await makeUser(seed));
    const url = new URL(seed.databaseUrl!);
    proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    url.host = `127.0.0.1:${proxy.port}`;
    const config = loadConfig({ logLevel: 'silent', databaseUrl: url.toString(), role: 'web' }, {});
    server = await createServer(config);
  });
  afterAll(async () => {
    await proxy?.restore().catch(() => {});
    await server?.stop();
    proxy?.close();
    await seed?.close();
  });

  it('answers 503 problems while the database is unreachable and recovers without a restart', async () => {
    // A list always reads the database (a token's principal may come from the authentication cache).
    const me = () =>
      server.app.inject({
        method: 'GET',
        url: '/api/v1/teams',
        headers: { authorization: `Bearer ${token}` },
      });
    expect((await me()).statusCode).toBe(200);
    expect((await server.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);

    await proxy.cut();
    const down = await me();
    expect(down.statusCode).toBe(503);
    expect(down.json<Problem>().code).toBe('DATABASE_UNAVAILABLE');
    const ready = await server.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json<{ checks: { database: string } }>().checks.database).toMatch(/^unreachable/);
    expect((await server.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);

    await proxy.restore();
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      status = (await me()).statusCode;
      if (status !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(200);
    expect((await server.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
  });

  it('runs its queries without JIT', async () => {
    const [row] = rowsOf(await server.deps.database.db.execute(sql`show jit`));
    expect(row?.jit).toBe('off');
  });

  it('fails fast with DATABASE_UNAVAILABLE when the database is unreachable at start', async () => {
    await expect(
      openDatabase({ kind: 'postgres', url: 'postgres://postgres@127.0.0.1:1/none' }),
    ).rejects.toMatchObject({
      code: 'DATABASE_UNAVAILABLE',
    });
  });
});
