import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  assignStratifiedFolds,
  type ChurnModel,
  type ChurnTable,
  createRandom,
  DEFAULT_CANDIDATES,
  encodeFeatures,
  evaluateChurn,
  fitEstimator,
  fitFeatureEncoder,
  inferColumnKinds,
  predictLogOdds,
  scoreChurn,
  trainChurnModel,
} from '@keepdesk/stats';
import { type BenchResult, progress, round } from './lib';

const TELCO = new URL('../packages/stats/fixtures/telco/Telco-Customer-Churn.csv', import.meta.url);
/** ROC AUC of a good model on Telco, as the data's README and the literature give it. */
const PUBLISHED_TELCO_AUC = 0.845;

/** A python with scikit-learn (Debian's python3-sklearn is in /usr/bin), or null. */
function pythonWithSklearn(): string | null {
  for (const python of ['python3', '/usr/bin/python3']) {
    if (spawnSync(python, ['-c', 'import sklearn'], { stdio: 'ignore' }).status === 0) return python;
  }
  return null;
}

/**
 * `churn.telco.auc`: the 5-fold ROC AUC of the model `keepdesk churn evaluate` chooses on the Telco data (seed
 * 1); reference: scikit-learn's best of logistic regressions and histogram gradient boosting on the same folds,
 * when python3-sklearn is installed, else the published 0.845.
 */
export async function churnTelcoAuc(): Promise<BenchResult> {
  const { parseCsv } = await import('../apps/server/src/platform/csv');
  const csv = parseCsv(readFileSync(TELCO, 'utf8'));
  const table: ChurnTable = { header: csv.header, rows: csv.records.map((r) => r.cells) };
  progress('churn.telco.auc: 5-fold cross-validation of the candidate models');
  const evaluation = evaluateChurn(table, {
    target: 'Churn',
    positive: 'Yes',
    id: 'customerID',
    folds: 5,
    seed: 1,
  });
  let reference = {
    name: 'the published ROC AUC of a good model (no python3-sklearn here)',
    value: PUBLISHED_TELCO_AUC,
  };
  const python = pythonWithSklearn();
  if (python) {
    progress('churn.telco.auc: scikit-learn on the same folds');
    const target = table.header.indexOf('Churn');
    const folds = assignStratifiedFolds(
      table.rows.map((row) => (row[target] === 'Yes' ? 1 : 0)),
      5,
      1,
    );
    const dir = mkdtempSync(path.join(tmpdir(), 'keepdesk-churn-'));
    try {
      const foldsFile = path.join(dir, 'folds.txt');
      writeFileSync(foldsFile, Array.from(folds).join('\n'));
      const run = spawnSync(
        python,
        [
          new URL('churn_reference.py', import.meta.url).pathname,
          TELCO.pathname,
          'Churn',
          'Yes',
          'customerID',
          foldsFile,
        ],
        { encoding: 'utf8' },
      );
      if (run.status !== 0) throw new Error(`churn_reference.py: ${run.stderr}`);
      const best = JSON.parse(run.stdout) as { auc: number; model: string };
      reference = { name: `scikit-learn's best on the same folds (${best.model})`, value: best.auc };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return {
    id: 'churn.telco.auc',
    value: round(evaluation.auc, 4),
    unit: 'AUC',
    reference: { name: reference.name, value: round(reference.value, 4) },
    ratio: round(evaluation.auc / reference.value, 4),
  };
}

const NUMERIC = 20;
const CATEGORICAL = 10;

/**
 * Customers with 20 numeric and 10 categorical columns (3 to 8 levels, some blanks) and a churn label drawn from
 * a risk with main effects and two interactions, about a quarter churned.
 */
function syntheticCustomers(rows: number, seed: number): ChurnTable {
  const random = createRandom(seed);
  const header = [
    'id',
    ...Array.from({ length: NUMERIC }, (_, i) => `number${i + 1}`),
    ...Array.from({ length: CATEGORICAL }, (_, i) => `category${i + 1}`),
    'churned',
  ];
  const table: string[][] = [];
  for (let r = 0; r < rows; r++) {
    const numbers = Array.from({ length: NUMERIC }, () => (random() + random() + random() - 1.5) * 2);
    const levels = Array.from({ length: CATEGORICAL }, (_, i) => Math.floor(random() * (3 + (i % 6))));
    const risk =
      -1.4 +
      0.9 * numbers[0]! -
      0.7 * numbers[1]! +
      0.5 * numbers[2]! * numbers[3]! +
      (levels[0] === 0 ? 0.8 : 0) +
      (levels[1] === 2 && numbers[4]! > 0 ? 1.1 : 0) -
      0.3 * levels[2]!;
    const churned = random() < 1 / (1 + Math.exp(-risk));
    table.push([
      `c${seed}-${r}`,
      ...numbers.map((n, i) => (i === 5 && random() < 0.02 ? '' : n.toFixed(3))),
      ...levels.map((level, i) => `level${i}-${level}`),
      churned ? 'yes' : 'no',
    ]);
  }
  return { header, rows: table };
}

const TRAIN_ROWS = 100_000;
const SCORE_ROWS = 1_000_000;
const SCORE_CHUNK = 100_000;

/**
 * `churn.train.100k` and `churn.score.1m`: seconds to train on 100,000 customers × 30 columns what scheduled
 * retraining trains (the candidates cross-validated on a stratified sample of 20,000 rows, three folds; the
 * winner fitted on the other 90 % and calibrated and tested on a held-out 10 %; docs/adr/0037), and to score
 * 1,000,000 customers with each one's three reasons each way. References in the same run: scikit-learn fitting
 * one histogram gradient-boosting model to the same rows on one thread when python3-sklearn is installed (else
 * one fit of the chosen model on the encoded rows), and the log-odds of the million without reasons.
 */
export function churnTrainAndScore(): BenchResult[] {
  const training = syntheticCustomers(TRAIN_ROWS, 7);
  progress(`churn.train.100k: training on ${TRAIN_ROWS} rows × ${NUMERIC + CATEGORICAL} columns`);
  let started = performance.now();
  const model: ChurnModel = trainChurnModel(training, {
    target: 'churned',
    positive: 'yes',
    id: 'id',
    seed: 1,
  });
  const trainSeconds = (performance.now() - started) / 1000;
  const { evaluation } = model;
  progress(
    `churn.train.100k: chose ${evaluation.modelName} (${evaluation.folds}-fold AUC ${evaluation.auc.toFixed(4)} on ${evaluation.selectionRows} rows; held-out AUC ${evaluation.holdout?.auc.toFixed(4)})`,
  );
  const trainReference = sklearnFitSeconds(training) ?? oneFitReference(training, evaluation.modelName);

  progress(`churn.score.1m: scoring ${SCORE_ROWS} customers with reasons`);
  let scoreSeconds = 0;
  let plainSeconds = 0;
  let scored = 0;
  for (let chunk = 0; chunk < SCORE_ROWS / SCORE_CHUNK; chunk++) {
    const rows = syntheticCustomers(SCORE_CHUNK, 100 + chunk);
    started = performance.now();
    const scores = scoreChurn(model, rows);
    scoreSeconds += (performance.now() - started) / 1000;
    scored += scores.length;
    if (
      scores.some(
        (s) => !(s.probability >= 0 && s.probability <= 1) || s.raising.length + s.lowering.length === 0,
      )
    ) {
      throw new Error('a score without a probability or reasons');
    }
    started = performance.now();
    predictLogOdds(model.estimator, encodeFeatures(model.encoder, rows));
    plainSeconds += (performance.now() - started) / 1000;
  }
  if (scored !== SCORE_ROWS) throw new Error(`scored ${scored} of ${SCORE_ROWS}`);
  return [
    {
      id: 'churn.train.100k',
      value: round(trainSeconds, 1),
      unit: 's',
      reference: { name: trainReference.name, value: round(trainReference.seconds, 1) },
      ratio: round(trainSeconds / trainReference.seconds, 2),
    },
    {
      id: 'churn.score.1m',
      value: round(scoreSeconds, 1),
      unit: 's',
      reference: {
        name: `encoding and log-odds of the same rows without reasons (${evaluation.modelName})`,
        value: round(plainSeconds, 1),
      },
      ratio: round(scoreSeconds / plainSeconds, 2),
    },
  ];
}

/** Seconds scikit-learn takes to fit one HistGradientBoostingClassifier to the table on one thread, or null. */
function sklearnFitSeconds(table: ChurnTable): { name: string; seconds: number } | null {
  const python = pythonWithSklearn();
  if (!python) return null;
  progress('churn.train.100k: scikit-learn fitting one histogram gradient-boosting model to the same rows');
  const dir = mkdtempSync(path.join(tmpdir(), 'keepdesk-churn-'));
  try {
    const file = path.join(dir, 'customers.csv');
    writeFileSync(file, [table.header, ...table.rows].map((row) => row.join(',')).join('\n'));
    // One thread, like the TypeScript it is compared with; OpenMP's threads also wait actively for each other,
    // which on a busy 2-core machine made the same fit take 10 s in one run and 136 s in the next.
    const run = spawnSync(
      python,
      [new URL('churn_fit_reference.py', import.meta.url).pathname, file, 'churned', 'yes', 'id'],
      { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } },
    );
    if (run.status !== 0) throw new Error(`churn_fit_reference.py: ${run.stderr}`);
    const fit = JSON.parse(run.stdout) as { seconds: number; rounds: number };
    return {
      name: `scikit-learn: one HistGradientBoostingClassifier fit on one thread (depth 3, rate 0.05, early stopping; ${fit.rounds} rounds) to the same rows`,
      seconds: fit.seconds,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Without scikit-learn: seconds of one fit of the chosen candidate to all the encoded rows. */
function oneFitReference(table: ChurnTable, modelName: string): { name: string; seconds: number } {
  const started = performance.now();
  const kinds = inferColumnKinds(table, ['churned', 'id']);
  const encoder = fitFeatureEncoder(table, kinds);
  const matrix = encodeFeatures(encoder, table);
  const target = table.header.indexOf('churned');
  const labels = Uint8Array.from(table.rows, (row) => (row[target] === 'yes' ? 1 : 0));
  const chosen = DEFAULT_CANDIDATES.find((candidate) => candidate.name === modelName)!;
  fitEstimator(chosen, encoder.features, matrix, labels, 1);
  return {
    name: `one fit of the chosen model (${modelName}) on the encoded rows (no python3-sklearn here)`,
    seconds: (performance.now() - started) / 1000,
  };
}
