import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calibrate, fitIsotonicRegression, fitPlattScaling, reliabilityCurve } from './calibration';
import { sigmoid } from './metrics';
import { createRandom } from './random';

const scoredRows = fc
  .array(fc.tuple(fc.double({ min: -6, max: 6, noNaN: true }), fc.integer({ min: 0, max: 1 })), {
    minLength: 2,
    maxLength: 80,
  })
  .map((rows) => ({ logOdds: rows.map(([score]) => score), labels: rows.map(([, label]) => label) }));

describe('fitPlattScaling', () => {
  it('recovers the slope and intercept of labels drawn from σ(2s + 1)', () => {
    const random = createRandom(1);
    const logOdds = Array.from({ length: 20_000 }, () => random() * 6 - 3);
    const labels = logOdds.map((score) => (random() < sigmoid(2 * score + 1) ? 1 : 0));
    const calibrator = fitPlattScaling(logOdds, labels);
    expect(calibrator).toMatchObject({ method: 'platt' });
    if (calibrator.method !== 'platt') return;
    expect(calibrator.slope).toBeCloseTo(2, 1);
    expect(calibrator.intercept).toBeCloseTo(1, 1);
  });

  it('gives probabilities in (0, 1) that rise with the log-odds when the model ranks well', () => {
    const logOdds = [-2, -1, -0.5, 0, 0.5, 1, 2, 3];
    const calibrator = fitPlattScaling(logOdds, [0, 0, 1, 0, 0, 1, 1, 1]);
    const probabilities = logOdds.map((score) => calibrate(calibrator, score));
    for (let i = 1; i < probabilities.length; i++)
      expect(probabilities[i]).toBeGreaterThan(probabilities[i - 1]!);
    for (const p of probabilities) expect(p > 0 && p < 1).toBe(true);
  });
});

describe('fitIsotonicRegression', () => {
  it('pools adjacent violators and interpolates between the pooled blocks', () => {
    const calibrator = fitIsotonicRegression([1, 2, 3, 4], [0, 1, 0, 1]);
    expect(calibrator).toEqual({ method: 'isotonic', logOdds: [1, 2.5, 4], probabilities: [0, 0.5, 1] });
    expect(calibrate(calibrator, 2)).toBeCloseTo(1 / 3, 12);
    expect(calibrate(calibrator, -10)).toBe(0);
    expect(calibrate(calibrator, 10)).toBe(1);
  });

  it('is monotone and keeps equal inputs together, whatever the data', () => {
    fc.assert(
      fc.property(
        scoredRows,
        fc.array(fc.double({ min: -8, max: 8, noNaN: true }), { minLength: 2 }),
        (data, grid) => {
          const calibrator = fitIsotonicRegression(data.logOdds, data.labels);
          const sorted = [...grid].sort((a, b) => a - b);
          const outputs = sorted.map((score) => calibrate(calibrator, score));
          for (let i = 1; i < outputs.length; i++)
            expect(outputs[i]).toBeGreaterThanOrEqual(outputs[i - 1]! - 1e-12);
          if (calibrator.method !== 'isotonic') return;
          for (let i = 1; i < calibrator.logOdds.length; i++) {
            expect(calibrator.logOdds[i]).toBeGreaterThan(calibrator.logOdds[i - 1]!);
            expect(calibrator.probabilities[i]).toBeGreaterThan(calibrator.probabilities[i - 1]!);
          }
        },
      ),
    );
  });
});

describe('reliabilityCurve', () => {
  it('bins predictions by probability and reports observed rates', () => {
    const curve = reliabilityCurve([0.05, 0.15, 0.12, 1, 0.95], [0, 1, 0, 1, 1], 10);
    expect(curve).toHaveLength(10);
    expect(curve[0]).toEqual({ lower: 0, upper: 0.1, count: 1, meanPredicted: 0.05, observedRate: 0 });
    expect(curve[1]).toMatchObject({ count: 2, observedRate: 0.5 });
    expect(curve[1]!.meanPredicted).toBeCloseTo(0.135, 12);
    expect(curve[5]).toEqual({ lower: 0.5, upper: 0.6, count: 0, meanPredicted: null, observedRate: null });
    expect(curve[9]).toMatchObject({ count: 2, meanPredicted: 0.975, observedRate: 1 });
  });

  it('counts every row exactly once', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 1 }))),
        fc.integer({ min: 1, max: 20 }),
        (rows, bins) => {
          const curve = reliabilityCurve(
            rows.map(([p]) => p),
            rows.map(([, label]) => label),
            bins,
          );
          expect(curve.reduce((sum, bin) => sum + bin.count, 0)).toBe(rows.length);
        },
      ),
    );
  });
});
