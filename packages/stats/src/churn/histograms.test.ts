import { describe, expect, it } from 'vitest';
import type { BinnedFeatures } from './histogram-bins';
import { bundleExclusiveFeatures, fillHistogram } from './histograms';
import { createRandom } from './random';

/** Rows of a number (4 bins), a 3-level one-hot column, a 2-level one, and a 0/1 column that overlaps both. */
function makeBinned(rowCount: number, seed: number): { binned: BinnedFeatures; binCounts: Int32Array } {
  const random = createRandom(seed);
  const featureCount = 7;
  const bins = new Uint8Array(rowCount * featureCount);
  for (let row = 0; row < rowCount; row++) {
    const level = Math.floor(random() * 3);
    const other = Math.floor(random() * 2);
    const set = (feature: number, bin: number) => {
      bins[feature * rowCount + row] = bin;
    };
    set(0, Math.floor(random() * 4));
    set(1 + level, 1);
    set(4 + other, 1);
    set(6, random() < 0.3 ? 1 : 0);
  }
  return { binned: { rowCount, featureCount, bins }, binCounts: Int32Array.of(4, 2, 2, 2, 2, 2, 2) };
}

describe('bundleExclusiveFeatures', () => {
  it("bundles a one-hot column's levels into one column whose bin says which level is 1", () => {
    const { binned, binCounts } = makeBinned(500, 1);
    const columns = bundleExclusiveFeatures(binned, binCounts);
    // The number alone; levels 1–3 together; levels 4–5 together (3 and 4 overlap); feature 6 overlaps 5.
    expect(Array.from(columns.columnOfFeature)).toEqual([0, 1, 1, 1, 2, 2, 3]);
    expect(Array.from(columns.bundledBin)).toEqual([-1, 1, 2, 3, 1, 2, -1]);
    expect(Array.from(columns.binCounts)).toEqual([4, 4, 3, 2]);
    expect(columns.totalBins).toBe(13);
    for (let row = 0; row < binned.rowCount; row++) {
      const levelBin = columns.bins[binned.rowCount + row]!;
      expect(levelBin).toBeGreaterThanOrEqual(1);
      expect(binned.bins[levelBin * binned.rowCount + row]).toBe(1);
      expect(columns.bins[row]).toBe(binned.bins[row]);
      expect(columns.bins[3 * binned.rowCount + row]).toBe(binned.bins[6 * binned.rowCount + row]);
    }
  });

  it('never bundles two features that are 1 in the same row', () => {
    const { binned, binCounts } = makeBinned(500, 2);
    const columns = bundleExclusiveFeatures(binned, binCounts);
    for (let first = 0; first < binned.featureCount; first++) {
      for (let second = first + 1; second < binned.featureCount; second++) {
        if (columns.columnOfFeature[first] !== columns.columnOfFeature[second]) continue;
        for (let row = 0; row < binned.rowCount; row++) {
          const both =
            binned.bins[first * binned.rowCount + row]! & binned.bins[second * binned.rowCount + row]!;
          expect(both).toBe(0);
        }
      }
    }
  });
});

describe('fillHistogram', () => {
  it('sums gradient, hessian and rows per bin of each column, for the node rows only', () => {
    const { binned, binCounts } = makeBinned(300, 3);
    const columns = bundleExclusiveFeatures(binned, binCounts);
    const random = createRandom(4);
    const rows = Int32Array.from({ length: 200 }, (_, position) => position + 50);
    const gradients = Float64Array.from(rows, () => random() - 0.5);
    const hessians = Float64Array.from(rows, () => random() / 4);
    const histogram = new Float64Array(3 * columns.totalBins);
    fillHistogram(
      columns,
      { rows, start: 20, end: 180, orderedGradients: gradients, orderedHessians: hessians },
      histogram,
    );

    const expected = new Float64Array(3 * columns.totalBins);
    for (let position = 20; position < 180; position++) {
      for (let column = 0; column < columns.columnCount; column++) {
        const bin = columns.bins[column * columns.rowCount + rows[position]!]!;
        const slot = 3 * (columns.binOffsets[column]! + bin);
        expected[slot]! += gradients[position]!;
        expected[slot + 1]! += hessians[position]!;
        expected[slot + 2]! += 1;
      }
    }
    expect(histogram).toEqual(expected);
  });
});
