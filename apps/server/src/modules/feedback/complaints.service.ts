import type { Complaint, ComplaintBody, ComplaintQuery, ComplaintRegister } from '@keepdesk/contract';
import { type SQL, sql } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import { dateOf, rowsOf, withTransaction } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { type Actor, recordChange } from '../../platform/events';
import { decodeCursor, toPage } from '../../platform/pagination';
import { users } from '../auth';
import { contacts, organizations } from '../customers';
import { tickets } from '../tickets';
import { complaints } from './feedback.tables';

const at = (value: unknown) => dateOf(value).toISOString();

function presentComplaint(row: Record<string, unknown>): Complaint {
  const solvedAt = row.solved_at === null ? null : at(row.solved_at);
  return {
    ticketId: String(row.id),
    number: Number(row.number),
    subject: String(row.subject),
    statusCategory: String(row.status_category),
    channel: String(row.channel),
    requester: { id: String(row.requester_id), name: String(row.requester_name ?? '') },
    organization: row.organization_id
      ? { id: String(row.organization_id), name: String(row.organization_name ?? '') }
      : null,
    assignee: row.assignee_id ? { id: String(row.assignee_id), name: String(row.assignee_name ?? '') } : null,
    createdAt: at(row.created_at),
    solvedAt,
    hoursToResolution: row.hours === null ? null : Math.round(Number(row.hours) * 10) / 10,
    category: String(row.category ?? ''),
    rootCause: String(row.root_cause ?? ''),
    resolution: String(row.resolution ?? ''),
    compensationKind: (row.compensation_kind ?? 'none') as Complaint['compensationKind'],
    compensationValue:
      row.compensation_value === null || row.compensation_value === undefined
        ? null
        : Number(row.compensation_value),
    currency: String(row.currency ?? 'EUR'),
    outcome: (row.outcome ?? null) as Complaint['outcome'],
  };
}

/** Complaint tickets with their register entry (empty until someone fills it in). */
const REGISTER = sql`
  select t.id, t.number, t.subject, t.status_category, t.channel, t.requester_id, t.organization_id, t.assignee_id,
         t.created_at, t.solved_at,
         extract(epoch from (t.solved_at - t.created_at)) / 3600 as hours,
         c.name as requester_name, o.name as organization_name, u.name as assignee_name,
         k.category, k.root_cause, k.resolution, k.compensation_kind, k.compensation_value, k.currency, k.outcome
    from ${tickets} t
    join ${contacts} c on c.id = t.requester_id
    left join ${organizations} o on o.id = t.organization_id
    left join ${users} u on u.id = t.assignee_id
    left join ${complaints} k on k.ticket_id = t.id`;

export async function getComplaint(deps: Deps, ticketId: string): Promise<Complaint> {
  const [row] = rowsOf(
    await deps.database.db.execute(sql`${REGISTER} where t.id = ${ticketId} and t.type = 'complaint'`),
  );
  if (!row) throw notFound('complaint ticket', ticketId);
  return presentComplaint(row);
}

/** Records what a complaint was about, its root cause, resolution, compensation and outcome. */
export async function putComplaint(
  deps: Deps,
  actor: Actor,
  ticketId: string,
  body: ComplaintBody,
): Promise<Complaint> {
  await withTransaction(deps.database, async (tx) => {
    const [ticket] = rowsOf(
      await tx.execute(sql`select number, type from ${tickets} where id = ${ticketId} for update`),
    );
    if (!ticket) throw notFound('ticket', ticketId);
    if (ticket.type !== 'complaint') {
      throw new AppError('CONFLICT', {
        message: `ticket #${ticket.number} is not a complaint: set its type to complaint first`,
      });
    }
    const values = {
      ...body,
      compensationValue: body.compensationKind === 'none' ? null : body.compensationValue,
    };
    await tx
      .insert(complaints)
      .values({ ticketId, ...values })
      .onConflictDoUpdate({ target: complaints.ticketId, set: { ...values, updatedAt: deps.now() } });
    await recordChange(tx, actor, {
      action: 'ticket.complaint_updated',
      entityType: 'ticket',
      entityId: ticketId,
      data: { category: body.category, outcome: body.outcome, compensationKind: body.compensationKind },
    });
  });
  return getComplaint(deps, ticketId);
}

/**
 * The complaints register: complaint tickets, newest first, with time to resolution and outcome, and a
 * summary of the same selection (count, open, median hours to resolution, by category and outcome,
 * compensation offered by currency).
 */
export async function listComplaints(deps: Deps, query: ComplaintQuery): Promise<ComplaintRegister> {
  const filters: SQL[] = [sql`t.type = 'complaint'`, sql`t.merged_into_id is null`];
  if (query.category !== undefined) filters.push(sql`coalesce(k.category, '') = ${query.category}`);
  if (query.outcome) filters.push(sql`k.outcome = ${query.outcome}`);
  if (query.open === true) filters.push(sql`t.status_category not in ('solved', 'closed')`);
  if (query.open === false) filters.push(sql`t.status_category in ('solved', 'closed')`);
  if (query.from) filters.push(sql`t.created_at >= ${query.from}::date`);
  if (query.to) filters.push(sql`t.created_at < ${query.to}::date + 1`);
  const where = sql.join(filters, sql` and `);
  const paged = [...filters];
  if (query.cursor) {
    const [created, id] = decodeCursor(query.cursor, 2);
    paged.push(sql`(t.created_at, t.id) < (${String(created)}::timestamptz, ${String(id)}::uuid)`);
  }
  const db = deps.database.db;
  const rows = rowsOf(
    await db.execute(
      sql`${REGISTER} where ${sql.join(paged, sql` and `)} order by t.created_at desc, t.id desc limit ${query.limit + 1}`,
    ),
  );
  const base = sql`from ${tickets} t left join ${complaints} k on k.ticket_id = t.id where ${where}`;
  const [totals] = rowsOf(
    await db.execute(sql`
      select count(*)::int as total,
             count(*) filter (where t.status_category not in ('solved', 'closed'))::int as open,
             percentile_cont(0.5) within group (order by extract(epoch from (t.solved_at - t.created_at)) / 3600)
               filter (where t.solved_at is not null) as median_hours
      ${base}`),
  );
  const byCategory = rowsOf(
    await db.execute(sql`select coalesce(k.category, '') as category, count(*)::int as count ${base}
                          group by 1 order by 2 desc, 1`),
  );
  const byOutcome = rowsOf(
    await db.execute(sql`select k.outcome, count(*)::int as count ${base} group by 1 order by 2 desc`),
  );
  const compensation = rowsOf(
    await db.execute(sql`select k.currency, sum(k.compensation_value)::float8 as total ${base}
                          and k.compensation_value is not null group by 1 order by 1`),
  );
  const page = toPage(rows, query.limit, presentComplaint, (row) => [at(row.created_at), String(row.id)]);
  const median = totals?.median_hours;
  return {
    ...page,
    summary: {
      total: Number(totals?.total ?? 0),
      open: Number(totals?.open ?? 0),
      medianHoursToResolution:
        median === null || median === undefined ? null : Math.round(Number(median) * 10) / 10,
      byCategory: byCategory.map((r) => ({ category: String(r.category), count: Number(r.count) })),
      byOutcome: byOutcome.map((r) => ({
        outcome: (r.outcome as string | null) ?? null,
        count: Number(r.count),
      })),
      compensation: compensation.map((r) => ({ currency: String(r.currency), total: Number(r.total) })),
    },
  };
}
