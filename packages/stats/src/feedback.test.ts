import { describe, expect, it } from 'vitest';
import { ces, cesOfMoments, csat, nps, npsOfCounts, responseRate, tCritical95, wilson } from './feedback';

// Every expected value below was worked out by hand from the formula cited in feedback.ts (z = 1.959964).

describe('wilson', () => {
  it.each([
    // successes, n, low, high
    [8, 10, 0.4902, 0.9433],
    [0, 10, 0, 0.2775],
    [10, 10, 0.7225, 1],
    [50, 100, 0.4038, 0.5962],
    [1, 3, 0.0615, 0.7923],
  ])('%i of %i → [%f, %f]', (successes, n, low, high) => {
    const interval = wilson(successes, n);
    expect(interval.estimate).toBeCloseTo(successes / n, 10);
    expect(interval.low).toBeCloseTo(low, 4);
    expect(interval.high).toBeCloseTo(high, 4);
  });

  it('says nothing for no answers, and refuses impossible counts', () => {
    expect(wilson(0, 0)).toEqual({ estimate: null, low: null, high: null, n: 0 });
    expect(() => wilson(3, 2)).toThrow(RangeError);
    expect(() => wilson(-1, 2)).toThrow(RangeError);
    expect(() => wilson(1.5, 2)).toThrow(RangeError);
  });
});

describe('csat', () => {
  it('counts 4 and 5 of a 1–5 scale as satisfied', () => {
    const score = csat([5, 4, 4, 3, 1, 5, 5, 2, 4, 5], '1-5');
    expect(score.answers).toBe(10);
    expect(score.satisfied).toBe(7);
    expect(score.estimate).toBeCloseTo(0.7, 10);
    // Wilson for 7 of 10.
    expect(score.low).toBeCloseTo(0.3968, 4);
    expect(score.high).toBeCloseTo(0.8922, 4);
  });

  it('counts good of good/bad as satisfied', () => {
    expect(csat(['good', 'bad', 'good'], 'good-bad')).toMatchObject({ answers: 3, satisfied: 2 });
  });

  it('refuses a score outside the scale', () => {
    expect(() => csat([6], '1-5')).toThrow(RangeError);
    expect(() => csat([0], '1-5')).toThrow(RangeError);
    expect(() => csat(['meh' as 'good'], 'good-bad')).toThrow(RangeError);
  });
});

describe('nps', () => {
  it('is % promoters − % detractors, with the adjusted-Wald interval', () => {
    const scores = [...Array(50).fill(10), ...Array(30).fill(8), ...Array(20).fill(3)];
    const score = nps(scores);
    expect(score).toMatchObject({ answers: 100, promoters: 50, passives: 30, detractors: 20 });
    expect(score.nps).toBeCloseTo(30, 10);
    // p' = 50.75/103, d' = 20.75/103, NPS' = 0.29126, var = (p' + d' − NPS'²)/103, ±1.96·0.07692.
    expect(score.low).toBeCloseTo(14.05, 1);
    expect(score.high).toBeCloseTo(44.2, 1);
  });

  it('keeps a three-answer week from looking like a triumph', () => {
    const score = nps([10, 10, 9]);
    expect(score.nps).toBe(100);
    expect(score.high).toBe(100);
    expect(score.low!).toBeLessThan(0);
  });

  it('sorts 9–10, 7–8 and 0–6, and refuses anything else', () => {
    expect(nps([9, 7, 6, 0, 10, 8])).toMatchObject({ promoters: 2, passives: 2, detractors: 2, nps: 0 });
    expect(() => nps([11])).toThrow(RangeError);
    expect(() => nps([7.5])).toThrow(RangeError);
    expect(nps([])).toMatchObject({ answers: 0, nps: null, low: null, high: null });
  });
});

describe('ces', () => {
  it('is the mean effort with a t interval, kept within the scale', () => {
    const score = ces([5, 6, 7, 4, 6]);
    expect(score.mean).toBeCloseTo(5.6, 10);
    // sd = √1.3 = 1.1402, se = 0.5099, t(4) = 2.7764.
    expect(score.low).toBeCloseTo(4.1843, 3);
    expect(score.high).toBe(7);
  });

  it('has no interval for a single answer', () => {
    expect(ces([3])).toMatchObject({ answers: 1, mean: 3, low: null, high: null });
    expect(() => ces([8])).toThrow(RangeError);
  });
});

describe('from aggregates', () => {
  it('npsOfCounts gives what nps gives for the same answers', () => {
    const scores = [...Array(50).fill(10), ...Array(30).fill(8), ...Array(20).fill(3)];
    expect(npsOfCounts({ promoters: 50, passives: 30, detractors: 20 })).toEqual(nps(scores));
    expect(() => npsOfCounts({ promoters: -1, passives: 0, detractors: 0 })).toThrow(RangeError);
  });

  it('cesOfMoments gives what ces gives for the same answers', () => {
    // mean 5.6, sample sd √1.3 (hand-checked above).
    const fromMoments = cesOfMoments({ n: 5, mean: 5.6, sd: Math.sqrt(1.3) });
    expect(fromMoments.low).toBeCloseTo(ces([5, 6, 7, 4, 6]).low!, 10);
    expect(fromMoments.high).toBe(7);
    expect(cesOfMoments({ n: 1, mean: 3, sd: null })).toMatchObject({ answers: 1, low: null });
    expect(cesOfMoments({ n: 0, mean: 0, sd: null })).toMatchObject({ answers: 0, mean: null });
  });
});

describe('tCritical95', () => {
  it.each([
    [1, 12.706],
    [4, 2.776],
    [10, 2.228],
    [30, 2.042],
    [45, 2.014],
    [1000, 1.962],
  ])('df %i → %f', (df, t) => {
    expect(tCritical95(df)).toBeCloseTo(t, 2);
  });
});

describe('responseRate', () => {
  it('is answered of sent with a Wilson interval', () => {
    const rate = responseRate(50, 100);
    expect(rate.estimate).toBe(0.5);
    expect(rate.low).toBeCloseTo(0.4038, 4);
  });
});
