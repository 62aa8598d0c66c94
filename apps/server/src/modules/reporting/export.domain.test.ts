import type { MetricReport } from '@keepdesk/contract';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../platform/csv';
import {
  axisTicks,
  chartGeometry,
  csvField,
  EXPORT_POINT_LIMITS,
  exportTooLarge,
  formatChange,
  formatDuration,
  formatValue,
  nextRunAfter,
  periodBefore,
  periodsOfQuery,
  previousRange,
  reportPoints,
  reportsToCsv,
  scheduleRunKey,
  sheetNameOf,
  slugOf,
  trendGrain,
} from './export.domain';
import { nextPeriod, periodStart } from './metrics.domain';

const report = (over: Partial<MetricReport> = {}): MetricReport => ({
  metric: 'first_response_time',
  stat: 'median',
  unit: 'minutes',
  grain: 'day',
  timeZone: 'UTC',
  from: '2026-03-02',
  to: '2026-03-04',
  groupBy: 'team',
  filter: {},
  total: { value: 60, n: 3 },
  series: [
    {
      key: 'a',
      label: '=cmd|calc',
      total: { value: 45, n: 2 },
      points: [
        { period: '2026-03-02', start: '2026-03-02T00:00:00.000Z', value: 45, n: 1 },
        { period: '2026-03-03', start: '2026-03-03T00:00:00.000Z', value: null, n: 0 },
        { period: '2026-03-04', start: '2026-03-04T00:00:00.000Z', value: 1020, n: 1 },
      ],
    },
  ],
  ...over,
});

describe('formatting', () => {
  it('writes durations as minutes, hours and days per language', () => {
    expect(formatDuration(45, 'en')).toBe('45 min');
    expect(formatDuration(125, 'de')).toBe('2 h 5 min');
    expect(formatDuration(1020, 'en')).toBe('17 h');
    expect(formatDuration(5650, 'de')).toBe('3 T 22 h');
    expect(formatDuration(5650, 'en')).toBe('3 d 22 h');
  });
  it('writes percent with the language’s decimal mark and none as a dash', () => {
    expect(formatValue(12.5, 'percent', 'de')).toBe('12,5 %');
    expect(formatValue(12.5, 'percent', 'en')).toBe('12.5 %');
    expect(formatValue(1234, 'tickets', 'de')).toBe('1.234');
    expect(formatValue(null, 'minutes', 'en')).toBe('–');
  });
  it('gives changes of rates in points and of counts in per cent', () => {
    expect(formatChange(80, 75, 'percent', 'en')).toBe('+5 pts');
    expect(formatChange(80, 75, 'percent', 'de')).toBe('+5 Pkt.');
    expect(formatChange(90, 120, 'minutes', 'en')).toBe('-25 %');
    expect(formatChange(3, 0, 'tickets', 'en')).toBe('–');
    expect(formatChange(null, 3, 'tickets', 'en')).toBe('–');
  });
});

describe('charts', () => {
  it('puts axis ticks on round values that cover the data, from zero', () => {
    expect(axisTicks(0, 87, 'percent')).toEqual([0, 20, 40, 60, 80, 100]);
    expect(axisTicks(0, 1020, 'minutes')).toEqual([0, 240, 480, 720, 960, 1200]);
    expect(axisTicks(-20, 40, 'score')).toEqual([-20, 0, 20, 40]);
    expect(axisTicks(0, 0, 'tickets')).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });
  it('breaks a line where a period has no value and spans the box', () => {
    const geometry = chartGeometry(report(), { x: 10, y: 20, width: 200, height: 100 });
    expect(geometry.periods.map((p) => p.x)).toEqual([10, 110, 210]);
    const [line] = geometry.lines;
    expect(line!.segments).toHaveLength(2);
    expect(line!.segments[1]![0]!.y).toBeCloseTo(20 + 100 - (1020 / 1200) * 100);
    expect(geometry.ticks[0]!.y).toBe(120);
  });
});

describe('CSV', () => {
  it('writes one row per group and period, quoted per RFC 4180 and safe from formulas', () => {
    const csv = reportsToCsv([report()]);
    const table = parseCsv(csv);
    expect(table.errors).toEqual([]);
    expect(table.header).toEqual(['metric', 'stat', 'unit', 'group', 'period', 'start', 'value', 'n']);
    expect(table.records.map((r) => r.cells)).toEqual([
      [
        'first_response_time',
        'median',
        'minutes',
        "'=cmd|calc",
        '2026-03-02',
        '2026-03-02T00:00:00.000Z',
        '45',
        '1',
      ],
      [
        'first_response_time',
        'median',
        'minutes',
        "'=cmd|calc",
        '2026-03-03',
        '2026-03-03T00:00:00.000Z',
        '',
        '0',
      ],
      [
        'first_response_time',
        'median',
        'minutes',
        "'=cmd|calc",
        '2026-03-04',
        '2026-03-04T00:00:00.000Z',
        '1020',
        '1',
      ],
    ]);
    expect(csvField('a "b", c')).toBe('"a ""b"", c"');
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField(-20)).toBe('-20');
  });
});

describe('names', () => {
  it('makes file names from titles', () => {
    expect(slugOf('Monatsbericht Größe & Übersicht')).toBe('monatsbericht-groesse-uebersicht');
    expect(slugOf('***')).toBe('report');
  });
  it('makes sheet names Excel accepts, each once', () => {
    const taken = new Set(['first response time']);
    expect(sheetNameOf('First response time', taken)).toBe('First response time (2)');
    expect(sheetNameOf('a/b:c', new Set())).toBe('a b c');
    expect(sheetNameOf('x'.repeat(40), new Set())).toHaveLength(31);
  });
});

describe('schedule periods', () => {
  const at = new Date('2026-04-06T04:00:00Z'); // Monday 06:00 in Berlin (summer time)
  it('reports the week, month or quarter that ended last, in the schedule’s zone', () => {
    expect(periodBefore('weekly', 'Europe/Berlin', at)).toEqual({ from: '2026-03-30', to: '2026-04-05' });
    expect(periodBefore('monthly', 'Europe/Berlin', at)).toEqual({ from: '2026-03-01', to: '2026-03-31' });
    expect(periodBefore('quarterly', 'Europe/Berlin', at)).toEqual({ from: '2026-01-01', to: '2026-03-31' });
    // Sunday 23:30 UTC is already Monday in Berlin, still Sunday in UTC.
    const late = new Date('2026-04-05T23:30:00Z');
    expect(periodBefore('weekly', 'Europe/Berlin', late).to).toBe('2026-04-05');
    expect(periodBefore('weekly', 'UTC', late).to).toBe('2026-03-29');
  });
  it('runs next at 06:00 on the first day of the next period', () => {
    expect(nextRunAfter('weekly', 'Europe/Berlin', at).toISOString()).toBe('2026-04-13T04:00:00.000Z');
    expect(nextRunAfter('weekly', 'Europe/Berlin', new Date('2026-04-06T03:59:00Z')).toISOString()).toBe(
      '2026-04-06T04:00:00.000Z',
    );
    expect(nextRunAfter('monthly', 'Europe/Berlin', at).toISOString()).toBe('2026-05-01T04:00:00.000Z');
    expect(nextRunAfter('quarterly', 'UTC', at).toISOString()).toBe('2026-07-01T06:00:00.000Z');
  });
  it('compares with the period of the same length before', () => {
    expect(previousRange({ from: '2026-03-01', to: '2026-03-31' })).toEqual({
      from: '2026-01-29',
      to: '2026-02-28',
    });
    expect(trendGrain({ from: '2026-01-01', to: '2026-03-31' })).toBe('week');
    expect(trendGrain({ from: '2025-01-01', to: '2025-12-31' })).toBe('month');
  });
});

describe('export size', () => {
  it('counts one point per series and period', () => {
    const one = report();
    const two = report({ series: [one.series[0]!, { ...one.series[0]!, key: 'b', label: 'B' }] });
    expect(reportPoints([two, one])).toBe(3 * 3);
    expect(reportPoints([])).toBe(0);
  });
  it('counts the periods a query touches, as the metric query walks them', () => {
    const now = new Date('2026-03-09T10:00:00Z');
    const day = { grain: 'day', from: '2026-03-02', to: '2026-03-08' } as const;
    expect(periodsOfQuery(day, 'UTC', now)).toBe(7);
    expect(periodsOfQuery({ ...day, grain: 'hour' }, 'UTC', now)).toBe(168);
    // The week of the change to summer time has an hour less in Berlin.
    expect(
      periodsOfQuery({ ...day, from: '2026-03-23', to: '2026-03-29', grain: 'hour' }, 'Europe/Berlin', now),
    ).toBe(167);
    // Weeks touched, Monday to Sunday: 2026-03-01 is a Sunday.
    expect(periodsOfQuery({ ...day, grain: 'week', from: '2026-03-01' }, 'UTC', now)).toBe(2);
    expect(periodsOfQuery({ ...day, grain: 'month', from: '2025-12-31' }, 'UTC', now)).toBe(4);
    expect(periodsOfQuery({ ...day, grain: 'quarter', from: '2025-12-31' }, 'UTC', now)).toBe(2);
    // Without from/to: the 30 days up to today in the zone.
    expect(periodsOfQuery({ grain: 'day' }, 'Europe/Berlin', now)).toBe(30);
    expect(periodsOfQuery({ ...day, from: '1999-01-01', to: '2026-05-17' }, 'UTC', now)).toBe(9999);
    // Days that do not exist, or a backwards range, are left to the metric query to refuse.
    expect(periodsOfQuery({ ...day, from: '2026-02-30' }, 'UTC', now)).toBe(0);
    expect(periodsOfQuery({ ...day, from: '2026-03-09' }, 'UTC', now)).toBe(0);
  });
  it('counts what the metric query returns', () => {
    // The same walk as the metric query (periodStart, nextPeriod), over grains, zones and ranges.
    const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata'];
    const grains = ['hour', 'day', 'week', 'month', 'quarter'] as const;
    const now = new Date('2026-03-09T10:00:00Z');
    for (const zone of zones) {
      for (const grain of grains) {
        for (const [from, to] of [
          ['2025-10-20', '2026-04-05'],
          ['2026-03-29', '2026-03-29'],
          ['2024-02-29', '2024-11-03'],
        ] as const) {
          const end = DateTime.fromISO(to, { zone }).plus({ days: 1 }).toMillis();
          let walked = 0;
          for (let p = periodStart(grain, zone, DateTime.fromISO(from, { zone }).toMillis()); p < end; ) {
            walked++;
            p = nextPeriod(grain, zone, p);
          }
          expect(
            periodsOfQuery({ grain, from, to, timeZone: zone }, 'UTC', now),
            `${zone} ${grain} ${from}`,
          ).toBe(walked);
        }
      }
    }
  });
  it('refuses files over the cap of their format, saying what to do', () => {
    expect(EXPORT_POINT_LIMITS).toEqual({ pdf: 5000, csv: 100_000, xlsx: 100_000 });
    expect(exportTooLarge(5000, 'pdf')).toBeNull();
    expect(exportTooLarge(5001, 'pdf')).toMatch(/5,001 .*at most 5,000.*coarser grain or a shorter range/);
    expect(exportTooLarge(5001, 'pdf')).toContain('CSV or XLSX');
    expect(exportTooLarge(100_000, 'csv')).toBeNull();
    expect(exportTooLarge(100_001, 'xlsx')).toMatch(/at most 100,000/);
  });
});

describe('schedule run keys', () => {
  it('name the whole period, so a new frequency never collides with a period already sent', () => {
    const january = scheduleRunKey('monthly', { from: '2026-01-01', to: '2026-01-31' });
    const q1 = scheduleRunKey('quarterly', { from: '2026-01-01', to: '2026-03-31' });
    expect(january).toBe('schedule:monthly:2026-01-01:2026-01-31');
    expect(q1).not.toBe(january);
    // A week starting on the 1st (a Monday) and the month of that 1st.
    expect(scheduleRunKey('weekly', { from: '2024-01-01', to: '2024-01-07' })).not.toBe(
      scheduleRunKey('monthly', { from: '2024-01-01', to: '2024-01-31' }),
    );
  });
});
