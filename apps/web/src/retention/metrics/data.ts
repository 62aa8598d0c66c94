import {
  MRR_MOVEMENTS,
  type MrrMovement,
  type RetentionMetricsPeriod,
  type RetentionPeriodKind,
} from '@keepdesk/contract';

/** What the page keeps in the address, so a view can be shared and "back" returns to it. */
export interface MetricsSearch {
  period?: RetentionPeriodKind;
  from?: string;
  to?: string;
  currency?: string;
  measure?: 'customers' | 'revenue';
  basis?: 'subscriptions' | 'orders';
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** Reads the page's settings from the address, keeping only values it understands. */
export function parseMetricsSearch(search: Record<string, unknown>): MetricsSearch {
  const month = (value: unknown) => (typeof value === 'string' && MONTH.test(value) ? value : undefined);
  return {
    period: search.period === 'quarter' ? 'quarter' : search.period === 'month' ? 'month' : undefined,
    from: month(search.from),
    to: month(search.to),
    currency:
      typeof search.currency === 'string' && /^[A-Z]{3}$/.test(search.currency) ? search.currency : undefined,
    measure:
      search.measure === 'revenue' ? 'revenue' : search.measure === 'customers' ? 'customers' : undefined,
    basis:
      search.basis === 'orders' ? 'orders' : search.basis === 'subscriptions' ? 'subscriptions' : undefined,
  };
}

/** Movements that add MRR are drawn above the axis, those that take it away below. */
export const LOSSES: ReadonlySet<MrrMovement> = new Set(['contraction', 'churned']);

export const MOVEMENT_COLORS: Record<MrrMovement, string> = {
  new: 'teal.6',
  expansion: 'blue.6',
  reactivation: 'cyan.5',
  contraction: 'orange.5',
  churned: 'red.6',
};

export type MovementRow = { period: string; ending: number } & Record<MrrMovement, number>;

/** One chart row per period: gains positive, losses negative, and the MRR at its end. */
export function movementRows(periods: readonly RetentionMetricsPeriod[]): MovementRow[] {
  return periods.map((period) => {
    const row = { period: period.period, ending: period.mrr.ending } as MovementRow;
    for (const movement of MRR_MOVEMENTS) {
      row[movement] = LOSSES.has(movement) ? 0 - period.mrr[movement] : period.mrr[movement];
    }
    return row;
  });
}

export type KpiKey = 'customerChurnRate' | 'grossRevenueRetention' | 'netRevenueRetention' | 'mrr';

export interface Kpi {
  key: KpiKey;
  value: number | null;
  previous: number | null;
  /** Rates: the change in percentage points ÷ 100; MRR: the relative change. Null without a previous value. */
  change: number | null;
  /** Whether the change is good news: churn going down, retention and MRR going up. */
  isBetter: boolean | null;
}

/** The latest period against the one before: customer churn, GRR, NRR and MRR at the end. */
export function kpisOf(periods: readonly RetentionMetricsPeriod[]): Kpi[] {
  const latest = periods[periods.length - 1];
  const previous = periods[periods.length - 2];
  const figureOf = (period: RetentionMetricsPeriod | undefined, key: KpiKey) =>
    period === undefined ? null : key === 'mrr' ? period.mrr.ending : period[key];
  return (['customerChurnRate', 'grossRevenueRetention', 'netRevenueRetention', 'mrr'] as const).map(
    (key) => {
      const value = figureOf(latest, key);
      const before = figureOf(previous, key);
      let change: number | null = null;
      if (value !== null && before !== null) {
        if (key !== 'mrr') change = value - before;
        else if (before !== 0) change = (value - before) / before;
      }
      const isBetter =
        change === null || change === 0 ? null : key === 'customerChurnRate' ? change < 0 : change > 0;
      return { key, value, previous: before, change, isBetter };
    },
  );
}

/** A colour of the cohort scale for a share (revenue can pass 100 %: it keeps the darkest shade). */
export const COHORT_SHADES = [
  'blue.0',
  'blue.1',
  'blue.2',
  'blue.3',
  'blue.4',
  'blue.5',
  'blue.6',
  'blue.7',
  'blue.8',
  'blue.9',
] as const;

export function cohortShade(share: number): (typeof COHORT_SHADES)[number] {
  const step = Math.floor(Math.max(0, share) * COHORT_SHADES.length);
  return COHORT_SHADES[Math.min(COHORT_SHADES.length - 1, step)]!;
}

/** Whether text on a shade needs to be light to be read. */
export function isDarkShade(shade: string): boolean {
  return Number(shade.split('.')[1]) >= 6;
}

/** A rate of 0–1 with one decimal: "84.6%" / "84,6 %"; "–" when its base was 0. */
export function formatRate(share: number | null, language: string): string {
  if (share === null || !Number.isFinite(share)) return '–';
  return new Intl.NumberFormat(language, {
    style: 'percent',
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  }).format(share);
}

/** A change of a rate in percentage points: "+2.5 pts" / "+2,5 Pkt.". */
export function formatPoints(change: number, language: string): string {
  const points = new Intl.NumberFormat(language, {
    maximumFractionDigits: 1,
    signDisplay: 'exceptZero',
  }).format(change * 100);
  return `${points} ${language.startsWith('de') ? 'Pkt.' : 'pts'}`;
}

/** A relative change: "+4.2%" / "−3,1 %". */
export function formatChange(change: number, language: string): string {
  return new Intl.NumberFormat(language, {
    style: 'percent',
    maximumFractionDigits: 1,
    signDisplay: 'exceptZero',
  }).format(change);
}

/** A share as a whole percentage, for the small cells of the cohort heatmap: "85%" / "85 %". */
export function formatWholeRate(share: number, language: string): string {
  return new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 0 }).format(share);
}
