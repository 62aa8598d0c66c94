import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRandom } from '../churn/random';
import { fitGammaGamma, gammaGammaExpectedSpend, gammaGammaLogLikelihood } from './gamma-gamma';

/** The CDNOW estimates of Fader, Hardie & Lee (2005, "RFM and CLV") and Fader & Hardie (2013). */
const PUBLISHED = { p: 6.25, q: 3.74, gamma: 15.44 };

function expectRelative(actual: number, expected: number, tolerance: number): void {
  expect(Math.abs(actual - expected) / Math.abs(expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(
    tolerance,
  );
}

describe('gammaGammaLogLikelihood', () => {
  // The density of Fader & Hardie (2013) evaluated with mpmath 1.3 at 30 digits.
  it.each([
    [1, 11.77, -3.73770967874084],
    [3, 40, -4.333588655794565],
    [50, 25.5, -3.5265127488304615],
  ])('x=%i, m=%f → %f', (frequency, monetaryValue, expected) => {
    expectRelative(gammaGammaLogLikelihood(PUBLISHED, { frequency, monetaryValue }), expected, 1e-12);
  });

  it('is a density of the mean spend m: it integrates to 1', () => {
    // Trapezoid rule on a log grid of m from e^-8 to e^12: ∫ f(m) dm = ∫ f(eᵘ) eᵘ du.
    for (const frequency of [1, 4, 20]) {
      let integral = 0;
      const step = 0.001;
      for (let u = -8; u < 12; u += step) {
        const at = (v: number) =>
          Math.exp(gammaGammaLogLikelihood(PUBLISHED, { frequency, monetaryValue: Math.exp(v) }) + v);
        integral += ((at(u) + at(u + step)) / 2) * step;
      }
      expect(integral).toBeCloseTo(1, 6);
    }
  });

  it('refuses customers without repeat purchases or without spend', () => {
    expect(() => gammaGammaLogLikelihood(PUBLISHED, { frequency: 0, monetaryValue: 10 })).toThrow(
      /repeat buyers/,
    );
    expect(() => gammaGammaLogLikelihood(PUBLISHED, { frequency: 2, monetaryValue: 0 })).toThrow(/monetary/);
  });
});

describe('gammaGammaExpectedSpend', () => {
  it('weighs the population mean pγ/(q − 1) against the own mean by px/(px + q − 1)', () => {
    const { p, q, gamma } = PUBLISHED;
    const populationMean = (p * gamma) / (q - 1);
    expect(gammaGammaExpectedSpend(PUBLISHED, 0, 0)).toBeCloseTo(populationMean, 12);
    // (γ + m x) p / (p x + q − 1), the form of Fader, Hardie & Lee (2005).
    expect(gammaGammaExpectedSpend(PUBLISHED, 2, 22.35)).toBeCloseTo(
      ((gamma + 22.35 * 2) * p) / (p * 2 + q - 1),
      12,
    );
  });

  it('lies between the population mean and the own mean, nearer the own mean the more one bought', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.double({ min: 0.01, max: 1e4, noNaN: true }),
        (frequency, mean) => {
          const populationMean = (PUBLISHED.p * PUBLISHED.gamma) / (PUBLISHED.q - 1);
          const expected = gammaGammaExpectedSpend(PUBLISHED, frequency, mean);
          expect(expected).toBeGreaterThanOrEqual(Math.min(populationMean, mean) * (1 - 1e-12));
          expect(expected).toBeLessThanOrEqual(Math.max(populationMean, mean) * (1 + 1e-12));
          const more = gammaGammaExpectedSpend(PUBLISHED, frequency + 1, mean);
          expect(Math.abs(more - mean)).toBeLessThanOrEqual(Math.abs(expected - mean) + 1e-9);
        },
      ),
    );
  });

  it('refuses q ≤ 1, where the mean spend is infinite', () => {
    expect(() => gammaGammaExpectedSpend({ ...PUBLISHED, q: 1 }, 2, 10)).toThrow(/q ≤ 1/);
  });
});

/** Gamma(shape, rate) by Marsaglia & Tsang (2000), with the shape < 1 boost. */
function sampleGamma(uniform: () => number, shape: number, rate: number): number {
  if (shape < 1) return sampleGamma(uniform, shape + 1, rate) * uniform() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const normal = Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
    const v = (1 + c * normal) ** 3;
    if (v > 0 && Math.log(1 - uniform()) < 0.5 * normal * normal + d - d * v + d * Math.log(v))
      return (d * v) / rate;
  }
}

/** Repeat buyers drawn from the model itself: ν ~ Gamma(q, γ), each purchase ~ Gamma(p, ν). */
function simulateSpends(count: number, { p, q, gamma }: typeof PUBLISHED, seed: number) {
  const uniform = createRandom(seed);
  return Array.from({ length: count }, () => {
    const scale = sampleGamma(uniform, q, gamma);
    const frequency = 1 + Math.floor(uniform() * 8);
    let total = 0;
    for (let i = 0; i < frequency; i++) total += sampleGamma(uniform, p, scale);
    return { frequency, monetaryValue: total / frequency };
  });
}

describe('fitGammaGamma', () => {
  const spends = simulateSpends(300, PUBLISHED, 7);

  it('recovers the parameters of customers drawn from the model', () => {
    // With 5,000 customers p̂ varies by about 8 % from seed to seed (seeds 1, 2, 3, 42 gave 6.85, 6.27, 6.85,
    // 5.62), the mean spend pγ/(q − 1) by about 1 %: tolerances of some 2.5 standard errors.
    const fit = fitGammaGamma(simulateSpends(5000, PUBLISHED, 42));
    expect(fit.converged).toBe(true);
    expectRelative(fit.p, PUBLISHED.p, 0.2);
    expectRelative(
      (fit.p * fit.gamma) / (fit.q - 1),
      (PUBLISHED.p * PUBLISHED.gamma) / (PUBLISHED.q - 1),
      0.03,
    );
  });

  it('reports no convergence where the likelihood has no maximum (no spread between customers)', () => {
    const alike = [1, 2, 3, 4].map((frequency) => ({ frequency, monetaryValue: 20 }));
    expect(fitGammaGamma(alike).converged).toBe(false);
  });

  it('treats a weight as that many identical customers', () => {
    const weighted = spends.map((spend, index) => ({ ...spend, weight: (index % 2) + 1 }));
    const repeated = weighted.flatMap(({ weight, ...spend }) => Array.from({ length: weight }, () => spend));
    const fromWeights = fitGammaGamma(weighted);
    const fromRepeats = fitGammaGamma(repeated);
    for (const key of ['p', 'q', 'gamma', 'logLikelihood'] as const) {
      expectRelative(fromWeights[key], fromRepeats[key], 1e-6);
    }
  });

  it('returns the log-likelihood at its estimates, and no neighbour does better', () => {
    const fit = fitGammaGamma(spends);
    expect(fit.converged).toBe(true);
    const sum = (parameters: typeof fit) =>
      spends.reduce((total, spend) => total + gammaGammaLogLikelihood(parameters, spend), 0);
    expect(fit.logLikelihood).toBeCloseTo(sum(fit), 9);
    for (const key of ['p', 'q', 'gamma'] as const) {
      for (const factor of [0.99, 1.01])
        expect(sum({ ...fit, [key]: fit[key] * factor })).toBeLessThan(fit.logLikelihood);
    }
  });

  it('names the row of a customer without repeat purchases', () => {
    expect(() => fitGammaGamma([...spends, { frequency: 0, monetaryValue: 0 }])).toThrow(/spend history 300/);
    expect(() => fitGammaGamma([])).toThrow(RangeError);
  });
});
