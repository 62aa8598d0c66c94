/**
 * Reports as files: metric reports (a dashboard, a widget) and the management report as PDF, CSV or XLSX.
 * Everything is read through the metric queries, so a file shows exactly what the dashboards show.
 */
import type { MetricQuery, MetricReport, ReportFormat } from '@keepdesk/contract';
import { eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Deps } from '../../platform/context';
import { AppError, fieldError } from '../../platform/errors';
import { translate } from '../../platform/i18n';
import { users } from '../auth';
import type { ReportDocument } from '../retention';
import {
  type DayRange,
  EXPORT_POINT_LIMITS,
  exportTooLarge,
  formatChange,
  formatValue,
  MANAGEMENT_BREAKDOWN,
  MANAGEMENT_HEADLINES,
  periodsOfQuery,
  previousRange,
  reportPoints,
  reportsToCsv,
  slugOf,
  trendGrain,
} from './export.domain';
import { EXPORT_MESSAGES } from './export.messages';
import { type PdfBlock, renderPdf, reportLabels, reportTable } from './export.pdf';
import { renderXlsx, type XlsxCell, type XlsxSheet } from './export.xlsx';
import { metricReports } from './query.service';

type Language = 'de' | 'en';

export interface ReportFile {
  filename: string;
  contentType: string;
  content: Buffer;
}

const CONTENT_TYPES: Record<ReportFormat, string> = {
  pdf: 'application/pdf',
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** The language and time zone a user reads reports in. */
export async function readerOf(
  deps: Deps,
  userId: string,
): Promise<{ language: Language; timeZone: string }> {
  const [row] = await deps.database.db
    .select({ language: users.language, timeZone: users.timeZone })
    .from(users)
    .where(eq(users.id, userId));
  return { language: row?.language === 'de' ? 'de' : 'en', timeZone: row?.timeZone ?? 'UTC' };
}

interface RenderOptions {
  title: string;
  format: ReportFormat;
  language: Language;
  now: Date;
  /** Leaves PDF text streams uncompressed (tests read them). */
  compressPdf?: boolean;
}

/**
 * Refuses, before anything is read, metric queries whose periods alone (one series each) exceed the cap of the
 * strictest of `formats`; the files are checked again on what the queries returned (groups add series).
 */
export function checkExportQueries(
  queries: readonly MetricQuery[],
  viewerZone: string,
  formats: readonly ReportFormat[],
  now: Date,
): void {
  const points = queries.reduce((sum, query) => sum + periodsOfQuery(query, viewerZone, now), 0);
  const message = exportTooLarge(points, strictest(formats));
  if (message) throw fieldError('queries', message);
}

/** Refuses metric reports as a file of the strictest of `formats` when they hold more points than it may. */
export function checkExportReports(reports: readonly MetricReport[], formats: readonly ReportFormat[]): void {
  const format = strictest(formats);
  const message = exportTooLarge(reportPoints(reports), format);
  if (message) throw fieldError('queries', message);
}

/** Refuses, before anything is read, a management report whose headline trends alone exceed the cap. */
export function checkManagementRange(
  range: DayRange,
  timeZone: string,
  format: ReportFormat,
  now: Date,
): void {
  const periods = periodsOfQuery({ ...range, grain: trendGrain(range), timeZone }, timeZone, now);
  const message = exportTooLarge(periods * MANAGEMENT_HEADLINES.length, format, SHORTER_RANGE);
  if (message) throw fieldError('from', message);
}

// The range sets the grain of the management report's trends: only a shorter one helps.
const SHORTER_RANGE = 'choose a shorter range';

function strictest(formats: readonly ReportFormat[]): ReportFormat {
  return [...formats].sort((a, b) => EXPORT_POINT_LIMITS[a] - EXPORT_POINT_LIMITS[b])[0] ?? 'pdf';
}

const fileName = (title: string, range: DayRange, format: ReportFormat) =>
  `${slugOf(title)}-${range.from}-${range.to}.${format}`;

const stamp = (now: Date, zone: string) => DateTime.fromJSDate(now, { zone }).toFormat('yyyy-MM-dd HH:mm');

const CSV_BOM = '\uFEFF';

/** Metric reports as one file: PDF with a chart and a table per report, CSV rows, or an XLSX sheet per report. */
export async function renderReports(
  reports: readonly MetricReport[],
  options: RenderOptions,
): Promise<ReportFile> {
  const { title, format, language } = options;
  checkExportReports(reports, [format]);
  const t = (key: string, vars?: Record<string, string>) => translate(EXPORT_MESSAGES, language, key, vars);
  const range = {
    from: reports.map((r) => r.from).sort()[0]!,
    to: reports
      .map((r) => r.to)
      .sort()
      .reverse()[0]!,
  };
  const zone = reports[0]!.timeZone;
  const filename = fileName(title, range, format);
  const file = (content: Buffer) => ({ filename, contentType: CONTENT_TYPES[format], content });
  if (format === 'csv') return file(Buffer.from(CSV_BOM + reportsToCsv(reports), 'utf8'));
  if (format === 'xlsx') {
    const sheets = reports.map((report): XlsxSheet => {
      const labels = reportLabels(report, language);
      return {
        name: labels.metric,
        columns: [
          { header: 'metric', width: 24 },
          { header: 'stat', width: 10 },
          { header: 'unit', width: 10 },
          { header: labels.group, width: 24 },
          { header: t('table.period'), width: 14 },
          { header: 'start', width: 18, numFmt: 'yyyy-mm-dd hh:mm' },
          { header: `${t('table.value')} (${report.unit})`, width: 14 },
          { header: t('table.samples'), width: 12 },
        ],
        rows: report.series.flatMap((series) =>
          series.points.map((point): XlsxCell[] => [
            report.metric,
            report.stat,
            report.unit,
            report.groupBy ? series.label : '',
            point.period,
            new Date(point.start),
            point.value,
            point.n,
          ]),
        ),
      };
    });
    return file(await renderXlsx({ title, sheets }));
  }
  const blocks: PdfBlock[] = reports.flatMap((report): PdfBlock[] => [
    { kind: 'chart', heading: reportLabels(report, language).heading, report },
    reportTable(report, language),
  ]);
  const pdf = await renderPdf({
    title,
    subtitle: [t('pdf.period', { from: range.from, to: range.to, zone })],
    blocks,
    language,
    generatedAt: stamp(options.now, zone),
    compress: options.compressPdf,
  });
  return file(pdf);
}

/** What the management report holds: the headline KPIs now and before, their trends, teams and channels. */
export interface ManagementData {
  range: DayRange;
  previous: DayRange;
  timeZone: string;
  grain: 'week' | 'month';
  headlines: { current: MetricReport; previous: MetricReport }[];
  byTeam: MetricReport[];
  byChannel: MetricReport[];
}

/** Reads the management report for the days `range` in `timeZone`. */
export async function managementData(deps: Deps, range: DayRange, timeZone: string): Promise<ManagementData> {
  if (range.from > range.to) {
    const message = `${range.from} is after ${range.to}`;
    throw new AppError('VALIDATION_FAILED', {
      message: `from: ${message}`,
      errors: [{ field: 'from', message }],
    });
  }
  try {
    return await readManagement(deps, range, timeZone);
  } catch (error) {
    // The queries are ours; a problem with them is a problem with the range or zone the caller gave.
    if (!(error instanceof AppError) || !error.errors) throw error;
    const errors = error.errors.map((e) => ({ ...e, field: e.field.replace(/^queries\.\d+\./, '') }));
    throw new AppError(error.code, { message: error.message, errors });
  }
}

async function readManagement(deps: Deps, range: DayRange, timeZone: string): Promise<ManagementData> {
  const grain = trendGrain(range);
  const previous = previousRange(range);
  const query = (
    spec: { metric: MetricQuery['metric']; stat: MetricQuery['stat'] },
    days: DayRange,
    groupBy?: 'team' | 'channel',
  ): MetricQuery => ({ ...spec, ...days, grain, timeZone, ...(groupBy ? { groupBy } : {}) });
  const current = await metricReports(
    deps,
    MANAGEMENT_HEADLINES.map((h) => query(h, range)),
    timeZone,
  );
  const before = await metricReports(
    deps,
    MANAGEMENT_HEADLINES.map((h) => query(h, previous)),
    timeZone,
  );
  const byTeam = await metricReports(
    deps,
    MANAGEMENT_BREAKDOWN.map((h) => query(h, range, 'team')),
    timeZone,
  );
  const byChannel = await metricReports(
    deps,
    MANAGEMENT_BREAKDOWN.map((h) => query(h, range, 'channel')),
    timeZone,
  );
  return {
    range,
    previous,
    timeZone,
    grain,
    headlines: current.map((report, i) => ({ current: report, previous: before[i]! })),
    byTeam,
    byChannel,
  };
}

/** Groups as rows, metrics as columns: each cell the group's total over the range. */
function breakdownRows(reports: readonly MetricReport[]): { group: string; values: (number | null)[] }[] {
  const groups = [...new Set(reports.flatMap((r) => r.series.map((s) => s.label)))].sort((a, b) =>
    a.localeCompare(b),
  );
  return groups.map((group) => ({
    group,
    values: reports.map((r) => r.series.find((s) => s.label === group)?.total.value ?? null),
  }));
}

/**
 * Points the management report's file holds: in CSV every point of every report; in PDF and XLSX the trend of
 * each headline KPI and a row per team and channel (the breakdowns show totals only).
 */
function managementPoints(data: ManagementData, format: ReportFormat): number {
  const breakdowns = [...data.byTeam, ...data.byChannel];
  if (format === 'csv') return reportPoints([...data.headlines.map((h) => h.current), ...breakdowns]);
  const groups = (reports: readonly MetricReport[]) =>
    new Set(reports.flatMap((r) => r.series.map((s) => s.label))).size;
  return reportPoints(data.headlines.map((h) => h.current)) + groups(data.byTeam) + groups(data.byChannel);
}

/** The management report as a multi-page PDF with charts, an XLSX workbook, or the CSV of its numbers. */
export async function renderManagement(
  data: ManagementData,
  options: Omit<RenderOptions, 'title'> & { title?: string },
): Promise<ReportFile> {
  const { language, format } = options;
  const t = (key: string, vars?: Record<string, string>) => translate(EXPORT_MESSAGES, language, key, vars);
  const title = options.title ?? t('management.title');
  const filename = fileName(title, data.range, format);
  const file = (content: Buffer) => ({ filename, contentType: CONTENT_TYPES[format], content });
  const allReports = [...data.headlines.map((h) => h.current), ...data.byTeam, ...data.byChannel];
  const tooMany = exportTooLarge(managementPoints(data, format), format, SHORTER_RANGE);
  if (tooMany) throw fieldError('from', tooMany);
  if (format === 'csv') return file(Buffer.from(CSV_BOM + reportsToCsv(allReports), 'utf8'));

  const breakdownColumns = (reports: readonly MetricReport[], dimension: string) => [
    t(`dimension.${dimension}`),
    ...reports.map((r) => reportLabels(r, language).metric),
  ];
  if (format === 'xlsx') {
    const breakdownSheet = (
      name: string,
      reports: readonly MetricReport[],
      dimension: string,
    ): XlsxSheet => ({
      name,
      columns: breakdownColumns(reports, dimension).map((header, i) => ({
        header,
        width: i === 0 ? 28 : 18,
      })),
      rows: breakdownRows(reports).map((row) => [row.group, ...row.values]),
    });
    const sheets: XlsxSheet[] = [
      {
        name: t('management.headlines'),
        columns: [
          { header: t('management.kpi'), width: 34 },
          { header: 'metric', width: 22 },
          { header: 'unit', width: 10 },
          { header: `${t('management.current')} (${data.range.from} – ${data.range.to})`, width: 26 },
          { header: `${t('management.previous')} (${data.previous.from} – ${data.previous.to})`, width: 26 },
          { header: t('management.change'), width: 14 },
        ],
        rows: data.headlines.map(({ current, previous }) => [
          reportLabels(current, language).heading,
          current.metric,
          current.unit,
          current.total.value,
          previous.total.value,
          current.total.value !== null && previous.total.value !== null
            ? Math.round((current.total.value - previous.total.value) * 100) / 100
            : null,
        ]),
      },
      {
        name: t('management.trends', { grain: t(`grain.${data.grain}`) }),
        columns: [
          { header: t('management.kpi'), width: 34 },
          { header: t('table.period'), width: 12 },
          { header: 'start', width: 18, numFmt: 'yyyy-mm-dd' },
          { header: t('table.value'), width: 14 },
          { header: t('table.samples'), width: 12 },
        ],
        rows: data.headlines.flatMap(({ current }) =>
          (current.series[0]?.points ?? []).map((p): XlsxCell[] => [
            reportLabels(current, language).heading,
            p.period,
            new Date(p.start),
            p.value,
            p.n,
          ]),
        ),
      },
      breakdownSheet(t('management.byTeam'), data.byTeam, 'team'),
      breakdownSheet(t('management.byChannel'), data.byChannel, 'channel'),
    ];
    return file(await renderXlsx({ title, sheets }));
  }

  const breakdownTable = (reports: readonly MetricReport[], dimension: string): PdfBlock => ({
    kind: 'table',
    columns: breakdownColumns(reports, dimension),
    rows: breakdownRows(reports).map((row) => [
      row.group,
      ...row.values.map((v, i) => formatValue(v, reports[i]!.unit, language)),
    ]),
  });
  const blocks: PdfBlock[] = [
    { kind: 'heading', text: t('management.headlines') },
    {
      kind: 'table',
      columns: [
        t('management.kpi'),
        t('management.current'),
        t('management.previous'),
        t('management.change'),
      ],
      widths: [0.4, 0.2, 0.2, 0.2],
      rows: data.headlines.map(({ current, previous }) => [
        reportLabels(current, language).heading,
        formatValue(current.total.value, current.unit, language),
        formatValue(previous.total.value, current.unit, language),
        formatChange(current.total.value, previous.total.value, current.unit, language),
      ]),
    },
    { kind: 'heading', text: t('management.trends', { grain: t(`grain.${data.grain}`) }) },
    ...data.headlines.map(
      ({ current }): PdfBlock => ({
        kind: 'chart',
        heading: reportLabels(current, language).heading,
        report: current,
      }),
    ),
    { kind: 'heading', text: t('management.byTeam') },
    breakdownTable(data.byTeam, 'team'),
    { kind: 'heading', text: t('management.byChannel') },
    breakdownTable(data.byChannel, 'channel'),
  ];
  const pdf = await renderPdf({
    title,
    subtitle: [
      t('pdf.period', { from: data.range.from, to: data.range.to, zone: data.timeZone }),
      t('management.previousRange', { from: data.previous.from, to: data.previous.to }),
    ],
    blocks,
    language,
    generatedAt: stamp(options.now, data.timeZone),
    compress: options.compressPdf,
  });
  return file(pdf);
}

/** A report laid out by another module (the retention reports) as a PDF with page numbers or an XLSX workbook. */
export async function renderDocument(
  document: ReportDocument,
  options: { format: 'pdf' | 'xlsx'; language: Language; now: Date; timeZone: string; compressPdf?: boolean },
): Promise<ReportFile> {
  const { format, language } = options;
  const filename = fileName(document.title, document.range, format);
  const content =
    format === 'xlsx'
      ? await renderXlsx({ title: document.title, sheets: document.sheets })
      : await renderPdf({
          title: document.title,
          subtitle: document.subtitle,
          blocks: document.blocks,
          language,
          generatedAt: stamp(options.now, options.timeZone),
          compress: options.compressPdf,
        });
  return { filename, contentType: CONTENT_TYPES[format], content };
}
