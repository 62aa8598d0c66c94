/**
 * The retention reports as documents: headings, notes, line charts and tables for the PDF, sheets for the XLSX
 * file; here the types and the parts both reports share. Pure: texts come through `t`, numbers are formatted for
 * the language here, and the reporting module draws the document (ADR 0030).
 */
import type { CancelReasonCount, RetentionMetricsPeriod, RetentionPeriodKind } from '@keepdesk/contract';
import type { CohortCell, CohortMatrix } from '@keepdesk/stats';
import { monthsOfQuarter, type SegmentChurn } from './metrics.domain';

type Language = 'de' | 'en';
export type Translate = (key: string, vars?: Record<string, string>) => string;

interface ChartPoint {
  period: string;
  start: string;
  value: number | null;
  n: number;
}

/** A line chart: one line per series over the same periods (the shape of a metric report's series). */
export interface ReportChart {
  unit: 'percent' | 'number';
  groupBy: null;
  series: {
    key: string | null;
    label: string;
    total: { value: number | null; n: number };
    points: ChartPoint[];
  }[];
}

export type ReportBlock =
  | { kind: 'heading'; text: string }
  | { kind: 'note'; text: string }
  | { kind: 'chart'; heading: string; report: ReportChart }
  | { kind: 'table'; columns: string[]; rows: string[][]; widths?: number[] };

export type ReportCell = string | number | Date | null;

export interface ReportSheet {
  name: string;
  columns: { header: string; width?: number; numFmt?: string }[];
  rows: ReportCell[][];
}

/** A report ready to draw: the PDF's blocks and the XLSX file's sheets. */
export interface ReportDocument {
  title: string;
  /** The months covered, for the file name. */
  range: { from: string; to: string };
  subtitle: string[];
  blocks: ReportBlock[];
  sheets: ReportSheet[];
}

export interface RetentionReportData {
  range: { from: string; to: string };
  period: RetentionPeriodKind;
  currency: string;
  excludedSubscriptions: number;
  subscriptions: number;
  periods: RetentionMetricsPeriod[];
  churnReasons: CancelReasonCount[];
  /** As of the report's last month, at most 12 months since acquisition. */
  cohorts: CohortMatrix;
}

export interface ChurnedAccountRow {
  period: string;
  externalId: string;
  name: string;
  plan: string | null;
  /** MRR at the start of the period. */
  mrr: number;
  reason: string | null;
}

export interface ChurnAnalysisData extends RetentionReportData {
  /** Largest MRR first. */
  churned: ChurnedAccountRow[];
  segments: SegmentChurn[];
  maxSegmentValues: number;
  model: {
    trainedAt: string;
    auc: number | null;
    drivers: {
      feature: string;
      importance: number;
      direction: 'higher-raises-risk' | 'higher-lowers-risk' | 'by-level';
      riskiestLevel?: string;
      safestLevel?: string;
    }[];
  } | null;
}

/** Churned accounts a PDF lists; the XLSX file lists all. */
export const PDF_CHURNED_ACCOUNTS = 50;
/** Cohort lines in a chart: the latest cohorts, beside the pooled average. */
const CHART_COHORTS = 6;

export const MONEY = '#,##0.00';
export const SHARE = '0.0%';

/** Numbers in the report's language. */
export function formatterOf(language: Language, currency: string) {
  const locale = language === 'de' ? 'de-DE' : 'en-GB';
  const money = new Intl.NumberFormat(locale, { style: 'currency', currency, maximumFractionDigits: 2 });
  const count = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const decimal = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const percent = (digits: number) =>
    new Intl.NumberFormat(locale, {
      style: 'percent',
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
  const onePercent = percent(1);
  const change = new Intl.NumberFormat(locale, {
    style: 'percent',
    maximumFractionDigits: 1,
    signDisplay: 'exceptZero',
  });
  const wholePercent = percent(0);
  const points = (difference: number) => {
    const text = new Intl.NumberFormat(locale, {
      maximumFractionDigits: 1,
      signDisplay: 'exceptZero',
    }).format(difference * 100);
    return `${text} ${language === 'de' ? 'Pkt.' : 'pts'}`;
  };
  return {
    money: (value: number) => money.format(value),
    count: (value: number) => count.format(value),
    decimal: (value: number) => decimal.format(value),
    share: (value: number | null) => (value === null ? '–' : onePercent.format(value)),
    wholeShare: (value: number | null) => (value === null ? '' : wholePercent.format(value)),
    /** The change of a rate in percentage points. */
    pointChange: (value: number | null, before: number | null) =>
      value === null || before === null ? '–' : points(value - before),
    /** The change of an amount in per cent of the earlier one. */
    relativeChange: (value: number, before: number) =>
      before === 0 ? '–' : change.format((value - before) / before),
  };
}

export type Formatter = ReturnType<typeof formatterOf>;

/** The ISO start of a period 'YYYY-MM' or 'YYYY-Qn'. */
function startOf(period: string): string {
  const month = period.includes('Q') ? monthsOfQuarter(period).from : period;
  return `${month}-01T00:00:00.000Z`;
}

export function lineChart(
  unit: ReportChart['unit'],
  labels: readonly string[],
  lines: readonly { label: string; values: readonly (number | null)[] }[],
): ReportChart {
  return {
    unit,
    groupBy: null,
    series: lines.map((line) => ({
      key: line.label,
      label: line.label,
      total: { value: null, n: 0 },
      points: labels.map((period, i) => ({
        period,
        start: startOf(period),
        value: line.values[i] ?? null,
        n: 0,
      })),
    })),
  };
}

export const percentOf = (share: number | null) => (share === null ? null : Math.round(share * 1000) / 10);

export function subtitleOf(data: RetentionReportData, t: Translate, f: Formatter): string[] {
  const first = data.periods[0]?.period ?? data.range.from;
  const last = data.periods[data.periods.length - 1]?.period ?? data.range.to;
  const lines = [
    t(`range.${data.period}`, { from: first, to: last }),
    t('currency', { currency: data.currency }),
  ];
  if (data.excludedSubscriptions > 0)
    lines.push(t('excluded', { count: f.count(data.excludedSubscriptions) }));
  const open = data.periods.find((period) => !period.isComplete);
  if (open) lines.push(t('incomplete', { period: open.period, day: open.endSnapshot }));
  lines.push(t('definitions'));
  if (data.subscriptions === 0) lines.push(t('noData'));
  return lines;
}

export const RATE_KEYS = [
  'customerChurnRate',
  'customerRetentionRate',
  'grossRevenueChurnRate',
  'grossRevenueRetention',
  'netRevenueRetention',
] as const;

export function reasonsBlocks(
  reasons: readonly CancelReasonCount[],
  t: Translate,
  f: Formatter,
): ReportBlock[] {
  const accounts = reasons.reduce((sum, reason) => sum + reason.accounts, 0);
  return [
    { kind: 'heading', text: t('reasons.heading') },
    {
      kind: 'table',
      columns: [t('col.reason'), t('col.accounts'), t('col.share'), t('col.mrr')],
      widths: [0.5, 0.15, 0.15, 0.2],
      rows: reasons.map((reason) => [
        reason.reason ?? t('reason.none'),
        f.count(reason.accounts),
        f.share(accounts === 0 ? null : reason.accounts / accounts),
        f.money(reason.mrr),
      ]),
    },
  ];
}

const cellShare = (cell: CohortCell | null, measure: 'customers' | 'revenue') =>
  cell === null ? null : measure === 'customers' ? cell.retention : cell.revenueRetention;

export function cohortBlocks(
  data: RetentionReportData,
  t: Translate,
  f: Formatter,
  withChart: boolean,
): ReportBlock[] {
  const { cohorts } = data;
  const columns = Array.from({ length: cohorts.months + 1 }, (_, k) =>
    t('col.monthsSince', { k: String(k) }),
  );
  const rest = (1 - 0.1 - 0.07) / Math.max(1, columns.length);
  const row = (label: string, size: string, cells: readonly (CohortCell | null)[]) => [
    label,
    size,
    ...cells.map((cell) => f.wholeShare(cellShare(cell, 'customers'))),
  ];
  const blocks: ReportBlock[] = [
    { kind: 'heading', text: t('cohorts.heading') },
    { kind: 'note', text: t('cohorts.note', { asOf: cohorts.asOf }) },
    {
      kind: 'table',
      columns: [t('col.cohort'), t('col.size'), ...columns],
      widths: [0.1, 0.07, ...columns.map(() => rest)],
      rows: [
        ...cohorts.rows.map((cohort) => row(cohort.cohort, f.count(cohort.size), cohort.cells)),
        row(t('col.average'), '', cohorts.average),
      ],
    },
  ];
  if (withChart && cohorts.rows.length > 0) {
    const latest = cohorts.rows.filter((cohort) => cohort.size > 0).slice(-CHART_COHORTS);
    const percent = (cells: readonly (CohortCell | null)[]) =>
      cells.map((cell) => percentOf(cellShare(cell, 'customers')));
    blocks.push({
      kind: 'chart',
      heading: t('cohorts.chart'),
      report: lineChart('percent', columns, [
        ...latest.map((cohort) => ({ label: cohort.cohort, values: percent(cohort.cells) })),
        { label: t('col.average'), values: percent(cohorts.average) },
      ]),
    });
  }
  return blocks;
}

export function ratesSheet(data: RetentionReportData, t: Translate): ReportSheet {
  return {
    name: t('sheet.rates'),
    columns: [
      { header: t('col.period'), width: 12 },
      ...(
        [
          'startingCustomers',
          'newCustomers',
          'reactivatedCustomers',
          'churnedCustomers',
          'endingCustomers',
        ] as const
      ).map((key) => ({ header: t(`col.${key}`), width: 16 })),
      ...RATE_KEYS.map((key) => ({ header: t(`col.${key}`), width: 20, numFmt: SHARE })),
    ],
    rows: data.periods.map((period) => [
      period.period,
      period.customers.starting,
      period.customers.new,
      period.customers.reactivated,
      period.customers.churned,
      period.customers.ending,
      ...RATE_KEYS.map((key) => period[key]),
    ]),
  };
}

export function reasonsSheet(
  reasons: readonly CancelReasonCount[],
  t: Translate,
  currency: string,
): ReportSheet {
  return {
    name: t('sheet.reasons'),
    columns: [
      { header: t('col.reason'), width: 40 },
      { header: t('col.accounts'), width: 12 },
      { header: `${t('col.mrr')} (${currency})`, width: 16, numFmt: MONEY },
    ],
    rows: reasons.map((reason) => [reason.reason ?? t('reason.none'), reason.accounts, reason.mrr]),
  };
}

export function cohortSheet(
  cohorts: CohortMatrix,
  measure: 'customers' | 'revenue',
  t: Translate,
): ReportSheet {
  const months = Array.from({ length: cohorts.months + 1 }, (_, k) => ({
    header: t('col.monthsSince', { k: String(k) }),
    width: 8,
    numFmt: SHARE,
  }));
  const cells = (list: readonly (CohortCell | null)[]) => list.map((cell) => cellShare(cell, measure));
  return {
    name: t(measure === 'customers' ? 'sheet.cohorts' : 'sheet.cohortsRevenue'),
    columns: [{ header: t('col.cohort'), width: 22 }, { header: t('col.size'), width: 8 }, ...months],
    rows: [
      ...cohorts.rows.map((row) => [row.cohort, row.size, ...cells(row.cells)]),
      [t('col.average'), null, ...cells(cohorts.average)],
    ],
  };
}

/** A feature of the churn model as people read it: `attr.region` is the attribute region. */
export function featureLabel(feature: string, t: Translate): string {
  if (feature.startsWith('attr.')) return t('feature.attribute', { name: feature.slice(5) });
  if (feature.startsWith('usage.')) return t('feature.usage', { name: feature.slice(6) });
  const key = `feature.${feature}`;
  const label = t(key);
  return label === key ? feature : label;
}
