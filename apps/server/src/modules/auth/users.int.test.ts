import type { Problem, Role, RoleList, User, UserPage } from '@keepdesk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeToken, makeUser, signIn, startTestServer, type TestServer } from '../../../test/harness';

let server: TestServer;
let admin: { authorization: string };
beforeAll(async () => {
  server = await startTestServer();
  admin = { authorization: `Bearer ${await makeToken(server, await makeUser(server, { role: 'admin' }))}` };
});
afterAll(async () => {
  await server?.close();
});

async function auditRows(entityId: string) {
  const { rows } = await server.deps.database.query(
    'select action, data, actor_kind from audit_log where entity_id = $1 order by id',
    [entityId],
  );
  return rows;
}

describe('users', () => {
  it('creates a user with an audit row and refuses a second user with the same e-mail in any case', async () => {
    const email = `new-${Date.now()}@test.keepdesk.test`;
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: admin,
      payload: {
        email,
        name: 'Nora New',
        role: 'agent',
        language: 'de',
        timeZone: 'Europe/Vienna',
        password: 'long enough pw',
      },
    });
    expect(res.statusCode).toBe(201);
    const user = res.json<User>();
    expect(user).toMatchObject({
      email,
      language: 'de',
      timeZone: 'Europe/Vienna',
      role: 'agent',
      isActive: true,
    });
    expect(await auditRows(user.id)).toEqual([
      expect.objectContaining({ action: 'user.created', actor_kind: 'token' }),
    ]);
    const again = await server.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: admin,
      payload: { email: email.toUpperCase(), name: 'Twin', role: 'agent' },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json<Problem>().errors?.[0]?.field).toBe('email');
  });

  it('rejects an unknown role, a bad time zone and a short password with the field named', async () => {
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: admin,
      payload: {
        email: 'x@test.keepdesk.test',
        name: 'X',
        role: 'agent',
        timeZone: 'Mars/Olympus',
        password: 'short',
      },
    });
    expect(res.statusCode).toBe(400);
    expect(
      res
        .json<Problem>()
        .errors?.map((e) => e.field)
        .sort(),
    ).toEqual(['password', 'timeZone']);
    const role = await server.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: admin,
      payload: { email: 'y@test.keepdesk.test', name: 'Y', role: 'wizard' },
    });
    expect(role.statusCode).toBe(400);
    expect(role.json<Problem>().errors?.[0]?.field).toBe('role');
  });

  it('pages through users by name with a keyset cursor, never repeating one', async () => {
    const tag = `Pager${Date.now()}`;
    for (const n of ['A', 'B', 'C', 'D', 'E']) await makeUser(server, { name: `${tag} ${n}` });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `?q=${tag}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page: UserPage = (
        await server.app.inject({ method: 'GET', url: `/api/v1/users${query}`, headers: admin })
      ).json();
      seen.push(...page.items.map((u) => u.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['A', 'B', 'C', 'D', 'E'].map((n) => `${tag} ${n}`));
    const bad = await server.app.inject({
      method: 'GET',
      url: '/api/v1/users?cursor=garbage',
      headers: admin,
    });
    expect(bad.statusCode).toBe(400);
  });

  it('records each changed field from → to and lets only users:manage change users', async () => {
    const user = await makeUser(server);
    const res = await server.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${user.id}`,
      headers: admin,
      payload: { role: 'team_lead', name: user.name },
    });
    expect(res.json<User>().role).toBe('team_lead');
    const rows = await auditRows(user.id);
    expect(rows.at(-1)).toMatchObject({
      action: 'user.updated',
      data: { roleKey: { from: 'agent', to: 'team_lead' } },
    });
    const agent = await signIn(server, await makeUser(server));
    const denied = await server.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${user.id}`,
      headers: agent.headers,
      payload: { role: 'admin' },
    });
    expect(denied.statusCode).toBe(403);
  });
});

describe('roles', () => {
  it('lists the built-in roles with their permissions as data', async () => {
    const list = (
      await server.app.inject({ method: 'GET', url: '/api/v1/roles', headers: admin })
    ).json<RoleList>();
    expect(list.items.map((r) => r.key)).toEqual(
      expect.arrayContaining([
        'admin',
        'manager',
        'team_lead',
        'agent',
        'retention_specialist',
        'collaborator',
      ]),
    );
    expect(list.items.find((r) => r.key === 'collaborator')?.permissions).toEqual([
      'customers:read',
      'kb:read',
      'teams:read',
      'tickets:read',
    ]);
    expect(list.items.find((r) => r.key === 'admin')?.permissions).toEqual([...list.permissions].sort());
  });

  it('applies a changed permission set on the next request and keeps the admin role read-only', async () => {
    const key = `auditor_${Date.now().toString(36)}`;
    const created = await server.app.inject({
      method: 'POST',
      url: '/api/v1/roles',
      headers: admin,
      payload: { key, name: 'Auditor', permissions: ['teams:read'] },
    });
    expect(created.statusCode).toBe(201);
    const token = await makeToken(server, await makeUser(server, { role: key }));
    const asAuditor = { authorization: `Bearer ${token}` };
    expect(
      (await server.app.inject({ method: 'GET', url: '/api/v1/users', headers: asAuditor })).statusCode,
    ).toBe(403);
    const updated = await server.app.inject({
      method: 'PATCH',
      url: `/api/v1/roles/${key}`,
      headers: admin,
      payload: { permissions: ['teams:read', 'users:read'] },
    });
    expect(updated.json<Role>().permissions).toEqual(['teams:read', 'users:read']);
    expect(
      (await server.app.inject({ method: 'GET', url: '/api/v1/users', headers: asAuditor })).statusCode,
    ).toBe(200);
    const adminRole = await server.app.inject({
      method: 'PATCH',
      url: '/api/v1/roles/admin',
      headers: admin,
      payload: { permissions: [] },
    });
    expect(adminRole.statusCode).toBe(409);
    expect(adminRole.json<Problem>().code).toBe('ROLE_READ_ONLY');
  });
});
