/**
 * The fitted logistic model's output and its explanation. Each feature's contribution is
 * coefficient × (x − training mean) / scale, so the contributions add up to the log-odds minus the
 * intercept, which is the model's output at the training means (its "expected value").
 */
import type { EncodedFeature, FeatureMatrix } from './feature-encoder';
import type { LogisticRegressionModel } from './logistic-regression';

/** The change in log-odds per unit of each feature, in the feature's own units. */
export function coefficientsPerUnit(model: LogisticRegressionModel): number[] {
  return model.coefficients.map((coefficient, feature) => coefficient / model.scales[feature]!);
}

export interface NamedCoefficient {
  /** The encoded feature (`tenure`, `Contract = Two year`, `TotalCharges is blank`) and its column. */
  feature: string;
  column: string;
  /** Change in log-odds per training standard deviation (numbers) or for having the level (0/1 columns). */
  perStandardDeviation: number;
  /** Change in log-odds per unit of the feature. */
  perUnit: number;
}

/** The coefficients with the names of the features they belong to, largest effect first. */
export function namedCoefficients(
  model: LogisticRegressionModel,
  features: readonly EncodedFeature[],
): NamedCoefficient[] {
  const perUnit = coefficientsPerUnit(model);
  return features
    .map((feature, index) => ({
      feature: feature.name,
      column: feature.column,
      perStandardDeviation: model.coefficients[index]!,
      perUnit: perUnit[index]!,
    }))
    .sort((left, right) => Math.abs(right.perStandardDeviation) - Math.abs(left.perStandardDeviation));
}

/** Log-odds of churn for each row. */
export function predictLogisticLogOdds(model: LogisticRegressionModel, matrix: FeatureMatrix): Float64Array {
  const { rowCount, featureCount, values } = matrix;
  assertFeatureCount(model, featureCount);
  const perUnit = coefficientsPerUnit(model);
  const logOdds = new Float64Array(rowCount);
  for (let row = 0; row < rowCount; row++) {
    let sum = model.intercept;
    const start = row * featureCount;
    for (let feature = 0; feature < featureCount; feature++) {
      sum += perUnit[feature]! * (values[start + feature]! - model.means[feature]!);
    }
    logOdds[row] = sum;
  }
  return logOdds;
}

/**
 * Contributions, row-major like the matrix: contributions[i · features + j] is feature j's share of row i's
 * log-odds minus the intercept.
 */
export function explainLogistic(model: LogisticRegressionModel, matrix: FeatureMatrix): Float64Array {
  const { rowCount, featureCount, values } = matrix;
  assertFeatureCount(model, featureCount);
  const perUnit = coefficientsPerUnit(model);
  const contributions = new Float64Array(rowCount * featureCount);
  for (let index = 0; index < contributions.length; index++) {
    const feature = index % featureCount;
    contributions[index] = perUnit[feature]! * (values[index]! - model.means[feature]!);
  }
  return contributions;
}

function assertFeatureCount(model: LogisticRegressionModel, featureCount: number): void {
  if (featureCount !== model.coefficients.length) {
    throw new RangeError(`the model has ${model.coefficients.length} features, the matrix ${featureCount}`);
  }
}
