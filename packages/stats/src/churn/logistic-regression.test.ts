import { describe, expect, it } from 'vitest';
import type { FeatureMatrix } from './feature-encoder';
import { coefficientsPerUnit, namedCoefficients, predictLogisticLogOdds } from './logistic-prediction';
import { fitLogisticRegression, type LogisticRegressionModel } from './logistic-regression';
import { sigmoid } from './metrics';
import { createRandom } from './random';

function matrixOf(rows: readonly (readonly number[])[]): FeatureMatrix {
  return { rowCount: rows.length, featureCount: rows[0]!.length, values: Float64Array.from(rows.flat()) };
}

/** Gradient of the penalised objective with respect to each standardised coefficient, without the penalty. */
function lossGradient(model: LogisticRegressionModel, matrix: FeatureMatrix, labels: readonly number[]) {
  const logOdds = predictLogisticLogOdds(model, matrix);
  const gradient = new Array<number>(matrix.featureCount).fill(0);
  let interceptGradient = 0;
  labels.forEach((label, row) => {
    const residual = (sigmoid(logOdds[row]!) - label) / labels.length;
    interceptGradient += residual;
    for (let j = 0; j < matrix.featureCount; j++) {
      const standardised =
        (matrix.values[row * matrix.featureCount + j]! - model.means[j]!) / model.scales[j]!;
      gradient[j]! += residual * standardised;
    }
  });
  return { gradient, interceptGradient };
}

function randomProblem(seed: number, rows = 300) {
  const random = createRandom(seed);
  const data = Array.from({ length: rows }, () => [random() * 4 - 2, random() * 10, random() < 0.3 ? 1 : 0]);
  const labels = data.map(([a, b, c]) => (random() < sigmoid(1.5 * a! - 0.2 * b! + c!) ? 1 : 0));
  return { matrix: matrixOf(data), labels };
}

describe('fitLogisticRegression', () => {
  it('gives a zero coefficient to a feature that is symmetric in both classes', () => {
    // Each class has the values −2, −1, 1, 2: the feature tells nothing.
    const matrix = matrixOf([[-1], [1], [-2], [2], [-1], [1], [-2], [2], [1], [-1]]);
    const model = fitLogisticRegression(matrix, [0, 0, 0, 0, 1, 1, 1, 1, 1, 1], { penalty: 1e-6 });
    expect(model.coefficients[0]).toBeCloseTo(0, 12);
    expect(model.converged).toBe(true);
  });

  it('finds the log odds ratio of a 2 × 2 table when the penalty is negligible', () => {
    // Exposed: 30 of 40 churn; unexposed: 10 of 60. The maximum-likelihood fit reproduces both rates.
    const rows = [...Array(40).fill([1]), ...Array(60).fill([0])];
    const labels = [...Array(30).fill(1), ...Array(10).fill(0), ...Array(10).fill(1), ...Array(50).fill(0)];
    const model = fitLogisticRegression(matrixOf(rows), labels, { penalty: 1e-10, standardize: [false] });
    expect(coefficientsPerUnit(model)[0]).toBeCloseTo(Math.log(30 / 10 / (10 / 50)), 6);
    const [exposed, unexposed] = predictLogisticLogOdds(model, matrixOf([[1], [0]]));
    expect(sigmoid(exposed!)).toBeCloseTo(0.75, 8);
    expect(sigmoid(unexposed!)).toBeCloseTo(1 / 6, 8);
  });

  it('keeps coefficients finite on perfectly separable data', () => {
    const matrix = matrixOf([[-3], [-2], [-1], [1], [2], [3]]);
    const model = fitLogisticRegression(matrix, [0, 0, 0, 1, 1, 1], { penalty: 0.01 });
    expect(model.converged).toBe(true);
    expect(Number.isFinite(model.coefficients[0])).toBe(true);
    expect(model.coefficients[0]).toBeGreaterThan(1);
    // A stronger penalty shrinks it.
    const shrunk = fitLogisticRegression(matrix, [0, 0, 0, 1, 1, 1], { penalty: 0.1 });
    expect(shrunk.coefficients[0]).toBeLessThan(model.coefficients[0]!);
  });

  it('meets the ridge optimality conditions: loss gradient = −λβ, intercept gradient = 0', () => {
    const { matrix, labels } = randomProblem(3);
    const model = fitLogisticRegression(matrix, labels, { penalty: 0.05 });
    const { gradient, interceptGradient } = lossGradient(model, matrix, labels);
    expect(interceptGradient).toBeCloseTo(0, 10);
    gradient.forEach((slope, j) => {
      expect(slope + 0.05 * model.coefficients[j]!).toBeCloseTo(0, 10);
    });
  });

  it('meets the elastic-net optimality conditions and sets a useless feature exactly to 0', () => {
    const { matrix, labels } = randomProblem(5, 400);
    const [penalty, l1Ratio] = [0.03, 0.7];
    const model = fitLogisticRegression(matrix, labels, { penalty, l1Ratio, tolerance: 1e-12 });
    const { gradient, interceptGradient } = lossGradient(model, matrix, labels);
    expect(interceptGradient).toBeCloseTo(0, 8);
    gradient.forEach((slope, j) => {
      const beta = model.coefficients[j]!;
      const ridge = slope + penalty * (1 - l1Ratio) * beta;
      if (beta === 0) expect(Math.abs(ridge)).toBeLessThanOrEqual(penalty * l1Ratio + 1e-9);
      else expect(ridge + penalty * l1Ratio * Math.sign(beta)).toBeCloseTo(0, 8);
    });
    expect(model.coefficients[0]).toBeGreaterThan(0);
    const noise = matrixOf(
      Array.from({ length: 400 }, (_, row) => [matrix.values[row * 3]!, (row * 7919) % 13]),
    );
    const sparse = fitLogisticRegression(noise, labels, { penalty: 0.05, l1Ratio: 1 });
    expect(sparse.coefficients[1]).toBe(0);
    expect(sparse.coefficients[0]).toBeGreaterThan(0);
  });

  it('is deterministic and refuses a zero penalty', () => {
    const { matrix, labels } = randomProblem(9);
    expect(fitLogisticRegression(matrix, labels)).toEqual(fitLogisticRegression(matrix, labels));
    expect(() => fitLogisticRegression(matrix, labels, { penalty: 0 })).toThrow(/penalty must be > 0/);
  });

  it('names each coefficient by its feature, per standard deviation and per unit, largest first', () => {
    const { matrix, labels } = randomProblem(13);
    const model = fitLogisticRegression(matrix, labels, { standardize: [true, true, false] });
    const named = namedCoefficients(model, [
      { name: 'a', column: 'a', role: 'value' },
      { name: 'b', column: 'b', role: 'value' },
      { name: 'plan = pro', column: 'plan', role: 'level', level: 'pro' },
    ]);
    expect(named.map((coefficient) => coefficient.feature)).toEqual(['a', 'b', 'plan = pro']);
    const b = named[1]!;
    expect(b.perUnit * model.scales[1]!).toBeCloseTo(b.perStandardDeviation, 12);
    // b is uniform on [0, 10] with a true effect of −0.2 per unit.
    expect(b.perUnit).toBeGreaterThan(-0.4);
    expect(b.perUnit).toBeLessThan(-0.05);
    expect(named[2]!.perUnit).toBe(named[2]!.perStandardDeviation);
  });
});
