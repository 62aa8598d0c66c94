/** Descriptive statistics over plain arrays of numbers. */

export interface Summary {
  n: number;
  mean: number;
  min: number;
  max: number;
  p50: number;
  p95: number;
  p99: number;
  /** Sample standard deviation (n − 1); 0 for a single value. */
  stdDev: number;
}

function sortedCopy(values: readonly number[]): number[] {
  if (values.length === 0) throw new RangeError('no values');
  if (values.some((v) => !Number.isFinite(v))) throw new RangeError('values must be finite numbers');
  return [...values].sort((a, b) => a - b);
}

function quantileOfSorted(sorted: readonly number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lower = Math.floor(h);
  const below = sorted[lower] as number;
  const above = sorted[Math.min(lower + 1, sorted.length - 1)] as number;
  return below + (h - lower) * (above - below);
}

/** The p-quantile (0 ≤ p ≤ 1) by linear interpolation, Hyndman–Fan type 7 (R's and numpy's default). */
export function quantile(values: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`p must be within [0, 1], got ${p}`);
  return quantileOfSorted(sortedCopy(values), p);
}

/** Count, mean, extremes, median, p95, p99 and sample standard deviation of a non-empty sample. */
export function summarize(values: readonly number[]): Summary {
  const sorted = sortedCopy(values);
  const n = sorted.length;
  const mean = sorted.reduce((sum, v) => sum + v, 0) / n;
  const squares = sorted.reduce((sum, v) => sum + (v - mean) ** 2, 0);
  return {
    n,
    mean,
    min: sorted[0] as number,
    max: sorted[n - 1] as number,
    p50: quantileOfSorted(sorted, 0.5),
    p95: quantileOfSorted(sorted, 0.95),
    p99: quantileOfSorted(sorted, 0.99),
    stdDev: n > 1 ? Math.sqrt(squares / (n - 1)) : 0,
  };
}
