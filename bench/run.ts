// `npm run bench [-- --only ID]`: runs the benchmarks, prints a table and writes bench/results.json.
import { apiRead } from './api-read';
import { authLogin } from './auth-login';
import { churnTelcoAuc, churnTrainAndScore } from './churn';
import { emailIngest, emailThreading } from './email';
import { feedbackThemes, surveyAnswer } from './feedback';
import { helpCenterArticle } from './helpcenter';
import { type KeepdeskUnderTest, startKeepdeskUnderTest } from './keepdesk';
import { knowledgeSearch } from './knowledge';
import { type BenchResult, writeResults } from './lib';
import { dashboardManager, rollupLag } from './reporting';
import { clvFitCdnow } from './retention';
import { routingAssign } from './routing';
import { slaSweep } from './sla';
import { searchLatency, seedVolume, serverMemory, ticketCreate, ticketList } from './tickets';
import { triggerEval } from './triggers';

interface Benchmark {
  run: (k: KeepdeskUnderTest) => Promise<BenchResult | BenchResult[]> | BenchResult | BenchResult[];
  /** Runs on the database filled with the benchmark volume (seeded once, when first needed). */
  needsVolume?: boolean;
}

/** In the order they run: light ones first, then those on a million tickets, memory last. */
const BENCHMARKS: Record<string, Benchmark> = {
  'api.read': { run: apiRead },
  'auth.login.p95': { run: authLogin },
  'ticket.create.http': { run: ticketCreate },
  'email.ingest': { run: emailIngest },
  'email.threading.accuracy': { run: emailThreading },
  'routing.assign': { run: routingAssign },
  'ticket.list.p95': { run: ticketList, needsVolume: true },
  'search.p95': { run: searchLatency, needsVolume: true },
  'dashboard.manager.p95': { run: dashboardManager, needsVolume: true },
  'rollup.lag': { run: rollupLag, needsVolume: true },
  'sla.sweep': { run: slaSweep },
  'trigger.eval': { run: triggerEval },
  'survey.answer.http': { run: surveyAnswer },
  'feedback.themes': { run: feedbackThemes },
  'kb.search.p95': { run: knowledgeSearch },
  'helpcenter.article.http': { run: helpCenterArticle },
  'clv.fit.cdnow': { run: clvFitCdnow },
  'churn.telco.auc': { run: churnTelcoAuc },
  'churn.train.100k': { run: churnTrainAndScore },
  'server.rss': { run: serverMemory },
};

const GOALS: Record<string, { text: string; met: (r: BenchResult) => boolean }> = {
  'api.read': { text: 'ratio ≥ 0.5', met: (r) => r.ratio >= 0.5 },
  'ticket.create.http': { text: 'ratio ≥ 0.5', met: (r) => r.ratio >= 0.5 },
  'email.ingest': { text: 'ratio ≥ 0.3', met: (r) => r.ratio >= 0.3 },
  'email.threading.accuracy': { text: '100 %', met: (r) => r.value === 100 },
  'routing.assign': { text: '≥ 500/s', met: (r) => r.value >= 500 },
  'ticket.list.p95': { text: '≤ 20 ms', met: (r) => r.value <= 20 },
  'ticket.list.filtered.p95': { text: '≤ 20 ms', met: (r) => r.value <= 20 },
  'search.p95': { text: '≤ 100 ms', met: (r) => r.value <= 100 },
  'dashboard.manager.p95': { text: '≤ 150 ms, ratio ≤ 1', met: (r) => r.value <= 150 && r.ratio <= 1 },
  'rollup.lag': { text: '≤ 5 s', met: (r) => r.value <= 5 },
  'sla.sweep': { text: '≤ 2 s', met: (r) => r.value <= 2000 },
  'trigger.eval': { text: '≥ 1,000/s', met: (r) => r.value >= 1000 },
  'survey.answer.http': { text: '≥ 1,000/s', met: (r) => r.value >= 1000 },
  'feedback.themes': { text: '≤ 30 s', met: (r) => r.value <= 30 },
  'kb.search.p95': { text: '≤ 50 ms', met: (r) => r.value <= 50 },
  'helpcenter.article.http': { text: '≥ 1,000/s', met: (r) => r.value >= 1000 },
  'clv.fit.cdnow': { text: '≤ 1 s', met: (r) => r.value <= 1 },
  'churn.telco.auc': { text: '≥ 0.845, ratio ≥ 1', met: (r) => r.value >= 0.845 && r.ratio >= 1 },
  'churn.train.100k': { text: '≤ 30 s', met: (r) => r.value <= 30 },
  'churn.score.1m': { text: '≤ 60 s', met: (r) => r.value <= 60 },
  'server.rss': { text: '≤ 400 MB', met: (r) => r.value <= 400 },
};

function selected(argv: string[]): string[] {
  const index = argv.indexOf('--only');
  if (index === -1) return Object.keys(BENCHMARKS);
  // `--only a,b` runs several, in the order of BENCHMARKS (those on the volume share one seed).
  const ids = (argv[index + 1] ?? '').split(',');
  const unknown = ids.find((id) => !(id in BENCHMARKS));
  if (unknown !== undefined) {
    process.stderr.write(`unknown benchmark "${unknown}"; known: ${Object.keys(BENCHMARKS).join(', ')}\n`);
    process.exit(2);
  }
  return Object.keys(BENCHMARKS).filter((id) => ids.includes(id));
}

function table(results: BenchResult[]): string {
  const rows = [
    ['id', 'value', 'unit', 'reference', 'ref. value', 'ratio', 'goal'],
    ...results.map((r) => {
      const goal = GOALS[r.id];
      const verdict = goal ? `${goal.text} ${goal.met(r) ? 'met' : 'MISSED'}` : '—';
      return [
        r.id,
        String(r.value),
        r.unit,
        r.reference.name,
        String(r.reference.value),
        String(r.ratio),
        verdict,
      ];
    }),
  ];
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
  return rows.map((row) => row.map((cell, col) => cell.padEnd(widths[col]!)).join('  ')).join('\n');
}

const ids = selected(process.argv.slice(2));
const keepdesk = await startKeepdeskUnderTest();
const results: BenchResult[] = [];
let seeded = false;
try {
  for (const id of ids) {
    const benchmark = BENCHMARKS[id]!;
    if (benchmark.needsVolume && !seeded) {
      await seedVolume(keepdesk);
      seeded = true;
    }
    process.stderr.write(`${id}\n`);
    results.push(...[await benchmark.run(keepdesk)].flat());
  }
} finally {
  await keepdesk.stop();
}
writeResults(results);
process.stdout.write(`${table(results)}\n\nwritten to bench/results.json\n`);
