/**
 * Scheduled reports: a schedule names recipients, a frequency and what to send; after each week, month or
 * quarter a sweep records a delivery for the period just ended and a job renders and mails it, with retries.
 */
import type {
  CreateReportScheduleBody,
  ReportDelivery,
  ReportDeliveryList,
  ReportSchedule,
  ReportScheduleList,
  UpdateReportScheduleBody,
} from '@keepdesk/contract';
import { and, asc, desc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import { rowsOf, withTransaction } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { type Actor, recordChange } from '../../platform/events';
import { translate } from '../../platform/i18n';
import { stableUuid } from '../../platform/jobs';
import { type DayRange, nextRunAfter, periodBefore } from './export.domain';
import { EXPORT_MESSAGES } from './export.messages';
import { managementData, type ReportFile, renderManagement, renderReports } from './export.service';
import { metricReports } from './query.service';
import { reportDeliveries, reportSchedules } from './schedules.tables';

export const DELIVER_REPORT = 'reports.deliver';
/** Attempts of one delivery before it counts as failed; the schedule then goes on with the next period. */
export const REPORT_MAX_ATTEMPTS = 3;
const SWEEP_BATCH = 100;

type ScheduleRow = typeof reportSchedules.$inferSelect;
type DeliveryRow = typeof reportDeliveries.$inferSelect;

const invalid = (field: string, message: string) =>
  new AppError('VALIDATION_FAILED', { message: `${field}: ${message}`, errors: [{ field, message }] });

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
  schedule: Pick<ScheduleRow, 'content' | 'queries' | 'timeZone' | 'frequency'>,
) {
  const zones = rowsOf(await deps.database.db.execute(sql`select zone from report_zones order by zone`)).map(
    (r) => String(r.zone),
  );
  if (!zones.includes(schedule.timeZone)) {
    throw invalid('timeZone', `reports are kept for ${zones.join(', ')}; choose one of them`);
  }
  if (schedule.content === 'management') return;
  if (schedule.queries.length === 0) throw invalid('queries', 'a metrics report needs at least one query');
  const period = periodBefore(schedule.frequency, schedule.timeZone, deps.now());
  try {
    await metricReports(deps, queriesFor(schedule, period), schedule.timeZone);
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

/** One job per attempt: the attempt number names it, so a repeated enqueue of the same attempt is one job. */
async function startDelivery(deps: Deps, row: DeliveryRow, startAfterSeconds?: number): Promise<void> {
  await deps.jobs.send(
    DELIVER_REPORT,
    { deliveryId: row.id },
    { id: stableUuid(`report-delivery:${row.id}:${row.attempts}`), startAfterSeconds },
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
 * time (once per period) and moves on to its next run. Bounded per call; the deliveries run as jobs.
 */
export async function runDueSchedules(deps: Deps): Promise<number> {
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
      const [delivery] = await tx
        .insert(reportDeliveries)
        .values({
          scheduleId: schedule.id,
          periodFrom: period.from,
          periodTo: period.to,
          runKey: `schedule:${period.from}`,
        })
        .onConflictDoNothing()
        .returning();
      if (delivery) rows.push(delivery);
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
  const reports = await metricReports(deps, queriesFor(schedule, period), schedule.timeZone);
  return Promise.all(
    schedule.formats.map((format) => renderReports(reports, { ...common, format, title: schedule.name })),
  );
}

/** Doubling delays from the configured mail retry base, as outbound e-mail does (ADR 0019). */
const retryDelay = (base: number, attempt: number) => Math.min(base * 2 ** (attempt - 1), 6 * 3600);

/**
 * One attempt of a delivery: render the files and mail them through the installation's mailer. A failure
 * schedules the next attempt with a doubling delay; after `REPORT_MAX_ATTEMPTS` the delivery is failed.
 */
export async function deliverReport(deps: Deps, deliveryId: string): Promise<void> {
  const db = deps.database.db;
  const [row] = await db.select().from(reportDeliveries).where(eq(reportDeliveries.id, deliveryId));
  if (row?.status !== 'queued') return;
  const [schedule] = await db.select().from(reportSchedules).where(eq(reportSchedules.id, row.scheduleId));
  if (!schedule) return;
  const attempts = row.attempts + 1;
  let update: Partial<DeliveryRow>;
  try {
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
    update = { status: 'sent', attempts, lastError: null, nextAttemptAt: null, sentAt: deps.now() };
  } catch (error) {
    const final = attempts >= REPORT_MAX_ATTEMPTS;
    const delay = retryDelay(deps.config.mailRetrySeconds, attempts);
    update = {
      status: final ? 'failed' : 'queued',
      attempts,
      lastError: (error as Error).message.slice(0, 1000),
      nextAttemptAt: final ? null : new Date(deps.now().getTime() + delay * 1000),
    };
    deps.log.warn({ deliveryId, attempts, err: error }, 'scheduled report not delivered');
  }
  const [updated] = await db
    .update(reportDeliveries)
    .set(update)
    .where(eq(reportDeliveries.id, deliveryId))
    .returning();
  if (updated!.status === 'queued') {
    await startDelivery(deps, updated!, retryDelay(deps.config.mailRetrySeconds, attempts));
  }
}
