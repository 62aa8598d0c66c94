import { describe, expect, it } from 'vitest';
import type { FeatureMatrix } from './feature-encoder';
import { createLogisticProblem, linearPredictor, quadraticApproximation } from './logistic-problem';
import { sigmoid } from './metrics';
import { createRandom } from './random';

/** A number, a 3-level one-hot column, a 0/1 indicator, and a 0/1 column that is to be scaled. */
function makeMatrix(rowCount: number, seed: number): { matrix: FeatureMatrix; labels: Uint8Array } {
  const random = createRandom(seed);
  const featureCount = 6;
  const values = new Float64Array(rowCount * featureCount);
  const labels = new Uint8Array(rowCount);
  for (let row = 0; row < rowCount; row++) {
    const at = row * featureCount;
    values[at] = 50 + 20 * random();
    values[at + 1 + Math.floor(random() * 3)] = 1;
    values[at + 4] = random() < 0.1 ? 1 : 0;
    values[at + 5] = random() < 0.5 ? 1 : 0;
    labels[row] = random() < 0.3 ? 1 : 0;
  }
  return { matrix: { rowCount, featureCount, values }, labels };
}

const STANDARDIZE = [true, false, false, false, false, true];

describe('createLogisticProblem', () => {
  it('keeps unscaled 0/1 features as the rows where they are 1, and the rest as centred columns', () => {
    const { matrix, labels } = makeMatrix(200, 1);
    const problem = createLogisticProblem(matrix, labels, STANDARDIZE);
    expect(Array.from(problem.denseFeatures)).toEqual([0, 5]);
    expect(Array.from(problem.sparseFeatures)).toEqual([1, 2, 3, 4]);
    const ones = Array.from({ length: 200 }, (_, row) => row).filter(
      (row) => matrix.values[row * 6 + 4] === 1,
    );
    expect(Array.from(problem.sparseRows[3]!)).toEqual(ones);
    expect(problem.scales[4]).toBe(1);
    const [column] = problem.denseColumns;
    expect(column!.reduce((sum, value) => sum + value, 0)).toBeCloseTo(0, 9);
  });
});

describe('quadraticApproximation', () => {
  it('gives the hessian and gradient of the centred features, as computed from every feature', () => {
    const { matrix, labels } = makeMatrix(500, 2);
    const problem = createLogisticProblem(matrix, labels, STANDARDIZE);
    const coefficients = Float64Array.of(0.3, -0.2, 0.1, 0.4, -0.7, 0.5);
    const logOdds = linearPredictor(problem, -1, coefficients);
    const { hessian, gradient } = quadraticApproximation(problem, logOdds);

    // The same sums the plain way: every feature centred and scaled, the intercept a column of ones.
    const size = 7;
    const centred = (row: number, index: number) =>
      index === 0
        ? 1
        : (matrix.values[row * 6 + index - 1]! - problem.means[index - 1]!) / problem.scales[index - 1]!;
    const expectedHessian = new Float64Array(size * size);
    const expectedGradient = new Float64Array(size);
    for (let row = 0; row < 500; row++) {
      let eta = -1;
      for (let feature = 0; feature < 6; feature++) eta += coefficients[feature]! * centred(row, feature + 1);
      expect(logOdds[row]).toBeCloseTo(eta, 12);
      const probability = sigmoid(eta);
      const weight = (probability * (1 - probability)) / 500;
      for (let first = 0; first < size; first++) {
        expectedGradient[first]! += ((probability - labels[row]!) / 500) * centred(row, first);
        for (let second = 0; second < size; second++) {
          expectedHessian[first * size + second]! += weight * centred(row, first) * centred(row, second);
        }
      }
    }
    hessian.forEach((value, index) => {
      expect(value).toBeCloseTo(expectedHessian[index]!, 12);
    });
    gradient.forEach((value, index) => {
      expect(value).toBeCloseTo(expectedGradient[index]!, 12);
    });
  });
});
