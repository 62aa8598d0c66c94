import type {
  MovementAccounts,
  Problem,
  ReportSchedule,
  RetentionCohorts,
  RetentionMetrics,
} from '@keepdesk/contract';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, startTestServer, type TestServer } from '../../../test/harness';
import { type SmtpSink, startSmtpSink } from '../../../test/smtp';
import { pdfText } from '../reporting/export.fixture';
import { renderDocument } from '../reporting/export.service';
import { settleReports } from '../reporting/rollups.service';
import { retentionReport } from './report.service';

let server: TestServer;
let sink: SmtpSink;
let rita: { authorization: string };
let manager: { authorization: string };
let agent: { authorization: string };
const NOW = new Date('2024-05-20T10:00:00Z');

/**
 * The worked example of docs/metrics.md, as a billing system would send it. End of December 2023: A 100, E 120,
 * H 40 = 260 from 3 customers. January: B new 200, H churned 40 → 420. February: A upgrades 100 → 150, C comes
 * back with 90 → 560. March: B cancels on the 31st, D starts on the 31st → 410. April: E downgrades 120 → 70.
 * F is on a free plan, G came and went within January, U pays in dollars.
 */
const ACCOUNTS = [
  ['A', 'Alpha GmbH', 'DE'],
  ['B', 'Beta AG', 'DE'],
  ['C', 'Gamma KG', 'AT'],
  ['D', 'Delta SE', 'AT'],
  ['E', 'Epsilon GmbH', 'DE'],
  ['F', 'Free Ltd', 'CH'],
  ['G', 'Gone Ltd', 'CH'],
  ['H', 'Heta SA', 'CH'],
  ['U', 'US Inc', 'US'],
] as const;
const SUBSCRIPTIONS = [
  ['A1', 'A', 'basic', 100, '2023-11-15', '2024-02-10', null],
  ['A2', 'A', 'pro', 150, '2024-02-10', null, null],
  ['B1', 'B', 'team', 200, '2024-01-05', '2024-03-31', 'price'],
  ['C1', 'C', 'basic', 80, '2023-06-01', '2023-09-01', 'budget'],
  ['C2', 'C', 'basic', 90, '2024-02-29', null, null],
  ['D1', 'D', 'basic', 50, '2024-03-31', null, null],
  ['E1', 'E', 'team', 120, '2023-12-01', '2024-04-01', null],
  ['E2', 'E', 'basic', 70, '2024-04-01', null, null],
  ['F1', 'F', 'free', 0, '2024-01-01', null, null],
  ['G1', 'G', 'basic', 60, '2024-01-10', '2024-01-25', 'trial only'],
  ['H1', 'H', 'starter', 40, '2023-12-31', '2024-01-01', 'moved to a competitor'],
] as const;

async function call<T>(
  url: string,
  headers: Record<string, string> = rita,
  method: 'GET' | 'POST' = 'GET',
  payload?: object,
) {
  const res = await server.app.inject({ method, url: `/api/v1${url}`, headers, payload });
  const isJson = String(res.headers['content-type'] ?? '').includes('json');
  return {
    status: res.statusCode,
    body: (isJson ? res.json() : undefined) as T,
    raw: res.rawPayload,
    headers: res.headers,
  };
}

beforeAll(async () => {
  sink = await startSmtpSink();
  // A database of its own: the figures count every subscription of the workspace, and the report jobs mail here.
  server = await startTestServer({
    isolated: true,
    config: { mailTransport: 'smtp', smtpUrl: sink.url, mailRetrySeconds: 1 },
  });
  server.deps.now = () => NOW;
  rita = (await bearerFor(server, 'retention_specialist')).headers;
  manager = (await bearerFor(server, 'manager')).headers;
  agent = (await bearerFor(server, 'agent')).headers;
  const rows = {
    '/customer-accounts/bulk': ACCOUNTS.map(([id, name, region]) => ({
      externalId: `acc-${id}`,
      name,
      attributes: { region },
    })),
    '/subscriptions/bulk': SUBSCRIPTIONS.map(
      ([externalId, account, plan, mrr, startedOn, endedOn, cancelReason]) => ({
        externalId,
        account: `acc-${account}`,
        plan,
        mrr,
        startedOn,
        endedOn,
        cancelReason,
      }),
    ).concat([
      {
        externalId: 'U1',
        account: 'acc-U',
        plan: 'pro',
        mrr: 999,
        startedOn: '2023-01-01',
        endedOn: null,
        cancelReason: null,
        currency: 'USD',
      } as never,
    ]),
    '/orders/bulk': [
      { externalId: 'o1', account: 'acc-A', orderedAt: '2024-01-10T09:00:00Z', amount: 100 },
      { externalId: 'o2', account: 'acc-B', orderedAt: '2024-01-20T09:00:00Z', amount: 30 },
      { externalId: 'o3', account: 'acc-A', orderedAt: '2024-03-05T09:00:00Z', amount: 50 },
    ],
  };
  for (const [url, list] of Object.entries(rows)) {
    const res = await call<{ errors: unknown[] }>(url, rita, 'POST', { rows: list });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.errors).toEqual([]);
  }
}, 120_000);
afterAll(async () => {
  await server?.close();
  await sink?.close();
});

describe('GET /retention/metrics', () => {
  it('answers the worked example month by month, in euros, leaving the dollar subscription out', async () => {
    const res = await call<RetentionMetrics>('/retention/metrics?from=2024-01&to=2024-04');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const metrics = res.body;
    expect(metrics).toMatchObject({
      from: '2024-01',
      to: '2024-04',
      period: 'month',
      currency: 'EUR',
      currencies: [
        { currency: 'EUR', subscriptions: 11 },
        { currency: 'USD', subscriptions: 1 },
      ],
      excludedSubscriptions: 1,
      subscriptions: 11,
    });
    expect(metrics.periods.map((p) => [p.period, p.mrr])).toEqual([
      [
        '2024-01',
        { starting: 260, new: 200, expansion: 0, reactivation: 0, contraction: 0, churned: 40, ending: 420 },
      ],
      [
        '2024-02',
        { starting: 420, new: 0, expansion: 50, reactivation: 90, contraction: 0, churned: 0, ending: 560 },
      ],
      [
        '2024-03',
        { starting: 560, new: 50, expansion: 0, reactivation: 0, contraction: 0, churned: 200, ending: 410 },
      ],
      [
        '2024-04',
        { starting: 410, new: 0, expansion: 0, reactivation: 0, contraction: 50, churned: 0, ending: 360 },
      ],
    ]);
    expect(metrics.periods.map((p) => p.customers)).toEqual([
      { starting: 3, new: 1, reactivated: 0, churned: 1, ending: 3 },
      { starting: 3, new: 0, reactivated: 1, churned: 0, ending: 4 },
      { starting: 4, new: 1, reactivated: 0, churned: 1, ending: 4 },
      { starting: 4, new: 0, reactivated: 0, churned: 0, ending: 4 },
    ]);
    const [january, february, march, april] = metrics.periods;
    expect(january).toMatchObject({ customerChurnRate: 1 / 3, customerRetentionRate: 2 / 3 });
    expect(january!.grossRevenueRetention).toBeCloseTo(220 / 260, 12);
    expect(february!.netRevenueRetention).toBeCloseTo(470 / 420, 12);
    expect(march).toMatchObject({
      customerChurnRate: 0.25,
      churnReasons: [{ reason: 'price', accounts: 1, mrr: 200 }],
    });
    expect(april!.grossRevenueChurnRate).toBeCloseTo(50 / 410, 12);
    expect(metrics.churnReasons).toEqual([
      { reason: 'price', accounts: 1, mrr: 200 },
      { reason: 'moved to a competitor', accounts: 1, mrr: 40 },
    ]);
  });

  it('compares quarter ends, and defaults to the last 12 complete months', async () => {
    const quarter = await call<RetentionMetrics>('/retention/metrics?from=2024-01&to=2024-03&period=quarter');
    expect(quarter.body.periods).toHaveLength(1);
    expect(quarter.body.periods[0]).toMatchObject({
      period: '2024-Q1',
      isComplete: true,
      mrr: {
        starting: 260,
        new: 50,
        expansion: 50,
        reactivation: 90,
        contraction: 0,
        churned: 40,
        ending: 410,
      },
      customers: { starting: 3, churned: 1 },
    });
    expect(quarter.body.periods[0]!.netRevenueRetention).toBeCloseTo(270 / 260, 12);
    const byDefault = await call<RetentionMetrics>('/retention/metrics');
    expect(byDefault.body).toMatchObject({ from: '2023-05', to: '2024-04' });
    expect(byDefault.body.periods).toHaveLength(12);
    const dollars = await call<RetentionMetrics>('/retention/metrics?from=2024-01&to=2024-01&currency=usd');
    expect(dollars.body).toMatchObject({ currency: 'USD', excludedSubscriptions: 11, subscriptions: 1 });
    expect(dollars.body.periods[0]!.mrr.ending).toBe(999);
  });

  it('refuses bad ranges with a problem naming the field, and readers without reports:read', async () => {
    const fields = async (query: string) => {
      const res = await call<Problem>(`/retention/metrics?${query}`);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      return res.body.errors?.map((e) => e.field);
    };
    expect(await fields('from=2024-04&to=2024-01')).toEqual(['from']);
    expect(await fields('from=2024-13')).toEqual(['from']);
    expect(await fields('to=2024-06')).toEqual(['to']);
    expect(await fields('from=2010-01&to=2024-04')).toEqual(['from']);
    expect(await fields('period=week')).toEqual(['period']);
    expect(await fields('currency=euro')).toEqual(['currency']);
    expect((await call('/retention/metrics', agent)).status).toBe(403);
  });
});

describe('GET /retention/movements', () => {
  it('lists the accounts behind a movement with MRR before and after and the cancel reason', async () => {
    const churned = await call<MovementAccounts>('/retention/movements?month=2024-03&movement=churned');
    expect(churned.status, JSON.stringify(churned.body)).toBe(200);
    expect(churned.body).toMatchObject({
      period: '2024-03',
      movement: 'churned',
      currency: 'EUR',
      total: 1,
      mrr: 200,
    });
    expect(churned.body.items).toEqual([
      expect.objectContaining({
        externalId: 'acc-B',
        name: 'Beta AG',
        before: 200,
        after: 0,
        reason: 'price',
      }),
    ]);
    const april = await call<MovementAccounts>('/retention/movements?month=2024-04&movement=contraction');
    expect(april.body.items).toMatchObject([{ name: 'Epsilon GmbH', before: 120, after: 70, reason: null }]);
    const quarter = await call<MovementAccounts>('/retention/movements?quarter=2024-Q1&movement=new');
    expect(quarter.body).toMatchObject({
      period: '2024-Q1',
      total: 1,
      mrr: 50,
      items: [{ name: 'Delta SE' }],
    });
  });

  it('needs exactly one of month and quarter, and a known movement', async () => {
    const both = await call<Problem>('/retention/movements?month=2024-03&quarter=2024-Q1&movement=new');
    expect(both.status).toBe(400);
    expect(both.body.errors?.map((e) => e.field)).toEqual(['quarter']);
    const none = await call<Problem>('/retention/movements?movement=new');
    expect(none.body.errors?.map((e) => e.field)).toEqual(['month']);
    const bogus = await call<Problem>('/retention/movements?month=2024-03&movement=lost');
    expect(bogus.body.errors?.map((e) => e.field)).toEqual(['movement']);
  });
});

describe('GET /retention/cohorts', () => {
  it('follows each acquisition month, blank after the current month, with the pooled average', async () => {
    const res = await call<RetentionCohorts>('/retention/cohorts?from=2023-12&to=2024-04');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const matrix = res.body;
    expect(matrix).toMatchObject({
      asOf: '2024-05',
      months: 5,
      basis: 'subscriptions',
      measure: 'customers',
    });
    // F never paid, G never paid at a month end.
    expect(matrix.accountsWithoutCohort).toBe(2);
    const value = (row: number) => matrix.rows[row]!.cells.map((cell) => cell?.value ?? null);
    expect(matrix.rows.map((row) => [row.cohort, row.size])).toEqual([
      ['2023-12', 2],
      ['2024-01', 1],
      ['2024-02', 0],
      ['2024-03', 1],
      ['2024-04', 0],
    ]);
    expect(value(0)).toEqual([1, 0.5, 0.5, 0.5, 0.5, 0.5]);
    expect(value(1)).toEqual([1, 1, 0, 0, 0, null]);
    expect(value(2)).toEqual([null, null, null, null, null, null]);
    expect(value(3)).toEqual([1, 1, 1, null, null, null]);
    expect(matrix.average.slice(0, 3).map((cell) => cell?.value)).toEqual([1, 0.75, 0.5]);
    expect(matrix.rows[0]!.cells[1]).toEqual({ value: 0.5, active: 1, revenue: 120 });

    const revenue = await call<RetentionCohorts>(
      '/retention/cohorts?from=2023-12&to=2023-12&measure=revenue',
    );
    expect(revenue.body.rows[0]!.cells.map((cell) => cell?.value)).toEqual([
      1,
      0.75,
      0.75,
      0.75,
      70 / 160,
      70 / 160,
    ]);
  });

  it('builds order cohorts for shops, and refuses what it cannot answer', async () => {
    const orders = await call<RetentionCohorts>(
      '/retention/cohorts?from=2024-01&to=2024-01&basis=orders&measure=revenue',
    );
    expect(orders.body.rows).toMatchObject([{ cohort: '2024-01', size: 2 }]);
    expect(orders.body.rows[0]!.cells.map((cell) => cell?.value)).toEqual([1, 0, 50 / 130, 0, 0]);
    const future = await call<Problem>('/retention/cohorts?to=2024-07');
    expect(future.status).toBe(400);
    expect(future.body.errors?.map((e) => e.field)).toEqual(['to']);
    const basis = await call<Problem>('/retention/cohorts?basis=invoices');
    expect(basis.body.errors?.map((e) => e.field)).toEqual(['basis']);
  });
});

describe('the retention reports', () => {
  const workbookOf = async (content: Buffer) => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(content as unknown as ArrayBuffer);
    return workbook;
  };

  it('sends the retention report as XLSX with the rates and movements of the months', async () => {
    const res = await call('/reports/retention?from=2024-01&to=2024-04&format=xlsx&language=en');
    expect(res.status, res.raw.toString()).toBe(200);
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="retention-report-2024-01-2024-04.xlsx"',
    );
    const workbook = await workbookOf(res.raw);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual([
      'Rates',
      'MRR movements',
      'Cancel reasons',
      'Cohorts (customers)',
      'Cohorts (revenue)',
    ]);
    const mrr = workbook.getWorksheet('MRR movements')!;
    expect(mrr.getRow(3).values).toEqual([undefined, '2024-02', 420, 0, 50, 90, 0, 0, 560]);
    const rates = workbook.getWorksheet('Rates')!;
    expect(rates.getRow(2).getCell(1).value).toBe('2024-01');
    expect(rates.getRow(2).getCell(7).value).toBeCloseTo(1 / 3, 12);
  });

  it('writes the churn analysis of the last quarter as a PDF with reasons, segments and accounts', async () => {
    const res = await call('/reports/churn-analysis?language=de');
    expect(res.status, res.raw.toString()).toBe(200);
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="abwanderungsanalyse-2024-01-2024-03.pdf"',
    );
    expect(res.raw.subarray(0, 5).toString()).toBe('%PDF-');
    const document = await retentionReport(server.deps, 'churn_analysis', { language: 'en' });
    const pdf = await renderDocument(document, {
      format: 'pdf',
      language: 'en',
      now: NOW,
      timeZone: 'UTC',
      compressPdf: false,
    });
    const text = pdfText(pdf.content);
    for (const expected of [
      'Churn analysis',
      'Churn by segment',
      'Heta SA',
      'moved to a competitor',
      '33.3%',
      'CH',
      '100.0%',
    ]) {
      expect(text).toContain(expected);
    }
    const xlsx = await call('/reports/churn-analysis?from=2024-01&to=2024-03&format=xlsx&language=en');
    const segments = (await workbookOf(xlsx.raw)).getWorksheet('Segments')!;
    const rows = segments
      .getSheetValues()
      .slice(2)
      .map((row) => (row as unknown[]).slice(1, 5));
    // At the end of 2023: A (basic, DE), E (team, DE), H (starter, CH); H left in Q1.
    expect(rows).toEqual([
      ['Plan', 'starter', 1, 1],
      ['Plan', 'basic', 1, 0],
      ['Plan', 'team', 1, 0],
      ['Attribute region', 'CH', 1, 1],
      ['Attribute region', 'DE', 2, 0],
    ]);
  });

  it('refuses a bad range and readers without reports:read', async () => {
    const backwards = await call<Problem>('/reports/retention?from=2024-04&to=2024-01');
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors?.map((e) => e.field)).toEqual(['from']);
    expect((await call('/reports/churn-analysis', agent)).status).toBe(403);
  });

  it('mails the retention report on a monthly schedule, and refuses weekly or CSV ones', async () => {
    await settleReports(server.deps); // the workspace's time zone becomes one reports are kept in
    const schedule = {
      name: 'Kundenbindung monatlich',
      recipients: ['leitung@firma.example'],
      frequency: 'monthly',
      content: 'retention',
      formats: ['pdf', 'xlsx'],
      language: 'de',
      timeZone: 'UTC',
    };
    const weekly = await call<Problem>('/reports/schedules', manager, 'POST', {
      ...schedule,
      frequency: 'weekly',
    });
    expect(weekly.status).toBe(400);
    expect(weekly.body.errors?.map((e) => e.field)).toEqual(['frequency']);
    const csv = await call<Problem>('/reports/schedules', manager, 'POST', { ...schedule, formats: ['csv'] });
    expect(csv.body.errors?.map((e) => e.field)).toEqual(['formats']);
    const created = await call<ReportSchedule>('/reports/schedules', manager, 'POST', schedule);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const churn = await call<ReportSchedule>('/reports/schedules', manager, 'POST', {
      ...schedule,
      name: 'Abwanderung quartalsweise',
      content: 'churn_analysis',
      frequency: 'quarterly',
      formats: ['xlsx'],
    });
    expect(churn.status, JSON.stringify(churn.body)).toBe(201);

    expect((await call(`/reports/schedules/${created.body.id}/send`, manager, 'POST')).status).toBe(202);
    const mail = await sink.waitFor((m) => m.subject?.startsWith('Kundenbindung monatlich') ?? false, 30_000);
    // "Send now" on 20 May: April ended last.
    expect(mail.subject).toBe('Kundenbindung monatlich: 2024-04-01 bis 2024-04-30');
    const files = new Map(mail.attachments.map((file) => [file.filename, file.content]));
    expect([...files.keys()].sort()).toEqual([
      'kundenbindung-monatlich-2023-04-2024-04.pdf',
      'kundenbindung-monatlich-2023-04-2024-04.xlsx',
    ]);
    const rates = (await workbookOf(files.get('kundenbindung-monatlich-2023-04-2024-04.xlsx')!)).getWorksheet(
      'Quoten',
    )!;
    expect(rates.getColumn(1).values.slice(2)).toHaveLength(13); // April and the 12 months before

    expect((await call(`/reports/schedules/${churn.body.id}/send`, manager, 'POST')).status).toBe(202);
    const quarterly = await sink.waitFor(
      (m) => m.subject?.startsWith('Abwanderung quartalsweise') ?? false,
      30_000,
    );
    expect(quarterly.subject).toBe('Abwanderung quartalsweise: 2024-01-01 bis 2024-03-31');
    const analysis = await workbookOf(quarterly.attachments[0]!.content);
    expect(analysis.getWorksheet('Abgewanderte Konten')!.getRow(2).values).toEqual([
      undefined,
      '2024-Q1',
      'acc-H',
      'Heta SA',
      'starter',
      40,
      'moved to a competitor',
    ]);
  }, 90_000);
});
