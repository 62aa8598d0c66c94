import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignStratifiedFolds, rowsOfFold, sampleStratified, splitStratified } from './folds';
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

describe('sampleStratified', () => {
  const labels = Array.from({ length: 10_000 }, (_, row) => (row % 10 < 3 ? 1 : 0));
  const everyRow = Int32Array.from(labels, (_, row) => row);

  it('samples each class in proportion, and sample and rest hold every row once, in ascending order', () => {
    const { sample, rest } = sampleStratified(labels, everyRow, 2000, 3, createRandom(5));
    expect(sample.length).toBe(2000);
    expect(Array.from(sample).filter((row) => labels[row] === 1)).toHaveLength(600);
    expect([...sample, ...rest].sort((a, b) => a - b)).toEqual(Array.from(everyRow));
    expect(Array.from(sample)).toEqual(Array.from(sample).sort((a, b) => a - b));
    expect(Array.from(rest)).toEqual(Array.from(rest).sort((a, b) => a - b));
  });

  it('draws from the given rows only, the same rows for the same seed and others for another', () => {
    const odd = everyRow.filter((row) => row % 2 === 1);
    const draw = (seed: number) => sampleStratified(labels, odd, 500, 3, createRandom(seed)).sample;
    expect(Array.from(draw(9)).every((row) => row % 2 === 1)).toBe(true);
    expect(draw(9)).toEqual(draw(9));
    expect(draw(9)).not.toEqual(draw(10));
  });

  it('keeps at least the minimum of a rare class, or all of it when it has fewer', () => {
    const rare = Array.from({ length: 5000 }, (_, row) => (row % 1000 === 0 ? 1 : 0));
    const rows = Int32Array.from(rare, (_, row) => row);
    const positives = (sample: Int32Array) => Array.from(sample).filter((row) => rare[row] === 1).length;
    // 5 of 5,000 churned: in proportion, a sample of 100 would have none.
    expect(positives(sampleStratified(rare, rows, 100, 3, createRandom(1)).sample)).toBe(3);
    expect(positives(sampleStratified(rare, rows, 100, 8, createRandom(1)).sample)).toBe(5);
  });
});
