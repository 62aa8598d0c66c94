/**
 * One tree of a gradient-boosted ensemble, grown depth-first on binned features from the log-loss's
 * gradients g and hessians h (Chen & Guestrin 2016, "XGBoost", eqs. 5–7): a leaf's value is −G / (H + λ),
 * and a split's gain is G_L²/(H_L + λ) + G_R²/(H_R + λ) − G²/(H + λ). The sums per bin come from histograms;
 * the larger child's histogram is its parent's minus the smaller child's (LightGBM's subtraction trick).
 */
import type { BinnedFeatures } from './histogram-bins';

/** A binary tree in flat arrays, node 0 the root; plain JSON. A row goes left when x[feature] ≤ threshold. */
export interface RegressionTree {
  /** The feature each node splits on; −1 at a leaf. */
  feature: number[];
  threshold: number[];
  /** Child node indices; −1 at a leaf. */
  left: number[];
  right: number[];
  /** A leaf's output in log-odds (learning rate included); 0 at inner nodes. */
  value: number[];
  /** Training rows that reached the node: TreeSHAP's weights for features not known. */
  cover: number[];
}

export interface TreeGrowingOptions {
  maxDepth: number;
  minSamplesLeaf: number;
  /** λ, the L2 penalty on leaf values. */
  l2: number;
  /** Smallest gain worth a split. */
  minGain: number;
  learningRate: number;
}

/** Fewest hessian (the sum of p(1 − p)) in a child: a near-pure child would get an extreme leaf value. */
const MIN_CHILD_HESSIAN = 1e-3;

interface Growth {
  binned: BinnedFeatures;
  binOffsets: Int32Array;
  binCounts: Int32Array;
  thresholds: readonly Float64Array[];
  gradients: Float64Array;
  hessians: Float64Array;
  rows: Int32Array;
  scratch: Int32Array;
  orderedGradients: Float64Array;
  orderedHessians: Float64Array;
  options: TreeGrowingOptions;
  tree: RegressionTree;
  /** The bin each inner node splits after (so that training rows can be routed by their bins). */
  splitBins: number[];
}

/**
 * Grows a tree on the rows listed in `rows` (reordered in place). Returns the tree and, per node, the bin
 * it splits after (−1 at leaves), for routing binned rows.
 */
export function growTree(
  binned: BinnedFeatures,
  thresholds: readonly Float64Array[],
  gradients: Float64Array,
  hessians: Float64Array,
  rows: Int32Array,
  options: TreeGrowingOptions,
): { tree: RegressionTree; splitBins: number[] } {
  const binCounts = Int32Array.from(thresholds, (cuts) => cuts.length + 1);
  const binOffsets = new Int32Array(binCounts.length);
  for (let feature = 1; feature < binCounts.length; feature++) {
    binOffsets[feature] = binOffsets[feature - 1]! + binCounts[feature - 1]!;
  }
  const tree: RegressionTree = { feature: [], threshold: [], left: [], right: [], value: [], cover: [] };
  const growth: Growth = {
    binned,
    binOffsets,
    binCounts,
    thresholds,
    gradients,
    hessians,
    rows,
    options,
    tree,
    scratch: new Int32Array(rows.length),
    orderedGradients: new Float64Array(rows.length),
    orderedHessians: new Float64Array(rows.length),
    splitBins: [],
  };
  const histogram = options.maxDepth > 0 ? buildHistogram(growth, 0, rows.length) : undefined;
  let gradientSum = 0;
  let hessianSum = 0;
  for (const row of rows) {
    gradientSum += gradients[row]!;
    hessianSum += hessians[row]!;
  }
  growNode(growth, 0, rows.length, 0, histogram, gradientSum, hessianSum);
  return { tree, splitBins: growth.splitBins };
}

function addNode(growth: Growth, cover: number): number {
  const { tree } = growth;
  tree.feature.push(-1);
  tree.threshold.push(0);
  tree.left.push(-1);
  tree.right.push(-1);
  tree.value.push(0);
  tree.cover.push(cover);
  growth.splitBins.push(-1);
  return tree.feature.length - 1;
}

function growNode(
  growth: Growth,
  start: number,
  end: number,
  depth: number,
  histogram: Float64Array | undefined,
  gradientSum: number,
  hessianSum: number,
): number {
  const { options, tree } = growth;
  const node = addNode(growth, end - start);
  const split = histogram
    ? findBestSplit(growth, histogram, gradientSum, hessianSum, end - start)
    : undefined;
  if (!split) {
    tree.value[node] = (-options.learningRate * gradientSum) / (hessianSum + options.l2);
    return node;
  }
  const middle = partition(growth, start, end, split.feature, split.bin);
  tree.feature[node] = split.feature;
  tree.threshold[node] = growth.thresholds[split.feature]![split.bin]!;
  growth.splitBins[node] = split.bin;
  // Children at the depth limit are leaves and need no histogram.
  let leftHistogram: Float64Array | undefined;
  let rightHistogram: Float64Array | undefined;
  if (depth + 1 < options.maxDepth) {
    const isLeftSmaller = middle - start <= end - middle;
    const smaller = isLeftSmaller
      ? buildHistogram(growth, start, middle)
      : buildHistogram(growth, middle, end);
    const larger = histogram!;
    for (let index = 0; index < larger.length; index++) larger[index]! -= smaller[index]!;
    [leftHistogram, rightHistogram] = isLeftSmaller ? [smaller, larger] : [larger, smaller];
  }
  tree.left[node] = growNode(
    growth,
    start,
    middle,
    depth + 1,
    leftHistogram,
    split.leftGradient,
    split.leftHessian,
  );
  tree.right[node] = growNode(
    growth,
    middle,
    end,
    depth + 1,
    rightHistogram,
    gradientSum - split.leftGradient,
    hessianSum - split.leftHessian,
  );
  return node;
}

/** Per bin of every feature: [gradient sum, hessian sum, row count], for rows[start … end). */
function buildHistogram(growth: Growth, start: number, end: number): Float64Array {
  const { binned, binOffsets, gradients, hessians, rows, orderedGradients, orderedHessians } = growth;
  const { bins, rowCount, featureCount } = binned;
  const histogram = new Float64Array(
    3 * (binOffsets[featureCount - 1]! + growth.binCounts[featureCount - 1]!),
  );
  // The node's gradients side by side once, rather than looked up by row for every feature (LightGBM's
  // "ordered gradients").
  for (let position = start; position < end; position++) {
    orderedGradients[position] = gradients[rows[position]!]!;
    orderedHessians[position] = hessians[rows[position]!]!;
  }
  for (let feature = 0; feature < featureCount; feature++) {
    const base = feature * rowCount;
    const offset = 3 * binOffsets[feature]!;
    for (let position = start; position < end; position++) {
      const slot = offset + 3 * bins[base + rows[position]!]!;
      histogram[slot]! += orderedGradients[position]!;
      histogram[slot + 1]! += orderedHessians[position]!;
      histogram[slot + 2]! += 1;
    }
  }
  return histogram;
}

interface Split {
  feature: number;
  bin: number;
  leftGradient: number;
  leftHessian: number;
}

function findBestSplit(
  growth: Growth,
  histogram: Float64Array,
  gradientSum: number,
  hessianSum: number,
  total: number,
): Split | undefined {
  const { l2, minSamplesLeaf, minGain } = growth.options;
  if (total < 2 * minSamplesLeaf) return undefined;
  const parentScore = (gradientSum * gradientSum) / (hessianSum + l2);
  let best: Split | undefined;
  let bestGain = minGain;
  for (let feature = 0; feature < growth.binCounts.length; feature++) {
    const offset = 3 * growth.binOffsets[feature]!;
    let leftGradient = 0;
    let leftHessian = 0;
    let leftCount = 0;
    for (let bin = 0; bin < growth.binCounts[feature]! - 1; bin++) {
      leftGradient += histogram[offset + 3 * bin]!;
      leftHessian += histogram[offset + 3 * bin + 1]!;
      leftCount += histogram[offset + 3 * bin + 2]!;
      if (leftCount < minSamplesLeaf || leftHessian < MIN_CHILD_HESSIAN) continue;
      const rightHessian = hessianSum - leftHessian;
      if (total - leftCount < minSamplesLeaf || rightHessian < MIN_CHILD_HESSIAN) break;
      const rightGradient = gradientSum - leftGradient;
      const gain =
        (leftGradient * leftGradient) / (leftHessian + l2) +
        (rightGradient * rightGradient) / (rightHessian + l2) -
        parentScore;
      if (gain > bestGain) {
        bestGain = gain;
        best = { feature, bin, leftGradient, leftHessian };
      }
    }
  }
  return best;
}

/** Stable partition of rows[start … end) into bin ≤ `bin` then the rest; returns where the rest begins. */
function partition(growth: Growth, start: number, end: number, feature: number, bin: number): number {
  const { rows, scratch, binned } = growth;
  const base = feature * binned.rowCount;
  let left = start;
  let right = 0;
  for (let position = start; position < end; position++) {
    // Branch-free: write the row to both sides and advance the one it belongs to (left ≤ position).
    const row = rows[position]!;
    const isLeft = +(binned.bins[base + row]! <= bin);
    rows[left] = row;
    scratch[right] = row;
    left += isLeft;
    right += 1 - isLeft;
  }
  rows.set(scratch.subarray(0, right), left);
  return left;
}
