import type { Me } from '@keepdesk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeToken, makeUser, startTestServer, TEST_DB, type TestServer } from '../../../test/harness';

let server: TestServer;
let admin: { authorization: string };
beforeAll(async () => {
  server = await startTestServer();
  admin = { authorization: `Bearer ${await makeToken(server, await makeUser(server, { role: 'admin' }))}` };
});
afterAll(async () => {
  await server?.close();
});

const me = (target: TestServer, authorization: string) =>
  target.app.inject({ url: '/api/v1/me', headers: { authorization } });

describe('token authentication cache', () => {
  it('serves a busy token from memory and sees changes made through Keepdesk at once', async () => {
    const user = await makeUser(server, { name: 'Before' });
    const authorization = `Bearer ${await makeToken(server, user)}`;
    expect((await me(server, authorization)).json<Me>().user.name).toBe('Before');

    // Written behind Keepdesk's back: the cached profile is still served.
    await server.deps.database.query('update users set name = $1 where id = $2', ['Behind', user.id]);
    expect((await me(server, authorization)).json<Me>().user.name).toBe('Before');

    const renamed = await server.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${user.id}`,
      headers: admin,
      payload: { name: 'After' },
    });
    expect(renamed.statusCode).toBe(200);
    expect((await me(server, authorization)).json<Me>().user.name).toBe('After');

    const deactivated = await server.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${user.id}`,
      headers: admin,
      payload: { isActive: false },
    });
    expect(deactivated.statusCode).toBe(200);
    expect((await me(server, authorization)).statusCode).toBe(401);
  });

  it('applies a changed role on the next request of a cached token', async () => {
    const key = `cache_${Date.now().toString(36)}`;
    const created = await server.app.inject({
      method: 'POST',
      url: '/api/v1/roles',
      headers: admin,
      payload: { key, name: 'Cache test', permissions: ['users:read'] },
    });
    expect(created.statusCode).toBe(201);
    const user = await makeUser(server, { role: key });
    const authorization = `Bearer ${await makeToken(server, user)}`;
    expect((await server.app.inject({ url: '/api/v1/users', headers: { authorization } })).statusCode).toBe(
      200,
    );

    await server.app.inject({
      method: 'PATCH',
      url: `/api/v1/roles/${key}`,
      headers: admin,
      payload: { permissions: [] },
    });
    expect((await server.app.inject({ url: '/api/v1/users', headers: { authorization } })).statusCode).toBe(
      403,
    );
  });

  it.skipIf(TEST_DB !== 'postgres')(
    'stops a token in every process once one of them revokes it',
    async () => {
      const other = await startTestServer({ secondProcess: true });
      try {
        const user = await makeUser(server);
        const authorization = `Bearer ${await makeToken(server, user)}`;
        expect((await me(other, authorization)).statusCode).toBe(200);
        expect((await me(server, authorization)).statusCode).toBe(200);

        const tokens = await server.app.inject({ url: '/api/v1/tokens', headers: { authorization } });
        const [token] = tokens.json<{ items: { id: string }[] }>().items;
        const revoked = await server.app.inject({
          method: 'DELETE',
          url: `/api/v1/tokens/${token!.id}`,
          headers: { authorization },
        });
        expect(revoked.statusCode).toBe(204);
        expect((await me(server, authorization)).statusCode).toBe(401);

        const deadline = Date.now() + 3_000;
        let status = 200;
        while (status !== 401 && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 25));
          status = (await me(other, authorization)).statusCode;
        }
        expect(status).toBe(401);
      } finally {
        await other.close();
      }
    },
  );
});
