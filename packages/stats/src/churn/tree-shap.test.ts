import { describe, expect, it } from 'vitest';
import type { FeatureMatrix } from './feature-encoder';
import { fitGradientBoosting, type GradientBoostingModel, predictBoostingLogOdds } from './gradient-boosting';
import type { RegressionTree } from './regression-tree';
import { makeInteractionData } from './test-data';
import { createTreeExplainer, explainTrees } from './tree-shap';

/** E[f(x) | x_S] of one tree as path-dependent TreeSHAP defines it: unknown features follow the cover. */
function conditionalValue(
  tree: RegressionTree,
  row: readonly number[],
  known: ReadonlySet<number>,
  node = 0,
): number {
  if (tree.left[node]! < 0) return tree.value[node]!;
  const [left, right] = [tree.left[node]!, tree.right[node]!];
  const feature = tree.feature[node]!;
  if (known.has(feature)) {
    return conditionalValue(tree, row, known, row[feature]! <= tree.threshold[node]! ? left : right);
  }
  return (
    (tree.cover[left]! * conditionalValue(tree, row, known, left) +
      tree.cover[right]! * conditionalValue(tree, row, known, right)) /
    tree.cover[node]!
  );
}

/** Shapley values by their definition: every subset of the other features, weighted |S|!(n − |S| − 1)!/n!. */
function bruteForceShapley(model: GradientBoostingModel, row: readonly number[]): number[] {
  const n = row.length;
  const factorial = (k: number): number => (k <= 1 ? 1 : k * factorial(k - 1));
  const value = (subset: number) => {
    const known = new Set(row.flatMap((_, feature) => (subset & (1 << feature) ? [feature] : [])));
    return model.trees.reduce((sum, tree) => sum + conditionalValue(tree, row, known), 0);
  };
  return row.map((_, feature) => {
    let phi = 0;
    for (let subset = 0; subset < 1 << n; subset++) {
      if (subset & (1 << feature)) continue;
      let size = 0;
      for (let bits = subset; bits; bits &= bits - 1) size++;
      const weight = (factorial(size) * factorial(n - size - 1)) / factorial(n);
      phi += weight * (value(subset | (1 << feature)) - value(subset));
    }
    return phi;
  });
}

function rowOf(matrix: FeatureMatrix, row: number): number[] {
  return Array.from(matrix.values.subarray(row * matrix.featureCount, (row + 1) * matrix.featureCount));
}

describe('TreeSHAP', () => {
  it('matches brute-force Shapley values on a hand-made tree that splits twice on one feature', () => {
    // x0 ≤ 0.5 → (x1 ≤ 0 → 1 | x0 ≤ −1 → 5 | −3); else (x2 ≤ 2 → 2 | 7). Covers add up at every node.
    const tree: RegressionTree = {
      feature: [0, 1, -1, 0, -1, -1, 2, -1, -1],
      threshold: [0.5, 0, 0, -1, 0, 0, 2, 0, 0],
      left: [1, 2, -1, 4, -1, -1, 7, -1, -1],
      right: [6, 3, -1, 5, -1, -1, 8, -1, -1],
      value: [0, 0, 1, 0, 5, -3, 0, 2, 7],
      cover: [100, 60, 20, 40, 10, 30, 40, 25, 15],
    };
    const model: GradientBoostingModel = {
      kind: 'gradient-boosting',
      baseScore: 0.25,
      trees: [tree],
      featureCount: 3,
      validationLogLoss: null,
    };
    const rows = [
      [-2, 1, 0],
      [0, 1, 3],
      [0, -1, 3],
      [1, 0, 1],
      [1, 0, 5],
    ];
    const explainer = createTreeExplainer(model);
    // E[f] = 0.25 + (20·1 + 10·5 + 30·(−3) + 25·2 + 15·7) / 100.
    expect(explainer.expectedValue).toBeCloseTo(0.25 + 135 / 100, 12);
    const matrix = { rowCount: rows.length, featureCount: 3, values: Float64Array.from(rows.flat()) };
    const contributions = explainTrees(explainer, matrix);
    rows.forEach((row, index) => {
      const expected = bruteForceShapley(model, row);
      expected.forEach((phi, feature) => {
        expect(contributions[index * 3 + feature]).toBeCloseTo(phi, 12);
      });
    });
  });

  it.each([
    [2, 3],
    [4, 4],
    [6, 6],
  ])(
    'matches brute force on a fitted ensemble of depth %i (%i features) and adds up to its log-odds',
    (depth, features) => {
      const { matrix, labels } = makeInteractionData(800, features, 11);
      const model = fitGradientBoosting(matrix, labels, {
        maxDepth: depth,
        minSamplesLeaf: 5,
        maxRounds: 6,
        validationFraction: 0,
      });
      const explainer = createTreeExplainer(model);
      const logOdds = new Float64Array(matrix.rowCount);
      const contributions = explainTrees(explainer, matrix, logOdds);
      const predicted = predictBoostingLogOdds(model, matrix);
      for (let row = 0; row < matrix.rowCount; row++) {
        let sum = explainer.expectedValue;
        for (let feature = 0; feature < features; feature++) sum += contributions[row * features + feature]!;
        expect(Math.abs(sum - predicted[row]!)).toBeLessThan(1e-9);
        expect(Math.abs(logOdds[row]! - predicted[row]!)).toBeLessThan(1e-12);
      }
      for (const row of [0, 1, 2, 50, 333]) {
        bruteForceShapley(model, rowOf(matrix, row)).forEach((phi, feature) => {
          expect(contributions[row * features + feature]).toBeCloseTo(phi, 10);
        });
      }
    },
  );

  it('gives a feature that no tree uses a contribution of exactly 0', () => {
    const { matrix, labels } = makeInteractionData(500, 3, 12);
    const model = fitGradientBoosting(matrix, labels, { maxRounds: 10, validationFraction: 0 });
    const used = new Set(model.trees.flatMap((tree) => tree.feature.filter((feature) => feature >= 0)));
    const contributions = explainTrees(createTreeExplainer(model), matrix);
    for (let feature = 0; feature < 3; feature++) {
      if (used.has(feature)) continue;
      for (let row = 0; row < matrix.rowCount; row++) expect(contributions[row * 3 + feature]).toBe(0);
    }
  });
});
