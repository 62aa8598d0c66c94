/**
 * Scoring with a trained churn model: each row's calibrated probability of churn and the columns that raise
 * and lower it most, in log-odds against the model's expected value.
 */
import { calibrate } from './calibration';
import type { ChurnModel } from './churn-model';
import { ChurnDataError, type ChurnTable, columnIndexOf } from './churn-table';
import { createExplainer, type Estimator, type Explainer } from './estimators';
import { type Reason, reasonsOfRow, sumByColumn } from './explanations';
import { encodeFeatures, levelOf } from './feature-encoder';

export interface ChurnScore {
  /** The row's id cell when the model has an id column. */
  id?: string;
  /** Calibrated probability of churn. */
  probability: number;
  /** The model's log-odds before calibration; the reasons explain this. */
  logOdds: number;
  raising: Reason[];
  lowering: Reason[];
}

export interface ScoreOptions {
  /** Reasons each way per row (default 3). */
  reasons?: number;
}

const explainers = new WeakMap<Estimator, Explainer>();
/** Rows encoded and explained at a time, which bounds the memory of the contribution matrix. */
const CHUNK_ROWS = 4096;

/**
 * Scores rows of a table with the model's columns (any order; the target may be absent): calibrated
 * probability, log-odds, and the columns raising and lowering the risk most.
 */
export function scoreChurn(model: ChurnModel, table: ChurnTable, options: ScoreOptions = {}): ChurnScore[] {
  const reasonCount = options.reasons ?? 3;
  if (model.format !== 'keepdesk-churn-model' || model.version !== 1) {
    throw new ChurnDataError('this is not a churn model of format version 1');
  }
  const { encoder, estimator, calibrator } = model;
  let explainer = explainers.get(estimator);
  if (!explainer) {
    explainer = createExplainer(estimator);
    explainers.set(estimator, explainer);
  }
  const idIndex = model.id === null ? -1 : columnIndexOf(table.header, model.id, 'id');
  const headerIndex = encoder.columns.map((encoding) =>
    columnIndexOf(table.header, encoding.column, 'feature'),
  );
  const scores: ChurnScore[] = [];
  for (let first = 0; first < table.rows.length; first += CHUNK_ROWS) {
    const chunk = { header: table.header, rows: table.rows.slice(first, first + CHUNK_ROWS) };
    const matrix = encodeFeatures(encoder, chunk);
    const logOdds = new Float64Array(matrix.rowCount);
    const columnSums = sumByColumn(encoder, explainer.explain(matrix, logOdds));
    chunk.rows.forEach((cells, row) => {
      const { raising, lowering } = reasonsOfRow(encoder, columnSums, row, reasonCount, (column) =>
        levelOf(cells[headerIndex[column]!]!),
      );
      const probability = calibrate(calibrator, logOdds[row]!);
      scores.push(
        idIndex >= 0
          ? { id: cells[idIndex]!, probability, logOdds: logOdds[row]!, raising, lowering }
          : { probability, logOdds: logOdds[row]!, raising, lowering },
      );
    });
  }
  return scores;
}
