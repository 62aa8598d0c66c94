import { describe, expect, it } from 'vitest';
import { fitGradientBoosting, predictBoostingLogOdds } from './gradient-boosting';
import { predictLogisticLogOdds } from './logistic-prediction';
import { fitLogisticRegression } from './logistic-regression';
import { rocAuc } from './metrics';
import { makeInteractionData } from './test-data';

const TRAINING = makeInteractionData(3000, 5, 1);
const TEST = makeInteractionData(2000, 5, 2);

describe('fitGradientBoosting', () => {
  it('learns an XOR-like interaction that logistic regression cannot', () => {
    const boosted = fitGradientBoosting(TRAINING.matrix, TRAINING.labels, { maxDepth: 3, seed: 3 });
    const logistic = fitLogisticRegression(TRAINING.matrix, TRAINING.labels);
    const boostedAuc = rocAuc(predictBoostingLogOdds(boosted, TEST.matrix), TEST.labels);
    const logisticAuc = rocAuc(predictLogisticLogOdds(logistic, TEST.matrix), TEST.labels);
    // The best possible AUC here is about 0.82 (σ(2) against σ(−2)); a linear score is about 0.5.
    expect(boostedAuc).toBeGreaterThan(0.78);
    expect(logisticAuc).toBeLessThan(0.56);
  });

  it('is deterministic for a seed, and another seed subsamples other rows', () => {
    const fit = (seed: number) =>
      fitGradientBoosting(TRAINING.matrix, TRAINING.labels, { maxRounds: 5, seed });
    expect(fit(4)).toEqual(fit(4));
    expect(fit(4).trees).not.toEqual(fit(5).trees);
  });

  it('stops early on labels that are pure noise, and grows exactly maxRounds trees without validation', () => {
    const noise = Uint8Array.from(TRAINING.labels, (_, row) => ((row * 7919) % 3 === 0 ? 1 : 0));
    const stopped = fitGradientBoosting(TRAINING.matrix, noise, { maxRounds: 300, earlyStoppingRounds: 10 });
    expect(stopped.trees.length).toBeLessThan(30);
    expect(stopped.validationLogLoss).not.toBeNull();
    const fixed = fitGradientBoosting(TRAINING.matrix, TRAINING.labels, {
      maxRounds: 17,
      validationFraction: 0,
    });
    expect(fixed.trees).toHaveLength(17);
    expect(fixed.validationLogLoss).toBeNull();
  });

  it('respects the depth limit and the fewest rows per leaf', () => {
    const model = fitGradientBoosting(TRAINING.matrix, TRAINING.labels, {
      maxDepth: 2,
      minSamplesLeaf: 400,
      maxRounds: 20,
      validationFraction: 0,
    });
    for (const tree of model.trees) {
      expect(tree.feature.length).toBeLessThanOrEqual(7);
      tree.left.forEach((child, node) => {
        if (child < 0) expect(tree.cover[node]).toBeGreaterThanOrEqual(400);
        else expect(tree.cover[child]! + tree.cover[tree.right[node]!]!).toBe(tree.cover[node]);
      });
    }
  });

  it('grows each tree on about maxSampleRows rows when the table has more', () => {
    const capped = fitGradientBoosting(TRAINING.matrix, TRAINING.labels, {
      maxRounds: 20,
      maxSampleRows: 600,
      validationFraction: 0,
    });
    const uncapped = fitGradientBoosting(TRAINING.matrix, TRAINING.labels, {
      maxRounds: 20,
      validationFraction: 0,
    });
    // The root's cover is the rows the tree was grown on: 600 of 3,000 on average, else 80 % of them.
    const meanRootCover = (trees: { cover: number[] }[]) =>
      trees.reduce((sum, tree) => sum + tree.cover[0]!, 0) / trees.length;
    expect(meanRootCover(capped.trees)).toBeGreaterThan(570);
    expect(meanRootCover(capped.trees)).toBeLessThan(630);
    expect(meanRootCover(uncapped.trees)).toBeGreaterThan(2350);
    expect(meanRootCover(uncapped.trees)).toBeLessThan(2450);
  });

  it('predicts the same after a JSON round trip', () => {
    const model = fitGradientBoosting(TRAINING.matrix, TRAINING.labels, { maxRounds: 30, maxBins: 32 });
    const stored = JSON.parse(JSON.stringify(model));
    expect(predictBoostingLogOdds(stored, TEST.matrix)).toEqual(predictBoostingLogOdds(model, TEST.matrix));
  });

  it('refuses settings it cannot honour', () => {
    const fit = (options: object) => () => fitGradientBoosting(TRAINING.matrix, TRAINING.labels, options);
    expect(fit({ maxDepth: 7 })).toThrow(/maxDepth must be a whole number from 1 to 6/);
    expect(fit({ minSamplesLeaf: 0 })).toThrow(/minSamplesLeaf/);
    expect(fit({ subsample: 0 })).toThrow(/subsample/);
    expect(fit({ maxBins: 300 })).toThrow(/maxBins/);
    expect(fit({ maxSampleRows: 0.5 })).toThrow(/maxSampleRows/);
  });
});
