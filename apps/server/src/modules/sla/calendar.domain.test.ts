import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ALWAYS_OPEN,
  addBusinessMinutes,
  type BusinessCalendar,
  businessMinutesBetween,
  isWorkingTime,
  parseIcsDays,
  type Week,
  weekProblems,
} from './calendar.domain';

const office = (timeZone: string, closed: string[] = []): BusinessCalendar => {
  const day = [
    { start: '08:00', end: '12:00' },
    { start: '13:00', end: '17:00' },
  ];
  return {
    timeZone,
    week: { mon: day, tue: day, wed: day, thu: day, fri: day, sat: [], sun: [] },
    isClosed: (date) => closed.includes(date),
  };
};
const berlin = office('Europe/Berlin', ['2026-04-03', '2026-04-06', '2026-12-25', '2026-12-26']);
const allDayBerlin: BusinessCalendar = { ...ALWAYS_OPEN, timeZone: 'Europe/Berlin' };

const at = (iso: string) => new Date(iso);
const iso = (date: Date) => date.toISOString().replace('.000Z', 'Z');

describe('addBusinessMinutes', () => {
  it.each([
    // [calendar, from, minutes, expected] — all instants in UTC; Berlin is +01:00 in winter, +02:00 in summer.
    ['within the morning', berlin, '2026-03-10T08:00:00Z', 60, '2026-03-10T09:00:00Z'],
    ['over the lunch break', berlin, '2026-03-10T10:30:00Z', 60, '2026-03-10T12:30:00Z'],
    ['before opening starts at opening', berlin, '2026-03-10T05:00:00Z', 30, '2026-03-10T07:30:00Z'],
    ['ends exactly at closing', berlin, '2026-03-10T15:00:00Z', 60, '2026-03-10T16:00:00Z'],
    ['Friday evening to Monday', berlin, '2026-03-13T15:00:00Z', 120, '2026-03-16T08:00:00Z'],
    ['over Good Friday and Easter Monday', berlin, '2026-04-02T14:00:00Z', 120, '2026-04-07T07:00:00Z'],
    ['from closing time over Christmas', berlin, '2026-12-24T16:00:00Z', 60, '2026-12-28T08:00:00Z'],
    // Spring forward (29 March 2026, 02:00 → 03:00): the weekend in between, the new offset on Monday.
    ['Friday before spring forward', berlin, '2026-03-27T15:00:00Z', 120, '2026-03-30T07:00:00Z'],
    // Fall back (25 October 2026, 03:00 → 02:00).
    ['Friday before fall back', berlin, '2026-10-23T14:00:00Z', 120, '2026-10-26T08:00:00Z'],
    // Calendar time in Berlin: the short night and the long night are 23 and 25 hours.
    ['24/7 across spring forward', allDayBerlin, '2026-03-29T00:30:00Z', 60, '2026-03-29T01:30:00Z'],
    ['24/7 across fall back', allDayBerlin, '2026-10-25T00:30:00Z', 90, '2026-10-25T02:00:00Z'],
    // Time zones far from the server's.
    [
      'New York office, already on summer time',
      office('America/New_York'),
      '2026-03-10T21:30:00Z',
      60,
      '2026-03-11T13:00:00Z',
    ],
    ['Kolkata office (+05:30)', office('Asia/Kolkata'), '2026-03-10T11:15:00Z', 30, '2026-03-11T02:45:00Z'],
    ['zero minutes stays', berlin, '2026-03-14T10:00:00Z', 0, '2026-03-14T10:00:00Z'],
  ] as const)('%s', (_name, calendar, from, minutes, expected) => {
    expect(iso(addBusinessMinutes(calendar, at(from), minutes))).toBe(expected);
  });

  it('refuses negative minutes and calendars without working time', () => {
    expect(() => addBusinessMinutes(berlin, at('2026-03-10T08:00:00Z'), -1)).toThrow(/-1/);
    const never: BusinessCalendar = { ...berlin, isClosed: () => true };
    expect(() => addBusinessMinutes(never, at('2026-03-10T08:00:00Z'), 1)).toThrow(/no working time/);
  });
});

describe('businessMinutesBetween and isWorkingTime', () => {
  it('counts working minutes only, across breaks, nights, weekends and holidays', () => {
    expect(businessMinutesBetween(berlin, at('2026-03-10T07:00:00Z'), at('2026-03-10T16:00:00Z'))).toBe(480);
    expect(businessMinutesBetween(berlin, at('2026-04-02T15:00:00Z'), at('2026-04-07T08:00:00Z'))).toBe(120);
    expect(businessMinutesBetween(berlin, at('2026-03-10T09:00:00Z'), at('2026-03-10T08:00:00Z'))).toBe(-60);
    expect(businessMinutesBetween(allDayBerlin, at('2026-10-24T22:00:00Z'), at('2026-10-25T23:00:00Z'))).toBe(
      25 * 60,
    );
  });

  it('counts spans of several years (reports on imported history), and calendar time at once', () => {
    const days = businessMinutesBetween(berlin, at('2020-01-06T08:00:00Z'), at('2024-01-08T08:00:00Z')) / 480;
    expect(days).toBeGreaterThan(900); // about 250 working days a year
    expect(days).toBeLessThan(1100);
    expect(businessMinutesBetween(ALWAYS_OPEN, at('2020-01-01T00:00:00Z'), at('2021-01-01T00:00:00Z'))).toBe(
      366 * 24 * 60,
    );
  });

  it('knows when the office is open', () => {
    expect(isWorkingTime(berlin, at('2026-03-10T07:00:00Z'))).toBe(true); // 08:00 Berlin
    expect(isWorkingTime(berlin, at('2026-03-10T11:30:00Z'))).toBe(false); // lunch
    expect(isWorkingTime(berlin, at('2026-03-10T16:00:00Z'))).toBe(false); // 17:00, closed
    expect(isWorkingTime(berlin, at('2026-04-03T09:00:00Z'))).toBe(false); // Good Friday
  });
});

// Hundreds of random calendars and spans: seconds of CPU, more when the integration suites share the cores.
const PROPERTY_TIMEOUT = 30_000;

describe('business-time arithmetic, for any instants and amounts (fast-check)', () => {
  const instant = fc.date({ min: new Date('2025-01-01'), max: new Date('2027-12-31'), noInvalidDate: true });
  const amount = fc.integer({ min: 0, max: 20_000 });
  const calendars = fc.constantFrom(berlin, allDayBerlin, office('America/New_York'), office('Asia/Kolkata'));

  it(
    'adding a, then b, is adding a + b (a pause of d minutes moves a due time exactly d later)',
    () => {
      fc.assert(
        fc.property(calendars, instant, amount, amount, (calendar, from, a, b) => {
          const stepwise = addBusinessMinutes(calendar, addBusinessMinutes(calendar, from, a), b);
          expect(iso(stepwise)).toBe(iso(addBusinessMinutes(calendar, from, a + b)));
        }),
        { numRuns: 200 },
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'counts back exactly what was added, and never moves earlier for more minutes or a later start',
    () => {
      fc.assert(
        fc.property(calendars, instant, instant, amount, amount, (calendar, t1, t2, a, b) => {
          const due = addBusinessMinutes(calendar, t1, a);
          expect(businessMinutesBetween(calendar, t1, due)).toBeCloseTo(a, 6);
          const [early, late] = t1 <= t2 ? [t1, t2] : [t2, t1];
          expect(addBusinessMinutes(calendar, early, a).getTime()).toBeLessThanOrEqual(
            addBusinessMinutes(calendar, late, a).getTime(),
          );
          expect(addBusinessMinutes(calendar, t1, Math.min(a, b)).getTime()).toBeLessThanOrEqual(
            addBusinessMinutes(calendar, t1, Math.max(a, b)).getTime(),
          );
        }),
        { numRuns: 200 },
      );
    },
    PROPERTY_TIMEOUT,
  );
});

describe('weekProblems', () => {
  const empty: Week = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
  it('names the field that is wrong', () => {
    expect(weekProblems(empty)).toEqual([
      { field: 'week', message: 'a calendar needs working hours on at least one day' },
    ]);
    expect(weekProblems({ ...empty, mon: [{ start: '09:00', end: '08:00' }] })).toEqual([
      { field: 'week.mon.0.end', message: 'must be after the start' },
    ]);
    expect(weekProblems({ ...empty, tue: [{ start: '25:00', end: '26:00' }] })[0]!.field).toBe(
      'week.tue.0.start',
    );
    expect(
      weekProblems({
        ...empty,
        wed: [
          { start: '08:00', end: '12:00' },
          { start: '11:00', end: '14:00' },
        ],
      }),
    ).toEqual([{ field: 'week.wed', message: 'working hours overlap' }]);
    expect(weekProblems({ ...empty, sun: [{ start: '00:00', end: '24:00' }] })).toEqual([]);
  });
});

describe('parseIcsDays', () => {
  it('reads all-day events, multi-day ones and yearly repeats, and skips meetings with their line', () => {
    const ics = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'BEGIN:VEVENT',
      'DTSTART;VALUE=DATE:20261224',
      'DTEND;VALUE=DATE:20261225',
      'SUMMARY:Heiligabend\\, geschlossen',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'DTSTART;VALUE=DATE:20261228',
      'DTEND;VALUE=DATE:20261231',
      'SUMMARY:Betriebs',
      ' ferien',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'DTSTART:20261210T100000Z',
      'DTEND:20261210T110000Z',
      'SUMMARY:Team meeting',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'DTSTART;VALUE=DATE:20260815',
      'RRULE:FREQ=YEARLY',
      'SUMMARY:Firmenjubiläum',
      'END:VEVENT',
      'END:VCALENDAR',
    ].join('\r\n');
    const { days, skipped } = parseIcsDays(ics);
    expect(days.filter((d) => d.date.startsWith('2026'))).toEqual([
      { date: '2026-08-15', name: 'Firmenjubiläum' },
      { date: '2026-12-24', name: 'Heiligabend, geschlossen' },
      { date: '2026-12-28', name: 'Betriebsferien' },
      { date: '2026-12-29', name: 'Betriebsferien' },
      { date: '2026-12-30', name: 'Betriebsferien' },
    ]);
    expect(days.filter((d) => d.name === 'Firmenjubiläum')).toHaveLength(10);
    expect(skipped).toEqual([{ line: 14, reason: 'not an all-day event' }]);
  });

  it('finds nothing in what is no calendar', () => {
    expect(parseIcsDays('hello')).toEqual({ days: [], skipped: [] });
  });
});
