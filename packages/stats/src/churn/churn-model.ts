/**
 * The churn-risk model end to end: choose a model by cross-validation (on a large table, on a stratified
 * sample of it), calibrate it on predictions for rows it did not see, fit it, and score new rows with a
 * calibrated probability and the reasons for it. The trained model is plain JSON, so it can be stored and
 * used to score later.
 */
import {
  type CalibrationMethod,
  type Calibrator,
  calibrate,
  fitCalibrator,
  type ReliabilityBin,
  reliabilityCurve,
} from './calibration';
import { ChurnDataError, type ChurnTable, columnIndexOf, MINIMUM_ROWS, readTarget } from './churn-table';
import {
  type Candidate,
  createExplainer,
  DEFAULT_CANDIDATES,
  type Estimator,
  type EstimatorKind,
  fitEstimator,
  predictLogOdds,
} from './estimators';
import { type Driver, globalDrivers, sumByColumn } from './explanations';
import {
  type ColumnKindOf,
  encodeFeatures,
  type FeatureEncoder,
  type FeatureMatrix,
  fitFeatureEncoder,
  inferColumnKinds,
  levelCodesOfColumn,
  levelOf,
  MAX_LEVELS,
} from './feature-encoder';
import { assignStratifiedFolds, sampleStratified } from './folds';
import { accuracyAtHalf, logLoss, rocAuc, sigmoid } from './metrics';
import { type CandidateScore, type CrossValidation, crossValidate } from './model-selection';
import { createRandom } from './random';

export interface ChurnOptions {
  target: string;
  /** The target's value meaning "churned"; may be left out for Yes/No, 1/0 and true/false targets. */
  positive?: string;
  /** A column identifying the row; never used as a feature. */
  id?: string;
  /** Cross-validation folds (default 5; LARGE_TABLE_FOLDS on a table of more than `selectionRows` rows). */
  folds?: number;
  /** Seed of the folds, samples and the trees' subsampling (default 1). */
  seed?: number;
  /** Models to choose from (default DEFAULT_CANDIDATES). */
  candidates?: readonly Candidate[];
  /** How probabilities are calibrated (default 'platt'). */
  calibration?: CalibrationMethod;
  /**
   * A table with more rows chooses its model on a stratified sample of this many rows, and calibrates and
   * tests the chosen model on held-out rows (default SELECTION_ROWS; docs/adr/0037-churn-risk-model.md).
   */
  selectionRows?: number;
  /** Called as the work proceeds: `done` of `total` model fits (each candidate on each fold, then the final fit). */
  onProgress?: (done: number, total: number) => void;
}

/** How a model scores rows it has not seen: uncalibrated probabilities for accuracy and log-loss. */
export interface HoldoutScore {
  rows: number;
  auc: number;
  accuracy: number;
  logLoss: number;
}

export interface ChurnEvaluation {
  /** The chosen model's mean over the folds, uncalibrated probabilities for accuracy and log-loss. */
  auc: number;
  accuracy: number;
  logLoss: number;
  folds: number;
  rows: number;
  /** Rows the candidates were cross-validated on: every row, or on a large table a stratified sample. */
  selectionRows: number;
  positive: string;
  model: EstimatorKind;
  modelName: string;
  candidates: CandidateScore[];
  /** Up to ten columns with the largest mean |contribution| in the final model, largest first. */
  topDrivers: Driver[];
  /**
   * On a large table, the final model on the held-out rows that neither chose nor fitted it (the rows its
   * calibrator is fitted on); null when the model was chosen on every row.
   */
  holdout: HoldoutScore | null;
  /**
   * Of the calibration rows' probabilities (the out-of-fold predictions, or on a large table the holdout's),
   * each fold calibrated by a calibrator fitted on the other folds.
   */
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
/** Above this many rows, candidates are cross-validated on a stratified sample of this many. */
const SELECTION_ROWS = 20_000;
/**
 * Default folds on a larger table: the three test folds still hold the whole sample, so each AUC is measured
 * on as many rows as with five, and each candidate is fitted three times rather than five.
 */
const LARGE_TABLE_FOLDS = 3;
/** Share of a large table's rows held out to calibrate and test the chosen model. */
const HOLDOUT_SHARE = 0.1;
/** A large table's drivers are the mean |contribution| over a stratified sample of this many rows. */
const DRIVER_ROWS = 5000;

interface Settings {
  folds: number;
  seed: number;
  method: CalibrationMethod;
  candidates: readonly Candidate[];
  /** Counts a model fit and reports progress. */
  onFit: () => void;
}

/** What either way of fitting produces for the model and its evaluation. */
interface Fitted {
  validation: CrossValidation;
  selectionRows: number;
  encoder: FeatureEncoder;
  estimator: Estimator;
  calibrator: Calibrator;
  /** The calibration rows' labels and cross-fitted calibrated probabilities. */
  calibrationLabels: Uint8Array;
  calibratedProbabilities: Float64Array;
  holdout: HoldoutScore | null;
  drivers: Driver[];
}

/**
 * Chooses, calibrates and fits a churn model; the result is plain JSON. Up to `selectionRows` rows, every
 * candidate is cross-validated on every row, the winner calibrated on its out-of-fold predictions and fitted
 * on every row. A larger table holds out a stratified tenth, chooses on a stratified sample of the rest, fits
 * the winner on all of the rest and calibrates and tests it on the holdout.
 */
export function trainChurnModel(table: ChurnTable, options: ChurnOptions): ChurnModel {
  const seed = options.seed ?? 1;
  const selectionRows = options.selectionRows ?? SELECTION_ROWS;
  if (!(Number.isInteger(selectionRows) && selectionRows >= MINIMUM_ROWS)) {
    throw new RangeError(`selectionRows must be a whole number ≥ ${MINIMUM_ROWS}, got ${selectionRows}`);
  }
  const isLarge = table.rows.length > selectionRows;
  const folds = options.folds ?? (isLarge ? LARGE_TABLE_FOLDS : 5);
  const { labels, positive, positiveCount } = readTarget(table, { ...options, folds });
  const excluded = options.id === undefined ? [options.target] : [options.target, options.id];
  const kinds = inferColumnKinds(table, excluded);
  if (kinds.length === 0)
    throw new ChurnDataError('the table has no columns to learn from besides the target and id');
  assertNoIdentifierColumns(table, kinds);
  const candidates = options.candidates ?? DEFAULT_CANDIDATES;
  const total = candidates.length * folds + 1;
  let done = 0;
  options.onProgress?.(done, total);
  const settings: Settings = {
    folds,
    seed,
    method: options.calibration ?? 'platt',
    candidates,
    onFit: () => options.onProgress?.(++done, total),
  };
  // Each class needs folds rows in the holdout and folds rows in the selection sample.
  const fewest = Math.min(positiveCount, labels.length - positiveCount);
  const fitted =
    isLarge && fewest >= 2 * folds
      ? fitLargeTable(table, kinds, labels, selectionRows, settings)
      : fitWholeTable(table, kinds, labels, settings);
  const { validation, calibratedProbabilities, calibrationLabels } = fitted;
  const chosen = validation.candidates[validation.chosen]!;
  return {
    format: 'keepdesk-churn-model',
    version: 1,
    target: options.target,
    positive,
    id: options.id ?? null,
    encoder: fitted.encoder,
    estimator: fitted.estimator,
    calibrator: fitted.calibrator,
    evaluation: {
      auc: chosen.auc,
      accuracy: chosen.accuracy,
      logLoss: chosen.logLoss,
      folds,
      rows: labels.length,
      selectionRows: fitted.selectionRows,
      positive,
      model: chosen.model,
      modelName: chosen.name,
      candidates: validation.candidates,
      topDrivers: fitted.drivers.slice(0, TOP_DRIVERS),
      holdout: fitted.holdout,
      reliability: reliabilityCurve(calibratedProbabilities, calibrationLabels),
      calibrated: {
        method: settings.method,
        accuracy: accuracyAtHalf(calibratedProbabilities, calibrationLabels),
        logLoss: logLoss(calibratedProbabilities, calibrationLabels),
      },
    },
  };
}

/** Cross-validation on every row; the winner calibrated on its out-of-fold log-odds and fitted on every row. */
function fitWholeTable(
  table: ChurnTable,
  kinds: readonly ColumnKindOf[],
  labels: Uint8Array,
  settings: Settings,
): Fitted {
  const { folds, seed, method, candidates, onFit } = settings;
  const validation = crossValidate(table, kinds, labels, { folds, seed, candidates, onFit });
  const outOfFold = validation.outOfFoldLogOdds[validation.chosen]!;
  const encoder = fitFeatureEncoder(table, kinds);
  const matrix = encodeFeatures(encoder, table);
  const estimator = fitEstimator(candidates[validation.chosen]!, encoder.features, matrix, labels, seed);
  onFit();
  return {
    validation,
    selectionRows: labels.length,
    encoder,
    estimator,
    calibrator: fitCalibrator(method, outOfFold, labels),
    calibrationLabels: labels,
    calibratedProbabilities: calibrateCrossFitted(method, outOfFold, labels, validation.assignment, folds),
    holdout: null,
    drivers: driversOf(table, undefined, encoder, matrix, estimator),
  };
}

/**
 * A large table: a stratified tenth is held out; the candidates are cross-validated on a stratified sample
 * of the other rows; the winner is fitted on all the other rows, then tested and calibrated on the holdout,
 * which took no part in choosing or fitting it. Its drivers come from DRIVER_ROWS of the selection sample.
 */
function fitLargeTable(
  table: ChurnTable,
  kinds: readonly ColumnKindOf[],
  labels: Uint8Array,
  selectionRows: number,
  settings: Settings,
): Fitted {
  const { folds, seed, method, candidates, onFit } = settings;
  const random = createRandom(seed);
  const everyRow = Int32Array.from({ length: labels.length }, (_, row) => row);
  const { sample: holdoutRows, rest: fittingRows } = sampleStratified(
    labels,
    everyRow,
    Math.round(HOLDOUT_SHARE * labels.length),
    folds,
    random,
  );
  const { sample: selection } = sampleStratified(labels, fittingRows, selectionRows, folds, random);
  const { sample: driverRows } = sampleStratified(labels, selection, DRIVER_ROWS, 1, random);
  const validation = crossValidate(table, kinds, labels, {
    folds,
    seed,
    candidates,
    onFit,
    rows: selection,
  });

  const encoder = fitFeatureEncoder(table, kinds, fittingRows);
  const matrix = encodeFeatures(encoder, table, fittingRows);
  const candidate = candidates[validation.chosen]!;
  const estimator = fitEstimator(candidate, encoder.features, matrix, pick(labels, fittingRows), seed);
  onFit();
  const holdoutLabels = pick(labels, holdoutRows);
  const holdoutLogOdds = predictLogOdds(estimator, encodeFeatures(encoder, table, holdoutRows));
  const probabilities = holdoutLogOdds.map(sigmoid);
  const holdoutAssignment = assignStratifiedFolds(holdoutLabels, folds, seed);
  return {
    validation,
    selectionRows: selection.length,
    encoder,
    estimator,
    calibrator: fitCalibrator(method, holdoutLogOdds, holdoutLabels),
    calibrationLabels: holdoutLabels,
    calibratedProbabilities: calibrateCrossFitted(
      method,
      holdoutLogOdds,
      holdoutLabels,
      holdoutAssignment,
      folds,
    ),
    holdout: {
      rows: holdoutRows.length,
      auc: rocAuc(holdoutLogOdds, holdoutLabels),
      accuracy: accuracyAtHalf(probabilities, holdoutLabels),
      logLoss: logLoss(probabilities, holdoutLabels),
    },
    drivers: driversOf(table, driverRows, encoder, encodeFeatures(encoder, table, driverRows), estimator),
  };
}

function pick(labels: Uint8Array, rows: Int32Array): Uint8Array {
  return Uint8Array.from(rows, (row) => labels[row]!);
}

/**
 * A text column with a different value in every row (a customer number left in the file) cannot predict
 * anything; saying so beats quietly learning from it.
 */
function assertNoIdentifierColumns(table: ChurnTable, kinds: readonly ColumnKindOf[]): void {
  if (table.rows.length <= MAX_LEVELS) return;
  for (const { column, kind } of kinds) {
    if (kind !== 'categorical') continue;
    const { levels } = levelCodesOfColumn(table, table.header.indexOf(column));
    if (levels.length === table.rows.length) {
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

/** The final model's global drivers, from its explanations of the given rows (default: all) it was fitted on. */
function driversOf(
  table: ChurnTable,
  rows: Int32Array | undefined,
  encoder: FeatureEncoder,
  matrix: FeatureMatrix,
  estimator: Estimator,
): Driver[] {
  const columnSums = sumByColumn(encoder, createExplainer(estimator).explain(matrix));
  const headerIndex = encoder.columns.map((encoding) =>
    columnIndexOf(table.header, encoding.column, 'feature'),
  );
  const cellsOf = (column: number) =>
    Array.from({ length: matrix.rowCount }, (_, row) =>
      levelOf(table.rows[rows ? rows[row]! : row]![headerIndex[column]!]!),
    );
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
