/**
 * Quantile bins for histogram-based tree growing (as in LightGBM and scikit-learn's
 * HistGradientBoosting): each feature's values are cut once into at most 256 bins, and a tree only ever
 * splits between bins. Bin b holds the values x with thresholds[b − 1] < x ≤ thresholds[b], so "bin ≤ b"
 * and "x ≤ thresholds[b]" are the same test, and a tree can score raw values without binning them.
 */
import type { FeatureMatrix } from './feature-encoder';

/** Binned values, feature-major: the bin of feature j in row i is bins[j · rowCount + i]. */
export interface BinnedFeatures {
  rowCount: number;
  featureCount: number;
  bins: Uint8Array;
}

/** Quantiles are read from at most this many rows (evenly spaced), which keeps binning fast on big tables. */
const QUANTILE_SAMPLE = 200_000;

/**
 * The thresholds between bins of each feature, from the given rows: the midpoints between neighbouring
 * distinct values when a feature has at most `maxBins` of them, else midpoints near its quantiles.
 */
export function findBinThresholds(
  matrix: FeatureMatrix,
  rowIndices: ArrayLike<number>,
  maxBins: number,
): Float64Array[] {
  if (!(Number.isInteger(maxBins) && maxBins >= 2 && maxBins <= 256)) {
    throw new RangeError(`maxBins must be a whole number from 2 to 256, got ${maxBins}`);
  }
  const { featureCount, values } = matrix;
  const sampleSize = Math.min(rowIndices.length, QUANTILE_SAMPLE);
  const stride = rowIndices.length / Math.max(sampleSize, 1);
  const sample = new Float64Array(sampleSize);
  const thresholds: Float64Array[] = [];
  for (let feature = 0; feature < featureCount; feature++) {
    const distinct = new Set<number>();
    for (let position = 0; position < sampleSize; position++) {
      const value = values[rowIndices[Math.floor(position * stride)]! * featureCount + feature]!;
      sample[position] = value;
      if (distinct.size <= maxBins) distinct.add(value);
    }
    if (distinct.size <= maxBins) {
      // Few values (a 0/1 level, a small count): sorting them is enough, not the whole sample.
      const sorted = Float64Array.from(distinct).sort();
      thresholds.push(sorted.slice(1).map((value, index) => (sorted[index]! + value) / 2));
    } else {
      thresholds.push(quantileThresholds(sample.sort(), maxBins));
    }
  }
  return thresholds;
}

/** Thresholds near the quantiles of a sorted sample with more than maxBins distinct values. */
function quantileThresholds(sorted: Float64Array, maxBins: number): Float64Array {
  // Cut after the value at each quantile, halfway to the next larger value; equal cuts merge.
  const cuts: number[] = [];
  for (let bin = 1; bin < maxBins; bin++) {
    const value = sorted[Math.floor((bin * sorted.length) / maxBins) - 1]!;
    const next = sorted[upperBound(sorted, value)];
    if (next === undefined) continue;
    const cut = (value + next) / 2;
    if (cuts.length === 0 || cut > cuts[cuts.length - 1]!) cuts.push(cut);
  }
  return Float64Array.from(cuts);
}

/** Index of the first element greater than `value` in a sorted array. */
function upperBound(sorted: Float64Array, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle]! <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The bin of a value: the number of thresholds below it. */
export function binOf(thresholds: Float64Array, value: number): number {
  let low = 0;
  let high = thresholds.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (thresholds[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Bins the given rows (all rows when left out) of a matrix with thresholds from findBinThresholds. */
export function binFeatures(
  matrix: FeatureMatrix,
  thresholds: readonly Float64Array[],
  rowIndices?: ArrayLike<number>,
): BinnedFeatures {
  const { featureCount, values } = matrix;
  const rowCount = rowIndices ? rowIndices.length : matrix.rowCount;
  const bins = new Uint8Array(rowCount * featureCount);
  for (let feature = 0; feature < featureCount; feature++) {
    const cuts = thresholds[feature]!;
    const base = feature * rowCount;
    for (let row = 0; row < rowCount; row++) {
      const source = rowIndices ? rowIndices[row]! : row;
      bins[base + row] = binOf(cuts, values[source * featureCount + feature]!);
    }
  }
  return { rowCount, featureCount, bins };
}
