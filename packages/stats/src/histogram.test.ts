import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addHistogram, bucketOf, bucketRange, HISTOGRAM_BUCKETS, histogramQuantile } from './histogram';

const histogramOf = (values: number[]) => {
  const counts: number[] = [];
  for (const v of values) addHistogram(counts, [...Array(bucketOf(v)).fill(0), 1]);
  return counts;
};
const nearestRank = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(p * sorted.length)) - 1]!;
};

describe('log-scale histogram', () => {
  it('keeps small values exact, one bucket each', () => {
    for (let v = 0; v <= 20; v++) expect(bucketRange(bucketOf(v))).toEqual({ from: v, to: v + 1 });
    expect(histogramQuantile(histogramOf([3, 1, 2, 7]), 0.5)).toBe(2);
  });

  it('has buckets 5 % apart above twenty and a bounded count', () => {
    const { from, to } = bucketRange(bucketOf(3600));
    expect(from).toBeLessThanOrEqual(3600);
    expect(to).toBeGreaterThan(3600);
    expect(to / from).toBeLessThanOrEqual(1.051);
    expect(HISTOGRAM_BUCKETS).toBeLessThan(600);
    expect(bucketOf(-5)).toBe(0);
    expect(bucketOf(2 ** 50)).toBe(HISTOGRAM_BUCKETS - 1);
  });

  it('reads quantiles within 2.5 % of the exact nearest-rank value', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 60 * 60 * 24 * 400 }), { minLength: 1, maxLength: 200 }),
        fc.constantFrom(0.5, 0.9, 0.1, 1),
        (values, p) => {
          const exact = nearestRank(values, p);
          const estimate = histogramQuantile(histogramOf(values), p)!;
          expect(Math.abs(estimate - exact)).toBeLessThanOrEqual(exact * 0.025 + 0.5);
        },
      ),
    );
  });

  it('adds and subtracts exactly, dropping empty buckets at the end', () => {
    const a = histogramOf([5, 500, 50_000]);
    const b = histogramOf([500]);
    expect(addHistogram([...a], b, -1)).toEqual(histogramOf([5, 50_000]));
    expect(addHistogram(histogramOf([50_000]), histogramOf([50_000]), -1)).toEqual([]);
    expect(histogramQuantile([], 0.5)).toBeNull();
    expect(() => histogramQuantile([1], 2)).toThrow(RangeError);
  });
});
