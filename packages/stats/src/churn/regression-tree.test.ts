import { describe, expect, it } from 'vitest';
import type { FeatureMatrix } from './feature-encoder';
import { leafOf } from './gradient-boosting';
import { type BinnedFeatures, binFeatures, findBinThresholds } from './histogram-bins';
import { bundleExclusiveFeatures } from './histograms';
import { createRandom } from './random';
import { growTree, type RegressionTree, type TreeGrowingOptions } from './regression-tree';

/** Two numbers, a 4-level one-hot column and a 0/1 column, with continuous gradients (no exact ties). */
function makeProblem(rowCount: number, seed: number) {
  const random = createRandom(seed);
  const featureCount = 7;
  const values = new Float64Array(rowCount * featureCount);
  const gradients = new Float64Array(rowCount);
  const hessians = new Float64Array(rowCount);
  for (let row = 0; row < rowCount; row++) {
    const at = row * featureCount;
    values[at] = Math.round(random() * 1000) / 10;
    values[at + 1] = random() * 4 - 2;
    const level = Math.floor(random() * 4);
    values[at + 2 + level] = 1;
    values[at + 6] = random() < 0.2 ? 1 : 0;
    const probability = 0.1 + 0.8 * random();
    const isChurned = random() < (level === 0 ? 0.7 : 0.2) + (values[at]! > 50 ? 0.1 : 0);
    gradients[row] = probability - (isChurned ? 1 : 0);
    hessians[row] = probability * (1 - probability);
  }
  const matrix: FeatureMatrix = { rowCount, featureCount, values };
  return { matrix, gradients, hessians };
}

/**
 * The tree as the equations define it, with nothing clever: each node's sums straight from its rows, every
 * feature on its own, no subtraction, no bundles.
 */
function growReferenceTree(
  binned: BinnedFeatures,
  thresholds: readonly Float64Array[],
  gradients: Float64Array,
  hessians: Float64Array,
  rows: number[],
  options: TreeGrowingOptions,
): RegressionTree {
  const tree: RegressionTree = { feature: [], threshold: [], left: [], right: [], value: [], cover: [] };
  const binOf = (feature: number, row: number) => binned.bins[feature * binned.rowCount + row]!;
  const grow = (nodeRows: number[], depth: number): number => {
    const node = tree.feature.length;
    tree.feature.push(-1);
    tree.threshold.push(0);
    tree.left.push(-1);
    tree.right.push(-1);
    tree.value.push(0);
    tree.cover.push(nodeRows.length);
    const sum = (of: Float64Array, which: number[]) => which.reduce((total, row) => total + of[row]!, 0);
    const gradient = sum(gradients, nodeRows);
    const hessian = sum(hessians, nodeRows);
    let best: { feature: number; bin: number; gain: number } | undefined;
    if (depth < options.maxDepth && nodeRows.length >= 2 * options.minSamplesLeaf) {
      const parent = (gradient * gradient) / (hessian + options.l2);
      thresholds.forEach((cuts, feature) => {
        for (let bin = 0; bin < cuts.length; bin++) {
          const left = nodeRows.filter((row) => binOf(feature, row) <= bin);
          const leftGradient = sum(gradients, left);
          const leftHessian = sum(hessians, left);
          const rightHessian = hessian - leftHessian;
          if (left.length < options.minSamplesLeaf || nodeRows.length - left.length < options.minSamplesLeaf)
            continue;
          if (leftHessian < 1e-3 || rightHessian < 1e-3) continue;
          const rightGradient = gradient - leftGradient;
          const gain =
            (leftGradient * leftGradient) / (leftHessian + options.l2) +
            (rightGradient * rightGradient) / (rightHessian + options.l2) -
            parent;
          if (gain > (best?.gain ?? options.minGain)) best = { feature, bin, gain };
        }
      });
    }
    if (!best) {
      tree.value[node] = (-options.learningRate * gradient) / (hessian + options.l2);
      return node;
    }
    const split = best;
    tree.feature[node] = split.feature;
    tree.threshold[node] = thresholds[split.feature]![split.bin]!;
    tree.left[node] = grow(
      nodeRows.filter((row) => binOf(split.feature, row) <= split.bin),
      depth + 1,
    );
    tree.right[node] = grow(
      nodeRows.filter((row) => binOf(split.feature, row) > split.bin),
      depth + 1,
    );
    return node;
  };
  grow(rows, 0);
  return tree;
}

describe('growTree', () => {
  it('grows the tree the equations define, with subtracted histograms and bundled levels', () => {
    const { matrix, gradients, hessians } = makeProblem(3000, 11);
    const everyRow = Int32Array.from({ length: matrix.rowCount }, (_, row) => row);
    const thresholds = findBinThresholds(matrix, everyRow, 32);
    const binned = binFeatures(matrix, thresholds);
    const columns = bundleExclusiveFeatures(
      binned,
      Int32Array.from(thresholds, (cuts) => cuts.length + 1),
    );
    // The four levels share a column; the numbers and the 0/1 column that overlaps them do not.
    expect(Array.from(columns.columnOfFeature)).toEqual([0, 1, 2, 2, 2, 2, 3]);
    const sample = everyRow.filter((row) => row % 3 !== 0);
    for (const maxDepth of [1, 3, 5]) {
      const options = { maxDepth, minSamplesLeaf: 30, l2: 1, minGain: 0, learningRate: 0.1 };
      const { tree } = growTree(
        { binned, columns, thresholds },
        gradients,
        hessians,
        sample.slice(),
        options,
      );
      const reference = growReferenceTree(
        binned,
        thresholds,
        gradients,
        hessians,
        Array.from(sample),
        options,
      );
      expect(tree.feature.length).toBe(reference.feature.length);
      expect(tree.feature.filter((feature) => feature >= 0).length).toBeGreaterThan(0);
      // The same partition of the rows: every row lands in a leaf of the same value and cover.
      for (let row = 0; row < matrix.rowCount; row++) {
        const leaf = leafOf(tree, matrix.values, row * matrix.featureCount);
        const referenceLeaf = leafOf(reference, matrix.values, row * matrix.featureCount);
        expect(tree.cover[leaf]).toBe(reference.cover[referenceLeaf]);
        expect(tree.value[leaf]).toBeCloseTo(reference.value[referenceLeaf]!, 12);
      }
    }
  });
});
