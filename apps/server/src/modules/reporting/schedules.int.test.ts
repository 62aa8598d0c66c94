import type {
  Problem,
  ReportDeliveryList,
  ReportSchedule,
  ReportScheduleList,
  Team,
  User,
} from '@keepdesk/contract';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, eventually, startTestServer, type TestServer, uniq } from '../../../test/harness';
import { type SmtpSink, startSmtpSink } from '../../../test/smtp';
import { parseCsv } from '../../platform/csv';
import { makeExportFixture } from './export.fixture';
import { settleReports } from './rollups.service';
import {
  deliverReport,
  REPORT_ATTEMPT_GRACE_MS,
  REPORT_MAX_ATTEMPTS,
  runDueSchedules,
} from './schedules.service';

let sink: SmtpSink;
let sinkOpen = true;
let server: TestServer;
let manager: { user: User; headers: { authorization: string } };
let teamLead: { user: User; headers: { authorization: string } };
let team: Team;

beforeAll(async () => {
  sink = await startSmtpSink();
  // A database of its own: the delivery jobs must run in this server, which talks to this SMTP sink.
  server = await startTestServer({
    isolated: true,
    config: { mailTransport: 'smtp', smtpUrl: sink.url, mailRetrySeconds: 1 },
  });
  manager = await bearerFor(server, 'manager');
  teamLead = await bearerFor(server, 'team_lead');
  team = await makeExportFixture(server);
  await settleReports(server.deps);
});
afterAll(async () => {
  await server?.close();
  if (sinkOpen) await sink?.close();
});

function call(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, who = manager) {
  return server.app.inject({ method, url: `/api/v1${url}`, headers: who.headers, payload });
}

const weekly = (over: object = {}) => ({
  name: `Wochenbericht ${uniq()}`,
  recipients: ['chefin@firma.example', 'team@firma.example'],
  frequency: 'weekly',
  content: 'metrics',
  queries: [
    { metric: 'tickets_created', stat: 'count', grain: 'day', filter: `team:${team.id}` },
    { metric: 'tickets_solved', stat: 'count', grain: 'day', filter: `team:${team.id}` },
  ],
  formats: ['pdf', 'csv', 'xlsx'],
  language: 'de',
  timeZone: 'UTC',
  ...over,
});

async function deliveries(id: string) {
  return (await call('GET', `/reports/schedules/${id}/deliveries`)).json<ReportDeliveryList>().items;
}

describe('scheduled reports', () => {
  it('mails the week that ended, with PDF, CSV and XLSX, when the schedule is due', async () => {
    const created = await call('POST', '/reports/schedules', weekly());
    expect(created.statusCode, created.body).toBe(201);
    const schedule = created.json<ReportSchedule>();
    expect(new Date(schedule.nextRunAt).getTime()).toBeGreaterThan(Date.now());
    expect(new Date(schedule.nextRunAt).getUTCDay()).toBe(1); // a Monday, 06:00 in the zone
    // Due on Monday 2026-03-09 06:00: the week 03-02..03-08 ended.
    await server.deps.database.query(`update report_schedules set next_run_at = $1 where id = $2`, [
      '2026-03-09T06:00:00Z',
      schedule.id,
    ]);
    expect(await runDueSchedules(server.deps)).toBe(1);
    expect(await runDueSchedules(server.deps)).toBe(0); // moved on: nothing due twice

    const mail = await sink.waitFor((m) => m.subject?.startsWith(schedule.name) ?? false, 20_000);
    expect(mail.subject).toBe(`${schedule.name}: 2026-03-02 bis 2026-03-08`);
    expect(mail.text).toContain('im Anhang finden Sie den Bericht');
    const to = Array.isArray(mail.to) ? mail.to : [mail.to];
    expect(to.flatMap((a) => a?.value.map((v) => v.address))).toEqual([
      'chefin@firma.example',
      'team@firma.example',
    ]);
    const files = new Map(mail.attachments.map((a) => [a.filename, a]));
    const base = schedule.name.toLowerCase().replace(/ /g, '-');
    const pdf = files.get(`${base}-2026-03-02-2026-03-08.pdf`);
    const csv = files.get(`${base}-2026-03-02-2026-03-08.csv`);
    const xlsx = files.get(`${base}-2026-03-02-2026-03-08.xlsx`);
    expect(pdf?.content.subarray(0, 5).toString()).toBe('%PDF-');
    const table = parseCsv(csv!.content.toString('utf8'));
    const counts = (metric: string) =>
      table.records.filter((r) => r.cells[0] === metric).map((r) => [r.cells[4], r.cells[6]]);
    expect(counts('tickets_created')).toEqual([
      ['2026-03-02', '1'],
      ['2026-03-03', '2'],
      ['2026-03-04', '0'],
      ['2026-03-05', '0'],
      ['2026-03-06', '0'],
      ['2026-03-07', '0'],
      ['2026-03-08', '0'],
    ]);
    expect(counts('tickets_solved').map((c) => c[1])).toEqual(['1', '1', '0', '0', '0', '0', '0']);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx!.content as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Erstellte Tickets', 'Gelöste Tickets']);

    const history = await eventually(
      () => deliveries(schedule.id),
      (items) => items[0]?.status === 'sent',
    );
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({
      periodFrom: '2026-03-02',
      periodTo: '2026-03-08',
      status: 'sent',
      attempts: 1,
      manual: false,
      lastError: null,
    });
    const list = (await call('GET', '/reports/schedules', undefined, teamLead)).json<ReportScheduleList>();
    const listed = list.items.find((s) => s.id === schedule.id)!;
    expect(listed.lastDelivery?.status).toBe('sent');
    expect(new Date(listed.nextRunAt).getTime()).toBeGreaterThan(Date.now());
  });

  it('mails the management report as PDF and XLSX', async () => {
    const created = await call(
      'POST',
      '/reports/schedules',
      weekly({
        content: 'management',
        queries: [],
        formats: ['pdf', 'xlsx'],
        frequency: 'monthly',
        language: 'en',
      }),
    );
    expect(created.statusCode, created.body).toBe(201);
    const schedule = created.json<ReportSchedule>();
    const sent = await call('POST', `/reports/schedules/${schedule.id}/send`);
    expect(sent.statusCode, sent.body).toBe(202);
    const mail = await sink.waitFor((m) => m.subject?.startsWith(schedule.name) ?? false, 20_000);
    expect(mail.attachments.map((a) => (a.filename ?? '').split('.').pop()).sort()).toEqual(['pdf', 'xlsx']);
    expect(mail.text).toContain('attached is the report');
  });

  it('refuses bad schedules with the field named, and leaves changes to reports:manage', async () => {
    const fieldsOf = async (body: object) => {
      const response = await call('POST', '/reports/schedules', body);
      expect(response.statusCode, response.body).toBe(400);
      return response.json<Problem>().errors?.map((e) => e.field);
    };
    expect(await fieldsOf(weekly({ recipients: ['chefin@firma.example', 'not an address'] }))).toEqual([
      'recipients.1',
    ]);
    expect(await fieldsOf(weekly({ recipients: [] }))).toEqual(['recipients']);
    expect(await fieldsOf(weekly({ queries: [{ metric: 'happiness', grain: 'day' }] }))).toContain(
      'queries.0.metric',
    );
    expect(await fieldsOf(weekly({ queries: [{ metric: 'csat', stat: 'median' }] }))).toEqual([
      'queries.0.stat',
    ]);
    expect(await fieldsOf(weekly({ queries: [] }))).toEqual(['queries']);
    expect(await fieldsOf(weekly({ formats: [] }))).toEqual(['formats']);
    expect(await fieldsOf(weekly({ timeZone: 'Pacific/Chatham' }))).toEqual(['timeZone']);
    expect((await call('POST', '/reports/schedules', weekly(), teamLead)).statusCode).toBe(403);

    const schedule = (await call('POST', '/reports/schedules', weekly())).json<ReportSchedule>();
    const patched = await call('PATCH', `/reports/schedules/${schedule.id}`, {
      frequency: 'quarterly',
      active: false,
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json<ReportSchedule>()).toMatchObject({ frequency: 'quarterly', active: false });
    const badPatch = await call('PATCH', `/reports/schedules/${schedule.id}`, { recipients: ['x@'] });
    expect(badPatch.json<Problem>().errors?.map((e) => e.field)).toEqual(['recipients.0']);
    expect((await call('DELETE', `/reports/schedules/${schedule.id}`)).statusCode).toBe(204);
    expect((await call('GET', `/reports/schedules/${schedule.id}/deliveries`)).statusCode).toBe(404);
  });

  it('still sends the quarter after a monthly schedule that sent its first month turns quarterly', async () => {
    const schedule = (
      await call('POST', '/reports/schedules', weekly({ frequency: 'monthly' }))
    ).json<ReportSchedule>();
    const dueAt = async (at: string) => {
      await server.deps.database.query(`update report_schedules set next_run_at = $1 where id = $2`, [
        at,
        schedule.id,
      ]);
      await runDueSchedules(server.deps);
    };
    const mailOf = (from: string, to: string) =>
      sink.waitFor((m) => m.subject === `${schedule.name}: ${from} bis ${to}`, 20_000);
    await dueAt('2026-02-01T06:00:00Z');
    await mailOf('2026-01-01', '2026-01-31');

    const patched = await call('PATCH', `/reports/schedules/${schedule.id}`, { frequency: 'quarterly' });
    expect(patched.statusCode, patched.body).toBe(200);
    // The quarter begins with the January already sent: it is a period of its own, sent all the same.
    await dueAt('2026-04-01T06:00:00Z');
    await mailOf('2026-01-01', '2026-03-31');
    const history = await eventually(
      () => deliveries(schedule.id),
      (items) => items.length === 2 && items.every((d) => d.status === 'sent'),
    );
    expect(history.map((d) => [d.periodFrom, d.periodTo])).toEqual([
      ['2026-01-01', '2026-03-31'],
      ['2026-01-01', '2026-01-31'],
    ]);
  });

  it('sends a delivery the sweep finds lost: queued without a job, or left sending by a stopped process', async () => {
    const schedule = (await call('POST', '/reports/schedules', weekly())).json<ReportSchedule>();
    const lostSince = new Date(Date.now() - REPORT_ATTEMPT_GRACE_MS - 60_000).toISOString();
    const insert = async (periodFrom: string, periodTo: string, extra: string, values: unknown[]) => {
      const result = await server.deps.database.query(
        `insert into report_deliveries (schedule_id, period_from, period_to, run_key ${extra})
         values ($1, $2, $3, $4 ${values.map((_, i) => `, $${i + 5}`).join('')}) returning id`,
        [schedule.id, periodFrom, periodTo, `test:${periodFrom}`, ...values],
      );
      return String((result.rows[0] as { id: string }).id);
    };
    // Recorded, but the job was never enqueued (the process died after the commit).
    const queued = await insert('2026-02-02', '2026-02-08', ', created_at', [lostSince]);
    // An attempt claimed it and its process was killed while rendering.
    const sending = await insert('2026-02-09', '2026-02-15', ', status, attempts, attempt_started_at', [
      'sending',
      1,
      lostSince,
    ]);
    // Just recorded, its job not yet run: left alone.
    const fresh = await insert('2026-02-16', '2026-02-22', '', []);

    await runDueSchedules(server.deps);
    await sink.waitFor((m) => m.subject === `${schedule.name}: 2026-02-02 bis 2026-02-08`, 20_000);
    await sink.waitFor((m) => m.subject === `${schedule.name}: 2026-02-09 bis 2026-02-15`, 20_000);
    const byId = new Map(
      (
        await eventually(
          () => deliveries(schedule.id),
          (items) => items.filter((d) => d.status === 'sent').length === 2,
        )
      ).map((d) => [d.id, d]),
    );
    expect(byId.get(queued)).toMatchObject({ status: 'sent', attempts: 1 });
    // The interrupted attempt counts: the one that mailed was the second.
    expect(byId.get(sending)).toMatchObject({ status: 'sent', attempts: 2 });
    expect(byId.get(fresh)).toMatchObject({ status: 'queued', attempts: 0 });
    expect(sink.messages.some((m) => m.subject?.endsWith('2026-02-16 bis 2026-02-22'))).toBe(false);
  });

  it('mails a delivery once when two runners take it at the same time', async () => {
    const schedule = (await call('POST', '/reports/schedules', weekly())).json<ReportSchedule>();
    const result = await server.deps.database.query(
      `insert into report_deliveries (schedule_id, period_from, period_to, run_key)
       values ($1, '2026-03-02', '2026-03-08', 'test:twice') returning id`,
      [schedule.id],
    );
    const id = String((result.rows[0] as { id: string }).id);
    await Promise.all([deliverReport(server.deps, id), deliverReport(server.deps, id)]);
    const subject = `${schedule.name}: 2026-03-02 bis 2026-03-08`;
    await sink.waitFor((m) => m.subject === subject, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(sink.messages.filter((m) => m.subject === subject)).toHaveLength(1);
    expect((await deliveries(schedule.id))[0]).toMatchObject({ id, status: 'sent', attempts: 1 });
  });

  it('refuses a schedule whose report would exceed the export cap', async () => {
    const hourly = { metric: 'tickets_created', stat: 'count', grain: 'hour' };
    // A quarter by the hour is some 2,200 points a query: three are over 5,000 for a PDF, not for a CSV.
    const body = weekly({ frequency: 'quarterly', queries: [hourly, hourly, hourly] });
    const refused = await call('POST', '/reports/schedules', { ...body, formats: ['csv', 'pdf'] });
    expect(refused.statusCode, refused.body).toBe(400);
    const problem = refused.json<Problem>();
    expect(problem.errors?.map((e) => e.field)).toEqual(['queries']);
    expect(problem.errors?.[0]?.message).toMatch(/at most 5,000: choose a coarser grain or a shorter range/);
    const csv = await call('POST', '/reports/schedules', { ...body, formats: ['csv'] });
    expect(csv.statusCode, csv.body).toBe(201);
  });

  // Last: it closes the SMTP server.
  it('records a delivery as failed with the error after its retries when the mail server is unreachable', async () => {
    const schedule = (await call('POST', '/reports/schedules', weekly())).json<ReportSchedule>();
    await sink.close();
    sinkOpen = false;
    const sent = await call('POST', `/reports/schedules/${schedule.id}/send`);
    expect(sent.statusCode, sent.body).toBe(202);
    const history = await eventually(
      () => deliveries(schedule.id),
      (items) => items[0]?.status === 'failed',
      40_000,
    );
    expect(history[0]).toMatchObject({
      status: 'failed',
      attempts: REPORT_MAX_ATTEMPTS,
      manual: true,
      nextAttemptAt: null,
      sentAt: null,
    });
    expect(history[0]!.lastError).toMatch(/ECONNREFUSED|connect/i);
    const listed = (await call('GET', '/reports/schedules')).json<ReportScheduleList>();
    expect(listed.items.find((s) => s.id === schedule.id)?.lastDelivery?.status).toBe('failed');
    expect(listed.items.find((s) => s.id === schedule.id)?.active).toBe(true);
  }, 60_000);
});
