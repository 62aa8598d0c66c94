import { cohortRetention, retentionRates, type SubscriptionPeriod } from '@keepdesk/stats';
import { describe, expect, it } from 'vitest';
import { translate } from '../../platform/i18n';
import { churnAnalysisDocument } from './churn-report.domain';
import { presentPeriod, sumReasons } from './metrics.domain';
import {
  type ChurnAnalysisData,
  featureLabel,
  PDF_CHURNED_ACCOUNTS,
  type ReportBlock,
  type RetentionReportData,
} from './report.domain';
import { RETENTION_REPORT_MESSAGES } from './report.messages';
import { retentionReportDocument } from './retention-report.domain';

/** The worked example of docs/metrics.md ("Churn and retention rates"). */
const EXAMPLE: SubscriptionPeriod[] = [
  { account: 'A', mrr: 100, startedOn: '2023-11-15', endedOn: '2024-02-10' },
  { account: 'A', mrr: 150, startedOn: '2024-02-10', endedOn: null },
  { account: 'B', mrr: 200, startedOn: '2024-01-05', endedOn: '2024-03-31', cancelReason: 'price' },
  { account: 'C', mrr: 80, startedOn: '2023-06-01', endedOn: '2023-09-01', cancelReason: 'budget' },
  { account: 'C', mrr: 90, startedOn: '2024-02-29', endedOn: null },
  { account: 'D', mrr: 50, startedOn: '2024-03-31', endedOn: null },
  { account: 'E', mrr: 120, startedOn: '2023-12-01', endedOn: '2024-04-01' },
  { account: 'E', mrr: 70, startedOn: '2024-04-01', endedOn: null },
  { account: 'H', mrr: 40, startedOn: '2023-12-31', endedOn: '2024-01-01' },
];

function dataOf(period: 'month' | 'quarter', from: string, to: string): RetentionReportData {
  const periods = retentionRates(EXAMPLE, { from, to, period, listAccounts: false }).map(presentPeriod);
  return {
    range: { from, to },
    period,
    currency: 'EUR',
    excludedSubscriptions: 2,
    subscriptions: EXAMPLE.length,
    periods,
    churnReasons: sumReasons(periods.map((p) => p.churnReasons)),
    cohorts: cohortRetention(EXAMPLE, { asOf: to, from: '2023-12', to }),
  };
}

const tOf = (language: 'de' | 'en') => (key: string, vars?: Record<string, string>) =>
  translate(RETENTION_REPORT_MESSAGES, language, key, vars);

function table(blocks: readonly ReportBlock[], firstColumn: string) {
  const found = blocks.find((block) => block.kind === 'table' && block.columns[0] === firstColumn);
  if (found?.kind !== 'table') throw new Error(`no table starting with ${firstColumn}`);
  return found;
}

describe('the retention report', () => {
  it('compares the last month with the one before, in the numbers of the worked example', () => {
    const document = retentionReportDocument(dataOf('month', '2024-01', '2024-04'), {
      language: 'en',
      t: tOf('en'),
    });
    expect(document.title).toBe('Retention report');
    expect(document.subtitle).toContain('2 subscriptions in other currencies are left out.');
    const kpis = table(document.blocks, 'Key figure');
    expect(kpis.columns).toEqual([
      'Key figure',
      'Latest period (2024-04)',
      'Previous period (2024-03)',
      'Change',
    ]);
    expect(kpis.rows).toEqual([
      ['Customer churn rate', '0.0%', '25.0%', '-25 pts'],
      ['Customer retention rate', '100.0%', '75.0%', '+25 pts'],
      ['GRR', '87.8%', '64.3%', '+23.5 pts'],
      ['NRR', '87.8%', '64.3%', '+23.5 pts'],
      ['MRR at end', '€360.00', '€410.00', '-12.2%'],
      ['Customers at end', '4', '4', '0%'],
    ]);
    const movements = table(document.blocks, 'Period');
    expect(movements.rows[0]).toEqual(['2024-01', '3', '1', '33.3%', '66.7%', '84.6%', '84.6%']);
    const mrr = document.blocks.filter((block) => block.kind === 'table' && block.columns[0] === 'Period')[1];
    expect(mrr?.kind === 'table' && mrr.rows[1]).toEqual([
      '2024-02',
      '€420.00',
      '+€0.00',
      '+€50.00',
      '+€90.00',
      '−€0.00',
      '−€0.00',
      '€560.00',
    ]);
    const chart = document.blocks.find((block) => block.kind === 'chart');
    expect(chart?.kind === 'chart' && chart.report.series.map((s) => s.points.map((p) => p.value))).toEqual([
      [33.3, 0, 25, 0],
      [84.6, 100, 64.3, 87.8],
      [84.6, 111.9, 64.3, 87.8],
    ]);
  });

  it('lays out the cohorts with blank cells after the last month and the pooled average', () => {
    const document = retentionReportDocument(dataOf('month', '2024-01', '2024-04'), {
      language: 'en',
      t: tOf('en'),
    });
    const cohorts = table(document.blocks, 'Cohort');
    expect(cohorts.columns).toEqual(['Cohort', 'Size', 'M0', 'M1', 'M2', 'M3', 'M4']);
    // December 2023: E and H; H left in January. January 2024: B, gone at the end of March.
    expect(cohorts.rows.slice(0, 2)).toEqual([
      ['2023-12', '2', '100%', '50%', '50%', '50%', '50%'],
      ['2024-01', '1', '100%', '100%', '0%', '0%', ''],
    ]);
    expect(cohorts.rows.at(-1)?.[0]).toBe('Average (pooled)');
    expect(document.sheets.map((sheet) => sheet.name)).toEqual([
      'Rates',
      'MRR movements',
      'Cancel reasons',
      'Cohorts (customers)',
      'Cohorts (revenue)',
    ]);
    const revenue = document.sheets[4]!;
    // December's cohort paid 160 at its end, 120 a month later, 70 in April.
    expect(revenue.rows[0]).toEqual(['2023-12', 2, 1, 0.75, 0.75, 0.75, 70 / 160]);
  });

  it('speaks German with German numbers', () => {
    const document = retentionReportDocument(dataOf('quarter', '2024-01', '2024-03'), {
      language: 'de',
      t: tOf('de'),
    });
    expect(document.title).toBe('Bericht zur Kundenbindung');
    expect(document.subtitle[0]).toBe('Quartale 2024-Q1 bis 2024-Q1');
    const rates = table(document.blocks, 'Zeitraum');
    // Q1: H left, B came and went inside the quarter; NRR 270 ÷ 260.
    expect(rates.rows).toEqual([
      ['2024-Q1', '3', '1', '33,3\u00a0%', '66,7\u00a0%', '84,6\u00a0%', '103,8\u00a0%'],
    ]);
    const kpis = table(document.blocks, 'Kennzahl');
    expect(kpis.rows[4]).toEqual(['MRR am Ende', '410,00\u00a0€', '–', '–']);
  });
});

describe('the churn analysis', () => {
  function churnData(churned: number, model: ChurnAnalysisData['model']): ChurnAnalysisData {
    return {
      ...dataOf('quarter', '2024-01', '2024-03'),
      churned: Array.from({ length: churned }, (_, i) => ({
        period: '2024-Q1',
        externalId: `acc-${i}`,
        name: `Kunde ${i}`,
        plan: 'pro',
        mrr: 1000 - i,
        reason: i % 2 ? 'price' : null,
      })),
      segments: [
        {
          dimension: 'plan',
          value: 'pro',
          starting: 3,
          churned: 1,
          churnRate: 1 / 3,
          startingMrr: 260,
          churnedMrr: 40,
        },
        {
          dimension: 'region',
          value: 'CH',
          starting: 1,
          churned: 1,
          churnRate: 1,
          startingMrr: 40,
          churnedMrr: 40,
        },
      ],
      maxSegmentValues: 8,
      model,
    };
  }

  it('shows the churned, reasons, segments and the model’s drivers', () => {
    const document = churnAnalysisDocument(
      churnData(3, {
        trainedAt: '2024-04-02',
        auc: 0.91,
        drivers: [
          { feature: 'usage_30d', importance: 0.8, direction: 'higher-lowers-risk' },
          {
            feature: 'attr.region',
            importance: 0.3,
            direction: 'by-level',
            riskiestLevel: 'CH',
            safestLevel: 'DE',
          },
        ],
      }),
      { language: 'en', t: tOf('en') },
    );
    expect(document.title).toBe('Churn analysis');
    expect(document.blocks[0]).toEqual({
      kind: 'note',
      text: 'Churned in 2024-Q1: 1 accounts with €40.00 MRR.',
    });
    expect(table(document.blocks, 'Segment').rows).toEqual([
      ['Plan', 'pro', '3', '1', '33.3%', '€40.00'],
      ['Attribute region', 'CH', '1', '1', '100.0%', '€40.00'],
    ]);
    expect(table(document.blocks, 'Feature').rows).toEqual([
      ['Product usage (30 days)', '0.8', 'The higher, the safer'],
      ['Attribute region', '0.3', 'Riskiest: CH; safest: DE'],
    ]);
    expect(table(document.blocks, 'Cancel reason').rows).toEqual([['(none given)', '1', '100.0%', '€40.00']]);
    expect(table(document.blocks, 'Period').rows[0]).toEqual([
      '2024-Q1',
      '3',
      '1',
      '33.3%',
      '€40.00',
      '15.4%',
    ]);
    expect(document.sheets.map((sheet) => sheet.name)).toEqual([
      'Rates',
      'Cancel reasons',
      'Segments',
      'Drivers',
      'Churned accounts',
      'Cohorts (customers)',
    ]);
    expect(
      document.blocks.some(
        (block) => block.kind === 'chart' && block.heading === 'Retention curves of the cohorts',
      ),
    ).toBe(true);
  });

  it('lists the top accounts in the PDF and all in the workbook, and says when no model was trained', () => {
    const document = churnAnalysisDocument(churnData(PDF_CHURNED_ACCOUNTS + 5, null), {
      language: 'de',
      t: tOf('de'),
    });
    expect(document.blocks).toContainEqual({
      kind: 'note',
      text: 'Es wurde noch kein Abwanderungsmodell trainiert; trainieren Sie es unter Kundenbindung → Abwanderungsmodell.',
    });
    expect(document.blocks).toContainEqual({
      kind: 'note',
      text: 'Die 50 mit dem höchsten MRR von 55; die XLSX-Datei listet alle.',
    });
    expect(table(document.blocks, 'Zeitraum').rows).toHaveLength(1);
    const accounts = document.blocks.find((block) => block.kind === 'table' && block.columns[1] === 'Konto');
    expect(accounts?.kind === 'table' && accounts.rows).toHaveLength(PDF_CHURNED_ACCOUNTS);
    expect(document.sheets.find((sheet) => sheet.name === 'Abgewanderte Konten')?.rows).toHaveLength(55);
  });

  it('names model features for people', () => {
    const t = tOf('de');
    expect(featureLabel('tenure_days', t)).toBe('Kunde seit (Tage)');
    expect(featureLabel('usage.report.created', t)).toBe('Nutzung: report.created (30 Tage)');
    expect(featureLabel('something_new', t)).toBe('something_new');
  });
});
