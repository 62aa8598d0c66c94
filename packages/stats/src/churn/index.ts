/** Churn-risk models: encode a table, choose and calibrate a model by cross-validation, explain its scores. */
export {
  type CalibrationMethod,
  type Calibrator,
  calibrate,
  fitCalibrator,
  fitIsotonicRegression,
  fitPlattScaling,
  type ReliabilityBin,
  reliabilityCurve,
} from './calibration';
export {
  type ChurnEvaluation,
  type ChurnModel,
  type ChurnOptions,
  evaluateChurn,
  type HoldoutScore,
  trainChurnModel,
} from './churn-model';
export { type ChurnScore, type ScoreOptions, scoreChurn } from './churn-scoring';
export {
  ChurnDataError,
  type ChurnTable,
  readTarget,
  type TargetLabels,
  type TargetOptions,
} from './churn-table';
export {
  type Candidate,
  createExplainer,
  DEFAULT_CANDIDATES,
  type Estimator,
  type EstimatorKind,
  type Explainer,
  fitEstimator,
  predictLogOdds,
} from './estimators';
export { type Driver, describeReason, type Reason, type RowReasons } from './explanations';
export {
  type ColumnEncoding,
  type ColumnKind,
  type ColumnKindOf,
  type EncodedFeature,
  encodeFeatures,
  type FeatureEncoder,
  type FeatureMatrix,
  fitFeatureEncoder,
  inferColumnKinds,
} from './feature-encoder';
export { assignStratifiedFolds, type FoldRows, rowsOfFold } from './folds';
export {
  fitGradientBoosting,
  type GradientBoostingModel,
  type GradientBoostingOptions,
  predictBoostingLogOdds,
} from './gradient-boosting';
export {
  coefficientsPerUnit,
  explainLogistic,
  type NamedCoefficient,
  namedCoefficients,
  predictLogisticLogOdds,
} from './logistic-prediction';
export {
  fitLogisticRegression,
  type LogisticRegressionModel,
  type LogisticRegressionOptions,
} from './logistic-regression';
export { accuracyAtHalf, logLoss, rocAuc, sigmoid } from './metrics';
export { type CandidateScore, type CrossValidation, crossValidate } from './model-selection';
export { createRandom } from './random';
export type { RegressionTree } from './regression-tree';
export { createTreeExplainer, explainTrees, type TreeExplainer } from './tree-shap';
