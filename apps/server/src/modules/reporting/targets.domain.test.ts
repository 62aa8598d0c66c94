import { describe, expect, it } from 'vitest';
import {
  alertStep,
  evaluateTarget,
  forecastMethodOf,
  periodBounds,
  type TargetInput,
  targetUnitOf,
  thresholdProblem,
} from './targets.domain';

const DAY = 86_400_000;
// March 2026 in UTC: 31 days.
const march = { start: Date.parse('2026-03-01T00:00:00Z'), end: Date.parse('2026-04-01T00:00:00Z') };
const at = (iso: string) => Date.parse(iso);

function target(overrides: Partial<TargetInput>): TargetInput {
  return {
    comparison: 'at_least',
    threshold: 90,
    method: 'level',
    unit: 'percent',
    ...march,
    now: at('2026-03-16T00:00:00Z'),
    value: null,
    samples: 0,
    ...overrides,
  };
}

describe('periodBounds', () => {
  it('finds the calendar month, ISO week and quarter holding an instant, in the time zone', () => {
    const now = at('2026-03-31T23:30:00Z'); // already April 1st in Berlin
    expect(periodBounds('month', 'UTC', now)).toEqual(march);
    expect(periodBounds('month', 'Europe/Berlin', now)).toEqual({
      start: at('2026-03-31T22:00:00Z'),
      end: at('2026-04-30T22:00:00Z'),
    });
    expect(periodBounds('week', 'UTC', at('2026-03-04T12:00:00Z'))).toEqual({
      start: at('2026-03-02T00:00:00Z'),
      end: at('2026-03-09T00:00:00Z'),
    });
    expect(periodBounds('quarter', 'UTC', at('2026-02-10T00:00:00Z'))).toEqual({
      start: at('2026-01-01T00:00:00Z'),
      end: at('2026-04-01T00:00:00Z'),
    });
  });
});

describe('forecastMethodOf and units', () => {
  it('accumulates counts and sums, reads rates, medians and scores as levels, backlog as a snapshot', () => {
    expect(forecastMethodOf('tickets_solved', 'count')).toBe('accumulate');
    expect(forecastMethodOf('first_response_time', 'count')).toBe('accumulate');
    expect(forecastMethodOf('first_response_time', 'sum')).toBe('accumulate');
    expect(forecastMethodOf('tickets_per_agent', 'avg')).toBe('accumulate');
    expect(forecastMethodOf('first_response_time', 'median')).toBe('level');
    expect(forecastMethodOf('csat', 'rate')).toBe('level');
    expect(forecastMethodOf('nps', 'score')).toBe('level');
    expect(forecastMethodOf('backlog', 'count')).toBe('snapshot');
  });

  it('gives thresholds the unit of the metric query', () => {
    expect(targetUnitOf('csat', 'rate')).toBe('percent');
    expect(targetUnitOf('first_response_time', 'median')).toBe('minutes');
    expect(targetUnitOf('first_response_time', 'count')).toBe('number');
    expect(targetUnitOf('tickets_solved', 'count')).toBe('tickets');
    expect(targetUnitOf('nps', 'score')).toBe('score');
    expect(targetUnitOf('ces', 'avg')).toBe('number');
  });

  it('reads agent utilisation in percent, as the metric query answers it', () => {
    expect(targetUnitOf('agent_utilisation', 'rate')).toBe('percent');
  });

  it('takes scores from −100 to 100, percents from 0 to 100, counts and times from 0', () => {
    expect(thresholdProblem('csat', 'rate', 101)).toMatch(/100/);
    expect(thresholdProblem('csat', 'rate', -1)).toMatch(/0/);
    expect(thresholdProblem('agent_utilisation', 'rate', 120)).toMatch(/100/);
    expect(thresholdProblem('nps', 'score', 120)).toMatch(/100/);
    expect(thresholdProblem('nps', 'score', -101)).toMatch(/-100/);
    expect(thresholdProblem('nps', 'score', -10)).toBeNull();
    expect(thresholdProblem('nps', 'score', -100)).toBeNull();
    expect(thresholdProblem('nps', 'count', -1)).toMatch(/negative/);
    expect(thresholdProblem('tickets_solved', 'count', -1)).toMatch(/negative/);
    expect(thresholdProblem('first_response_time', 'median', -5)).toMatch(/negative/);
    expect(thresholdProblem('tickets_solved', 'count', Number.NaN)).toMatch(/number/);
    expect(thresholdProblem('csat', 'rate', 100)).toBeNull();
    expect(thresholdProblem('csat', 'rate', 0)).toBeNull();
    expect(thresholdProblem('tickets_solved', 'count', 5000)).toBeNull();
  });
});

describe('evaluateTarget: counts extrapolate the run rate', () => {
  it('forecasts sum + rate × remaining days and is off track when that falls short', () => {
    // 15 days elapsed, 200 solved: 13.33/day × 16 days left = 213.33 more → 413.33 < 500.
    const result = evaluateTarget(target({ method: 'accumulate', threshold: 500, value: 200, samples: 200 }));
    expect(result.elapsed).toBeCloseTo(15 / 31, 4);
    expect(result.forecast).toBeCloseTo(413.33, 2);
    expect(result.ratio).toBeCloseTo(0.4, 6);
    expect(result.met).toBe(false);
    expect(result.status).toBe('off_track');
  });

  it('turns on track when the forecast crosses the threshold', () => {
    // 250 in 15 days: 16.67/day × 16 = 266.67 more → 516.67 ≥ 500 and ≥ 525? no → at risk; 260 → 537.33 on track.
    const near = evaluateTarget(target({ method: 'accumulate', threshold: 500, value: 250, samples: 250 }));
    expect(near.forecast).toBeCloseTo(516.67, 2);
    expect(near.status).toBe('at_risk');
    const clear = evaluateTarget(target({ method: 'accumulate', threshold: 500, value: 260, samples: 260 }));
    expect(clear.forecast).toBeCloseTo(537.33, 2);
    expect(clear.status).toBe('on_track');
  });

  it('is met on day 1 when the count already reached the threshold', () => {
    const result = evaluateTarget(
      target({
        method: 'accumulate',
        threshold: 10,
        value: 12,
        samples: 12,
        now: at('2026-03-01T10:00:00Z'),
      }),
    );
    expect(result.status).toBe('met');
    expect(result.met).toBe(true);
  });

  it('has no data when the count could not be read at all (not a count of 0)', () => {
    const result = evaluateTarget(target({ method: 'accumulate', threshold: 500, value: null }));
    expect(result).toMatchObject({ status: 'no_data', forecast: null });
  });

  it('does not judge a count during its first day, but an at-most count already over is off track', () => {
    const early = evaluateTarget(
      target({ method: 'accumulate', threshold: 500, value: 3, samples: 3, now: march.start + DAY / 4 }),
    );
    expect(early.status).toBe('no_data');
    // The rate uses at least one day: 3 + 3 × 30.75 days left.
    expect(early.forecast).toBeCloseTo(95.25, 2);
    const over = evaluateTarget(
      target({
        method: 'accumulate',
        comparison: 'at_most',
        threshold: 2,
        value: 3,
        samples: 3,
        now: march.start + DAY / 4,
      }),
    );
    expect(over.status).toBe('off_track');
  });
});

describe('evaluateTarget: rates, medians and scores forecast the value so far', () => {
  it('is on track, at risk within 5 % of the threshold, or off track', () => {
    const on = evaluateTarget(target({ value: 96, samples: 40 }));
    expect(on.forecast).toBe(96);
    expect(on.status).toBe('on_track');
    expect(evaluateTarget(target({ value: 94, samples: 40 })).status).toBe('at_risk'); // 94 < 94.5
    expect(evaluateTarget(target({ value: 89.9, samples: 40 })).status).toBe('off_track');
  });

  it('reads lower-is-better times with the margin below the threshold', () => {
    const time = (value: number) =>
      evaluateTarget(target({ comparison: 'at_most', threshold: 60, value, samples: 30 }));
    expect(time(45).status).toBe('on_track');
    expect(time(58).status).toBe('at_risk'); // above 57 = 60 × 0.95
    expect(time(60).status).toBe('at_risk');
    expect(time(61).status).toBe('off_track');
    expect(time(61).met).toBe(false);
    expect(time(45).ratio).toBe(0.75);
  });

  it('has no data with fewer than 5 samples, but shows the value so far as forecast', () => {
    const result = evaluateTarget(target({ value: 50, samples: 4 }));
    expect(result.status).toBe('no_data');
    expect(result.forecast).toBe(50);
    expect(evaluateTarget(target({ value: null, samples: 0 })).status).toBe('no_data');
  });

  it('is on track on day 1 with a good rate: a rate can still fall', () => {
    const result = evaluateTarget(target({ value: 100, samples: 8, now: march.start + DAY / 2 }));
    expect(result.status).toBe('on_track');
    expect(result.met).toBe(true);
  });

  it('reads a backlog snapshot as it is, without a sample minimum', () => {
    const result = evaluateTarget(
      target({ method: 'snapshot', comparison: 'at_most', threshold: 50, value: 0, samples: 0 }),
    );
    expect(result.status).toBe('on_track');
  });
});

describe('evaluateTarget: past periods', () => {
  it('is met or missed by the final value, or has no data', () => {
    const after = { now: march.end + DAY };
    expect(evaluateTarget(target({ ...after, value: 91, samples: 50 })).status).toBe('met');
    expect(evaluateTarget(target({ ...after, value: 80, samples: 50 })).status).toBe('missed');
    expect(evaluateTarget(target({ ...after, value: null, samples: 0 })).status).toBe('no_data');
    const count = evaluateTarget(target({ ...after, method: 'accumulate', threshold: 500, value: 480 }));
    expect(count).toMatchObject({ status: 'missed', forecast: 480, elapsed: 1 });
  });
});

describe('evaluateTarget: scores', () => {
  const nps = (threshold: number, value: number) =>
    evaluateTarget(target({ unit: 'score', threshold, value, samples: 50 })).status;

  it('judges negative thresholds the right way round', () => {
    // At least −10: −12 misses it; −8 meets it, by less than the margin; 0 clears it.
    expect(nps(-10, -12)).toBe('off_track');
    expect(nps(-10, -8)).toBe('at_risk');
    expect(nps(-10, 0)).toBe('on_track');
  });

  it('keeps a margin of 5 points on the score scale, also around 0', () => {
    expect(nps(0, -1)).toBe('off_track');
    expect(nps(0, 4)).toBe('at_risk');
    expect(nps(0, 5)).toBe('on_track');
    expect(nps(50, 54)).toBe('at_risk');
    expect(nps(50, 55)).toBe('on_track');
  });

  it('measures the margin of other units on the size of the threshold', () => {
    const time = (threshold: number, value: number) =>
      evaluateTarget(target({ unit: 'minutes', comparison: 'at_most', threshold, value, samples: 30 }))
        .status;
    expect(time(60, 58)).toBe('at_risk');
    expect(time(60, 57)).toBe('on_track');
  });
});

describe('alertStep: hysteresis of off-track alerts', () => {
  it('alerts when off track and nothing is open, and keeps an open alert while off track', () => {
    expect(alertStep('off_track', false)).toBe('alert');
    expect(alertStep('off_track', true)).toBe('keep');
  });

  it('counts a recovery only when back on track by the margin (on track or met), not when just at risk', () => {
    expect(alertStep('at_risk', true)).toBe('keep');
    expect(alertStep('on_track', true)).toBe('recover');
    expect(alertStep('met', true)).toBe('recover');
  });

  it('does nothing without data or without an open alert', () => {
    expect(alertStep('no_data', true)).toBe('keep');
    expect(alertStep('no_data', false)).toBe('keep');
    expect(alertStep('on_track', false)).toBe('keep');
    expect(alertStep('at_risk', false)).toBe('keep');
  });

  it('alerts once for a value flapping around the threshold', () => {
    let open = false;
    let alerts = 0;
    for (const status of ['off_track', 'at_risk', 'off_track', 'at_risk', 'off_track', 'at_risk'] as const) {
      const step = alertStep(status, open);
      if (step === 'alert') {
        alerts++;
        open = true;
      }
      if (step === 'recover') open = false;
    }
    expect(alerts).toBe(1);
  });
});
