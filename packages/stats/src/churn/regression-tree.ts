/**
 * One tree of a gradient-boosted ensemble, grown depth-first on binned features from the log-loss's
 * gradients g and hessians h (Chen & Guestrin 2016, "XGBoost", eqs. 5–7): a leaf's value is −G / (H + λ),
 * and a split's gain is G_L²/(H_L + λ) + G_R²/(H_R + λ) − G²/(H + λ). The sums per bin come from histograms
 * (histograms.ts); the larger child's histogram is its parent's minus the smaller child's (LightGBM's
 * subtraction trick).
 */
import type { BinnedFeatures } from './histogram-bins';
import { fillHistogram, type HistogramColumns, type NodeRows } from './histograms';

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
  columns: HistogramColumns;
  thresholds: readonly Float64Array[];
  gradients: Float64Array;
  hessians: Float64Array;
  node: NodeRows;
  workspace: TreeWorkspace;
  options: TreeGrowingOptions;
  tree: RegressionTree;
  /** The bin each inner node splits after (so that training rows can be routed by their bins). */
  splitBins: number[];
  /** Per leaf: its node and the start and end of its rows (GrownTree). */
  leafRanges: number[];
}

/** Buffers one tree after another can reuse, rather than allocate and collect each round. */
export interface TreeWorkspace {
  /** At least as long as the most rows a tree is grown on. */
  scratch: Int32Array;
  orderedGradients: Float64Array;
  orderedHessians: Float64Array;
  /** Histograms no node uses any more, to be zeroed and used again. */
  spareHistograms: Float64Array[];
}

export function createTreeWorkspace(rowCount: number): TreeWorkspace {
  return {
    scratch: new Int32Array(rowCount),
    orderedGradients: new Float64Array(rowCount),
    orderedHessians: new Float64Array(rowCount),
    spareHistograms: [],
  };
}

/** The binned rows a tree is grown on, and the histogram columns over them (bundleExclusiveFeatures). */
export interface TreeData {
  binned: BinnedFeatures;
  columns: HistogramColumns;
  thresholds: readonly Float64Array[];
}

/** A grown tree, the bin each node splits after (−1 at leaves) for routing binned rows, and its leaves' rows. */
export interface GrownTree {
  tree: RegressionTree;
  splitBins: number[];
  /** Per leaf: its node, and the start and end of its rows in the reordered `rows`; triples, in order. */
  leafRanges: number[];
}

/** Grows a tree on the rows listed in `rows`, which are reordered so that each leaf's rows are together. */
export function growTree(
  data: TreeData,
  gradients: Float64Array,
  hessians: Float64Array,
  rows: Int32Array,
  options: TreeGrowingOptions,
  workspace: TreeWorkspace = createTreeWorkspace(rows.length),
): GrownTree {
  const tree: RegressionTree = { feature: [], threshold: [], left: [], right: [], value: [], cover: [] };
  const { orderedGradients, orderedHessians } = workspace;
  const growth: Growth = {
    ...data,
    gradients,
    hessians,
    node: { rows, start: 0, end: rows.length, orderedGradients, orderedHessians },
    workspace,
    options,
    tree,
    splitBins: [],
    leafRanges: [],
  };
  const histogram = options.maxDepth > 0 ? buildHistogram(growth, 0, rows.length) : undefined;
  let gradientSum = 0;
  let hessianSum = 0;
  for (const row of rows) {
    gradientSum += gradients[row]!;
    hessianSum += hessians[row]!;
  }
  growNode(growth, 0, rows.length, 0, histogram, gradientSum, hessianSum);
  return { tree, splitBins: growth.splitBins, leafRanges: growth.leafRanges };
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
    growth.leafRanges.push(node, start, end);
    if (histogram) growth.workspace.spareHistograms.push(histogram);
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
  } else if (histogram) {
    growth.workspace.spareHistograms.push(histogram);
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

/** Per bin of every histogram column: [gradient sum, hessian sum, row count], for rows[start … end). */
function buildHistogram(growth: Growth, start: number, end: number): Float64Array {
  const { rows, orderedGradients, orderedHessians } = growth.node;
  // The node's gradients side by side once, rather than looked up by row for every column.
  for (let position = start; position < end; position++) {
    orderedGradients[position] = growth.gradients[rows[position]!]!;
    orderedHessians[position] = growth.hessians[rows[position]!]!;
  }
  const spare = growth.workspace.spareHistograms.pop();
  const histogram = spare?.fill(0) ?? new Float64Array(3 * growth.columns.totalBins);
  fillHistogram(growth.columns, { ...growth.node, start, end }, histogram);
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
  const { binCounts, binOffsets, columnOfFeature, bundledBin } = growth.columns;
  const parentScore = (gradientSum * gradientSum) / (hessianSum + l2);
  let best: Split | undefined;
  let bestGain = minGain;
  for (let feature = 0; feature < columnOfFeature.length; feature++) {
    const column = columnOfFeature[feature]!;
    const offset = 3 * binOffsets[column]!;
    // A bundled 0/1 feature's one split: its column's bin holds the rows where it is 1, the right side.
    const bundled = bundledBin[feature]!;
    const lastBin = bundled >= 0 ? 0 : binCounts[column]! - 2;
    let leftGradient = 0;
    let leftHessian = 0;
    let leftCount = 0;
    for (let bin = 0; bin <= lastBin; bin++) {
      if (bundled >= 0) {
        const slot = offset + 3 * bundled;
        leftGradient = gradientSum - histogram[slot]!;
        leftHessian = hessianSum - histogram[slot + 1]!;
        leftCount = total - histogram[slot + 2]!;
      } else {
        const slot = offset + 3 * bin;
        // An empty bin moves no row, so its split is the previous one.
        if (histogram[slot + 2] === 0) continue;
        leftGradient += histogram[slot]!;
        leftHessian += histogram[slot + 1]!;
        leftCount += histogram[slot + 2]!;
      }
      if (leftCount < minSamplesLeaf || leftHessian < MIN_CHILD_HESSIAN) continue;
      const rightHessian = hessianSum - leftHessian;
      // Further bins only move rows from the right side to the left.
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
  const { binned } = growth;
  const { scratch } = growth.workspace;
  const { rows } = growth.node;
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
