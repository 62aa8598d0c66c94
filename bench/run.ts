// `npm run bench [-- --only ID]`: runs the benchmarks, prints a table and writes bench/results.json.
import { apiRead } from './api-read';
import { authLogin } from './auth-login';
import { startKeepdeskUnderTest } from './keepdesk';
import { type BenchResult, writeResults } from './lib';

const BENCHMARKS = {
  'api.read': { run: apiRead, goal: (r: BenchResult) => r.ratio >= 0.5, goalText: 'ratio ≥ 0.5' },
  'auth.login.p95': { run: authLogin, goal: undefined, goalText: '—' },
} as const;
type Id = keyof typeof BENCHMARKS;

function selected(argv: string[]): Id[] {
  const index = argv.indexOf('--only');
  if (index === -1) return Object.keys(BENCHMARKS) as Id[];
  const id = argv[index + 1] ?? '';
  if (!(id in BENCHMARKS)) {
    process.stderr.write(`unknown benchmark "${id}"; known: ${Object.keys(BENCHMARKS).join(', ')}\n`);
    process.exit(2);
  }
  return [id as Id];
}

function table(results: BenchResult[]): string {
  const rows = [
    ['id', 'value', 'unit', 'reference', 'ref. value', 'ratio', 'goal'],
    ...results.map((r) => {
      const bench = BENCHMARKS[r.id as Id];
      const verdict = bench.goal ? `${bench.goalText} ${bench.goal(r) ? 'met' : 'MISSED'}` : bench.goalText;
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
try {
  for (const id of ids) {
    process.stderr.write(`${id}\n`);
    results.push(await BENCHMARKS[id].run(keepdesk));
  }
} finally {
  await keepdesk.stop();
}
writeResults(results);
process.stdout.write(`${table(results)}\n\nwritten to bench/results.json\n`);
