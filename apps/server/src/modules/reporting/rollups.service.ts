/**
 * Keeps the rollups current (ADR 0028): takes the subjects that triggers marked dirty, recomputes their reports,
 * and adds the difference to the rollup rows — all in one transaction per batch, one batch at a time in the
 * cluster (an advisory lock), so that the rollups always equal the sum of the stored reports.
 */
import { sql } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import { rowsOf, type Tx, uuidArray, withTransaction } from '../../platform/db';
import {
  addContribution,
  histogramLiteral,
  type RollupDelta,
  rollupDelta,
  type SubjectReport,
} from './metrics.domain';
import type { ReportSubject } from './reporting.tables';
import { invitationReports, presenceReports, ticketReports, workReports } from './sources.service';

/** The advisory lock that lets one process at a time change the rollups. */
const ROLLUP_LOCK = 7_243_101;
const ZONE_BATCH = 2_000;
const REBUILD_BATCH = 5_000;
/** Rollup rows the rebuild sums in memory before it writes them. */
const REBUILD_FLUSH = 200_000;
/** Rows per upsert statement. */
const UPSERT_ROWS = 20_000;

const subjectKey = (subject: ReportSubject, id: string) => `${subject}:${id}`;
const SUBJECTS = ['ticket', 'invitation', 'work', 'presence'] as const satisfies readonly ReportSubject[];
/** Each subject's table, read in order of creation by the rebuild. */
const SUBJECT_TABLES = {
  ticket: sql`tickets`,
  invitation: sql`survey_invitations`,
  work: sql`ticket_work_sessions`,
  presence: sql`agent_presence_intervals`,
} as const;
const SUBJECT_ORDER = {
  ticket: sql`created_at`,
  invitation: sql`created_at`,
  work: sql`started_at`,
  presence: sql`started_at`,
} as const;

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

/** Takes the rollups for this transaction if no other process holds them. */
async function holdRollups(tx: Tx): Promise<boolean> {
  const [lock] = rowsOf(await tx.execute(sql`select pg_try_advisory_xact_lock(${ROLLUP_LOCK}) as locked`));
  return lock?.locked === true;
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
      hist: histogramLiteral(cell.hist),
    }))
    .sort((a, b) =>
      `${a.zone}|${a.metric}|${a.dim}|${a.bucket}|${a.value}` <
      `${b.zone}|${b.metric}|${b.dim}|${b.bucket}|${b.value}`
        ? -1
        : 1,
    );
  for (let start = 0; start < rows.length; start += UPSERT_ROWS) {
    const chunk = rows.slice(start, start + UPSERT_ROWS);
    const emptied = rowsOf(
      await tx.execute(sql`
        with upserted as (
          insert into report_rollups (zone, metric, dim, bucket, value, n, total, hist)
          select zone, metric, dim, bucket, value, n, total, hist::int[]
            from jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb)
              as x(zone text, metric text, dim text, bucket timestamptz, value text, n bigint, total bigint, hist text)
          on conflict (zone, metric, dim, bucket, value) do update
            set n = report_rollups.n + excluded.n,
                total = report_rollups.total + excluded.total,
                hist = keepdesk_hist_add(report_rollups.hist, excluded.hist)
          returning zone, metric, dim, bucket, value, n)
        select zone, metric, dim, bucket, value from upserted where n = 0`),
    );
    if (emptied.length > 0) {
      await tx.execute(sql`
        delete from report_rollups r
         using jsonb_to_recordset(${JSON.stringify(emptied)}::jsonb)
               as x(zone text, metric text, dim text, bucket timestamptz, value text)
         where r.zone = x.zone and r.metric = x.metric and r.dim = x.dim and r.bucket = x.bucket
           and r.value = x.value and r.n = 0`);
    }
  }
}

async function storeReports(
  tx: Tx,
  subject: ReportSubject,
  reports: Map<string, SubjectReport>,
): Promise<void> {
  if (reports.size === 0) return;
  const rows = [...reports].map(([id, report]) => ({ id, report }));
  await tx.execute(sql`
    insert into report_facts (subject, id, report, first_at, last_at, computed_at)
    select ${subject}, x.id, x.report,
           (select min((s->>'t')::bigint) from jsonb_array_elements(x.report->'samples') s),
           (select max((s->>'t')::bigint) from jsonb_array_elements(x.report->'samples') s), now()
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(id uuid, report jsonb)
    on conflict (subject, id) do update
      set report = excluded.report, first_at = excluded.first_at, last_at = excluded.last_at,
          computed_at = excluded.computed_at`);
}

async function currentReports(
  deps: Deps,
  tx: Tx,
  subject: ReportSubject,
  ids: string[],
): Promise<Map<string, SubjectReport>> {
  switch (subject) {
    case 'ticket':
      return ticketReports(deps, tx, ids);
    case 'invitation':
      return invitationReports(tx, ids);
    case 'work':
      return workReports(tx, ids);
    case 'presence':
      return presenceReports(tx, ids, deps.now());
  }
}

/**
 * Work counts in the busy time of the agent's presence stretches it overlaps (ADR 0052): the stretches of changed
 * sessions are marked for a later batch; for a session gone (its ticket deleted) those of the day from its start.
 */
async function markStretchesOfWork(tx: Tx, ids: string[], gone: SubjectReport[]): Promise<void> {
  await tx.execute(sql`
    insert into report_dirty (subject, id)
    select 'presence', p.id
      from ticket_work_sessions w
      join agent_presence_intervals p on p.user_id = w.agent_id and p.started_at < w.ended_at
       and (p.ended_at is null or p.ended_at > w.started_at)
     where w.id = any(${uuidArray(ids)})
    on conflict do nothing`);
  for (const report of gone) {
    const start = report.samples[0]?.t;
    if (!report.dims.agent || start === undefined) continue;
    await tx.execute(sql`
      insert into report_dirty (subject, id)
      select 'presence', id from agent_presence_intervals
       where user_id = ${report.dims.agent}::uuid
         and started_at < ${new Date(start + 86_400_000).toISOString()}::timestamptz
         and (ended_at is null or ended_at > ${new Date(start).toISOString()}::timestamptz)
      on conflict do nothing`);
  }
}

/**
 * Recomputes up to `limit` dirty subjects and applies the change to the rollups. Returns how many it took, or
 * null when another process holds the rollups right now.
 */
export async function processDirty(deps: Deps, limit = 1_000): Promise<number | null> {
  return withTransaction(deps.database, async (tx) => {
    if (!(await holdRollups(tx))) return null;
    const claimed = rowsOf(
      await tx.execute(sql`
        delete from report_dirty where (subject, id) in (
          select subject, id from report_dirty order by marked_at limit ${limit} for update skip locked)
        returning subject, id`),
    );
    if (claimed.length === 0) return 0;
    const states = await zoneStates(tx);
    const changes: { before: SubjectReport | null; after: SubjectReport | null; zones: string[] }[] = [];
    for (const subject of SUBJECTS) {
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
      await storeReports(tx, subject, after);
      if (subject === 'work') {
        await markStretchesOfWork(
          tx,
          ids,
          gone.map((id) => before.get(id)!),
        );
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
    if (!(await holdRollups(tx))) return null;
    // Open stretches of presence grow: they are counted again up to now (the routing module cuts them at UTC
    // midnight, so one is at most a day of samples).
    await tx.execute(sql`
      insert into report_dirty (subject, id)
      select 'presence', id from agent_presence_intervals where ended_at is null
      on conflict do nothing`);
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
    const unready = (await zoneStates(tx)).filter((s) => !s.ready);
    const building = unready[0];
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
    return unready.length > 1;
  });
}

/**
 * Recomputes every report and every rollup row from scratch with the code of the incremental path, in one
 * transaction that holds the rollups: tickets in order of creation (so that a batch's samples fall on few days),
 * their contributions summed in memory and written in large upserts. Marks left by changes during the rebuild
 * are worked off after it, against the new reports.
 */
export async function rebuildReports(
  deps: Deps,
  onProgress?: (done: number, total: number) => void,
  batch = REBUILD_BATCH,
): Promise<{ subjects: number }> {
  const result = await withTransaction(deps.database, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${ROLLUP_LOCK})`);
    // Deletes rather than truncates: dashboards go on reading the old rows until the rebuild commits.
    await tx.execute(sql`delete from report_facts`);
    await tx.execute(sql`delete from report_rollups`);
    await tx.execute(sql`delete from report_dirty`);
    await tx.execute(sql`update report_zones set built_until = null, ready_at = coalesce(ready_at, now())`);
    const zones = (await zoneStates(tx)).map((s) => s.zone);
    let total = 0;
    for (const subject of SUBJECTS) {
      const [count] = rowsOf(
        await tx.execute(sql`select count(*)::int as n from ${SUBJECT_TABLES[subject]}`),
      );
      total += Number(count?.n ?? 0);
    }
    let done = 0;
    onProgress?.(0, total);
    const delta: RollupDelta = new Map();
    for (const subject of SUBJECTS) {
      let after = sql``;
      const order = SUBJECT_ORDER[subject];
      for (;;) {
        const page = rowsOf(
          await tx.execute(sql`
            select id, ${order}::text as cursor from ${SUBJECT_TABLES[subject]} ${after}
             order by ${order}, id limit ${batch}`),
        );
        if (page.length === 0) break;
        const ids = page.map((r) => String(r.id));
        const reports = await currentReports(deps, tx, subject, ids);
        await storeReports(tx, subject, reports);
        for (const report of reports.values()) addContribution(delta, report, zones, 1);
        if (delta.size > REBUILD_FLUSH) {
          await applyDelta(tx, delta);
          delta.clear();
        }
        done += page.length;
        onProgress?.(done, total);
        const last = page.at(-1)!;
        // The cursor as PostgreSQL prints it: microseconds, which a JavaScript date would cut to milliseconds.
        after = sql`where (${order}, id) > (${String(last.cursor)}::timestamptz, ${String(last.id)}::uuid)`;
      }
    }
    await applyDelta(tx, delta);
    return { subjects: total };
  });
  // Every row is new, and the old ones are dead: the space is reclaimed and the planner's statistics brought up
  // to date at once rather than by autovacuum later (at a million tickets a third of the rollup table was dead
  // rows, which tripled the backlog's read; stale statistics planned report queries as if they read a hundred
  // thousand rows).
  await deps.database.db.execute(sql`vacuum (analyze) report_rollups, report_facts`);
  return result;
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
