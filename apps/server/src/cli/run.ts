import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CreateUserBody, MetricQuery, type MetricReport } from '@keepdesk/contract';
import { DEMO_PASSWORD, DEMO_USERS, seedDemo } from '../demo';
import { createApiToken, createUser, findUserByEmail } from '../modules/auth';
import { metricReport, rebuildReports, settleReports } from '../modules/reporting';
import { importTicketEvents } from '../modules/tickets';
import { ConfigError, type ConfigOverrides, loadConfig } from '../platform/config';
import { openDatabase, runMigrations } from '../platform/db';
import { AppError } from '../platform/errors';
import { SYSTEM_ACTOR } from '../platform/events';
import { seedTickets } from '../seed';
import { createServer } from '../server';
import { progressBar } from './progress';

type Options = Record<string, string | boolean | undefined>;

/** Exit codes: 0 done, 1 failed, 2 bad configuration or arguments, 3 database unreachable. */
export async function runCommand(name: string, opts: Options): Promise<void> {
  try {
    await COMMANDS[name]!(opts);
  } catch (err) {
    process.exitCode = exitCodeOf(err);
    console.error(`keepdesk ${name}: ${messageOf(err)}`);
  }
}

function configFrom(opts: Options, extra: ConfigOverrides = {}) {
  return loadConfig({
    dataDir: opts.dataDir as string | undefined,
    databaseUrl: opts.databaseUrl as string | undefined,
    port: opts.port as string | undefined,
    host: opts.host as string | undefined,
    role: opts.role as string | undefined,
    smtpPort: opts.smtpPort as string | undefined,
    demo: opts.demo === true,
    ...extra,
  });
}

const COMMANDS: Record<string, (opts: Options) => Promise<void>> = {
  async start(opts) {
    const config = configFrom(opts);
    const server = await createServer(config);
    if (config.demo) await seedDemo(server.deps);
    const url = await server.listen();
    const stop = async (signal: string) => {
      server.deps.log.info({ signal }, 'shutting down');
      await server.stop();
      process.exit(0);
    };
    process.once('SIGTERM', () => void stop('SIGTERM'));
    process.once('SIGINT', () => void stop('SIGINT'));
    const where =
      config.database.kind === 'pglite' ? `embedded database in ${config.database.dataDir}` : 'PostgreSQL';
    console.error(`\nKeepdesk is running at ${url}  (${where}, role ${config.role})`);
    const smtpPort = server.smtpPort();
    if (smtpPort !== null) console.error(`SMTP listener on ${config.host}:${smtpPort}`);
    if (config.demo) {
      console.error(`\nDemo logins (password for all: ${DEMO_PASSWORD}):`);
      for (const person of DEMO_USERS) console.error(`  ${person.role.padEnd(22)} ${person.email}`);
    }
    console.error('');
  },

  async migrate(opts) {
    const config = configFrom(opts);
    const database = await openDatabase(config.database);
    try {
      const { applied } = await runMigrations(database);
      console.log(applied === 0 ? 'database is up to date' : `applied ${applied} migration(s)`);
    } finally {
      await database.close();
    }
  },

  async 'user create'(opts) {
    const input = CreateUserBody.parse({
      email: opts.email,
      name: opts.name,
      role: opts.role,
      language: opts.language,
      password: opts.password,
    });
    await withServerDeps(opts, async (deps) => {
      const user = await createUser(deps, SYSTEM_ACTOR, input);
      console.log(`created ${user.role} ${user.email} (${user.id})`);
      if (!input.password) await deps.outbox.kick();
    });
  },

  async seed(opts) {
    const tickets = Number(opts.tickets);
    const messagesPerTicket = Number(opts.messagesPerTicket ?? 3);
    if (tickets < 1 || messagesPerTicket < 1 || messagesPerTicket > 20) {
      throw new ConfigError('--tickets', 'at least 1; --messages-per-ticket 1 to 20');
    }
    const config = configFrom(opts);
    const database = await openDatabase(config.database);
    try {
      await runMigrations(database);
      const bar = progressBar('tickets');
      await seedTickets(database, {
        tickets,
        messagesPerTicket,
        onProgress: (done, total) => bar.update(done, total),
      });
      bar.finish();
      console.log(`added ${tickets} tickets with ${tickets * messagesPerTicket} messages`);
    } finally {
      await database.close();
    }
  },

  async report(opts) {
    const query = MetricQuery.parse({
      metric: opts.metric,
      stat: opts.stat,
      from: opts.from,
      to: opts.to,
      grain: opts.grain,
      groupBy: opts.groupBy,
      filter: opts.filter,
      timeZone: opts.timeZone,
    });
    await withServerDeps(
      opts,
      async (deps) => {
        await settleReports(deps);
        const report = await metricReport(deps, query, 'UTC');
        console.log(opts.json ? JSON.stringify(report, null, 2) : reportTable(report));
      },
      'web',
    );
  },

  async 'report rebuild'(opts) {
    await withServerDeps(
      opts,
      async (deps) => {
        const bar = progressBar('tickets and survey invitations');
        let finished = false;
        const { subjects } = await rebuildReports(deps, (done, total) => {
          bar.update(done, total);
          if (done >= total && total > 0 && !finished) {
            finished = true;
            bar.finish();
            // Vacuuming the rollups takes a minute or two at a million tickets.
            process.stderr.write('writing the last rows, reclaiming the old ones and updating statistics…\n');
          }
        });
        if (!finished) bar.finish();
        console.log(`recomputed the reports of ${subjects} tickets and survey invitations`);
      },
      'web',
    );
  },

  async 'import ticket-events'(opts) {
    const file = String(opts.file);
    let csv: string;
    try {
      csv = await readFile(file, 'utf8');
    } catch (err) {
      throw new ConfigError('FILE', `cannot read ${file}: ${(err as Error).message}`);
    }
    await withServerDeps(
      opts,
      async (deps) => {
        const bar = progressBar('cases');
        const result = await importTicketEvents(
          deps,
          SYSTEM_ACTOR,
          csv,
          {
            caseColumn: String(opts.caseCol),
            activityColumn: String(opts.activityCol),
            timeColumn: String(opts.timeCol),
            timeZone: String(opts.timeZone ?? 'UTC'),
            timeFormat: opts.timeFormat as string | undefined,
            source: String(opts.source ?? path.basename(file)),
          },
          (done, total) => bar.update(done, total),
        );
        bar.finish();
        for (const error of result.errors.slice(0, 50)) console.error(`line ${error.line}: ${error.message}`);
        if (result.errors.length > 50) console.error(`… and ${result.errors.length - 50} more bad rows`);
        const reports = progressBar('reports');
        await settleReports(deps);
        reports.finish();
        console.log(
          `imported ${result.imported} cases with ${result.activities} activities as closed tickets` +
            (result.alreadyImported > 0 ? `; ${result.alreadyImported} cases were imported before` : '') +
            (result.errors.length > 0 ? `; ${result.errors.length} bad rows skipped (see above)` : ''),
        );
        if (result.cases === 0 && result.errors.length > 0) process.exitCode = 1;
      },
      'web',
    );
  },

  async 'token create'(opts) {
    await withServerDeps(opts, async (deps) => {
      const user = await findUserByEmail(deps.database.db, String(opts.user));
      if (!user) throw new AppError('NOT_FOUND', { message: `no user with e-mail ${opts.user}` });
      const created = await createApiToken(deps, SYSTEM_ACTOR, user.id, { name: String(opts.name) });
      console.error(`token "${created.name}" for ${user.email}; it is shown only now:`);
      console.log(created.token);
    });
  },
};

/** One line per period (and group) for people; `--json` prints the whole report instead. */
function reportTable(report: MetricReport): string {
  const lines = [
    `${report.metric} (${report.stat}, ${report.unit}) ${report.from} – ${report.to}, ${report.timeZone}: ${report.total.value ?? '—'} (n = ${report.total.n})`,
  ];
  for (const series of report.series) {
    if (report.groupBy)
      lines.push('', `${series.label}: ${series.total.value ?? '—'} (n = ${series.total.n})`);
    for (const point of series.points)
      lines.push(`  ${point.period.padEnd(14)} ${String(point.value ?? '—').padStart(10)}  n = ${point.n}`);
  }
  return lines.join('\n');
}

/** A server without listening, for commands that use the services; `web` runs no background workers. */
async function withServerDeps(
  opts: Options,
  work: (deps: Awaited<ReturnType<typeof createServer>>['deps']) => Promise<void>,
  role: 'web' | 'worker' = 'worker',
) {
  const config = configFrom(opts, { logLevel: 'warn', role });
  const server = await createServer(config);
  try {
    await work(server.deps);
  } finally {
    await server.stop();
  }
}

function exitCodeOf(err: unknown): number {
  if (err instanceof ConfigError) return 2;
  if ((err as { name?: string }).name === 'ZodError') return 2;
  if (err instanceof AppError && err.code === 'DATABASE_UNAVAILABLE') return 3;
  return 1;
}

function messageOf(err: unknown): string {
  if ((err as { name?: string }).name === 'ZodError') {
    const issues = (err as { issues: { path: PropertyKey[]; message: string }[] }).issues;
    return issues.map((i) => `--${String(i.path[0] ?? '')}: ${i.message}`).join('; ');
  }
  return err instanceof Error ? err.message : String(err);
}
