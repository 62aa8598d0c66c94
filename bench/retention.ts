import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { type BenchResult, progress, round } from './lib';

const CDNOW = new URL('../packages/stats/fixtures/cdnow/CDNOW_sample.txt', import.meta.url);
const RUNS = 5;

/**
 * `clv.fit.cdnow`: seconds to fit BG/NBD and Gamma-Gamma to the CDNOW sample (2,357 customers, 39-week
 * calibration), median of five fits of what `keepdesk clv fit` runs; reference: the same two likelihoods in NumPy
 * maximised by SciPy's Nelder-Mead when python3-scipy is installed, else the seconds to read and summarise the
 * transactions.
 */
export async function clvFitCdnow(): Promise<BenchResult> {
  const { parseCsv } = await import('../apps/server/src/platform/csv');
  const { dayOfOption, fitLifetimeValue, historiesOfTransactions, transactionsOfCsv } = await import(
    '../apps/server/src/modules/retention'
  );
  const lines = readFileSync(CDNOW, 'utf8').trim().split('\n');
  const csv = ['customer,sample,date,cds,dollars', ...lines.map((l) => l.trim().split(/\s+/).join(','))].join(
    '\n',
  );
  const summarise = () => {
    const { transactions } = transactionsOfCsv(
      parseCsv(csv),
      { customer: 'customer', date: 'date', amount: 'dollars', dateFormat: 'yyyyMMdd' },
      Number.POSITIVE_INFINITY,
    );
    return historiesOfTransactions(transactions, {
      calibrationEnd: dayOfOption('1997-09-30', 'calibration end'),
      holdoutEnd: dayOfOption('1998-06-30', 'holdout end'),
      timeUnit: 'week',
    }).customers;
  };
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
  progress(`clv.fit.cdnow: ${RUNS} fits of BG/NBD and Gamma-Gamma`);
  const customers = summarise();
  const fits: number[] = [];
  const summaries: number[] = [];
  let fit: ReturnType<typeof fitLifetimeValue> | undefined;
  for (let i = 0; i < RUNS; i++) {
    let started = performance.now();
    summarise();
    summaries.push((performance.now() - started) / 1000);
    started = performance.now();
    fit = fitLifetimeValue(customers, null);
    fits.push((performance.now() - started) / 1000);
  }
  if (Math.abs(fit!.bgnbd.r - 0.243) > 0.001) throw new Error(`BG/NBD r = ${fit!.bgnbd.r}, published 0.243`);
  const value = median(fits);
  const scipy = spawnSync('python3', [new URL('clv_reference.py', import.meta.url).pathname], {
    input: customers
      .map((c) => JSON.stringify([c.frequency, c.recency, c.age, c.monetaryValue ?? 0]))
      .join('\n'),
    encoding: 'utf8',
  });
  const reference =
    scipy.status === 0
      ? {
          name: 'the same likelihoods in NumPy, maximised by SciPy Nelder-Mead (median of 5)',
          value: (JSON.parse(scipy.stdout) as { seconds: number }).seconds,
        }
      : {
          name: 'reading and summarising the transactions (no python3-scipy here)',
          value: median(summaries),
        };
  return {
    id: 'clv.fit.cdnow',
    value: round(value, 3),
    unit: 's',
    reference: { name: reference.name, value: round(reference.value, 3) },
    ratio: round(value / reference.value, 3),
  };
}
