/**
 * The input of the churn models: a parsed CSV (a header and rows of string cells) and which column is the
 * target. Everything a user can get wrong about the file is checked here, once, with a message that names
 * the column or row, so the models behind it can trust their input.
 */

/** A parsed CSV: the header's names and rows of cells in the same order. */
export interface ChurnTable {
  header: readonly string[];
  rows: readonly (readonly string[])[];
}

/** A problem with the data a user gave (missing column, one class, too few rows): safe to show to them. */
export class ChurnDataError extends Error {
  override name = 'ChurnDataError';
}

export interface TargetOptions {
  /** Name of the column to predict. */
  target: string;
  /** The target's value that means "churned"; may be left out when the values are Yes/No, 1/0 or true/false. */
  positive?: string;
  /** Name of a column that identifies the row (never a feature). */
  id?: string;
  /** Number of cross-validation folds: each class needs at least this many rows. */
  folds: number;
}

export interface TargetLabels {
  /** 1 where the row's target equals the positive value, else 0. */
  labels: Uint8Array;
  positive: string;
  positiveCount: number;
}

/** Fewest rows a model is fitted on at all. */
export const MINIMUM_ROWS = 10;

/** Values taken as "churned" when no positive value is given, compared without case. */
const POSITIVE_WORDS = ['yes', 'y', 'true', '1', 'churn', 'churned'];

/** A blank cell: empty or only white space (Telco's TotalCharges has 11 cells that are one space). */
export function isBlank(cell: string): boolean {
  return cell.trim() === '';
}

/** Index of the column named `name`, or a ChurnDataError that names the columns there are. */
export function columnIndexOf(header: readonly string[], name: string, role: string): number {
  const index = header.indexOf(name);
  if (index < 0) {
    throw new ChurnDataError(
      `${role} column '${name}' is not in the table; its columns are: ${header.map((h) => `'${h}'`).join(', ')}`,
    );
  }
  return index;
}

/** Checks that every row has as many cells as the header; rows are counted from 1 after the header. */
export function assertRectangular(table: ChurnTable): void {
  table.rows.forEach((row, index) => {
    if (row.length !== table.header.length) {
      throw new ChurnDataError(
        `row ${index + 1} has ${row.length} cells, but the header has ${table.header.length} columns`,
      );
    }
  });
}

/**
 * Reads the target column into 0/1 labels and checks that a model can be cross-validated on it: at least
 * MINIMUM_ROWS rows, no blank target, two classes, and at least `folds` rows of each class (stratified
 * folds need one of each class per fold).
 */
export function readTarget(table: ChurnTable, options: TargetOptions): TargetLabels {
  const { header, rows } = table;
  if (!(Number.isInteger(options.folds) && options.folds >= 2)) {
    throw new ChurnDataError(`folds must be a whole number ≥ 2, got ${options.folds}`);
  }
  const targetIndex = columnIndexOf(header, options.target, 'target');
  if (options.id !== undefined) {
    columnIndexOf(header, options.id, 'id');
    if (options.id === options.target) throw new ChurnDataError('the id column cannot also be the target');
  }
  if (rows.length < MINIMUM_ROWS) {
    throw new ChurnDataError(
      `the table has ${rows.length} rows; a churn model needs at least ${MINIMUM_ROWS}`,
    );
  }
  assertRectangular(table);
  const counts = new Map<string, number>();
  rows.forEach((row, index) => {
    const value = row[targetIndex]!.trim();
    if (value === '') throw new ChurnDataError(`target ${options.target} is blank in row ${index + 1}`);
    counts.set(value, (counts.get(value) ?? 0) + 1);
  });
  const values = [...counts.keys()];
  if (values.length === 1) {
    throw new ChurnDataError(`target ${options.target} has only the value '${values[0]}'`);
  }
  const positive = options.positive ?? guessPositive(options.target, values);
  if (!counts.has(positive)) {
    throw new ChurnDataError(
      `target ${options.target} never has the positive value '${positive}'; its values are: ${listValues(values)}`,
    );
  }
  const labels = new Uint8Array(rows.length);
  rows.forEach((row, index) => {
    labels[index] = row[targetIndex]!.trim() === positive ? 1 : 0;
  });
  const positiveCount = counts.get(positive)!;
  const negativeCount = rows.length - positiveCount;
  const fewest = Math.min(positiveCount, negativeCount);
  if (fewest < options.folds) {
    const which = positiveCount < negativeCount ? `'${positive}'` : `other than '${positive}'`;
    throw new ChurnDataError(
      `target ${options.target} has only ${fewest} rows ${which}, fewer than the ${options.folds} folds`,
    );
  }
  return { labels, positive, positiveCount };
}

function guessPositive(target: string, values: readonly string[]): string {
  const matches = values.filter((value) => POSITIVE_WORDS.includes(value.toLowerCase()));
  if (values.length === 2 && matches.length === 1) return matches[0]!;
  throw new ChurnDataError(
    `say which value of target ${target} means churned (--positive); its values are: ${listValues(values)}`,
  );
}

function listValues(values: readonly string[]): string {
  const shown = values.slice(0, 10).map((value) => `'${value}'`);
  return values.length > 10 ? `${shown.join(', ')} and ${values.length - 10} more` : shown.join(', ');
}
