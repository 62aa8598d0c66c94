/**
 * The churn-risk model end to end: choose a model by cross-validation, calibrate it on its out-of-fold
 * predictions, fit it on every row, and score new rows with a calibrated probability and the reasons for
 * it. The trained model is plain JSON, so it can be stored and used to score later.
 */
import {
  type CalibrationMethod,
  type Calibrator,
  calibrate,
  fitCalibrator,
  type ReliabilityBin,
  reliabilityCurve,
} from './calibration';
import { ChurnDataError, type ChurnTable, columnIndexOf, readTarget } from './churn-table';
import {
  type Candidate,
  createExplainer,
  DEFAULT_CANDIDATES,
  type Estimator,
  type EstimatorKind,
  fitEstimator,
} from './estimators';
import { type Driver, globalDrivers, sumByColumn } from './explanations';
import {
  type ColumnKindOf,
  encodeFeatures,
  type FeatureEncoder,
  type FeatureMatrix,
  fitFeatureEncoder,
  inferColumnKinds,
  levelOf,
  MAX_LEVELS,
} from './feature-encoder';
import { accuracyAtHalf, logLoss } from './metrics';
import { type CandidateScore, crossValidate } from './model-selection';

export interface ChurnOptions {
  target: string;
  /** The target's value meaning "churned"; may be left out for Yes/No, 1/0 and true/false targets. */
  positive?: string;
  /** A column identifying the row; never used as a feature. */
  id?: string;
  /** Cross-validation folds (default 5). */
  folds?: number;
  /** Seed of the folds and of the trees' subsampling (default 1). */
  seed?: number;
  /** Models to choose from (default DEFAULT_CANDIDATES). */
  candidates?: readonly Candidate[];
  /** How probabilities are calibrated (default 'platt'). */
  calibration?: CalibrationMethod;
}

export interface ChurnEvaluation {
  /** The chosen model's mean over the folds, uncalibrated probabilities for accuracy and log-loss. */
  auc: number;
  accuracy: number;
  logLoss: number;
  folds: number;
  rows: number;
  positive: string;
  model: EstimatorKind;
  modelName: string;
  candidates: CandidateScore[];
  /** Up to ten columns with the largest mean |contribution| in the final model, largest first. */
  topDrivers: Driver[];
  /** Of the out-of-fold probabilities, each fold calibrated by a calibrator fitted on the other folds. */
  reliability: ReliabilityBin[];
  calibrated: { method: CalibrationMethod; accuracy: number; logLoss: number };
}

export interface ChurnModel {
  format: 'keepdesk-churn-model';
  version: 1;
  target: string;
  positive: string;
  id: string | null;
  encoder: FeatureEncoder;
  estimator: Estimator;
  calibrator: Calibrator;
  evaluation: ChurnEvaluation;
}

const TOP_DRIVERS = 10;

/** Chooses, calibrates and fits a churn model on the whole table; the result is plain JSON. */
export function trainChurnModel(table: ChurnTable, options: ChurnOptions): ChurnModel {
  const folds = options.folds ?? 5;
  const seed = options.seed ?? 1;
  const method = options.calibration ?? 'platt';
  const { labels, positive } = readTarget(table, { ...options, folds });
  const excluded = options.id === undefined ? [options.target] : [options.target, options.id];
  const kinds = inferColumnKinds(table, excluded);
  if (kinds.length === 0)
    throw new ChurnDataError('the table has no columns to learn from besides the target and id');
  assertNoIdentifierColumns(table, kinds);
  const candidates = options.candidates ?? DEFAULT_CANDIDATES;
  const validation = crossValidate(table, kinds, labels, { folds, seed, candidates });
  const chosen = validation.candidates[validation.chosen]!;
  const outOfFold = validation.outOfFoldLogOdds[validation.chosen]!;

  const calibratedOutOfFold = calibrateCrossFitted(method, outOfFold, labels, validation.assignment, folds);
  const encoder = fitFeatureEncoder(table, kinds);
  const matrix = encodeFeatures(encoder, table);
  const estimator = fitEstimator(candidates[validation.chosen]!, encoder.features, matrix, labels, seed);
  const drivers = driversOf(table, encoder, matrix, estimator);
  return {
    format: 'keepdesk-churn-model',
    version: 1,
    target: options.target,
    positive,
    id: options.id ?? null,
    encoder,
    estimator,
    calibrator: fitCalibrator(method, outOfFold, labels),
    evaluation: {
      auc: chosen.auc,
      accuracy: chosen.accuracy,
      logLoss: chosen.logLoss,
      folds,
      rows: labels.length,
      positive,
      model: chosen.model,
      modelName: chosen.name,
      candidates: validation.candidates,
      topDrivers: drivers.slice(0, TOP_DRIVERS),
      reliability: reliabilityCurve(calibratedOutOfFold, labels),
      calibrated: {
        method,
        accuracy: accuracyAtHalf(calibratedOutOfFold, labels),
        logLoss: logLoss(calibratedOutOfFold, labels),
      },
    },
  };
}

/**
 * A text column with a different value in every row (a customer number left in the file) cannot predict
 * anything; saying so beats quietly learning from it.
 */
function assertNoIdentifierColumns(table: ChurnTable, kinds: readonly ColumnKindOf[]): void {
  if (table.rows.length <= MAX_LEVELS) return;
  for (const { column, kind } of kinds) {
    if (kind !== 'categorical') continue;
    const index = table.header.indexOf(column);
    const values = new Set(table.rows.map((row) => row[index]!.trim()));
    if (values.size === table.rows.length) {
      throw new ChurnDataError(
        `column ${column} has a different value in every row, so it cannot predict churn; pass it as the id column (--id ${column})`,
      );
    }
  }
}

/**
 * Each fold's out-of-fold log-odds calibrated by a calibrator fitted on the other folds' only, so that the
 * reliability curve and calibrated scores are honest about calibration as well.
 */
function calibrateCrossFitted(
  method: CalibrationMethod,
  outOfFold: Float64Array,
  labels: Uint8Array,
  assignment: Int32Array,
  folds: number,
): Float64Array {
  const calibrated = new Float64Array(labels.length);
  for (let fold = 0; fold < folds; fold++) {
    const others: number[] = [];
    assignment.forEach((of, row) => {
      if (of !== fold) others.push(row);
    });
    const calibrator = fitCalibrator(
      method,
      others.map((row) => outOfFold[row]!),
      others.map((row) => labels[row]!),
    );
    assignment.forEach((of, row) => {
      if (of === fold) calibrated[row] = calibrate(calibrator, outOfFold[row]!);
    });
  }
  return calibrated;
}

/** The final model's global drivers, from its explanations of the rows it was fitted on. */
function driversOf(
  table: ChurnTable,
  encoder: FeatureEncoder,
  matrix: FeatureMatrix,
  estimator: Estimator,
): Driver[] {
  const columnSums = sumByColumn(encoder, createExplainer(estimator).explain(matrix));
  const headerIndex = encoder.columns.map((encoding) =>
    columnIndexOf(table.header, encoding.column, 'feature'),
  );
  const cellsOf = (column: number) => table.rows.map((row) => levelOf(row[headerIndex[column]!]!));
  const numbersOf = (column: number) => {
    // A numeric column's first feature is its (imputed) value.
    const feature = encoder.features.findIndex((each) => each.column === encoder.columns[column]!.column);
    return Float64Array.from(
      { length: matrix.rowCount },
      (_, row) => matrix.values[row * matrix.featureCount + feature]!,
    );
  };
  return globalDrivers(encoder, columnSums, cellsOf, numbersOf);
}

/** What `keepdesk churn evaluate` prints: the cross-validated scores of the chosen model and the others. */
export function evaluateChurn(table: ChurnTable, options: ChurnOptions): ChurnEvaluation {
  return trainChurnModel(table, options).evaluation;
}
