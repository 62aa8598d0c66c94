/**
 * Reporting targets: stored definitions, their progress in the current period read through `metricReport`, the
 * history of past periods, and the off-track check that alerts owners (docs/reporting.md "Targets").
 */
import {
  CHANNELS,
  type CreateReportTargetBody,
  METRIC_NAMES,
  type ReportTarget,
  type ReportTargetDetail,
  type ReportTargetList,
  type ReportTargetProgress,
  type UpdateReportTargetBody,
} from '@keepdesk/contract';
import { and, asc, eq, isNull, type SQL, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Deps } from '../../platform/context';
import { type Database, type Executor, rowsOf, type Tx, withTransaction } from '../../platform/db';
import { AppError, type FieldProblem, notFound } from '../../platform/errors';
import { type Actor, recordChange } from '../../platform/events';
import { users } from '../auth';
import { notify } from '../notifications';
import { teams } from '../teams';
import { type MetricKey, metricOf, type Stat } from './metrics.domain';
import { batchRowReads, metricReport, type RowReader } from './query.service';
import {
  alertStep,
  evaluateTarget,
  forecastMethodOf,
  periodBounds,
  targetUnitOf,
  thresholdProblem,
} from './targets.domain';
import { reportTargetAlerts, reportTargets } from './targets.tables';

type TargetRow = typeof reportTargets.$inferSelect;
interface Loaded {
  target: TargetRow;
  ownerName: string;
  timeZone: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isMetric = (name: string): name is MetricKey => (METRIC_NAMES as readonly string[]).includes(name);

/** The advisory lock that lets one process at a time check the targets (the rollups hold 7_243_101). */
export const TARGETS_LOCK = 7_243_111;

/**
 * Whether a target's owner may be told its numbers: the owner holds reports:read, or the target counts the
 * owner's own work (`agent:<owner>`), which everyone may see.
 */
const holdsReportsRead = sql<boolean>`${users.roleKey} in (
  select rp.role_key from role_permissions rp where rp.permission = 'reports:read')`;
const ownerMayRead = sql<boolean>`(${holdsReportsRead} or ${reportTargets.scope} = 'agent:' || ${users.id}::text)`;

interface Definition {
  metric: string;
  stat: Stat;
  threshold: number;
  scope: string | null;
  period: TargetRow['period'];
  ownerId: string;
}

/**
 * Every problem of a target's definition as field errors: the owner and the scope must exist, the owner must be
 * allowed to see the numbers. Returns the owner's time zone.
 */
async function assertValid(db: Executor, input: Definition): Promise<string> {
  const errors: FieldProblem[] = [];
  if (!isMetric(input.metric)) {
    errors.push({ field: 'metric', message: `not in the catalogue: ${METRIC_NAMES.join(', ')}` });
  } else {
    const definition = metricOf(input.metric);
    if (!definition.stats.includes(input.stat)) {
      errors.push({ field: 'stat', message: `${input.metric} has ${definition.stats.join(', ')}` });
    } else {
      const problem = thresholdProblem(input.metric, input.stat, input.threshold);
      if (problem) errors.push({ field: 'threshold', message: problem });
    }
  }
  const scopeProblem = input.scope ? await scopeProblemOf(db, input.scope) : null;
  if (scopeProblem) errors.push({ field: 'scope', message: scopeProblem });
  const [owner] = UUID.test(input.ownerId)
    ? await db
        .select({
          timeZone: users.timeZone,
          mayRead: holdsReportsRead,
        })
        .from(users)
        .where(and(eq(users.id, input.ownerId), eq(users.isActive, true)))
    : [];
  if (!owner) errors.push({ field: 'ownerId', message: 'not an active user' });
  else if (!owner.mayRead && input.scope !== `agent:${input.ownerId}`) {
    errors.push({
      field: 'ownerId',
      message: 'may not see reports (reports:read); without it a user owns only targets of their own numbers',
    });
  }
  if (errors.length > 0) throw problemOf(errors);
  return owner!.timeZone;
}

const problemOf = (errors: FieldProblem[]) =>
  new AppError('VALIDATION_FAILED', { message: `${errors[0]!.field}: ${errors[0]!.message}`, errors });

/** The fields of a metric query and the fields of a target they come from. */
const QUERY_FIELDS: Readonly<Record<string, keyof Definition>> = {
  metric: 'metric',
  stat: 'stat',
  filter: 'scope',
  groupBy: 'scope',
  grain: 'period',
  timeZone: 'ownerId',
};

/**
 * Runs the target's metric query once, over today, so a definition the query refuses (agent utilisation by
 * channel, say) is refused now instead of showing no data forever. The query's field errors are named by the
 * target's fields. Outside a transaction: the query reads through `deps.database.db`.
 */
async function assertEvaluable(deps: Deps, input: Definition, ownerZone: string): Promise<void> {
  // While the owner's zone is being built, any zone that is ready checks the definition as well.
  const ready = rowsOf(
    await deps.database.db.execute(
      sql`select zone from report_zones where ready_at is not null order by zone = ${ownerZone} desc, zone limit 1`,
    ),
  );
  const zone = ready[0] ? String(ready[0].zone) : ownerZone;
  const today = DateTime.fromJSDate(deps.now(), { zone }).toISODate()!;
  try {
    await metricReport(
      deps,
      {
        metric: input.metric as MetricKey,
        stat: input.stat,
        from: today,
        to: today,
        grain: input.period,
        filter: input.scope ?? undefined,
        timeZone: zone,
      },
      zone,
    );
  } catch (error) {
    // No zone is ready yet (a new workspace): the definition cannot be tried; the checks above hold.
    if (error instanceof AppError && error.code === 'REPORT_NOT_READY') return;
    if (!(error instanceof AppError) || error.code !== 'VALIDATION_FAILED') throw error;
    throw problemOf(
      (error.errors ?? [{ field: 'metric', message: error.message }]).map((e) => ({
        field: QUERY_FIELDS[e.field] ?? 'metric',
        message: e.message,
      })),
    );
  }
}

/** The whole check of a definition, outside a transaction (the metric query reads through its own connection). */
async function validate(deps: Deps, input: Definition): Promise<void> {
  await assertEvaluable(deps, input, await assertValid(deps.database.db, input));
}

async function scopeProblemOf(db: Executor, scope: string): Promise<string | null> {
  const colon = scope.indexOf(':');
  const dim = scope.slice(0, colon);
  const value = scope.slice(colon + 1);
  if (dim === 'channel') {
    return (CHANNELS as readonly string[]).includes(value)
      ? null
      : `unknown channel; known: ${CHANNELS.join(', ')}`;
  }
  if (!UUID.test(value)) return `no ${dim} ${value}`;
  const table = dim === 'team' ? teams : users;
  const [row] = await db.select({ id: table.id }).from(table).where(eq(table.id, value));
  return row ? null : `no ${dim} ${value}`;
}

async function loadTargets(db: Executor, where?: SQL): Promise<Loaded[]> {
  const rows = await db
    .select({ target: reportTargets, ownerName: users.name, timeZone: users.timeZone })
    .from(reportTargets)
    .innerJoin(users, eq(users.id, reportTargets.ownerId))
    .where(where)
    .orderBy(asc(reportTargets.name), asc(reportTargets.id));
  return rows;
}

async function scopeLabels(deps: Deps, loaded: readonly Loaded[]): Promise<Map<string, string>> {
  const labels = new Map<string, string>();
  const ids = (dim: string) =>
    loaded
      .map((l) => l.target.scope)
      .filter((s): s is string => s?.startsWith(`${dim}:`) === true)
      .map((s) => s.slice(dim.length + 1));
  for (const [dim, table] of [
    ['team', teams],
    ['agent', users],
  ] as const) {
    const wanted = [...new Set(ids(dim))];
    if (wanted.length === 0) continue;
    const rows = await deps.database.db
      .select({ id: table.id, name: table.name })
      .from(table)
      .where(
        sql`${table.id} in (${sql.join(
          wanted.map((id) => sql`${id}::uuid`),
          sql`, `,
        )})`,
      );
    for (const row of rows) labels.set(`${dim}:${row.id}`, row.name);
  }
  for (const l of loaded) {
    const scope = l.target.scope;
    if (scope?.startsWith('channel:')) labels.set(scope, scope.slice('channel:'.length));
  }
  return labels;
}

function periodLabel(period: TargetRow['period'], zone: string, start: number): string {
  const local = DateTime.fromMillis(start, { zone });
  if (period === 'week') return local.toFormat("kkkk-'W'WW");
  if (period === 'month') return local.toFormat('yyyy-MM');
  return `${local.year}-Q${local.quarter}`;
}

/** How the targets shown or checked together read: their rollup rows in one statement, lookups once. */
interface Reading {
  read?: RowReader;
  shared?: Map<string, Promise<unknown>>;
}

/** The metric over `from`…`to` (days in `zone`) by the target's period; null when it cannot be read now. */
async function readMetric(
  deps: Deps,
  target: TargetRow,
  zone: string,
  from: number,
  to: number,
  reading: Reading = {},
) {
  const day = (t: number) => DateTime.fromMillis(t, { zone }).toISODate()!;
  try {
    return await metricReport(
      deps,
      {
        metric: target.metric as MetricKey,
        stat: target.stat,
        from: day(from),
        to: day(to),
        grain: target.period,
        filter: target.scope ?? undefined,
        timeZone: zone,
      },
      zone,
      reading.shared,
      reading.read,
    );
  } catch (error) {
    // A zone still being built has no numbers yet, and the zone of an owner who left is no longer kept: the
    // target shows no data. Definitions the query refuses are refused when the target is saved
    // (assertEvaluable), so any other error is a real one.
    const zoneGone =
      error instanceof AppError &&
      error.code === 'VALIDATION_FAILED' &&
      error.errors?.every((e) => e.field === 'timeZone') === true;
    if ((error instanceof AppError && error.code === 'REPORT_NOT_READY') || zoneGone) {
      deps.log.debug({ err: error, targetId: target.id }, 'target: no metric');
      return null;
    }
    throw error;
  }
}

/** Where a target stands in the period holding `now`, and where it is forecast to end. */
async function progressOf(
  deps: Deps,
  loaded: Loaded,
  now: number,
  reading: Reading = {},
): Promise<ReportTargetProgress> {
  const { target, timeZone } = loaded;
  const { start, end } = periodBounds(target.period, timeZone, now);
  const report = await readMetric(deps, target, timeZone, start, Math.min(now, end - 1), reading);
  const value = report?.total.value ?? null;
  const samples = report?.total.n ?? 0;
  const evaluation = evaluateTarget({
    comparison: target.comparison,
    threshold: target.threshold,
    method: forecastMethodOf(target.metric as MetricKey, target.stat),
    unit: targetUnitOf(target.metric as MetricKey, target.stat),
    start,
    end,
    now,
    value,
    samples,
  });
  return {
    period: periodLabel(target.period, timeZone, start),
    start: new Date(start).toISOString(),
    end: new Date(end).toISOString(),
    value,
    samples,
    ...evaluation,
  };
}

function present(loaded: Loaded, labels: Map<string, string>, progress: ReportTargetProgress): ReportTarget {
  const t = loaded.target;
  return {
    id: t.id,
    name: t.name,
    metric: t.metric as ReportTarget['metric'],
    stat: t.stat,
    comparison: t.comparison,
    threshold: t.threshold,
    unit: targetUnitOf(t.metric as MetricKey, t.stat),
    scope: t.scope,
    scopeLabel: t.scope ? (labels.get(t.scope) ?? '—') : null,
    period: t.period,
    timeZone: loaded.timeZone,
    owner: { id: t.ownerId, name: loaded.ownerName },
    active: t.active,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
    progress,
  };
}

/**
 * The progress of targets side by side, in their order: their rollup rows are read in one statement and the
 * lookups they share (a zone's readiness) once, so a list of targets costs a fixed number of queries.
 */
function progressOfAll(
  deps: Deps,
  loaded: readonly Loaded[],
  now: number,
): Promise<PromiseSettledResult<ReportTargetProgress>[]> {
  const batch = batchRowReads(deps, loaded.length);
  const shared = new Map<string, Promise<unknown>>();
  return Promise.allSettled(
    loaded.map(async (l) => {
      const { read, finish } = batch.caller();
      try {
        return await progressOf(deps, l, now, { read, shared });
      } finally {
        finish();
      }
    }),
  );
}

async function presentAll(deps: Deps, loaded: readonly Loaded[]): Promise<ReportTarget[]> {
  const labels = await scopeLabels(deps, loaded);
  const progress = await progressOfAll(deps, loaded, deps.now().getTime());
  return loaded.map((l, i) => {
    const result = progress[i]!;
    if (result.status === 'rejected') throw result.reason;
    return present(l, labels, result.value);
  });
}

/** Targets with their progress in the current period; `scope` keeps those of one scope (`none`: workspace). */
export async function listTargets(deps: Deps, scope?: string): Promise<ReportTargetList> {
  const where =
    scope === undefined
      ? undefined
      : scope === 'none'
        ? isNull(reportTargets.scope)
        : eq(reportTargets.scope, scope);
  return { items: await presentAll(deps, await loadTargets(deps.database.db, where)) };
}

async function loadOne(db: Executor, id: string): Promise<Loaded> {
  const [loaded] = UUID.test(id) ? await loadTargets(db, eq(reportTargets.id, id)) : [];
  if (!loaded) throw notFound('target', id);
  return loaded;
}

/** A target with its current progress and the outcome of its last `periods` periods, oldest first. */
export async function targetDetail(deps: Deps, id: string, periods: number): Promise<ReportTargetDetail> {
  const loaded = await loadOne(deps.database.db, id);
  const [target] = await presentAll(deps, [loaded]);
  const { period, metric, stat } = loaded.target;
  const zone = loaded.timeZone;
  const current = periodBounds(period, zone, deps.now().getTime()).start;
  const unit = { week: 'weeks', month: 'months', quarter: 'quarters' } as const;
  const first = DateTime.fromMillis(current, { zone })
    .minus({ [unit[period]]: periods })
    .toMillis();
  const report = await readMetric(deps, loaded.target, zone, first, current - 1);
  const method = forecastMethodOf(metric as MetricKey, stat);
  const history = (report?.series[0]?.points ?? []).map((point) => {
    const start = Date.parse(point.start);
    const { status } = evaluateTarget({
      comparison: loaded.target.comparison,
      threshold: loaded.target.threshold,
      method,
      unit: targetUnitOf(metric as MetricKey, stat),
      start,
      end: current,
      now: current,
      value: point.value,
      samples: point.n,
    });
    return {
      period: point.period,
      start: point.start,
      value: point.value,
      samples: point.n,
      status: status as 'met' | 'missed' | 'no_data',
    };
  });
  return { ...target!, history };
}

export async function createTarget(
  deps: Deps,
  actor: Actor & { userId: string },
  input: CreateReportTargetBody,
): Promise<ReportTarget> {
  const stat = input.stat ?? metricOf(input.metric).defaultStat;
  const ownerId = input.ownerId ?? actor.userId;
  await validate(deps, { ...input, stat, ownerId });
  const id = await withTransaction(deps.database, async (tx) => {
    const [row] = await tx
      .insert(reportTargets)
      .values({ ...input, stat, ownerId })
      .returning({ id: reportTargets.id });
    await recordChange(tx, actor, {
      action: 'report_target.created',
      entityType: 'report_target',
      entityId: row!.id,
      data: { name: input.name, metric: input.metric, threshold: input.threshold },
    });
    return row!.id;
  });
  const [target] = await presentAll(deps, [await loadOne(deps.database.db, id)]);
  return target!;
}

export async function updateTarget(
  deps: Deps,
  actor: Actor,
  id: string,
  input: UpdateReportTargetBody,
): Promise<ReportTarget> {
  // A new metric without a statistic takes that metric's own.
  const merged = (before: TargetRow) => {
    const metricChanged = input.metric !== undefined && input.metric !== before.metric;
    const stat = input.stat ?? (metricChanged ? metricOf(input.metric!).defaultStat : before.stat);
    return { ...before, ...input, stat };
  };
  await validate(deps, merged((await loadOne(deps.database.db, id)).target));
  await withTransaction(deps.database, async (tx) => {
    // Checked again on the row as it is now (a concurrent change); the metric query was tried above.
    const next = merged((await loadOne(tx, id)).target);
    await assertValid(tx, next);
    await tx
      .update(reportTargets)
      .set({ ...input, stat: next.stat, updatedAt: deps.now() })
      .where(eq(reportTargets.id, id));
    await recordChange(tx, actor, {
      action: 'report_target.updated',
      entityType: 'report_target',
      entityId: id,
      data: input,
    });
  });
  const [target] = await presentAll(deps, [await loadOne(deps.database.db, id)]);
  return target!;
}

export async function deleteTarget(deps: Deps, actor: Actor, id: string): Promise<void> {
  await withTransaction(deps.database, async (tx) => {
    const { target } = await loadOne(tx, id);
    await tx.delete(reportTargets).where(eq(reportTargets.id, id));
    await recordChange(tx, actor, {
      action: 'report_target.deleted',
      entityType: 'report_target',
      entityId: id,
      data: { name: target.name },
    });
  });
}

/**
 * Evaluates every active target and alerts the owner of each that is off track — once per period, and again
 * only after it recovered by the at-risk margin (on track or met; `alertStep`) and fell back. One process checks
 * at a time, in one transaction under an advisory lock, reading the rollups and the alerts as they stand then;
 * another process finding the lock taken skips the cycle. Returns the number of alerts sent, or null when
 * another process is checking.
 */
export async function checkTargets(deps: Deps): Promise<number | null> {
  const now = deps.now();
  return withTransaction(deps.database, async (tx) => {
    const [lock] = rowsOf(await tx.execute(sql`select pg_try_advisory_xact_lock(${TARGETS_LOCK}) as locked`));
    if (lock?.locked !== true) return null;
    const loaded = await loadTargets(
      tx,
      and(eq(reportTargets.active, true), eq(users.isActive, true), ownerMayRead),
    );
    // All targets' numbers first, in one read (in a savepoint: a failed statement must not end the check); a
    // target whose read failed reads again on its own below, so one bad target fails alone.
    const progress = await tx
      .transaction(async (sp) => {
        const read = await progressOfAll(inTransaction(deps, sp), loaded, now.getTime());
        // A statement that failed spoils the savepoint: roll it back (throw) and read each target on its own.
        const failed = read.find((r) => r.status === 'rejected' && !(r.reason instanceof AppError));
        if (failed?.status === 'rejected') throw failed.reason;
        return read;
      })
      .catch((error: unknown) => {
        deps.log.warn({ err: error }, 'target: batched read failed; reading each target on its own');
        return [];
      });
    let sent = 0;
    for (const [i, l] of loaded.entries()) {
      const read = progress[i];
      try {
        // A savepoint each: a target that fails is logged and the others are still checked.
        const alerted = await tx.transaction(async (sp) =>
          checkTarget(
            deps,
            sp,
            l,
            now,
            read?.status === 'fulfilled'
              ? read.value
              : await progressOf(inTransaction(deps, sp), l, now.getTime()),
          ),
        );
        if (alerted) sent++;
      } catch (error) {
        deps.log.error({ err: error, targetId: l.target.id }, 'target: check failed');
      }
    }
    return sent;
  });
}

/** Reads through the transaction: PGlite has a single connection, and the check sees one state. */
const inTransaction = (deps: Deps, tx: Tx): Deps => ({
  ...deps,
  database: { ...deps.database, db: tx as Database },
});

/** One target's step of the check, given its progress; true when it alerted. */
async function checkTarget(
  deps: Deps,
  tx: Tx,
  l: Loaded,
  now: Date,
  progress: ReportTargetProgress,
): Promise<boolean> {
  const periodStart = new Date(progress.start);
  const [open] = await tx
    .select({ id: reportTargetAlerts.id })
    .from(reportTargetAlerts)
    .where(
      and(
        eq(reportTargetAlerts.targetId, l.target.id),
        eq(reportTargetAlerts.periodStart, periodStart),
        isNull(reportTargetAlerts.recoveredAt),
      ),
    );
  const step = alertStep(progress.status, open !== undefined);
  if (step === 'recover') {
    await tx.update(reportTargetAlerts).set({ recoveredAt: now }).where(eq(reportTargetAlerts.id, open!.id));
  }
  if (step !== 'alert') return false;
  // The partial unique index keeps one open alert per target and period, whatever happens.
  const inserted = await tx
    .insert(reportTargetAlerts)
    .values({ targetId: l.target.id, periodStart, alertedAt: now })
    .onConflictDoNothing({
      target: [reportTargetAlerts.targetId, reportTargetAlerts.periodStart],
      where: sql`recovered_at is null`,
    })
    .returning({ id: reportTargetAlerts.id });
  if (inserted.length === 0) return false;
  const sign = l.target.comparison === 'at_least' ? '≥' : '≤';
  await notify(tx, deps, [
    {
      userId: l.target.ownerId,
      kind: 'target_off_track',
      target: { id: l.target.id, name: l.target.name },
      actorUserId: null,
      excerpt: `${progress.period}: ${progress.value ?? '—'} → ${progress.forecast ?? '—'} (${sign} ${l.target.threshold})`,
    },
  ]);
  return true;
}
