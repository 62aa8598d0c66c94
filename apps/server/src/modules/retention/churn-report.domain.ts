/**
 * The churn analysis as a document: who churned and with how much MRR, why (cancel reasons), where (plan and
 * account attributes), what the churn model sees behind it, and the cohorts — for a quarter or a month.
 */
import {
  type ChurnAnalysisData,
  cohortBlocks,
  cohortSheet,
  type Formatter,
  featureLabel,
  formatterOf,
  lineChart,
  MONEY,
  PDF_CHURNED_ACCOUNTS,
  percentOf,
  type ReportBlock,
  type ReportDocument,
  type ReportSheet,
  ratesSheet,
  reasonsBlocks,
  reasonsSheet,
  SHARE,
  subtitleOf,
  type Translate,
} from './report.domain';

function summaryBlocks(data: ChurnAnalysisData, t: Translate, f: Formatter): ReportBlock[] {
  const accounts = data.periods.reduce((sum, period) => sum + period.customers.churned, 0);
  const mrr = data.periods.reduce((sum, period) => sum + Math.round(period.mrr.churned * 100), 0) / 100;
  const first = data.periods[0]?.period ?? data.range.from;
  const last = data.periods[data.periods.length - 1]?.period ?? data.range.to;
  const blocks: ReportBlock[] = [
    {
      kind: 'note',
      text: t('churn.summary', {
        range: first === last ? first : `${first} – ${last}`,
        accounts: f.count(accounts),
        mrr: f.money(mrr),
      }),
    },
    {
      kind: 'table',
      columns: [
        t('col.period'),
        t('col.startingCustomers'),
        t('col.churnedCustomers'),
        t('col.customerChurnRate'),
        t('col.churned'),
        t('col.grossRevenueChurnRate'),
      ],
      widths: [0.14, 0.17, 0.15, 0.18, 0.18, 0.18],
      rows: data.periods.map((period) => [
        period.period,
        f.count(period.customers.starting),
        f.count(period.customers.churned),
        f.share(period.customerChurnRate),
        f.money(period.mrr.churned),
        f.share(period.grossRevenueChurnRate),
      ]),
    },
  ];
  if (data.periods.length > 1) {
    blocks.push({
      kind: 'chart',
      heading: t('rates.chart'),
      report: lineChart(
        'percent',
        data.periods.map((period) => period.period),
        (['customerChurnRate', 'grossRevenueChurnRate'] as const).map((key) => ({
          label: t(`col.${key}`),
          values: data.periods.map((period) => percentOf(period[key])),
        })),
      ),
    });
  }
  return blocks;
}

const segmentName = (dimension: string, t: Translate) =>
  dimension === 'plan' ? t('segment.plan') : t('segment.attribute', { name: dimension });

function segmentBlocks(data: ChurnAnalysisData, t: Translate, f: Formatter): ReportBlock[] {
  return [
    { kind: 'heading', text: t('segments.heading') },
    { kind: 'note', text: t('segments.note', { max: String(data.maxSegmentValues) }) },
    {
      kind: 'table',
      columns: [
        t('col.segment'),
        t('col.value'),
        t('col.startingAccounts'),
        t('col.churnedCustomers'),
        t('col.customerChurnRate'),
        t('col.churnedMrr'),
      ],
      widths: [0.2, 0.2, 0.15, 0.13, 0.16, 0.16],
      rows: data.segments.map((segment) => [
        segmentName(segment.dimension, t),
        segment.value,
        f.count(segment.starting),
        f.count(segment.churned),
        f.share(segment.churnRate),
        f.money(segment.churnedMrr),
      ]),
    },
  ];
}

function directionOf(
  driver: NonNullable<ChurnAnalysisData['model']>['drivers'][number],
  t: Translate,
): string {
  return t(`direction.${driver.direction}`, {
    riskiest: driver.riskiestLevel ?? '–',
    safest: driver.safestLevel ?? '–',
  });
}

function driverBlocks(data: ChurnAnalysisData, t: Translate, f: Formatter): ReportBlock[] {
  const heading: ReportBlock = { kind: 'heading', text: t('drivers.heading') };
  if (!data.model) return [heading, { kind: 'note', text: t('drivers.none') }];
  return [
    heading,
    {
      kind: 'note',
      text: t('drivers.note', {
        trainedAt: data.model.trainedAt,
        auc: data.model.auc === null ? '–' : f.decimal(data.model.auc),
      }),
    },
    {
      kind: 'table',
      columns: [t('col.feature'), t('col.importance'), t('col.direction')],
      widths: [0.35, 0.15, 0.5],
      rows: data.model.drivers.map((driver) => [
        featureLabel(driver.feature, t),
        f.decimal(driver.importance),
        directionOf(driver, t),
      ]),
    },
  ];
}

function churnedBlocks(data: ChurnAnalysisData, t: Translate, f: Formatter): ReportBlock[] {
  const shown = data.churned.slice(0, PDF_CHURNED_ACCOUNTS);
  const blocks: ReportBlock[] = [{ kind: 'heading', text: t('churn.accounts') }];
  if (data.churned.length > shown.length) {
    blocks.push({
      kind: 'note',
      text: t('churn.accountsNote', { shown: f.count(shown.length), total: f.count(data.churned.length) }),
    });
  }
  blocks.push({
    kind: 'table',
    columns: [t('col.period'), t('col.account'), t('col.plan'), t('col.mrr'), t('col.reason')],
    widths: [0.11, 0.3, 0.14, 0.15, 0.3],
    rows: shown.map((account) => [
      account.period,
      account.name || account.externalId,
      account.plan ?? '',
      f.money(account.mrr),
      account.reason ?? t('reason.none'),
    ]),
  });
  return blocks;
}

function churnSheets(data: ChurnAnalysisData, t: Translate): ReportSheet[] {
  const model = data.model;
  return [
    {
      name: t('sheet.segments'),
      columns: [
        { header: t('col.segment'), width: 22 },
        { header: t('col.value'), width: 22 },
        { header: t('col.startingAccounts'), width: 16 },
        { header: t('col.churnedCustomers'), width: 14 },
        { header: t('col.customerChurnRate'), width: 18, numFmt: SHARE },
        { header: `${t('col.startingMrr')} (${data.currency})`, width: 18, numFmt: MONEY },
        { header: `${t('col.churnedMrr')} (${data.currency})`, width: 18, numFmt: MONEY },
      ],
      rows: data.segments.map((segment) => [
        segmentName(segment.dimension, t),
        segment.value,
        segment.starting,
        segment.churned,
        segment.churnRate,
        segment.startingMrr,
        segment.churnedMrr,
      ]),
    },
    {
      name: t('sheet.drivers'),
      columns: [
        { header: t('col.feature'), width: 32 },
        { header: 'feature', width: 22 },
        { header: t('col.importance'), width: 14, numFmt: '0.000' },
        { header: t('col.direction'), width: 44 },
      ],
      rows: (model?.drivers ?? []).map((driver) => [
        featureLabel(driver.feature, t),
        driver.feature,
        driver.importance,
        directionOf(driver, t),
      ]),
    },
    {
      name: t('sheet.churned'),
      columns: [
        { header: t('col.period'), width: 12 },
        { header: t('col.externalId'), width: 18 },
        { header: t('col.account'), width: 30 },
        { header: t('col.plan'), width: 14 },
        { header: `${t('col.mrr')} (${data.currency})`, width: 14, numFmt: MONEY },
        { header: t('col.reason'), width: 40 },
      ],
      rows: data.churned.map((account) => [
        account.period,
        account.externalId,
        account.name,
        account.plan,
        account.mrr,
        account.reason ?? t('reason.none'),
      ]),
    },
  ];
}

/** The churn analysis of a quarter (or month): churned accounts and MRR, reasons, segments, drivers, cohorts. */
export function churnAnalysisDocument(
  data: ChurnAnalysisData,
  options: { language: 'de' | 'en'; t: Translate; title?: string },
): ReportDocument {
  const { t } = options;
  const f = formatterOf(options.language, data.currency);
  return {
    title: options.title ?? t('churn.title'),
    range: data.range,
    subtitle: subtitleOf(data, t, f),
    blocks: [
      ...summaryBlocks(data, t, f),
      ...reasonsBlocks(data.churnReasons, t, f),
      ...segmentBlocks(data, t, f),
      ...driverBlocks(data, t, f),
      ...churnedBlocks(data, t, f),
      ...cohortBlocks(data, t, f, true),
    ],
    sheets: [
      ratesSheet(data, t),
      reasonsSheet(data.churnReasons, t, data.currency),
      ...churnSheets(data, t),
      cohortSheet(data.cohorts, 'customers', t),
    ],
  };
}
