/**
 * The open queue now, for the team lead's live dashboard: open tickets by status and by SLA risk, the escalated
 * and the unassigned ones. Read from the ticket rows (their SLA summary), not the rollups: it is "now", not a
 * period.
 */
import type { LiveQueue } from '@keepdesk/contract';
import { type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Deps } from '../../platform/context';
import { rowsOf } from '../../platform/db';
import { AppError } from '../../platform/errors';
import { parseFilter } from './query.service';

const COLUMNS = { team: 'team_id', agent: 'assignee_id', channel: 'channel', priority: 'priority' } as const;

function conditionsOf(filter: string | undefined): SQL {
  const conditions: SQL[] = [];
  for (const [dim, value] of parseFilter(filter)) {
    if (!(dim in COLUMNS)) {
      const message = 'the live queue filters by team, agent, channel or priority';
      throw new AppError('VALIDATION_FAILED', { message, errors: [{ field: 'filter', message }] });
    }
    const column = sql.raw(`t.${COLUMNS[dim as keyof typeof COLUMNS]}`);
    const isId = dim === 'team' || dim === 'agent';
    if (isId && value !== '' && !z.uuid().safeParse(value).success) {
      const message = `${dim}: "${value}" is not an id`;
      throw new AppError('VALIDATION_FAILED', { message, errors: [{ field: 'filter', message }] });
    }
    // Ids compared as uuids, so that the team and assignee indexes serve the filter.
    conditions.push(
      value === ''
        ? sql`${column} is null`
        : isId
          ? sql`${column} = ${value}::uuid`
          : sql`${column} = ${value}`,
    );
  }
  return conditions.length > 0 ? sql`and ${sql.join(conditions, sql` and `)}` : sql``;
}

/** Counts of the open tickets (new, open, pending, on hold) that pass the filter, now. */
export async function liveQueue(deps: Deps, filter: string | undefined): Promise<LiveQueue> {
  const where = conditionsOf(filter);
  const nowText = new Date().toISOString();
  const db = deps.database.db;
  const statusRows = rowsOf(
    await db.execute(sql`
      select t.status_key, t.status_category, count(*) as n
        from tickets t
       where t.status_category in ('new', 'open', 'pending', 'on_hold') ${where}
       group by 1, 2`),
  );
  const order = rowsOf(await db.execute(sql`select key from ticket_statuses order by position, key`)).map(
    (r) => String(r.key),
  );
  const position = (key: string) => (order.includes(key) ? order.indexOf(key) : order.length);
  // Each open ticket in exactly one SLA class, from the summary the SLA job writes onto the ticket row.
  const [sla] = rowsOf(
    await db.execute(sql`
      select count(*) filter (where risk = 'breached') as breached, count(*) filter (where risk = 'due_soon') as due_soon,
             count(*) filter (where risk = 'ok') as ok, count(*) filter (where risk = 'none') as none,
             count(*) filter (where unassigned) as unassigned, count(*) filter (where escalated) as escalated
        from (select case
                       when t.sla_status = 'breached'
                         or (t.sla_status = 'running' and t.sla_due_at <= ${nowText}::timestamptz) then 'breached'
                       when t.sla_status = 'running' and t.sla_at_risk_at <= ${nowText}::timestamptz then 'due_soon'
                       when t.sla_status in ('running', 'paused') then 'ok'
                       else 'none'
                     end as risk,
                     t.assignee_id is null as unassigned,
                     exists (select 1 from ticket_escalations e
                              where e.ticket_id = t.id and e.kind in ('breach', 'manual')) as escalated
                from tickets t
               where t.status_category in ('new', 'open', 'pending', 'on_hold') ${where}) q`),
  );
  return {
    byStatus: statusRows
      .map((r) => ({ status: String(r.status_key), category: String(r.status_category), count: Number(r.n) }))
      .sort((a, b) => position(a.status) - position(b.status)),
    bySla: {
      breached: Number(sla?.breached ?? 0),
      dueSoon: Number(sla?.due_soon ?? 0),
      ok: Number(sla?.ok ?? 0),
      none: Number(sla?.none ?? 0),
    },
    escalated: Number(sla?.escalated ?? 0),
    unassigned: Number(sla?.unassigned ?? 0),
    at: nowText,
  };
}
