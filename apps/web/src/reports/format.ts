import type { MetricReport, ReportGrain } from '@keepdesk/contract';

type Unit = MetricReport['unit'];

/** Minutes as people read them: "45 min", "3 h 20 min", "2 d 4 h". */
export function formatMinutes(minutes: number, language: string): string {
  const number = new Intl.NumberFormat(language, { maximumFractionDigits: minutes < 10 ? 1 : 0 });
  if (minutes < 60) return `${number.format(minutes)} min`;
  const whole = Math.round(minutes);
  const hours = Math.floor(whole / 60);
  if (hours < 48) return whole % 60 === 0 ? `${hours} h` : `${hours} h ${whole % 60} min`;
  const days = Math.floor(hours / 24);
  const d = language.startsWith('de') ? 'T' : 'd';
  return hours % 24 === 0 ? `${days} ${d}` : `${days} ${d} ${hours % 24} h`;
}

/** A value in its unit: minutes as h/min, percent with %, counts and scores as numbers in the language. */
export function formatValue(value: number | null, unit: Unit, language: string): string {
  if (value === null) return '–';
  if (unit === 'minutes') return formatMinutes(value, language);
  const number = new Intl.NumberFormat(language, { maximumFractionDigits: unit === 'tickets' ? 0 : 1 });
  if (unit === 'percent') return `${number.format(value)} %`;
  return number.format(value);
}

/** A short axis tick for a value: "2 h" rather than "2 h 0 min". */
export function formatTick(value: number, unit: Unit, language: string): string {
  if (unit === 'minutes') {
    if (value >= 2880) return `${Math.round(value / 1440)} ${language.startsWith('de') ? 'T' : 'd'}`;
    if (value >= 120) return `${Math.round(value / 60)} h`;
    return `${Math.round(value)} min`;
  }
  return formatValue(value, unit, language);
}

/** A period of a chart by its start, in the viewer's zone and language: "2. März", "KW 10", "März 2026". */
export function formatPeriod(start: string, grain: ReportGrain, language: string, timeZone: string): string {
  const date = new Date(start);
  if (Number.isNaN(date.getTime())) return start; // a label the chart made up (an empty tooltip)
  const format = (options: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat(language, { timeZone, ...options }).format(date);
  switch (grain) {
    case 'hour':
      return format({ day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
    case 'day':
      return format({ day: 'numeric', month: 'short' });
    case 'week':
      return `${language.startsWith('de') ? 'ab' : 'from'} ${format({ day: 'numeric', month: 'short' })}`;
    case 'month':
      return format({ month: 'short', year: 'numeric' });
    case 'quarter':
      return format({ month: 'short', year: 'numeric' });
  }
}
