import { Command, InvalidArgumentError } from 'commander';
import { describeSettings } from '../platform/config';
import { runCommand } from './run';

const program = new Command('keepdesk')
  .description('Keepdesk: customer service and retention platform')
  .showHelpAfterError()
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));

function int(value: string): string {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('not a whole number');
  return value;
}

/** Every environment variable `start` reads, with its default and what it accepts. */
function settingsHelp(): string {
  const rows = describeSettings();
  const width = Math.max(...rows.map((row) => row.variable.length));
  const lines = rows.map(
    (row) =>
      `  ${row.variable.padEnd(width)}  ${row.accepted}${row.default ? ` (default ${row.default})` : ''}`,
  );
  return `\nEnvironment variables:\n${lines.join('\n')}`;
}

const databaseOptions = (cmd: Command) =>
  cmd
    .option('--data-dir <dir>', 'embedded database directory (KEEPDESK_DATA_DIR)')
    .option('--database-url <url>', 'PostgreSQL URL instead of the embedded database (DATABASE_URL)');

databaseOptions(
  program
    .command('start')
    .description('start the server: API, web app, background workers (migrates first)')
    .option('--port <port>', 'HTTP port (KEEPDESK_PORT)', int)
    .option('--host <host>', 'interface to listen on (KEEPDESK_HOST)')
    .option('--role <role>', 'web, worker or all (KEEPDESK_ROLE)')
    .option('--smtp-port <port>', 'also take in e-mail over SMTP on this port (KEEPDESK_SMTP_PORT)', int)
    .option('--demo', 'create a demo workspace and print its logins')
    .addHelpText('after', settingsHelp),
).action((opts) => runCommand('start', opts));

databaseOptions(program.command('migrate').description('apply pending database migrations')).action((opts) =>
  runCommand('migrate', opts),
);

const user = program.command('user').description('manage users');
databaseOptions(
  user
    .command('create')
    .description('create a user; without --password an invitation link is e-mailed')
    .requiredOption('--email <email>', 'e-mail address')
    .requiredOption('--name <name>', 'display name')
    .option('--role <role>', 'admin, manager, team_lead, agent, retention_specialist, collaborator', 'agent')
    .option('--language <language>', 'de or en', 'en')
    .option('--password <password>', 'initial password (at least 10 characters)'),
).action((opts) => runCommand('user create', opts));

const token = program.command('token').description('manage API tokens');
databaseOptions(
  token
    .command('create')
    .description('create an API token for a user and print it once')
    .requiredOption('--user <email>', 'e-mail of the user the token acts as')
    .requiredOption('--name <name>', 'what the token is for'),
).action((opts) => runCommand('token create', opts));

const importCommand = program.command('import').description('import history from other tools');
databaseOptions(
  importCommand
    .command('ticket-events')
    .description(
      "import a ticket event log (one row per activity; a case's first activity is its arrival, its last its close) as closed tickets, so that reports cover it",
    )
    .argument('<file>', 'CSV file')
    .requiredOption('--case-col <column>', 'column naming the case (ticket)')
    .requiredOption('--activity-col <column>', 'column naming the activity')
    .requiredOption('--time-col <column>', 'column with the time of the activity')
    .option('--time-zone <zone>', 'time zone of times without an offset', 'UTC')
    .option('--time-format <format>', 'format of the times when not ISO 8601 or SQL, e.g. dd.MM.yyyy HH:mm')
    .option(
      '--source <name>',
      'name of the import (default: the file name); cases are imported once per source',
    ),
).action((file, opts) => runCommand('import ticket-events', { ...opts, file }));

const customers = program.command('customers').description('customer accounts and their 360 data');
databaseOptions(
  customers
    .command('import')
    .description(
      'import customer accounts, subscriptions, orders or product-usage events from a CSV file; rows are upserted by their external id (usage by account, name and time), so a file can be imported again; bad rows are reported by line while the good ones import',
    )
    .argument('<kind>', 'accounts, subscriptions, orders or usage')
    .argument('<file>', 'CSV file with a header')
    .option(
      '--map <field=column>',
      'read a field from a column named otherwise, e.g. --map external_id="Customer No" (repeatable)',
      (pair: string, pairs: string[]) => [...pairs, pair],
      [] as string[],
    )
    .option('--date-format <format>', 'format of dates and times when not ISO 8601 or SQL, e.g. dd.MM.yyyy')
    .option('--dry-run', 'check every row and show what would be written, without writing')
    .option('--json', 'print one JSON document'),
).action((kind, file, opts) => runCommand('customers import', { ...opts, kind, file }));

const clv = program.command('clv').description('customer lifetime value');
clv
  .command('fit')
  .description(
    'fit BG/NBD (how often customers buy, whether they are still alive) and Gamma-Gamma (how much they spend) to a transaction log or a customer summary; same-day purchases of a customer count as one',
  )
  .option('--transactions <file>', 'CSV with one row per purchase')
  .option('--customer-col <column>', 'column naming the customer')
  .option('--date-col <column>', 'column with the purchase date')
  .option('--amount-col <column>', 'column with the amount')
  .option('--date-format <format>', 'format of the dates when not ISO 8601, e.g. yyyyMMdd')
  .option('--calibration-end <date>', 'last day of the calibration period, YYYY-MM-DD')
  .option(
    '--holdout-end <date>',
    'last day of the holdout period the fit is compared with (default: the last purchase)',
  )
  .option('--summary <file>', 'CSV with one row per customer: frequency,recency,T[,monetary_value]')
  .option('--time-unit <unit>', 'day or week', 'week')
  .option('--json', 'print one JSON document')
  .action((opts) => runCommand('clv fit', opts));

const churn = program.command('churn').description('churn-risk models');
churn
  .command('evaluate')
  .description(
    'cross-validate churn models (regularised logistic regression, gradient-boosted trees) on any table and print the chosen one with its ROC AUC, accuracy, log-loss and top drivers; numeric and categorical columns are inferred, blanks handled',
  )
  .argument('<file>', 'CSV file, one row per customer')
  .requiredOption('--target <column>', 'column to predict')
  .option('--positive <value>', 'value of the target that means churned (default: Yes, 1, true…)')
  .option('--id <column>', 'column identifying the row (not a feature)')
  .option('--folds <count>', 'cross-validation folds (default 5; 3 on a table of more than 20,000 rows)')
  .option('--seed <number>', 'seed of the folds and the trees', '1')
  .option('--json', 'print one JSON document')
  .action((file, opts) => runCommand('churn evaluate', { ...opts, file }));
databaseOptions(
  churn
    .command('score')
    .description(
      "score the workspace's accounts: train the churn model when asked or due (a model that cannot be fitted is kept as failed and the active one stays), then store each account's risk with reasons, health and 12-month value; exits 1 while another retention run is going",
    )
    .option('--train', 'train the model first, even when it is not due')
    .option('--json', 'print one JSON document'),
).action((opts) => runCommand('churn score', opts));

const report = databaseOptions(
  program
    .command('report')
    .description('print one metric of the catalogue from the rollups (docs/metrics.md)')
    .option('--metric <name>', 'e.g. first_response_time, tickets_created, csat')
    .option('--stat <stat>', "median, avg, p90, count, sum, rate or score (default: the metric's own)")
    .option('--from <date>', 'first day, YYYY-MM-DD (default: 29 days before --to)')
    .option('--to <date>', 'last day, YYYY-MM-DD (default: today)')
    .option('--grain <grain>', 'hour, day, week, month or quarter', 'day')
    .option('--group-by <dimension>', 'team, agent, channel, priority, type or tag')
    .option('--filter <pairs>', 'dimension:value pairs separated by commas, e.g. channel:email')
    .option('--time-zone <zone>', 'IANA time zone the days are counted in', 'UTC')
    .option('--json', 'print one JSON document'),
).action((opts) => {
  if (!opts.metric) report.error("error: required option '--metric <name>' not specified");
  return runCommand('report', opts);
});
databaseOptions(
  report
    .command('rebuild')
    .description(
      'recompute every report and rollup row from the ticket history (the incremental path gives the same)',
    ),
).action((opts) => {
  // `report` has the same database options, and commander gives them to it: take them from there too.
  const { dataDir, databaseUrl } = report.opts<{ dataDir?: string; databaseUrl?: string }>();
  return runCommand('report rebuild', { dataDir, databaseUrl, ...opts });
});

databaseOptions(
  program
    .command('seed')
    .description('add large, realistic German and English ticket volumes (for benchmarks and load tests)')
    .requiredOption('--tickets <count>', 'how many tickets', int)
    .option('--messages-per-ticket <count>', 'messages in each ticket', int, '3'),
).action((opts) => runCommand('seed', opts));

await program.parseAsync(process.argv);
