import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bgNbdConditionalExpectedPurchases,
  bgNbdExpectedPurchases,
  bgNbdLogLikelihood,
  bgNbdProbabilityAlive,
  fitBgNbd,
} from './bgnbd';

/** The CDNOW estimates of Fader, Hardie & Lee (2005), weeks. */
const PUBLISHED = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

function expectRelative(actual: number, expected: number, tolerance: number): void {
  expect(Math.abs(actual - expected) / Math.abs(expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(
    tolerance,
  );
}

// Reference values below: the paper's formulas evaluated with mpmath 1.3 at 30 digits (mp.hyp2f1,
// mp.loggamma).
describe('bgNbdLogLikelihood', () => {
  it.each([
    [0, 0, 38.86, -0.5547132764381585],
    [2, 30.43, 38.86, -9.45860630706627],
    [300, 250, 260, -263.1999545253849],
    [5000, 3000, 3650, -2472.2297415013286],
  ])('x=%i, tₓ=%f, T=%f → %f', (frequency, recency, age, expected) => {
    expectRelative(bgNbdLogLikelihood(PUBLISHED, { frequency, recency, age }), expected, 1e-12);
  });

  it('stays finite for large histories, where Γ(r + x) and (α + T)^(r + x) overflow', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        (frequency, share, age) => {
          const recency = frequency === 0 ? 0 : share * age;
          expect(Number.isFinite(bgNbdLogLikelihood(PUBLISHED, { frequency, recency, age }))).toBe(true);
        },
      ),
    );
  });

  it('refuses impossible histories and parameters', () => {
    expect(() => bgNbdLogLikelihood(PUBLISHED, { frequency: 1, recency: 5, age: 4 })).toThrow(/recency/);
    expect(() => bgNbdLogLikelihood(PUBLISHED, { frequency: -1, recency: 0, age: 4 })).toThrow(/frequency/);
    expect(() => bgNbdLogLikelihood(PUBLISHED, { frequency: 1, recency: 1, age: Number.NaN })).toThrow(/age/);
    expect(() => bgNbdLogLikelihood({ ...PUBLISHED, a: 0 }, { frequency: 1, recency: 1, age: 2 })).toThrow(
      /parameters/,
    );
  });
});

describe('bgNbdProbabilityAlive', () => {
  it.each([
    [2, 30.43, 38.86, 0.726578570080673],
    [1, 1.71, 38.86, 0.2121009853773791],
    [10, 20, 38.86, 0.03934595881119779],
    [300, 250, 260, 0.0035584323682883254],
  ])('x=%i, tₓ=%f, T=%f → %f', (frequency, recency, age, expected) => {
    expectRelative(bgNbdProbabilityAlive(PUBLISHED, { frequency, recency, age }), expected, 1e-12);
  });

  it('lies in [0, 1], and is 1 without repeat purchases', () => {
    const positive = fc.double({ min: 1e-3, max: 1e3, noNaN: true });
    fc.assert(
      fc.property(
        fc.record({ r: positive, alpha: positive, a: positive, b: positive }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1e5, noNaN: true }),
        (parameters, frequency, share, age) => {
          const alive = bgNbdProbabilityAlive(parameters, { frequency, recency: share * age, age });
          expect(alive).toBeGreaterThanOrEqual(0);
          expect(alive).toBeLessThanOrEqual(1);
          if (frequency === 0) expect(alive).toBe(1);
        },
      ),
    );
  });

  it('is 1 / (1 + a/(b + x − 1)) when the last purchase was at the very end', () => {
    expect(bgNbdProbabilityAlive(PUBLISHED, { frequency: 4, recency: 30, age: 30 })).toBeCloseTo(
      1 / (1 + PUBLISHED.a / (PUBLISHED.b + 3)),
      14,
    );
  });
});

describe('bgNbdExpectedPurchases', () => {
  it.each([
    [1, 0.05326789117165828],
    [39, 1.196723193320817],
    [78, 1.8605190579427684],
  ])('E[X(%f)] = %f', (horizon, expected) => {
    expectRelative(bgNbdExpectedPurchases(PUBLISHED, horizon), expected, 1e-12);
  });

  it('starts at rate r/α (everyone alive at first), and is 0 at t = 0', () => {
    expect(bgNbdExpectedPurchases(PUBLISHED, 0)).toBe(0);
    expectRelative(bgNbdExpectedPurchases(PUBLISHED, 1e-7) / 1e-7, PUBLISHED.r / PUBLISHED.alpha, 1e-6);
  });

  it('works for a > 1 and for a + b < 1 (where the 2F1 is negative)', () => {
    const heavy = { r: 2, alpha: 10, a: 3, b: 5 };
    expectRelative(bgNbdExpectedPurchases(heavy, 1e-7) / 1e-7, 0.2, 1e-6);
    const fickle = { r: 1, alpha: 2, a: 0.3, b: 0.4 };
    expectRelative(bgNbdExpectedPurchases(fickle, 1e-7) / 1e-7, 0.5, 1e-6);
    expect(bgNbdExpectedPurchases(fickle, 20)).toBeGreaterThan(bgNbdExpectedPurchases(fickle, 10));
  });

  it('refuses a negative horizon and the undefined a = 1', () => {
    expect(() => bgNbdExpectedPurchases(PUBLISHED, -1)).toThrow(RangeError);
    expect(() => bgNbdExpectedPurchases({ ...PUBLISHED, a: 1 }, 10)).toThrow(/a = 1/);
  });
});

describe('bgNbdConditionalExpectedPurchases', () => {
  it.each([
    [2, 30.43, 38.86, 39, 1.2260281747671444],
    [0, 0, 38.86, 39, 0.19509805201126265],
    [10, 20, 38.86, 39, 0.28634123458648336],
    [300, 250, 260, 52, 0.19550956110988588],
  ])('x=%i, tₓ=%f, T=%f over %f → %f', (frequency, recency, age, horizon, expected) => {
    const value = bgNbdConditionalExpectedPurchases(PUBLISHED, { frequency, recency, age }, horizon);
    expectRelative(value, expected, 1e-11);
  });

  it('is E[X(t)] for a customer who has just arrived', () => {
    const history = { frequency: 0, recency: 0, age: 0 };
    expectRelative(
      bgNbdConditionalExpectedPurchases(PUBLISHED, history, 39),
      bgNbdExpectedPurchases(PUBLISHED, 39),
      1e-14,
    );
  });

  it('starts at P(alive) · (r + x)/(α + T), the posterior mean rate of those alive', () => {
    const history = { frequency: 5, recency: 20, age: 38 };
    const slope = bgNbdConditionalExpectedPurchases(PUBLISHED, history, 1e-7) / 1e-7;
    const expected = (bgNbdProbabilityAlive(PUBLISHED, history) * (PUBLISHED.r + 5)) / (PUBLISHED.alpha + 38);
    expectRelative(slope, expected, 1e-6);
  });

  it('is finite, ≥ 0 and grows with the horizon', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 200 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 1, max: 500, noNaN: true }),
        fc.double({ min: 0.1, max: 100, noNaN: true }),
        (frequency, share, age, horizon) => {
          const history = { frequency, recency: frequency === 0 ? 0 : share * age, age };
          const shorter = bgNbdConditionalExpectedPurchases(PUBLISHED, history, horizon);
          const longer = bgNbdConditionalExpectedPurchases(PUBLISHED, history, 2 * horizon);
          expect(Number.isFinite(shorter)).toBe(true);
          expect(shorter).toBeGreaterThanOrEqual(0);
          expect(longer).toBeGreaterThanOrEqual(shorter);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('fitBgNbd', () => {
  const histories = [
    { frequency: 0, recency: 0, age: 30 },
    { frequency: 0, recency: 0, age: 20 },
    { frequency: 1, recency: 5, age: 30 },
    { frequency: 3, recency: 25, age: 28 },
    { frequency: 2, recency: 10, age: 35 },
    { frequency: 6, recency: 18, age: 19 },
    { frequency: 1, recency: 2, age: 12 },
    { frequency: 0, recency: 0, age: 8 },
  ];

  it('treats a weight as that many identical customers', () => {
    const weighted = histories.map((history, index) => ({ ...history, weight: (index % 3) + 1 }));
    const repeated = weighted.flatMap(({ weight, ...history }) =>
      Array.from({ length: weight }, () => history),
    );
    const fromWeights = fitBgNbd(weighted);
    const fromRepeats = fitBgNbd(repeated);
    expect(fromWeights).toEqual(fromRepeats);
    expect(fromWeights.converged).toBe(true);
  });

  it('returns the log-likelihood at its estimates, and no neighbour does better', () => {
    const fit = fitBgNbd(histories);
    const sum = (parameters: typeof fit) =>
      histories.reduce((total, history) => total + bgNbdLogLikelihood(parameters, history), 0);
    expect(fit.logLikelihood).toBeCloseTo(sum(fit), 9);
    for (const key of ['r', 'alpha', 'a', 'b'] as const) {
      for (const factor of [0.99, 1.01]) {
        expect(sum({ ...fit, [key]: fit[key] * factor })).toBeLessThan(fit.logLikelihood);
      }
    }
  });

  it('names the row of an invalid history', () => {
    expect(() => fitBgNbd([...histories, { frequency: 2, recency: 9, age: 3 }])).toThrow(/history 8/);
    expect(() => fitBgNbd([{ ...histories[0]!, weight: -1 }])).toThrow(/history 0: weight/);
    expect(() => fitBgNbd([])).toThrow(RangeError);
  });
});
