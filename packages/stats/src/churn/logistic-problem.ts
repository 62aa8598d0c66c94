/**
 * The data of a logistic fit in the form its Newton steps need. Every feature is centred on its mean (and
 * scaled where asked), but only the numeric ones are stored as centred columns; a 0/1 feature left unscaled (a
 * one-hot level, a "was blank" indicator) is stored as the rows where it is 1. Sums over x − m are then sums
 * over those rows corrected by the mean, so the hessian XᵀWX costs each row's 1s rather than all its features:
 * on a churn table most features are levels, and a row has one 1 per categorical column.
 */
import type { FeatureMatrix } from './feature-encoder';

export interface LogisticProblem {
  rowCount: number;
  featureCount: number;
  labels: ArrayLike<number>;
  /** Training mean and scale of every feature (scale 1 where not scaled). */
  means: Float64Array;
  scales: Float64Array;
  /** The features stored as centred, scaled columns, and those columns. */
  denseFeatures: Int32Array;
  denseColumns: Float64Array[];
  /** The 0/1 features stored as the rows where they are 1 (ascending), and those rows. */
  sparseFeatures: Int32Array;
  sparseRows: Int32Array[];
}

/**
 * Centres and scales the features (`standardize` says which to scale, default all; a constant feature keeps
 * scale 1) and sorts them into dense columns and sparse 0/1 rows.
 */
export function createLogisticProblem(
  matrix: FeatureMatrix,
  labels: ArrayLike<number>,
  standardize: readonly boolean[] | undefined,
): LogisticProblem {
  const { rowCount, featureCount, values } = matrix;
  const means = new Float64Array(featureCount);
  const scales = new Float64Array(featureCount).fill(1);
  const denseFeatures: number[] = [];
  const denseColumns: Float64Array[] = [];
  const sparseFeatures: number[] = [];
  const sparseRows: Int32Array[] = [];
  for (let feature = 0; feature < featureCount; feature++) {
    const column = new Float64Array(rowCount);
    let sum = 0;
    let isZeroOne = true;
    for (let row = 0; row < rowCount; row++) {
      const value = values[row * featureCount + feature]!;
      column[row] = value;
      sum += value;
      isZeroOne &&= value === 0 || value === 1;
    }
    const mean = sum / rowCount;
    let squares = 0;
    for (let row = 0; row < rowCount; row++) squares += (column[row]! - mean) ** 2;
    const deviation = Math.sqrt(squares / rowCount);
    const isScaled = (standardize?.[feature] ?? true) && deviation > 0;
    means[feature] = mean;
    if (isScaled) scales[feature] = deviation;
    if (isZeroOne && !isScaled) {
      const rows = new Int32Array(Math.round(sum));
      let count = 0;
      for (let row = 0; row < rowCount; row++) if (column[row] === 1) rows[count++] = row;
      sparseFeatures.push(feature);
      sparseRows.push(rows);
      continue;
    }
    for (let row = 0; row < rowCount; row++) column[row] = (column[row]! - mean) / scales[feature]!;
    denseFeatures.push(feature);
    denseColumns.push(column);
  }
  return {
    rowCount,
    featureCount,
    labels,
    means,
    scales,
    denseFeatures: Int32Array.from(denseFeatures),
    denseColumns,
    sparseFeatures: Int32Array.from(sparseFeatures),
    sparseRows,
  };
}

/** η = intercept + Σ β (x − m) / s for every row. */
export function linearPredictor(
  problem: LogisticProblem,
  intercept: number,
  coefficients: Float64Array,
): Float64Array {
  const { denseFeatures, denseColumns, sparseFeatures, sparseRows, means } = problem;
  let base = intercept;
  sparseFeatures.forEach((feature) => {
    base -= coefficients[feature]! * means[feature]!;
  });
  const logOdds = new Float64Array(problem.rowCount).fill(base);
  denseFeatures.forEach((feature, index) => {
    const coefficient = coefficients[feature]!;
    if (coefficient === 0) return;
    const column = denseColumns[index]!;
    for (let row = 0; row < logOdds.length; row++) logOdds[row]! += coefficient * column[row]!;
  });
  sparseFeatures.forEach((feature, index) => {
    const coefficient = coefficients[feature]!;
    if (coefficient === 0) return;
    for (const row of sparseRows[index]!) logOdds[row]! += coefficient;
  });
  return logOdds;
}

/**
 * The log-loss's second-order expansion at the given log-odds, over (intercept, coefficients) in the
 * features' order: the symmetric hessian XᵀWX/n (row-major, the intercept first) and the gradient
 * Xᵀ(p − y)/n of the centred features, without the penalty.
 */
export function quadraticApproximation(
  problem: LogisticProblem,
  logOdds: Float64Array,
): { hessian: Float64Array; gradient: Float64Array } {
  const { rowCount, labels, denseFeatures, denseColumns, sparseFeatures, sparseRows, means } = problem;
  const size = problem.featureCount + 1;
  const residuals = new Float64Array(rowCount);
  const weights = new Float64Array(rowCount);
  for (let row = 0; row < rowCount; row++) {
    const eta = logOdds[row]!;
    const probability = eta >= 0 ? 1 / (1 + Math.exp(-eta)) : Math.exp(eta) / (1 + Math.exp(eta));
    residuals[row] = (probability - labels[row]!) / rowCount;
    weights[row] = (probability * (1 - probability)) / rowCount;
  }
  // Dense part: the intercept's column of ones and the centred columns, index 0 and 1 + feature.
  const dense = [new Float64Array(rowCount).fill(1), ...denseColumns];
  const denseIndex = Int32Array.of(0, ...Array.from(denseFeatures, (feature) => feature + 1));
  const denseBlock = weightedGram(dense, weights);
  const hessian = new Float64Array(size * size);
  const gradient = new Float64Array(size);
  const set = (first: number, second: number, value: number) => {
    hessian[first * size + second] = value;
    hessian[second * size + first] = value;
  };
  dense.forEach((column, first) => {
    for (let second = 0; second <= first; second++) {
      set(denseIndex[first]!, denseIndex[second]!, denseBlock[first * dense.length + second]!);
    }
    gradient[denseIndex[first]!] = dotProduct(residuals, column);
  });

  // Sparse against dense: Σ w (x_j − m_j) c = Σ over j's rows of w c − m_j Σ w c.
  const weightTotal = denseBlock[0]!;
  const residualTotal = gradient[0]!;
  const sparseWeights = new Float64Array(sparseFeatures.length);
  const rowWeights = new Float64Array(rowCount);
  for (let index = 0; index < sparseFeatures.length; index++) {
    const rows = sparseRows[index]!;
    const mean = means[sparseFeatures[index]!]!;
    const at = sparseFeatures[index]! + 1;
    let slope = 0;
    for (let k = 0; k < rows.length; k++) {
      rowWeights[k] = weights[rows[k]!]!;
      slope += residuals[rows[k]!]!;
    }
    gradient[at] = slope - mean * residualTotal;
    for (let position = 0; position < dense.length; position++) {
      const column = dense[position]!;
      let sum = 0;
      for (let k = 0; k < rows.length; k++) sum += rowWeights[k]! * column[rows[k]!]!;
      if (position === 0) sparseWeights[index] = sum;
      set(at, denseIndex[position]!, sum - mean * denseBlock[position * dense.length]!);
    }
  }

  // Sparse against sparse: Σ w (x_j − m_j)(x_k − m_k) = Q_jk − m_k W_j − m_j W_k + m_j m_k W, where Q_jk
  // sums w over the rows where both are 1 (collected row by row: a row has few 1s).
  const count = sparseFeatures.length;
  const both = pairWeights(problem, weights);
  for (let first = 0; first < count; first++) {
    for (let second = 0; second <= first; second++) {
      const [meanFirst, meanSecond] = [means[sparseFeatures[first]!]!, means[sparseFeatures[second]!]!];
      const value =
        both[first * count + second]! -
        meanSecond * sparseWeights[first]! -
        meanFirst * sparseWeights[second]! +
        meanFirst * meanSecond * weightTotal;
      set(sparseFeatures[first]! + 1, sparseFeatures[second]! + 1, value);
    }
  }
  return { hessian, gradient };
}

/** Σ w over the rows where sparse features j and k are both 1, for k ≤ j (row-major, count × count). */
function pairWeights(problem: LogisticProblem, weights: Float64Array): Float64Array {
  const { sparseRows, rowCount } = problem;
  const count = sparseRows.length;
  // Each row's sparse features that are 1, in ascending order.
  const perRow = new Int32Array(rowCount + 1);
  for (const rows of sparseRows) for (const row of rows) perRow[row + 1]!++;
  for (let row = 0; row < rowCount; row++) perRow[row + 1]! += perRow[row]!;
  const active = new Int32Array(perRow[rowCount]!);
  const filled = perRow.slice(0, rowCount);
  sparseRows.forEach((rows, index) => {
    for (const row of rows) active[filled[row]!++] = index;
  });
  const sums = new Float64Array(count * count);
  for (let row = 0; row < rowCount; row++) {
    const weight = weights[row]!;
    for (let first = perRow[row]!; first < perRow[row + 1]!; first++) {
      const base = active[first]! * count;
      for (let second = perRow[row]!; second <= first; second++) sums[base + active[second]!]! += weight;
    }
  }
  return sums;
}

function dotProduct(left: Float64Array, right: Float64Array): number {
  let sum = 0;
  for (let row = 0; row < left.length; row++) sum += left[row]! * right[row]!;
  return sum;
}

/** Rows per block of the Gram matrix: 32 columns × 512 rows × 8 bytes is about 130 kB, within cache. */
const BLOCK_ROWS = 512;

/**
 * Σ w c_a c_b for every pair of columns (row-major, lower triangle filled), block by block of rows so that
 * the block's part of every column stays in cache while all pairs are multiplied; four sums at a time keep
 * the processor busy where one would wait for each addition.
 */
function weightedGram(columns: readonly Float64Array[], weights: Float64Array): Float64Array {
  const size = columns.length;
  const rowCount = weights.length;
  const gram = new Float64Array(size * size);
  const weighted = new Float64Array(BLOCK_ROWS);
  for (let blockStart = 0; blockStart < rowCount; blockStart += BLOCK_ROWS) {
    const blockEnd = Math.min(rowCount, blockStart + BLOCK_ROWS);
    for (let first = 0; first < size; first++) {
      const left = columns[first]!;
      for (let row = blockStart; row < blockEnd; row++) {
        weighted[row - blockStart] = weights[row]! * left[row]!;
      }
      let second = 0;
      for (; second + 4 <= first + 1; second += 4) {
        addFourDotProducts(gram, first * size + second, weighted, columns, second, blockStart, blockEnd);
      }
      for (; second <= first; second++) {
        const right = columns[second]!;
        let sum = gram[first * size + second]!;
        for (let row = blockStart; row < blockEnd; row++) sum += weighted[row - blockStart]! * right[row]!;
        gram[first * size + second] = sum;
      }
    }
  }
  return gram;
}

/** Adds the block's `weighted` · columns[first + k] to sums[at + k] for k = 0 … 3, in one pass. */
function addFourDotProducts(
  sums: Float64Array,
  at: number,
  weighted: Float64Array,
  columns: readonly Float64Array[],
  first: number,
  blockStart: number,
  blockEnd: number,
): void {
  const column0 = columns[first]!;
  const column1 = columns[first + 1]!;
  const column2 = columns[first + 2]!;
  const column3 = columns[first + 3]!;
  let sum0 = sums[at]!;
  let sum1 = sums[at + 1]!;
  let sum2 = sums[at + 2]!;
  let sum3 = sums[at + 3]!;
  for (let row = blockStart; row < blockEnd; row++) {
    const weight = weighted[row - blockStart]!;
    sum0 += weight * column0[row]!;
    sum1 += weight * column1[row]!;
    sum2 += weight * column2[row]!;
    sum3 += weight * column3[row]!;
  }
  sums[at] = sum0;
  sums[at + 1] = sum1;
  sums[at + 2] = sum2;
  sums[at + 3] = sum3;
}
