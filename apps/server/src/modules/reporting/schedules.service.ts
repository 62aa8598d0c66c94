/**
 * Scheduled reports: a schedule names recipients, a frequency and what to send; after each week, month or
 * quarter a sweep records a delivery for the period just ended and a job renders and mails it, with retries;
 * each attempt claims its delivery first, and the sweep restarts deliveries no attempt finished (ADR 0034).
 */
import type {
  CreateReportScheduleBody,
  ReportDelivery,
  ReportDeliveryList,
  ReportSchedule,
  ReportScheduleList,
  UpdateReportScheduleBody,
} from '@keepdesk/contract';
import { and, asc, desc, eq, inArray, lt, lte, or, sql } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import { rowsOf, withTransaction } from '../../platform/db';
import { AppError, fieldError, notFound } from '../../platform/errors';
import { type Actor, recordChange } from '../../platform/events';
import { translate } from '../../platform/i18n';
import { stableUuid } from '../../platform/jobs';
import { retentionReport } from '../retention';
import { type DayRange, nextRunAfter, periodBefore, scheduleRunKey } from './export.domain';
import { EXPORT_MESSAGES } from './export.messages';
import {
  checkExportQueries,
  checkExportReports,
  managementData,
  type ReportFile,
  renderDocument,
  renderManagement,
  renderReports,
} from './export.service';
import { metricReports } from './query.service';
import { reportDeliveries, reportSchedules } from './schedules.tables';

export const DELIVER_REPORT = 'reports.deliver';
/** Attempts of one delivery before it counts as failed; the schedule then goes on with the next period. */
export const REPORT_MAX_ATTEMPTS = 3;
const SWEEP_BATCH = 100;
/**
 * How long a delivery may wait past its time (`queued`) or run (`sending`) before the sweep takes it as lost —
 * its job never enqueued, or the process died during the attempt — and starts it again. Longer than any render.
 */
export const REPORT_ATTEMPT_GRACE_MS = 10 * 60_000;

type ScheduleRow = typeof reportSchedules.$inferSelect;
type DeliveryRow = typeof reportDeliveries.$inferSelect;

function presentDelivery(row: DeliveryRow): ReportDelivery {
  return {
    id: row.id,
    scheduleId: row.scheduleId,
    periodFrom: row.periodFrom,
    periodTo: row.periodTo,
    manual: row.runKey === null,
    status: row.status,
    attempts: row.attempts,
    maxAttempts: REPORT_MAX_ATTEMPTS,
    lastError: row.lastError,
    nextAttemptAt: row.nextAttemptAt?.toISOString() ?? null,
    sentAt: row.sentAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

function present(row: ScheduleRow, last: DeliveryRow | undefined): ReportSchedule {
  return {
    id: row.id,
    name: row.name,
    ownerId: row.ownerId,
    recipients: row.recipients,
    frequency: row.frequency,
    content: row.content,
    queries: row.queries,
    formats: row.formats,
    language: row.language,
    timeZone: row.timeZone,
    nextRunAt: row.nextRunAt.toISOString(),
    active: row.active,
    lastDelivery: last ? presentDelivery(last) : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The latest delivery of each schedule. */
async function lastDeliveries(deps: Deps, scheduleIds: string[]): Promise<Map<string, DeliveryRow>> {
  if (scheduleIds.length === 0) return new Map();
  const rows = await deps.database.db
    .select()
    .from(reportDeliveries)
    .where(inArray(reportDeliveries.scheduleId, scheduleIds))
    .orderBy(desc(reportDeliveries.createdAt));
  const last = new Map<string, DeliveryRow>();
  for (const row of rows) if (!last.has(row.scheduleId)) last.set(row.scheduleId, row);
  return last;
}

export async function listSchedules(deps: Deps): Promise<ReportScheduleList> {
  const rows = await deps.database.db.select().from(reportSchedules).orderBy(asc(reportSchedules.name));
  const last = await lastDeliveries(
    deps,
    rows.map((r) => r.id),
  );
  return { items: rows.map((row) => present(row, last.get(row.id))) };
}

async function scheduleRow(deps: Deps, id: string): Promise<ScheduleRow> {
  const [row] = await deps.database.db.select().from(reportSchedules).where(eq(reportSchedules.id, id));
  if (!row) throw notFound('report schedule', id);
  return row;
}

/**
 * A schedule must be sendable: reports kept in its time zone, and metric queries the catalogue answers (tried
 * once on the last period, so an unknown statistic or a bad filter is refused now, not at 06:00 on Monday).
 */
async function checkSendable(
  deps: Deps,
  schedule: Pick<ScheduleRow, 'content' | 'queries' | 'timeZone' | 'frequency' | 'formats'>,
) {
  const zones = rowsOf(await deps.database.db.execute(sql`select zone from report_zones order by zone`)).map(
    (r) => String(r.zone),
  );
  if (!zones.includes(schedule.timeZone)) {
    throw fieldError('timeZone', `reports are kept for ${zones.join(', ')}; choose one of them`);
  }
  if (schedule.content === 'management') return;
  if (schedule.content === 'retention' || schedule.content === 'churn_analysis') {
    // Retention is measured between month ends (docs/metrics.md); its reports are tables, not series.
    if (schedule.frequency === 'weekly') {
      throw fieldError(
        'frequency',
        'a retention report covers a month or a quarter: choose monthly or quarterly',
      );
    }
    if (schedule.formats.includes('csv'))
      throw fieldError('formats', 'a retention report is sent as PDF or XLSX');
    return;
  }
  if (schedule.queries.length === 0) throw fieldError('queries', 'a metrics report needs at least one query');
  const period = periodBefore(schedule.frequency, schedule.timeZone, deps.now());
  const queries = queriesFor(schedule, period);
  checkExportQueries(queries, schedule.timeZone, schedule.formats, deps.now());
  try {
    checkExportReports(await metricReports(deps, queries, schedule.timeZone), schedule.formats);
  } catch (error) {
    if (error instanceof AppError && error.code === 'REPORT_NOT_READY') return;
    throw error;
  }
}

function queriesFor(schedule: Pick<ScheduleRow, 'queries' | 'timeZone'>, period: DayRange) {
  return schedule.queries.map((q) => ({
    ...q,
    from: period.from,
    to: period.to,
    timeZone: schedule.timeZone,
  }));
}

export async function createSchedule(
  deps: Deps,
  actor: Actor,
  input: CreateReportScheduleBody,
): Promise<ReportSchedule> {
  await checkSendable(deps, input);
  const row = await withTransaction(deps.database, async (tx) => {
    const [created] = await tx
      .insert(reportSchedules)
      .values({
        ...input,
        ownerId: actor.userId,
        nextRunAt: nextRunAfter(input.frequency, input.timeZone, deps.now()),
      })
      .returning();
    await recordChange(tx, actor, {
      action: 'report_schedule.created',
      entityType: 'report_schedule',
      entityId: created!.id,
      data: { name: created!.name },
    });
    return created!;
  });
  return present(row, undefined);
}

export async function updateSchedule(
  deps: Deps,
  actor: Actor,
  id: string,
  patch: UpdateReportScheduleBody,
): Promise<ReportSchedule> {
  const before = await scheduleRow(deps, id);
  const merged = {
    ...before,
    ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
  };
  await checkSendable(deps, merged);
  // A new rhythm, zone or a restart begins with the next period from now; a pause keeps nothing owed.
  const timing =
    patch.frequency !== undefined || patch.timeZone !== undefined || (patch.active && !before.active)
      ? { nextRunAt: nextRunAfter(merged.frequency, merged.timeZone, deps.now()) }
      : {};
  const row = await withTransaction(deps.database, async (tx) => {
    const [updated] = await tx
      .update(reportSchedules)
      .set({ ...patch, ...timing, updatedAt: deps.now() })
      .where(eq(reportSchedules.id, id))
      .returning();
    await recordChange(tx, actor, {
      action: 'report_schedule.updated',
      entityType: 'report_schedule',
      entityId: id,
      data: { fields: Object.keys(patch) },
    });
    return updated!;
  });
  return present(row, (await lastDeliveries(deps, [id])).get(id));
}

export async function deleteSchedule(deps: Deps, actor: Actor, id: string): Promise<void> {
  await scheduleRow(deps, id);
  await withTransaction(deps.database, async (tx) => {
    await tx.delete(reportSchedules).where(eq(reportSchedules.id, id));
    await recordChange(tx, actor, {
      action: 'report_schedule.deleted',
      entityType: 'report_schedule',
      entityId: id,
    });
  });
}

export async function listScheduleDeliveries(deps: Deps, id: string): Promise<ReportDeliveryList> {
  await scheduleRow(deps, id);
  const rows = await deps.database.db
    .select()
    .from(reportDeliveries)
    .where(eq(reportDeliveries.scheduleId, id))
    .orderBy(desc(reportDeliveries.createdAt))
    .limit(100);
  return { items: rows.map(presentDelivery) };
}

/**
 * One job per attempt: the attempt number names it, so a repeated enqueue of the same attempt is one job. A
 * recovery (`restart`) names its job after itself, as the attempt's first job may still exist having done nothing.
 */
async function startDelivery(
  deps: Deps,
  row: DeliveryRow,
  options: { startAfterSeconds?: number; restart?: Date } = {},
): Promise<void> {
  const restart = options.restart ? `:restart:${options.restart.toISOString()}` : '';
  await deps.jobs.send(
    DELIVER_REPORT,
    { deliveryId: row.id },
    {
      id: stableUuid(`report-delivery:${row.id}:${row.attempts}${restart}`),
      startAfterSeconds: options.startAfterSeconds,
    },
  );
}

/** "Send now": the period that ended last, mailed at once, beside the schedule's own runs. */
export async function sendScheduleNow(deps: Deps, actor: Actor, id: string): Promise<ReportDelivery> {
  const schedule = await scheduleRow(deps, id);
  const period = periodBefore(schedule.frequency, schedule.timeZone, deps.now());
  const row = await withTransaction(deps.database, async (tx) => {
    const [created] = await tx
      .insert(reportDeliveries)
      .values({ scheduleId: id, periodFrom: period.from, periodTo: period.to, runKey: null })
      .returning();
    await recordChange(tx, actor, {
      action: 'report_schedule.sent_now',
      entityType: 'report_schedule',
      entityId: id,
      data: { deliveryId: created!.id },
    });
    return created!;
  });
  await startDelivery(deps, row);
  return presentDelivery(row);
}

/**
 * The sweep: each active schedule whose time came records a delivery for the period that ended before its due
 * time (once per period) and moves on to its next run; then lost deliveries are started again. Bounded per call;
 * the deliveries run as jobs. Returns the deliveries recorded.
 */
export async function runDueSchedules(deps: Deps): Promise<number> {
  const created = await recordDueDeliveries(deps);
  await recoverDeliveries(deps);
  return created;
}

async function recordDueDeliveries(deps: Deps): Promise<number> {
  const now = deps.now();
  const created = await withTransaction(deps.database, async (tx) => {
    const due = await tx
      .select()
      .from(reportSchedules)
      .where(and(eq(reportSchedules.active, true), lte(reportSchedules.nextRunAt, now)))
      .orderBy(asc(reportSchedules.nextRunAt))
      .limit(SWEEP_BATCH)
      .for('update', { skipLocked: true });
    const rows: DeliveryRow[] = [];
    for (const schedule of due) {
      const period = periodBefore(schedule.frequency, schedule.timeZone, schedule.nextRunAt);
      const runKey = scheduleRunKey(schedule.frequency, period);
      const [delivery] = await tx
        .insert(reportDeliveries)
        .values({ scheduleId: schedule.id, periodFrom: period.from, periodTo: period.to, runKey })
        .onConflictDoNothing()
        .returning();
      if (delivery) rows.push(delivery);
      // The key names the whole period, so this means the same period was recorded before: never silently.
      else
        deps.log.warn(
          { scheduleId: schedule.id, runKey },
          'scheduled report already recorded for this period',
        );
      await tx
        .update(reportSchedules)
        .set({ nextRunAt: nextRunAfter(schedule.frequency, schedule.timeZone, now) })
        .where(eq(reportSchedules.id, schedule.id));
    }
    return rows;
  });
  for (const row of created) await startDelivery(deps, row);
  return created.length;
}

/** The attachments of a schedule's report for a period, one per format. */
async function scheduleFiles(deps: Deps, schedule: ScheduleRow, period: DayRange): Promise<ReportFile[]> {
  const common = { language: schedule.language, now: deps.now() };
  if (schedule.content === 'management') {
    const data = await managementData(deps, period, schedule.timeZone);
    return Promise.all(
      schedule.formats.map((format) => renderManagement(data, { ...common, format, title: schedule.name })),
    );
  }
  if (schedule.content === 'retention' || schedule.content === 'churn_analysis') {
    const document = await retentionReport(deps, schedule.content, {
      to: period.to.slice(0, 7),
      period: schedule.frequency === 'quarterly' ? 'quarter' : 'month',
      language: schedule.language,
      title: schedule.name,
    });
    return Promise.all(
      schedule.formats.map((format) => {
        if (format === 'csv') throw new Error('a retention report is sent as PDF or XLSX, not CSV');
        return renderDocument(document, { ...common, format, timeZone: schedule.timeZone });
      }),
    );
  }
  const queries = queriesFor(schedule, period);
  checkExportQueries(queries, schedule.timeZone, schedule.formats, deps.now());
  const reports = await metricReports(deps, queries, schedule.timeZone);
  checkExportReports(reports, schedule.formats);
  return Promise.all(
    schedule.formats.map((format) => renderReports(reports, { ...common, format, title: schedule.name })),
  );
}

/** Doubling delays from the configured mail retry base, as outbound e-mail does (ADR 0019). */
const retryDelay = (base: number, attempt: number) => Math.min(base * 2 ** (attempt - 1), 6 * 3600);

const INTERRUPTED = 'the attempt ended without an outcome (the process stopped or the job was lost)';

/**
 * Deliveries no attempt will finish: `queued` past their time by the grace (the job was never enqueued, or died
 * before claiming), or `sending` for longer than the grace (the process ended mid-attempt; that attempt counts as
 * failed). They are queued again — or failed, when that was the last attempt — and started. A late runner of
 * the old attempt finds its claim gone, so nothing is mailed twice by this.
 */
async function recoverDeliveries(deps: Deps): Promise<number> {
  const now = deps.now();
  const before = new Date(now.getTime() - REPORT_ATTEMPT_GRACE_MS);
  const d = reportDeliveries;
  const lost = deps.database.db
    .select({ id: d.id })
    .from(d)
    .where(
      or(
        and(eq(d.status, 'queued'), lt(sql`coalesce(${d.nextAttemptAt}, ${d.createdAt})`, before)),
        and(eq(d.status, 'sending'), lt(d.attemptStartedAt, before)),
      ),
    )
    .orderBy(asc(d.createdAt))
    .limit(SWEEP_BATCH)
    .for('update', { skipLocked: true });
  const gaveUp = and(eq(d.status, 'sending'), sql`${d.attempts} >= ${REPORT_MAX_ATTEMPTS}`);
  const rows = await deps.database.db
    .update(d)
    .set({
      status: sql`case when ${gaveUp} then 'failed' else 'queued' end`,
      lastError: sql`case when ${d.status} = 'sending' then ${INTERRUPTED} else ${d.lastError} end`,
      nextAttemptAt: sql`case when ${gaveUp} then null else ${now.toISOString()}::timestamptz end`,
      attemptStartedAt: null,
    })
    .where(inArray(d.id, lost))
    .returning();
  for (const row of rows) {
    deps.log.warn(
      { deliveryId: row.id, status: row.status, attempts: row.attempts },
      'scheduled report delivery was stuck; recovered',
    );
    if (row.status === 'queued') await startDelivery(deps, row, { restart: now });
  }
  return rows.length;
}

/**
 * One attempt of a delivery: claim it (`queued` → `sending`, one more attempt, in one statement, so of two
 * runners only one mails), render the files and mail them through the installation's mailer. A failure
 * schedules the next attempt with a doubling delay; after `REPORT_MAX_ATTEMPTS` the delivery is failed. The
 * outcome is written only while the claim still holds: a recovered attempt's late result is dropped.
 */
export async function deliverReport(deps: Deps, deliveryId: string): Promise<void> {
  const db = deps.database.db;
  const d = reportDeliveries;
  const [row] = await db.select().from(d).where(eq(d.id, deliveryId));
  if (row?.status !== 'queued') return;
  const [claimed] = await db
    .update(d)
    .set({ status: 'sending', attempts: sql`${d.attempts} + 1`, attemptStartedAt: deps.now() })
    .where(and(eq(d.id, deliveryId), eq(d.status, 'queued'), eq(d.attempts, row.attempts)))
    .returning();
  if (!claimed) return; // another runner has it
  const attempts = claimed.attempts;
  let update: Partial<DeliveryRow>;
  try {
    const [schedule] = await db.select().from(reportSchedules).where(eq(reportSchedules.id, row.scheduleId));
    if (!schedule) return; // deleted meanwhile: its deliveries went with it
    const period = { from: row.periodFrom, to: row.periodTo };
    const files = await scheduleFiles(deps, schedule, period);
    const vars = { name: schedule.name, from: period.from, to: period.to, zone: schedule.timeZone };
    await deps.mailer.send({
      to: schedule.recipients,
      subject: translate(EXPORT_MESSAGES, schedule.language, 'mail.subject', vars),
      text: translate(EXPORT_MESSAGES, schedule.language, 'mail.body', vars),
      headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
      attachments: files.map((f) => ({
        filename: f.filename,
        content: f.content,
        contentType: f.contentType,
      })),
    });
    update = { status: 'sent', lastError: null, nextAttemptAt: null, sentAt: deps.now() };
  } catch (error) {
    const final = attempts >= REPORT_MAX_ATTEMPTS;
    const delay = retryDelay(deps.config.mailRetrySeconds, attempts);
    update = {
      status: final ? 'failed' : 'queued',
      lastError: (error as Error).message.slice(0, 1000),
      nextAttemptAt: final ? null : new Date(deps.now().getTime() + delay * 1000),
    };
    deps.log.warn({ deliveryId, attempts, err: error }, 'scheduled report not delivered');
  }
  const [updated] = await db
    .update(d)
    .set({ ...update, attemptStartedAt: null })
    .where(and(eq(d.id, deliveryId), eq(d.status, 'sending'), eq(d.attempts, attempts)))
    .returning();
  if (!updated) {
    deps.log.warn({ deliveryId, attempts }, 'scheduled report attempt finished after it was taken as lost');
    return;
  }
  if (updated.status === 'queued') {
    await startDelivery(deps, updated, {
      startAfterSeconds: retryDelay(deps.config.mailRetrySeconds, attempts),
    });
  }
}
