/**
 * Special functions the lifetime-value models need: log-gamma, log-beta and the Gauss hypergeometric function
 * 2F1. All work in log space where the models' numbers would overflow (a customer with 300 purchases has
 * Γ(r + 300) far beyond the largest double).
 */

/** Euler–Mascheroni constant γ. */
const EULER_GAMMA = 0.5772156649015329;
const HALF_LOG_TWO_PI = 0.9189385332046728;

/**
 * ζ(k) − 1 for k = 2 … 13 (Abramowitz & Stegun, Table 23.3; the nearest doubles to mpmath's 40-digit values).
 */
const ZETA_MINUS_ONE: readonly number[] = [
  0.6449340668482264, 0.2020569031595943, 0.08232323371113819, 0.03692775514336993, 0.01734306198444914,
  0.008349277381922827, 0.004077356197944339, 0.0020083928260822143, 0.0009945751278180853,
  0.0004941886041194646, 0.0002460865533080483, 0.00012271334757848915,
];

/** Stirling-series coefficients B₂ₖ / (2k(2k − 1)) for k = 1 … 7 (Abramowitz & Stegun 6.1.40). */
const STIRLING: readonly number[] = [1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188, -691 / 360360, 1 / 156];

/**
 * ln Γ(1 + ε) for |ε| ≤ 0.1 by its power series (Abramowitz & Stegun 6.1.33). Near the zeros of ln Γ at 1 and
 * 2 this keeps the relative error at rounding level, which no formula subtracting two numbers near 13 can.
 */
function logGammaOnePlus(epsilon: number): number {
  let sum = 0;
  let power = -epsilon;
  for (let k = 2; k <= 13; k++) {
    power *= -epsilon;
    sum += (ZETA_MINUS_ONE[k - 2]! * power) / k;
  }
  return -Math.log1p(epsilon) + epsilon * (1 - EULER_GAMMA) + sum;
}

/**
 * The Stirling-series correction ln Γ(x) − ((x − ½) ln x − x + ½ ln 2π) for x ≥ 10; first omitted term <
 * 3e-17.
 */
function stirlingCorrection(x: number): number {
  const inverseSquare = 1 / (x * x);
  let series = 0;
  for (let k = STIRLING.length - 1; k >= 0; k--) series = series * inverseSquare + STIRLING[k]!;
  return series / x;
}

function logGammaStirling(x: number): number {
  return (x - 0.5) * Math.log(x) - x + HALF_LOG_TWO_PI + stirlingCorrection(x);
}

/**
 * ln Γ(x) for x > 0, to about 1e-13 relative (also next to the zeros at 1 and 2). Stirling's series from 10
 * up, the recurrence Γ(x) = Γ(x + n) / (x (x + 1) … (x + n − 1)) below, and a power series around 1 and 2.
 */
export function logGamma(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) throw new RangeError(`logGamma needs a finite x > 0, got ${x}`);
  if (x < 0.1) return logGammaOnePlus(x) - Math.log(x);
  if (Math.abs(x - 1) <= 0.1) return logGammaOnePlus(x - 1);
  if (Math.abs(x - 2) <= 0.1) return logGammaOnePlus(x - 2) + Math.log1p(x - 2);
  if (x >= 10) return logGammaStirling(x);
  let product = 1;
  let shifted = x;
  while (shifted < 10) {
    product *= shifted;
    shifted += 1;
  }
  return logGammaStirling(shifted) - Math.log(product);
}

/**
 * ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b), for a, b > 0. When the larger argument is 10 or more, ln
 * Γ(large) − ln Γ(large + small) is taken from the Stirling series as one difference, so B(10⁶, ½) keeps full
 * precision instead of losing six digits to the cancellation of two numbers near 1.3e7.
 */
export function logBeta(a: number, b: number): number {
  const large = Math.max(a, b);
  const small = Math.min(a, b);
  if (!(small > 0) || !Number.isFinite(large)) {
    throw new RangeError(`logBeta needs finite a, b > 0, got a=${a}, b=${b}`);
  }
  if (large < 10) return logGamma(a) + logGamma(b) - logGamma(a + b);
  const sum = large + small;
  const difference =
    -(large - 0.5) * Math.log1p(small / large) -
    small * Math.log(sum) +
    small +
    stirlingCorrection(large) -
    stirlingCorrection(sum);
  return logGamma(small) + difference;
}

/** ln(eᵃ + eᵇ) without overflow. */
export function logAddExp(a: number, b: number): number {
  if (a === Number.NEGATIVE_INFINITY) return b;
  if (b === Number.NEGATIVE_INFINITY) return a;
  const larger = Math.max(a, b);
  return larger + Math.log1p(Math.exp(-Math.abs(a - b)));
}

/** A number as its sign and the logarithm of its magnitude, so that 1e400 and 1e-400 can be carried. */
export interface SignedLog {
  /** ln |value|; −Infinity for 0. */
  logAbsolute: number;
  sign: -1 | 0 | 1;
}

export interface HypergeometricOptions {
  /** Most terms to sum before giving up with a RangeError (default 200,000). */
  maxTerms?: number;
}

const RELATIVE_TOLERANCE = 1e-15;
const RESCALE_ABOVE = 1e200;

function isNonPositiveInteger(value: number): boolean {
  return value <= 0 && Number.isInteger(value);
}

/**
 * The Gauss hypergeometric function 2F1(a, b; c; z) = Σ (a)ₙ (b)ₙ / ((c)ₙ n!) zⁿ as sign and log-magnitude,
 * for real a, b, c (c not 0, −1, −2, …) and |z| < 1. Each term is the last one times its ratio; the running
 * sum is rescaled whenever it grows large, so parameters in the hundreds (a customer's purchase count) do not
 * overflow. Stops when a geometric bound on the rest of the series is below 1e-15 of the sum; throws a
 * RangeError for |z| ≥ 1 (the series diverges or converges too slowly to be summed) and when `maxTerms` would
 * not suffice.
 */
export function logHypergeometric2F1(
  a: number,
  b: number,
  c: number,
  z: number,
  options: HypergeometricOptions = {},
): SignedLog {
  const maxTerms = options.maxTerms ?? 200_000;
  if (![a, b, c, z].every(Number.isFinite)) {
    throw new RangeError(`2F1 needs finite arguments, got a=${a}, b=${b}, c=${c}, z=${z}`);
  }
  if (isNonPositiveInteger(c)) throw new RangeError(`2F1 is undefined for c = ${c} (0, −1, −2, …)`);
  if (!(Math.abs(z) < 1)) throw new RangeError(`2F1 series does not converge for |z| ≥ 1, got z = ${z}`);
  const absoluteZ = Math.abs(z);
  let logScale = 0;
  let term = 1;
  let sum = 1;
  let previousRatio = Number.POSITIVE_INFINITY;
  for (let n = 0; n < maxTerms; n++) {
    const ratio = ((a + n) * (b + n) * z) / ((c + n) * (n + 1));
    term *= ratio;
    sum += term;
    if (term === 0) return signedLogOf(sum, logScale);
    const absoluteRatio = Math.abs(ratio);
    // Later ratios stay below `bound` once they fall towards |z| or already sit below it.
    const isSettled = absoluteRatio <= absoluteZ || absoluteRatio <= previousRatio;
    const bound = Math.max(absoluteRatio, absoluteZ);
    if (
      isSettled &&
      bound < 1 &&
      (Math.abs(term) * bound) / (1 - bound) <= RELATIVE_TOLERANCE * Math.abs(sum)
    ) {
      return signedLogOf(sum, logScale);
    }
    previousRatio = absoluteRatio;
    const magnitude = Math.max(Math.abs(sum), Math.abs(term));
    if (magnitude > RESCALE_ABOVE) {
      sum /= magnitude;
      term /= magnitude;
      logScale += Math.log(magnitude);
    }
  }
  throw new RangeError(
    `2F1(${a}, ${b}; ${c}; ${z}) did not converge within ${maxTerms} terms ` +
      '(z is too close to 1 for these parameters)',
  );
}

function signedLogOf(sum: number, logScale: number): SignedLog {
  if (sum === 0) return { logAbsolute: Number.NEGATIVE_INFINITY, sign: 0 };
  return { logAbsolute: logScale + Math.log(Math.abs(sum)), sign: sum > 0 ? 1 : -1 };
}

/** 2F1(a, b; c; z) as a plain number (see logHypergeometric2F1); a RangeError if it overflows a double. */
export function hypergeometric2F1(
  a: number,
  b: number,
  c: number,
  z: number,
  options: HypergeometricOptions = {},
): number {
  const { logAbsolute, sign } = logHypergeometric2F1(a, b, c, z, options);
  const value = sign * Math.exp(logAbsolute);
  if (!Number.isFinite(value)) {
    throw new RangeError(`2F1(${a}, ${b}; ${c}; ${z}) overflows a double; use logHypergeometric2F1`);
  }
  return value;
}
