import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BuiltInRoleKey, Me, User } from '@keepdesk/contract';
import { inject } from 'vitest';
import { createApiToken, createUser } from '../src/modules/auth';
import { type ConfigOverrides, loadConfig } from '../src/platform/config';
import { type DatabaseHandle, openDatabase } from '../src/platform/db';
import { SYSTEM_ACTOR } from '../src/platform/events';
import type { Logger } from '../src/platform/logging';
import { createServer, type Server } from '../src/server';
import { createDatabase, dropDatabase } from './postgres';

export type TestDbKind = 'pglite' | 'postgres';
export const TEST_DB: TestDbKind = process.env.KEEPDESK_TEST_DB === 'postgres' ? 'postgres' : 'pglite';

let shared: Promise<DatabaseHandle> | undefined;
/** Files written by tests (attachments) go to a temporary directory, never into the checkout. */
const dataDir = mkdtempSync(path.join(tmpdir(), 'keepdesk-test-'));

/** One database per test worker, shared by its files; tests keep apart by making their own data. */
function sharedDatabase(): Promise<DatabaseHandle> {
  shared ??= openDatabase(
    TEST_DB === 'postgres'
      ? { kind: 'postgres', url: inject('postgresUrl') }
      : { kind: 'pglite', dataDir: 'memory://' },
  );
  return shared;
}

export interface TestServer extends Server {
  databaseUrl?: string;
  close(): Promise<void>;
}

/**
 * A server on the shared test database, or on a database of its own (`isolated`) for tests whose jobs
 * must not be picked up by another file's server (e-mail delivery, for instance).
 */
export async function startTestServer(
  options: {
    isolated?: boolean;
    /** PostgreSQL only: the shared database through a connection pool of its own, like a second process. */
    secondProcess?: boolean;
    config?: ConfigOverrides;
    log?: Logger;
  } = {},
): Promise<TestServer> {
  let database: DatabaseHandle;
  let databaseUrl: string | undefined;
  const ownsHandle = Boolean(options.isolated || options.secondProcess);
  if (options.secondProcess) {
    if (TEST_DB !== 'postgres') throw new Error('a second process needs PostgreSQL');
    database = await openDatabase({ kind: 'postgres', url: inject('postgresUrl') });
  } else if (options.isolated) {
    databaseUrl = TEST_DB === 'postgres' ? await createDatabase('keepdesk_test_iso') : undefined;
    database = await openDatabase(
      databaseUrl ? { kind: 'postgres', url: databaseUrl } : { kind: 'pglite', dataDir: 'memory://' },
    );
  } else {
    database = await sharedDatabase();
  }
  const config = loadConfig(
    { logLevel: 'silent', port: 0, authRateLimitPerMinute: 10_000, dataDir, ...options.config },
    {},
  );
  const server = await createServer(config, { database, webRoot: '/nonexistent', log: options.log });
  return {
    ...server,
    databaseUrl,
    async close() {
      await server.stop();
      if (ownsHandle) {
        await database.close();
        if (databaseUrl) await dropDatabase(databaseUrl);
      }
    },
  };
}

export const TEST_PASSWORD = 'correct horse battery';

/** A user of `role` with a unique e-mail and the password `TEST_PASSWORD`. */
export async function makeUser(
  server: Server,
  overrides: Partial<{
    role: BuiltInRoleKey | string;
    name: string;
    language: 'de' | 'en';
    email: string;
  }> = {},
): Promise<User> {
  return createUser(server.deps, SYSTEM_ACTOR, {
    email: overrides.email ?? `user-${randomUUID()}@test.keepdesk.test`,
    name: overrides.name ?? `Test ${overrides.role ?? 'agent'} ${randomUUID().slice(0, 6)}`,
    role: overrides.role ?? 'agent',
    language: overrides.language ?? 'en',
    timeZone: 'Europe/Berlin',
    password: TEST_PASSWORD,
  });
}

export async function makeToken(server: Server, user: User): Promise<string> {
  const created = await createApiToken(server.deps, SYSTEM_ACTOR, user.id, { name: 'test' });
  return created.token;
}

/** Signs in through the API; returns headers that authenticate (and pass CSRF) on later requests. */
export async function signIn(
  server: Server,
  user: Pick<User, 'email'>,
): Promise<{ me: Me; headers: { cookie: string; 'x-csrf-token': string } }> {
  const res = await server.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email: user.email, password: TEST_PASSWORD },
  });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'kd_session');
  const me = res.json<Me>();
  return { me, headers: { cookie: `kd_session=${cookie?.value}`, 'x-csrf-token': me.csrfToken ?? '' } };
}

/** A user of `role` and the bearer header that authenticates as them. */
export async function bearerFor(
  server: Server,
  role: BuiltInRoleKey | string = 'agent',
): Promise<{ user: User; headers: { authorization: string } }> {
  const user = await makeUser(server, { role });
  return { user, headers: { authorization: `Bearer ${await makeToken(server, user)}` } };
}

/** A unique lower-case token for names and addresses made by one test. */
export function uniq(): string {
  return randomUUID().slice(0, 8);
}

/**
 * Reads until `ok` holds or `timeoutMs` passes, then returns the last value read (the test's own assertion
 * then says what was wrong). For effects that background jobs bring about a moment after a request.
 */
export async function eventually<T>(
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() - started > timeoutMs) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
