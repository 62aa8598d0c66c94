import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { type ExtractTablesWithRelations, type SQL, sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { AppError, isConnectionError } from './errors';

export type Database = PgDatabase<PgQueryResultHKT>;
export type Tx = PgTransaction<
  PgQueryResultHKT,
  Record<string, never>,
  ExtractTablesWithRelations<Record<string, never>>
>;
/** Anything that runs Drizzle queries: the database or an open transaction. */
export type Executor = Database | Tx;

export type RawResult = { rows: Record<string, unknown>[]; rowCount?: number | null };

export type DatabaseTarget = { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string };

/** The database, whichever engine runs it; the rest of the server sees only this. */
export interface DatabaseHandle {
  readonly kind: DatabaseTarget['kind'];
  readonly db: Database;
  /** One parameterised statement. */
  query(text: string, values?: unknown[]): Promise<RawResult>;
  /** Several statements without parameters, separated by `;`. Returns the result of each. */
  exec(text: string): Promise<RawResult[]>;
  /** Calls `onPayload` for each NOTIFY on `channel`, in this process. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  /** Runs `work` while holding a cluster-wide advisory lock (PostgreSQL); PGlite has one process anyway. */
  withLock<T>(key: number, work: () => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Advisory lock keys; each names one start-up step that two processes must not run at once. */
export const LOCK_KEYS = { migrations: 7_243_001, jobSchema: 7_243_002 } as const;

export const MIGRATIONS_FOLDER = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../migrations',
);

/** Opens PGlite in `dataDir` or connects to PostgreSQL; fails with DATABASE_UNAVAILABLE when it cannot. */
export async function openDatabase(target: DatabaseTarget): Promise<DatabaseHandle> {
  return target.kind === 'pglite' ? openPglite(target.dataDir) : openPostgres(target.url);
}

async function openPglite(dataDir: string): Promise<DatabaseHandle> {
  if (dataDir !== 'memory://') await mkdir(dataDir, { recursive: true });
  // pg_trgm serves substring search on names and addresses (ILIKE '%…%'), as it does on PostgreSQL.
  const client = await PGlite.create(dataDir === 'memory://' ? undefined : dataDir, {
    extensions: { pg_trgm },
  });
  const db = drizzlePglite({ client }) as unknown as Database;
  let closed = false;
  return {
    kind: 'pglite',
    db,
    query: async (text, values) => {
      const result = await client.query<Record<string, unknown>>(text, values as unknown[]);
      return { rows: result.rows, rowCount: result.affectedRows ?? null };
    },
    exec: async (text) => {
      const results = await client.exec(text);
      return results.map((r) => ({
        rows: r.rows as Record<string, unknown>[],
        rowCount: r.affectedRows ?? null,
      }));
    },
    listen: async (channel, onPayload) => {
      const unlisten = await client.listen(channel, onPayload);
      return async () => {
        if (!closed) await unlisten();
      };
    },
    withLock: (_key, work) => work(),
    ping: async () => {
      await client.query('select 1');
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await client.close();
    },
  };
}

/**
 * Session settings for each connection, after any the URL gives (`?options=…`). No JIT: Keepdesk's queries are
 * short, and a row estimate off by ten (a table just rebuilt) made PostgreSQL spend 350 ms compiling a report
 * query that runs in 70 ms.
 */
export function sessionOptions(url: string): string {
  let given: string | null = null;
  try {
    given = new URL(url).searchParams.get('options');
  } catch {
    // Not a URL (a keyword string): nothing to keep.
  }
  return [given, '-c jit=off'].filter((o) => o).join(' ');
}

async function openPostgres(url: string): Promise<DatabaseHandle> {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    connectionTimeoutMillis: 5000,
    options: sessionOptions(url),
  });
  // An idle client that loses its server must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  try {
    await pool.query('select 1');
  } catch (err) {
    await pool.end().catch(() => {});
    throw new AppError('DATABASE_UNAVAILABLE', {
      message: `cannot reach PostgreSQL: ${describe(err)}`,
      cause: err,
    });
  }
  const db = drizzlePg({ client: pool }) as unknown as Database;
  const listener = new PgListener(url);
  return {
    kind: 'postgres',
    db,
    query: async (text, values) => {
      const result = await pool.query(text, values as unknown[]);
      return { rows: result.rows, rowCount: result.rowCount };
    },
    exec: async (text) => {
      const result = (await pool.query(text)) as pg.QueryResult | pg.QueryResult[];
      const results = Array.isArray(result) ? result : [result];
      return results.map((r) => ({ rows: r.rows, rowCount: r.rowCount }));
    },
    listen: (channel, onPayload) => listener.listen(channel, onPayload),
    withLock: async (key, work) => {
      // Session-level locks belong to one connection: lock and unlock on the same checked-out client.
      const client = await pool.connect();
      try {
        await client.query('select pg_advisory_lock($1)', [key]);
        try {
          return await work();
        } finally {
          await client.query('select pg_advisory_unlock($1)', [key]);
        }
      } finally {
        client.release();
      }
    },
    ping: async () => {
      await pool.query('select 1');
    },
    close: async () => {
      await listener.close();
      await pool.end();
    },
  };
}

/** One dedicated connection per process for LISTEN; reconnects and re-subscribes after the server comes back. */
class PgListener {
  private client: pg.Client | undefined;
  private connecting: Promise<pg.Client> | undefined;
  private readonly handlers = new Map<string, Set<(payload: string) => void>>();
  private closed = false;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(private readonly url: string) {}

  async listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>> {
    let set = this.handlers.get(channel);
    const isNewChannel = !set;
    if (!set) {
      set = new Set();
      this.handlers.set(channel, set);
    }
    set.add(onPayload);
    const client = await this.connect();
    if (isNewChannel) await client.query(`LISTEN ${quoteIdent(channel)}`);
    return async () => {
      set.delete(onPayload);
      if (set.size === 0) {
        this.handlers.delete(channel);
        await this.client?.query(`UNLISTEN ${quoteIdent(channel)}`).catch(() => {});
      }
    };
  }

  private connect(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= (async () => {
      const client = new pg.Client({ connectionString: this.url });
      client.on('notification', (msg) => {
        for (const handler of this.handlers.get(msg.channel) ?? []) handler(msg.payload ?? '');
      });
      client.on('error', () => this.reconnectLater());
      client.on('end', () => this.reconnectLater());
      try {
        await client.connect();
        for (const channel of this.handlers.keys()) await client.query(`LISTEN ${quoteIdent(channel)}`);
        this.client = client;
        return client;
      } finally {
        this.connecting = undefined;
      }
    })();
    return this.connecting;
  }

  private reconnectLater(): void {
    const old = this.client;
    this.client = undefined;
    old?.removeAllListeners('end');
    old?.end().catch(() => {});
    if (this.closed || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (!this.closed) this.connect().catch(() => this.reconnectLater());
    }, 1000);
    this.retryTimer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    if (client) {
      client.removeAllListeners('end');
      await client.end().catch(() => {});
    }
  }
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function describe(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) return describe(err.errors[0]);
  return err instanceof Error ? err.message || err.name : String(err);
}

/** Applies pending migrations; on PostgreSQL an advisory lock keeps two starting processes from racing. */
export async function runMigrations(handle: DatabaseHandle): Promise<{ applied: number }> {
  const before = await countAppliedMigrations(handle);
  await handle.withLock(LOCK_KEYS.migrations, () =>
    handle.kind === 'pglite'
      ? migratePglite(handle.db as never, { migrationsFolder: MIGRATIONS_FOLDER })
      : migratePg(handle.db as never, { migrationsFolder: MIGRATIONS_FOLDER }),
  );
  return { applied: (await countAppliedMigrations(handle)) - before };
}

export function expectedMigrationCount(): number {
  const journal = JSON.parse(readFileSync(path.join(MIGRATIONS_FOLDER, 'meta/_journal.json'), 'utf8')) as {
    entries: unknown[];
  };
  return journal.entries.length;
}

export async function countAppliedMigrations(handle: DatabaseHandle): Promise<number> {
  const { rows } = await handle.query(
    `select count(*)::int as n from information_schema.tables where table_schema = 'drizzle' and table_name = '__drizzle_migrations'`,
  );
  if (Number(rows[0]?.n ?? 0) === 0) return 0;
  const applied = await handle.query('select count(*)::int as n from drizzle.__drizzle_migrations');
  return Number(applied.rows[0]?.n ?? 0);
}

/** Runs `work` in one transaction and passes the transaction explicitly; an error rolls everything back. */
export function withTransaction<T>(handle: DatabaseHandle, work: (tx: Tx) => Promise<T>): Promise<T> {
  return handle.db
    .transaction((tx) => work(tx as unknown as Tx))
    .catch((err: unknown) => {
      if (isConnectionError(err)) {
        throw new AppError('DATABASE_UNAVAILABLE', { message: 'database unavailable', cause: err });
      }
      throw err;
    });
}

/** Whether a failed query broke a unique constraint (SQLSTATE 23505), also when the driver wrapped the error. */
export function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}

/** The rows of a raw `execute` result; both drivers answer with `rows`, read by column name. */
export function rowsOf(result: unknown): Record<string, unknown>[] {
  return (result as RawResult).rows;
}

/** A list of uuids as one `uuid[]` parameter (a JavaScript array in `sql` would become a list of parameters). */
export function uuidArray(ids: readonly string[]): SQL {
  return sql`${`{${ids.join(',')}}`}::uuid[]`;
}

/** A timestamp column of a raw row: a Date from both drivers, a string when it went through JSON. */
export function dateOf(value: unknown): Date {
  return value instanceof Date ? value : new Date(String(value));
}
