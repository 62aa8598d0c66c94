/**
 * How well predicted churn probabilities match what happened: ROC AUC (ranking), accuracy at 0.5 and
 * log-loss (probabilities). Labels are 0/1, 1 meaning churned.
 */

type Numbers = ArrayLike<number>;

/** 1 / (1 + e^−x), written so that neither branch overflows. */
export function sigmoid(logOdds: number): number {
  if (logOdds >= 0) return 1 / (1 + Math.exp(-logOdds));
  const exponential = Math.exp(logOdds);
  return exponential / (1 + exponential);
}

/** ln(p / (1 − p)). */
export function logit(probability: number): number {
  return Math.log(probability / (1 - probability));
}

function assertSameLength(scores: Numbers, labels: Numbers): void {
  if (scores.length !== labels.length) {
    throw new RangeError(`${scores.length} scores but ${labels.length} labels`);
  }
}

/**
 * Area under the ROC curve by the Mann–Whitney statistic with mid-ranks: the chance that a random churned
 * row scores above a random retained one, ties counting one half. Exact for any number of ties; any scale
 * of score works (probabilities, log-odds, ranks). Needs both classes.
 */
export function rocAuc(scores: Numbers, labels: Numbers): number {
  assertSameLength(scores, labels);
  const order = Array.from({ length: scores.length }, (_, index) => index).sort(
    (left, right) => scores[left]! - scores[right]!,
  );
  let positiveRankSum = 0;
  let positives = 0;
  for (let start = 0; start < order.length; ) {
    let end = start + 1;
    while (end < order.length && scores[order[end]!] === scores[order[start]!]) end++;
    const midRank = (start + 1 + end) / 2;
    for (let position = start; position < end; position++) {
      if (labels[order[position]!] === 1) {
        positiveRankSum += midRank;
        positives++;
      }
    }
    start = end;
  }
  const negatives = scores.length - positives;
  if (positives === 0 || negatives === 0)
    throw new RangeError('ROC AUC needs at least one row of each class');
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Share of rows where (probability ≥ 0.5) agrees with the label. */
export function accuracyAtHalf(probabilities: Numbers, labels: Numbers): number {
  assertSameLength(probabilities, labels);
  let correct = 0;
  for (let row = 0; row < labels.length; row++) {
    if ((probabilities[row]! >= 0.5 ? 1 : 0) === labels[row]) correct++;
  }
  return correct / labels.length;
}

/** Smallest and largest probability log-loss uses, so that one confident mistake costs ln(1e15) ≈ 34.5. */
export const LOG_LOSS_CLIP = 1e-15;

/** Mean negative log-likelihood −[y ln p + (1 − y) ln(1 − p)], each log's argument at least 1e-15. */
export function logLoss(probabilities: Numbers, labels: Numbers): number {
  assertSameLength(probabilities, labels);
  let total = 0;
  for (let row = 0; row < labels.length; row++) {
    // Clipping the probability of what happened (not p itself) keeps 1 − p from rounding below 1e-15.
    const ofOutcome = labels[row] === 1 ? probabilities[row]! : 1 - probabilities[row]!;
    total -= Math.log(Math.max(LOG_LOSS_CLIP, ofOutcome));
  }
  return total / labels.length;
}
