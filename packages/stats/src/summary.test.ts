import { describe, expect, it } from 'vitest';
import { quantile, summarize } from './summary';

describe('quantile (Hyndman–Fan type 7)', () => {
  it('interpolates between the two middle values', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
  });

  it('matches the linear method of R and numpy', () => {
    const oneToTwenty = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(quantile(oneToTwenty, 0.95)).toBeCloseTo(19.05, 10);
    expect(quantile(oneToTwenty, 0.25)).toBeCloseTo(5.75, 10);
    expect(quantile([10, 20, 30], 0.9)).toBeCloseTo(28, 10);
  });

  it('returns the extremes at p = 0 and p = 1 and the value itself for one value', () => {
    expect(quantile([5, 1, 9], 0)).toBe(1);
    expect(quantile([5, 1, 9], 1)).toBe(9);
    expect(quantile([7], 0.95)).toBe(7);
  });

  it('sorts a copy and leaves the input alone', () => {
    const values = [3, 1, 2];
    expect(quantile(values, 0.5)).toBe(2);
    expect(values).toEqual([3, 1, 2]);
  });

  it('refuses empty input, a p outside [0, 1] and values that are not numbers', () => {
    expect(() => quantile([], 0.5)).toThrow(RangeError);
    expect(() => quantile([1], 1.5)).toThrow(RangeError);
    expect(() => quantile([1], -0.1)).toThrow(RangeError);
    expect(() => quantile([1, Number.NaN], 0.5)).toThrow(RangeError);
  });
});

describe('summarize', () => {
  it('gives count, mean, extremes, percentiles and the sample standard deviation', () => {
    const s = summarize([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(s.n).toBe(8);
    expect(s.mean).toBe(5);
    expect(s.min).toBe(2);
    expect(s.max).toBe(9);
    expect(s.p50).toBe(4.5);
    expect(s.p95).toBeCloseTo(8.3, 10);
    expect(s.p99).toBeCloseTo(8.86, 10);
    expect(s.stdDev).toBeCloseTo(Math.sqrt(32 / 7), 10);
  });

  it('reports a standard deviation of 0 for a single value', () => {
    expect(summarize([3])).toEqual({ n: 1, mean: 3, min: 3, max: 3, p50: 3, p95: 3, p99: 3, stdDev: 0 });
  });

  it('refuses an empty sample', () => {
    expect(() => summarize([])).toThrow(RangeError);
  });
});
