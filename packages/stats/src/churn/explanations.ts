/**
 * Explanations in the user's columns: the contributions of one-hot level columns and missing indicators are
 * summed back to the column they came from, so a reason reads "Contract = Month-to-month raises risk by
 * +0.61 log-odds", and the sums still add up to log-odds minus the expected value.
 */
import type { FeatureEncoder } from './feature-encoder';

export interface Reason {
  column: string;
  /** The row's cell as given ("(blank)" for a blank cell). */
  value: string;
  /** Change in log-odds of churn against the expected value; > 0 raises the risk. */
  contribution: number;
}

export interface RowReasons {
  /** Largest positive contributions first. */
  raising: Reason[];
  /** Largest negative contributions first. */
  lowering: Reason[];
}

export interface Driver {
  feature: string;
  /** Mean |contribution| over the rows, in log-odds. */
  importance: number;
  /** For numbers, whether higher values go with higher risk; for categories, it depends on the level. */
  direction: 'higher-raises-risk' | 'higher-lowers-risk' | 'by-level';
  /** For categories: the levels with the highest and the lowest mean contribution. */
  riskiestLevel?: string;
  safestLevel?: string;
}

/** Column index (into encoder.columns) of each encoded feature. */
export function columnOfFeature(encoder: FeatureEncoder): Int32Array {
  const position = new Map(encoder.columns.map((column, index) => [column.column, index]));
  return Int32Array.from(encoder.features, (feature) => position.get(feature.column)!);
}

/** Row-major feature contributions (rows × features) summed into rows × columns. */
export function sumByColumn(encoder: FeatureEncoder, contributions: Float64Array): Float64Array {
  const featureCount = encoder.features.length;
  const columnCount = encoder.columns.length;
  const rowCount = contributions.length / featureCount;
  const columnOf = columnOfFeature(encoder);
  const summed = new Float64Array(rowCount * columnCount);
  for (let row = 0; row < rowCount; row++) {
    for (let feature = 0; feature < featureCount; feature++) {
      summed[row * columnCount + columnOf[feature]!]! += contributions[row * featureCount + feature]!;
    }
  }
  return summed;
}

/**
 * The `count` largest contributions each way of one row of column sums; `cellOf(column)` gives the row's
 * cell of the column at that index of encoder.columns. Contributions of exactly 0 are no reason.
 */
export function reasonsOfRow(
  encoder: FeatureEncoder,
  columnSums: Float64Array,
  row: number,
  count: number,
  cellOf: (column: number) => string,
): RowReasons {
  const columnCount = encoder.columns.length;
  const start = row * columnCount;
  // The columns of the largest contributions each way, largest first (earlier columns first among equals);
  // Reason objects are made for the winners only, as this runs for every scored row.
  const raising: number[] = [];
  const lowering: number[] = [];
  if (count > 0) {
    for (let column = 0; column < columnCount; column++) {
      const contribution = columnSums[start + column]!;
      if (contribution === 0) continue;
      const side = contribution > 0 ? raising : lowering;
      const size = Math.abs(contribution);
      let at = side.length;
      while (at > 0 && Math.abs(columnSums[start + side[at - 1]!]!) < size) at--;
      if (at >= count) continue;
      side.splice(at, 0, column);
      if (side.length > count) side.pop();
    }
  }
  const reasonOf = (column: number): Reason => ({
    column: encoder.columns[column]!.column,
    value: cellOf(column),
    contribution: columnSums[start + column]!,
  });
  return { raising: raising.map(reasonOf), lowering: lowering.map(reasonOf) };
}

/** "Contract = Month-to-month raises risk by +0.61 log-odds". */
export function describeReason(reason: Reason): string {
  const verb = reason.contribution > 0 ? 'raises' : 'lowers';
  const size = `${reason.contribution > 0 ? '+' : '−'}${Math.abs(reason.contribution).toFixed(2)}`;
  return `${reason.column} = ${reason.value} ${verb} risk by ${size} log-odds`;
}

/**
 * Global drivers: per column, the mean |contribution| over the rows, largest first. A numeric column's
 * direction is the sign of the correlation between its values and its contributions; a categorical one
 * names its riskiest and safest levels (by mean contribution).
 */
export function globalDrivers(
  encoder: FeatureEncoder,
  columnSums: Float64Array,
  cellsOf: (column: number) => readonly string[],
  numericValuesOf: (column: number) => Float64Array,
): Driver[] {
  const columnCount = encoder.columns.length;
  const rowCount = columnSums.length / columnCount;
  const drivers = encoder.columns.map((encoding, column): Driver => {
    const contributions = Float64Array.from(
      { length: rowCount },
      (_, row) => columnSums[row * columnCount + column]!,
    );
    const importance = contributions.reduce((sum, value) => sum + Math.abs(value), 0) / Math.max(rowCount, 1);
    if (encoding.kind === 'numeric') {
      const covariance = covarianceOf(numericValuesOf(column), contributions);
      return {
        feature: encoding.column,
        importance,
        direction: covariance >= 0 ? 'higher-raises-risk' : 'higher-lowers-risk',
      };
    }
    const byLevel = new Map<string, { sum: number; count: number }>();
    cellsOf(column).forEach((level, row) => {
      const entry = byLevel.get(level) ?? { sum: 0, count: 0 };
      entry.sum += contributions[row]!;
      entry.count++;
      byLevel.set(level, entry);
    });
    const levels = [...byLevel].map(([level, { sum, count }]) => ({ level, mean: sum / count }));
    levels.sort((left, right) => right.mean - left.mean);
    return {
      feature: encoding.column,
      importance,
      direction: 'by-level',
      riskiestLevel: levels[0]?.level,
      safestLevel: levels[levels.length - 1]?.level,
    };
  });
  return drivers.sort((left, right) => right.importance - left.importance);
}

function covarianceOf(left: Float64Array, right: Float64Array): number {
  const meanOf = (values: Float64Array) => values.reduce((sum, value) => sum + value, 0) / values.length;
  const [leftMean, rightMean] = [meanOf(left), meanOf(right)];
  let sum = 0;
  for (let row = 0; row < left.length; row++) sum += (left[row]! - leftMean) * (right[row]! - rightMean);
  return sum;
}
