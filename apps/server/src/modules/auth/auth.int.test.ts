import type { Me, Problem } from '@keepdesk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  makeToken,
  makeUser,
  signIn,
  startTestServer,
  TEST_PASSWORD,
  type TestServer,
} from '../../../test/harness';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

const login = (email: string, password: string) =>
  server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });

describe('login', () => {
  it('signs in with the right password and sets an HTTP-only, SameSite=Lax session cookie', async () => {
    const user = await makeUser(server);
    const res = await login(user.email.toUpperCase(), TEST_PASSWORD);
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'kd_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Lax');
    expect(cookie?.secure).toBeFalsy();
    const me = res.json<Me>();
    expect(me.user.email).toBe(user.email);
    expect(me.permissions).toContain('users:read');
    expect(me.csrfToken).toMatch(/^kds_/);
  });

  it('answers wrong password, unknown user and deactivated user with the same generic 401', async () => {
    const user = await makeUser(server);
    const inactive = await makeUser(server);
    const admin = await signIn(server, await makeUser(server, { role: 'admin' }));
    await server.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${inactive.id}`,
      headers: admin.headers,
      payload: { isActive: false },
    });
    const answers = [
      await login(user.email, 'wrong password!'),
      await login('nobody-here@test.keepdesk.test', TEST_PASSWORD),
      await login(inactive.email, TEST_PASSWORD),
    ];
    for (const res of answers) {
      expect(res.statusCode).toBe(401);
      const problem = res.json<Problem>();
      expect(problem.code).toBe('INVALID_CREDENTIALS');
      expect(problem.detail).toBe('e-mail or password is wrong');
    }
  });

  it('locks an address after five failures with 429 and Retry-After, even for the right password', async () => {
    const user = await makeUser(server);
    for (let i = 0; i < 5; i++) expect((await login(user.email, `wrong-${i}-password`)).statusCode).toBe(401);
    const locked = await login(user.email, TEST_PASSWORD);
    expect(locked.statusCode).toBe(429);
    expect(locked.json<Problem>().code).toBe('LOGIN_LOCKED');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('locks unknown addresses the same way, revealing nothing', async () => {
    const email = `ghost-${Date.now()}@test.keepdesk.test`;
    for (let i = 0; i < 5; i++) await login(email, 'whatever-password');
    expect((await login(email, 'whatever-password')).statusCode).toBe(429);
  });
});

describe('sessions and CSRF', () => {
  it('serves /me with the cookie and ends the session on logout', async () => {
    const session = await signIn(server, await makeUser(server));
    const me = await server.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { cookie: session.headers.cookie },
    });
    expect(me.statusCode).toBe(200);
    const out = await server.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: session.headers,
    });
    expect(out.statusCode).toBe(204);
    const after = await server.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { cookie: session.headers.cookie },
    });
    expect(after.statusCode).toBe(401);
  });

  it('refuses a cookie-authenticated write without the CSRF header', async () => {
    const session = await signIn(server, await makeUser(server));
    const res = await server.app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: { cookie: session.headers.cookie },
      payload: { language: 'de' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json<Problem>().code).toBe('CSRF_FAILED');
    const ok = await server.app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: session.headers,
      payload: { language: 'de' },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json<Me>().user.language).toBe('de');
  });
});

describe('API tokens', () => {
  it('authenticates a bearer token without CSRF and stops after revocation', async () => {
    const user = await makeUser(server);
    const token = await makeToken(server, user);
    const auth = { authorization: `Bearer ${token}` };
    const me = await server.app.inject({ method: 'GET', url: '/api/v1/me', headers: auth });
    expect(me.statusCode).toBe(200);
    expect(me.json<Me>().user.id).toBe(user.id);
    const list = await server.app.inject({ method: 'GET', url: '/api/v1/tokens', headers: auth });
    const [listed] = list.json<{ items: { id: string; prefix: string }[] }>().items;
    expect(token.startsWith(listed!.prefix)).toBe(true);
    const revoke = await server.app.inject({
      method: 'DELETE',
      url: `/api/v1/tokens/${listed!.id}`,
      headers: auth,
    });
    expect(revoke.statusCode).toBe(204);
    expect((await server.app.inject({ method: 'GET', url: '/api/v1/me', headers: auth })).statusCode).toBe(
      401,
    );
  });

  it('creates a token through the API and shows the plaintext only in the creation answer', async () => {
    const session = await signIn(server, await makeUser(server));
    const created = await server.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: session.headers,
      payload: { name: 'CI export' },
    });
    expect(created.statusCode).toBe(201);
    const { token } = created.json<{ token: string }>();
    const list = await server.app.inject({ method: 'GET', url: '/api/v1/tokens', headers: session.headers });
    expect(list.body).not.toContain(token);
    const me = await server.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(me.statusCode).toBe(200);
  });
});

describe('errors as problem+json', () => {
  it('answers an invalid body with 400 naming the field', async () => {
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'not-an-email', password: 'x' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const problem = res.json<Problem>();
    expect(problem.code).toBe('VALIDATION_FAILED');
    expect(problem.errors?.map((e) => e.field)).toEqual(['email']);
    expect(problem.requestId).toBe(res.headers['x-request-id']);
  });

  it('answers an unknown route with 404, no authentication with 401 and a missing permission with 403', async () => {
    const notFound = await server.app.inject({ method: 'GET', url: '/api/v1/no-such-thing' });
    expect(notFound.statusCode).toBe(404);
    expect(notFound.json<Problem>().code).toBe('ROUTE_NOT_FOUND');
    expect((await server.app.inject({ method: 'GET', url: '/api/v1/users' })).statusCode).toBe(401);
    const collaborator = await makeUser(server, { role: 'collaborator' });
    const token = await makeToken(server, collaborator);
    const forbidden = await server.app.inject({
      method: 'POST',
      url: '/api/v1/teams',
      headers: { authorization: `Bearer ${token}` },
      payload: { name: 'Nope' },
    });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json<Problem>().code).toBe('FORBIDDEN');
  });

  it('answers an oversized body with 413', async () => {
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'a@b.de', password: 'x'.repeat(2 * 1024 * 1024) },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json<Problem>().code).toBe('PAYLOAD_TOO_LARGE');
  });
});
