import {
  CreateReportScheduleBody,
  ManagementReportQuery,
  NoContent,
  ReportDelivery,
  ReportDeliveryList,
  ReportExport,
  ReportSchedule,
  ReportScheduleList,
  RetentionReportQuery,
  UpdateReportScheduleBody,
} from '@keepdesk/contract';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../../platform/context';
import { type App, actorOf, principalOf } from '../../platform/http';
import { type RetentionReportKind, retentionReport } from '../retention';
import {
  checkExportQueries,
  checkManagementRange,
  managementData,
  type ReportFile,
  readerOf,
  renderDocument,
  renderManagement,
  renderReports,
} from './export.service';
import { metricReports } from './query.service';
import { scopedQuery } from './reporting.routes';
import {
  createSchedule,
  deleteSchedule,
  listScheduleDeliveries,
  listSchedules,
  sendScheduleNow,
  updateSchedule,
} from './schedules.service';

const tags = ['reports'];
const read = { access: { permission: 'reports:read' } };
const manage = { access: { permission: 'reports:manage' } };
const id = z.object({ id: z.uuid() });

function sendFile(reply: FastifyReply, file: ReportFile) {
  return reply
    .header('content-type', file.contentType)
    .header('content-length', file.content.length)
    .header('content-disposition', `attachment; filename="${file.filename}"`)
    .header('cache-control', 'private, no-store')
    .send(file.content);
}

/** Report files (PDF, CSV, XLSX), the management report, and reports sent by e-mail on a schedule. */
export function exportRoutes(deps: Deps) {
  return async (app: App) => {
    app.post(
      '/reports/export',
      {
        schema: {
          tags,
          description:
            'Metric queries as a file: PDF (a line chart and a table per query, page numbers), CSV (`metric,stat,unit,group,period,start,value,n`) or XLSX (a sheet per query). The same rules as GET /reports/metrics apply; a bad query is a 400 naming `queries.<index>.<field>`. A file holds at most 5,000 points (periods × groups, over all queries) as PDF and 100,000 as CSV or XLSX; more is a 400 naming `queries`.',
          body: ReportExport,
        },
        config: { access: { permission: null } },
      },
      async (req, reply) => {
        const principal = principalOf(req);
        const reader = await readerOf(deps, principal.userId);
        const queries = req.body.queries.map((query) => scopedQuery(principal, query));
        checkExportQueries(queries, reader.timeZone, [req.body.format], deps.now());
        const reports = await metricReports(deps, queries, reader.timeZone);
        const file = await renderReports(reports, {
          title: req.body.title,
          format: req.body.format,
          language: req.body.language ?? reader.language,
          now: deps.now(),
        });
        return sendFile(reply, file);
      },
    );
    app.get(
      '/reports/management',
      {
        schema: {
          tags,
          description:
            'The management report for a range of days: headline KPIs against the previous period of the same length, trends by week (by month past half a year), and a breakdown by team and by channel — as a PDF with charts or an XLSX workbook. A range whose trends and breakdowns exceed the export cap (5,000 points as PDF) is a 400 naming `from`.',
          querystring: ManagementReportQuery,
        },
        config: read,
      },
      async (req, reply) => {
        const reader = await readerOf(deps, principalOf(req).userId);
        const zone = req.query.timeZone ?? reader.timeZone;
        const range = { from: req.query.from, to: req.query.to };
        checkManagementRange(range, zone, req.query.format, deps.now());
        const data = await managementData(deps, range, zone);
        const file = await renderManagement(data, {
          format: req.query.format,
          language: req.query.language ?? reader.language,
          now: deps.now(),
        });
        return sendFile(reply, file);
      },
    );
    const retentionReports: [string, RetentionReportKind, string][] = [
      [
        '/reports/retention',
        'retention',
        'The retention-rate report: key figures of the last period against the one before, customer churn and retention, GRR and NRR and the MRR movements per month (or quarter) — by default the last complete month and the 12 before — the cancel reasons and the cohort table, as a PDF with charts or an XLSX workbook. Definitions: docs/metrics.md.',
      ],
      [
        '/reports/churn-analysis',
        'churn_analysis',
        'The churn analysis of a quarter (by default the last complete one) or of the months asked for: churned accounts and MRR, cancel reasons, churn by plan and by account attributes with few values, the active churn model’s top drivers, and the cohort table — as a PDF with charts or an XLSX workbook.',
      ],
    ];
    for (const [url, kind, description] of retentionReports) {
      app.get(
        url,
        { schema: { tags, description, querystring: RetentionReportQuery }, config: read },
        async (req, reply) => {
          const reader = await readerOf(deps, principalOf(req).userId);
          const language = req.query.language ?? reader.language;
          const document = await retentionReport(deps, kind, { ...req.query, language });
          const file = await renderDocument(document, {
            format: req.query.format,
            language,
            now: deps.now(),
            timeZone: reader.timeZone,
          });
          return sendFile(reply, file);
        },
      );
    }
    app.get(
      '/reports/schedules',
      {
        schema: {
          tags,
          description: 'Scheduled reports, each with its latest delivery.',
          response: { 200: ReportScheduleList },
        },
        config: read,
      },
      async () => listSchedules(deps),
    );
    app.post(
      '/reports/schedules',
      {
        schema: {
          tags,
          description:
            'A report mailed after every week (Monday to Sunday), month or quarter in the time zone, at 06:00 on the first day of the next one: the management report or the metric queries given, in the formats given.',
          body: CreateReportScheduleBody,
          response: { 201: ReportSchedule },
        },
        config: manage,
      },
      async (req, reply) => reply.code(201).send(await createSchedule(deps, actorOf(req), req.body)),
    );
    app.patch(
      '/reports/schedules/:id',
      {
        schema: { tags, params: id, body: UpdateReportScheduleBody, response: { 200: ReportSchedule } },
        config: manage,
      },
      async (req) => updateSchedule(deps, actorOf(req), req.params.id, req.body),
    );
    app.delete(
      '/reports/schedules/:id',
      { schema: { tags, params: id, response: { 204: NoContent } }, config: manage },
      async (req, reply) => {
        await deleteSchedule(deps, actorOf(req), req.params.id);
        return reply.code(204).send();
      },
    );
    app.post(
      '/reports/schedules/:id/send',
      {
        schema: {
          tags,
          description: 'Mails the report of the period that ended last now, beside the schedule’s own runs.',
          params: id,
          response: { 202: ReportDelivery },
        },
        config: manage,
      },
      async (req, reply) => reply.code(202).send(await sendScheduleNow(deps, actorOf(req), req.params.id)),
    );
    app.get(
      '/reports/schedules/:id/deliveries',
      {
        schema: {
          tags,
          description:
            'The latest 100 deliveries of a schedule, newest first, with attempts and the last error.',
          params: id,
          response: { 200: ReportDeliveryList },
        },
        config: read,
      },
      async (req) => listScheduleDeliveries(deps, req.params.id),
    );
  };
}
