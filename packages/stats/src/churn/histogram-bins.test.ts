import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binFeatures, binOf, findBinThresholds } from './histogram-bins';

const columnMatrix = (values: readonly number[]) => ({
  rowCount: values.length,
  featureCount: 1,
  values: Float64Array.from(values),
});
const allRows = (count: number) => Int32Array.from({ length: count }, (_, row) => row);

describe('findBinThresholds', () => {
  it('cuts halfway between the distinct values when there are few of them', () => {
    const matrix = columnMatrix([3, 1, 2, 2, 1, 10]);
    expect(Array.from(findBinThresholds(matrix, allRows(6), 255)[0]!)).toEqual([1.5, 2.5, 6.5]);
  });

  it('uses at most maxBins bins of roughly equal counts when values are many', () => {
    const values = Array.from({ length: 10_000 }, (_, row) => (row * 7919) % 10_007);
    const [cuts] = findBinThresholds(columnMatrix(values), allRows(values.length), 64);
    expect(cuts!.length).toBe(63);
    const { bins } = binFeatures(columnMatrix(values), [cuts!]);
    const counts = new Array<number>(64).fill(0);
    for (const bin of bins) counts[bin]!++;
    for (const count of counts) expect(Math.abs(count - 10_000 / 64)).toBeLessThanOrEqual(2);
  });

  it('puts a value in bin ≤ b exactly when it is ≤ thresholds[b]', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 2, max: 256 }),
        (values, maxBins) => {
          const [cuts] = findBinThresholds(columnMatrix(values), allRows(values.length), maxBins);
          expect(cuts!.length).toBeLessThan(maxBins);
          for (const value of values) {
            const bin = binOf(cuts!, value);
            cuts!.forEach((cut, b) => {
              expect(bin <= b).toBe(value <= cut);
            });
          }
        },
      ),
    );
  });
});
