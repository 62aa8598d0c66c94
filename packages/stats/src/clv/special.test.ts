import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hypergeometric2F1, logAddExp, logBeta, logGamma, logHypergeometric2F1 } from './special';

/** |actual − expected| ≤ tolerance · |expected| (or ≤ tolerance when expected is 0). */
function expectRelative(actual: number, expected: number, tolerance: number): void {
  const error = Math.abs(actual - expected) / (expected === 0 ? 1 : Math.abs(expected));
  expect(error, `${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}

// Reference values: mpmath 1.3 at 40 significant digits (mp.loggamma, mp.beta, mp.hyp2f1), rounded to
// doubles.
describe('logGamma', () => {
  it.each([
    [1e-8, 18.42068073818021],
    [0.1, 2.252712651734206],
    [0.5, 0.5723649429247001],
    [0.9, 0.06637623973474296],
    [1 - 2 ** -20, 5.504765026737053e-7],
    [1 + 2 ** -24, -3.440473174325698e-8],
    [1.05, -0.02685307250226017],
    [1.5, -0.12078223763524522],
    [1.95, -0.020324499149577638],
    [2 - 2 ** -30, -3.9374859519130207e-10],
    [2.1, 0.045437738544485136],
    [3.7, 1.4280723266653879],
    [10, 12.801827480081469],
    [33.3, 82.60372358165495],
    [100, 359.1342053695754],
    [1e6, 12815504.569147611],
    [1e12, 26631021115915.652],
  ])('ln Γ(%f) = %f to 1e-13 relative, also beside the zeros at 1 and 2', (x, expected) => {
    expectRelative(logGamma(x), expected, 1e-13);
  });

  it('is exactly 0 at 1 and 2 and ln((n − 1)!) at whole numbers', () => {
    expect(logGamma(1)).toBe(0);
    expect(logGamma(2)).toBe(0);
    expectRelative(logGamma(5), Math.log(24), 1e-15);
    expectRelative(logGamma(21), Math.log(2432902008176640000), 1e-15);
  });

  it('satisfies ln Γ(x + 1) = ln Γ(x) + ln x', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1e4, noNaN: true }), (x) => {
        const left = logGamma(x + 1);
        const right = logGamma(x) + Math.log(x);
        expect(Math.abs(left - right)).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(logGamma(x))));
      }),
    );
  });

  it.each([0, -1, -0.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses %f', (x) => {
    expect(() => logGamma(x)).toThrow(RangeError);
  });
});

describe('logBeta', () => {
  it.each([
    [0.793, 2.426, -0.5115692885937032],
    [12, 15, -18.568172732389435],
    [3000, 2.5, -19.731860909807196],
    [1e6, 0.5, -6.335390211057437],
    [0.01, 100, 4.553477757023141],
  ])('ln B(%f, %f) = %f to 1e-13 relative, also with one large argument', (a, b, expected) => {
    expectRelative(logBeta(a, b), expected, 1e-13);
  });

  it('is symmetric and gives B(1, b) = 1/b', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 500, noNaN: true }),
        fc.double({ min: 0.01, max: 500, noNaN: true }),
        (a, b) => {
          expect(logBeta(a, b)).toBe(logBeta(b, a));
          expectRelative(logBeta(1, b), -Math.log(b), 1e-12);
        },
      ),
    );
  });

  it('refuses non-positive arguments', () => {
    expect(() => logBeta(0, 1)).toThrow(RangeError);
    expect(() => logBeta(1, Number.NaN)).toThrow(RangeError);
  });
});

describe('logAddExp', () => {
  it('adds in log space without overflow', () => {
    expect(logAddExp(1000, 1000)).toBeCloseTo(1000 + Math.LN2, 12);
    expect(logAddExp(Number.NEGATIVE_INFINITY, 3)).toBe(3);
    expect(logAddExp(Math.log(2), Math.log(3))).toBeCloseTo(Math.log(5), 14);
  });
});

describe('hypergeometric2F1', () => {
  const z = fc.double({ min: 0, max: 0.95, noNaN: true });
  const positive = fc.double({ min: 0.05, max: 20, noNaN: true });

  it('matches the closed form 2F1(1, 1; 2; z) = −ln(1 − z)/z', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 0.99, noNaN: true }), (value) => {
        expectRelative(hypergeometric2F1(1, 1, 2, value), -Math.log1p(-value) / value, 1e-12);
      }),
    );
  });

  it('matches the closed form 2F1(a, b; b; z) = (1 − z)^−a', () => {
    fc.assert(
      fc.property(positive, positive, z, (a, b, value) => {
        expectRelative(hypergeometric2F1(a, b, b, value), (1 - value) ** -a, 1e-11);
      }),
    );
  });

  it('matches 2F1(½, 1; 3/2; −x²) = arctan(x)/x for negative z', () => {
    for (const x of [0.1, 0.5, 0.9]) {
      expectRelative(hypergeometric2F1(0.5, 1, 1.5, -x * x), Math.atan(x) / x, 1e-13);
    }
  });

  it('is symmetric in a and b and is 1 at z = 0', () => {
    fc.assert(
      fc.property(positive, positive, positive, z, (a, b, c, value) => {
        expectRelative(hypergeometric2F1(a, b, c, value), hypergeometric2F1(b, a, c, value), 1e-13);
        expect(hypergeometric2F1(a, b, c, 0)).toBe(1);
      }),
    );
  });

  it('is a polynomial when a is a non-positive integer', () => {
    const [b, c, value] = [2.5, 3.25, 0.7];
    const polynomial = 1 - (2 * b * value) / c + (b * (b + 1) * value * value) / (c * (c + 1));
    expectRelative(hypergeometric2F1(-2, b, c, value), polynomial, 1e-14);
  });

  it.each([
    // a, b, c, z, 2F1 (mpmath)
    [0.243, 2.426, 0.793 + 2.426 - 1, 0.9, 1.9476311698186013],
    [2.243, 4.426, 0.793 + 2.426 + 1, 39 / (4.414 + 38.86 + 39), 4.575315897643689],
    [0.5, 1.5, 2.5, -0.7, 0.8447658818688253],
    [0.3, 0.4, -0.5, 0.6, 0.36938811709553654],
    [0.3, 0.4, -0.5, 0.95, -14.92710478525958],
  ])('2F1(%f, %f; %f; %f) = %f', (a, b, c, value, expected) => {
    expectRelative(hypergeometric2F1(a, b, c, value), expected, 1e-12);
  });

  it('keeps parameters in the hundreds in log space, where the value exceeds any double', () => {
    const moderate = logHypergeometric2F1(500.5, 480.25, 900.75, 0.8);
    expectRelative(moderate.logAbsolute, 360.10340474341905, 1e-12);
    const large = logHypergeometric2F1(1000.5, 980.25, 1200.75, 0.8);
    expect(large.sign).toBe(1);
    expectRelative(large.logAbsolute, 1289.6057827996597, 1e-12);
    expect(() => hypergeometric2F1(1000.5, 980.25, 1200.75, 0.8)).toThrow(/overflows/);
    const negative = logHypergeometric2F1(0.3, 0.4, -0.5, 0.95);
    expect(negative.sign).toBe(-1);
    expectRelative(negative.logAbsolute, Math.log(14.92710478525958), 1e-12);
  });

  it('says so with a RangeError where the series does not converge or is undefined', () => {
    expect(() => hypergeometric2F1(1, 1, 2, 1)).toThrow(RangeError);
    expect(() => hypergeometric2F1(1, 1, 2, -1)).toThrow(RangeError);
    expect(() => hypergeometric2F1(1, 1, 2, 1.5)).toThrow(RangeError);
    expect(() => hypergeometric2F1(1, 1, 0, 0.5)).toThrow(/undefined/);
    expect(() => hypergeometric2F1(1, 1, -3, 0.5)).toThrow(/undefined/);
    expect(() => hypergeometric2F1(1, 1, 2, Number.NaN)).toThrow(RangeError);
    expect(() => hypergeometric2F1(1, 1, 2, 1 - 1e-9)).toThrow(/did not converge/);
    expect(() => hypergeometric2F1(1, 1, 2, 0.99, { maxTerms: 100 })).toThrow(/did not converge within 100/);
  });
});
