import { Health } from '@keepdesk/contract';
import type { DatabaseHandle } from './db';
import { countAppliedMigrations, expectedMigrationCount } from './db';
import type { App } from './http';
import type { Metrics } from './metrics';

/** Liveness, readiness (database reachable, migrations current) and Prometheus metrics. */
export function healthRoutes(database: DatabaseHandle, metrics: Metrics, isShuttingDown: () => boolean) {
  const expected = expectedMigrationCount();
  return async (app: App) => {
    app.get('/healthz', { schema: { hide: true, response: { 200: Health } } }, async () => ({
      status: 'ok' as const,
      checks: { process: 'up' },
    }));
    app.get(
      '/readyz',
      { schema: { hide: true, response: { 200: Health, 503: Health } } },
      async (_req, reply) => {
        const checks: Record<string, string> = {};
        let isReady = !isShuttingDown();
        if (!isReady) checks.process = 'shutting down';
        try {
          await withTimeout(database.ping(), 2000);
          checks.database = 'reachable';
          const applied = await withTimeout(countAppliedMigrations(database), 2000);
          checks.migrations = applied >= expected ? 'current' : `${expected - applied} pending`;
          if (applied < expected) isReady = false;
        } catch (err) {
          checks.database = `unreachable: ${err instanceof Error ? err.message : String(err)}`;
          isReady = false;
        }
        return reply.code(isReady ? 200 : 503).send({ status: isReady ? 'ok' : 'unavailable', checks });
      },
    );
    app.get('/metrics', { schema: { hide: true } }, async (_req, reply) =>
      reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
    );
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}
