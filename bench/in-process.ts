import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Deps } from '../apps/server/src/platform/context';
import { createBenchDatabase, progress } from './lib';

export interface KeepdeskInProcess {
  deps: Deps;
  databaseUrl: string;
  stop(): Promise<void>;
}

/**
 * Keepdesk's services inside the bench process, on a fresh database of their own: a `web` process that is never
 * listened on, whose `deps` a benchmark hands to a service. It works no jobs and dispatches no outbox events, and
 * the server under test never sees this database, so no worker takes the work or adds to it while it is measured.
 * The server's code is loaded only here, so runs that do not need it keep the runner a bare Node.js process.
 */
export async function startKeepdeskInProcess(): Promise<KeepdeskInProcess> {
  const database = await createBenchDatabase('in-process');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'keepdesk-bench-'));
  try {
    const { loadConfig } = await import('../apps/server/src/platform/config');
    const { createServer } = await import('../apps/server/src/server');
    progress('migrating a second fresh database for Keepdesk inside the bench process');
    const config = loadConfig(
      { databaseUrl: database.url, role: 'web', logLevel: 'silent', mailTransport: 'log', dataDir },
      {},
    );
    const server = await createServer(config, { webRoot: '/nonexistent' });
    return {
      deps: server.deps,
      databaseUrl: database.url,
      async stop() {
        await server.stop();
        await database.drop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}
