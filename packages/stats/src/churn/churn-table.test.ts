import { describe, expect, it } from 'vitest';
import { ChurnDataError, type ChurnTable, readTarget } from './churn-table';

/** Ten rows: customer id, plan, churned; 'Yes' in rows 1, 4 and 7 unless told otherwise. */
function tableOf(
  churned: readonly string[] = ['Yes', 'No', 'No', 'Yes', 'No', 'No', 'Yes', 'No', 'No', 'No'],
) {
  return {
    header: ['id', 'plan', 'Churn'],
    rows: churned.map((value, row) => [`c${row}`, row % 2 ? 'basic' : 'pro', value]),
  } satisfies ChurnTable;
}

describe('readTarget', () => {
  it('reads Yes as churned without being told', () => {
    const { labels, positive, positiveCount } = readTarget(tableOf(), { target: 'Churn', folds: 3 });
    expect(positive).toBe('Yes');
    expect(positiveCount).toBe(3);
    expect(Array.from(labels)).toEqual([1, 0, 0, 1, 0, 0, 1, 0, 0, 0]);
  });

  it('takes every other value as not churned when a positive value is given', () => {
    const values = [
      'gone',
      'active',
      'paused',
      'gone',
      'active',
      'paused',
      'gone',
      'active',
      'active',
      'gone',
    ];
    const { labels } = readTarget(tableOf(values), { target: 'Churn', positive: 'gone', folds: 2 });
    expect(Array.from(labels)).toEqual([1, 0, 0, 1, 0, 0, 1, 0, 0, 1]);
  });

  it.each([
    [
      'a missing target, naming the columns there are',
      { target: 'churned', folds: 3 },
      tableOf(),
      "target column 'churned' is not in the table; its columns are: 'id', 'plan', 'Churn'",
    ],
    [
      'a missing id column',
      { target: 'Churn', id: 'customerID', folds: 3 },
      tableOf(),
      /id column 'customerID'/,
    ],
    [
      'a target with one class',
      { target: 'Churn', folds: 3 },
      tableOf(new Array(10).fill('No')),
      "target Churn has only the value 'No'",
    ],
    [
      'fewer churned rows than folds',
      { target: 'Churn', folds: 5 },
      tableOf(),
      "target Churn has only 3 rows 'Yes', fewer than the 5 folds",
    ],
    [
      'fewer than 10 rows',
      { target: 'Churn', folds: 2 },
      tableOf(['Yes', 'No', 'Yes']),
      /has 3 rows; .* at least 10/,
    ],
    [
      'a positive value that never occurs',
      { target: 'Churn', positive: 'yes', folds: 2 },
      tableOf(),
      "target Churn never has the positive value 'yes'; its values are: 'Yes', 'No'",
    ],
    [
      'values that are not obviously yes and no',
      { target: 'Churn', folds: 2 },
      tableOf(['a', 'b', 'a', 'b', 'a', 'b', 'a', 'b', 'a', 'b']),
      /say which value of target Churn means churned \(--positive\); its values are: 'a', 'b'/,
    ],
    [
      'a blank target',
      { target: 'Churn', folds: 2 },
      tableOf(['Yes', 'No', ' ', 'Yes', 'No', 'No', 'Yes', 'No', 'No', 'No']),
      'target Churn is blank in row 3',
    ],
  ])('refuses %s', (_, options, table, message) => {
    expect(() => readTarget(table, options)).toThrow(ChurnDataError);
    expect(() => readTarget(table, options)).toThrow(message);
  });

  it('refuses a row with too few cells', () => {
    const table = tableOf();
    const rows = [...table.rows, ['c10', 'pro']];
    expect(() => readTarget({ ...table, rows }, { target: 'Churn', folds: 2 })).toThrow(
      'row 11 has 2 cells, but the header has 3 columns',
    );
  });
});
