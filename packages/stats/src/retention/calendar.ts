/**
 * Calendar dates and months without time zones. A day is a whole number counted from 1970-01-01 (which is 0),
 * a month is year × 12 + (month − 1), so that consecutive months are consecutive numbers and a quarter starts
 * at a multiple of 3.
 */

/** Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `days_from_civil`, month 1–12). */
export function dayNumberOf(year: number, month: number, day: number): number {
  const shiftedYear = month <= 2 ? year - 1 : year;
  const era = Math.floor(shiftedYear / 400);
  const yearOfEra = shiftedYear - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function yearOf(month: number): number {
  return Math.floor(month / 12);
}

function monthOfYear(month: number): number {
  return month - yearOf(month) * 12 + 1;
}

function twoDigits(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

/** 'YYYY-MM' of a month number. */
export function formatMonth(month: number): string {
  return `${String(yearOf(month)).padStart(4, '0')}-${twoDigits(monthOfYear(month))}`;
}

/** 'YYYY-Qn' of the quarter that starts with the given month. */
export function formatQuarter(firstMonth: number): string {
  const quarter = Math.floor((monthOfYear(firstMonth) - 1) / 3) + 1;
  return `${String(yearOf(firstMonth)).padStart(4, '0')}-Q${quarter}`;
}

/** The first month of the quarter a month falls in. */
export function quarterStartOf(month: number): number {
  return month - (((month % 3) + 3) % 3);
}

/** The day number of the last day of a month. */
export function lastDayOf(month: number): number {
  const year = yearOf(month);
  const monthInYear = monthOfYear(month);
  return dayNumberOf(year, monthInYear, daysInMonth(year, monthInYear));
}

/** 'YYYY-MM-DD' of the last day of a month: the day a month-end snapshot is read on. */
export function formatLastDayOf(month: number): string {
  const year = yearOf(month);
  const monthInYear = monthOfYear(month);
  return `${formatMonth(month)}-${twoDigits(daysInMonth(year, monthInYear))}`;
}

/** Reads the digits of `text` from `start` to `end` (exclusive); −1 if any is not a digit. */
function digitsAt(text: string, start: number, end: number): number {
  let value = 0;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i) - 48;
    if (code < 0 || code > 9) return -1;
    value = value * 10 + code;
  }
  return value;
}

/**
 * The day number of a 'YYYY-MM-DD' calendar date, or null when the text is not one (month 13, 30 February).
 */
export function parseDay(text: unknown): number | null {
  if (typeof text !== 'string' || text.length !== 10 || text[4] !== '-' || text[7] !== '-') return null;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 7);
  const day = digitsAt(text, 8, 10);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return dayNumberOf(year, month, day);
}

/** The month number of a date that parseDay accepted. */
export function monthOfDate(text: string): number {
  return digitsAt(text, 0, 4) * 12 + digitsAt(text, 5, 7) - 1;
}

/** A 'YYYY-MM' month number, or null when the text is not one. */
export function parseMonth(text: unknown): number | null {
  if (typeof text !== 'string' || text.length !== 7 || text[4] !== '-') return null;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 7);
  if (year < 0 || month < 1 || month > 12) return null;
  return year * 12 + month - 1;
}
