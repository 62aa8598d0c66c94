import { describe, expect, it } from 'vitest';
import {
  fitShiftedBetaGeometric,
  shiftedBetaGeometricChurnProbability,
  shiftedBetaGeometricDiscountedExpectedLifetime,
  shiftedBetaGeometricExpectedLifetime,
  shiftedBetaGeometricLogLikelihood,
  shiftedBetaGeometricRetentionRate,
  shiftedBetaGeometricSurvival,
} from './shifted-beta-geometric';

// Fader & Hardie (2007), "How to Project Customer Retention", J. Interactive Marketing 21(1): customers of a
// cohort of 1,000 still active at the start of years 0–12, for two segments. The model is fitted on years
// 0–7.
const REGULAR = [1000, 631, 468, 382, 326, 289, 262, 241, 223, 207, 194, 183, 173];
const HIGH_END = [1000, 869, 743, 653, 593, 551, 517, 491, 468, 445, 427, 409, 394];

describe('fitShiftedBetaGeometric on the paper’s two segments', () => {
  it.each([
    ['regular', 0.704, 1.182, REGULAR],
    ['high end', 0.668, 3.806, HIGH_END],
  ])('%s: α and β round to the published %f and %f', (_segment, alpha, beta, survivors) => {
    const fit = fitShiftedBetaGeometric(survivors.slice(0, 8));
    expect(fit.converged).toBe(true);
    expect(fit.alpha.toFixed(3)).toBe(alpha.toFixed(3));
    expect(fit.beta.toFixed(3)).toBe(beta.toFixed(3));
    expect(fit.logLikelihood).toBeCloseTo(shiftedBetaGeometricLogLikelihood(fit, survivors.slice(0, 8)), 9);
  });

  it('projects years 8–12 of the regular segment within 2 % of those actually still active', () => {
    // Not a published figure: the paper's point, that seven years project the next five, checked on its data.
    const fit = fitShiftedBetaGeometric(REGULAR.slice(0, 8));
    for (let year = 8; year <= 12; year++) {
      const projected = 1000 * shiftedBetaGeometricSurvival(fit, year);
      expect(Math.abs(projected - REGULAR[year]!) / REGULAR[year]!).toBeLessThan(0.02);
    }
  });
});

describe('shifted-beta-geometric quantities', () => {
  const parameters = { alpha: 0.704, beta: 1.182 };

  it('has S(0) = 1, S(1) = β/(α + β), and S(t) = 1 − Σ P(T = k)', () => {
    expect(shiftedBetaGeometricSurvival(parameters, 0)).toBe(1);
    expect(shiftedBetaGeometricSurvival(parameters, 1)).toBeCloseTo(1.182 / (0.704 + 1.182), 14);
    let churned = 0;
    for (let t = 1; t <= 30; t++) {
      churned += shiftedBetaGeometricChurnProbability(parameters, t);
      expect(shiftedBetaGeometricSurvival(parameters, t)).toBeCloseTo(1 - churned, 12);
    }
  });

  it('has a retention rate r(t) = S(t)/S(t − 1) that rises with tenure', () => {
    let previous = 0;
    for (let t = 1; t <= 12; t++) {
      const rate = shiftedBetaGeometricRetentionRate(parameters, t);
      const ratio =
        shiftedBetaGeometricSurvival(parameters, t) / shiftedBetaGeometricSurvival(parameters, t - 1);
      expect(rate).toBeCloseTo(ratio, 13);
      expect(rate).toBeGreaterThan(previous);
      previous = rate;
    }
  });

  it('has mean lifetime (α + β − 1)/(α − 1) = Σ S(t), infinite for α ≤ 1', () => {
    const finite = { alpha: 3, beta: 2 };
    let survival = 1;
    let sum = 1;
    for (let t = 1; t < 100_000; t++) {
      survival *= shiftedBetaGeometricRetentionRate(finite, t);
      sum += survival;
    }
    expect(shiftedBetaGeometricExpectedLifetime(finite)).toBe(2);
    expect(sum).toBeCloseTo(2, 4);
    expect(shiftedBetaGeometricExpectedLifetime(parameters)).toBe(Number.POSITIVE_INFINITY);
  });

  it('has a discounted expected lifetime equal to Σ S(t)/(1 + d)ᵗ', () => {
    for (const discountRate of [0.05, 0.1, 0.3]) {
      let sum = 0;
      let survival = 1;
      for (let t = 0; t < 2000; t++) {
        if (t > 0) survival *= shiftedBetaGeometricRetentionRate(parameters, t);
        sum += survival / (1 + discountRate) ** t;
      }
      expect(shiftedBetaGeometricDiscountedExpectedLifetime(parameters, discountRate)).toBeCloseTo(sum, 10);
    }
  });

  it('refuses impossible survivor counts and periods', () => {
    expect(() => fitShiftedBetaGeometric([1000])).toThrow(RangeError);
    expect(() => fitShiftedBetaGeometric([1000, 600, 700])).toThrow(/survivors\[2\]/);
    expect(() => fitShiftedBetaGeometric([0, 0])).toThrow(/cohort/);
    expect(() => fitShiftedBetaGeometric([1000, Number.NaN])).toThrow(/survivors\[1\]/);
    expect(() => shiftedBetaGeometricSurvival(parameters, 1.5)).toThrow(RangeError);
    expect(() => shiftedBetaGeometricRetentionRate(parameters, 0)).toThrow(RangeError);
    expect(() => shiftedBetaGeometricDiscountedExpectedLifetime(parameters, 0)).toThrow(RangeError);
  });
});
