/**
 * Imports another tool's ticket event log — one row per activity on a case — so that reports cover the history
 * from before Keepdesk. A case becomes a closed ticket: its first activity is its arrival, its last its close,
 * and every activity is in its history. Bad rows are reported by line while the good ones import; a case that
 * was imported before (same source) is skipped, so a file can be imported again safely.
 */

import { sql } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import { parseCsv } from '../../platform/csv';
import { rowsOf, withTransaction } from '../../platform/db';
import { AppError } from '../../platform/errors';
import { type Actor, recordChange } from '../../platform/events';
import { createContact, parseTimeCell } from '../customers';

export interface EventLogMapping {
  caseColumn: string;
  activityColumn: string;
  timeColumn: string;
  /** The zone of timestamps without an offset. */
  timeZone: string;
  /** Luxon format of the timestamps when they are neither ISO 8601 nor SQL (`2012-04-03 16:55:38`). */
  timeFormat?: string;
  /** Names the import; cases are unique per source. */
  source: string;
}

export interface EventLogImport {
  cases: number;
  imported: number;
  alreadyImported: number;
  activities: number;
  errors: { line: number; message: string }[];
}

const BATCH = 500;

function columnIndex(header: string[], name: string, option: string): number {
  const index = header.findIndex((h) => h.trim() === name);
  if (index < 0) {
    throw new AppError('VALIDATION_FAILED', {
      message: `${option}: the file has no column "${name}"; it has ${header.map((h) => `"${h}"`).join(', ')}`,
      errors: [{ field: option, message: `no column "${name}"` }],
    });
  }
  return index;
}

export async function importTicketEvents(
  deps: Deps,
  actor: Actor,
  csv: string,
  mapping: EventLogMapping,
  onProgress?: (done: number, total: number) => void,
): Promise<EventLogImport> {
  const table = parseCsv(csv);
  const errors = [...table.errors];
  const caseAt = columnIndex(table.header, mapping.caseColumn, '--case-col');
  const activityAt = columnIndex(table.header, mapping.activityColumn, '--activity-col');
  const timeAt = columnIndex(table.header, mapping.timeColumn, '--time-col');
  const now = deps.now().getTime();
  const cases = new Map<string, { at: number; activity: string; line: number }[]>();
  for (const record of table.records) {
    const key = record.cells[caseAt]!.trim();
    const activity = record.cells[activityAt]!.trim();
    const text = record.cells[timeAt]!.trim();
    if (!key) {
      errors.push({ line: record.line, message: `no case in "${mapping.caseColumn}"` });
      continue;
    }
    const time = parseTimeCell(text, mapping.timeFormat, mapping.timeZone);
    if (!time.isValid) {
      errors.push({
        line: record.line,
        message: `"${text}" is not a time (${time.invalidExplanation ?? 'unreadable'})`,
      });
      continue;
    }
    if (time.toMillis() > now) {
      errors.push({ line: record.line, message: `${text} is in the future` });
      continue;
    }
    const rows = cases.get(key) ?? [];
    rows.push({ at: time.toMillis(), activity, line: record.line });
    cases.set(key, rows);
  }
  errors.sort((a, b) => a.line - b.line);

  const keys = [...cases.keys()];
  const known = new Set<string>();
  for (let i = 0; i < keys.length; i += 5_000) {
    const rows = rowsOf(
      await deps.database.db.execute(sql`
        select case_key from ticket_imports where source = ${mapping.source}
           and case_key in (select jsonb_array_elements_text(${JSON.stringify(keys.slice(i, i + 5_000))}::jsonb))`),
    );
    for (const row of rows) known.add(String(row.case_key));
  }
  const fresh = keys.filter((key) => !known.has(key));
  const result: EventLogImport = {
    cases: keys.length,
    imported: 0,
    alreadyImported: known.size,
    activities: 0,
    errors,
  };
  if (fresh.length === 0) return result;
  const requesterId = await importRequester(deps, actor, mapping.source);
  const source = sql`${mapping.source}::text`;
  onProgress?.(0, fresh.length);
  for (let i = 0; i < fresh.length; i += BATCH) {
    const batch = fresh.slice(i, i + BATCH).map((key) => {
      const rows = cases.get(key)!.sort((a, b) => a.at - b.at || a.line - b.line);
      return {
        key,
        first: new Date(rows[0]!.at).toISOString(),
        last: new Date(rows.at(-1)!.at).toISOString(),
        activities: rows.map((r) => ({ at: new Date(r.at).toISOString(), name: r.activity })),
      };
    });
    await withTransaction(deps.database, async (tx) => {
      await tx.execute(sql`
        with input as (
          select * from jsonb_to_recordset(${JSON.stringify(batch)}::jsonb)
            as x(key text, first timestamptz, last timestamptz, activities jsonb)
        ), made as (
          insert into tickets (subject, status_key, status_category, channel, requester_id, message_count, created_at,
                               updated_at, solved_at, closed_at, tags, search_vector)
          select ${source} || ' #' || key, 'closed', 'closed', 'api', ${requesterId}::uuid, 0, first, last,
                 last, last, '{imported}', to_tsvector('simple', ${source} || ' ' || key)
            from input
          returning id, subject, created_at
        ), linked as (
          select m.id, i.* from made m join input i on m.subject = ${source} || ' #' || i.key
        ), imports as (
          insert into ticket_imports (source, case_key, ticket_id) select ${source}, key, id from linked
        )
        insert into ticket_events (ticket_id, kind, field, from_value, to_value, actor_kind, created_at)
        select id, 'created', null::text, null::jsonb, jsonb_build_object('status', 'new', 'channel', 'api', 'source', ${source}),
               'system', first from linked
        union all
        select l.id, 'activity', null, null, jsonb_build_object('name', a.name), 'system', a.at
          from linked l cross join lateral jsonb_to_recordset(l.activities) as a(at timestamptz, name text)
        union all
        select id, 'changed', 'status', '"new"'::jsonb, '"closed"'::jsonb, 'system', last from linked`);
      await tx.execute(sql`insert into tags (name) values ('imported') on conflict do nothing`);
      await recordChange(tx, actor, {
        action: 'tickets.imported',
        entityType: 'ticket_import',
        entityId: mapping.source,
        data: { cases: batch.length },
      });
    });
    result.imported += batch.length;
    result.activities += batch.reduce((sum, c) => sum + c.activities.length, 0);
    onProgress?.(result.imported, fresh.length);
  }
  return result;
}

/** The contact the imported cases belong to: one per source, reused when the source is imported again. */
async function importRequester(deps: Deps, actor: Actor, source: string): Promise<string> {
  const [existing] = rowsOf(
    await deps.database.db.execute(sql`
      select t.requester_id from ticket_imports i join tickets t on t.id = i.ticket_id
       where i.source = ${source} limit 1`),
  );
  if (existing) return String(existing.requester_id);
  const contact = await createContact(deps, actor, {
    name: `Imported: ${source}`.slice(0, 200),
    emails: [],
    phones: [],
    language: 'en',
    timeZone: null,
    notes: 'The requester of the cases imported from this event log.',
    attributes: {},
    organizationId: null,
  });
  return contact.id;
}
