import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CreateUserBody, MetricQuery, type MetricReport } from '@keepdesk/contract';
import { ChurnDataError, evaluateChurn } from '@keepdesk/stats';
import { DEMO_PASSWORD, DEMO_USERS, seedDemo } from '../demo';
import { createApiToken, createUser, findUserByEmail } from '../modules/auth';
import { IMPORT_KINDS, type ImportKind, type ImportReport, importCustomerCsv } from '../modules/customers';
import { metricReport, rebuildReports, settleReports } from '../modules/reporting';
import {
  dayOfOption,
  fitLifetimeValue,
  historiesOfSummaryCsv,
  historiesOfTransactions,
  runRetention,
  transactionsOfCsv,
} from '../modules/retention';
import { importTicketEvents } from '../modules/tickets';
import { ConfigError, type ConfigOverrides, loadConfig } from '../platform/config';
import { parseCsv } from '../platform/csv';
import { openDatabase, runMigrations } from '../platform/db';
import { AppError, fieldError } from '../platform/errors';
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
    const csv = await readText(file);
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

  async 'customers import'(opts) {
    const kind = String(opts.kind);
    if (!(IMPORT_KINDS as readonly string[]).includes(kind)) {
      throw fieldError('KIND', `"${kind}" is not one of ${IMPORT_KINDS.join(', ')}`);
    }
    const mapping: Record<string, string> = {};
    for (const pair of (opts.map as unknown as string[] | undefined) ?? []) {
      const at = pair.indexOf('=');
      if (at < 1 || at === pair.length - 1) throw fieldError('--map', `"${pair}" is not field=Column`);
      mapping[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
    }
    const csv = await readText(String(opts.file));
    await withServerDeps(
      opts,
      async (deps) => {
        const bar = progressBar('rows');
        const report = await importCustomerCsv(deps, SYSTEM_ACTOR, kind as ImportKind, csv, {
          mapping,
          ...(opts.dateFormat !== undefined ? { dateFormat: String(opts.dateFormat) } : {}),
          dryRun: opts.dryRun === true,
          onProgress: (done, total) => bar.update(done, total),
        });
        if (!report.dryRun) bar.finish();
        if (opts.json) {
          const { created, updated, errors, preview } = report;
          console.log(JSON.stringify({ created, updated, errors, ...(preview ? { preview } : {}) }));
        } else {
          printImportReport(report);
        }
        if (report.rows > 0 && report.created + report.updated === 0) process.exitCode = 1;
      },
      'web',
    );
  },

  async 'clv fit'(opts) {
    const transactionsFile = opts.transactions as string | undefined;
    const summaryFile = opts.summary as string | undefined;
    if ((transactionsFile === undefined) === (summaryFile === undefined)) {
      throw fieldError('--transactions', 'give either --transactions FILE.csv or --summary FILE.csv');
    }
    const timeUnit = String(opts.timeUnit ?? 'week');
    if (timeUnit !== 'day' && timeUnit !== 'week') throw fieldError('--time-unit', 'day or week');
    let rows: number;
    let problems: { line: number; message: string }[];
    let fitted: ReturnType<typeof historiesOfSummaryCsv>['customers'];
    let holdoutDuration: number | null = null;
    let firstSeenInHoldout = 0;
    if (summaryFile !== undefined) {
      const table = parseCsv(await readText(summaryFile));
      ({ customers: fitted, problems } = historiesOfSummaryCsv(table));
      rows = table.records.length;
    } else {
      for (const option of ['customerCol', 'dateCol', 'amountCol', 'calibrationEnd'] as const) {
        if (opts[option] === undefined) {
          const flag = `--${option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
          throw fieldError(flag, 'is needed with --transactions');
        }
      }
      const calibrationEnd = dayOfOption(String(opts.calibrationEnd), '--calibration-end');
      const holdoutEnd =
        opts.holdoutEnd === undefined ? undefined : dayOfOption(String(opts.holdoutEnd), '--holdout-end');
      const table = parseCsv(await readText(transactionsFile!));
      const read = transactionsOfCsv(
        table,
        {
          customer: String(opts.customerCol),
          date: String(opts.dateCol),
          amount: String(opts.amountCol),
          dateFormat: opts.dateFormat as string | undefined,
        },
        Math.floor(Date.now() / 86_400_000),
      );
      problems = read.problems;
      rows = table.records.length;
      const histories = historiesOfTransactions(read.transactions, {
        calibrationEnd,
        ...(holdoutEnd !== undefined ? { holdoutEnd } : {}),
        timeUnit,
      });
      fitted = histories.customers;
      holdoutDuration = histories.holdoutDuration;
      firstSeenInHoldout = histories.firstSeenInHoldout;
    }
    for (const problem of problems.slice(0, 50)) console.error(`line ${problem.line}: ${problem.message}`);
    if (problems.length > 50) console.error(`… and ${problems.length - 50} more bad rows`);
    const started = performance.now();
    const fit = fitLifetimeValue(fitted, holdoutDuration);
    const seconds = (performance.now() - started) / 1000;
    const report = {
      ...fit,
      timeUnit,
      rows,
      skippedRows: problems.length,
      ...(summaryFile === undefined ? { customersFirstSeenInHoldout: firstSeenInHoldout } : {}),
      fitSeconds: Number(seconds.toFixed(3)),
    };
    if (opts.json) console.log(JSON.stringify(report));
    else console.log(clvTable(report));
    for (const [model, result] of [
      ['BG/NBD', fit.bgnbd],
      ['Gamma-Gamma', fit.gammaGamma],
    ] as const) {
      if (result && !result.converged) {
        console.error(
          `the ${model} fit did not converge in ${result.iterations} iterations; do not use its parameters`,
        );
        process.exitCode = 1;
      }
    }
  },

  async 'churn evaluate'(opts) {
    const table = parseCsv(await readText(String(opts.file)));
    for (const error of table.errors.slice(0, 50)) console.error(`line ${error.line}: ${error.message}`);
    if (table.errors.length > 0) console.error(`${table.errors.length} bad rows left out (see above)`);
    const folds = opts.folds === undefined ? undefined : Number(opts.folds);
    if (folds !== undefined && !(Number.isInteger(folds) && folds >= 2)) {
      throw fieldError('--folds', 'a whole number ≥ 2');
    }
    const seed = opts.seed === undefined ? 1 : Number(opts.seed);
    if (!Number.isInteger(seed)) throw fieldError('--seed', 'a whole number');
    const started = performance.now();
    const bar = progressBar('model fits');
    const evaluation = evaluateChurn(
      { header: table.header, rows: table.records.map((r) => r.cells) },
      {
        target: String(opts.target),
        ...(opts.positive !== undefined ? { positive: String(opts.positive) } : {}),
        ...(opts.id !== undefined ? { id: String(opts.id) } : {}),
        ...(folds !== undefined ? { folds } : {}),
        seed,
        onProgress: (done, total) => bar.update(done, total),
      },
    );
    bar.finish();
    const seconds = Number(((performance.now() - started) / 1000).toFixed(2));
    if (opts.json) {
      console.log(JSON.stringify({ ...evaluation, skippedRows: table.errors.length, seconds }));
      return;
    }
    console.log(
      [
        evaluation.holdout
          ? `${evaluation.rows} rows, ${evaluation.folds}-fold cross-validation on a stratified sample of ${evaluation.selectionRows}, positive class "${evaluation.positive}"`
          : `${evaluation.rows} rows, ${evaluation.folds}-fold cross-validation, positive class "${evaluation.positive}"`,
        `chosen: ${evaluation.modelName} — ROC AUC ${evaluation.auc.toFixed(3)}, accuracy ${(100 * evaluation.accuracy).toFixed(1)} %, log-loss ${evaluation.logLoss.toFixed(3)}`,
        ...(evaluation.holdout
          ? [
              `fitted on the other rows; on ${evaluation.holdout.rows} held-out rows: ROC AUC ${evaluation.holdout.auc.toFixed(3)}, accuracy ${(100 * evaluation.holdout.accuracy).toFixed(1)} %, log-loss ${evaluation.holdout.logLoss.toFixed(3)}`,
            ]
          : []),
        '',
        'candidates (mean ROC AUC over the folds):',
        ...evaluation.candidates.map((c) => `  ${c.name.padEnd(40)} ${c.auc.toFixed(3)}`),
        '',
        'top drivers (mean absolute contribution to the log-odds):',
        ...evaluation.topDrivers.map(
          (d) => `  ${d.feature.padEnd(40)} ${d.importance.toFixed(3)}  ${d.direction}`,
        ),
      ].join('\n'),
    );
  },

  async 'churn score'(opts) {
    await withServerDeps(
      opts,
      async (deps) => {
        const bar = progressBar('accounts');
        const run = await runRetention(deps, { train: Boolean(opts.train) }, (done, total) =>
          bar.update(done, total),
        );
        bar.finish();
        if (opts.json) {
          console.log(JSON.stringify(run, null, 2));
        } else {
          const training = run.training;
          if (training?.status === 'active') {
            console.log(
              `trained on ${training.rows} accounts (${training.positives} left): ROC AUC ${training.auc?.toFixed(3)} in ${training.seconds.toFixed(1)} s`,
            );
          } else if (training) {
            console.error(`the model could not be trained, the active one stays: ${training.error}`);
          }
          console.log(
            `scored ${run.scored} accounts in ${run.seconds.toFixed(1)} s; ${run.bandDrops} dropped a health band`,
          );
        }
        if (run.training?.status === 'failed') process.exitCode = 1;
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

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError('FILE', `cannot read ${file}: ${(err as Error).message}`);
  }
}

/** Bad rows (the first 50), the dry run's preview and the summary line, for people. */
function printImportReport(report: ImportReport): void {
  for (const error of report.errors.slice(0, 50)) {
    console.error(`line ${error.line}: ${error.field}: ${error.message}`);
  }
  if (report.errors.length > 50) console.error(`… and ${report.errors.length - 50} more problems`);
  if (report.unusedColumns.length > 0) {
    console.error(`columns not read: ${report.unusedColumns.map((c) => `"${c}"`).join(', ')}`);
  }
  const badRows = new Set(report.errors.map((e) => e.line)).size;
  if (report.rows === 0) console.log('the file has no rows below its header');
  if (!report.dryRun) {
    console.log(`imported: ${report.created} created, ${report.updated} updated, ${badRows} bad rows`);
    return;
  }
  const preview = report.preview ?? [];
  if (preview.length > 0) {
    const columns = [...new Set(preview.flatMap((row) => Object.keys(row)))];
    const heading = columns.map((key) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
    const cell = (value: unknown) =>
      value === undefined || value === null
        ? ''
        : typeof value === 'object'
          ? JSON.stringify(value)
          : String(value);
    const rows = [
      heading,
      ...preview.map((row) => columns.map((c) => cell((row as Record<string, unknown>)[c]))),
    ];
    const widths = columns.map((_, i) => Math.min(40, Math.max(...rows.map((r) => r[i]!.length))));
    for (const row of rows) {
      console.log(
        row
          .map((value, i) => value.slice(0, 40).padEnd(widths[i]!))
          .join('  ')
          .trimEnd(),
      );
    }
    console.log('');
  }
  console.log(
    `dry run: ${report.created} would be created, ${report.updated} updated, ${badRows} bad rows; nothing was written`,
  );
}

/** The fit for people; `--json` prints the whole document instead. */
function clvTable(
  report: ReturnType<typeof fitLifetimeValue> & { timeUnit: string; skippedRows: number },
): string {
  const { bgnbd, gammaGamma, holdout } = report;
  const lines = [
    `${report.customers} customers (${report.repeatBuyers} repeat buyers), time in ${report.timeUnit}s` +
      (report.skippedRows > 0 ? `; ${report.skippedRows} bad rows skipped (see above)` : ''),
    `BG/NBD: r = ${bgnbd.r}, alpha = ${bgnbd.alpha}, a = ${bgnbd.a}, b = ${bgnbd.b}, log-likelihood = ${bgnbd.logLikelihood}`,
    gammaGamma
      ? `Gamma-Gamma: p = ${gammaGamma.p}, q = ${gammaGamma.q}, gamma = ${gammaGamma.gamma}, log-likelihood = ${gammaGamma.logLikelihood}`
      : `Gamma-Gamma: not fitted (${report.gammaGammaSkipped})`,
  ];
  if (holdout) {
    lines.push(
      '',
      `holdout of ${holdout.duration} ${report.timeUnit}s: ${holdout.actual} purchases, ${holdout.expected.toFixed(1)} expected`,
      '  repeat purchases   customers   actual per customer   expected per customer',
      ...holdout.byFrequency.map(
        (row) =>
          `  ${`${row.frequency}${row.orMore ? '+' : ''}`.padStart(16)}   ${String(row.customers).padStart(9)}   ${row.actual.toFixed(3).padStart(19)}   ${row.expected.toFixed(3).padStart(21)}`,
      ),
    );
  }
  return lines.join('\n');
}

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
  if (err instanceof AppError && err.code === 'VALIDATION_FAILED') return 2;
  if (err instanceof ChurnDataError) return 2;
  return 1;
}

function messageOf(err: unknown): string {
  if ((err as { name?: string }).name === 'ZodError') {
    const issues = (err as { issues: { path: PropertyKey[]; message: string }[] }).issues;
    return issues.map((i) => `--${String(i.path[0] ?? '')}: ${i.message}`).join('; ');
  }
  return err instanceof Error ? err.message : String(err);
}
