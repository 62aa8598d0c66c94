import { describe, expect, it } from 'vitest';
import {
  encodeFeatures,
  fitFeatureEncoder,
  inferColumnKinds,
  MAX_LEVELS,
  OTHER_LEVEL,
  parseNumber,
} from './feature-encoder';

const TABLE = {
  header: ['id', 'tenure', 'charges', 'contract', 'senior', 'Churn'],
  rows: [
    ['a', '1', '29.85', 'Month-to-month', '0', 'Yes'],
    ['b', '34', ' ', 'One year', '1', 'No'],
    ['c', '2', '108.15', 'Month-to-month', '0', 'Yes'],
    ['d', '45', '1840.75', '', '0', 'No'],
    ['e', '8', '1e2', 'Two year', '1', 'No'],
  ],
};

describe('inferColumnKinds', () => {
  it('calls a column numeric when every non-blank cell is a number, and leaves out target and id', () => {
    expect(inferColumnKinds(TABLE, ['id', 'Churn'])).toEqual([
      { column: 'tenure', kind: 'numeric' },
      { column: 'charges', kind: 'numeric' },
      { column: 'contract', kind: 'categorical' },
      { column: 'senior', kind: 'numeric' },
    ]);
  });

  it('reads plain decimal numbers only', () => {
    expect(['12', '-3.5', '.5', '1e3', ' 7 '].map(parseNumber)).toEqual([12, -3.5, 0.5, 1000, 7]);
    for (const text of ['0x1f', 'Infinity', '1e400', '1,5', '', 'NaN']) expect(parseNumber(text)).toBeNaN();
  });
});

describe('fitFeatureEncoder and encodeFeatures', () => {
  const kinds = inferColumnKinds(TABLE, ['id', 'Churn']);

  it('imputes the training median, adds a blank indicator and one-hot encodes with a (blank) level', () => {
    const encoder = fitFeatureEncoder(TABLE, kinds);
    expect(encoder.features.map((feature) => feature.name)).toEqual([
      'tenure',
      'charges',
      'charges is blank',
      'contract = (blank)',
      'contract = Month-to-month',
      'contract = One year',
      'contract = Two year',
      'senior',
    ]);
    // Median of 29.85, 108.15, 1840.75, 100 is (100 + 108.15) / 2.
    const median = (100 + 108.15) / 2;
    const matrix = encodeFeatures(encoder, TABLE);
    expect(matrix.featureCount).toBe(8);
    expect(Array.from(matrix.values.subarray(8, 16))).toEqual([34, median, 1, 0, 0, 1, 0, 1]);
    expect(Array.from(matrix.values.subarray(24, 32))).toEqual([45, 1840.75, 0, 1, 0, 0, 0, 0]);
  });

  it('learns from the training rows only: unseen levels get no 1, no indicator without training blanks', () => {
    const encoder = fitFeatureEncoder(TABLE, kinds, [0, 2, 4]);
    expect(encoder.columns).toEqual([
      { kind: 'numeric', column: 'tenure', median: 2, hasMissingIndicator: false },
      { kind: 'numeric', column: 'charges', median: 100, hasMissingIndicator: false },
      {
        kind: 'categorical',
        column: 'contract',
        levels: ['Month-to-month', 'Two year'],
        hasOtherLevel: false,
      },
      { kind: 'numeric', column: 'senior', median: 0, hasMissingIndicator: false },
    ]);
    const matrix = encodeFeatures(encoder, TABLE, [1]);
    expect(Array.from(matrix.values)).toEqual([34, 100, 0, 0, 1]);
  });

  it('survives a JSON round trip and reads columns by name in any order', () => {
    const encoder = fitFeatureEncoder(TABLE, kinds);
    const stored = JSON.parse(JSON.stringify(encoder));
    const order = [5, 4, 3, 2, 1, 0];
    const shuffled = {
      header: order.map((index) => TABLE.header[index]!),
      rows: TABLE.rows.map((row) => order.map((index) => row[index]!)),
    };
    expect(encodeFeatures(stored, shuffled)).toEqual(encodeFeatures(encoder, TABLE));
  });

  it('names the column when a scored cell is not a number or a column is missing', () => {
    const encoder = fitFeatureEncoder(TABLE, kinds);
    const bad = { header: TABLE.header, rows: [['x', 'ten', '1', 'One year', '0', 'No']] };
    expect(() => encodeFeatures(encoder, bad)).toThrow("column tenure holds numbers, but one cell is 'ten'");
    const missing = { header: ['tenure'], rows: [['3']] };
    expect(() => encodeFeatures(encoder, missing)).toThrow(/feature column 'charges' is not in the table/);
  });

  it('keeps the most frequent levels of a many-valued column and pools the rest, unseen ones too, as (other)', () => {
    const rows = Array.from({ length: 300 }, (_, row) => [row < 100 ? 'common' : `rare ${row}`]);
    const table = { header: ['name'], rows };
    const encoder = fitFeatureEncoder(table, [{ column: 'name', kind: 'categorical' }]);
    const [encoding] = encoder.columns;
    expect(encoding).toMatchObject({ kind: 'categorical', hasOtherLevel: true });
    if (encoding?.kind !== 'categorical') return;
    expect(encoding.levels).toHaveLength(MAX_LEVELS);
    expect(encoding.levels).toContain('common');
    expect(encoding.levels.at(-1)).toBe(OTHER_LEVEL);
    const other = encoding.levels.length - 1;
    const matrix = encodeFeatures(encoder, { header: ['name'], rows: [['never seen'], ['common']] });
    expect(matrix.values[other]).toBe(1);
    expect(matrix.values[MAX_LEVELS + encoding.levels.indexOf('common')]).toBe(1);
  });
});
