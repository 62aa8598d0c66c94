import type { RetentionMetricsPeriod } from '@keepdesk/contract';
import { describe, expect, it } from 'vitest';
import { cohortShade, isDarkShade, kpisOf, movementRows, parseMetricsSearch } from './data';

function periodOf(period: string, over: Partial<RetentionMetricsPeriod> = {}): RetentionMetricsPeriod {
  return {
    period,
    startSnapshot: '',
    endSnapshot: '',
    isComplete: true,
    mrr: { starting: 560, new: 50, expansion: 0, reactivation: 0, contraction: 0, churned: 200, ending: 410 },
    customers: { starting: 4, new: 1, reactivated: 0, churned: 1, ending: 4 },
    customerChurnRate: 0.25,
    customerRetentionRate: 0.75,
    grossRevenueChurnRate: 200 / 560,
    grossRevenueRetention: 360 / 560,
    netRevenueRetention: 360 / 560,
    churnReasons: [],
    ...over,
  };
}

describe('retention metrics page data', () => {
  it('draws gains above and losses below the axis, with the MRR at the end', () => {
    expect(movementRows([periodOf('2024-03')])).toEqual([
      {
        period: '2024-03',
        ending: 410,
        new: 50,
        expansion: 0,
        reactivation: 0,
        contraction: 0,
        churned: -200,
      },
    ]);
  });

  it('compares the latest period with the one before, and says which way is good', () => {
    const april = periodOf('2024-04', {
      mrr: { starting: 410, new: 0, expansion: 0, reactivation: 0, contraction: 50, churned: 0, ending: 360 },
      customerChurnRate: 0,
      grossRevenueRetention: 360 / 410,
      netRevenueRetention: 360 / 410,
    });
    const [churn, grr, nrr, mrr] = kpisOf([periodOf('2024-03'), april]);
    expect(churn).toMatchObject({
      key: 'customerChurnRate',
      value: 0,
      previous: 0.25,
      change: -0.25,
      isBetter: true,
    });
    expect(grr!.change).toBeCloseTo(360 / 410 - 360 / 560, 12);
    expect(grr!.isBetter).toBe(true);
    expect(nrr!.isBetter).toBe(true);
    expect(mrr).toMatchObject({ key: 'mrr', value: 360, previous: 410, isBetter: false });
    expect(mrr!.change).toBeCloseTo(-50 / 410, 12);
    expect(kpisOf([april]).map((kpi) => kpi.change)).toEqual([null, null, null, null]);
    expect(kpisOf([])[0]).toMatchObject({ value: null, isBetter: null });
  });

  it('keeps only settings it understands from the address', () => {
    expect(
      parseMetricsSearch({
        period: 'quarter',
        from: '2024-01',
        to: '2024-13',
        currency: 'usd',
        measure: 'revenue',
      }),
    ).toEqual({
      period: 'quarter',
      from: '2024-01',
      to: undefined,
      currency: undefined,
      measure: 'revenue',
      basis: undefined,
    });
  });

  it('shades cohort shares in ten steps, darkest from 90 % and above 100 %', () => {
    expect(cohortShade(0)).toBe('blue.0');
    expect(cohortShade(0.45)).toBe('blue.4');
    expect(cohortShade(1)).toBe('blue.9');
    expect(cohortShade(1.6)).toBe('blue.9');
    expect(isDarkShade('blue.5')).toBe(false);
    expect(isDarkShade('blue.6')).toBe(true);
  });
});
