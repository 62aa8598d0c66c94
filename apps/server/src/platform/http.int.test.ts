import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeToken, makeUser, startTestServer, type TestServer } from '../../test/harness';
import { securityHeaders } from './http';
import { createLogger } from './logging';

const logLines: Record<string, unknown>[] = [];
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim()) logLines.push(JSON.parse(line) as Record<string, unknown>);
    }
    done();
  },
});

let server: TestServer;
let authorization: string;
beforeAll(async () => {
  server = await startTestServer({ log: createLogger('info', sink) });
  authorization = `Bearer ${await makeToken(server, await makeUser(server, { role: 'agent' }))}`;
});
afterAll(async () => {
  await server?.close();
});

describe('operations endpoints', () => {
  it('answers /healthz and /readyz with the database and migrations checked', async () => {
    const health = await server.app.inject({ url: '/healthz' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toMatchObject({ status: 'ok' });

    const ready = await server.app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({
      status: 'ok',
      checks: { database: 'reachable', migrations: 'current' },
    });
  });

  it('counts requests by route in Prometheus text at /metrics', async () => {
    await server.app.inject({ url: '/api/v1/me', headers: { authorization } });
    const res = await server.app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toMatch(
      /keepdesk_http_requests_total\{method="GET",route="\/api\/v1\/me",status="200"\} [1-9]/,
    );
    expect(res.body).toContain('keepdesk_http_request_duration_seconds_bucket');
    expect(res.body).toContain('keepdesk_process_cpu_seconds_total');
  });
});

describe('security headers', () => {
  it('sends a strict Content-Security-Policy and the usual hardening headers', async () => {
    const res = await server.app.inject({ url: '/healthz' });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['strict-transport-security']).toBeUndefined();
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');

    const docs = await server.app.inject({ url: '/api/docs/' });
    expect(docs.headers['content-security-policy']).toBe(csp);
  });

  it('adds HSTS only when Keepdesk is served over HTTPS', () => {
    expect(securityHeaders({ baseUrl: 'https://desk.example.com' })['strict-transport-security']).toMatch(
      /^max-age=31536000/,
    );
    expect(securityHeaders({ baseUrl: 'http://127.0.0.1:3000' })).not.toHaveProperty(
      'strict-transport-security',
    );
  });
});

describe('API description', () => {
  it('serves an OpenAPI 3.1 document with every versioned route and the bearer scheme', async () => {
    const res = await server.app.inject({ url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json<{ openapi: string; paths: Record<string, unknown>; components: unknown }>();
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/me', '/api/v1/users', '/api/v1/teams', '/api/v1/tokens']),
    );
    expect(doc.components).toMatchObject({ securitySchemes: { bearer: { scheme: 'bearer' } } });
  });

  it('serves the browsable documentation at /api/docs without inline scripts', async () => {
    const page = await server.app.inject({ url: '/api/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toContain('swagger-ui');
    expect(page.body).not.toMatch(/<script>[^<]/);
    const script = page.body.match(/src="\.?\/?([^"]+\.js)"/)?.[1];
    expect(script).toBeDefined();
    const asset = await server.app.inject({ url: `/api/docs/${script}` });
    expect(asset.statusCode).toBe(200);
  });
});

describe('request ids', () => {
  it('writes one access-log line per request with the request id, which the answer carries too', async () => {
    const res = await server.app.inject({
      url: '/api/v1/me',
      headers: { authorization, 'x-request-id': 'trace-abc-123' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-request-id']).toBe('trace-abc-123');
    const lines = logLines.filter((line) => line.reqId === 'trace-abc-123');
    expect(lines).toEqual([
      expect.objectContaining({ msg: 'request completed', method: 'GET', url: '/api/v1/me', status: 200 }),
    ]);
    const anonymous = logLines.filter((line) => line.msg === 'request completed' && !line.reqId);
    expect(anonymous).toEqual([]);
    expect(JSON.stringify(lines)).not.toContain(authorization.slice(7));
  });

  it('makes a fresh id when the client sends none', async () => {
    const a = await server.app.inject({ url: '/healthz' });
    const b = await server.app.inject({ url: '/healthz' });
    expect(a.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
  });
});

describe('rate limits', () => {
  it('answers 429 with Retry-After once a client exceeds its limit, counting sign-ins apart', async () => {
    const limited = await startTestServer({ config: { rateLimitPerMinute: 3, authRateLimitPerMinute: 2 } });
    try {
      const first = await limited.app.inject({ url: '/healthz' });
      expect(first.headers['x-ratelimit-limit']).toBe('3');
      expect(first.headers['x-ratelimit-remaining']).toBe('2');
      await limited.app.inject({ url: '/healthz' });
      await limited.app.inject({ url: '/healthz' });
      const refused = await limited.app.inject({ url: '/healthz' });
      expect(refused.statusCode).toBe(429);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(refused.json()).toMatchObject({ code: 'TOO_MANY_REQUESTS', status: 429 });
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);

      const login = () =>
        limited.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { email: 'nobody@example.com', password: 'x' },
        });
      expect((await login()).statusCode).toBe(401);
      expect((await login()).statusCode).toBe(401);
      const third = await login();
      expect(third.statusCode).toBe(429);
      expect(third.headers['x-ratelimit-limit']).toBe('2');
    } finally {
      await limited.close();
    }
  });
});
