import { randomBytes } from 'node:crypto';
import {
  type Child,
  createBenchDatabase,
  freePort,
  keepdesk,
  progress,
  startKeepdesk,
  waitForUrl,
} from './lib';

export interface KeepdeskUnderTest {
  baseUrl: string;
  databaseUrl: string;
  /** The server's process id, to read its memory. */
  pid: number | undefined;
  /** Its SMTP listener. */
  smtpPort: number;
  email: string;
  password: string;
  token: string;
  stop(): Promise<void>;
}

/**
 * One Keepdesk process on a fresh PostgreSQL database, with production defaults except the per-client rate
 * limits (one load generator is one client) and logs going nowhere (they are written, then discarded).
 */
export async function startKeepdeskUnderTest(): Promise<KeepdeskUnderTest> {
  const database = await createBenchDatabase();
  const env = {
    KEEPDESK_RATE_LIMIT: '100000000',
    KEEPDESK_AUTH_RATE_LIMIT: '100000000',
    KEEPDESK_MAIL_TRANSPORT: 'log',
  };
  let server: Child | undefined;
  try {
    progress('migrating the PostgreSQL database');
    await keepdesk(['migrate', '--database-url', database.url], env);
    // Of its own per run, so that a kept database can be measured again.
    const email = `bench-${randomBytes(3).toString('hex')}@example.com`;
    const password = 'bench-password-123';
    await keepdesk(
      [
        'user',
        'create',
        '--database-url',
        database.url,
        '--email',
        email,
        '--name',
        'Bench',
        '--role',
        'agent',
        '--password',
        password,
      ],
      env,
    );
    const token = (
      await keepdesk(
        ['token', 'create', '--database-url', database.url, '--user', email, '--name', 'bench'],
        env,
      )
    ).trim();
    const port = await freePort();
    const smtpPort = await freePort();
    server = startKeepdesk(database.url, port, env, smtpPort);
    const baseUrl = `http://127.0.0.1:${port}`;
    progress(`starting keepdesk on ${baseUrl}`);
    await waitForUrl(`${baseUrl}/readyz`);
    const started = server;
    return {
      baseUrl,
      databaseUrl: database.url,
      pid: started.pid,
      smtpPort,
      email,
      password,
      token,
      async stop() {
        await started.stop();
        await database.drop();
      },
    };
  } catch (error) {
    await server?.stop();
    await database.drop();
    throw error;
  }
}
