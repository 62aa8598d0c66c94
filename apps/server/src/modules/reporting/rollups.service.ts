/**
 * Keeps the rollups current (ADR 0028): takes the subjects that triggers marked dirty, recomputes their reports,
 * and adds the difference to the rollup rows — all in one transaction per batch, one batch at a time in the
 * cluster (an advisory lock), so that the rollups always equal the sum of the stored reports.
 */
import { sql } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import { rowsOf, type Tx, uuidArray, withTransaction } from '../../platform/db';
import { type RollupDelta, rollupDelta, type SubjectReport } from './metrics.domain';
import type { ReportSubject } from './reporting.tables';
import { invitationReports, ticketReports } from './sources.service';

/** The advisory lock that lets one process at a time change the rollups. */
const ROLLUP_LOCK = 7_243_101;
const ZONE_BATCH = 2_000;

const subjectKey = (subject: ReportSubject, id: string) => `${subject}:${id}`;

/** The time zones that get day rows: UTC and every active user's zone. */
async function wantedZones(tx: Tx): Promise<string[]> {
  const rows = rowsOf(await tx.execute(sql`select distinct time_zone from users where is_active`));
  return [...new Set(['UTC', ...rows.map((r) => String(r.time_zone))])].sort();
}

interface ZoneState {
  zone: string;
  builtUntil: string | null;
  ready: boolean;
}

async function zoneStates(tx: Tx): Promise<ZoneState[]> {
  const rows = rowsOf(
    await tx.execute(sql`select zone, built_until, ready_at from report_zones order by zone`),
  );
  return rows.map((r) => ({
    zone: String(r.zone),
    builtUntil: (r.built_until as string | null) ?? null,
    ready: r.ready_at !== null,
  }));
}

/** The day zones a subject counts in: ready ones, and those being built that have already reached it. */
function zonesOf(states: readonly ZoneState[], key: string): string[] {
  return states.filter((s) => s.ready || (s.builtUntil !== null && key <= s.builtUntil)).map((s) => s.zone);
}

/** Adds a delta to the rollup rows in one statement and removes the rows it emptied. */
export async function applyDelta(tx: Tx, delta: RollupDelta): Promise<void> {
  if (delta.size === 0) return;
  const rows = [...delta.values()]
    .map(({ key, cell }) => ({
      zone: key.zone,
      metric: key.metric,
      dim: key.dim,
      bucket: new Date(key.bucket).toISOString(),
      value: key.value,
      n: cell.n,
      total: cell.total,
      hist: cell.hist,
    }))
    .sort((a, b) =>
      `${a.zone}|${a.metric}|${a.dim}|${a.bucket}|${a.value}` <
      `${b.zone}|${b.metric}|${b.dim}|${b.bucket}|${b.value}`
        ? -1
        : 1,
    );
  const result = await tx.execute(sql`
    insert into report_rollups (zone, metric, dim, bucket, value, n, total, hist)
    select zone, metric, dim, bucket, value, n, total, hist
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        as x(zone text, metric text, dim text, bucket timestamptz, value text, n bigint, total bigint, hist int[])
    on conflict (zone, metric, dim, bucket, value) do update
      set n = report_rollups.n + excluded.n,
          total = report_rollups.total + excluded.total,
          hist = keepdesk_hist_add(report_rollups.hist, excluded.hist)
    returning zone, metric, dim, bucket, value, n`);
  const emptied = rowsOf(result).filter((r) => Number(r.n) === 0);
  if (emptied.length > 0) {
    await tx.execute(sql`
      delete from report_rollups r
       using jsonb_to_recordset(${JSON.stringify(emptied)}::jsonb)
             as x(zone text, metric text, dim text, bucket timestamptz, value text)
       where r.zone = x.zone and r.metric = x.metric and r.dim = x.dim and r.bucket = x.bucket
         and r.value = x.value and r.n = 0`);
  }
}

async function currentReports(
  deps: Deps,
  tx: Tx,
  subject: ReportSubject,
  ids: string[],
): Promise<Map<string, SubjectReport>> {
  return subject === 'ticket' ? ticketReports(deps, tx, ids) : invitationReports(tx, ids);
}

/**
 * Recomputes up to `limit` dirty subjects and applies the change to the rollups. Returns how many it took, or
 * null when another process holds the rollups right now.
 */
export async function processDirty(deps: Deps, limit = 1_000): Promise<number | null> {
  return withTransaction(deps.database, async (tx) => {
    const [lock] = rowsOf(await tx.execute(sql`select pg_try_advisory_xact_lock(${ROLLUP_LOCK}) as locked`));
    if (!lock?.locked) return null;
    const claimed = rowsOf(
      await tx.execute(sql`
        delete from report_dirty where (subject, id) in (
          select subject, id from report_dirty order by marked_at limit ${limit} for update skip locked)
        returning subject, id`),
    );
    if (claimed.length === 0) return 0;
    const states = await zoneStates(tx);
    const changes: { before: SubjectReport | null; after: SubjectReport | null; zones: string[] }[] = [];
    for (const subject of ['ticket', 'invitation'] as const) {
      const ids = claimed.filter((r) => r.subject === subject).map((r) => String(r.id));
      if (ids.length === 0) continue;
      const stored = rowsOf(
        await tx.execute(sql`
          select id, report from report_facts where subject = ${subject} and id = any(${uuidArray(ids)})
          for update`),
      );
      const before = new Map(stored.map((r) => [String(r.id), r.report as SubjectReport]));
      const after = await currentReports(deps, tx, subject, ids);
      const gone = ids.filter((id) => !after.has(id) && before.has(id));
      for (const id of ids) {
        const old = before.get(id) ?? null;
        const now = after.get(id) ?? null;
        if (old || now)
          changes.push({ before: old, after: now, zones: zonesOf(states, subjectKey(subject, id)) });
      }
      if (after.size > 0) {
        const rows = [...after].map(([id, report]) => ({ id, report }));
        await tx.execute(sql`
          insert into report_facts (subject, id, report, computed_at)
          select ${subject}, x.id, x.report, now()
            from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(id uuid, report jsonb)
          on conflict (subject, id) do update set report = excluded.report, computed_at = excluded.computed_at`);
      }
      if (gone.length > 0) {
        await tx.execute(
          sql`delete from report_facts where subject = ${subject} and id = any(${uuidArray(gone)})`,
        );
      }
    }
    await applyDelta(tx, rollupDelta(changes));
    return claimed.length;
  });
}

/**
 * Starts day rows for zones that users now work in and builds one batch of a zone being built; drops zones
 * nobody uses any more. Returns whether there is more to build, or null when another process holds the rollups.
 */
export async function maintainZones(deps: Deps): Promise<boolean | null> {
  return withTransaction(deps.database, async (tx) => {
    const [lock] = rowsOf(await tx.execute(sql`select pg_try_advisory_xact_lock(${ROLLUP_LOCK}) as locked`));
    if (!lock?.locked) return null;
    const wanted = await wantedZones(tx);
    const states = await zoneStates(tx);
    for (const zone of wanted) {
      if (!states.some((s) => s.zone === zone)) {
        await tx.execute(sql`insert into report_zones (zone, built_until) values (${zone}, '')`);
      }
    }
    for (const state of states.filter((s) => !wanted.includes(s.zone))) {
      await tx.execute(sql`delete from report_rollups where zone = ${state.zone}`);
      await tx.execute(sql`delete from report_zones where zone = ${state.zone}`);
    }
    const building = (await zoneStates(tx)).find((s) => !s.ready);
    if (!building) return false;
    const [subject, id] = (building.builtUntil ?? '').split(':');
    const after = subject && id ? sql`where (subject, id) > (${subject}, ${id}::uuid)` : sql``;
    const rows = rowsOf(
      await tx.execute(sql`
        select subject, id, report from report_facts ${after} order by subject, id limit ${ZONE_BATCH}`),
    );
    const changes = rows.map((r) => ({ before: null, after: r.report as SubjectReport }));
    await applyDelta(tx, rollupDelta(changes, [building.zone], false));
    const last = rows.at(-1);
    if (last && rows.length === ZONE_BATCH) {
      await tx.execute(sql`
        update report_zones set built_until = ${subjectKey(last.subject as ReportSubject, String(last.id))}
         where zone = ${building.zone}`);
      return true;
    }
    await tx.execute(
      sql`update report_zones set built_until = null, ready_at = now() where zone = ${building.zone}`,
    );
    return false;
  });
}

/**
 * Recomputes every report and every rollup row from scratch, through the same path as the incremental updates:
 * empties the reports and rollups, marks every ticket and invitation dirty, and works the marks off.
 */
export async function rebuildReports(
  deps: Deps,
  onProgress?: (done: number, total: number) => void,
): Promise<{ subjects: number }> {
  const total = await withTransaction(deps.database, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${ROLLUP_LOCK})`);
    await tx.execute(sql`truncate report_facts, report_rollups`);
    await tx.execute(sql`update report_zones set built_until = null, ready_at = coalesce(ready_at, now())`);
    const [marked] = rowsOf(
      await tx.execute(sql`
        with marked as (
          insert into report_dirty (subject, id)
          select 'ticket', id from tickets
          union all select 'invitation', id from survey_invitations
          on conflict do nothing returning 1)
        select count(*)::int as n from marked`),
    );
    return Number(marked?.n ?? 0);
  });
  let done = 0;
  onProgress?.(0, total);
  for (;;) {
    const taken = await processDirty(deps, 2_000);
    if (taken === null) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      continue;
    }
    if (taken === 0) break;
    done = Math.min(total, done + taken);
    onProgress?.(done, total);
  }
  return { subjects: total };
}

/** Brings the rollups up to date now: builds new zones and works off every dirty subject (CLI, tests). */
export async function settleReports(deps: Deps, batch = 1_000): Promise<void> {
  const pause = () => new Promise((resolve) => setTimeout(resolve, 20));
  for (let more = await maintainZones(deps); more !== false; more = await maintainZones(deps)) {
    if (more === null) await pause();
  }
  for (let taken = await processDirty(deps, batch); taken !== 0; taken = await processDirty(deps, batch)) {
    if (taken === null) await pause();
  }
}
