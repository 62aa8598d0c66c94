/**
 * Chooses a churn model by stratified k-fold cross-validation: every candidate is fitted on k − 1 folds
 * (encoder included, so medians and levels never see the test fold) and scored on the fold left out. The
 * candidate with the best mean ROC AUC wins; ties go to the earlier candidate.
 */
import type { ChurnTable } from './churn-table';
import { type Candidate, type EstimatorKind, fitEstimator, predictLogOdds } from './estimators';
import {
  type ColumnKindOf,
  encodeFeatures,
  type FeatureEncoder,
  type FeatureMatrix,
  fitFeatureEncoder,
} from './feature-encoder';
import { assignStratifiedFolds, rowsOfFold } from './folds';
import { accuracyAtHalf, logLoss, rocAuc, sigmoid } from './metrics';

export interface CandidateScore {
  name: string;
  model: EstimatorKind;
  /** Means over the folds; accuracy and log-loss of the uncalibrated probabilities. */
  auc: number;
  accuracy: number;
  logLoss: number;
  foldAuc: number[];
}

export interface CrossValidation {
  candidates: CandidateScore[];
  /** Index into `candidates` of the best mean AUC. */
  chosen: number;
  /** The fold of each row cross-validated on (in the order of `rows`). */
  assignment: Int32Array;
  /** Each candidate's log-odds for each of those rows, from the model that did not see the row. */
  outOfFoldLogOdds: Float64Array[];
}

export interface CrossValidationOptions {
  folds: number;
  seed: number;
  candidates: readonly Candidate[];
  /** The table's rows to cross-validate on (default: every row). */
  rows?: Int32Array;
  /** Called after each fit of a candidate to a fold. */
  onFit?: () => void;
}

interface PreparedFold {
  /** Positions in the rows cross-validated on. */
  test: Int32Array;
  encoder: FeatureEncoder;
  trainingMatrix: FeatureMatrix;
  trainingLabels: Uint8Array;
  testMatrix: FeatureMatrix;
  testLabels: Uint8Array;
}

/** Cross-validates every candidate on the same folds. */
export function crossValidate(
  table: ChurnTable,
  kinds: readonly ColumnKindOf[],
  labels: Uint8Array,
  options: CrossValidationOptions,
): CrossValidation {
  if (options.candidates.length === 0) throw new RangeError('give at least one candidate model');
  const rows = options.rows ?? Int32Array.from(labels, (_, row) => row);
  const assignment = assignStratifiedFolds(
    Uint8Array.from(rows, (row) => labels[row]!),
    options.folds,
    options.seed,
  );
  const prepared = Array.from({ length: options.folds }, (_, fold): PreparedFold => {
    // Positions in `rows`, and the table rows at those positions.
    const positions = rowsOfFold(assignment, fold);
    const training = positions.training.map((position) => rows[position]!);
    const test = positions.test.map((position) => rows[position]!);
    const encoder = fitFeatureEncoder(table, kinds, training);
    return {
      test: positions.test,
      encoder,
      trainingMatrix: encodeFeatures(encoder, table, training),
      trainingLabels: Uint8Array.from(training, (row) => labels[row]!),
      testMatrix: encodeFeatures(encoder, table, test),
      testLabels: Uint8Array.from(test, (row) => labels[row]!),
    };
  });
  const outOfFoldLogOdds: Float64Array[] = [];
  const candidates = options.candidates.map((candidate): CandidateScore => {
    const outOfFold = new Float64Array(rows.length);
    const perFold = prepared.map((fold, index) => {
      const estimator = fitEstimator(
        candidate,
        fold.encoder.features,
        fold.trainingMatrix,
        fold.trainingLabels,
        options.seed + index + 1,
      );
      options.onFit?.();
      const logOdds = predictLogOdds(estimator, fold.testMatrix);
      fold.test.forEach((row, position) => {
        outOfFold[row] = logOdds[position]!;
      });
      const probabilities = logOdds.map(sigmoid);
      return {
        auc: rocAuc(logOdds, fold.testLabels),
        accuracy: accuracyAtHalf(probabilities, fold.testLabels),
        logLoss: logLoss(probabilities, fold.testLabels),
      };
    });
    outOfFoldLogOdds.push(outOfFold);
    const mean = (pick: (fold: (typeof perFold)[number]) => number) =>
      perFold.reduce((sum, fold) => sum + pick(fold), 0) / perFold.length;
    return {
      name: candidate.name,
      model: candidate.kind,
      auc: mean((fold) => fold.auc),
      accuracy: mean((fold) => fold.accuracy),
      logLoss: mean((fold) => fold.logLoss),
      foldAuc: perFold.map((fold) => fold.auc),
    };
  });
  let chosen = 0;
  candidates.forEach((candidate, index) => {
    if (candidate.auc > candidates[chosen]!.auc) chosen = index;
  });
  return { candidates, chosen, assignment, outOfFoldLogOdds };
}
