/**
 * Gradient-boosted trees for churn (binary log-loss): each round fits a regression tree to the gradients of
 * the log-loss at the current log-odds (Friedman 2001, "Greedy function approximation"; second-order
 * leaves as in XGBoost), on a seeded random subsample of the rows (Friedman 2002, "Stochastic gradient
 * boosting"). Rounds stop when the log-loss on held-out validation rows has not improved for a while, and
 * the ensemble is cut back to its best round.
 */
import type { FeatureMatrix } from './feature-encoder';
import { splitStratified } from './folds';
import { type BinnedFeatures, binFeatures, findBinThresholds } from './histogram-bins';
import { bundleExclusiveFeatures } from './histograms';
import { logLoss, sigmoid } from './metrics';
import { createRandom } from './random';
import { createTreeWorkspace, growTree, type RegressionTree, type TreeData } from './regression-tree';

export interface GradientBoostingOptions {
  /** Shrinkage of each tree (default 0.1). */
  learningRate?: number;
  /** Depth of each tree (default 4). */
  maxDepth?: number;
  /** Fewest training rows in a leaf (default 20). */
  minSamplesLeaf?: number;
  /** λ, the L2 penalty on leaf values (default 1). */
  l2?: number;
  /** Smallest gain worth a split (default 0). */
  minGain?: number;
  /** Most trees (default 500). */
  maxRounds?: number;
  /** Chance of each training row to be in the sample a tree is grown on (default 0.8). */
  subsample?: number;
  /**
   * Rows a tree is grown on at most, on average (default 40,000): on a larger table the chance of each row is
   * lowered to maxSampleRows / training rows, so that a tree costs no more while every row still takes turns.
   */
  maxSampleRows?: number;
  /** Bins per feature, 2–256 (default 255). */
  maxBins?: number;
  /** Share of each class held out for early stopping (default 0.1); 0 grows exactly maxRounds trees. */
  validationFraction?: number;
  /** Stop after this many rounds without a better validation log-loss (default 20). */
  earlyStoppingRounds?: number;
  seed?: number;
}

export interface GradientBoostingModel {
  kind: 'gradient-boosting';
  /** Log-odds of the training churn rate: the output before any tree. */
  baseScore: number;
  trees: RegressionTree[];
  featureCount: number;
  /** Validation log-loss at the kept round, or null without early stopping. */
  validationLogLoss: number | null;
}

/** Fits boosted trees to a feature matrix and 0/1 labels. */
export function fitGradientBoosting(
  matrix: FeatureMatrix,
  labels: ArrayLike<number>,
  options: GradientBoostingOptions = {},
): GradientBoostingModel {
  const learningRate = options.learningRate ?? 0.1;
  const maxRounds = options.maxRounds ?? 500;
  const subsample = options.subsample ?? 0.8;
  const validationFraction = options.validationFraction ?? 0.1;
  const patience = options.earlyStoppingRounds ?? 20;
  const treeOptions = {
    maxDepth: options.maxDepth ?? 4,
    minSamplesLeaf: options.minSamplesLeaf ?? 20,
    l2: options.l2 ?? 1,
    minGain: options.minGain ?? 0,
    learningRate,
  };
  // TreeSHAP tabulates 2^m shares for each leaf with m path features, so depth is what explanations can afford.
  if (!(Number.isInteger(treeOptions.maxDepth) && treeOptions.maxDepth >= 1 && treeOptions.maxDepth <= 6)) {
    throw new RangeError(`maxDepth must be a whole number from 1 to 6, got ${treeOptions.maxDepth}`);
  }
  if (!(Number.isInteger(treeOptions.minSamplesLeaf) && treeOptions.minSamplesLeaf >= 1)) {
    throw new RangeError(`minSamplesLeaf must be a whole number ≥ 1, got ${treeOptions.minSamplesLeaf}`);
  }
  if (!(subsample > 0 && subsample <= 1)) {
    throw new RangeError(`subsample must be in (0, 1], got ${subsample}`);
  }
  const maxSampleRows = options.maxSampleRows ?? 40_000;
  if (!(Number.isInteger(maxSampleRows) && maxSampleRows >= 1)) {
    throw new RangeError(`maxSampleRows must be a whole number ≥ 1, got ${maxSampleRows}`);
  }
  if (!(validationFraction >= 0 && validationFraction < 1)) {
    throw new RangeError(`validationFraction must be in [0, 1), got ${validationFraction}`);
  }
  if (labels.length !== matrix.rowCount) throw new RangeError('one label is needed for each row');
  const random = createRandom(options.seed ?? 1);
  const everyRow = Int32Array.from({ length: matrix.rowCount }, (_, row) => row);
  const { kept: training, heldOut: validation } =
    validationFraction > 0
      ? splitStratified(labels, validationFraction, random)
      : { kept: everyRow, heldOut: [] };
  const thresholds = findBinThresholds(matrix, training, options.maxBins ?? 255);
  const binned = binFeatures(matrix, thresholds);
  const data: TreeData = {
    binned,
    thresholds,
    columns: bundleExclusiveFeatures(
      binned,
      Int32Array.from(thresholds, (cuts) => cuts.length + 1),
    ),
  };
  const workspace = createTreeWorkspace(training.length);
  const buffers = { sample: new Int32Array(training.length), rest: new Int32Array(training.length) };

  let positives = 0;
  for (const row of training) positives += labels[row]!;
  const rate = Math.min(1 - 1e-6, Math.max(1e-6, positives / training.length));
  const baseScore = Math.log(rate / (1 - rate));
  const logOdds = new Float64Array(matrix.rowCount).fill(baseScore);
  const gradients = new Float64Array(matrix.rowCount);
  const hessians = new Float64Array(matrix.rowCount);
  const validationLabels = Uint8Array.from(validation, (row) => labels[row]!);
  const validationProbabilities = new Float64Array(validation.length);

  const trees: RegressionTree[] = [];
  let best = { rounds: 0, loss: Number.POSITIVE_INFINITY };
  const share = Math.min(subsample, maxSampleRows / training.length);
  for (let round = 0; round < maxRounds; round++) {
    const { sample, rest } = sampleOf(training, share, random, buffers);
    // Only the sample's gradients are read by the tree.
    for (const row of sample) {
      const probability = sigmoid(logOdds[row]!);
      gradients[row] = probability - labels[row]!;
      hessians[row] = probability * (1 - probability);
    }
    const grown = growTree(data, gradients, hessians, sample, treeOptions, workspace);
    const { tree, splitBins, leafRanges } = grown;
    trees.push(tree);
    // The sample's rows are already sorted into leaves; the others go down the tree.
    for (let leaf = 0; leaf < leafRanges.length; leaf += 3) {
      const value = tree.value[leafRanges[leaf]!]!;
      for (let position = leafRanges[leaf + 1]!; position < leafRanges[leaf + 2]!; position++) {
        logOdds[sample[position]!]! += value;
      }
    }
    addTreeToLogOdds(tree, splitBins, binned, rest, logOdds);
    addTreeToLogOdds(tree, splitBins, binned, validation, logOdds);
    if (validation.length === 0) continue;
    validation.forEach((row, index) => {
      validationProbabilities[index] = sigmoid(logOdds[row]!);
    });
    const loss = logLoss(validationProbabilities, validationLabels);
    if (loss < best.loss) best = { rounds: trees.length, loss };
    else if (trees.length - best.rounds >= patience) break;
  }
  return {
    kind: 'gradient-boosting',
    baseScore,
    trees: validation.length === 0 ? trees : trees.slice(0, best.rounds),
    featureCount: matrix.featureCount,
    validationLogLoss: validation.length === 0 ? null : best.loss,
  };
}

/**
 * Each row independently with probability `share` (as XGBoost subsamples), in ascending order, which keeps
 * histogram building cache-friendly; at least one row; every row when the share is 1. Written into the
 * buffers (the tree then reorders the sample), with the rows left out.
 */
function sampleOf(
  rows: Int32Array,
  share: number,
  random: () => number,
  buffers: { sample: Int32Array; rest: Int32Array },
): { sample: Int32Array; rest: Int32Array } {
  const { sample, rest } = buffers;
  if (share >= 1) {
    sample.set(rows);
    return { sample, rest: rest.subarray(0, 0) };
  }
  let size = 0;
  let restSize = 0;
  for (const row of rows) {
    // Branch-free: written to both, kept by the one it belongs to.
    const isSampled = +(random() < share);
    sample[size] = row;
    rest[restSize] = row;
    size += isSampled;
    restSize += 1 - isSampled;
  }
  if (size === 0) return { sample: rows.slice(0, 1), rest: rows.slice(1) };
  return { sample: sample.subarray(0, size), rest: rest.subarray(0, restSize) };
}

/** Adds a tree's leaf values to the log-odds of the given rows, routed by their bins. */
function addTreeToLogOdds(
  tree: RegressionTree,
  splitBins: readonly number[],
  binned: BinnedFeatures,
  rows: ArrayLike<number>,
  logOdds: Float64Array,
): void {
  const { rowCount, bins } = binned;
  for (let index = 0; index < rows.length; index++) {
    const row = rows[index]!;
    let node = 0;
    while (tree.left[node]! >= 0) {
      const isLeft = +(bins[tree.feature[node]! * rowCount + row]! <= splitBins[node]!);
      node = isLeft * tree.left[node]! + (1 - isLeft) * tree.right[node]!;
    }
    logOdds[row]! += tree.value[node]!;
  }
}

/** The leaf a row of raw feature values lands in. */
export function leafOf(tree: RegressionTree, values: Float64Array, start: number): number {
  let node = 0;
  while (tree.left[node]! >= 0) {
    // Branch-free (+boolean), as which way a row goes is unpredictable.
    const isLeft = +(values[start + tree.feature[node]!]! <= tree.threshold[node]!);
    node = isLeft * tree.left[node]! + (1 - isLeft) * tree.right[node]!;
  }
  return node;
}

/** The trees of a model in flat typed arrays, one after another: what predicting reads for every row. */
interface FlatForest {
  roots: Int32Array;
  feature: Int32Array;
  threshold: Float64Array;
  /** Children as indices into the flat arrays; −1 at leaves. */
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
}

const flatForests = new WeakMap<GradientBoostingModel, FlatForest>();

function flatForestOf(model: GradientBoostingModel): FlatForest {
  let forest = flatForests.get(model);
  if (forest) return forest;
  const nodeCount = model.trees.reduce((sum, tree) => sum + tree.feature.length, 0);
  forest = {
    roots: new Int32Array(model.trees.length),
    feature: new Int32Array(nodeCount),
    threshold: new Float64Array(nodeCount),
    left: new Int32Array(nodeCount),
    right: new Int32Array(nodeCount),
    value: new Float64Array(nodeCount),
  };
  let offset = 0;
  model.trees.forEach((tree, index) => {
    forest!.roots[index] = offset;
    tree.feature.forEach((feature, node) => {
      const at = offset + node;
      forest!.feature[at] = feature;
      forest!.threshold[at] = tree.threshold[node]!;
      forest!.left[at] = tree.left[node]! < 0 ? -1 : offset + tree.left[node]!;
      forest!.right[at] = tree.right[node]! < 0 ? -1 : offset + tree.right[node]!;
      forest!.value[at] = tree.value[node]!;
    });
    offset += tree.feature.length;
  });
  flatForests.set(model, forest);
  return forest;
}

/** Log-odds of churn for each row: the base score plus every tree's leaf value. */
export function predictBoostingLogOdds(model: GradientBoostingModel, matrix: FeatureMatrix): Float64Array {
  const { rowCount, featureCount, values } = matrix;
  if (featureCount !== model.featureCount) {
    throw new RangeError(`the model has ${model.featureCount} features, the matrix ${featureCount}`);
  }
  const { roots, feature, threshold, left, right, value } = flatForestOf(model);
  // Row by row, so that a row's values stay in cache while every tree reads them.
  const logOdds = new Float64Array(rowCount);
  for (let row = 0; row < rowCount; row++) {
    const start = row * featureCount;
    let sum = model.baseScore;
    for (let tree = 0; tree < roots.length; tree++) {
      let node = roots[tree]!;
      while (left[node]! >= 0) {
        // Branch-free (+boolean), as which way a row goes is unpredictable.
        const isLeft = +(values[start + feature[node]!]! <= threshold[node]!);
        node = isLeft * left[node]! + (1 - isLeft) * right[node]!;
      }
      sum += value[node]!;
    }
    logOdds[row] = sum;
  }
  return logOdds;
}
