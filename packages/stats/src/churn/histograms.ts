/**
 * The gradient histograms a tree is grown from: per bin, the sums of gradient, hessian and rows. Building
 * them is most of the work of boosting, so two things keep it short:
 * - 0/1 features that are never 1 in the same row (the levels of one categorical column) share one histogram
 *   column whose bin says which of them is 1 — LightGBM's exclusive feature bundling (Ke et al. 2017,
 *   "LightGBM: a highly efficient gradient boosting decision tree", §4) — so a pass over the rows counts a
 *   whole categorical column rather than each level.
 * - Four columns are counted in one pass over the rows (see addFourColumns).
 */
import type { BinnedFeatures } from './histogram-bins';

/** The columns histograms are built over, and where each feature's sums are found in them. */
export interface HistogramColumns {
  rowCount: number;
  columnCount: number;
  /** Column-major like BinnedFeatures: the bin of column c in row i is bins[c · rowCount + i]. */
  bins: Uint8Array;
  binCounts: Int32Array;
  /** Where each column's bins start in a histogram, counted in bins (3 numbers each). */
  binOffsets: Int32Array;
  /** Bins of all columns together. */
  totalBins: number;
  columnOfFeature: Int32Array;
  /**
   * For a bundled feature, the bin of its column that holds the rows where it is 1 (the rows where it is 0
   * are the node's rest); −1 for a feature that is its column, with its own bins.
   */
  bundledBin: Int32Array;
}

/** Most features in one bundle: its bins (one per feature, and 0 for "none") must fit in a byte. */
const MAX_BUNDLE = 255;

/**
 * Groups runs of neighbouring two-bin features that are never in bin 1 in the same row (one-hot levels are
 * neighbours in the encoded matrix); every other feature keeps a column of its own.
 */
export function bundleExclusiveFeatures(binned: BinnedFeatures, binCounts: Int32Array): HistogramColumns {
  const { rowCount, featureCount, bins } = binned;
  const groups: number[][] = [];
  const isTaken = new Uint8Array(rowCount);
  let bundle: number[] | undefined;
  for (let feature = 0; feature < featureCount; feature++) {
    if (binCounts[feature] !== 2) {
      bundle = undefined;
      groups.push([feature]);
      continue;
    }
    const base = feature * rowCount;
    let fits = bundle !== undefined && bundle.length < MAX_BUNDLE;
    for (let row = 0; fits && row < rowCount; row++) fits = !(bins[base + row]! & isTaken[row]!);
    if (!fits) {
      isTaken.fill(0);
      bundle = [];
      groups.push(bundle);
    }
    bundle!.push(feature);
    for (let row = 0; row < rowCount; row++) isTaken[row]! |= bins[base + row]!;
  }

  const columnCount = groups.length;
  const columnBins = new Uint8Array(columnCount * rowCount);
  const columnBinCounts = new Int32Array(columnCount);
  const columnOfFeature = new Int32Array(featureCount);
  const bundledBin = new Int32Array(featureCount).fill(-1);
  groups.forEach((members, column) => {
    const target = columnBins.subarray(column * rowCount, (column + 1) * rowCount);
    if (members.length === 1) {
      const feature = members[0]!;
      columnOfFeature[feature] = column;
      columnBinCounts[column] = binCounts[feature]!;
      target.set(bins.subarray(feature * rowCount, (feature + 1) * rowCount));
      return;
    }
    columnBinCounts[column] = members.length + 1;
    members.forEach((feature, position) => {
      columnOfFeature[feature] = column;
      bundledBin[feature] = position + 1;
      const base = feature * rowCount;
      for (let row = 0; row < rowCount; row++) if (bins[base + row]) target[row] = position + 1;
    });
  });
  const binOffsets = new Int32Array(columnCount);
  for (let column = 1; column < columnCount; column++) {
    binOffsets[column] = binOffsets[column - 1]! + columnBinCounts[column - 1]!;
  }
  return {
    rowCount,
    columnCount,
    bins: columnBins,
    binCounts: columnBinCounts,
    binOffsets,
    totalBins: binOffsets[columnCount - 1]! + columnBinCounts[columnCount - 1]!,
    columnOfFeature,
    bundledBin,
  };
}

/** The rows of one node, and their gradients and hessians in the same order. */
export interface NodeRows {
  rows: Int32Array;
  start: number;
  end: number;
  /** gradients[rows[position]] at position, for start ≤ position < end (LightGBM's "ordered gradients"). */
  orderedGradients: Float64Array;
  orderedHessians: Float64Array;
}

/** Adds [gradient sum, hessian sum, row count] per bin of every column, for the node's rows, to `histogram`. */
export function fillHistogram(columns: HistogramColumns, node: NodeRows, histogram: Float64Array): void {
  let column = 0;
  for (; column + 4 <= columns.columnCount; column += 4) addFourColumns(columns, node, histogram, column);
  for (; column < columns.columnCount; column++) addColumn(columns, node, histogram, column);
}

function addColumn(columns: HistogramColumns, node: NodeRows, histogram: Float64Array, column: number) {
  const { rows, start, end, orderedGradients, orderedHessians } = node;
  const { bins, rowCount } = columns;
  const base = column * rowCount;
  const offset = 3 * columns.binOffsets[column]!;
  for (let position = start; position < end; position++) {
    const slot = offset + 3 * bins[base + rows[position]!]!;
    histogram[slot]! += orderedGradients[position]!;
    histogram[slot + 1]! += orderedHessians[position]!;
    histogram[slot + 2]! += 1;
  }
}

/**
 * Four columns in one pass over the rows. One column at a time, consecutive rows often add to the same slot,
 * and each addition then waits for the store before it; four columns' slots interleaved keep the additions
 * independent, about twice as fast. Each slot still sums its rows in row order, so the sums are the same.
 */
function addFourColumns(
  columns: HistogramColumns,
  node: NodeRows,
  histogram: Float64Array,
  column: number,
): void {
  const { rows, start, end, orderedGradients, orderedHessians } = node;
  const { bins, rowCount, binOffsets } = columns;
  const base = column * rowCount;
  const offset0 = 3 * binOffsets[column]!;
  const offset1 = 3 * binOffsets[column + 1]!;
  const offset2 = 3 * binOffsets[column + 2]!;
  const offset3 = 3 * binOffsets[column + 3]!;
  for (let position = start; position < end; position++) {
    const at = base + rows[position]!;
    const gradient = orderedGradients[position]!;
    const hessian = orderedHessians[position]!;
    const slot0 = offset0 + 3 * bins[at]!;
    const slot1 = offset1 + 3 * bins[at + rowCount]!;
    const slot2 = offset2 + 3 * bins[at + 2 * rowCount]!;
    const slot3 = offset3 + 3 * bins[at + 3 * rowCount]!;
    histogram[slot0]! += gradient;
    histogram[slot0 + 1]! += hessian;
    histogram[slot0 + 2]! += 1;
    histogram[slot1]! += gradient;
    histogram[slot1 + 1]! += hessian;
    histogram[slot1 + 2]! += 1;
    histogram[slot2]! += gradient;
    histogram[slot2 + 1]! += hessian;
    histogram[slot2 + 2]! += 1;
    histogram[slot3]! += gradient;
    histogram[slot3 + 1]! += hessian;
    histogram[slot3 + 2]! += 1;
  }
}
