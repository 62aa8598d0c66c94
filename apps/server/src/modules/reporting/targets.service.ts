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
import { type Executor, withTransaction } from '../../platform/db';
import { AppError, type FieldProblem, notFound } from '../../platform/errors';
import { type Actor, recordChange } from '../../platform/events';
import { users } from '../auth';
import { notify } from '../notifications';
import { teams } from '../teams';
import { type MetricKey, metricOf, type Stat } from './metrics.domain';
import { metricReport } from './query.service';
import {
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

/** Every problem of a target's definition as field errors; the owner and the scope must exist. */
async function assertValid(
  db: Executor,
  input: { metric: string; stat: Stat; threshold: number; scope: string | null; ownerId: string },
): Promise<void> {
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
  const scopeProblem = input.scope ? await scopeProblemOf(db, input.metric, input.scope) : null;
  if (scopeProblem) errors.push({ field: 'scope', message: scopeProblem });
  const [owner] = UUID.test(input.ownerId)
    ? await db
        .select({ id: users.id })
        .from(users)
        .where(and(eq(users.id, input.ownerId), eq(users.isActive, true)))
    : [];
  if (!owner) errors.push({ field: 'ownerId', message: 'not an active user' });
  if (errors.length > 0) {
    throw new AppError('VALIDATION_FAILED', {
      message: `${errors[0]!.field}: ${errors[0]!.message}`,
      errors,
    });
  }
}

async function scopeProblemOf(db: Executor, metric: string, scope: string): Promise<string | null> {
  const colon = scope.indexOf(':');
  const dim = scope.slice(0, colon);
  const value = scope.slice(colon + 1);
  if (dim === 'channel') {
    if (metric === 'tickets_per_agent') return 'tickets per agent counts by team or agent';
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

/** The metric over `from`…`to` (days in `zone`) by the target's period; null when it cannot be read now. */
async function readMetric(deps: Deps, target: TargetRow, zone: string, from: number, to: number) {
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
    );
  } catch (error) {
    // A zone still being built (or no longer kept) has no numbers yet; the target shows no data meanwhile.
    if (
      error instanceof AppError &&
      (error.code === 'REPORT_NOT_READY' || error.code === 'VALIDATION_FAILED')
    ) {
      deps.log.debug({ err: error, targetId: target.id }, 'target: no metric');
      return null;
    }
    throw error;
  }
}

/** Where a target stands in the period holding `now`, and where it is forecast to end. */
async function progressOf(deps: Deps, loaded: Loaded, now: number): Promise<ReportTargetProgress> {
  const { target, timeZone } = loaded;
  const { start, end } = periodBounds(target.period, timeZone, now);
  const report = await readMetric(deps, target, timeZone, start, Math.min(now, end - 1));
  const value = report?.total.value ?? null;
  const samples = report?.total.n ?? 0;
  const evaluation = evaluateTarget({
    comparison: target.comparison,
    threshold: target.threshold,
    method: forecastMethodOf(target.metric as MetricKey, target.stat),
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

async function presentAll(deps: Deps, loaded: readonly Loaded[]): Promise<ReportTarget[]> {
  const labels = await scopeLabels(deps, loaded);
  const now = deps.now().getTime();
  const out: ReportTarget[] = [];
  for (const l of loaded) out.push(present(l, labels, await progressOf(deps, l, now)));
  return out;
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
  const id = await withTransaction(deps.database, async (tx) => {
    await assertValid(tx, { ...input, stat, ownerId });
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
  await withTransaction(deps.database, async (tx) => {
    const before = (await loadOne(tx, id)).target;
    const metricChanged = input.metric !== undefined && input.metric !== before.metric;
    // A new metric without a statistic takes that metric's own.
    const stat = input.stat ?? (metricChanged ? metricOf(input.metric!).defaultStat : before.stat);
    const next = { ...before, ...input, stat };
    await assertValid(tx, next);
    await tx
      .update(reportTargets)
      .set({ ...input, stat, updatedAt: deps.now() })
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
 * only after it recovered (on track, at risk or met) and fell back. Returns the number of alerts sent.
 */
export async function checkTargets(deps: Deps): Promise<number> {
  const loaded = await loadTargets(
    deps.database.db,
    and(eq(reportTargets.active, true), eq(users.isActive, true)),
  );
  const now = deps.now();
  let sent = 0;
  for (const l of loaded) {
    const progress = await progressOf(deps, l, now.getTime());
    const periodStart = new Date(progress.start);
    if (progress.status === 'no_data') continue;
    const isOff = progress.status === 'off_track';
    const alerted = await withTransaction(deps.database, async (tx) => {
      if (!isOff) {
        await tx
          .update(reportTargetAlerts)
          .set({ recoveredAt: now })
          .where(
            and(
              eq(reportTargetAlerts.targetId, l.target.id),
              eq(reportTargetAlerts.periodStart, periodStart),
              isNull(reportTargetAlerts.recoveredAt),
            ),
          );
        return false;
      }
      // The partial unique index lets one open alert per target and period exist: a second check, in this or
      // another process, inserts nothing and sends nothing.
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
    });
    if (alerted) sent++;
  }
  return sent;
}
