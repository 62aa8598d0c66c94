/**
 * Penalised logistic regression. The objective is the mean log-loss plus λ((1 − α)/2 ‖β‖² + α‖β‖₁) on
 * standardised features (the intercept is not penalised), as in glmnet (Friedman, Hastie & Tibshirani 2010,
 * J. Stat. Software 33(1)). With α = 0 (ridge) it is fitted by Newton's method, else by proximal Newton
 * (glmnet's reweighted least squares, solved by coordinate descent); both halve steps that do not descend,
 * and both are deterministic.
 */
import type { FeatureMatrix } from './feature-encoder';
import { solveSymmetricPositiveDefinite } from './linear-algebra';
import {
  createLogisticProblem,
  type LogisticProblem,
  linearPredictor,
  quadraticApproximation,
} from './logistic-problem';

export interface LogisticRegressionOptions {
  /** λ, the penalty's weight against the mean log-loss (default 0.001); must be > 0. */
  penalty?: number;
  /** α in [0, 1]: 0 is ridge (L2), 1 is lasso (L1), between is the elastic net (default 0). */
  l1Ratio?: number;
  /** Which features to scale to unit standard deviation (default: all). All are centred on their mean. */
  standardize?: readonly boolean[];
  /** Most Newton or reweighting steps (default 100). */
  maxIterations?: number;
  /** Converged when no coefficient moves more than this in a step (default 1e-9). */
  tolerance?: number;
}

export interface LogisticRegressionModel {
  kind: 'logistic';
  /** Log-odds at the training means of all features (features are centred there). */
  intercept: number;
  /** Per feature: the change in log-odds per training standard deviation (or per unit when not scaled). */
  coefficients: number[];
  /** Training means, where the features are centred and the explanations' baseline. */
  means: number[];
  /** The training standard deviation of each scaled feature, 1 for the others. */
  scales: number[];
  penalty: number;
  l1Ratio: number;
  iterations: number;
  converged: boolean;
}

interface Fit {
  intercept: number;
  coefficients: Float64Array;
}

/** Fits the model to a feature matrix and 0/1 labels. */
export function fitLogisticRegression(
  matrix: FeatureMatrix,
  labels: ArrayLike<number>,
  options: LogisticRegressionOptions = {},
): LogisticRegressionModel {
  const penalty = options.penalty ?? 0.001;
  const l1Ratio = options.l1Ratio ?? 0;
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-9;
  if (!(penalty > 0 && Number.isFinite(penalty))) throw new RangeError(`penalty must be > 0, got ${penalty}`);
  if (!(l1Ratio >= 0 && l1Ratio <= 1)) throw new RangeError(`l1Ratio must be in [0, 1], got ${l1Ratio}`);
  if (labels.length !== matrix.rowCount) throw new RangeError('one label is needed for each row');
  const data = createLogisticProblem(matrix, labels, options.standardize);
  const { means, scales } = data;
  const problem: Problem = { data, penalty, l1Ratio };
  let positives = 0;
  for (let row = 0; row < labels.length; row++) positives += labels[row]!;
  const rate = Math.min(1 - 1e-6, Math.max(1e-6, positives / labels.length));
  let fit: Fit = {
    intercept: Math.log(rate / (1 - rate)),
    coefficients: new Float64Array(matrix.featureCount),
  };
  let value = objective(problem, fit);
  let iterations = 0;
  let converged = false;
  while (!converged && iterations < maxIterations) {
    iterations++;
    const target = l1Ratio === 0 ? newtonStep(problem, fit) : proximalNewtonStep(problem, fit, tolerance);
    // Step halving keeps every step downhill (Newton's full step can overshoot far from the optimum).
    let candidate = target;
    let candidateValue = objective(problem, candidate);
    for (let halving = 0; halving < 40 && !(candidateValue <= value); halving++) {
      candidate = midpoint(fit, candidate);
      candidateValue = objective(problem, candidate);
    }
    converged = largestChange(fit, candidate) <= tolerance || value - candidateValue <= 1e-15 * value;
    if (candidateValue <= value) {
      fit = candidate;
      value = candidateValue;
    }
  }
  return {
    kind: 'logistic',
    intercept: fit.intercept,
    coefficients: Array.from(fit.coefficients),
    means: Array.from(means),
    scales: Array.from(scales),
    penalty,
    l1Ratio,
    iterations,
    converged,
  };
}

interface Problem {
  data: LogisticProblem;
  penalty: number;
  l1Ratio: number;
}

function objective(problem: Problem, fit: Fit): number {
  const logOdds = linearPredictor(problem.data, fit.intercept, fit.coefficients);
  const { labels } = problem.data;
  let loss = 0;
  for (let row = 0; row < logOdds.length; row++) {
    const eta = logOdds[row]!;
    // ln(1 + e^η) − yη, computed without overflow.
    loss += Math.max(eta, 0) + Math.log1p(Math.exp(-Math.abs(eta))) - labels[row]! * eta;
  }
  let ridge = 0;
  let lasso = 0;
  for (const coefficient of fit.coefficients) {
    ridge += coefficient * coefficient;
    lasso += Math.abs(coefficient);
  }
  const { penalty, l1Ratio } = problem;
  return loss / logOdds.length + penalty * (((1 - l1Ratio) / 2) * ridge + l1Ratio * lasso);
}

/** The log-loss's hessian and gradient at `fit` (logistic-problem.ts), without the penalty. */
function expansionAt(problem: Problem, fit: Fit) {
  return quadraticApproximation(problem.data, linearPredictor(problem.data, fit.intercept, fit.coefficients));
}

/** The full Newton step for the ridge objective: solve (H + λI) d = g + λβ, the intercept unpenalised. */
function newtonStep(problem: Problem, fit: Fit): Fit {
  const { hessian, gradient } = expansionAt(problem, fit);
  const size = gradient.length;
  for (let index = 1; index < size; index++) {
    hessian[index * size + index]! += problem.penalty;
    gradient[index]! += problem.penalty * fit.coefficients[index - 1]!;
  }
  const step = solveSymmetricPositiveDefinite(hessian, size, gradient);
  return {
    intercept: fit.intercept - step[0]!,
    coefficients: fit.coefficients.map((coefficient, feature) => coefficient - step[feature + 1]!),
  };
}

/**
 * One proximal Newton step for the elastic net: the log-loss is replaced by its quadratic expansion at
 * `fit` (glmnet's reweighted least squares), which is minimised with the penalty by cycling over the
 * coordinates with soft thresholding. Updates use the p × p hessian ("covariance updates" in glmnet), so a
 * sweep costs p², not n · p.
 */
function proximalNewtonStep(problem: Problem, fit: Fit, tolerance: number): Fit {
  const { hessian, gradient } = expansionAt(problem, fit);
  const size = gradient.length;
  const lasso = problem.penalty * problem.l1Ratio;
  const ridge = problem.penalty * (1 - problem.l1Ratio);
  const point = Float64Array.of(fit.intercept, ...fit.coefficients);
  // The quadratic's gradient at `point`: g + H (point − fit), kept up to date after each coordinate move.
  const slope = Float64Array.from(gradient);
  for (let sweep = 0; sweep < 100_000; sweep++) {
    let largest = 0;
    for (let index = 0; index < size; index++) {
      const curvature = Math.max(hessian[index * size + index]!, 1e-12);
      const old = point[index]!;
      const target = curvature * old - slope[index]!;
      const updated =
        index === 0
          ? target / curvature
          : (Math.sign(target) * Math.max(0, Math.abs(target) - lasso)) / (curvature + ridge);
      const change = updated - old;
      if (change === 0) continue;
      point[index] = updated;
      for (let other = 0; other < size; other++) slope[other]! += hessian[other * size + index]! * change;
      largest = Math.max(largest, Math.abs(change));
    }
    if (largest <= tolerance / 10) break;
  }
  return { intercept: point[0]!, coefficients: point.subarray(1) };
}

function midpoint(from: Fit, to: Fit): Fit {
  return {
    intercept: (from.intercept + to.intercept) / 2,
    coefficients: from.coefficients.map(
      (coefficient, feature) => (coefficient + to.coefficients[feature]!) / 2,
    ),
  };
}

function largestChange(from: Fit, to: Fit): number {
  let largest = Math.abs(from.intercept - to.intercept);
  from.coefficients.forEach((coefficient, feature) => {
    largest = Math.max(largest, Math.abs(coefficient - to.coefficients[feature]!));
  });
  return largest;
}
