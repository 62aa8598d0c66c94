/**
 * The two kinds of churn model behind one face: fit to a feature matrix, predict log-odds, explain log-odds
 * as an expected value plus one contribution per feature.
 */
import type { EncodedFeature, FeatureMatrix } from './feature-encoder';
import {
  fitGradientBoosting,
  type GradientBoostingModel,
  type GradientBoostingOptions,
  predictBoostingLogOdds,
} from './gradient-boosting';
import { explainLogistic, predictLogisticLogOdds } from './logistic-prediction';
import {
  fitLogisticRegression,
  type LogisticRegressionModel,
  type LogisticRegressionOptions,
} from './logistic-regression';
import { createTreeExplainer, explainTrees } from './tree-shap';

export type Estimator = LogisticRegressionModel | GradientBoostingModel;

export type EstimatorKind = Estimator['kind'];

/** A model to try: a name to report and how to fit it. */
export type Candidate =
  | { name: string; kind: 'logistic'; options: LogisticRegressionOptions }
  | { name: string; kind: 'gradient-boosting'; options: GradientBoostingOptions };

/**
 * What the model chooser tries by default: ridge logistic regression at three penalties and one elastic net
 * (one-hot columns make the logistic model strong on tabular churn data), and boosted trees shallow and
 * deeper, which can find interactions such as contract × tenure.
 */
export const DEFAULT_CANDIDATES: readonly Candidate[] = [
  { name: 'logistic, ridge λ = 0.0001', kind: 'logistic', options: { penalty: 0.0001 } },
  { name: 'logistic, ridge λ = 0.001', kind: 'logistic', options: { penalty: 0.001 } },
  { name: 'logistic, ridge λ = 0.01', kind: 'logistic', options: { penalty: 0.01 } },
  {
    name: 'logistic, elastic net λ = 0.001, α = 0.5',
    kind: 'logistic',
    options: { penalty: 0.001, l1Ratio: 0.5 },
  },
  {
    name: 'boosted trees, depth 3, rate 0.05',
    kind: 'gradient-boosting',
    options: { maxDepth: 3, learningRate: 0.05, minSamplesLeaf: 20, l2: 1 },
  },
  {
    name: 'boosted trees, depth 5, rate 0.05',
    kind: 'gradient-boosting',
    options: { maxDepth: 5, learningRate: 0.05, minSamplesLeaf: 50, l2: 5 },
  },
];

/**
 * Fits a candidate. Only numeric value features are standardised for the logistic model; 0/1 level and
 * missing-indicator columns keep their scale, so their coefficients stay "log-odds for having this level".
 */
export function fitEstimator(
  candidate: Candidate,
  features: readonly EncodedFeature[],
  matrix: FeatureMatrix,
  labels: ArrayLike<number>,
  seed: number,
): Estimator {
  if (candidate.kind === 'logistic') {
    const standardize = features.map((feature) => feature.role === 'value');
    return fitLogisticRegression(matrix, labels, { standardize, ...candidate.options });
  }
  return fitGradientBoosting(matrix, labels, { seed, ...candidate.options });
}

export function predictLogOdds(estimator: Estimator, matrix: FeatureMatrix): Float64Array {
  return estimator.kind === 'logistic'
    ? predictLogisticLogOdds(estimator, matrix)
    : predictBoostingLogOdds(estimator, matrix);
}

export interface Explainer {
  /** The output that contributions are measured from (log-odds). */
  expectedValue: number;
  /**
   * Row-major contributions, one per feature; with expectedValue they add up to the log-odds, which are
   * written to `logOdds` when it is given (trees: in the same pass).
   */
  explain: (matrix: FeatureMatrix, logOdds?: Float64Array) => Float64Array;
}

/** Prepares explanations: coefficient × (x − mean) for logistic, TreeSHAP for trees. */
export function createExplainer(estimator: Estimator): Explainer {
  if (estimator.kind === 'logistic') {
    return {
      expectedValue: estimator.intercept,
      explain: (matrix, logOdds) => {
        logOdds?.set(predictLogisticLogOdds(estimator, matrix));
        return explainLogistic(estimator, matrix);
      },
    };
  }
  const explainer = createTreeExplainer(estimator);
  return {
    expectedValue: explainer.expectedValue,
    explain: (matrix, logOdds) => explainTrees(explainer, matrix, logOdds),
  };
}
