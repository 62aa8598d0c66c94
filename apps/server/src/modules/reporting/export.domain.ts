/**
 * Pure parts of report exports and scheduled reports: number and duration formatting per language, chart
 * geometry, CSV rows, file names, the periods a schedule reports on, and the management report's fixed set.
 */
import type { MetricName, MetricQuery, MetricReport, ReportFormat, ReportStat } from '@keepdesk/contract';
import { DateTime } from 'luxon';

type Language = 'de' | 'en';
type Unit = MetricReport['unit'];
type Frequency = 'weekly' | 'monthly' | 'quarterly';

/** The headline KPIs of the management report, in the order they are shown. */
export const MANAGEMENT_HEADLINES: readonly { metric: MetricName; stat: ReportStat }[] = [
  { metric: 'tickets_created', stat: 'count' },
  { metric: 'tickets_solved', stat: 'count' },
  { metric: 'backlog', stat: 'count' },
  { metric: 'first_response_time', stat: 'median' },
  { metric: 'resolution_time', stat: 'median' },
  { metric: 'sla_compliance', stat: 'rate' },
  { metric: 'csat', stat: 'rate' },
  { metric: 'nps', stat: 'score' },
  { metric: 'one_touch_rate', stat: 'rate' },
  { metric: 'reopen_rate', stat: 'rate' },
];

/** What the management report breaks down by team and by channel. */
export const MANAGEMENT_BREAKDOWN: readonly { metric: MetricName; stat: ReportStat }[] = [
  { metric: 'tickets_created', stat: 'count' },
  { metric: 'tickets_solved', stat: 'count' },
  { metric: 'first_response_time', stat: 'median' },
  { metric: 'sla_compliance', stat: 'rate' },
  { metric: 'csat', stat: 'rate' },
];

const locale = (language: Language) => (language === 'de' ? 'de-DE' : 'en-GB');

function formatNumber(value: number, language: Language, digits = 1): string {
  return new Intl.NumberFormat(locale(language), { maximumFractionDigits: digits }).format(value);
}

/** Minutes as people read them: `45 min`, `2 h 5 min`, `3 d 4 h` (German `T` for days). */
export function formatDuration(minutes: number, language: Language): string {
  const sign = minutes < 0 ? '-' : '';
  const total = Math.round(Math.abs(minutes));
  if (total < 60) return `${sign}${total} min`;
  const hours = Math.floor(total / 60);
  const rest = total % 60;
  if (hours < 48) return `${sign}${hours} h${rest > 0 ? ` ${rest} min` : ''}`;
  const days = Math.floor(hours / 24);
  const restHours = hours % 24;
  const day = language === 'de' ? 'T' : 'd';
  return `${sign}${days} ${day}${restHours > 0 ? ` ${restHours} h` : ''}`;
}

/** A value in its unit: durations as h/min, percent with %, counts and scores as numbers; `–` for none. */
export function formatValue(value: number | null, unit: Unit, language: Language): string {
  if (value === null) return '–';
  switch (unit) {
    case 'minutes':
      return formatDuration(value, language);
    case 'percent':
      return `${formatNumber(value, language)} %`;
    case 'tickets':
      return formatNumber(value, language, 2);
    default:
      return formatNumber(value, language);
  }
}

/** The change from `previous` to `value`: points for percentages and scores, per cent otherwise. */
export function formatChange(
  value: number | null,
  previous: number | null,
  unit: Unit,
  language: Language,
): string {
  if (value === null || previous === null) return '–';
  const plus = (n: number) => (n > 0 ? `+${formatNumber(n, language)}` : formatNumber(n, language));
  if (unit === 'percent' || unit === 'score') {
    return `${plus(value - previous)} ${language === 'de' ? 'Pkt.' : 'pts'}`;
  }
  if (previous === 0) return value === 0 ? '±0 %' : '–';
  return `${plus(((value - previous) / Math.abs(previous)) * 100)} %`;
}

/** Round axis steps (1, 2, 5 × 10^k; for minutes also 15, 30, 60, 120 … ) covering min..max in about `count` steps. */
export function axisTicks(min: number, max: number, unit: Unit, count = 5): number[] {
  const low = Math.min(0, min);
  const high = max > low ? max : low + 1;
  const raw = (high - low) / count;
  let step: number;
  const durationSteps = [1, 5, 10, 15, 30, 60, 120, 240, 360, 720, 1440, 2880, 7200, 14400];
  if (unit === 'minutes' && raw <= 14400) {
    step = durationSteps.find((s) => s >= raw) ?? 14400;
  } else {
    const magnitude = 10 ** Math.floor(Math.log10(raw));
    step = ([1, 2, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  }
  const ticks: number[] = [];
  for (let t = Math.floor(low / step) * step; t < high + step; t += step) {
    ticks.push(Math.round(t * 1e6) / 1e6 || 0);
    if (t >= high) break;
  }
  return ticks;
}

export interface ChartBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ChartGeometry {
  ticks: { value: number; y: number }[];
  /** One polyline per series; a period without a value breaks the line into segments. */
  lines: { label: string; segments: { x: number; y: number }[][] }[];
  /** The x position of each period, with its label. */
  periods: { label: string; x: number }[];
}

/** Where the axes, ticks and lines of a report's line chart go inside `box` (PDF points, y grows down). */
export function chartGeometry(report: Pick<MetricReport, 'series' | 'unit'>, box: ChartBox): ChartGeometry {
  const values = report.series.flatMap((s) => s.points.map((p) => p.value)).filter((v) => v !== null);
  const ticks = axisTicks(Math.min(0, ...values), Math.max(0, ...values), report.unit);
  const bottom = ticks[0]!;
  const top = ticks[ticks.length - 1]!;
  const yOf = (v: number) => box.y + box.height - ((v - bottom) / (top - bottom || 1)) * box.height;
  const labels = report.series[0]?.points.map((p) => p.period) ?? [];
  const step = labels.length > 1 ? box.width / (labels.length - 1) : 0;
  const xOf = (i: number) => (labels.length > 1 ? box.x + i * step : box.x + box.width / 2);
  return {
    ticks: ticks.map((value) => ({ value, y: yOf(value) })),
    periods: labels.map((label, i) => ({ label, x: xOf(i) })),
    lines: report.series.map((series) => {
      const segments: { x: number; y: number }[][] = [];
      let current: { x: number; y: number }[] = [];
      series.points.forEach((point, i) => {
        if (point.value === null) {
          if (current.length > 0) segments.push(current);
          current = [];
        } else {
          current.push({ x: xOf(i), y: yOf(point.value) });
        }
      });
      if (current.length > 0) segments.push(current);
      return { label: series.label, segments };
    }),
  };
}

/**
 * One CSV field (RFC 4180): quoted when it holds a separator, quote or line break. Text that a spreadsheet
 * would run as a formula (starting with = + - @, tab or CR) gets a leading apostrophe (OWASP "CSV injection").
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const CSV_HEADER = ['metric', 'stat', 'unit', 'group', 'period', 'start', 'value', 'n'] as const;

/** One row per metric, group and period, under `CSV_HEADER`; CRLF line ends. */
export function reportsToCsv(reports: readonly MetricReport[]): string {
  const lines = [CSV_HEADER.join(',')];
  for (const report of reports) {
    for (const series of report.series) {
      for (const point of series.points) {
        lines.push(
          [
            report.metric,
            report.stat,
            report.unit,
            report.groupBy ? series.label : '',
            point.period,
            point.start,
            point.value,
            point.n,
          ]
            .map(csvField)
            .join(','),
        );
      }
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}

const TRANSLITERATION: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss' };

/** A title as a file-name part: lower-case ASCII words joined by `-` (umlauts spelled out), `report` if none. */
export function slugOf(title: string): string {
  const slug = title
    .toLowerCase()
    .replace(/[äöüß]/g, (c) => TRANSLITERATION[c]!)
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug || 'report';
}

/** An XLSX sheet name: at most 31 characters, none of `[]:*?/\`, unique among `taken`. */
export function sheetNameOf(name: string, taken: ReadonlySet<string>): string {
  const base =
    name
      .replace(/[[\]:*?/\\]/g, ' ')
      .slice(0, 31)
      .trim() || 'Sheet';
  let candidate = base;
  for (let i = 2; taken.has(candidate.toLowerCase()); i++) {
    const suffix = ` (${i})`;
    candidate = `${base.slice(0, 31 - suffix.length)}${suffix}`;
  }
  return candidate;
}

export interface DayRange {
  from: string;
  to: string;
}

/**
 * The most points (a series' value in one period) one file may hold, summed over its reports. Every point of a
 * metric export is a table row in a PDF (about 40 to a page, so 5,000 is some 125 pages) and a row in CSV and
 * XLSX; files are built in memory in the web process, so a request must not ask for hundreds of thousands.
 */
export const EXPORT_POINT_LIMITS: Readonly<Record<ReportFormat, number>> = {
  pdf: 5000,
  csv: 100_000,
  xlsx: 100_000,
};

/** Points reports hold: one per series and period. */
export function reportPoints(reports: readonly Pick<MetricReport, 'series'>[]): number {
  let points = 0;
  for (const report of reports) for (const series of report.series) points += series.points.length;
  return points;
}

/**
 * The periods of its grain a metric query's days touch in its zone (`viewerZone` when it names none), with the
 * metric API's defaults (the 30 days up to today) — counted by calendar arithmetic, not by walking the periods,
 * so a range of 9,999 days costs nothing. 0 for days that do not exist or a backwards range, which the metric
 * query itself refuses.
 */
export function periodsOfQuery(
  query: Pick<MetricQuery, 'from' | 'to' | 'grain' | 'timeZone'>,
  viewerZone: string,
  now: Date,
): number {
  const zone = query.timeZone ?? viewerZone;
  const to = query.to
    ? DateTime.fromISO(query.to, { zone })
    : DateTime.fromJSDate(now, { zone }).startOf('day');
  const from = query.from ? DateTime.fromISO(query.from, { zone }) : to.minus({ days: 29 });
  if (!from.isValid || !to.isValid || from > to) return 0;
  // Whole calendar days between two local dates, whatever the zone's offsets did in between.
  const days = (a: DateTime, b: DateTime) =>
    Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / 86_400_000);
  switch (query.grain) {
    case 'hour': {
      // Hours are UTC hours (a zone half an hour off touches one more).
      const hour = 3_600_000;
      const start = Math.floor(from.toMillis() / hour) * hour;
      return Math.ceil((to.plus({ days: 1 }).startOf('day').toMillis() - start) / hour);
    }
    case 'day':
      return days(from, to) + 1;
    case 'week':
      return Math.floor(days(from.startOf('week'), to) / 7) + 1;
    case 'month':
      return (to.year - from.year) * 12 + to.month - from.month + 1;
    case 'quarter':
      return (to.year - from.year) * 4 + to.quarter - from.quarter + 1;
  }
}

const thousands = (n: number) => new Intl.NumberFormat('en-US').format(n);

/** Why a file of `points` in `format` is refused (the problem's message), or null when it fits. */
export function exportTooLarge(
  points: number,
  format: ReportFormat,
  advice = 'choose a coarser grain or a shorter range',
): string | null {
  const limit = EXPORT_POINT_LIMITS[format];
  if (points <= limit) return null;
  const other =
    format === 'pdf' ? ` (or export CSV or XLSX, up to ${thousands(EXPORT_POINT_LIMITS.csv)})` : '';
  return `the export holds ${thousands(points)} points (periods × groups over all queries); a ${format.toUpperCase()} holds at most ${thousands(limit)}: ${advice}${other}`;
}

/** The key of a schedule's own run for a period: the whole period, so a changed frequency gets its own. */
export function scheduleRunKey(frequency: Frequency, period: DayRange): string {
  return `schedule:${frequency}:${period.from}:${period.to}`;
}

const unitOfFrequency = { weekly: 'week', monthly: 'month', quarterly: 'quarter' } as const;

/** The whole week (Monday to Sunday), month or quarter in `zone` that ended last before `at`. */
export function periodBefore(frequency: Frequency, zone: string, at: Date): DayRange {
  const unit = unitOfFrequency[frequency];
  const start = DateTime.fromJSDate(at, { zone })
    .startOf(unit)
    .minus({ [`${unit}s`]: 1 });
  return { from: start.toISODate()!, to: start.endOf(unit).toISODate()! };
}

/** Hour of the day (in the schedule's zone) reports are sent after their period ended: late events settle. */
export const SEND_HOUR = 6;

/** When a schedule runs next after `after`: 06:00 on the first day of the next week, month or quarter. */
export function nextRunAfter(frequency: Frequency, zone: string, after: Date): Date {
  const unit = unitOfFrequency[frequency];
  const local = DateTime.fromJSDate(after, { zone });
  let run = local.startOf(unit).set({ hour: SEND_HOUR });
  while (run <= local)
    run = run
      .plus({ [`${unit}s`]: 1 })
      .startOf(unit)
      .set({ hour: SEND_HOUR });
  return run.toJSDate();
}

/** The range of the same length just before `range` (the previous period to compare with). */
export function previousRange(range: DayRange): DayRange {
  const from = DateTime.fromISO(range.from, { zone: 'UTC' });
  const to = DateTime.fromISO(range.to, { zone: 'UTC' });
  const days = Math.round(to.diff(from, 'days').days) + 1;
  return {
    from: from.minus({ days }).toISODate()!,
    to: from.minus({ days: 1 }).toISODate()!,
  };
}

/** Trends by week, by month past half a year: a chart stays readable. */
export function trendGrain(range: DayRange): 'week' | 'month' {
  const days = DateTime.fromISO(range.to).diff(DateTime.fromISO(range.from), 'days').days + 1;
  return days > 183 ? 'month' : 'week';
}
