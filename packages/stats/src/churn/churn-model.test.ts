import { describe, expect, it } from 'vitest';
import { evaluateChurn, trainChurnModel } from './churn-model';
import { scoreChurn } from './churn-scoring';
import { ChurnDataError } from './churn-table';
import type { Candidate } from './estimators';
import { makeCustomerTable } from './test-data';

const TABLE = makeCustomerTable(1200, 5);
const CANDIDATES: Candidate[] = [
  { name: 'ridge', kind: 'logistic', options: { penalty: 0.001 } },
  {
    name: 'small trees',
    kind: 'gradient-boosting',
    options: { maxDepth: 2, maxRounds: 80, learningRate: 0.1 },
  },
];
const OPTIONS = { target: 'Churn', id: 'customerID', folds: 4, seed: 7, candidates: CANDIDATES };
const MODEL = trainChurnModel(TABLE, OPTIONS);

describe('trainChurnModel and evaluateChurn', () => {
  it('reports every candidate and chooses the one with the best cross-validated AUC', () => {
    const evaluation = MODEL.evaluation;
    expect(evaluation).toMatchObject({ folds: 4, rows: 1200, positive: 'Yes' });
    expect(evaluation.candidates.map((candidate) => candidate.name)).toEqual(['ridge', 'small trees']);
    const best = Math.max(...evaluation.candidates.map((candidate) => candidate.auc));
    expect(evaluation.auc).toBe(best);
    expect(evaluation.model).toBe(evaluation.candidates.find((candidate) => candidate.auc === best)!.model);
    for (const candidate of evaluation.candidates) {
      expect(candidate.foldAuc).toHaveLength(4);
      expect(candidate.auc).toBeGreaterThan(0.7);
    }
  });

  it('never uses the id column and ranks the real drivers above the noise', () => {
    expect(MODEL.encoder.columns.map((column) => column.column)).toEqual([
      'Contract',
      'tenure',
      'MonthlyCharges',
      'Region',
    ]);
    const drivers = MODEL.evaluation.topDrivers;
    expect(
      drivers
        .map((driver) => driver.feature)
        .slice(0, 2)
        .sort(),
    ).toEqual(['Contract', 'tenure']);
    expect(drivers.at(-1)!.feature).toBe('Region');
    expect(drivers.find((driver) => driver.feature === 'tenure')!.direction).toBe('higher-lowers-risk');
    expect(drivers.find((driver) => driver.feature === 'Contract')).toMatchObject({
      direction: 'by-level',
      riskiestLevel: 'Month-to-month',
      safestLevel: 'Two year',
    });
  });

  it('counts every row in the reliability curve of the calibrated out-of-fold probabilities', () => {
    const { reliability, calibrated } = MODEL.evaluation;
    expect(reliability.reduce((sum, bin) => sum + bin.count, 0)).toBe(1200);
    expect(MODEL.evaluation).toMatchObject({ selectionRows: 1200, holdout: null });
    expect(calibrated.method).toBe('platt');
    expect(calibrated.logLoss).toBeLessThan(0.6);
  });

  it('gives the same result for the same seed, and evaluateChurn is its evaluation', () => {
    expect(evaluateChurn(TABLE, OPTIONS)).toEqual(MODEL.evaluation);
  });

  it('refuses bad input with a readable error', () => {
    expect(() => trainChurnModel(TABLE, { ...OPTIONS, target: 'Churned' })).toThrow(ChurnDataError);
    expect(() =>
      trainChurnModel({ header: ['Churn'], rows: TABLE.rows.map((row) => [row[5]!]) }, { target: 'Churn' }),
    ).toThrow('the table has no columns to learn from besides the target and id');
    expect(() => trainChurnModel(TABLE, { ...OPTIONS, id: undefined })).toThrow(
      'column customerID has a different value in every row, so it cannot predict churn; pass it as the id column (--id customerID)',
    );
  });
});

describe('trainChurnModel on a table larger than selectionRows', () => {
  const LARGE = { ...OPTIONS, folds: undefined, selectionRows: 400 };
  const large = trainChurnModel(TABLE, LARGE);

  it('chooses on a stratified sample with three folds, then tests and calibrates on a held-out tenth', () => {
    const evaluation = large.evaluation;
    expect(evaluation).toMatchObject({ rows: 1200, folds: 3 });
    expect(Math.abs(evaluation.selectionRows - 400)).toBeLessThanOrEqual(1);
    for (const candidate of evaluation.candidates) expect(candidate.foldAuc).toHaveLength(3);
    expect(evaluation.holdout!.rows).toBe(120);
    expect(evaluation.holdout!.auc).toBeGreaterThan(0.7);
    expect(evaluation.holdout!.logLoss).toBeLessThan(0.6);
    expect(evaluation.reliability.reduce((sum, bin) => sum + bin.count, 0)).toBe(120);
    expect(
      evaluation.topDrivers
        .map((driver) => driver.feature)
        .slice(0, 2)
        .sort(),
    ).toEqual(['Contract', 'tenure']);
  });

  it('is the same for the same seed and holds out other rows for another', () => {
    expect(trainChurnModel(TABLE, LARGE).evaluation).toEqual(large.evaluation);
    const other = trainChurnModel(TABLE, { ...LARGE, seed: 8 }).evaluation;
    expect(other.holdout!.auc).not.toBe(large.evaluation.holdout!.auc);
  });

  it('chooses on every row when a class is too rare to sample and hold out', () => {
    let churned = 0;
    const rare = {
      header: TABLE.header,
      rows: TABLE.rows.map((row) => {
        const isKept = row[5] === 'Yes' && churned < 5;
        if (isKept) churned++;
        return [...row.slice(0, 5), isKept ? 'Yes' : 'No'];
      }),
    };
    const evaluation = trainChurnModel(rare, LARGE).evaluation;
    expect(evaluation.holdout).toBeNull();
    expect(evaluation.selectionRows).toBe(1200);
  });
});

describe('progress of trainChurnModel', () => {
  const progressOf = (options: object) => {
    const calls: [number, number][] = [];
    trainChurnModel(TABLE, {
      ...OPTIONS,
      ...options,
      onProgress: (done, total) => calls.push([done, total]),
    });
    return calls;
  };

  it('counts every candidate on every fold and the final fit, up to the total', () => {
    const calls = progressOf({});
    expect(calls[0]).toEqual([0, 9]);
    expect(calls.at(-1)).toEqual([9, 9]);
    expect(calls.map(([done]) => done)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(progressOf({ folds: undefined, selectionRows: 400 }).at(-1)).toEqual([7, 7]);
  });
});

describe('scoreChurn', () => {
  it('scores stored models the same, with ids, calibrated probabilities and reasons', () => {
    const stored = JSON.parse(JSON.stringify(MODEL));
    const scores = scoreChurn(stored, TABLE);
    expect(scores).toEqual(scoreChurn(MODEL, TABLE));
    expect(scores).toHaveLength(1200);
    expect(scores[0]!.id).toBe('cust-0');
    for (const score of scores.slice(0, 50)) {
      expect(score.probability > 0 && score.probability < 1).toBe(true);
      expect(score.raising.length).toBeLessThanOrEqual(3);
      for (const reason of score.raising) expect(reason.contribution).toBeGreaterThan(0);
      for (const reason of score.lowering) expect(reason.contribution).toBeLessThan(0);
    }
  });

  it('ranks month-to-month newcomers above long-standing two-year customers', () => {
    const header = ['Region', 'MonthlyCharges', 'tenure', 'Contract', 'customerID'];
    const [risky, safe] = scoreChurn(MODEL, {
      header,
      rows: [
        ['west', '90', '1', 'Month-to-month', 'new'],
        ['north', '40', '70', 'Two year', 'old'],
      ],
    });
    expect(risky!.probability).toBeGreaterThan(0.5);
    expect(safe!.probability).toBeLessThan(0.1);
    expect(risky!.raising.map((reason) => reason.column)).toContain('Contract');
    expect(risky!.raising.find((reason) => reason.column === 'Contract')!.value).toBe('Month-to-month');
  });
});
