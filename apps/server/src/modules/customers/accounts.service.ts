/**
 * Customer 360 data: accounts, subscriptions, orders and product-usage events, written from a CSV file or the
 * bulk API by upsert on their external ids (usage on account, name and moment), so a file or a call can be
 * repeated safely. Bad rows are reported (by CSV line or bulk index) while the good ones are written.
 */
import type { BulkUpsertResult } from '@keepdesk/contract';
import type { Deps } from '../../platform/context';
import { parseCsv } from '../../platform/csv';
import { withTransaction } from '../../platform/db';
import { fieldError, isConnectionError } from '../../platform/errors';
import { type Actor, recordChange } from '../../platform/events';
import { type Counts, countExisting, type Entry, resolveRows, writeBatch } from './account-rows.service';
import {
  type AnyRow,
  checkRow,
  duplicateErrors,
  type ImportKind,
  type RowError,
  type RowOf,
  readTable,
} from './accounts.domain';

/** Rows per INSERT … ON CONFLICT statement and transaction. */
const BATCH = 1_000;
const PREVIEW_ROWS = 10;

export interface ImportOptions {
  /** Field → CSV column, for columns not named like their field. */
  mapping?: Record<string, string>;
  /** luxon format of dates and times that are not ISO 8601 or SQL. */
  dateFormat?: string;
  /** Check and count everything, write nothing. */
  dryRun?: boolean;
  onProgress?: (done: number, total: number) => void;
}

export interface ImportReport extends Counts {
  kind: ImportKind;
  dryRun: boolean;
  /** Data rows in the file (below the header). */
  rows: number;
  errors: { line: number; field: string; message: string }[];
  /** Columns of a subscriptions, orders or usage file that no field reads. */
  unusedColumns: string[];
  /** Dry run: the first rows as they would be written. */
  preview?: AnyRow[];
}

/**
 * Imports a CSV file of `kind`. A required column that is missing fails the whole file (VALIDATION_FAILED
 * naming it); every bad row is reported with its line while the good rows are written (or, in a dry run,
 * counted as would-create and would-update).
 */
export async function importCustomerCsv(
  deps: Deps,
  actor: Actor,
  kind: ImportKind,
  csv: string,
  options: ImportOptions = {},
): Promise<ImportReport> {
  const table = parseCsv(csv);
  const read = readTable(kind, table, options.mapping ?? {}, {
    now: deps.now(),
    ...(options.dateFormat ? { dateFormat: options.dateFormat } : {}),
  });
  if (!read.ok) throw fieldError(read.field, read.message);
  const written = await writeRows(deps, actor, kind, read.entries, {
    fieldOf: read.columnOf,
    dryRun: options.dryRun === true,
    onProgress: options.onProgress,
    source: 'csv',
  });
  const errors = [...read.errors, ...written.errors]
    .sort((a, b) => a.ref - b.ref)
    .map((e) => ({ line: e.ref, field: e.field, message: e.message }));
  return {
    kind,
    dryRun: options.dryRun === true,
    rows: table.records.length + table.errors.filter((e) => e.line > 1).length,
    created: written.created,
    updated: written.updated,
    errors,
    unusedColumns: read.unusedColumns,
    ...(written.preview ? { preview: written.preview } : {}),
  };
}

/**
 * Upserts rows the bulk API took (already in the contract's shape): rows with a future day, a duplicate key or
 * an unknown account or owner are skipped and reported by their index.
 */
export async function bulkUpsert<K extends ImportKind>(
  deps: Deps,
  actor: Actor,
  kind: K,
  rows: readonly RowOf[K][],
): Promise<BulkUpsertResult> {
  const now = deps.now();
  const errors: RowError[] = [];
  const entries: Entry[] = [];
  rows.forEach((row, index) => {
    const checked = checkRow(kind, row, now);
    if ('errors' in checked)
      errors.push(...checked.errors.map((e) => ({ ref: index, field: e.key, message: e.message })));
    else entries.push({ ref: index, row: checked.row });
  });
  const duplicates = duplicateErrors(
    kind,
    entries,
    (index) => `row ${index}`,
    (key) => key,
  );
  const duplicateRefs = new Set(duplicates.map((d) => d.ref));
  const written = await writeRows(
    deps,
    actor,
    kind,
    entries.filter((e) => !duplicateRefs.has(e.ref)),
    { fieldOf: (key) => key, dryRun: false, source: 'api' },
  );
  return {
    created: written.created,
    updated: written.updated,
    errors: [...errors, ...duplicates, ...written.errors]
      .sort((a, b) => a.ref - b.ref)
      .map((e) => ({ index: e.ref, field: e.field, message: e.message })),
  };
}

// ── writing ─────────────────────────────────────────────────────────────────────────────────────────────

interface WriteOptions {
  /** Names the field of a row key in problems: the CSV column, or the JSON key. */
  fieldOf: (key: string) => string;
  dryRun: boolean;
  onProgress?: ((done: number, total: number) => void) | undefined;
  source: 'csv' | 'api';
}

async function writeRows(
  deps: Deps,
  actor: Actor,
  kind: ImportKind,
  entries: readonly Entry[],
  options: WriteOptions,
): Promise<Counts & { errors: RowError[]; preview?: AnyRow[] }> {
  const db = deps.database.db;
  const { resolved, errors } = await resolveRows(db, kind, entries, options.fieldOf);
  if (options.dryRun) {
    const existing = await countExisting(db, kind, resolved);
    const good = new Set(resolved.map((r) => r.ref));
    return {
      created: resolved.length - existing,
      updated: existing,
      errors,
      preview: entries
        .filter((e) => good.has(e.ref))
        .slice(0, PREVIEW_ROWS)
        .map((e) => e.row),
    };
  }
  const written = await writeInBatches(
    resolved,
    BATCH,
    (batch) => withTransaction(deps.database, (tx) => writeBatch(tx, kind, batch)),
    options.onProgress,
  );
  if (written.created + written.updated > 0) {
    // One summary per import or call, not one per row: a million rows would otherwise flood the outbox.
    await withTransaction(deps.database, (tx) =>
      recordChange(tx, actor, {
        action: 'customer_data.imported',
        entityType: 'customer_data',
        entityId: kind,
        data: {
          kind,
          source: options.source,
          created: written.created,
          updated: written.updated,
          badRows: new Set([...errors, ...written.failed].map((e) => e.ref)).size,
        },
      }),
    );
  }
  return { created: written.created, updated: written.updated, errors: [...errors, ...written.failed] };
}

/**
 * Writes `items` in batches, each in its own transaction. A batch that fails is retried row by row, so one row
 * the database refuses is reported alone and the others still land; a lost connection stops everything.
 */
export async function writeInBatches<T extends { ref: number }>(
  items: readonly T[],
  size: number,
  write: (batch: T[]) => Promise<Counts>,
  onProgress?: (done: number, total: number) => void,
): Promise<Counts & { failed: RowError[] }> {
  const total = { created: 0, updated: 0 };
  const failed: RowError[] = [];
  const add = (counts: Counts) => {
    total.created += counts.created;
    total.updated += counts.updated;
  };
  onProgress?.(0, items.length);
  for (let start = 0; start < items.length; start += size) {
    const batch = items.slice(start, start + size);
    try {
      add(await write(batch));
    } catch (err) {
      if (isConnectionError(err)) throw err;
      for (const item of batch) {
        try {
          add(await write([item]));
        } catch (rowErr) {
          if (isConnectionError(rowErr)) throw rowErr;
          failed.push({ ref: item.ref, field: 'row', message: `not saved: ${databaseMessage(rowErr)}` });
        }
      }
    }
    onProgress?.(Math.min(start + size, items.length), items.length);
  }
  return { ...total, failed };
}

/** The database's own words for a failed statement (the driver wraps them in the whole query text). */
function databaseMessage(err: unknown): string {
  for (let e: unknown = err; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    if (typeof (e as { code?: unknown }).code === 'string') return String((e as Error).message);
  }
  return String((err as Error)?.message ?? err).slice(0, 300);
}
