import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accuracyAtHalf, LOG_LOSS_CLIP, logit, logLoss, rocAuc, sigmoid } from './metrics';

/** AUC by counting every (churned, retained) pair, a tie counting one half: the definition itself. */
function pairwiseAuc(scores: readonly number[], labels: readonly number[]): number {
  let wins = 0;
  let pairs = 0;
  scores.forEach((positive, i) => {
    if (labels[i] !== 1) return;
    scores.forEach((negative, j) => {
      if (labels[j] !== 0) return;
      pairs++;
      wins += positive > negative ? 1 : positive === negative ? 0.5 : 0;
    });
  });
  return wins / pairs;
}

const scoredRows = fc
  .array(fc.tuple(fc.integer({ min: -20, max: 20 }), fc.integer({ min: 0, max: 1 })), {
    minLength: 2,
    maxLength: 60,
  })
  .filter((rows) => rows.some(([, label]) => label === 1) && rows.some(([, label]) => label === 0))
  .map((rows) => ({ scores: rows.map(([score]) => score / 4), labels: rows.map(([, label]) => label) }));

describe('rocAuc', () => {
  it.each([
    ['no ties: 3 of 4 pairs ordered', [0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1], 0.75],
    ['ties count one half', [1, 1, 2, 2, 3], [0, 1, 0, 1, 1], 4 / 6],
    ['all tied is 0.5', [0.3, 0.3, 0.3, 0.3], [1, 0, 0, 1], 0.5],
    ['perfect ranking is 1', [0.1, 0.2, 0.9], [0, 0, 1], 1],
    ['reversed ranking is 0', [0.9, 0.2, 0.1], [0, 1, 1], 0],
  ])('%s', (_, scores, labels, expected) => {
    expect(rocAuc(scores, labels)).toBeCloseTo(expected, 12);
  });

  it('agrees with counting pairs, whatever the ties', () => {
    fc.assert(
      fc.property(scoredRows, ({ scores, labels }) => {
        expect(rocAuc(scores, labels)).toBeCloseTo(pairwiseAuc(scores, labels), 12);
      }),
    );
  });

  it('turns into 1 − AUC when the scores are negated', () => {
    fc.assert(
      fc.property(scoredRows, ({ scores, labels }) => {
        expect(
          rocAuc(
            scores.map((s) => -s),
            labels,
          ),
        ).toBeCloseTo(1 - rocAuc(scores, labels), 12);
      }),
    );
  });

  it('does not change under a strictly increasing transform of the scores', () => {
    fc.assert(
      fc.property(scoredRows, ({ scores, labels }) => {
        const auc = rocAuc(scores, labels);
        expect(rocAuc(scores.map(sigmoid), labels)).toBe(auc);
        expect(
          rocAuc(
            scores.map((s) => s ** 3 + 7 * s),
            labels,
          ),
        ).toBe(auc);
      }),
    );
  });

  it('needs both classes and one label per score', () => {
    expect(() => rocAuc([0.2, 0.4], [1, 1])).toThrow(/each class/);
    expect(() => rocAuc([0.2, 0.4], [1])).toThrow(RangeError);
  });
});

describe('accuracyAtHalf and logLoss', () => {
  it('counts 0.5 as predicting churn', () => {
    expect(accuracyAtHalf([0.5, 0.49, 0.9, 0.1], [1, 0, 0, 0])).toBe(0.75);
  });

  it('computes the mean negative log-likelihood', () => {
    expect(logLoss([0.8, 0.25], [1, 0])).toBeCloseTo(-(Math.log(0.8) + Math.log(0.75)) / 2, 14);
  });

  it('clips certain mistakes to ln(1e15) instead of infinity', () => {
    expect(logLoss([0, 1], [1, 0])).toBeCloseTo(-Math.log(LOG_LOSS_CLIP), 6);
    expect(logLoss([1, 0], [1, 0])).toBeCloseTo(0, 12);
  });
});

describe('sigmoid', () => {
  it('inverts logit and stays finite for large inputs', () => {
    for (const p of [1e-9, 0.2, 0.5, 0.93]) expect(sigmoid(logit(p))).toBeCloseTo(p, 12);
    expect(sigmoid(800)).toBe(1);
    expect(sigmoid(-800)).toBe(0);
  });
});
