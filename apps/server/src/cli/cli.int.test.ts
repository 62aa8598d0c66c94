import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { MetricReport } from '@keepdesk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKeepdesk, startKeepdesk } from '../../test/cli';
import { TEST_DB } from '../../test/harness';
import { createDatabase, dropDatabase } from '../../test/postgres';
import { type SmtpSink, startSmtpSink } from '../../test/smtp';
import { openDatabase, runMigrations } from '../platform/db';

// Process-level checks that do not depend on the database engine run once, in the PGlite half.
describe.runIf(TEST_DB === 'pglite')('keepdesk command line', () => {
  it('prints help for every command', async () => {
    for (const args of [
      ['--help'],
      ['start', '--help'],
      ['migrate', '--help'],
      ['user', 'create', '--help'],
      ['token', 'create', '--help'],
      ['seed', '--help'],
      ['report', '--help'],
      ['report', 'rebuild', '--help'],
      ['import', 'ticket-events', '--help'],
      ['customers', 'import', '--help'],
      ['clv', 'fit', '--help'],
      ['churn', 'evaluate', '--help'],
      ['churn', 'score', '--help'],
    ]) {
      const { code, stdout } = await runKeepdesk(args);
      expect(code, args.join(' ')).toBe(0);
      expect(stdout).toContain('Usage: keepdesk');
    }
    const { stdout } = await runKeepdesk(['start', '--help']);
    expect(stdout).toContain('Environment variables:');
    expect(stdout).toMatch(/KEEPDESK_ROLE\s+web, worker, all \(default all\)/);
  }, 200_000); // ten process starts in a row, beside the rest of the suite on two cores

  it('fits lifetime-value models to a customer summary and prints one JSON document', async () => {
    // The CDNOW summary (packages/stats/fixtures/cdnow/README.md); Fader, Hardie & Lee (2005) publish r = 0.243,
    // α = 4.414, a = 0.793, b = 2.426 and a log-likelihood of −9582.4 for it.
    const summary = new URL(
      '../../../../packages/stats/fixtures/cdnow/cdnow_customers_summary.csv',
      import.meta.url,
    ).pathname;
    const { code, stdout } = await runKeepdesk(['clv', 'fit', '--summary', summary, '--json']);
    expect(code).toBe(0);
    const fit = JSON.parse(stdout) as {
      bgnbd: { r: number; alpha: number; a: number; b: number; logLikelihood: number };
      customers: number;
      gammaGamma: unknown;
    };
    expect(fit.customers).toBe(2357);
    expect(fit.bgnbd.r).toBeCloseTo(0.243, 3);
    expect(fit.bgnbd.alpha).toBeCloseTo(4.414, 2);
    expect(fit.bgnbd.a).toBeCloseTo(0.793, 3);
    expect(fit.bgnbd.b).toBeCloseTo(2.426, 2);
    expect(fit.bgnbd.logLikelihood).toBeCloseTo(-9582.4, 1);
    expect(fit.gammaGamma).toBeNull(); // the file holds no spend

    const dir = mkdtempSync(path.join(tmpdir(), 'keepdesk-clv-'));
    const file = path.join(dir, 'orders.csv');
    writeFileSync(file, 'kunde,datum,betrag\na,2026-01-01,10\n');
    const missing = await runKeepdesk([
      'clv',
      'fit',
      '--transactions',
      file,
      '--customer-col',
      'customer',
      '--date-col',
      'datum',
      '--amount-col',
      'betrag',
      '--calibration-end',
      '2026-06-30',
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(
      '--customer-col: no column "customer"; the file has "kunde", "datum", "betrag"',
    );
    expect(missing.stderr).not.toMatch(/\n\s+at /);
  });

  it('imports customer data from CSV: bad rows by line, a missing column, a dry run and JSON', async () => {
    const fixtures = new URL('../modules/customers/fixtures/', import.meta.url).pathname;
    const db = ['--data-dir', mkdtempSync(path.join(tmpdir(), 'keepdesk-customers-'))];
    const run = (kind: string, file: string, ...args: string[]) =>
      runKeepdesk([
        'customers',
        'import',
        kind,
        file.startsWith('/') ? file : `${fixtures}${file}`,
        ...args,
        ...db,
      ]);

    const accounts = await run('accounts', 'accounts.csv');
    expect(accounts.code, accounts.stderr).toBe(0);
    expect(accounts.stdout).toContain('imported: 4 created, 0 updated, 0 bad rows');

    const dry = await run('subscriptions', 'subscriptions.csv', '--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/^external_id\s+account\s+plan\s+mrr\s+currency\s+started_on/m);
    expect(dry.stdout).toMatch(
      /^SUB-3\s+ACC-1002\s+Pro\s+99\s+EUR\s+2024-03-15\s+2025-03-14\s+too expensive$/m,
    );
    expect(dry.stdout).toContain('dry run: 5 would be created, 0 updated, 0 bad rows; nothing was written');

    const bad = await run('subscriptions', 'subscriptions-bad.csv');
    expect(bad.code, bad.stderr).toBe(0);
    expect(bad.stderr).toContain('line 3: mrr: is negative');
    expect(bad.stderr).toContain('line 4: started_on: 2099-01-01 is in the future');
    expect(bad.stderr).toContain('line 5: external_id: "SUB-10" is already on line 2');
    expect(bad.stderr).toContain('line 6: account: no account has the external id "ACC-9999"');
    expect(bad.stdout).toContain('imported: 1 created, 0 updated, 6 bad rows');

    const missing = await run('subscriptions', 'subscriptions-no-mrr.csv');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('mrr: the file has no column "mrr"');
    expect(missing.stderr).not.toMatch(/\n\s+at /);

    const german = await run(
      'orders',
      'orders-de.csv',
      ...[
        '--map',
        'external_id=Bestellnummer',
        '--map',
        'account=Kundennummer',
        '--map',
        'ordered_at=Bestelldatum',
      ],
      ...['--map', 'amount=Betrag', '--map', 'products=Artikel', '--date-format', 'dd.MM.yyyy', '--json'],
    );
    expect(german.code, german.stderr).toBe(0);
    expect(JSON.parse(german.stdout)).toEqual({
      created: 1,
      updated: 0,
      errors: [
        { line: 3, field: 'Betrag', message: 'is negative (a refund is not an order)' },
        {
          line: 4,
          field: 'Bestelldatum',
          message: '"31.04.2025" is not a date or time in the format dd.MM.yyyy',
        },
      ],
    });

    const nothingGood = path.join(mkdtempSync(path.join(tmpdir(), 'keepdesk-usage-')), 'usage.csv');
    writeFileSync(nothingGood, 'account,name,occurred_at\nACC-404,login,2025-01-01T10:00:00Z\n');
    const none = await run('usage', nothingGood, '--dry-run', '--json');
    expect(none.code).toBe(1);
    expect(JSON.parse(none.stdout)).toEqual({
      created: 0,
      updated: 0,
      errors: [{ line: 2, field: 'account', message: 'no account has the external id "ACC-404"' }],
      preview: [],
    });
  }, 300_000); // six process starts, the first one migrating a fresh embedded database

  it("scores the workspace's accounts and says why the model could not be trained", async () => {
    const fixtures = new URL('../modules/customers/fixtures/', import.meta.url).pathname;
    const db = ['--data-dir', mkdtempSync(path.join(tmpdir(), 'keepdesk-score-'))];
    for (const kind of ['accounts', 'subscriptions']) {
      const imported = await runKeepdesk(['customers', 'import', kind, `${fixtures}${kind}.csv`, ...db]);
      expect(imported.code, imported.stderr).toBe(0);
    }
    const scored = await runKeepdesk(['churn', 'score', '--train', '--json', ...db]);
    // Three paying customers now and a horizon ago, none of whom left: nothing to learn from, but all scored.
    expect(scored.code, scored.stderr).toBe(1);
    const run = JSON.parse(scored.stdout) as { training: { status: string; error: string }; scored: number };
    expect(run.training.status).toBe('failed');
    expect(run.training.error).toMatch(
      /^Of the 3 accounts that were customers on \d{4}-\d{2}-\d{2}, none has left since/,
    );
    expect(run.scored).toBe(3);
    const plain = await runKeepdesk(['churn', 'score', ...db]);
    expect(plain.stderr).toContain('the model could not be trained, the active one stays');
    expect(plain.stdout).toMatch(/scored 3 accounts in [\d.]+ s; 0 dropped a health band/);
  }, 180_000);

  it('evaluates churn models on the Telco data and names a target that is not there', async () => {
    // The public Telco customer-churn table (packages/stats/fixtures/telco/README.md): a good model reaches a
    // 5-fold ROC AUC of about 0.845 on it.
    const telco = new URL(
      '../../../../packages/stats/fixtures/telco/Telco-Customer-Churn.csv',
      import.meta.url,
    ).pathname;
    const { code, stdout, stderr } = await runKeepdesk([
      'churn',
      'evaluate',
      telco,
      '--target',
      'Churn',
      '--id',
      'customerID',
      '--json',
    ]);
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as {
      auc: number;
      accuracy: number;
      logLoss: number;
      folds: number;
      rows: number;
      selectionRows: number;
      holdout: unknown;
      model: string;
      topDrivers: { feature: string }[];
    };
    expect(result.rows).toBe(7043);
    expect(result.folds).toBe(5);
    // 7,043 rows are few enough to choose on every row: no sample, no holdout.
    expect(result.selectionRows).toBe(7043);
    expect(result.holdout).toBeNull();
    // Not a terminal, so the progress bar is one line at the end: six candidates × five folds + the final fit.
    expect(stderr).toMatch(/^model fits: 31 in \d+\.\d s$/m);
    expect(result.auc).toBeGreaterThanOrEqual(0.845);
    expect(result.accuracy).toBeGreaterThan(0.79);
    expect(result.logLoss).toBeLessThan(0.43);
    expect(result.topDrivers[0]!.feature).toBe('Contract');
    expect(result.topDrivers.map((d) => d.feature)).not.toContain('customerID');

    const wrong = await runKeepdesk(['churn', 'evaluate', telco, '--target', 'Cancelled']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("target column 'Cancelled' is not in the table");
    expect(wrong.stderr).not.toMatch(/\n\s+at /);
  }, 120_000); // five folds of six models on two busy cores

  it('stops with exit code 2 naming the variable and the accepted values', async () => {
    const { code, stderr } = await runKeepdesk(['migrate'], { KEEPDESK_ROLE: 'boss' });
    expect(code).toBe(2);
    expect(stderr).toContain('KEEPDESK_ROLE');
    expect(stderr).toContain('web, worker, all');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('stops with exit code 3 and no stack trace when the database is unreachable', async () => {
    const { code, stderr } = await runKeepdesk([
      'migrate',
      '--database-url',
      'postgres://postgres@127.0.0.1:1/nothing',
    ]);
    expect(code).toBe(3);
    expect(stderr).toContain('cannot reach PostgreSQL');
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

// Each test starts several keepdesk processes (three to five seconds each on two busy cores).
describe.runIf(TEST_DB === 'postgres')(
  'keepdesk on PostgreSQL with several processes',
  { timeout: 90_000 },
  () => {
    let databaseUrl: string;
    let smtp: SmtpSink;
    beforeAll(async () => {
      databaseUrl = await createDatabase('keepdesk_test_cli');
      smtp = await startSmtpSink();
    });
    afterAll(async () => {
      await smtp?.close();
      if (databaseUrl) await dropDatabase(databaseUrl);
    });

    it('migrates once, creates a user and prints a token that the API accepts', async () => {
      const env = { DATABASE_URL: databaseUrl };
      expect((await runKeepdesk(['migrate'], env)).stdout).toMatch(/applied \d+ migration/);
      expect((await runKeepdesk(['migrate'], env)).stdout).toContain('up to date');
      const created = await runKeepdesk(
        [
          'user',
          'create',
          '--email',
          'ops@test.keepdesk.test',
          '--name',
          'Ops',
          '--role',
          'admin',
          '--password',
          'operations pw 1',
        ],
        env,
      );
      expect(created.code).toBe(0);
      const token = await runKeepdesk(
        ['token', 'create', '--user', 'ops@test.keepdesk.test', '--name', 'script'],
        env,
      );
      expect(token.code).toBe(0);
      const plaintext = token.stdout.trim();
      expect(plaintext).toMatch(/^kdt_/);

      const web = await startKeepdesk(['--port', '0', '--role', 'web'], env);
      try {
        const res = await fetch(`${web.url}/api/v1/me`, {
          headers: { authorization: `Bearer ${plaintext}` },
        });
        expect(res.status).toBe(200);
        expect(((await res.json()) as { user: { email: string } }).user.email).toBe('ops@test.keepdesk.test');
      } finally {
        web.child.kill('SIGTERM');
        expect(await web.exited).toBe(0);
      }
    });

    it('prints a metric from the rollups as JSON and rebuilds them with a progress line', async () => {
      const env = { DATABASE_URL: databaseUrl };
      const database = await openDatabase({ kind: 'postgres', url: databaseUrl });
      try {
        await runMigrations(database);
        const [contact] = (await database.query(`insert into contacts (name) values ('CLI') returning id`))
          .rows;
        for (const createdAt of ['2026-03-02T09:00:00Z', '2026-03-02T10:00:00Z', '2026-03-03T09:00:00Z']) {
          const [ticket] = (
            await database.query(
              `insert into tickets (subject, status_key, status_category, channel, requester_id, created_at)
             values ('CLI', 'new', 'new', 'email', $1, $2) returning id`,
              [contact!.id, createdAt],
            )
          ).rows;
          await database.query(
            `insert into ticket_events (ticket_id, kind, to_value, actor_kind, created_at)
           values ($1, 'created', '{"status":"new"}', 'system', $2)`,
            [ticket!.id, createdAt],
          );
        }
      } finally {
        await database.close();
      }
      const args = ['report', '--metric', 'tickets_created', '--from', '2026-03-02', '--to', '2026-03-03'];
      const printed = await runKeepdesk([...args, '--json'], env);
      expect(printed.code, printed.stderr).toBe(0);
      const report = JSON.parse(printed.stdout) as MetricReport;
      expect(report.total).toEqual({ value: 3, n: 3 });
      expect(report.series[0]!.points.map((p) => [p.period, p.value])).toEqual([
        ['2026-03-02', 2],
        ['2026-03-03', 1],
      ]);
      // The database named on the subcommand, not in the environment (the `report` command has the same option).
      const rebuilt = await runKeepdesk(['report', 'rebuild', '--database-url', databaseUrl], {});
      expect(rebuilt.code, rebuilt.stderr).toBe(0);
      expect(rebuilt.stdout).toContain('recomputed the reports of 3 tickets and survey invitations');
      expect(rebuilt.stderr).toMatch(/tickets and survey invitations: \d+ in [\d.]+ s/);
      expect(rebuilt.stderr).toContain('reclaiming the old ones and updating statistics');
      expect(JSON.parse((await runKeepdesk([...args, '--json'], env)).stdout)).toEqual(report);
      const bad = await runKeepdesk(['report', '--metric', 'happiness'], env);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('--metric');
      const log = path.join(mkdtempSync(path.join(tmpdir(), 'keepdesk-cli-')), 'history.csv');
      writeFileSync(
        log,
        'Case,Step,When\nH-1,open,2026-03-01 09:00:00\nH-1,close,2026-03-01 11:00:00\nH-2,open,soon\nH-3,open,2026-03-02 09:00:00\n',
      );
      const imported = await runKeepdesk(
        [
          'import',
          'ticket-events',
          log,
          '--case-col',
          'Case',
          '--activity-col',
          'Step',
          '--time-col',
          'When',
        ],
        env,
      );
      expect(imported.code, imported.stderr).toBe(0);
      expect(imported.stdout).toContain(
        'imported 2 cases with 3 activities as closed tickets; 1 bad rows skipped',
      );
      expect(imported.stderr).toContain('line 4: "soon" is not a time');
      const resolution = await runKeepdesk(
        [
          'report',
          '--metric',
          'resolution_time',
          '--stat',
          'avg',
          '--from',
          '2026-03-01',
          '--to',
          '2026-03-02',
          '--json',
        ],
        env,
      );
      expect((JSON.parse(resolution.stdout) as MetricReport).total).toEqual({ value: 60, n: 2 });
      const late = await runKeepdesk(
        [...args.slice(0, 3), '--from', '2026-03-05', '--to', '2026-03-01'],
        env,
      );
      expect(late.code).toBe(2); // a bad argument, as the README says
      expect(late.stderr).toContain('2026-03-05 is after 2026-03-01');
    });

    it('hands work from a web process to a worker process through the outbox and the job queue', async () => {
      const env = { DATABASE_URL: databaseUrl, KEEPDESK_MAIL_TRANSPORT: 'smtp', KEEPDESK_SMTP_URL: smtp.url };
      const [web, worker] = await Promise.all([
        startKeepdesk(['--port', '0', '--role', 'web'], env),
        startKeepdesk(['--port', '0', '--role', 'worker'], env),
      ]);
      try {
        const res = await fetch(`${web.url}/api/v1/auth/password-reset`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'ops@test.keepdesk.test' }),
        });
        expect(res.status).toBe(202);
        const mail = await smtp.waitFor((m) => JSON.stringify(m.to).includes('ops@test.keepdesk.test'));
        expect(mail.text).toContain('/reset-password?token=');
      } finally {
        web.child.kill('SIGTERM');
        worker.child.kill('SIGTERM');
        expect(await web.exited).toBe(0);
        expect(await worker.exited).toBe(0);
      }
    });

    it('finishes a request in flight when SIGTERM arrives, then stops', async () => {
      const web = await startKeepdesk(['--port', '0', '--role', 'web'], { DATABASE_URL: databaseUrl });
      // Surely in flight: its headers are in, its body is still coming when the signal lands.
      const body = JSON.stringify({ email: 'ops@test.keepdesk.test', password: 'operations pw 1' });
      const target = new URL(`${web.url}/api/v1/auth/login`);
      const inFlight = new Promise<number>((resolve, reject) => {
        const req = request(
          {
            host: target.hostname,
            port: target.port,
            path: target.pathname,
            method: 'POST',
            headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', reject);
        req.write(body.slice(0, 10));
        setTimeout(() => {
          web.child.kill('SIGTERM');
          setTimeout(() => req.end(body.slice(10)), 200);
        }, 300);
      });
      expect(await inFlight).toBe(200);
      expect(await web.exited).toBe(0);
      await expect(fetch(`${web.url}/healthz`)).rejects.toThrow();
    });
  },
);
