/**
 * Customer 360 data from files: the four kinds (accounts, subscriptions, orders, product-usage events), the
 * fields of each, which CSV column feeds which field, and the checks a row passes before it is written. Pure;
 * the service adds what needs the database (unknown accounts and owners, linking to contacts).
 */
import {
  AccountRow,
  type AccountRow as AccountRowType,
  OrderRow,
  type OrderRow as OrderRowType,
  SubscriptionRow,
  type SubscriptionRow as SubscriptionRowType,
  UsageEventRow,
  type UsageEventRow as UsageEventRowType,
} from '@keepdesk/contract';
import { DateTime } from 'luxon';
import type { z } from 'zod';

export const IMPORT_KINDS = ['accounts', 'subscriptions', 'orders', 'usage'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** A row of each kind, as the bulk API takes it and a CSV row becomes. */
export interface RowOf {
  accounts: AccountRowType;
  subscriptions: SubscriptionRowType;
  orders: OrderRowType;
  usage: UsageEventRowType;
}
export type AnyRow = RowOf[ImportKind];

type FieldType = 'text' | 'date' | 'time' | 'money' | 'count' | 'list';

/** A target field: its CSV name, its key in a row (and the bulk API), and how its cell is read. */
export interface FieldSpec {
  name: string;
  key: string;
  type: FieldType;
  required: boolean;
  /** Other column names that mean this field (compared like the name: case, blanks and punctuation ignored). */
  aliases: readonly string[];
}

const field = (
  name: string,
  key: string,
  type: FieldType,
  required: boolean,
  aliases: readonly string[] = [],
): FieldSpec => ({ name, key, type, required, aliases });

const ACCOUNT_REF = ['account_id', 'account_external_id', 'customer_id', 'customer'];

export const FIELDS: Record<ImportKind, readonly FieldSpec[]> = {
  accounts: [
    field('external_id', 'externalId', 'text', true, ['id', 'account_id', 'customer_id', 'account']),
    field('name', 'name', 'text', false, ['account_name', 'customer_name', 'company_name']),
    field('email', 'email', 'text', false, ['email_address', 'mail']),
    field('organization', 'organization', 'text', false, ['organisation', 'company']),
    field('owner', 'owner', 'text', false, ['owner_email', 'account_owner', 'csm']),
    field('acquired_on', 'acquiredOn', 'date', false, ['customer_since', 'acquired', 'signup_date']),
  ],
  subscriptions: [
    field('external_id', 'externalId', 'text', true, ['id', 'subscription_id']),
    field('account', 'account', 'text', true, ACCOUNT_REF),
    field('plan', 'plan', 'text', true, ['plan_name', 'product']),
    field('mrr', 'mrr', 'money', true, ['monthly_recurring_revenue']),
    field('currency', 'currency', 'text', false),
    field('started_on', 'startedOn', 'date', true, ['start', 'start_date', 'started_at', 'starts_on']),
    field('ended_on', 'endedOn', 'date', false, [
      'end',
      'end_date',
      'ended_at',
      'cancelled_on',
      'canceled_on',
      'cancellation_date',
    ]),
    field('cancel_reason', 'cancelReason', 'text', false, ['cancellation_reason', 'churn_reason', 'reason']),
  ],
  orders: [
    field('external_id', 'externalId', 'text', true, ['id', 'order_id', 'transaction_id']),
    field('account', 'account', 'text', true, ACCOUNT_REF),
    field('ordered_at', 'orderedAt', 'time', true, ['ordered_on', 'order_date', 'date', 'created_at']),
    field('amount', 'amount', 'money', true, ['total', 'order_total', 'revenue']),
    field('currency', 'currency', 'text', false),
    field('products', 'products', 'list', false, ['product', 'items', 'skus']),
  ],
  usage: [
    field('account', 'account', 'text', true, ACCOUNT_REF),
    field('name', 'name', 'text', true, ['event', 'event_name', 'feature']),
    field('occurred_at', 'occurredAt', 'time', true, ['time', 'timestamp', 'date', 'occurred_on']),
    field('count', 'count', 'count', false, ['quantity']),
  ],
};

const SCHEMAS: { [K in ImportKind]: z.ZodType<RowOf[K]> } = {
  accounts: AccountRow,
  subscriptions: SubscriptionRow,
  orders: OrderRow,
  usage: UsageEventRow,
};

/** A problem with one row: `ref` is its CSV line (or its index in a bulk call), `field` the column at fault. */
export interface RowError {
  ref: number;
  field: string;
  message: string;
}

// ── times ───────────────────────────────────────────────────────────────────────────────────────────────

/**
 * A date or time in a CSV cell: ISO 8601, else SQL (`2012-04-03 16:55:38`), or in `format` (luxon tokens such
 * as `yyyyMMdd` or `dd.MM.yyyy HH:mm`). Times without an offset are read in `zone`; the result keeps the offset
 * it was written with, so its calendar day is the one in the file. Invalid when unreadable.
 */
export function parseTimeCell(text: string, format?: string, zone = 'UTC'): DateTime {
  const options = { zone, setZone: true };
  if (format) return DateTime.fromFormat(text, format, options);
  const iso = DateTime.fromISO(text, options);
  return iso.isValid ? iso : DateTime.fromSQL(text, options);
}

/** No time zone is more than 14 hours ahead of UTC: a day or time later than this has not come anywhere yet. */
const AHEAD_OF_UTC_MS = 14 * 3_600_000;

/** The checks on a row that need the clock: no day or time in the future (an end day may be), no end before start. */
function checkTimes(kind: ImportKind, row: AnyRow, now: Date): { key: string; message: string }[] {
  const latest = now.getTime() + AHEAD_OF_UTC_MS;
  const latestDay = new Date(latest).toISOString().slice(0, 10);
  const problems: { key: string; message: string }[] = [];
  const futureDay = (key: string, day: string | null | undefined) => {
    if (day && day > latestDay) problems.push({ key, message: `${day} is in the future` });
  };
  const futureTime = (key: string, time: string) => {
    if (Date.parse(time) > latest) problems.push({ key, message: `${time} is in the future` });
  };
  if (kind === 'accounts') futureDay('acquiredOn', (row as AccountRowType).acquiredOn);
  if (kind === 'subscriptions') {
    const subscription = row as SubscriptionRowType;
    futureDay('startedOn', subscription.startedOn);
    // An end may be ahead: a cancellation that takes effect at the end of the term, a fixed-term contract.
    if (subscription.endedOn && subscription.endedOn < subscription.startedOn) {
      problems.push({
        key: 'endedOn',
        message: `${subscription.endedOn} is before the start ${subscription.startedOn}`,
      });
    }
  }
  if (kind === 'orders') futureTime('orderedAt', (row as OrderRowType).orderedAt);
  if (kind === 'usage') futureTime('occurredAt', (row as UsageEventRowType).occurredAt);
  return problems;
}

// ── mapping ─────────────────────────────────────────────────────────────────────────────────────────────

/** `Customer ID`, `customer_id` and `customer-id` compare equal. */
function comparable(name: string): string {
  return name.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

export interface ColumnMapping {
  /** Field name → column index, for the fields the file has. */
  columns: Map<string, number>;
  /** Columns no field reads: the attributes of an accounts file, ignored in the others. */
  extra: number[];
}

export type MappingResult =
  | { ok: true; mapping: ColumnMapping }
  | { ok: false; field: string; message: string };

const quoted = (names: readonly string[]) => names.map((n) => `"${n}"`).join(', ');

/**
 * Which column feeds each field: `overrides` (field → column name) first, then a column named like the field,
 * then one of its common other names. A required field without a column fails the whole file, naming it.
 */
export function mapColumns(
  kind: ImportKind,
  header: readonly string[],
  overrides: Readonly<Record<string, string>> = {},
): MappingResult {
  const fields = FIELDS[kind];
  const columns = new Map<string, number>();
  const used = new Set<number>();
  for (const [name, column] of Object.entries(overrides)) {
    if (!fields.some((f) => f.name === name)) {
      return {
        ok: false,
        field: '--map',
        message: `"${name}" is not a field of ${kind}; the fields are ${fields.map((f) => f.name).join(', ')}`,
      };
    }
    const index = header.indexOf(column.trim());
    const loose = index >= 0 ? index : header.findIndex((h) => comparable(h) === comparable(column));
    if (loose < 0) {
      return {
        ok: false,
        field: '--map',
        message: `${name}=${column}: the file has no column "${column}"; it has ${quoted(header)}`,
      };
    }
    columns.set(name, loose);
    used.add(loose);
  }
  const normalized = header.map(comparable);
  const free = (name: string) => normalized.findIndex((h, i) => h === comparable(name) && !used.has(i));
  for (const spec of fields) {
    if (columns.has(spec.name)) continue;
    let index = free(spec.name);
    for (const alias of spec.aliases) if (index < 0) index = free(alias);
    if (index >= 0) {
      columns.set(spec.name, index);
      used.add(index);
    } else if (spec.required) {
      return {
        ok: false,
        field: spec.name,
        message: `the file has no column "${spec.name}" (or name one with --map ${spec.name}=COLUMN); it has ${quoted(header)}`,
      };
    }
  }
  const extra = header.map((_, i) => i).filter((i) => !used.has(i) && header[i]!.trim() !== '');
  return { ok: true, mapping: { columns, extra } };
}

/**
 * The CSV column a row key comes from, for messages: `mrr` → `MRR (EUR)` when mapped so, the field's name when
 * the file has no column for it, `attributes.plan` → `plan` (an extra column).
 */
export function columnNamer(
  kind: ImportKind,
  header: readonly string[],
  mapping: ColumnMapping,
): (key: string) => string {
  return (key) => {
    if (key.startsWith('attributes.')) return key.slice('attributes.'.length);
    const spec = FIELDS[kind].find((f) => f.key === key.split('.')[0]);
    if (!spec) return key;
    const index = mapping.columns.get(spec.name);
    return index === undefined ? spec.name : header[index]!;
  };
}

// ── rows ────────────────────────────────────────────────────────────────────────────────────────────────

export interface ReadOptions {
  /** luxon format of the dates and times when they are not ISO 8601 or SQL. */
  dateFormat?: string;
  now: Date;
}

type Cell = { value: unknown } | { error: string };

/** An amount: digits with a decimal point or (German) comma; thousands separators are not read. */
function moneyOf(text: string): Cell {
  if (!/^[+-]?(\d+([.,]\d*)?|[.,]\d+)$/.test(text)) return { error: `"${text}" is not a number` };
  return { value: Math.round(Number(text.replace(',', '.')) * 100) / 100 };
}

function countOf(text: string): Cell {
  if (/^[+-]?\d+$/.test(text)) return { value: Number(text) };
  return {
    error: /^[+-]?\d*[.,]\d+$/.test(text) ? `"${text}" is not a whole number` : `"${text}" is not a number`,
  };
}

/** A number only when it reads back the same (so `00123` and `1e3` stay text: ids, postcodes). */
function attributeOf(text: string): string | number {
  return /^-?(0|[1-9]\d{0,14})(\.\d+)?$/.test(text) ? Number(text) : text;
}

function cellOf(spec: FieldSpec, text: string, options: ReadOptions): Cell {
  switch (spec.type) {
    case 'money':
      return moneyOf(text);
    case 'count':
      return countOf(text);
    case 'list':
      return {
        value: text
          .split(/[|;,]/)
          .map((item) => item.trim())
          .filter((item) => item !== ''),
      };
    case 'date':
    case 'time': {
      const parsed = parseTimeCell(text, options.dateFormat);
      if (!parsed.isValid) {
        const format = options.dateFormat ? ` in the format ${options.dateFormat}` : '';
        return { error: `"${text}" is not a ${spec.type === 'date' ? 'date' : 'date or time'}${format}` };
      }
      return { value: spec.type === 'date' ? parsed.toISODate() : parsed.toUTC().toISO() };
    }
    default:
      return { value: text };
  }
}

/**
 * One CSV record as a row of `kind`: each mapped cell read by its field's type, extra columns of an accounts
 * file as attributes, then the same checks the bulk API applies. Errors name the CSV column.
 */
export function readRecord<K extends ImportKind>(
  kind: K,
  header: readonly string[],
  mapping: ColumnMapping,
  record: { line: number; cells: readonly string[] },
  options: ReadOptions,
): { row: RowOf[K] } | { errors: RowError[] } {
  const errors: RowError[] = [];
  const candidate: Record<string, unknown> = {};
  const columnOf = columnNamer(kind, header, mapping);
  for (const spec of FIELDS[kind]) {
    const index = mapping.columns.get(spec.name);
    const column = columnOf(spec.key);
    const text = index === undefined ? '' : (record.cells[index] ?? '').trim();
    if (text === '') {
      if (spec.required) errors.push({ ref: record.line, field: column, message: 'is empty' });
      continue;
    }
    const cell = cellOf(spec, text, options);
    if ('error' in cell) errors.push({ ref: record.line, field: column, message: cell.error });
    else candidate[spec.key] = cell.value;
  }
  if (kind === 'accounts' && mapping.extra.length > 0) {
    const attributes: Record<string, string | number> = {};
    for (const index of mapping.extra) {
      const text = (record.cells[index] ?? '').trim();
      if (text !== '') attributes[header[index]!.trim().slice(0, 64)] = attributeOf(text);
    }
    candidate.attributes = attributes;
  }
  if (errors.length > 0) return { errors };
  const checked = checkRow(kind, candidate, options.now);
  if ('errors' in checked) {
    return {
      errors: checked.errors.map((e) => ({ ref: record.line, field: columnOf(e.key), message: e.message })),
    };
  }
  return checked;
}

/**
 * The contract's checks on a row (types, lengths, no negative MRR or amount) and the clock's (no future day,
 * no end before the start). Errors carry the row's key at fault (`mrr`, `attributes.plan`).
 */
export function checkRow<K extends ImportKind>(
  kind: K,
  candidate: unknown,
  now: Date,
): { row: RowOf[K] } | { errors: { key: string; message: string }[] } {
  const parsed = SCHEMAS[kind].safeParse(candidate);
  if (!parsed.success) {
    return {
      errors: parsed.error.issues.map((issue) => ({
        key: issue.path.map(String).join('.') || 'row',
        message: issue.message,
      })),
    };
  }
  const problems = checkTimes(kind, parsed.data, now);
  return problems.length > 0 ? { errors: problems } : { row: parsed.data as RowOf[K] };
}

/** The key a row is written under: its external id, or for usage its account, name and moment. */
export function rowKey(kind: ImportKind, row: AnyRow): string {
  if (kind !== 'usage') return (row as { externalId: string }).externalId;
  const usage = row as UsageEventRowType;
  return JSON.stringify([usage.account, usage.name, Date.parse(usage.occurredAt)]);
}

/**
 * Rows whose key came before in the same file or call: the first is kept, each later one reported (one
 * statement cannot write a row twice, and which one should win would be a guess).
 */
export function duplicateErrors(
  kind: ImportKind,
  entries: readonly { ref: number; row: AnyRow }[],
  describe: (ref: number) => string,
  fieldOf: (key: string) => string,
): RowError[] {
  const first = new Map<string, number>();
  const errors: RowError[] = [];
  for (const { ref, row } of entries) {
    const key = rowKey(kind, row);
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, ref);
    else {
      errors.push({
        ref,
        field: fieldOf(kind === 'usage' ? 'occurredAt' : 'externalId'),
        message:
          kind === 'usage'
            ? `the same account, name and time as ${describe(earlier)}`
            : `"${(row as { externalId: string }).externalId}" is already on ${describe(earlier)}`,
      });
    }
  }
  return errors;
}

/** A parsed CSV file, as `parseCsv` returns it. */
export interface CsvInput {
  header: readonly string[];
  records: readonly { line: number; cells: readonly string[] }[];
  errors: readonly { line: number; message: string }[];
}

export type TableRead<K extends ImportKind> =
  | { ok: false; field: string; message: string }
  | {
      ok: true;
      /** The good rows with their CSV line, in file order. */
      entries: { ref: number; row: RowOf[K] }[];
      /** The bad rows: every problem found, by line. */
      errors: RowError[];
      /** Names the CSV column of a row key, for problems found later (unknown account, owner). */
      columnOf: (key: string) => string;
      /** Columns no field reads (in an accounts file they become attributes, so none). */
      unusedColumns: string[];
    };

/**
 * A whole CSV file as rows of `kind`: the mapping, every record read and checked, later duplicates of a key
 * reported. A required column that is missing (or an empty file) fails the whole file.
 */
export function readTable<K extends ImportKind>(
  kind: K,
  table: CsvInput,
  overrides: Readonly<Record<string, string>>,
  options: ReadOptions,
): TableRead<K> {
  if (table.header.length === 0) return { ok: false, field: 'FILE', message: 'the file is empty' };
  const mapped = mapColumns(kind, table.header, overrides);
  if (!mapped.ok) return mapped;
  const { mapping } = mapped;
  const columnOf = columnNamer(kind, table.header, mapping);
  const errors: RowError[] = table.errors.map((e) => ({ ref: e.line, field: 'row', message: e.message }));
  const entries: { ref: number; row: RowOf[K] }[] = [];
  for (const record of table.records) {
    const read = readRecord(kind, table.header, mapping, record, options);
    if ('errors' in read) errors.push(...read.errors);
    else entries.push({ ref: record.line, row: read.row });
  }
  const duplicates = duplicateErrors(kind, entries, (line) => `line ${line}`, columnOf);
  const duplicateLines = new Set(duplicates.map((d) => d.ref));
  errors.push(...duplicates);
  errors.sort((a, b) => a.ref - b.ref);
  return {
    ok: true,
    entries: entries.filter((e) => !duplicateLines.has(e.ref)),
    errors,
    columnOf,
    unusedColumns: kind === 'accounts' ? [] : mapping.extra.map((i) => table.header[i]!),
  };
}
