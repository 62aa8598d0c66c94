import type { MetricReport } from '@keepdesk/contract';
import { describe, expect, it } from 'vitest';
import { formatMinutes } from './format';
import { arrivalsGrid } from './Heatmap';
import { changeOf, grainFor, lastDays, presetRange, previousRange, todayIn } from './periods';

describe('dashboard periods', () => {
  it('turns presets into days ending today, and across a year end', () => {
    expect(presetRange('last7', '2026-03-04')).toEqual({ from: '2026-02-26', to: '2026-03-04' });
    expect(presetRange('thisMonth', '2026-03-04')).toEqual({ from: '2026-03-01', to: '2026-03-04' });
    expect(presetRange('lastMonth', '2026-01-15')).toEqual({ from: '2025-12-01', to: '2025-12-31' });
    expect(presetRange('thisQuarter', '2026-05-20')).toEqual({ from: '2026-04-01', to: '2026-05-20' });
  });

  it('compares with the period of the same length just before', () => {
    expect(previousRange({ from: '2026-03-01', to: '2026-03-30' })).toEqual({
      from: '2026-01-30',
      to: '2026-02-28',
    });
    expect(grainFor({ from: '2026-01-01', to: '2026-03-31' })).toBe('day');
    expect(grainFor({ from: '2026-01-01', to: '2026-06-30' })).toBe('week');
  });

  it('takes today in the viewer’s time zone', () => {
    const late = new Date('2026-03-01T23:30:00Z');
    expect(todayIn('UTC', late)).toBe('2026-03-01');
    expect(todayIn('Europe/Berlin', late)).toBe('2026-03-02');
  });

  it("counts the last days from today in the user's zone, so an answer at 23:30 UTC is in a Berlin range", () => {
    const late = new Date('2026-12-04T23:30:00Z');
    expect(lastDays(30, todayIn('Europe/Berlin', late))).toEqual({ from: '2026-11-06', to: '2026-12-05' });
    expect(lastDays(1, '2026-03-01')).toEqual({ from: '2026-03-01', to: '2026-03-01' });
  });

  it('colours a change by whether it is good for the metric', () => {
    expect(changeOf(30, 60, 'lower')).toEqual({ percent: -50, direction: 'down', good: true });
    expect(changeOf(90, 60, 'lower')).toMatchObject({ direction: 'up', good: false });
    expect(changeOf(-10, -20, 'higher')).toMatchObject({ percent: 50, direction: 'up', good: true });
    expect(changeOf(120, 100, null)).toMatchObject({ good: null });
    expect(changeOf(5, 0, 'higher')).toBeNull();
    expect(changeOf(5, null, 'higher')).toBeNull();
  });
});

describe('report formats', () => {
  it('shows minutes as hours and minutes', () => {
    expect(formatMinutes(45, 'en')).toBe('45 min');
    expect(formatMinutes(200, 'de')).toBe('3 h 20 min');
    expect(formatMinutes(3000, 'de')).toBe('2 T 2 h');
  });

  it('places UTC hours into the weekday and hour of the viewer’s zone', () => {
    const point = (start: string, value: number) => ({ period: '', start, value, n: value });
    const report = {
      series: [
        {
          key: null,
          label: '',
          total: { value: 5, n: 5 },
          // Monday 2026-03-02 23:00 UTC is Tuesday 00:00 in Berlin; Sunday 2026-03-29 01:00 UTC is 03:00 (summer time).
          points: [point('2026-03-02T23:00:00.000Z', 2), point('2026-03-29T01:00:00.000Z', 3)],
        },
      ],
    } as unknown as MetricReport;
    const grid = arrivalsGrid(report, 'Europe/Berlin');
    expect(grid[1]![0]).toBe(2);
    expect(grid[6]![3]).toBe(3);
    expect(grid.flat().reduce((a, b) => a + b, 0)).toBe(5);
  });
});
