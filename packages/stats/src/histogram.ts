/**
 * Log-scale histograms of non-negative integers (seconds, for the reporting rollups): counts per bucket can be
 * added and subtracted exactly, and quantiles read from them are within 2.5 % of the true ones.
 *
 * Bucket lower bounds are integers: 0, 1, 2, … each its own bucket while the next 5 % step is less than 1, then
 * each bound 5 % above the last (rounded). Integer arithmetic only, so every process computes the same buckets.
 */
const GROWTH_PERCENT = 105;
const LARGEST = 2 ** 40;

const BOUNDS: readonly number[] = (() => {
  const bounds = [0, 1];
  for (let last = 1; last < LARGEST; ) {
    last = Math.max(last + 1, Math.floor((last * GROWTH_PERCENT + 50) / 100));
    bounds.push(last);
  }
  return bounds;
})();

/** How many buckets there are; a histogram is an array of at most this many counts. */
export const HISTOGRAM_BUCKETS = BOUNDS.length;

/** The bucket of `value` (rounded to an integer; negatives count as 0, the largest values share the last bucket). */
export function bucketOf(value: number): number {
  const v = Math.round(value);
  if (!(v > 0)) return 0;
  let lo = 0;
  let hi = BOUNDS.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (BOUNDS[mid]! <= v) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The values a bucket holds: [from, to). */
export function bucketRange(bucket: number): { from: number; to: number } {
  const from = BOUNDS[bucket];
  if (from === undefined) throw new RangeError(`no bucket ${bucket}`);
  return { from, to: BOUNDS[bucket + 1] ?? Number.POSITIVE_INFINITY };
}

/**
 * The p-quantile (nearest rank: the smallest value with at least p·n values at or below it) of a histogram given
 * as counts per bucket, as the middle of its bucket; null for an empty histogram.
 */
export function histogramQuantile(counts: readonly number[], p: number): number | null {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`p must be within [0, 1], got ${p}`);
  const n = counts.reduce((sum, c) => sum + c, 0);
  if (n <= 0) return null;
  const rank = Math.max(1, Math.ceil(p * n));
  let seen = 0;
  for (let bucket = 0; bucket < counts.length; bucket++) {
    seen += counts[bucket]!;
    if (seen >= rank) {
      const { from, to } = bucketRange(bucket);
      return Number.isFinite(to) ? from + (to - 1 - from) / 2 : from;
    }
  }
  return null;
}

/** Adds `counts` (times `sign`) into `target`, growing it as needed; trailing zero buckets are dropped. */
export function addHistogram(target: number[], counts: readonly number[], sign = 1): number[] {
  for (let bucket = 0; bucket < counts.length; bucket++) {
    target[bucket] = (target[bucket] ?? 0) + sign * counts[bucket]!;
  }
  for (let bucket = 0; bucket < target.length; bucket++) target[bucket] ??= 0;
  while (target.length > 0 && target[target.length - 1] === 0) target.pop();
  return target;
}
