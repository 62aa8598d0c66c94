/**
 * Calibration: making "30 % churn risk" mean that about 30 of 100 such customers leave. Boosted trees in
 * particular rank well but can be over- or under-confident. A calibrator maps the model's log-odds to a
 * probability and is fitted on out-of-fold predictions, never on rows the model was trained on.
 */
import { sigmoid } from './metrics';

export type Calibrator =
  | { method: 'platt'; slope: number; intercept: number }
  | { method: 'isotonic'; logOdds: number[]; probabilities: number[] };

export type CalibrationMethod = Calibrator['method'];

/**
 * Platt scaling: p = σ(slope · logOdds + intercept), fitted by Newton's method with step halving on Platt's
 * smoothed targets (N₊ + 1)/(N₊ + 2) and 1/(N₋ + 2), as in Lin, Lin & Weng (2007), "A note on Platt's
 * probabilistic outputs for support vector machines", Machine Learning 68:267–276.
 */
export function fitPlattScaling(logOdds: ArrayLike<number>, labels: ArrayLike<number>): Calibrator {
  let positives = 0;
  for (let row = 0; row < labels.length; row++) positives += labels[row]!;
  const negatives = labels.length - positives;
  const high = (positives + 1) / (positives + 2);
  const low = 1 / (negatives + 2);
  const targets = Float64Array.from({ length: labels.length }, (_, row) => (labels[row] === 1 ? high : low));
  const loss = (slope: number, intercept: number) => {
    let total = 0;
    for (let row = 0; row < targets.length; row++) {
      const eta = slope * logOdds[row]! + intercept;
      total += Math.max(eta, 0) + Math.log1p(Math.exp(-Math.abs(eta))) - targets[row]! * eta;
    }
    return total;
  };
  let slope = 1;
  let intercept = 0;
  let value = loss(slope, intercept);
  for (let iteration = 0; iteration < 100; iteration++) {
    let [gradientSlope, gradientIntercept, hessianSlope, hessianCross, hessianIntercept] = [
      0, 0, 1e-12, 0, 1e-12,
    ];
    for (let row = 0; row < targets.length; row++) {
      const score = logOdds[row]!;
      const probability = sigmoid(slope * score + intercept);
      const residual = probability - targets[row]!;
      const weight = probability * (1 - probability);
      gradientSlope += residual * score;
      gradientIntercept += residual;
      hessianSlope += weight * score * score;
      hessianCross += weight * score;
      hessianIntercept += weight;
    }
    const determinant = hessianSlope * hessianIntercept - hessianCross * hessianCross;
    const stepSlope = (hessianIntercept * gradientSlope - hessianCross * gradientIntercept) / determinant;
    const stepIntercept = (hessianSlope * gradientIntercept - hessianCross * gradientSlope) / determinant;
    let size = 1;
    let next = loss(slope - stepSlope, intercept - stepIntercept);
    while (!(next <= value) && size > 1e-10) {
      size /= 2;
      next = loss(slope - size * stepSlope, intercept - size * stepIntercept);
    }
    if (!(next <= value)) break;
    slope -= size * stepSlope;
    intercept -= size * stepIntercept;
    const isDone = value - next <= 1e-12 * Math.max(1, value);
    value = next;
    if (isDone) break;
  }
  return { method: 'platt', slope, intercept };
}

/**
 * Isotonic regression by pool-adjacent-violators: the non-decreasing step function of the log-odds closest
 * to the labels in squared error. Between the blocks' mean log-odds the probability is interpolated
 * linearly; beyond them it is flat.
 */
export function fitIsotonicRegression(logOdds: ArrayLike<number>, labels: ArrayLike<number>): Calibrator {
  const order = Array.from({ length: logOdds.length }, (_, row) => row).sort(
    (left, right) => logOdds[left]! - logOdds[right]!,
  );
  const blocks: { scoreSum: number; labelSum: number; count: number }[] = [];
  for (let position = 0; position < order.length; ) {
    // Rows with equal log-odds start in one block, so that equal inputs get equal outputs.
    const block = { scoreSum: 0, labelSum: 0, count: 0 };
    const score = logOdds[order[position]!]!;
    while (position < order.length && logOdds[order[position]!] === score) {
      block.scoreSum += score;
      block.labelSum += labels[order[position]!]!;
      block.count++;
      position++;
    }
    blocks.push(block);
    while (blocks.length > 1) {
      const last = blocks[blocks.length - 1]!;
      const previous = blocks[blocks.length - 2]!;
      if (previous.labelSum / previous.count < last.labelSum / last.count) break;
      blocks.pop();
      previous.scoreSum += last.scoreSum;
      previous.labelSum += last.labelSum;
      previous.count += last.count;
    }
  }
  return {
    method: 'isotonic',
    logOdds: blocks.map((block) => block.scoreSum / block.count),
    probabilities: blocks.map((block) => block.labelSum / block.count),
  };
}

/** The calibrated probability of churn for a model's log-odds. */
export function calibrate(calibrator: Calibrator, logOdds: number): number {
  if (calibrator.method === 'platt') return sigmoid(calibrator.slope * logOdds + calibrator.intercept);
  const { logOdds: knots, probabilities } = calibrator;
  if (knots.length === 0) throw new RangeError('an isotonic calibrator needs at least one point');
  if (logOdds <= knots[0]!) return probabilities[0]!;
  if (logOdds >= knots[knots.length - 1]!) return probabilities[probabilities.length - 1]!;
  let low = 0;
  let high = knots.length - 1;
  while (high - low > 1) {
    const middle = (low + high) >> 1;
    if (knots[middle]! <= logOdds) low = middle;
    else high = middle;
  }
  const share = (logOdds - knots[low]!) / (knots[high]! - knots[low]!);
  return probabilities[low]! + share * (probabilities[high]! - probabilities[low]!);
}

export function fitCalibrator(
  method: CalibrationMethod,
  logOdds: ArrayLike<number>,
  labels: ArrayLike<number>,
): Calibrator {
  return method === 'platt' ? fitPlattScaling(logOdds, labels) : fitIsotonicRegression(logOdds, labels);
}

export interface ReliabilityBin {
  /** Predicted probabilities in [lower, upper) (the last bin includes 1). */
  lower: number;
  upper: number;
  count: number;
  /** Mean predicted probability and observed churn rate of the bin's rows; null when it has none. */
  meanPredicted: number | null;
  observedRate: number | null;
}

/** The reliability curve: predicted against observed churn in equal-width bins of predicted probability. */
export function reliabilityCurve(
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
  binCount = 10,
): ReliabilityBin[] {
  if (probabilities.length !== labels.length)
    throw new RangeError('one label is needed for each probability');
  const counts = new Array<number>(binCount).fill(0);
  const predicted = new Array<number>(binCount).fill(0);
  const observed = new Array<number>(binCount).fill(0);
  for (let row = 0; row < labels.length; row++) {
    const probability = probabilities[row]!;
    if (!(probability >= 0 && probability <= 1))
      throw new RangeError(`probability ${probability} is not in [0, 1]`);
    const bin = Math.min(binCount - 1, Math.floor(probability * binCount));
    counts[bin]!++;
    predicted[bin]! += probability;
    observed[bin]! += labels[row]!;
  }
  return counts.map((count, bin) => ({
    lower: bin / binCount,
    upper: (bin + 1) / binCount,
    count,
    meanPredicted: count === 0 ? null : predicted[bin]! / count,
    observedRate: count === 0 ? null : observed[bin]! / count,
  }));
}
