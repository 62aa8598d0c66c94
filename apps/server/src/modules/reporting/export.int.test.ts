import type { MetricReport, Problem, Team, User } from '@keepdesk/contract';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, startTestServer, type TestServer } from '../../../test/harness';
import { parseCsv } from '../../platform/csv';
import { makeExportFixture, pdfText } from './export.fixture';
import { renderReports } from './export.service';
import { settleReports } from './rollups.service';

let server: TestServer;
let manager: { user: User; headers: { authorization: string } };
let agent: { user: User; headers: { authorization: string } };
let team: Team;

beforeAll(async () => {
  server = await startTestServer();
  manager = await bearerFor(server, 'manager');
  agent = await bearerFor(server, 'agent');
  team = await makeExportFixture(server, 'Größe & Übersicht');
  await settleReports(server.deps);
});
afterAll(async () => {
  await server?.close();
});

const range = { from: '2026-03-02', to: '2026-03-04', timeZone: 'UTC' };
const queries = () => [
  { metric: 'tickets_created', stat: 'count', grain: 'day', filter: `team:${team.id}`, ...range },
  { metric: 'tickets_solved', stat: 'count', grain: 'day', filter: `team:${team.id}`, ...range },
  {
    metric: 'first_response_time',
    stat: 'median',
    grain: 'day',
    groupBy: 'team',
    filter: `team:${team.id}`,
    ...range,
  },
];

function exportAs(body: object, who = manager) {
  return server.app.inject({
    method: 'POST',
    url: '/api/v1/reports/export',
    headers: who.headers,
    payload: body,
  });
}

describe('POST /reports/export', () => {
  it('writes the fixture as CSV, one row per metric, group and period, with the values of the metric API', async () => {
    const response = await exportAs({ format: 'csv', title: 'Wochenbericht Größe', queries: queries() });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(
      'attachment; filename="wochenbericht-groesse-2026-03-02-2026-03-04.csv"',
    );
    const table = parseCsv(response.rawPayload.toString('utf8'));
    expect(table.errors).toEqual([]);
    expect(table.header).toEqual(['metric', 'stat', 'unit', 'group', 'period', 'start', 'value', 'n']);
    const rows = table.records.map((r) => r.cells);
    expect(rows.filter((r) => r[0] !== 'first_response_time')).toEqual([
      ['tickets_created', 'count', 'tickets', '', '2026-03-02', '2026-03-02T00:00:00.000Z', '1', '1'],
      ['tickets_created', 'count', 'tickets', '', '2026-03-03', '2026-03-03T00:00:00.000Z', '2', '2'],
      ['tickets_created', 'count', 'tickets', '', '2026-03-04', '2026-03-04T00:00:00.000Z', '0', '0'],
      ['tickets_solved', 'count', 'tickets', '', '2026-03-02', '2026-03-02T00:00:00.000Z', '1', '1'],
      ['tickets_solved', 'count', 'tickets', '', '2026-03-03', '2026-03-03T00:00:00.000Z', '1', '1'],
      ['tickets_solved', 'count', 'tickets', '', '2026-03-04', '2026-03-04T00:00:00.000Z', '0', '0'],
    ]);
    // Medians come from histograms: the CSV carries exactly what the metric API answers, group named.
    const search = new URLSearchParams({
      metric: 'first_response_time',
      stat: 'median',
      groupBy: 'team',
      filter: `team:${team.id}`,
      ...range,
    });
    const api = (
      await server.app.inject({
        method: 'GET',
        url: `/api/v1/reports/metrics?${search}`,
        headers: manager.headers,
      })
    ).json<MetricReport>();
    const frt = rows.filter((r) => r[0] === 'first_response_time');
    expect(frt.map((r) => [r[3], r[4], r[6]])).toEqual(
      api.series[0]!.points.map((p) => [team.name, p.period, p.value === null ? '' : String(p.value)]),
    );
    expect(Math.abs(Number(frt[0]![6]) - 45)).toBeLessThanOrEqual(45 * 0.025);
    expect(Math.abs(Number(frt[1]![6]) - 120)).toBeLessThanOrEqual(120 * 0.025);
  });

  it('writes XLSX with a sheet per query, numbers as numbers and period starts as dates', async () => {
    const response = await exportAs({ format: 'xlsx', title: 'Export', queries: queries(), language: 'de' });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual([
      'Erstellte Tickets',
      'Gelöste Tickets',
      'Erste Antwortzeit',
    ]);
    const created = workbook.worksheets[0]!;
    const values = [2, 3, 4].map((r) => created.getRow(r).getCell(7).value);
    expect(values).toEqual([1, 2, 0]);
    expect(created.getRow(3).getCell(6).value).toEqual(new Date('2026-03-03T00:00:00.000Z'));
    expect(created.getRow(1).getCell(5).value).toBe('Zeitraum');
  });

  it('writes a PDF with the title, a chart per query and German labels', async () => {
    const reports = (
      await server.app.inject({
        method: 'POST',
        url: '/api/v1/reports/batch',
        headers: manager.headers,
        payload: { queries: queries() },
      })
    ).json<{ reports: MetricReport[] }>().reports;
    const file = await renderReports(reports, {
      title: 'Wöchentlicher Überblick',
      format: 'pdf',
      language: 'de',
      now: new Date('2026-03-09T07:00:00Z'),
      compressPdf: false,
    });
    expect(file.content.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(file.content);
    for (const words of [
      'Wöchentlicher Überblick',
      'Erstellte Tickets (Anzahl)',
      'Gelöste Tickets',
      'Erste Antwortzeit (Median)',
      'Zeitraum: 2026-03-02 bis 2026-03-04',
      'Seite 1 von',
      'Gesamt',
      'Größe & Übersicht',
    ]) {
      expect(text).toContain(words);
    }
    // Through the API the PDF is compressed; it is still a PDF with the file name of the title.
    const response = await exportAs({
      format: 'pdf',
      title: 'Überblick',
      queries: queries(),
      language: 'de',
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(response.headers['content-disposition']).toContain('ueberblick-2026-03-02-2026-03-04.pdf');
  });

  it('keeps the rules of the metric API: bad queries are named, agents see only their own numbers', async () => {
    const bad = await exportAs({ format: 'csv', title: 'x', queries: [{ metric: 'happiness' }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<Problem>().errors?.map((e) => e.field)).toContain('queries.0.metric');
    const badStat = await exportAs({
      format: 'csv',
      title: 'x',
      queries: [{ metric: 'csat', stat: 'median' }],
    });
    expect(badStat.statusCode).toBe(400);
    expect(badStat.json<Problem>().errors?.map((e) => e.field)).toEqual(['queries.0.stat']);
    const noFormat = await exportAs({ format: 'docx', title: 'x', queries: queries() });
    expect(noFormat.json<Problem>().errors?.map((e) => e.field)).toContain('format');
    const others = await exportAs({ format: 'csv', title: 'x', queries: queries() }, agent);
    expect(others.statusCode).toBe(403);
    const own = await exportAs(
      { format: 'csv', title: 'x', queries: [{ metric: 'tickets_solved', filter: 'agent:me', ...range }] },
      agent,
    );
    expect(own.statusCode, own.body).toBe(200);
  });

  it('refuses files over the cap: 400 naming queries, telling to choose a coarser grain or a shorter range', async () => {
    // 50 queries of the agent's own numbers by day over 9,999 days: half a million table rows.
    const mine = { metric: 'tickets_solved', filter: 'agent:me', from: '1999-01-01', to: '2026-05-17' };
    const huge = Array.from({ length: 50 }, () => ({ ...mine, grain: 'day' }));
    for (const format of ['pdf', 'csv', 'xlsx']) {
      const started = Date.now();
      const refused = await exportAs({ format, title: 'x', queries: huge }, agent);
      expect(refused.statusCode, refused.body).toBe(400);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      const [error] = refused.json<Problem>().errors ?? [];
      expect(error?.field).toBe('queries');
      expect(error?.message).toContain('choose a coarser grain or a shorter range');
      expect(Date.now() - started).toBeLessThan(2000); // refused before reading or drawing anything
    }
    // By month, 20 queries are 6,580 points: too many for a PDF, fine as CSV.
    const monthly = Array.from({ length: 20 }, () => ({ ...mine, grain: 'month' }));
    const pdf = await exportAs({ format: 'pdf', title: 'x', queries: monthly }, agent);
    expect(pdf.statusCode, pdf.body).toBe(400);
    expect(pdf.json<Problem>().errors?.[0]?.message).toMatch(/6,580 points.*at most 5,000.*CSV or XLSX/);
    const csv = await exportAs({ format: 'csv', title: 'x', queries: monthly }, agent);
    expect(csv.statusCode, csv.body).toBe(200);
    expect(parseCsv(csv.rawPayload.toString('utf8')).records).toHaveLength(6580);
  });

  it('counts the groups of the reports read: periods times series', async () => {
    const series = (key: string) => ({
      key,
      label: key,
      total: { value: 0, n: 0 },
      points: Array.from({ length: 2600 }, (_, i) => ({
        period: String(i),
        start: '2026-03-02T00:00:00.000Z',
        value: 0,
        n: 0,
      })),
    });
    const report: MetricReport = {
      metric: 'tickets_created',
      stat: 'count',
      unit: 'tickets',
      grain: 'hour',
      timeZone: 'UTC',
      from: '2026-01-01',
      to: '2026-04-19',
      groupBy: 'channel',
      filter: {},
      total: { value: 0, n: 0 },
      series: [series('email'), series('phone')],
    };
    const options = { title: 'x', language: 'en', now: new Date() } as const;
    await expect(renderReports([report], { ...options, format: 'pdf' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'queries' }],
    });
    const csv = await renderReports([report], { ...options, format: 'csv' });
    expect(csv.filename).toBe('x-2026-01-01-2026-04-19.csv');
  });
});

describe('GET /reports/management', () => {
  const management = (query: Record<string, string>, who = manager) =>
    server.app.inject({
      method: 'GET',
      url: `/api/v1/reports/management?${new URLSearchParams(query)}`,
      headers: who.headers,
    });

  it('sends the management report as PDF and as XLSX with KPIs, the previous period, teams and channels', async () => {
    const pdf = await management({ from: '2026-03-02', to: '2026-03-08', timeZone: 'UTC', language: 'de' });
    expect(pdf.statusCode, pdf.body).toBe(200);
    expect(pdf.headers['content-disposition']).toBe(
      'attachment; filename="managementbericht-2026-03-02-2026-03-08.pdf"',
    );
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const xlsx = await management({ from: '2026-03-02', to: '2026-03-08', timeZone: 'UTC', format: 'xlsx' });
    expect(xlsx.statusCode, xlsx.body).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual([
      'Key figures',
      'Trends by week',
      'By team',
      'By channel',
    ]);
    const kpis = workbook.worksheets[0]!;
    expect(kpis.getRow(1).getCell(5).value).toBe('Previous period (2026-02-23 – 2026-03-01)');
    expect(kpis.getColumn(2).values.slice(2)).toEqual([
      'tickets_created',
      'tickets_solved',
      'backlog',
      'first_response_time',
      'resolution_time',
      'sla_compliance',
      'csat',
      'nps',
      'one_touch_rate',
      'reopen_rate',
    ]);
    const byTeam = workbook.worksheets[2]!;
    const ours = byTeam.getColumn(1).values.indexOf(team.name);
    expect(ours).toBeGreaterThan(1);
    // Created and solved in the fixture's week: 3 and 2.
    expect([byTeam.getRow(ours).getCell(2).value, byTeam.getRow(ours).getCell(3).value]).toEqual([3, 2]);
  });

  it('needs reports:read and a sensible range', async () => {
    expect((await management({ from: '2026-03-02', to: '2026-03-08' }, agent)).statusCode).toBe(403);
    const backwards = await management({ from: '2026-03-09', to: '2026-03-02', timeZone: 'UTC' });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json<Problem>().errors?.map((e) => e.field)).toEqual(['from']);
    const zone = await management({ from: '2026-03-02', to: '2026-03-08', timeZone: 'Pacific/Chatham' });
    expect(zone.statusCode).toBe(400);
    expect(zone.json<Problem>().errors?.map((e) => e.field)).toEqual(['timeZone']);
    // Five centuries by month: 10 KPI trends of 5,000 points and more, refused before anything is read.
    const long = await management({ from: '1526-01-01', to: '2026-03-08', timeZone: 'UTC' });
    expect(long.statusCode, long.body).toBe(400);
    const [error] = long.json<Problem>().errors ?? [];
    expect(error?.field).toBe('from');
    expect(error?.message).toContain('choose a shorter range');
  });
});
