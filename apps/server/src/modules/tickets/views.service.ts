import type {
  CreateViewBody,
  FieldCondition,
  SlaFilterState,
  TicketPage,
  UpdateViewBody,
  View,
  ViewFilter,
  ViewList,
  ViewSort,
} from '@keepdesk/contract';
import {
  type AnyColumn,
  and,
  arrayContains,
  arrayOverlaps,
  asc,
  eq,
  gte,
  inArray,
  isNull,
  lt,
  not,
  or,
  type SQL,
  sql,
} from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import { type Executor, withTransaction } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { type Actor, recordChange } from '../../platform/events';
import { decodeCursor, encodeCursor } from '../../platform/pagination';
import { teamMemberships } from '../teams';
import { loadFieldDefinitions } from './fields.service';
import { presentTicket, selectTickets } from './tickets.service';
import { tickets, views } from './tickets.tables';
import type { Viewer } from './views.domain';

const COUNT_CAP = 10_000;

/** Who may do what with views: personal ones belong to their owner, shared ones to tickets:admin. */
export interface ViewActor {
  userId: string;
  canShare: boolean;
}

const given = <T>(values: readonly T[] | undefined): values is readonly T[] =>
  values !== undefined && values.length > 0;

/** The SQL condition of a filter for a viewer: the translation of `matchesView` (tested against it). */
export function viewCondition(filter: ViewFilter, viewer: Viewer): SQL | undefined {
  const parts: (SQL | undefined)[] = [];
  if (given(filter.statusCategory)) parts.push(inArray(tickets.statusCategory, [...filter.statusCategory]));
  if (given(filter.status)) parts.push(inArray(tickets.statusKey, [...filter.status]));
  if (given(filter.priority)) parts.push(inArray(tickets.priority, [...filter.priority]));
  if (given(filter.type)) parts.push(inArray(tickets.type, [...filter.type]));
  if (given(filter.channel)) parts.push(inArray(tickets.channel, [...filter.channel]));
  if (given(filter.assignee)) {
    const ids = filter.assignee.map((a) => (a === 'me' ? viewer.userId : a)).filter((a) => a !== 'none');
    parts.push(
      or(
        ids.length > 0 ? inArray(tickets.assigneeId, ids) : undefined,
        filter.assignee.includes('none') ? isNull(tickets.assigneeId) : undefined,
      ),
    );
  }
  if (given(filter.team)) {
    const ids = filter.team.flatMap((t) => (t === 'mine' ? [...viewer.teamIds] : t === 'none' ? [] : [t]));
    const alternatives = [
      ids.length > 0 ? inArray(tickets.teamId, ids) : undefined,
      filter.team.includes('none') ? isNull(tickets.teamId) : undefined,
    ].filter((c): c is SQL => c !== undefined);
    parts.push(alternatives.length > 0 ? or(...alternatives) : sql`false`);
  }
  if (given(filter.tagsAll)) parts.push(arrayContains(tickets.tags, [...filter.tagsAll]));
  if (given(filter.tagsAny)) parts.push(arrayOverlaps(tickets.tags, [...filter.tagsAny]));
  if (given(filter.tagsNone)) parts.push(not(arrayOverlaps(tickets.tags, [...filter.tagsNone])));
  if (given(filter.requesterId)) parts.push(inArray(tickets.requesterId, [...filter.requesterId]));
  if (given(filter.organizationId)) parts.push(inArray(tickets.organizationId, [...filter.organizationId]));
  if (filter.createdAfter) parts.push(gte(tickets.createdAt, new Date(filter.createdAfter)));
  if (filter.createdBefore) parts.push(lt(tickets.createdAt, new Date(filter.createdBefore)));
  if (filter.updatedAfter) parts.push(gte(tickets.updatedAt, new Date(filter.updatedAfter)));
  if (filter.updatedBefore) parts.push(lt(tickets.updatedAt, new Date(filter.updatedBefore)));
  for (const condition of filter.fields ?? []) parts.push(fieldCondition(condition, tickets.customFields));
  if (filter.customer && filter.customer.length > 0) {
    const attributes = sql.raw('requester.attributes');
    parts.push(sql`exists (select 1 from contacts requester where requester.id = ${tickets.requesterId}
      and ${and(...filter.customer.map((c) => fieldCondition(c, attributes)))})`);
  }
  if (given(filter.sla)) parts.push(or(...filter.sla.map((state) => slaCondition(state, viewer.now))));
  return and(...parts);
}

/** One SLA state in SQL, the translation of `slaStateAt`. */
function slaCondition(state: SlaFilterState, now: Date): SQL {
  const at = sql`${now.toISOString()}::timestamptz`;
  const running = sql`${tickets.slaPolicyId} is not null and ${tickets.slaStatus} = 'running'`;
  const due = sql`(${tickets.slaDueAt} is not null and ${tickets.slaDueAt} <= ${at})`;
  const risky = sql`(${tickets.slaAtRiskAt} is not null and ${tickets.slaAtRiskAt} <= ${at})`;
  switch (state) {
    case 'none':
      return sql`(${tickets.slaPolicyId} is null or ${tickets.slaStatus} is null)`;
    case 'breached':
      return sql`((${running} and ${due}) or (${tickets.slaPolicyId} is not null and ${tickets.slaStatus} = 'breached'))`;
    case 'at_risk':
      return sql`(${running} and not ${due} and ${risky})`;
    case 'on_track':
      return sql`(${running} and not ${due} and not ${risky})`;
    case 'paused':
    case 'met':
      return sql`(${tickets.slaPolicyId} is not null and ${tickets.slaStatus} = ${state})`;
  }
}

/**
 * One condition on a JSON object column (custom fields, a contact's attributes) in SQL: containment (`@>`) and
 * key existence (`?`) use a GIN index where there is one.
 */
export function fieldCondition(condition: FieldCondition, column: SQL | AnyColumn): SQL {
  const { key } = condition;
  const value = sql`(${column} -> ${key})`;
  const contains = (object: object) => sql`${column} @> ${JSON.stringify(object)}::jsonb`;
  switch (condition.op) {
    case 'set':
      return sql`${column} ? ${key}`;
    case 'unset':
      return sql`not (${column} ? ${key})`;
    case 'in':
      // A scalar value equals one of the values, or a multiselect list holds one of them.
      return or(...condition.values.flatMap((v) => [contains({ [key]: v }), contains({ [key]: [v] })]))!;
    case 'gte':
    case 'lte': {
      const op = condition.op === 'gte' ? sql`>=` : sql`<=`;
      return typeof condition.value === 'number'
        ? sql`(case when jsonb_typeof(${value}) = 'number' then (${value})::numeric ${op} ${condition.value} else false end)`
        : sql`(case when jsonb_typeof(${value}) = 'string' then (${column} ->> ${key}) collate "C" ${op} ${condition.value} else false end)`;
    }
  }
}

const PRIORITY_RANK = sql`(case ${tickets.priority} when 'urgent' then 4 when 'high' then 3 when 'normal' then 2 when 'low' then 1 else 0 end)`;

function sortKey(sort: ViewSort): { expr: SQL; cast: string } {
  switch (sort.field) {
    case 'createdAt':
      return { expr: sql`${tickets.createdAt}`, cast: 'timestamptz' };
    case 'number':
      return { expr: sql`${tickets.number}`, cast: 'bigint' };
    case 'priority':
      return { expr: PRIORITY_RANK, cast: 'int' };
    case 'slaDueAt':
      // Tickets without a running SLA clock sort after every due time.
      return { expr: sql`coalesce(${tickets.slaDueAt}, 'infinity'::timestamptz)`, cast: 'timestamptz' };
    default:
      return { expr: sql`${tickets.updatedAt}`, cast: 'timestamptz' };
  }
}

/** A page of a filter's tickets in the view's order; the cursor holds the last row's sort key, never an offset. */
export async function ticketsMatching(
  executor: Executor,
  filter: ViewFilter,
  sort: ViewSort,
  viewer: Viewer,
  page: { cursor?: string; limit: number },
  extra?: SQL,
): Promise<TicketPage> {
  const { expr, cast } = sortKey(sort);
  // NULLS LAST / FIRST as in the indexes (`desc()` indexes are DESC NULLS LAST), so an index walks the order.
  const direction = sort.direction === 'asc' ? sql`asc nulls first` : sql`desc nulls last`;
  const conditions = [viewCondition(filter, viewer), extra];
  if (page.cursor) {
    const [key, id] = decodeCursor(page.cursor, 2);
    const after = sort.direction === 'asc' ? sql`>` : sql`<`;
    conditions.push(
      sql`(${expr}, ${tickets.id}) ${after} (${String(key)}::${sql.raw(cast)}, ${String(id)}::uuid)`,
    );
  }
  // One statement: the page's ids in a subquery (one index walk, limited), the names joined for those rows
  // only — joining before the limit would join every matching ticket.
  const pageIds = executor
    .select({ id: tickets.id })
    .from(tickets)
    .where(and(...conditions))
    .orderBy(sql`${expr} ${direction}`, sql`${tickets.id} ${direction}`)
    .limit(page.limit + 1);
  const rows = await selectTickets(executor, expr)
    .where(inArray(tickets.id, pageIds))
    .orderBy(sql`${expr} ${direction}`, sql`${tickets.id} ${direction}`);
  const hasMore = rows.length > page.limit;
  const pageRows = hasMore ? rows.slice(0, page.limit) : rows;
  const last = pageRows.at(-1);
  return {
    items: pageRows.map(presentTicket),
    nextCursor: hasMore && last ? encodeCursor([last.sortKey, last.ticket.id]) : null,
  };
}

/** The viewer's teams, for `mine` in filters. */
export async function viewerOf(executor: Executor, userId: string, now = new Date()): Promise<Viewer> {
  const rows = await executor
    .select({ teamId: teamMemberships.teamId })
    .from(teamMemberships)
    .where(eq(teamMemberships.userId, userId));
  return { userId, teamIds: rows.map((r) => r.teamId), now };
}

type ViewRow = typeof views.$inferSelect;

async function countOf(executor: Executor, filter: ViewFilter, viewer: Viewer): Promise<number> {
  const inner = executor
    .select({ one: sql`1` })
    .from(tickets)
    .where(viewCondition(filter, viewer))
    .limit(COUNT_CAP + 1)
    .as('capped');
  const [row] = await executor.select({ n: sql<number>`count(*)::int` }).from(inner);
  return Number(row?.n ?? 0);
}

async function presentView(executor: Executor, row: ViewRow, viewer: Viewer): Promise<View> {
  const filter = row.filter as ViewFilter;
  const count = await countOf(executor, filter, viewer);
  return {
    id: row.id,
    name: row.name,
    builtIn: row.builtIn,
    shared: row.ownerId === null,
    ownerId: row.ownerId,
    filter,
    sort: row.sort as ViewSort,
    position: row.position,
    count: Math.min(count, COUNT_CAP),
    countCapped: count > COUNT_CAP,
  };
}

/** Shared views and the viewer's own, in their order, each with its live count. */
export async function listViews(deps: Deps, userId: string): Promise<ViewList> {
  const db = deps.database.db;
  const viewer = await viewerOf(db, userId);
  const rows = await db
    .select()
    .from(views)
    .where(or(isNull(views.ownerId), eq(views.ownerId, userId)))
    .orderBy(asc(views.position), asc(views.name), asc(views.id));
  return { items: await Promise.all(rows.map((row) => presentView(db, row, viewer))) };
}

async function loadView(executor: Executor, id: string, userId: string): Promise<ViewRow> {
  const [row] = await executor.select().from(views).where(eq(views.id, id));
  if (!row || (row.ownerId !== null && row.ownerId !== userId)) throw notFound('view', id);
  return row;
}

export async function getView(deps: Deps, id: string, userId: string): Promise<View> {
  const db = deps.database.db;
  return presentView(db, await loadView(db, id, userId), await viewerOf(db, userId));
}

export async function viewTickets(
  deps: Deps,
  id: string,
  userId: string,
  page: { cursor?: string; limit: number },
): Promise<TicketPage> {
  const db = deps.database.db;
  // Independent reads, side by side (two connections on PostgreSQL).
  const [row, viewer] = await Promise.all([loadView(db, id, userId), viewerOf(db, userId)]);
  return ticketsMatching(db, row.filter as ViewFilter, row.sort as ViewSort, viewer, page);
}

function assertMayChange(row: ViewRow, who: ViewActor): void {
  if (row.ownerId === null && !who.canShare) {
    throw new AppError('FORBIDDEN', { message: 'changing shared views needs the tickets:admin permission' });
  }
}

/** A view may only name custom fields that exist. */
async function assertFieldsExist(executor: Executor, filter: ViewFilter): Promise<void> {
  if (!filter.fields?.length) return;
  const known = new Set((await loadFieldDefinitions(executor)).map((f) => f.key));
  const unknown = filter.fields.filter((c) => !known.has(c.key));
  if (unknown.length > 0) {
    throw new AppError('VALIDATION_FAILED', {
      message: `no custom field ${unknown.map((c) => c.key).join(', ')}`,
      errors: unknown.map((c) => ({ field: `filter.fields.${c.key}`, message: 'no such field' })),
    });
  }
}

export async function createView(
  deps: Deps,
  actor: Actor,
  who: ViewActor,
  input: CreateViewBody,
): Promise<View> {
  if (input.shared && !who.canShare) {
    throw new AppError('FORBIDDEN', { message: 'sharing views needs the tickets:admin permission' });
  }
  return withTransaction(deps.database, async (tx) => {
    await assertFieldsExist(tx, input.filter);
    const [row] = await tx
      .insert(views)
      .values({
        name: input.name,
        ownerId: input.shared ? null : who.userId,
        filter: input.filter,
        sort: input.sort,
      })
      .returning();
    await recordChange(tx, actor, {
      action: 'view.created',
      entityType: 'view',
      entityId: row!.id,
      data: { name: input.name, shared: input.shared },
    });
    return presentView(tx, row!, await viewerOf(tx, who.userId));
  });
}

export async function updateView(
  deps: Deps,
  actor: Actor,
  who: ViewActor,
  id: string,
  input: UpdateViewBody,
): Promise<View> {
  return withTransaction(deps.database, async (tx) => {
    const before = await loadView(tx, id, who.userId);
    assertMayChange(before, who);
    if (input.filter) await assertFieldsExist(tx, input.filter);
    const [row] = await tx
      .update(views)
      .set({ ...input, updatedAt: deps.now() })
      .where(eq(views.id, id))
      .returning();
    await recordChange(tx, actor, {
      action: 'view.updated',
      entityType: 'view',
      entityId: id,
      data: Object.fromEntries(
        Object.keys(input).map((key) => [
          key,
          { from: before[key as keyof ViewRow], to: row![key as keyof ViewRow] },
        ]),
      ),
    });
    return presentView(tx, row!, await viewerOf(tx, who.userId));
  });
}

export async function deleteView(deps: Deps, actor: Actor, who: ViewActor, id: string): Promise<void> {
  await withTransaction(deps.database, async (tx) => {
    const row = await loadView(tx, id, who.userId);
    assertMayChange(row, who);
    if (row.builtIn) {
      throw new AppError('CONFLICT', { message: 'a default view can be renamed or moved, not deleted' });
    }
    await tx.delete(views).where(eq(views.id, id));
    await recordChange(tx, actor, {
      action: 'view.deleted',
      entityType: 'view',
      entityId: id,
      data: { name: row.name },
    });
  });
}
