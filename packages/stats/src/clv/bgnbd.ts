/**
 * The BG/NBD model of repeat buying (Fader, Hardie & Lee 2005, "'Counting Your Customers' the Easy Way: An
 * Alternative to the Pareto/NBD Model", Marketing Science 24(2):275–284).
 * While alive, a customer buys at a Poisson rate λ ~ Gamma(r, α); after each purchase she drops out with
 * probability p ~ Beta(a, b). Time is in whatever unit the histories use (days or weeks), and so is α.
 */
import { type MinimizeOptions, minimizePositive } from './optimize';
import { logAddExp, logBeta, logGamma, logHypergeometric2F1 } from './special';

export interface BgNbdParameters {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/** What the model needs to know of a customer (x, tₓ, T in the paper). */
export interface PurchaseHistory {
  /** Repeat purchases in the calibration period (x); the first purchase does not count. */
  frequency: number;
  /** Time from the first purchase to the last (tₓ); 0 without repeat purchases. */
  recency: number;
  /** Time from the first purchase to the end of the calibration period (T). */
  age: number;
}

export interface WeightedPurchaseHistory extends PurchaseHistory {
  /** How many customers share this history (default 1); 0 leaves it out. */
  weight?: number;
}

export interface BgNbdFit extends BgNbdParameters {
  logLikelihood: number;
  converged: boolean;
  iterations: number;
}

function assertPurchaseHistory(history: PurchaseHistory, where = 'purchase history'): void {
  const { frequency, recency, age } = history;
  if (!(Number.isFinite(frequency) && frequency >= 0)) {
    throw new RangeError(`${where}: frequency must be a finite number ≥ 0, got ${frequency}`);
  }
  if (!(Number.isFinite(age) && age >= 0))
    throw new RangeError(`${where}: age must be finite and ≥ 0, got ${age}`);
  if (!(recency >= 0 && recency <= age)) {
    throw new RangeError(`${where}: recency must be within [0, age = ${age}], got ${recency}`);
  }
}

function assertParameters({ r, alpha, a, b }: BgNbdParameters): void {
  if (![r, alpha, a, b].every((value) => value > 0 && Number.isFinite(value))) {
    throw new RangeError(
      `BG/NBD parameters must be finite and > 0, got r=${r}, alpha=${alpha}, a=${a}, b=${b}`,
    );
  }
}

/**
 * The parts of the likelihood that depend on the frequency x only: ln[Γ(r + x) αʳ / Γ(r)] + ln[B(a, b + x) /
 * B(a, b)], and for x > 0 the log of a / (b + x − 1).
 */
function frequencyTerms({ r, alpha, a, b }: BgNbdParameters, frequency: number) {
  const common =
    logGamma(r + frequency) - logGamma(r) + r * Math.log(alpha) + logBeta(a, b + frequency) - logBeta(a, b);
  const dropout = frequency > 0 ? Math.log(a) - Math.log(b + frequency - 1) : Number.NEGATIVE_INFINITY;
  return { common, dropout };
}

function logLikelihoodWith(
  parameters: BgNbdParameters,
  terms: { common: number; dropout: number },
  { frequency, recency, age }: PurchaseHistory,
): number {
  const shape = parameters.r + frequency;
  const aliveToEnd = -shape * Math.log(parameters.alpha + age);
  const goneAfterLast = terms.dropout - shape * Math.log(parameters.alpha + recency);
  return terms.common + logAddExp(aliveToEnd, goneAfterLast);
}

/**
 * ln L(r, α, a, b | x, tₓ, T) of one customer (the paper's individual-level likelihood), summed in log space:
 * Γ(r + x) and (α + T)^(r + x) overflow for large x, their logarithms do not.
 */
export function bgNbdLogLikelihood(parameters: BgNbdParameters, history: PurchaseHistory): number {
  assertParameters(parameters);
  assertPurchaseHistory(history);
  return logLikelihoodWith(parameters, frequencyTerms(parameters, history.frequency), history);
}

interface HistoryGroup extends PurchaseHistory {
  weight: number;
}

/**
 * Customers with the same (x, tₓ, T) add the same term; summing their weights first makes each step cheaper.
 */
function groupHistories(histories: readonly WeightedPurchaseHistory[]): HistoryGroup[] {
  const groups = new Map<string, HistoryGroup>();
  histories.forEach((history, index) => {
    assertPurchaseHistory(history, `history ${index}`);
    const weight = history.weight ?? 1;
    if (!(Number.isFinite(weight) && weight >= 0)) {
      throw new RangeError(`history ${index}: weight must be a finite number ≥ 0, got ${weight}`);
    }
    if (weight === 0) return;
    const key = `${history.frequency}|${history.recency}|${history.age}`;
    const group = groups.get(key);
    if (group) group.weight += weight;
    else
      groups.set(key, { frequency: history.frequency, recency: history.recency, age: history.age, weight });
  });
  return [...groups.values()];
}

function totalLogLikelihood(parameters: BgNbdParameters, groups: readonly HistoryGroup[]): number {
  const byFrequency = new Map<number, { common: number; dropout: number }>();
  let total = 0;
  for (const group of groups) {
    let terms = byFrequency.get(group.frequency);
    if (!terms) {
      terms = frequencyTerms(parameters, group.frequency);
      byFrequency.set(group.frequency, terms);
    }
    total += group.weight * logLikelihoodWith(parameters, terms, group);
  }
  return total;
}

export interface BgNbdFitOptions extends MinimizeOptions {
  /** Where the search starts (default r = 1, α = the mean age, a = 1, b = 1). */
  initial?: BgNbdParameters;
}

/**
 * Maximum-likelihood estimates of r, α, a, b from customers' histories, by Nelder–Mead over the parameters'
 * logarithms. `logLikelihood` is the maximised sum of the customers' log-likelihoods (times their weights).
 */
export function fitBgNbd(
  histories: readonly WeightedPurchaseHistory[],
  options: BgNbdFitOptions = {},
): BgNbdFit {
  const groups = groupHistories(histories);
  const totalWeight = groups.reduce((sum, group) => sum + group.weight, 0);
  if (totalWeight === 0) throw new RangeError('fitting BG/NBD needs at least one customer');
  const meanAge = groups.reduce((sum, group) => sum + group.weight * group.age, 0) / totalWeight;
  const initial = options.initial ?? { r: 1, alpha: Math.max(meanAge, 1e-3), a: 1, b: 1 };
  assertParameters(initial);
  const result = minimizePositive(
    ([r, alpha, a, b]) => -totalLogLikelihood({ r: r!, alpha: alpha!, a: a!, b: b! }, groups),
    [initial.r, initial.alpha, initial.a, initial.b],
    options,
  );
  const [r, alpha, a, b] = result.point as [number, number, number, number];
  return {
    r,
    alpha,
    a,
    b,
    logLikelihood: -result.value,
    converged: result.converged,
    iterations: result.iterations,
  };
}

/** ln of the odds that a customer has dropped out: δₓ₍>₀₎ a/(b + x − 1) · ((α + T)/(α + tₓ))^(r + x). */
function logOddsOfDropout(
  { r, alpha, a, b }: BgNbdParameters,
  { frequency, recency, age }: PurchaseHistory,
): number {
  if (frequency === 0) return Number.NEGATIVE_INFINITY;
  return (
    Math.log(a) -
    Math.log(b + frequency - 1) +
    (r + frequency) * (Math.log(alpha + age) - Math.log(alpha + recency))
  );
}

function logisticOfMinus(logOdds: number): number {
  if (logOdds > 0) {
    const inverse = Math.exp(-logOdds);
    return inverse / (1 + inverse);
  }
  return 1 / (1 + Math.exp(logOdds));
}

/**
 * P(alive | x, tₓ, T) = 1 / (1 + odds of dropout). Always 1 without repeat purchases: in BG/NBD one drops out
 * only after buying.
 */
export function bgNbdProbabilityAlive(parameters: BgNbdParameters, history: PurchaseHistory): number {
  assertParameters(parameters);
  assertPurchaseHistory(history);
  return logisticOfMinus(logOddsOfDropout(parameters, history));
}

/**
 * (a + b + x − 1)/(a − 1) · [1 − ((α + T)/(α + T + t))^(r + x) · 2F1(r + x, b + x; a + b + x − 1; t/(α + T +
 * t))], the part shared by E[X(t)] and E[Y(t) | x, tₓ, T]. For a < 1 both factors are negative; the bracket
 * is formed from the log of the product so that large x neither overflows the 2F1 nor underflows the power.
 */
function expectedPurchasesIfAlive(
  { r, alpha, a, b }: BgNbdParameters,
  frequency: number,
  age: number,
  horizon: number,
): number {
  const c = a + b + frequency - 1;
  if (a === 1 || c === 0) {
    throw new RangeError(
      `BG/NBD expectations are undefined at a = 1 or a + b + x = 1 (a=${a}, b=${b}, x=${frequency})`,
    );
  }
  const shape = r + frequency;
  const z = horizon / (alpha + age + horizon);
  const series = logHypergeometric2F1(shape, b + frequency, c, z);
  const logProduct = series.logAbsolute - shape * Math.log1p(horizon / (alpha + age));
  const bracket = series.sign > 0 ? -Math.expm1(logProduct) : 1 - series.sign * Math.exp(logProduct);
  return (c / (a - 1)) * bracket;
}

function assertHorizon(horizon: number): void {
  if (!(Number.isFinite(horizon) && horizon >= 0)) {
    throw new RangeError(`the horizon t must be a finite number ≥ 0, got ${horizon}`);
  }
}

/** E[X(t)]: expected purchases of a newly acquired customer in (0, t] (the first purchase not counted). */
export function bgNbdExpectedPurchases(parameters: BgNbdParameters, horizon: number): number {
  assertParameters(parameters);
  assertHorizon(horizon);
  if (horizon === 0) return 0;
  return expectedPurchasesIfAlive(parameters, 0, 0, horizon);
}

/** E[Y(t) | x, tₓ, T]: expected purchases in the next t periods of a customer with this history. */
export function bgNbdConditionalExpectedPurchases(
  parameters: BgNbdParameters,
  history: PurchaseHistory,
  horizon: number,
): number {
  assertParameters(parameters);
  assertPurchaseHistory(history);
  assertHorizon(horizon);
  if (horizon === 0) return 0;
  const ifAlive = expectedPurchasesIfAlive(parameters, history.frequency, history.age, horizon);
  return ifAlive * logisticOfMinus(logOddsOfDropout(parameters, history));
}
