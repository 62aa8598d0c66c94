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
import { logLoss, sigmoid } from './metrics';
import { createRandom } from './random';
import { growTree, type RegressionTree } from './regression-tree';

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
  for (let round = 0; round < maxRounds; round++) {
    for (const row of training) {
      const probability = sigmoid(logOdds[row]!);
      gradients[row] = probability - labels[row]!;
      hessians[row] = probability * (1 - probability);
    }
    const sample = subsample < 1 ? sampleOf(training, subsample, random) : Int32Array.from(training);
    const { tree, splitBins } = growTree(binned, thresholds, gradients, hessians, sample, treeOptions);
    trees.push(tree);
    addTreeToLogOdds(tree, splitBins, binned, logOdds);
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
 * histogram building cache-friendly; at least one row.
 */
function sampleOf(rows: Int32Array, share: number, random: () => number): Int32Array {
  const sample = new Int32Array(rows.length);
  let size = 0;
  for (const row of rows) {
    sample[size] = row;
    size += +(random() < share);
  }
  return size > 0 ? sample.slice(0, size) : rows.slice(0, 1);
}

function addTreeToLogOdds(
  tree: RegressionTree,
  splitBins: readonly number[],
  binned: BinnedFeatures,
  logOdds: Float64Array,
): void {
  const { rowCount, bins } = binned;
  for (let row = 0; row < rowCount; row++) {
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

/** Log-odds of churn for each row: the base score plus every tree's leaf value. */
export function predictBoostingLogOdds(model: GradientBoostingModel, matrix: FeatureMatrix): Float64Array {
  const { rowCount, featureCount, values } = matrix;
  if (featureCount !== model.featureCount) {
    throw new RangeError(`the model has ${model.featureCount} features, the matrix ${featureCount}`);
  }
  // Row by row, so that a row's values stay in cache while every tree reads them.
  const logOdds = new Float64Array(rowCount);
  for (let row = 0; row < rowCount; row++) {
    let sum = model.baseScore;
    for (const tree of model.trees) sum += tree.value[leafOf(tree, values, row * featureCount)]!;
    logOdds[row] = sum;
  }
  return logOdds;
}
