/**
 * The retention report and the churn analysis: read once (subscriptions, accounts, the active churn model),
 * computed by packages/stats, laid out by the report domain files; the reporting module draws them as PDF or
 * XLSX, on demand and on a schedule.
 */
import type { RetentionPeriodKind } from '@keepdesk/contract';
import { cohortRetention, mrrByAccountAt, type RetentionPeriod } from '@keepdesk/stats';
import { sql } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import { type Executor, rowsOf } from '../../platform/db';
import { type Language, translate } from '../../platform/i18n';
import { churnAnalysisDocument } from './churn-report.domain';
import {
  churnBySegment,
  cohortColumns,
  MAX_SEGMENT_VALUES,
  type PlanPeriod,
  plansAt,
  presentPeriod,
  quarterStartOf,
  resolveMonths,
  type SegmentPeriod,
  shiftMonth,
  sumReasons,
} from './metrics.domain';
import { accountNames, computed, givenAcquisitions, ratesOfRange } from './metrics.service';
import type {
  ChurnAnalysisData,
  ChurnedAccountRow,
  ReportDocument,
  RetentionReportData,
} from './report.domain';
import { RETENTION_REPORT_MESSAGES } from './report.messages';
import type { ChurnModelSummary } from './retention.tables';
import { retentionReportDocument } from './retention-report.domain';

export type RetentionReportKind = 'retention' | 'churn_analysis';

export interface RetentionReportRequest {
  from?: string;
  to?: string;
  period?: RetentionPeriodKind;
  currency?: string;
  language: Language;
  /** The file's title; by default the report's name in the language (a schedule gives its own name). */
  title?: string;
}

/** Months since acquisition a report's cohort table shows. */
const REPORT_COHORT_MONTHS = 12;

/**
 * The months a report covers. The retention report: the period and the 12 before (months or quarters); the
 * churn analysis: the period alone. By default the period is the last complete month (retention) or quarter
 * (churn analysis).
 */
export function reportMonths(
  kind: RetentionReportKind,
  request: Pick<RetentionReportRequest, 'from' | 'to' | 'period'>,
  now: Date,
): { from: string; to: string; period: RetentionPeriodKind } {
  const period = request.period ?? (kind === 'retention' ? 'month' : 'quarter');
  const defaultFrom = (to: string) => {
    const start = period === 'quarter' ? quarterStartOf(to) : to;
    return kind === 'retention' ? shiftMonth(start, period === 'quarter' ? -36 : -12) : start;
  };
  return {
    ...computed(() => resolveMonths({ from: request.from, to: request.to, period }, now, defaultFrom)),
    period,
  };
}

interface ReportBase {
  data: RetentionReportData;
  rates: RetentionPeriod[];
  subscriptions: PlanPeriod[];
}

async function readBase(
  deps: Deps,
  range: { from: string; to: string; period: RetentionPeriodKind },
  currency: string | undefined,
  listAccounts: boolean,
): Promise<ReportBase> {
  const { scope, periods, subscriptions } = await ratesOfRange(deps, { ...range, currency, listAccounts });
  const acquiredOn = await givenAcquisitions(deps.database.db, 'subscriptions', scope.currency);
  const matrix = computed(() =>
    cohortRetention(subscriptions, {
      asOf: range.to,
      from: shiftMonth(range.to, -11),
      to: range.to,
      acquiredOn,
    }),
  );
  const presented = periods.map(presentPeriod);
  return {
    rates: periods,
    subscriptions,
    data: {
      range: { from: range.from, to: range.to },
      period: range.period,
      currency: scope.currency,
      excludedSubscriptions: scope.excludedSubscriptions,
      subscriptions: scope.counted,
      periods: presented,
      churnReasons: sumReasons(presented.map((period) => period.churnReasons)),
      cohorts: cohortColumns(matrix, REPORT_COHORT_MONTHS),
    },
  };
}

/** The account attributes of the accounts with subscriptions in the currency, in one query. */
async function attributesOf(db: Executor, currency: string): Promise<Map<string, Record<string, unknown>>> {
  const rows = rowsOf(
    await db.execute(sql`
      select a.id::text as id, a.attributes from customer_accounts a
       where exists (select 1 from subscriptions s where s.account_id = a.id and s.currency = ${currency})`),
  );
  return new Map(rows.map((row) => [row.id as string, (row.attributes as Record<string, unknown>) ?? {}]));
}

/** The active churn model's training day, AUC and top drivers; null when none has been trained. */
async function activeModel(db: Executor): Promise<ChurnAnalysisData['model']> {
  const [row] = rowsOf(
    await db.execute(sql`
      select to_char(trained_at at time zone 'UTC', 'YYYY-MM-DD') as trained_on, summary
        from churn_models where status = 'active' order by trained_at desc limit 1`),
  );
  const summary = row?.summary as ChurnModelSummary | null | undefined;
  if (!row || !summary) return null;
  return { trainedAt: String(row.trained_on), auc: summary.auc ?? null, drivers: summary.topDrivers ?? [] };
}

async function readChurnAnalysis(deps: Deps, base: ReportBase): Promise<ChurnAnalysisData> {
  const db = deps.database.db;
  const segmentPeriods: SegmentPeriod[] = [];
  const churned: (ChurnedAccountRow & { account: string })[] = [];
  for (const period of base.rates) {
    const plans = plansAt(base.subscriptions, period.startSnapshot);
    segmentPeriods.push({
      starting: mrrByAccountAt(base.subscriptions, period.startSnapshot),
      plans,
      churned: new Set(period.accounts.churned.map((move) => move.account)),
    });
    for (const move of period.accounts.churned) {
      churned.push({
        period: period.period,
        account: move.account,
        externalId: '',
        name: '',
        plan: plans.get(move.account) ?? null,
        mrr: move.before,
        reason: move.reason,
      });
    }
  }
  const names = await accountNames(db, [...new Set(churned.map((row) => row.account))]);
  churned.sort((a, b) => b.mrr - a.mrr || a.period.localeCompare(b.period));
  return {
    ...base.data,
    churned: churned.map(({ account, ...row }) => ({
      ...row,
      externalId: names.get(account)?.externalId ?? '',
      name: names.get(account)?.name ?? '',
    })),
    segments: churnBySegment(segmentPeriods, await attributesOf(db, base.data.currency)),
    maxSegmentValues: MAX_SEGMENT_VALUES,
    model: await activeModel(db),
  };
}

/** The retention report or the churn analysis as a document, ready for reporting to draw as PDF or XLSX. */
export async function retentionReport(
  deps: Deps,
  kind: RetentionReportKind,
  request: RetentionReportRequest,
): Promise<ReportDocument> {
  const range = reportMonths(kind, request, deps.now());
  const t = (key: string, vars?: Record<string, string>) =>
    translate(RETENTION_REPORT_MESSAGES, request.language, key, vars);
  const options = { language: request.language, t, title: request.title };
  const base = await readBase(deps, range, request.currency, kind === 'churn_analysis');
  if (kind === 'retention') return retentionReportDocument(base.data, options);
  return churnAnalysisDocument(await readChurnAnalysis(deps, base), options);
}
