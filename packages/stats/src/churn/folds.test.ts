import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignStratifiedFolds, rowsOfFold, splitStratified } from './folds';
import { createRandom } from './random';

const labelsWithBothClasses = (folds: number) =>
  fc
    .array(fc.integer({ min: 0, max: 1 }), { minLength: 2 * folds, maxLength: 300 })
    .filter(
      (labels) =>
        labels.filter((l) => l === 1).length >= folds && labels.filter((l) => l === 0).length >= folds,
    );

describe('assignStratifiedFolds', () => {
  it('partitions the rows into folds that keep the class ratio to within one row', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 2, max: 10 })
          .chain((folds) => fc.tuple(fc.constant(folds), labelsWithBothClasses(folds))),
        fc.integer(),
        ([folds, labels], seed) => {
          const assignment = assignStratifiedFolds(labels, folds, seed);
          const positives = labels.filter((l) => l === 1).length;
          const seen = new Set<number>();
          const sizes: number[] = [];
          for (let fold = 0; fold < folds; fold++) {
            const { training, test } = rowsOfFold(assignment, fold);
            expect(training.length + test.length).toBe(labels.length);
            for (const row of test) {
              expect(seen.has(row)).toBe(false);
              seen.add(row);
            }
            const foldPositives = Array.from(test).filter((row) => labels[row] === 1).length;
            expect(foldPositives).toBeGreaterThanOrEqual(Math.floor(positives / folds));
            expect(foldPositives).toBeLessThanOrEqual(Math.ceil(positives / folds));
            sizes.push(test.length);
          }
          expect(seen.size).toBe(labels.length);
          expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        },
      ),
    );
  });

  it('gives the same folds for the same seed and other folds for another seed', () => {
    const labels = Array.from({ length: 200 }, (_, row) => (row % 4 === 0 ? 1 : 0));
    expect(assignStratifiedFolds(labels, 5, 42)).toEqual(assignStratifiedFolds(labels, 5, 42));
    expect(assignStratifiedFolds(labels, 5, 42)).not.toEqual(assignStratifiedFolds(labels, 5, 43));
  });

  it('refuses fewer rows of a class than folds', () => {
    expect(() => assignStratifiedFolds([1, 1, 0, 0, 0, 0], 3, 1)).toThrow(/class 1 has 2 rows/);
  });
});

describe('splitStratified', () => {
  it('holds out about the given share of each class, every row exactly once', () => {
    const labels = Array.from({ length: 1000 }, (_, row) => (row % 5 === 0 ? 1 : 0));
    const { kept, heldOut } = splitStratified(labels, 0.1, createRandom(7));
    expect([...kept, ...heldOut].sort((a, b) => a - b)).toEqual(labels.map((_, row) => row));
    expect(heldOut.length).toBe(100);
    expect(Array.from(heldOut).filter((row) => labels[row] === 1).length).toBe(20);
  });
});
