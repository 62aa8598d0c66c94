/**
 * Periods of the dashboards as calendar days (ISO dates) in the viewer's time zone, and the previous period of
 * the same length that a number is compared with.
 */
export type PeriodPreset =
  | 'last7'
  | 'last30'
  | 'last90'
  | 'thisMonth'
  | 'lastMonth'
  | 'thisQuarter'
  | 'custom';
export const PERIOD_PRESETS: readonly PeriodPreset[] = [
  'last7',
  'last30',
  'last90',
  'thisMonth',
  'lastMonth',
  'thisQuarter',
  'custom',
];

export interface DayRange {
  from: string;
  to: string;
}

const DAY = 86_400_000;
const toDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const dayMs = (day: string) => Date.parse(`${day}T00:00:00Z`);

/** Today's date in `timeZone` (YYYY-MM-DD). */
export function todayIn(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

const shiftDay = (day: string, days: number) => toDay(dayMs(day) + days * DAY);

/** Days from `from` to `to`, both included. */
const lengthInDays = ({ from, to }: DayRange) => Math.round((dayMs(to) - dayMs(from)) / DAY) + 1;

/** The last `days` days up to and including `today`. */
export function lastDays(days: number, today: string): DayRange {
  return { from: shiftDay(today, -(days - 1)), to: today };
}

/** The days of a preset, ending today (or at the end of last month). */
export function presetRange(preset: Exclude<PeriodPreset, 'custom'>, today: string): DayRange {
  const [year, month] = today.split('-').map(Number) as [number, number];
  const first = (y: number, m: number) => toDay(Date.UTC(y, m - 1, 1));
  switch (preset) {
    case 'last7':
      return lastDays(7, today);
    case 'last30':
      return lastDays(30, today);
    case 'last90':
      return lastDays(90, today);
    case 'thisMonth':
      return { from: first(year, month), to: today };
    case 'lastMonth':
      return {
        from: first(month === 1 ? year - 1 : year, month === 1 ? 12 : month - 1),
        to: shiftDay(first(year, month), -1),
      };
    case 'thisQuarter':
      return { from: first(year, 3 * Math.floor((month - 1) / 3) + 1), to: today };
  }
}

/** The period of the same length that ends the day before `range` starts. */
export function previousRange(range: DayRange): DayRange {
  const to = shiftDay(range.from, -1);
  return { from: shiftDay(to, -(lengthInDays(range) - 1)), to };
}

/** Days for up to three months, weeks beyond (reports count whole weeks then). */
export const grainFor = (range: DayRange) => (lengthInDays(range) <= 92 ? 'day' : 'week');

/**
 * The change from `before` to `now` in percent, and whether it is good for a metric where higher (or lower) is
 * better; null when there is nothing to compare with.
 */
export function changeOf(
  now: number | null,
  before: number | null,
  better: 'higher' | 'lower' | null,
): { percent: number; direction: 'up' | 'down' | 'flat'; good: boolean | null } | null {
  if (now === null || before === null || before === 0) return null;
  const percent = ((now - before) / Math.abs(before)) * 100;
  const direction = Math.abs(percent) < 0.5 ? 'flat' : percent > 0 ? 'up' : 'down';
  const good =
    better === null || direction === 'flat' ? null : (direction === 'up') === (better === 'higher');
  return { percent, direction, good };
}
