/**
 * The monthly (or quarterly) retention-rate report as a document: key figures against the period before, rates
 * and MRR movements per period, cancel reasons and the cohort table.
 */
import {
  cohortBlocks,
  cohortSheet,
  type Formatter,
  formatterOf,
  lineChart,
  MONEY,
  percentOf,
  type RATE_KEYS,
  type ReportBlock,
  type ReportDocument,
  type ReportSheet,
  type RetentionReportData,
  ratesSheet,
  reasonsBlocks,
  reasonsSheet,
  subtitleOf,
  type Translate,
} from './report.domain';

const MOVEMENT_KEYS = ['new', 'expansion', 'reactivation', 'contraction', 'churned'] as const;

function kpiTable(data: RetentionReportData, t: Translate, f: Formatter): ReportBlock[] {
  const latest = data.periods[data.periods.length - 1];
  const previous = data.periods[data.periods.length - 2];
  if (!latest) return [];
  const rate = (key: (typeof RATE_KEYS)[number]) => [
    t(`col.${key}`),
    f.share(latest[key]),
    previous ? f.share(previous[key]) : '–',
    previous ? f.pointChange(latest[key], previous[key]) : '–',
  ];
  return [
    { kind: 'heading', text: t('kpi.heading') },
    {
      kind: 'table',
      columns: [
        t('kpi.figure'),
        t('kpi.latest', { period: latest.period }),
        t('kpi.previous', { period: previous?.period ?? '–' }),
        t('kpi.change'),
      ],
      widths: [0.34, 0.24, 0.24, 0.18],
      rows: [
        rate('customerChurnRate'),
        rate('customerRetentionRate'),
        rate('grossRevenueRetention'),
        rate('netRevenueRetention'),
        [
          t('col.endingMrr'),
          f.money(latest.mrr.ending),
          previous ? f.money(previous.mrr.ending) : '–',
          previous ? f.relativeChange(latest.mrr.ending, previous.mrr.ending) : '–',
        ],
        [
          t('col.endingCustomers'),
          f.count(latest.customers.ending),
          previous ? f.count(previous.customers.ending) : '–',
          previous ? f.relativeChange(latest.customers.ending, previous.customers.ending) : '–',
        ],
      ],
    },
  ];
}

function ratesBlocks(data: RetentionReportData, t: Translate, f: Formatter): ReportBlock[] {
  const labels = data.periods.map((period) => period.period);
  return [
    { kind: 'heading', text: t('rates.heading') },
    {
      kind: 'chart',
      heading: t('rates.chart'),
      report: lineChart(
        'percent',
        labels,
        (['customerChurnRate', 'grossRevenueRetention', 'netRevenueRetention'] as const).map((key) => ({
          label: t(`col.${key}`),
          values: data.periods.map((period) => percentOf(period[key])),
        })),
      ),
    },
    {
      kind: 'table',
      columns: [
        t('col.period'),
        t('col.startingCustomers'),
        t('col.churnedCustomers'),
        t('col.customerChurnRate'),
        t('col.customerRetentionRate'),
        t('col.grossRevenueRetention'),
        t('col.netRevenueRetention'),
      ],
      widths: [0.12, 0.15, 0.13, 0.16, 0.16, 0.14, 0.14],
      rows: data.periods.map((period) => [
        period.period,
        f.count(period.customers.starting),
        f.count(period.customers.churned),
        f.share(period.customerChurnRate),
        f.share(period.customerRetentionRate),
        f.share(period.grossRevenueRetention),
        f.share(period.netRevenueRetention),
      ]),
    },
  ];
}

function mrrBlocks(data: RetentionReportData, t: Translate, f: Formatter): ReportBlock[] {
  return [
    { kind: 'heading', text: t('mrr.heading') },
    {
      kind: 'chart',
      heading: t('mrr.chart'),
      report: lineChart(
        'number',
        data.periods.map((period) => period.period),
        [{ label: t('col.endingMrr'), values: data.periods.map((period) => period.mrr.ending) }],
      ),
    },
    {
      kind: 'table',
      columns: [
        t('col.period'),
        t('col.startingMrr'),
        ...MOVEMENT_KEYS.map((key) => t(`col.${key}`)),
        t('col.endingMrr'),
      ],
      widths: [0.09, 0.14, 0.12, 0.12, 0.12, 0.13, 0.14, 0.14],
      rows: data.periods.map((period) => [
        period.period,
        f.money(period.mrr.starting),
        ...MOVEMENT_KEYS.map(
          (key) => `${key === 'contraction' || key === 'churned' ? '−' : '+'}${f.money(period.mrr[key])}`,
        ),
        f.money(period.mrr.ending),
      ]),
    },
  ];
}

function mrrSheet(data: RetentionReportData, t: Translate): ReportSheet {
  return {
    name: t('sheet.mrr'),
    columns: [
      { header: t('col.period'), width: 12 },
      { header: `${t('col.startingMrr')} (${data.currency})`, width: 18, numFmt: MONEY },
      ...MOVEMENT_KEYS.map((key) => ({ header: t(`col.${key}`), width: 16, numFmt: MONEY })),
      { header: `${t('col.endingMrr')} (${data.currency})`, width: 18, numFmt: MONEY },
    ],
    rows: data.periods.map((period) => [
      period.period,
      period.mrr.starting,
      ...MOVEMENT_KEYS.map((key) => period.mrr[key]),
      period.mrr.ending,
    ]),
  };
}

/** The monthly (or quarterly) retention-rate report: key figures, rates, MRR movements, reasons, cohorts. */
export function retentionReportDocument(
  data: RetentionReportData,
  options: { language: 'de' | 'en'; t: Translate; title?: string },
): ReportDocument {
  const { t } = options;
  const f = formatterOf(options.language, data.currency);
  return {
    title: options.title ?? t('retention.title'),
    range: data.range,
    subtitle: subtitleOf(data, t, f),
    blocks: [
      ...kpiTable(data, t, f),
      ...ratesBlocks(data, t, f),
      ...mrrBlocks(data, t, f),
      ...reasonsBlocks(data.churnReasons, t, f),
      ...cohortBlocks(data, t, f, false),
    ],
    sheets: [
      ratesSheet(data, t),
      mrrSheet(data, t),
      reasonsSheet(data.churnReasons, t, data.currency),
      cohortSheet(data.cohorts, 'customers', t),
      cohortSheet(data.cohorts, 'revenue', t),
    ],
  };
}
