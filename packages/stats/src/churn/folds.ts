/**
 * Stratified k-fold splits: each fold gets the same share of churned rows as the whole table (to within one
 * row), so that every fold's AUC is measured on both classes. Seeded, hence the same folds on every run.
 */
import { createRandom, shuffleInPlace } from './random';

export interface FoldRows {
  training: Int32Array;
  test: Int32Array;
}

/**
 * The fold (0 … folds − 1) of each row. Each class is shuffled and dealt out like cards; the second class
 * starts dealing where the first stopped, so the fold sizes differ by at most one.
 */
export function assignStratifiedFolds(labels: ArrayLike<number>, folds: number, seed: number): Int32Array {
  if (!(Number.isInteger(folds) && folds >= 2)) throw new RangeError(`folds must be a whole number ≥ 2`);
  const random = createRandom(seed);
  const assignment = new Int32Array(labels.length);
  let dealt = 0;
  for (const label of [1, 0]) {
    const rows: number[] = [];
    for (let row = 0; row < labels.length; row++) if (labels[row] === label) rows.push(row);
    if (rows.length < folds) {
      throw new RangeError(`class ${label} has ${rows.length} rows, fewer than the ${folds} folds`);
    }
    shuffleInPlace(rows, random);
    for (const row of rows) assignment[row] = dealt++ % folds;
  }
  return assignment;
}

/** The training rows (every other fold) and test rows of one fold, each in ascending order. */
export function rowsOfFold(assignment: Int32Array, fold: number): FoldRows {
  const training: number[] = [];
  const test: number[] = [];
  assignment.forEach((of, row) => {
    (of === fold ? test : training).push(row);
  });
  return { training: Int32Array.from(training), test: Int32Array.from(test) };
}

/**
 * Splits rows into a larger and a smaller part, stratified by label: about `fraction` of each class (at
 * least one row of each class present) goes to the smaller part. Used for early stopping's validation rows.
 */
export function splitStratified(
  labels: ArrayLike<number>,
  fraction: number,
  random: () => number,
): { kept: Int32Array; heldOut: Int32Array } {
  const kept: number[] = [];
  const heldOut: number[] = [];
  for (const label of [1, 0]) {
    const rows: number[] = [];
    for (let row = 0; row < labels.length; row++) if (labels[row] === label) rows.push(row);
    shuffleInPlace(rows, random);
    const held = rows.length < 2 ? 0 : Math.max(1, Math.round(rows.length * fraction));
    rows.forEach((row, position) => {
      (position < held ? heldOut : kept).push(row);
    });
  }
  const ascending = (left: number, right: number) => left - right;
  return { kept: Int32Array.from(kept.sort(ascending)), heldOut: Int32Array.from(heldOut.sort(ascending)) };
}

/**
 * A seeded random sample of about `size` of the given rows, stratified by label: each class in proportion to
 * its share of `rows`, but at least `minimumPerClass` rows of a class (all of them, when it has fewer), so
 * that every class can still be dealt into folds. Returns the sample and the rest, each in ascending order.
 */
export function sampleStratified(
  labels: ArrayLike<number>,
  rows: ArrayLike<number>,
  size: number,
  minimumPerClass: number,
  random: () => number,
): { sample: Int32Array; rest: Int32Array } {
  const sample: number[] = [];
  const rest: number[] = [];
  for (const label of [1, 0]) {
    const members: number[] = [];
    for (let index = 0; index < rows.length; index++) {
      if (labels[rows[index]!] === label) members.push(rows[index]!);
    }
    shuffleInPlace(members, random);
    const share = Math.round((size * members.length) / Math.max(rows.length, 1));
    const taken = Math.min(members.length, Math.max(minimumPerClass, share));
    members.forEach((row, position) => {
      (position < taken ? sample : rest).push(row);
    });
  }
  const ascending = (left: number, right: number) => left - right;
  return { sample: Int32Array.from(sample.sort(ascending)), rest: Int32Array.from(rest.sort(ascending)) };
}
