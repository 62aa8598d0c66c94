import { DateTime } from 'luxon';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Working hours of one stretch of a day, local time: `08:00`–`12:00`; `24:00` ends at midnight. */
export interface Interval {
  start: string;
  end: string;
}
export type Week = Record<Weekday, Interval[]>;

/** What business-time arithmetic needs of a calendar: its zone, its week, and which local days are closed. */
export interface BusinessCalendar {
  timeZone: string;
  week: Week;
  /** Whether the local date (`YYYY-MM-DD`) is closed all day (a public holiday, a company day off). */
  isClosed: (isoDate: string) => boolean;
}

/** Calendar time: every minute counts. */
export const ALWAYS_OPEN: BusinessCalendar = {
  timeZone: 'UTC',
  week: Object.fromEntries(WEEKDAYS.map((day) => [day, [{ start: '00:00', end: '24:00' }]])) as Week,
  isClosed: () => false,
};

/** How far arithmetic looks for working time before it gives up (a calendar closed for three years). */
const MAX_DAYS = 3 * 366;
const MINUTE = 60_000;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;

function minutesOf(time: string): number {
  const [h, m] = time.split(':').map(Number);
  return h! * 60 + m!;
}

/** What is wrong with a week's hours, as field errors (`week.mon.1.end`): bad times, empty or overlapping. */
export function weekProblems(week: Week): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  let anyHours = false;
  for (const day of WEEKDAYS) {
    const intervals = week[day] ?? [];
    intervals.forEach((interval, i) => {
      const field = `week.${day}.${i}`;
      if (!TIME.test(interval.start) || interval.start === '24:00') {
        problems.push({ field: `${field}.start`, message: 'a time from 00:00 to 23:59' });
      } else if (!TIME.test(interval.end)) {
        problems.push({ field: `${field}.end`, message: 'a time from 00:01 to 24:00' });
      } else if (minutesOf(interval.end) <= minutesOf(interval.start)) {
        problems.push({ field: `${field}.end`, message: 'must be after the start' });
      } else {
        anyHours = true;
      }
    });
    const sorted = [...intervals].sort((a, b) => minutesOf(a.start) - minutesOf(b.start));
    for (let i = 1; i < sorted.length; i++) {
      if (minutesOf(sorted[i]!.start) < minutesOf(sorted[i - 1]!.end)) {
        problems.push({ field: `week.${day}`, message: 'working hours overlap' });
        break;
      }
    }
  }
  if (!anyHours && problems.length === 0) {
    problems.push({ field: 'week', message: 'a calendar needs working hours on at least one day' });
  }
  return problems;
}

/** A local time of a local day as an instant; a time that a DST change skips moves forward with the clock. */
function instant(day: DateTime, time: string): number {
  if (time === '24:00') return day.plus({ days: 1 }).startOf('day').toMillis();
  const minutes = minutesOf(time);
  return day
    .set({ hour: Math.floor(minutes / 60), minute: minutes % 60, second: 0, millisecond: 0 })
    .toMillis();
}

/** The working stretches of the calendar from the local day of `from` on, as absolute [start, end) in ms. */
function* workingStretches(calendar: BusinessCalendar, from: number): Generator<[number, number]> {
  let day = DateTime.fromMillis(from, { zone: calendar.timeZone }).startOf('day');
  if (!day.isValid) throw new Error(`unknown time zone ${calendar.timeZone}`);
  // Gives up after MAX_DAYS days in a row without working time; long spans of working days go on.
  for (let idle = 0; idle < MAX_DAYS; idle++, day = day.plus({ days: 1 })) {
    if (calendar.isClosed(day.toISODate()!)) continue;
    const intervals = [...calendar.week[WEEKDAYS[day.weekday - 1]!]].sort(
      (a, b) => minutesOf(a.start) - minutesOf(b.start),
    );
    for (const interval of intervals) {
      const start = instant(day, interval.start);
      const end = instant(day, interval.end);
      if (end > start) {
        idle = -1;
        yield [start, end];
      }
    }
  }
  throw new Error(
    `the calendar has no working time within ${MAX_DAYS} days of ${new Date(from).toISOString()}`,
  );
}

/**
 * The instant `minutes` of working time after `from`. Adding zero gives `from` itself; working time that ends
 * exactly at the close of a stretch gives that close (not the next opening), so that adding a and then b is the
 * same as adding a + b.
 */
export function addBusinessMinutes(calendar: BusinessCalendar, from: Date, minutes: number): Date {
  if (!Number.isFinite(minutes) || minutes < 0) throw new Error(`cannot add ${minutes} business minutes`);
  let remaining = Math.round(minutes * MINUTE);
  const start = from.getTime();
  if (remaining === 0) return new Date(start);
  for (const [open, close] of workingStretches(calendar, start)) {
    const lo = Math.max(open, start);
    if (close <= lo) continue;
    if (close - lo >= remaining) return new Date(lo + remaining);
    remaining -= close - lo;
  }
  throw new Error('unreachable');
}

/** Working minutes in [from, to); negative when `to` is before `from`. */
export function businessMinutesBetween(calendar: BusinessCalendar, from: Date, to: Date): number {
  if (to.getTime() < from.getTime()) return -businessMinutesBetween(calendar, to, from);
  if (calendar === ALWAYS_OPEN) return (to.getTime() - from.getTime()) / MINUTE;
  const start = from.getTime();
  const end = to.getTime();
  let total = 0;
  for (const [open, close] of workingStretches(calendar, start)) {
    if (open >= end) break;
    const lo = Math.max(open, start);
    const hi = Math.min(close, end);
    if (hi > lo) total += hi - lo;
  }
  return total / MINUTE;
}

/** Whether `at` is working time. */
export function isWorkingTime(calendar: BusinessCalendar, at: Date): boolean {
  const t = at.getTime();
  for (const [open, close] of workingStretches(calendar, t)) {
    if (open > t) return false;
    if (t < close) return true;
  }
  return false;
}

export interface IcsDays {
  /** Closed local days with their names, in date order, each once. */
  days: { date: string; name: string }[];
  /** Events that name no whole days (a meeting at 10:00), with the line they start on. */
  skipped: { line: number; reason: string }[];
}

const YEARS_OF_REPEATS = 10;

function icsDate(value: string): DateTime | null {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(value.trim());
  if (!match) return null;
  const date = DateTime.fromObject(
    { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) },
    { zone: 'UTC' },
  );
  return date.isValid ? date : null;
}

/**
 * The days off in an iCalendar file (RFC 5545): all-day events (`DTSTART;VALUE=DATE`), several days when
 * DTEND says so, yearly repeats (`RRULE:FREQ=YEARLY`) for ten years. Timed events are no days off; they are
 * listed as skipped with their line.
 */
export function parseIcsDays(text: string): IcsDays {
  // Unfold: a line that starts with a space or tab continues the one before.
  const lines: { text: string; number: number }[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (/^[ \t]/.test(line) && lines.length > 0) lines[lines.length - 1]!.text += line.slice(1);
    else lines.push({ text: line, number: i + 1 });
  });
  const found = new Map<string, string>();
  const skipped: IcsDays['skipped'] = [];
  let event: {
    start?: string;
    end?: string;
    allDay?: boolean;
    summary?: string;
    yearly?: boolean;
    line: number;
  } | null = null;
  for (const { text: line, number } of lines) {
    const colon = line.indexOf(':');
    const name = (colon >= 0 ? line.slice(0, colon) : line).toUpperCase();
    const value = colon >= 0 ? line.slice(colon + 1) : '';
    const property = name.split(';')[0];
    if (line.toUpperCase() === 'BEGIN:VEVENT') {
      event = { line: number };
    } else if (line.toUpperCase() === 'END:VEVENT' && event) {
      const start = event.allDay && event.start ? icsDate(event.start) : null;
      if (!start) {
        skipped.push({ line: event.line, reason: 'not an all-day event' });
      } else {
        const end = (event.end && icsDate(event.end)) || start.plus({ days: 1 });
        const length = Math.max(1, Math.min(366, Math.round(end.diff(start, 'days').days)));
        const summary = (event.summary ?? '')
          .replace(/\\([,;\\])/g, '$1')
          .replace(/\\n/gi, ' ')
          .trim();
        for (let year = 0; year < (event.yearly ? YEARS_OF_REPEATS : 1); year++) {
          for (let d = 0; d < length; d++) {
            const date = start.plus({ years: year, days: d }).toISODate()!;
            if (!found.has(date)) found.set(date, summary);
          }
        }
      }
      event = null;
    } else if (event && property === 'DTSTART') {
      event.start = value;
      event.allDay = /VALUE=DATE(?!-)/i.test(name) || /^\d{8}$/.test(value.trim());
    } else if (event && property === 'DTEND') {
      event.end = value;
    } else if (event && property === 'SUMMARY') {
      event.summary = value;
    } else if (event && property === 'RRULE') {
      event.yearly = /FREQ=YEARLY/i.test(value);
    }
  }
  const days = [...found]
    .map(([date, summary]) => ({ date, name: summary }))
    .sort((a, b) => a.date.localeCompare(b.date));
  return { days, skipped };
}
