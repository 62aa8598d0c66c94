import { describe, expect, it } from 'vitest';
import { type Candidate, createExplainer, fitEstimator, predictLogOdds } from './estimators';
import { describeReason, reasonsOfRow, sumByColumn } from './explanations';
import { encodeFeatures, fitFeatureEncoder, inferColumnKinds } from './feature-encoder';
import { makeCustomerTable } from './test-data';

const TABLE = makeCustomerTable(800, 21);
const LABELS = Uint8Array.from(TABLE.rows, (row) => (row[5] === 'Yes' ? 1 : 0));
const ENCODER = fitFeatureEncoder(TABLE, inferColumnKinds(TABLE, ['customerID', 'Churn']));
const MATRIX = encodeFeatures(ENCODER, TABLE);

const CANDIDATES: Candidate[] = [
  { name: 'ridge', kind: 'logistic', options: { penalty: 0.01 } },
  { name: 'elastic net', kind: 'logistic', options: { penalty: 0.01, l1Ratio: 0.5 } },
  { name: 'trees', kind: 'gradient-boosting', options: { maxDepth: 4, maxRounds: 60, minSamplesLeaf: 10 } },
];

describe.each(CANDIDATES)('explanations of $name', (candidate) => {
  const estimator = fitEstimator(candidate, ENCODER.features, MATRIX, LABELS, 1);
  const explainer = createExplainer(estimator);
  const contributions = explainer.explain(MATRIX);
  const logOdds = predictLogOdds(estimator, MATRIX);

  it('add up to the log-odds minus the expected value in every row, per feature and per column', () => {
    const columnSums = sumByColumn(ENCODER, contributions);
    const [features, columns] = [ENCODER.features.length, ENCODER.columns.length];
    for (let row = 0; row < MATRIX.rowCount; row++) {
      let byFeature = explainer.expectedValue;
      for (let feature = 0; feature < features; feature++)
        byFeature += contributions[row * features + feature]!;
      let byColumn = explainer.expectedValue;
      for (let column = 0; column < columns; column++) byColumn += columnSums[row * columns + column]!;
      expect(Math.abs(byFeature - logOdds[row]!)).toBeLessThan(1e-9);
      expect(Math.abs(byColumn - logOdds[row]!)).toBeLessThan(1e-9);
    }
  });

  it('lists the largest reasons each way, in order, with the row’s own cell', () => {
    const columnSums = sumByColumn(ENCODER, contributions);
    const headerIndex = ENCODER.columns.map((encoding) => TABLE.header.indexOf(encoding.column));
    const { raising, lowering } = reasonsOfRow(
      ENCODER,
      columnSums,
      0,
      2,
      (column) => TABLE.rows[0]![headerIndex[column]!]!.trim() || '(blank)',
    );
    const all = Array.from(columnSums.subarray(0, ENCODER.columns.length));
    expect(raising.length + lowering.length).toBeGreaterThan(0);
    const positives = all.filter((value) => value > 0).sort((a, b) => b - a);
    const negatives = all.filter((value) => value < 0).sort((a, b) => a - b);
    expect(raising.map((reason) => reason.contribution)).toEqual(positives.slice(0, 2));
    expect(lowering.map((reason) => reason.contribution)).toEqual(negatives.slice(0, 2));
    for (const reason of [...raising, ...lowering]) {
      const column = ENCODER.columns.findIndex((encoding) => encoding.column === reason.column);
      expect(reason.value).toBe(TABLE.rows[0]![headerIndex[column]!]!.trim() || '(blank)');
    }
  });
});

describe('describeReason', () => {
  it('reads as a sentence with a signed size', () => {
    expect(describeReason({ column: 'Contract', value: 'Month-to-month', contribution: 0.6149 })).toBe(
      'Contract = Month-to-month raises risk by +0.61 log-odds',
    );
    expect(describeReason({ column: 'tenure', value: '60', contribution: -1.2 })).toBe(
      'tenure = 60 lowers risk by −1.20 log-odds',
    );
  });
});
