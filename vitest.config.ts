import { defineConfig, type TestProjectInlineConfiguration, type ViteUserConfig } from 'vitest/config';
import { findPostgres } from './apps/server/test/postgres.ts';

/**
 * Unit tests, then the integration suite twice: on PGlite and on native PostgreSQL (a fresh database per run).
 * When no PostgreSQL is reachable, one line says so and that half is left out; `.ci/run` always provides one.
 */
export default defineConfig(async (): Promise<ViteUserConfig> => {
  const postgres = await findPostgres();
  if (!postgres.reachable) console.warn(`PostgreSQL integration suite skipped: ${postgres.reason}`);
  const integration = (name: string, db: 'pglite' | 'postgres'): TestProjectInlineConfiguration => ({
    extends: true,
    test: {
      name,
      include: ['apps/server/**/*.int.test.ts'],
      env: { KEEPDESK_TEST_DB: db },
      globalSetup: db === 'postgres' ? ['apps/server/test/postgres-setup.ts'] : [],
      isolate: false,
      fileParallelism: true,
      testTimeout: 30_000,
      hookTimeout: 60_000,
    },
  });
  // `KEEPDESK_TEST_REPORTS=DIR` (set by `.ci/run`) also writes DIR/vitest.json for the CI summary.
  const reports = process.env.KEEPDESK_TEST_REPORTS;
  return {
    test: {
      ...(reports ? { reporters: ['default', 'json'], outputFile: { json: `${reports}/vitest.json` } } : {}),
      pool: 'forks' as const,
      maxWorkers: 2,
      projects: [
        {
          extends: true,
          test: {
            name: 'unit',
            include: ['packages/**/*.test.ts', 'apps/server/src/**/*.test.ts', 'apps/web/src/**/*.test.ts'],
            exclude: ['**/*.int.test.ts', '**/node_modules/**'],
          },
        },
        integration('pglite', 'pglite'),
        ...(postgres.reachable ? [integration('postgres', 'postgres')] : []),
      ],
    },
  };
});
