/**
 * The Gamma-Gamma model of spend per purchase (Fader, Hardie & Lee 2005, "RFM and CLV: Using Iso-Value Curves
 * for Customer Base Analysis", Journal of Marketing Research 42(4):415–430; Fader & Hardie 2013, "The
 * Gamma-Gamma Model of Monetary Value"). A customer's purchases are Gamma(p, ν) in value; ν ~ Gamma(q, γ)
 * across customers. It assumes spend is independent of how often one buys; check that correlation before
 * trusting the product.
 */
import { type MinimizeOptions, minimizePositive } from './optimize';
import { logGamma } from './special';

export interface GammaGammaParameters {
  p: number;
  q: number;
  gamma: number;
}

/** A repeat buyer's spend: x repeat purchases of mean value m. */
export interface SpendHistory {
  /** Repeat purchases (x > 0). */
  frequency: number;
  /** Mean value of those repeat purchases (m > 0). */
  monetaryValue: number;
  /** How many customers share this history (default 1). */
  weight?: number;
}

export interface GammaGammaFit extends GammaGammaParameters {
  logLikelihood: number;
  converged: boolean;
  iterations: number;
}

function assertParameters({ p, q, gamma }: GammaGammaParameters): void {
  if (![p, q, gamma].every((value) => value > 0 && Number.isFinite(value))) {
    throw new RangeError(`Gamma-Gamma parameters must be finite and > 0, got p=${p}, q=${q}, gamma=${gamma}`);
  }
}

function assertSpend({ frequency, monetaryValue }: SpendHistory, where: string): void {
  if (!(Number.isFinite(frequency) && frequency > 0)) {
    throw new RangeError(
      `${where}: frequency must be > 0 (the model is fitted on repeat buyers only), got ${frequency}`,
    );
  }
  if (!(Number.isFinite(monetaryValue) && monetaryValue > 0)) {
    throw new RangeError(`${where}: monetary value must be a finite number > 0, got ${monetaryValue}`);
  }
}

/**
 * ln f(m | p, q, γ, x): the density of a customer's mean spend m over x purchases, which given ν is
 * Gamma(px, νx), integrated over ν ~ Gamma(q, γ):
 * Γ(px + q) / (Γ(px) Γ(q)) · γ^q m^(px − 1) x^(px) / (γ + mx)^(px + q).
 */
export function gammaGammaLogLikelihood(parameters: GammaGammaParameters, spend: SpendHistory): number {
  assertParameters(parameters);
  assertSpend(spend, 'spend history');
  return logDensity(parameters, spend);
}

function logDensity(
  { p, q, gamma }: GammaGammaParameters,
  { frequency, monetaryValue }: SpendHistory,
): number {
  const shape = p * frequency;
  return (
    logGamma(shape + q) -
    logGamma(shape) -
    logGamma(q) +
    q * Math.log(gamma) +
    (shape - 1) * Math.log(monetaryValue) +
    shape * Math.log(frequency) -
    (shape + q) * Math.log(gamma + monetaryValue * frequency)
  );
}

export interface GammaGammaFitOptions extends MinimizeOptions {
  /** Where the search starts (default p = 1, q = 2, γ = the mean spend). */
  initial?: GammaGammaParameters;
}

/** Maximum-likelihood p, q, γ from repeat buyers' (x, m), by Nelder–Mead over the parameters' logarithms. */
export function fitGammaGamma(
  spends: readonly SpendHistory[],
  options: GammaGammaFitOptions = {},
): GammaGammaFit {
  let totalWeight = 0;
  let weightedSpend = 0;
  spends.forEach((spend, index) => {
    assertSpend(spend, `spend history ${index}`);
    const weight = spend.weight ?? 1;
    if (!(Number.isFinite(weight) && weight >= 0)) {
      throw new RangeError(`spend history ${index}: weight must be a finite number ≥ 0, got ${weight}`);
    }
    totalWeight += weight;
    weightedSpend += weight * spend.monetaryValue;
  });
  if (totalWeight === 0) throw new RangeError('fitting Gamma-Gamma needs at least one repeat buyer');
  const initial = options.initial ?? { p: 1, q: 2, gamma: weightedSpend / totalWeight };
  assertParameters(initial);
  const weightByFrequency = new Map<number, number>();
  for (const spend of spends) {
    weightByFrequency.set(
      spend.frequency,
      (weightByFrequency.get(spend.frequency) ?? 0) + (spend.weight ?? 1),
    );
  }
  // The gamma functions depend on x only, so they are summed once per distinct x.
  const negativeLogLikelihood = ([p, q, gamma]: readonly number[]) => {
    let total = 0;
    for (const [frequency, weight] of weightByFrequency) {
      total += weight * (logGamma(p! * frequency + q!) - logGamma(p! * frequency));
    }
    total += totalWeight * (q! * Math.log(gamma!) - logGamma(q!));
    for (const { frequency, monetaryValue, weight = 1 } of spends) {
      const shape = p! * frequency;
      total +=
        weight *
        ((shape - 1) * Math.log(monetaryValue) +
          shape * Math.log(frequency) -
          (shape + q!) * Math.log(gamma! + monetaryValue * frequency));
    }
    return -total;
  };
  const result = minimizePositive(negativeLogLikelihood, [initial.p, initial.q, initial.gamma], options);
  const [p, q, gamma] = result.point as [number, number, number];
  return {
    p,
    q,
    gamma,
    logLikelihood: -result.value,
    converged: result.converged,
    iterations: result.iterations,
  };
}

/**
 * E[M | p, q, γ, m, x], the expected value of this customer's future purchases: a weighted mean of the
 * population mean pγ/(q − 1) and her own mean m, weight px/(px + q − 1) on her own. With x = 0 it is the
 * population mean. Needs q > 1 (otherwise the population mean spend is infinite).
 */
export function gammaGammaExpectedSpend(
  parameters: GammaGammaParameters,
  frequency: number,
  monetaryValue: number,
): number {
  assertParameters(parameters);
  const { p, q, gamma } = parameters;
  if (!(q > 1)) throw new RangeError(`the expected spend is infinite for q ≤ 1, got q=${q}`);
  if (!(Number.isFinite(frequency) && frequency >= 0)) {
    throw new RangeError(`frequency must be a finite number ≥ 0, got ${frequency}`);
  }
  if (frequency > 0 && !(Number.isFinite(monetaryValue) && monetaryValue >= 0)) {
    throw new RangeError(`monetary value must be a finite number ≥ 0, got ${monetaryValue}`);
  }
  const ownWeight = (p * frequency) / (p * frequency + q - 1);
  const populationMean = (p * gamma) / (q - 1);
  return frequency === 0 ? populationMean : (1 - ownWeight) * populationMean + ownWeight * monetaryValue;
}
