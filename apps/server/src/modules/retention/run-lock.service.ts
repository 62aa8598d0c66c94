import { sql } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import { type DatabaseHandle, dateOf, rowsOf, type Tx, withTransaction } from '../../platform/db';
import { AppError } from '../../platform/errors';

/** The advisory lock key of a retention run (training and scoring): one run at a time per database. */
const RETENTION_RUN_LOCK = 7_243_201;

/** Runs of this process, by database: PGlite has one connection, on which an advisory lock cannot exclude. */
const runningHere = new WeakMap<DatabaseHandle, Date>();

function runInProgress(since: Date | null): AppError {
  return new AppError('RETENTION_RUN_IN_PROGRESS', {
    message: since
      ? `a retention run is already in progress since ${since.toISOString()}`
      : 'a retention run is already in progress',
  });
}

/** When the run holding the lock began: the start of its transaction, from the server's activity view. */
async function holderSince(tx: Tx): Promise<Date | null> {
  const [row] = rowsOf(
    await tx.execute(sql`select a.xact_start from pg_locks l join pg_stat_activity a on a.pid = l.pid
      where l.locktype = 'advisory' and l.granted and l.classid = 0 and l.objid = ${RETENTION_RUN_LOCK}
        and l.objsubid = 1 and l.database = (select oid from pg_database where datname = current_database())`),
  );
  return row?.xact_start ? dateOf(row.xact_start) : null;
}

/**
 * Runs `work` as the only retention run of the database, or throws RETENTION_RUN_IN_PROGRESS (409) at once when
 * another is going. On PostgreSQL a transaction-level advisory lock is held by a transaction of its own that does
 * nothing else, so it is released when the run ends or its process dies (ADR 0050); `work` writes through other
 * connections. PGlite is one process with one connection: the guard in this process is enough there.
 */
export async function withRetentionRunLock<T>(deps: Deps, work: () => Promise<T>): Promise<T> {
  const database = deps.database;
  const runningSince = runningHere.get(database);
  if (runningSince) throw runInProgress(runningSince);
  runningHere.set(database, deps.now());
  try {
    if (database.kind === 'pglite') return await work();
    return await withTransaction(database, async (tx) => {
      const [lock] = rowsOf(
        await tx.execute(sql`select pg_try_advisory_xact_lock(${RETENTION_RUN_LOCK}) as locked`),
      );
      if (lock?.locked !== true) throw runInProgress(await holderSince(tx));
      return work();
    });
  } finally {
    runningHere.delete(database);
  }
}
