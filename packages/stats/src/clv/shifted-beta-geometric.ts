/**
 * The shifted-beta-geometric (sBG) model of contract renewals (Fader & Hardie 2007, "How to Project Customer
 * Retention", Journal of Interactive Marketing 21(1):76–90). Each customer cancels at the end of any period
 * with her own probability θ ~ Beta(α, β); as the likelier cancellers leave, the cohort's retention rate
 * rises. Periods are whole contract periods (months, years); period 0 is the start, when all customers are
 * active.
 */
import { type MinimizeOptions, minimizePositive } from './optimize';
import { hypergeometric2F1 } from './special';

export interface ShiftedBetaGeometricParameters {
  alpha: number;
  beta: number;
}

export interface ShiftedBetaGeometricFit extends ShiftedBetaGeometricParameters {
  logLikelihood: number;
  converged: boolean;
  iterations: number;
}

function assertParameters({ alpha, beta }: ShiftedBetaGeometricParameters): void {
  if (!(alpha > 0 && beta > 0 && Number.isFinite(alpha) && Number.isFinite(beta))) {
    throw new RangeError(`sBG parameters must be finite and > 0, got alpha=${alpha}, beta=${beta}`);
  }
}

function assertPeriod(period: number, smallest: number): void {
  if (!(Number.isInteger(period) && period >= smallest)) {
    throw new RangeError(`the period must be a whole number ≥ ${smallest}, got ${period}`);
  }
}

/** Survivors at the start and after each period: non-increasing counts, the first one > 0. */
function assertSurvivors(survivors: readonly number[]): void {
  if (survivors.length < 2) throw new RangeError('sBG needs the cohort size and at least one later count');
  survivors.forEach((count, period) => {
    if (!(Number.isFinite(count) && count >= 0)) {
      throw new RangeError(`survivors[${period}] must be a finite number ≥ 0, got ${count}`);
    }
    if (period > 0 && count > survivors[period - 1]!) {
      throw new RangeError(
        `survivors[${period}] = ${count} exceeds survivors[${period - 1}]; counts cannot grow`,
      );
    }
  });
  if (!(survivors[0]! > 0)) throw new RangeError('the cohort (survivors[0]) must have at least one customer');
}

/**
 * ln L(α, β | survivors): the customers lost in period t contribute ln P(T = t) each, those still active
 * after the last period ln S(last). P(T = t) and S(t) come from the paper's recursions, P(T = 1) = α/(α + β),
 * P(T = t) = P(T = t − 1) (β + t − 2)/(α + β + t − 1), S(t) = S(t − 1) (β + t − 1)/(α + β + t − 1).
 */
export function shiftedBetaGeometricLogLikelihood(
  parameters: ShiftedBetaGeometricParameters,
  survivors: readonly number[],
): number {
  assertParameters(parameters);
  assertSurvivors(survivors);
  return logLikelihoodOf(parameters, survivors);
}

function logLikelihoodOf(
  { alpha, beta }: ShiftedBetaGeometricParameters,
  survivors: readonly number[],
): number {
  let logChurn = Math.log(alpha) - Math.log(alpha + beta);
  let logSurvival = 0;
  let total = 0;
  for (let period = 1; period < survivors.length; period++) {
    if (period > 1) logChurn += Math.log(beta + period - 2) - Math.log(alpha + beta + period - 1);
    logSurvival += Math.log(beta + period - 1) - Math.log(alpha + beta + period - 1);
    const lost = survivors[period - 1]! - survivors[period]!;
    if (lost > 0) total += lost * logChurn;
  }
  const stillActive = survivors[survivors.length - 1]!;
  return stillActive > 0 ? total + stillActive * logSurvival : total;
}

export interface ShiftedBetaGeometricFitOptions extends MinimizeOptions {
  /** Where the search starts (default α = β = 1). */
  initial?: ShiftedBetaGeometricParameters;
}

/**
 * Maximum-likelihood α, β from one cohort's survivors: survivors[0] customers at the start, survivors[t]
 * still active after period t.
 */
export function fitShiftedBetaGeometric(
  survivors: readonly number[],
  options: ShiftedBetaGeometricFitOptions = {},
): ShiftedBetaGeometricFit {
  assertSurvivors(survivors);
  const initial = options.initial ?? { alpha: 1, beta: 1 };
  assertParameters(initial);
  const result = minimizePositive(
    ([alpha, beta]) => -logLikelihoodOf({ alpha: alpha!, beta: beta! }, survivors),
    [initial.alpha, initial.beta],
    options,
  );
  const [alpha, beta] = result.point as [number, number];
  return {
    alpha,
    beta,
    logLikelihood: -result.value,
    converged: result.converged,
    iterations: result.iterations,
  };
}

/** S(t) = B(α, β + t) / B(α, β): the share of the cohort still active after t periods (S(0) = 1). */
export function shiftedBetaGeometricSurvival(
  parameters: ShiftedBetaGeometricParameters,
  period: number,
): number {
  assertParameters(parameters);
  assertPeriod(period, 0);
  const { alpha, beta } = parameters;
  let logSurvival = 0;
  for (let t = 1; t <= period; t++) logSurvival += Math.log(beta + t - 1) - Math.log(alpha + beta + t - 1);
  return Math.exp(logSurvival);
}

/** P(T = t): the share of the cohort that cancels in period t (t ≥ 1). */
export function shiftedBetaGeometricChurnProbability(
  parameters: ShiftedBetaGeometricParameters,
  period: number,
): number {
  assertPeriod(period, 1);
  const { alpha, beta } = parameters;
  return shiftedBetaGeometricSurvival(parameters, period - 1) * (alpha / (alpha + beta + period - 1));
}

/**
 * r(t) = S(t) / S(t − 1) = (β + t − 1)/(α + β + t − 1): the share of those active after t − 1 who renew in t.
 */
export function shiftedBetaGeometricRetentionRate(
  parameters: ShiftedBetaGeometricParameters,
  period: number,
): number {
  assertParameters(parameters);
  assertPeriod(period, 1);
  const { alpha, beta } = parameters;
  return (beta + period - 1) / (alpha + beta + period - 1);
}

/**
 * E[T] = Σₜ S(t) = (α + β − 1)/(α − 1) periods, counting the period of cancellation. Infinite for α ≤ 1: then
 * so many customers have a θ near 0 that the mean lifetime diverges (both cohorts in the paper have α < 1),
 * and a discounted or truncated figure is the useful one.
 */
export function shiftedBetaGeometricExpectedLifetime(parameters: ShiftedBetaGeometricParameters): number {
  assertParameters(parameters);
  const { alpha, beta } = parameters;
  return alpha > 1 ? (alpha + beta - 1) / (alpha - 1) : Number.POSITIVE_INFINITY;
}

/**
 * Discounted expected lifetime Σₜ S(t)/(1 + d)ᵗ from t = 0, which sums to 2F1(1, β; α + β; 1/(1 + d)) (Fader
 * & Hardie 2010, "Customer-Base Valuation in a Contractual Setting", Marketing Science 29(1)). Times the
 * margin per period it is a new customer's value when payments come at the start of each period.
 */
export function shiftedBetaGeometricDiscountedExpectedLifetime(
  parameters: ShiftedBetaGeometricParameters,
  discountRate: number,
): number {
  assertParameters(parameters);
  if (!(discountRate > 0 && Number.isFinite(discountRate))) {
    throw new RangeError(`the discount rate per period must be > 0, got ${discountRate}`);
  }
  const { alpha, beta } = parameters;
  return hypergeometric2F1(1, beta, alpha + beta, 1 / (1 + discountRate));
}
