/**
 * Customer feedback scores with 95 % confidence intervals, so that nobody celebrates a three-answer week.
 * Pure functions over plain answers; definitions in docs/metrics.md.
 */

/** The 97.5th percentile of the standard normal distribution. */
const Z95 = 1.959964;

export interface Interval {
  /** The share (0–1); null without answers. */
  estimate: number | null;
  low: number | null;
  high: number | null;
  n: number;
}

function assertCount(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} must be a whole number ≥ 0`);
}

/**
 * Wilson score interval for a share (Wilson 1927; Agresti & Coull 1998 recommend it over the Wald interval,
 * which collapses to a point at 0 or n successes and undercovers for small n).
 */
export function wilson(successes: number, n: number, z = Z95): Interval {
  assertCount(successes, 'successes');
  assertCount(n, 'n');
  if (successes > n) throw new RangeError('more successes than trials');
  if (n === 0) return { estimate: null, low: null, high: null, n: 0 };
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  return { estimate: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half), n };
}

export type CsatScale = '1-5' | 'good-bad';
export type CsatAnswer = number | 'good' | 'bad';

/** CSAT: the share of satisfied answers (4 or 5 on a 1–5 scale; good on good/bad), with its Wilson interval. */
export function csat(answers: readonly CsatAnswer[], scale: CsatScale) {
  let satisfied = 0;
  for (const answer of answers) {
    if (scale === '1-5') {
      if (typeof answer !== 'number' || !Number.isInteger(answer) || answer < 1 || answer > 5) {
        throw new RangeError(
          `a CSAT answer on 1–5 must be a whole number from 1 to 5, not ${String(answer)}`,
        );
      }
      if (answer >= 4) satisfied++;
    } else {
      if (answer !== 'good' && answer !== 'bad') {
        throw new RangeError(`a CSAT answer on good/bad must be good or bad, not ${String(answer)}`);
      }
      if (answer === 'good') satisfied++;
    }
  }
  const interval = wilson(satisfied, answers.length);
  return {
    answers: answers.length,
    satisfied,
    estimate: interval.estimate,
    low: interval.low,
    high: interval.high,
  };
}

/**
 * NPS: % promoters (9–10) − % detractors (0–6), from −100 to 100. Its interval is the adjusted Wald interval
 * for a difference of two shares of one sample (Sauro & Lewis, "Quantifying the User Experience", 2nd ed.,
 * ch. 5): ¾ added to promoters and to detractors and 3 to the answers, variance (p + d − (p − d)²) / n.
 */
export function nps(scores: readonly number[]) {
  let promoters = 0;
  let passives = 0;
  let detractors = 0;
  for (const score of scores) {
    if (!Number.isInteger(score) || score < 0 || score > 10) {
      throw new RangeError(`an NPS answer must be a whole number from 0 to 10, not ${score}`);
    }
    if (score >= 9) promoters++;
    else if (score >= 7) passives++;
    else detractors++;
  }
  return npsOfCounts({ promoters, passives, detractors });
}

export interface NpsCounts {
  promoters: number;
  passives: number;
  detractors: number;
}

/** NPS and its adjusted-Wald interval from the counts of promoters, passives and detractors (as SQL sums them). */
export function npsOfCounts({ promoters, passives, detractors }: NpsCounts) {
  assertCount(promoters, 'promoters');
  assertCount(passives, 'passives');
  assertCount(detractors, 'detractors');
  const n = promoters + passives + detractors;
  const counts = { answers: n, promoters, passives, detractors };
  if (n === 0) return { ...counts, nps: null, low: null, high: null };
  const adjusted = n + 3;
  const p = (promoters + 0.75) / adjusted;
  const d = (detractors + 0.75) / adjusted;
  const centre = p - d;
  const half = Z95 * Math.sqrt((p + d - centre * centre) / adjusted);
  return {
    ...counts,
    nps: (100 * (promoters - detractors)) / n,
    low: 100 * Math.max(-1, centre - half),
    high: 100 * Math.min(1, centre + half),
  };
}

/** Two-sided 95 % critical values of Student's t for 1–30, 40, 60 and 120 degrees of freedom. */
const T95: readonly [number, number][] = [
  [1, 12.7062],
  [2, 4.3027],
  [3, 3.1824],
  [4, 2.7764],
  [5, 2.5706],
  [6, 2.4469],
  [7, 2.3646],
  [8, 2.306],
  [9, 2.2622],
  [10, 2.2281],
  [11, 2.201],
  [12, 2.1788],
  [13, 2.1604],
  [14, 2.1448],
  [15, 2.1314],
  [16, 2.1199],
  [17, 2.1098],
  [18, 2.1009],
  [19, 2.093],
  [20, 2.086],
  [21, 2.0796],
  [22, 2.0739],
  [23, 2.0687],
  [24, 2.0639],
  [25, 2.0595],
  [26, 2.0555],
  [27, 2.0518],
  [28, 2.0484],
  [29, 2.0452],
  [30, 2.0423],
  [40, 2.0211],
  [60, 2.0003],
  [120, 1.9799],
  [Number.POSITIVE_INFINITY, Z95],
];

/** t(0.975, df), from the table, interpolated linearly in 1/df between its rows (exact to 3 decimals). */
export function tCritical95(df: number): number {
  if (!Number.isInteger(df) || df < 1) throw new RangeError('degrees of freedom must be a whole number ≥ 1');
  for (let i = 1; i < T95.length; i++) {
    const [upperDf, upperT] = T95[i]!;
    const [lowerDf, lowerT] = T95[i - 1]!;
    if (df === lowerDf) return lowerT;
    if (df < upperDf) {
      const fraction = (1 / lowerDf - 1 / df) / (1 / lowerDf - 1 / upperDf);
      return lowerT + fraction * (upperT - lowerT);
    }
  }
  return Z95;
}

/**
 * CES: the mean answer to "how easy was it" on 1–7 (7 = very easy), with a Student t interval kept within the
 * scale. One answer has no interval.
 */
export function ces(scores: readonly number[], scale: { min: number; max: number } = { min: 1, max: 7 }) {
  for (const score of scores) {
    if (!Number.isInteger(score) || score < scale.min || score > scale.max) {
      throw new RangeError(
        `a CES answer must be a whole number from ${scale.min} to ${scale.max}, not ${score}`,
      );
    }
  }
  const n = scores.length;
  const mean = n === 0 ? 0 : scores.reduce((sum, s) => sum + s, 0) / n;
  const variance = n < 2 ? 0 : scores.reduce((sum, s) => sum + (s - mean) ** 2, 0) / (n - 1);
  return cesOfMoments({ n, mean, sd: Math.sqrt(variance) }, scale);
}

/**
 * CES from its count, mean and sample standard deviation (n − 1), as SQL's `avg` and `stddev_samp` give them.
 */
export function cesOfMoments(
  moments: { n: number; mean: number; sd: number | null },
  scale: { min: number; max: number } = { min: 1, max: 7 },
) {
  const { n, mean } = moments;
  assertCount(n, 'n');
  if (n === 0) return { answers: 0, mean: null, low: null, high: null };
  if (n === 1 || moments.sd === null) return { answers: n, mean, low: null, high: null };
  const half = tCritical95(n - 1) * (moments.sd / Math.sqrt(n));
  return { answers: n, mean, low: Math.max(scale.min, mean - half), high: Math.min(scale.max, mean + half) };
}

/** Response rate: answers of surveys sent, with its Wilson interval. */
export function responseRate(answered: number, sent: number): Interval {
  return wilson(answered, sent);
}
