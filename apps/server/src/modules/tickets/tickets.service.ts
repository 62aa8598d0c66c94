import type {
  CreatedTicket,
  CreateTicketBody,
  CreateTicketStatusBody,
  FieldValue,
  Message,
  StatusCategory,
  TagList,
  TagQuery,
  Ticket,
  TicketEvent,
  TicketPage,
  TicketQuery,
  TicketStatus,
  UpdateTicketBody,
} from '@keepdesk/contract';
import { STATUS_CATEGORIES } from '@keepdesk/contract';
import {
  and,
  arrayContains,
  asc,
  desc,
  eq,
  gt,
  inArray,
  isNull,
  lt,
  ne,
  or,
  type SQL,
  sql,
} from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import { type Executor, type Tx, withTransaction } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { type Actor, changeCtes, NOTIFY_OUTBOX, recordChange, SYSTEM_ACTOR } from '../../platform/events';
import { sanitizeMessage } from '../../platform/html';
import { decodeCursor, toPage } from '../../platform/pagination';
import { users } from '../auth';
import {
  contactIdentities,
  contacts,
  normalizeEmail,
  organizations,
  requesterByEmail,
  requesterById,
} from '../customers';
import { notify } from '../notifications';
import { teamMemberships, teamNameOrFail, teams } from '../teams';
import { attachmentsOf, bindAttachments } from './attachments.service';
import { fieldChanges } from './fields.domain';
import { assertSolvable, loadFieldDefinitions, resolveFieldInput } from './fields.service';
import { addFollowers, assertActiveUsers, notifyOfMessage } from './followers.service';
import { addEvents } from './history.service';
import {
  detectLanguage,
  extractMentions,
  type FieldChange,
  initialStatusKey,
  normalizeTags,
  planUpdate,
  statusAfterAgentReply,
  type TicketState,
} from './tickets.domain';
import { attachments, tags, ticketEvents, ticketMessages, ticketStatuses, tickets } from './tickets.tables';
import { slaStateAt } from './views.domain';

const isSolved = (category: string) => category === 'solved' || category === 'closed';

// ── reading ─────────────────────────────────────────────────────────────────────────────────────────────

const primaryEmail = sql<string | null>`(select ci.value from ${contactIdentities} ci
  where ci.contact_id = "tickets"."requester_id" and ci.kind = 'email'
  order by ci.is_primary desc, ci.created_at limit 1)`;

const ticketColumns = {
  ticket: tickets,
  requesterName: contacts.name,
  requesterEmail: primaryEmail,
  organizationName: organizations.name,
  assigneeName: users.name,
  teamName: teams.name,
};

/** Tickets with the names of requester, organisation, assignee and team; `sortKey` is a view's sort value as text. */
export function selectTickets(executor: Executor, sortKey: SQL = sql`null`) {
  return executor
    .select({ ...ticketColumns, sortKey: sql<string>`(${sortKey})::text` })
    .from(tickets)
    .innerJoin(contacts, eq(contacts.id, tickets.requesterId))
    .leftJoin(organizations, eq(organizations.id, tickets.organizationId))
    .leftJoin(users, eq(users.id, tickets.assigneeId))
    .leftJoin(teams, eq(teams.id, tickets.teamId));
}

type TicketRow = Awaited<ReturnType<ReturnType<typeof selectTickets>['execute']>>[number];

export function presentTicket(row: TicketRow): Ticket {
  const t = row.ticket;
  const email = row.requesterEmail;
  return {
    id: t.id,
    number: Number(t.number),
    subject: t.subject,
    status: t.statusKey,
    statusCategory: t.statusCategory as StatusCategory,
    priority: t.priority as Ticket['priority'],
    type: t.type as Ticket['type'],
    channel: t.channel as Ticket['channel'],
    language: t.language === 'de' ? 'de' : 'en',
    requester: {
      id: t.requesterId,
      name: row.requesterName || (email ? email.slice(0, email.indexOf('@')) : ''),
      email,
    },
    organization:
      t.organizationId && row.organizationName ? { id: t.organizationId, name: row.organizationName } : null,
    assignee: t.assigneeId && row.assigneeName ? { id: t.assigneeId, name: row.assigneeName } : null,
    team: t.teamId && row.teamName ? { id: t.teamId, name: row.teamName } : null,
    tags: t.tags,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
    solvedAt: t.solvedAt?.toISOString() ?? null,
    messageCount: t.messageCount,
    parentId: t.parentId,
    mergedIntoId: t.mergedIntoId,
    customFields: t.customFields,
    sla: slaOf(t, new Date()),
  };
}

/**
 * Routing: gives a ticket that still waits in a team's queue (no assignee, not solved) to the agent `choose`
 * picks, under the ticket's row lock, in one transaction; `choose` may take further locks in it. Null when
 * the ticket needs no routing or nobody was picked.
 */
export async function routeTicket(
  deps: Deps,
  actor: Actor,
  ticketId: string,
  choose: (ticket: typeof tickets.$inferSelect, tx: Tx) => Promise<string | null>,
): Promise<string | null> {
  return withTransaction(deps.database, async (tx) => {
    const [locked] = await selectTickets(tx).where(eq(tickets.id, ticketId)).for('update', { of: tickets });
    const row = locked?.ticket;
    if (!row || row.assigneeId || !row.teamId || row.mergedIntoId || isSolved(row.statusCategory))
      return null;
    const agentId = await choose(row, tx);
    if (!agentId) return null;
    await applyUpdate(tx, deps, actor, ticketId, { assigneeId: agentId }, locked);
    return agentId;
  });
}

/** The SLA state of a ticket now (on_track, at_risk, breached, paused, met), or null without an SLA. */
export function slaStateOf(
  t: Pick<typeof tickets.$inferSelect, 'slaPolicyId' | 'slaStatus' | 'slaDueAt' | 'slaAtRiskAt'>,
  now: Date,
): string | null {
  const state = slaStateAt(t, now);
  return state === 'none' ? null : state;
}

/** The SLA as it stands now: the stored status and times, read against the clock. */
function slaOf(t: typeof tickets.$inferSelect, now: Date): Ticket['sla'] {
  const state = slaStateOf(t, now);
  if (!state || !t.slaPolicyId) return null;
  return {
    state: state as NonNullable<Ticket['sla']>['state'],
    dueAt: t.slaDueAt?.toISOString() ?? null,
    atRiskAt: t.slaAtRiskAt?.toISOString() ?? null,
    policyId: t.slaPolicyId,
  };
}

/** The SLA module's summary of a ticket's clocks; true when it changed (pages showing it then refresh). */
export async function setSlaSummary(
  executor: Executor,
  ticketId: string,
  summary: {
    policyId: string | null;
    status: 'running' | 'paused' | 'met' | 'breached' | null;
    dueAt: Date | null;
    atRiskAt: Date | null;
  },
): Promise<boolean> {
  const changed = await executor
    .update(tickets)
    .set({
      slaPolicyId: summary.policyId,
      slaStatus: summary.status,
      slaDueAt: summary.dueAt,
      slaAtRiskAt: summary.atRiskAt,
    })
    .where(
      and(
        eq(tickets.id, ticketId),
        sql`(${tickets.slaPolicyId}, ${tickets.slaStatus}, ${tickets.slaDueAt}, ${tickets.slaAtRiskAt})
          is distinct from (${summary.policyId}::uuid, ${summary.status}::text, ${summary.dueAt}::timestamptz,
          ${summary.atRiskAt}::timestamptz)`,
      ),
    )
    .returning({ id: tickets.id });
  return changed.length > 0;
}

export async function loadTicket(executor: Executor, id: string): Promise<Ticket> {
  const [row] = await selectTickets(executor).where(eq(tickets.id, id));
  if (!row) throw notFound('ticket', id);
  return presentTicket(row);
}

export function getTicket(deps: Deps, id: string): Promise<Ticket> {
  return loadTicket(deps.database.db, id);
}

/** Tickets by filters, most recently updated first, a page at a time (keyset on updated_at, id). */
export async function listTickets(deps: Deps, viewerId: string, query: TicketQuery): Promise<TicketPage> {
  const conditions: SQL[] = [];
  if (query.statusCategory) {
    const categories = query.statusCategory.split(',').map((c) => c.trim());
    const unknown = categories.filter((c) => !(STATUS_CATEGORIES as readonly string[]).includes(c));
    if (unknown.length > 0) {
      throw new AppError('VALIDATION_FAILED', {
        message: `unknown status category ${unknown.join(', ')}`,
        errors: [{ field: 'statusCategory', message: `one of ${STATUS_CATEGORIES.join(', ')}` }],
      });
    }
    conditions.push(inArray(tickets.statusCategory, categories));
  }
  if (query.assignee === 'me') conditions.push(eq(tickets.assigneeId, viewerId));
  else if (query.assignee === 'none') conditions.push(isNull(tickets.assigneeId));
  else if (query.assignee) {
    if (!/^[0-9a-f-]{36}$/i.test(query.assignee)) {
      throw new AppError('VALIDATION_FAILED', {
        message: 'assignee must be me, none or a user id',
        errors: [{ field: 'assignee', message: 'me, none or a user id' }],
      });
    }
    conditions.push(eq(tickets.assigneeId, query.assignee));
  }
  if (query.teamId) conditions.push(eq(tickets.teamId, query.teamId));
  if (query.requesterId) conditions.push(eq(tickets.requesterId, query.requesterId));
  if (query.organizationId) conditions.push(eq(tickets.organizationId, query.organizationId));
  if (query.tag) conditions.push(arrayContains(tickets.tags, [query.tag.toLowerCase()]));
  if (query.number !== undefined) conditions.push(eq(tickets.number, query.number));
  if (query.cursor) {
    const [updatedAt, id] = decodeCursor(query.cursor, 2);
    const at = new Date(String(updatedAt));
    conditions.push(
      or(lt(tickets.updatedAt, at), and(eq(tickets.updatedAt, at), lt(tickets.id, String(id))))!,
    );
  }
  const rows = await selectTickets(deps.database.db)
    .where(and(...conditions))
    .orderBy(sql`${tickets.updatedAt} desc nulls last`, sql`${tickets.id} desc nulls last`)
    .limit(query.limit + 1);
  return toPage(rows, query.limit, presentTicket, (r) => [r.ticket.updatedAt.toISOString(), r.ticket.id]);
}

// ── tags ──

/** Adds tags to the list of known tags (suggestions, `GET /tags`). */
export async function rememberTags(tx: Executor, names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  await tx
    .insert(tags)
    .values(names.map((name) => ({ name })))
    .onConflictDoNothing();
}

/** Known tags in alphabetical order, optionally those starting with `q`. */
export async function listTags(deps: Deps, query: TagQuery): Promise<TagList> {
  const rows = await deps.database.db
    .select({ name: tags.name })
    .from(tags)
    .where(query.q ? sql`${tags.name} like ${`${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}` : undefined)
    .orderBy(sql`${tags.name} collate "C"`)
    .limit(query.limit);
  return { items: rows };
}

// ── statuses ────────────────────────────────────────────────────────────────────────────────────────────

function presentStatus(row: typeof ticketStatuses.$inferSelect): TicketStatus {
  return {
    key: row.key,
    category: row.category as StatusCategory,
    nameEn: row.nameEn,
    nameDe: row.nameDe,
    isBuiltIn: row.isBuiltIn,
    position: row.position,
  };
}

export async function listStatuses(deps: Deps): Promise<{ items: TicketStatus[] }> {
  const rows = await deps.database.db
    .select()
    .from(ticketStatuses)
    .orderBy(asc(ticketStatuses.position), asc(ticketStatuses.key));
  return { items: rows.map(presentStatus) };
}

export async function createStatus(
  deps: Deps,
  actor: Actor,
  input: CreateTicketStatusBody,
): Promise<TicketStatus> {
  return withTransaction(deps.database, async (tx) => {
    const [clash] = await tx.select().from(ticketStatuses).where(eq(ticketStatuses.key, input.key));
    if (clash) {
      throw new AppError('CONFLICT', {
        message: `status ${input.key} exists`,
        errors: [{ field: 'key', message: 'already in use' }],
      });
    }
    const base = STATUS_CATEGORIES.indexOf(input.category) * 10 + 10;
    const [row] = await tx
      .insert(ticketStatuses)
      .values({ ...input, isBuiltIn: false, position: base + 5 })
      .returning();
    await recordChange(tx, actor, {
      action: 'ticket_status.created',
      entityType: 'ticket_status',
      entityId: input.key,
      data: { category: input.category },
    });
    return presentStatus(row!);
  });
}

async function resolveStatus(
  executor: Executor,
  key: string,
): Promise<{ key: string; category: StatusCategory }> {
  const [row] = await executor.select().from(ticketStatuses).where(eq(ticketStatuses.key, key));
  if (!row) {
    throw new AppError('VALIDATION_FAILED', {
      message: `unknown status ${key}`,
      errors: [{ field: 'status', message: 'no such status' }],
    });
  }
  return { key: row.key, category: row.category as StatusCategory };
}

// ── checks on references ────────────────────────────────────────────────────────────────────────────────

/** An assignee must be an active user and, when the ticket has a team, a member of it; gives their name. */
export async function assertAssignee(
  executor: Executor,
  assigneeId: string | null,
  teamId: string | null,
): Promise<string | null> {
  if (!assigneeId) return null;
  // The user and, with a team, their membership in one round trip.
  const [user] = await executor
    .select({
      id: users.id,
      isActive: users.isActive,
      name: users.name,
      isMember: teamId
        ? sql<boolean>`exists (select 1 from ${teamMemberships} m
            where m.team_id = ${teamId}::uuid and m.user_id = ${users.id})`
        : sql<boolean>`true`,
    })
    .from(users)
    .where(eq(users.id, assigneeId));
  if (!user?.isActive) {
    throw new AppError('VALIDATION_FAILED', {
      message: `assignee ${assigneeId} is not an active user`,
      errors: [{ field: 'assigneeId', message: 'no such active user' }],
    });
  }
  if (!user.isMember) {
    throw new AppError('VALIDATION_FAILED', {
      message: 'the assignee is not a member of the ticket team',
      errors: [{ field: 'assigneeId', message: 'not a member of the team' }],
    });
  }
  return user.name;
}

async function contactOrganization(executor: Executor, contactId: string) {
  const [row] = await executor
    .select({
      id: contacts.id,
      organizationId: contacts.organizationId,
      language: contacts.language,
      mergedIntoId: contacts.mergedIntoId,
    })
    .from(contacts)
    .where(eq(contacts.id, contactId));
  if (!row || row.mergedIntoId) {
    throw new AppError('VALIDATION_FAILED', {
      message: `contact ${contactId} does not exist`,
      errors: [{ field: 'requester', message: 'no such contact' }],
    });
  }
  return row;
}

// ── search documents ──

/** The stemming of a ticket's language, plus `simple` so exact words (names, numbers, codes) match too. */
function configOf(language: string): SQL {
  return language === 'de' ? sql`'german'::regconfig` : sql`'english'::regconfig`;
}

export function ticketVector(language: string, subject: string): SQL {
  return sql`setweight(to_tsvector(${configOf(language)}, ${subject}), 'A') || setweight(to_tsvector('simple', ${subject}), 'A')`;
}

export function messageVector(language: string, text: string): SQL {
  return sql`to_tsvector(${configOf(language)}, ${text}) || to_tsvector('simple', ${text})`;
}

// ── writing ─────────────────────────────────────────────────────────────────────────────────────────────

type MessageRow = typeof ticketMessages.$inferSelect;

async function presentMessages(executor: Executor, rows: MessageRow[]): Promise<Message[]> {
  const userIds = [...new Set(rows.map((r) => r.authorUserId).filter((id): id is string => id !== null))];
  const contactIds = [
    ...new Set(rows.map((r) => r.authorContactId).filter((id): id is string => id !== null)),
  ];
  const userNames =
    userIds.length > 0
      ? await executor
          .select({ id: users.id, name: users.name })
          .from(users)
          .where(inArray(users.id, userIds))
      : [];
  const contactNames =
    contactIds.length > 0
      ? await executor
          .select({ id: contacts.id, name: contacts.name })
          .from(contacts)
          .where(inArray(contacts.id, contactIds))
      : [];
  const files = await attachmentsOf(
    executor,
    rows.map((r) => r.id),
  );
  return rows.map((row) => {
    const authorId = row.authorUserId ?? row.authorContactId;
    const name =
      userNames.find((u) => u.id === row.authorUserId)?.name ??
      contactNames.find((c) => c.id === row.authorContactId)?.name ??
      '';
    return {
      id: row.id,
      ticketId: row.ticketId,
      visibility: row.visibility,
      authorKind: row.authorKind,
      author: { id: authorId, name },
      bodyHtml: row.bodyHtml,
      bodyText: row.bodyText,
      channel: row.channel as Message['channel'],
      createdAt: row.createdAt.toISOString(),
      attachments: files.get(row.id) ?? [],
      originalUrl: originalUrlOf(row.externalRef),
    };
  });
}

/** Where the raw original of a message from outside is kept (e-mails: their inbound record). */
function originalUrlOf(externalRef: string | null): string | null {
  return externalRef?.startsWith('email:')
    ? `/api/v1/channels/email/inbound/${externalRef.slice('email:'.length)}/raw`
    : null;
}

/** The text search configuration for a language given as SQL. */
const configSql = (language: SQL) =>
  sql`(case when ${language} = 'de' then 'german'::regconfig else 'english'::regconfig end)`;

interface NewTicket {
  input: CreateTicketBody;
  body: { html: string; text: string };
  detected: 'de' | 'en' | null;
  status: { key: string; category: StatusCategory };
  customFields: Record<string, unknown>;
  byAgent: boolean;
  externalRef: string | null;
  now: Date;
}

/**
 * Writes a ticket, its first message, its `created` event, the audit row and the outbox event in one
 * statement (one round trip, atomic without an explicit transaction). The requester is looked up inside it:
 * by id, or by e-mail address among known contacts; when there is none, nothing is written and null returned.
 */
async function insertTicket(
  executor: Executor,
  actor: Actor,
  t: NewTicket,
  requester: { id: string } | { email: string },
) {
  const { input, body, status, now } = t;
  const who =
    'id' in requester
      ? sql`c.id = ${requester.id}::uuid`
      : sql`c.id = (select contact_id from ${contactIdentities} where kind = 'email' and value = ${normalizeEmail(requester.email)})`;
  const language = sql`coalesce(${t.detected}::text, case when r.language = 'de' then 'de' else 'en' end)`;
  const solvedAt = isSolved(status.category) ? now : null;
  const ctes = changeCtes(actor, {
    action: 'ticket.created',
    entityType: 'ticket',
    entityId: sql`t.id`,
    data: sql`jsonb_build_object('number', t.number, 'subject', t.subject)`,
    from: sql`from t`,
  });
  const result = await executor.execute(sql`
    with r as (
      select c.id, c.name, c.language, c.organization_id, o.name as organization_name,
             (select ci.value from ${contactIdentities} ci where ci.contact_id = c.id and ci.kind = 'email'
              order by ci.is_primary desc, ci.created_at limit 1) as email
      from ${contacts} c left join ${organizations} o on o.id = c.organization_id
      where ${who} and c.merged_into_id is null
    ), t as (
      insert into ${tickets} (subject, status_key, status_category, priority, type, channel, language, requester_id,
        organization_id, assignee_id, team_id, tags, custom_fields, search_vector, message_count, created_at,
        updated_at, solved_at)
      select ${input.subject}::text, ${status.key}::text, ${status.category}::text, ${input.priority}::text,
        ${input.type}::text, ${input.channel}::text, ${language}, r.id, r.organization_id, ${input.assigneeId}::uuid,
        ${input.teamId}::uuid, ${`{${normalizeTags(input.tags)
          .map((tag) => JSON.stringify(tag))
          .join(',')}}`}::text[],
        ${JSON.stringify(t.customFields)}::jsonb,
        setweight(to_tsvector(${configSql(language)}, ${input.subject}::text), 'A')
          || setweight(to_tsvector('simple', ${input.subject}::text), 'A'),
        1, ${now}::timestamptz, ${now}::timestamptz, ${solvedAt}::timestamptz
      from r
      returning id, number, subject, status_key, status_category, priority, type, channel, language, requester_id,
        organization_id, assignee_id, team_id, tags, custom_fields, message_count, created_at, updated_at,
        solved_at, closed_at
    ), m as (
      insert into ${ticketMessages} (ticket_id, visibility, author_kind, author_user_id, author_contact_id, body_html,
        body_text, channel, external_ref, created_at, search_vector)
      select t.id, ${input.message.visibility}::text, ${t.byAgent ? 'agent' : 'contact'}::text,
        ${t.byAgent ? actor.userId : null}::uuid, ${t.byAgent ? sql`null::uuid` : sql`t.requester_id`}, ${body.html}::text,
        ${body.text}::text, t.channel, ${t.externalRef}::text, t.created_at,
        to_tsvector(${configSql(sql`t.language`)}, ${body.text}::text) || to_tsvector('simple', ${body.text}::text)
      from t
      returning id
    ), known_tags as (
      insert into ${tags} (name) select unnest(t.tags) from t on conflict do nothing
    ), e as (
      insert into ${ticketEvents} (ticket_id, kind, to_value, actor_kind, actor_user_id)
      select t.id, 'created', jsonb_build_object('number', t.number, 'status', t.status_key, 'channel', t.channel),
        ${actor.kind}::text, ${actor.userId}::uuid
      from t
    ), ${ctes}
    select t.*, m.id as message_id, r.name as requester_name, r.email as requester_email,
      r.organization_name, ${NOTIFY_OUTBOX} as notified
    from t, m, r`);
  // Both drivers answer with `rows`; the row is read by column name below.
  const row = (result as unknown as { rows: Record<string, unknown>[] }).rows[0];
  if (!row) return null;
  const date = (value: unknown) => (value === null || value === undefined ? null : new Date(value as string));
  const ticketRow: typeof tickets.$inferSelect = {
    id: String(row.id),
    number: Number(row.number),
    subject: String(row.subject),
    statusKey: String(row.status_key),
    statusCategory: String(row.status_category),
    priority: String(row.priority),
    type: String(row.type),
    channel: String(row.channel),
    language: String(row.language),
    requesterId: String(row.requester_id),
    organizationId: (row.organization_id as string | null) ?? null,
    assigneeId: (row.assignee_id as string | null) ?? null,
    teamId: (row.team_id as string | null) ?? null,
    tags: row.tags as string[],
    messageCount: Number(row.message_count),
    createdAt: date(row.created_at)!,
    updatedAt: date(row.updated_at)!,
    solvedAt: date(row.solved_at),
    closedAt: date(row.closed_at),
    mergedIntoId: null,
    parentId: null,
    searchVector: null,
    customFields: row.custom_fields as Record<string, FieldValue>,
    slaPolicyId: null,
    slaDueAt: null,
    slaAtRiskAt: null,
    slaStatus: null,
  };
  return {
    ticket: ticketRow,
    messageId: String(row.message_id),
    requesterName: String(row.requester_name ?? ''),
    requesterEmail: (row.requester_email as string | null) ?? null,
    organizationName: (row.organization_name as string | null) ?? null,
  };
}

/**
 * Creates a ticket with its first message; a requester given by address is found or created. The hot path of
 * every channel: checks read only what was given, and a known requester costs no extra round trip.
 * `externalRef` names the message's origin outside Keepdesk; a second ticket from the same origin fails
 * with a unique violation (see `messageByExternalRef`).
 */
export async function createTicket(
  deps: Deps,
  actor: Actor,
  input: CreateTicketBody,
  options: { externalRef?: string } = {},
): Promise<CreatedTicket> {
  const db = deps.database.db;
  const body = sanitizeMessage(input.message.body);
  const detected = detectLanguage(`${input.subject}\n${body.text}`);
  const teamName = await teamNameOrFail(db, input.teamId);
  const assigneeName = await assertAssignee(db, input.assigneeId, input.teamId);
  const initial = initialStatusKey(input.assigneeId);
  const status = input.status ? await resolveStatus(db, input.status) : { key: initial, category: initial };
  const solved = isSolved(status.category);
  let customFields = {};
  if (Object.keys(input.customFields).length > 0 || solved) {
    const definitions = await loadFieldDefinitions(db);
    customFields = resolveFieldInput(definitions, {}, input.customFields);
    if (solved) assertSolvable(definitions, customFields);
  }
  const byAgent = (input.channel === 'agent' || input.channel === 'phone') && actor.userId !== null;
  const planned: NewTicket = {
    input,
    body,
    detected,
    status,
    customFields,
    byAgent,
    externalRef: options.externalRef ?? null,
    now: deps.now(),
  };
  let created = await insertTicket(db, actor, planned, input.requester);
  if (!created) {
    // A new address (the contact is created first), or a merged or unknown contact id.
    const given = input.requester;
    const requester =
      'id' in given
        ? await requesterById(db, given.id)
        : await withTransaction(deps.database, (tx) =>
            requesterByEmail(tx, actor, given.email, given.name, detected ?? 'en'),
          );
    if (!requester) {
      throw new AppError('VALIDATION_FAILED', {
        message: `contact ${'id' in input.requester ? input.requester.id : ''} does not exist`,
        errors: [{ field: 'requester', message: 'no such contact' }],
      });
    }
    created = await insertTicket(db, actor, planned, { id: requester.id });
    if (!created) throw new Error(`contact ${requester.id} vanished while its ticket was written`);
  }
  const ticket = presentTicket({ ...created, assigneeName, teamName, sortKey: '' });
  const firstMessage: Message = {
    id: created.messageId,
    ticketId: ticket.id,
    visibility: input.message.visibility,
    authorKind: byAgent ? 'agent' : 'contact',
    author: byAgent
      ? { id: actor.userId, name: (await userName(db, actor.userId)) ?? '' }
      : { id: ticket.requester.id, name: ticket.requester.name },
    bodyHtml: body.html,
    bodyText: body.text,
    channel: input.channel,
    createdAt: ticket.createdAt,
    attachments: [],
    originalUrl: originalUrlOf(options.externalRef ?? null),
  };
  return { ...ticket, firstMessage };
}

async function userName(executor: Executor, id: string | null): Promise<string | null> {
  if (!id) return null;
  const [row] = await executor.select({ name: users.name }).from(users).where(eq(users.id, id));
  return row?.name ?? null;
}

/** The ticket with the names it is shown with, locked for the rest of the transaction. */
export async function lockTicket(tx: Tx, id: string): Promise<TicketRow> {
  const [row] = await selectTickets(tx).where(eq(tickets.id, id)).for('update', { of: tickets });
  if (!row) throw notFound('ticket', id);
  return row;
}

export async function lockState(tx: Tx, id: string) {
  const [row] = await tx.select().from(tickets).where(eq(tickets.id, id)).for('update');
  if (!row) throw notFound('ticket', id);
  return row;
}

function stateOf(row: typeof tickets.$inferSelect): TicketState {
  return {
    subject: row.subject,
    statusKey: row.statusKey,
    statusCategory: row.statusCategory as StatusCategory,
    priority: row.priority,
    type: row.type,
    assigneeId: row.assigneeId,
    teamId: row.teamId,
    tags: row.tags,
    requesterId: row.requesterId,
    solvedAt: row.solvedAt,
    closedAt: row.closedAt,
  };
}

export const closedError = (id: string) =>
  new AppError('TICKET_CLOSED', { message: `ticket ${id} is closed; create a follow-up ticket instead` });

/** Changes fields of a ticket; each change becomes an event with from → to. */
export function updateTicket(deps: Deps, actor: Actor, id: string, input: UpdateTicketBody): Promise<Ticket> {
  return withTransaction(deps.database, async (tx) => (await applyUpdate(tx, deps, actor, id, input)).ticket);
}

/**
 * Changes a ticket inside the caller's transaction; `input` may be computed from the locked row (bulk tag
 * changes). Solving a problem ticket solves its open incidents too.
 */
export async function applyUpdate(
  tx: Tx,
  deps: Deps,
  actor: Actor,
  id: string,
  input: UpdateTicketBody | ((row: typeof tickets.$inferSelect) => UpdateTicketBody),
  /** The ticket as the caller locked it already (`lockTicket`), saving a second read. */
  locked?: TicketRow,
  /** The customer marking their own ticket solved cannot fill agent fields, so those are not required then. */
  options: { byCustomer?: boolean } = {},
): Promise<{ ticket: Ticket; changed: boolean; changes: FieldChange[] }> {
  const current = locked ?? (await lockTicket(tx, id));
  const row = current.ticket;
  const change = typeof input === 'function' ? input(row) : input;
  const before = stateOf(row);
  const status = change.status !== undefined ? await resolveStatus(tx, change.status) : undefined;
  const plan = planUpdate(before, { ...change, status }, deps.now());
  if (!plan.ok) throw closedError(id);
  const { next } = plan;
  const solving = isSolved(next.statusCategory) && !isSolved(before.statusCategory);
  let customFields = row.customFields;
  if (change.customFields !== undefined || solving) {
    const definitions = await loadFieldDefinitions(tx);
    customFields = resolveFieldInput(definitions, row.customFields, change.customFields ?? {});
    if (solving && !options.byCustomer) assertSolvable(definitions, customFields);
  }
  const changes = [...plan.changes, ...fieldChanges(row.customFields, customFields)];
  if (changes.length === 0) return { ticket: presentTicket(current), changed: false, changes };
  let teamName = current.teamName;
  let assigneeName = current.assigneeName;
  if (change.teamId !== undefined) teamName = await teamNameOrFail(tx, next.teamId);
  if (change.assigneeId !== undefined || change.teamId !== undefined) {
    assigneeName = await assertAssignee(tx, next.assigneeId, next.teamId);
  }
  let organizationId = row.organizationId;
  if (change.requesterId !== undefined && change.requesterId !== row.requesterId) {
    organizationId = (await contactOrganization(tx, change.requesterId)).organizationId;
  }
  const [updated] = await tx
    .update(tickets)
    .set({
      subject: next.subject,
      statusKey: next.statusKey,
      statusCategory: next.statusCategory,
      priority: next.priority,
      type: next.type,
      assigneeId: next.assigneeId,
      teamId: next.teamId,
      tags: next.tags,
      requesterId: next.requesterId,
      organizationId,
      customFields,
      solvedAt: next.solvedAt,
      closedAt: next.closedAt,
      updatedAt: deps.now(),
      ...(next.subject !== before.subject ? { searchVector: ticketVector(row.language, next.subject) } : {}),
    })
    .where(eq(tickets.id, id))
    .returning();
  await recordTicketChanges(tx, id, actor, changes);
  await rememberTags(
    tx,
    next.tags.filter((tag) => !before.tags.includes(tag)),
  );
  if (next.assigneeId && next.assigneeId !== before.assigneeId) {
    await notify(tx, deps, [
      {
        userId: next.assigneeId,
        kind: 'assigned',
        ticket: { id, number: Number(row.number), subject: next.subject },
        actorUserId: actor.userId,
      },
    ]);
  }
  if (next.statusCategory === 'solved' && before.statusCategory !== 'solved') {
    await solveIncidents(tx, deps, actor, id, next.statusKey);
  }
  // The names come from the locked row and the checks above; a new requester (rare) is read again.
  const ticket =
    organizationId === row.organizationId && next.requesterId === row.requesterId
      ? presentTicket({ ...current, ticket: updated!, teamName, assigneeName })
      : await loadTicket(tx, id);
  return { ticket, changed: true, changes };
}

/** The open incidents of a problem ticket are solved with it. */
async function solveIncidents(
  tx: Tx,
  deps: Deps,
  actor: Actor,
  parentId: string,
  statusKey: string,
): Promise<void> {
  const children = await tx
    .select({ id: tickets.id, statusKey: tickets.statusKey })
    .from(tickets)
    .where(and(eq(tickets.parentId, parentId), sql`${tickets.statusCategory} not in ('solved', 'closed')`))
    .for('update');
  for (const child of children) {
    await tx
      .update(tickets)
      .set({ statusKey, statusCategory: 'solved', solvedAt: deps.now(), updatedAt: deps.now() })
      .where(eq(tickets.id, child.id));
    await recordTicketChanges(tx, child.id, actor, [
      { field: 'status', from: child.statusKey, to: statusKey },
    ]);
  }
}

/** The history rows, the audit row and the outbox event of a ticket's changes, in one statement. */
export async function recordTicketChanges(
  tx: Tx,
  id: string,
  actor: Actor,
  changes: FieldChange[],
): Promise<void> {
  const data = Object.fromEntries(changes.map((c) => [c.field, { from: c.from, to: c.to }]));
  const ctes = changeCtes(actor, {
    action: 'ticket.updated',
    entityType: 'ticket',
    entityId: sql`${id}::text`,
    data: sql`${JSON.stringify(data)}::jsonb`,
  });
  const rows = changes.map((c) => ({ field: c.field, from_value: c.from ?? null, to_value: c.to ?? null }));
  await tx.execute(sql`with ${ctes}, history as (
      insert into ${ticketEvents} (ticket_id, kind, field, from_value, to_value, actor_kind, actor_user_id, actor_rule)
      select ${id}::uuid, 'changed', x.field, x.from_value, x.to_value, ${actor.kind}::text, ${actor.userId}::uuid,
             ${actor.kind === 'rule' ? JSON.stringify(actor.rule) : null}::jsonb
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(field text, from_value jsonb, to_value jsonb)
    ) select ${NOTIFY_OUTBOX}`);
}

/** Adds a public reply or an internal note by the acting agent. */
export async function addMessage(
  deps: Deps,
  actor: Actor,
  id: string,
  input: {
    body: string;
    visibility: 'public' | 'internal';
    lastSeenMessageId?: string;
    force?: boolean;
    attachmentIds?: readonly string[];
  },
): Promise<Message> {
  return withTransaction(deps.database, async (tx) => {
    const row = await lockState(tx, id);
    const before = stateOf(row);
    if (before.statusCategory === 'closed') throw closedError(id);
    if (input.visibility === 'public' && input.lastSeenMessageId && !input.force) {
      await assertNoNewerReply(tx, id, input.lastSeenMessageId, actor.userId);
    }
    const body = sanitizeMessage(input.body);
    const withFiles = (input.attachmentIds?.length ?? 0) > 0;
    if (!body.text && !body.html.includes('<img') && !withFiles) {
      throw new AppError('VALIDATION_FAILED', {
        message: 'the message is empty after removing unsafe markup',
        errors: [{ field: 'body', message: 'empty' }],
      });
    }
    const now = deps.now();
    const [message] = await tx
      .insert(ticketMessages)
      .values({
        ticketId: id,
        visibility: input.visibility,
        authorKind: 'agent',
        authorUserId: actor.userId,
        bodyHtml: body.html,
        bodyText: body.text,
        channel: row.channel,
        createdAt: now,
        searchVector: messageVector(row.language, body.text),
      })
      .returning();
    await bindAttachments(tx, id, message!.id, input.attachmentIds ?? [], actor.userId);
    // Mentions count in internal notes: they call a colleague in, who then follows the ticket.
    const mentioned = input.visibility === 'internal' ? extractMentions(body.html) : [];
    await assertActiveUsers(tx, mentioned, 'body');
    await addFollowers(tx, actor, id, mentioned);
    await notifyOfMessage(tx, deps, row, {
      messageId: message!.id,
      actorUserId: actor.userId,
      excerpt: body.text,
      mentioned,
    });
    const reopen = input.visibility === 'public' ? statusAfterAgentReply(before.statusCategory) : null;
    await tx
      .update(tickets)
      .set({
        messageCount: sql`${tickets.messageCount} + 1`,
        updatedAt: now,
        ...(reopen ? { statusKey: reopen, statusCategory: reopen } : {}),
      })
      .where(eq(tickets.id, id));
    await addEvents(tx, id, actor, [
      { kind: input.visibility === 'public' ? 'replied' : 'noted', to: { messageId: message!.id } },
      ...(reopen ? [{ kind: 'changed', field: 'status', from: before.statusKey, to: reopen }] : []),
    ]);
    await recordChange(tx, actor, {
      action: input.visibility === 'public' ? 'ticket.replied' : 'ticket.noted',
      entityType: 'ticket',
      entityId: id,
      data: { messageId: message!.id },
    });
    const [presented] = await presentMessages(tx, [message!]);
    return presented!;
  });
}

/**
 * A message from the customer on an existing ticket (an e-mail reply, a portal answer). It reopens a pending,
 * on-hold or solved ticket; a closed ticket takes no more messages (null: the caller starts a follow-up).
 */
export async function addCustomerMessage(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { contactId: string; body: string; channel: string; externalRef?: string; reopenSolved?: boolean },
): Promise<{ messageId: string; ticket: { id: string; number: number } } | null> {
  return withTransaction(deps.database, async (tx) => {
    const row = await lockState(tx, id);
    if (row.statusCategory === 'closed') return null;
    // Where solved means done, the customer's next message starts a new ticket (null) instead.
    if (row.statusCategory === 'solved' && input.reopenSolved === false) return null;
    const body = sanitizeMessage(input.body);
    const now = deps.now();
    const [message] = await tx
      .insert(ticketMessages)
      .values({
        ticketId: id,
        visibility: 'public',
        authorKind: 'contact',
        authorContactId: input.contactId,
        bodyHtml: body.html,
        bodyText: body.text,
        channel: input.channel,
        externalRef: input.externalRef ?? null,
        createdAt: now,
        searchVector: messageVector(row.language, body.text),
      })
      .returning({ id: ticketMessages.id });
    const reopen = ['pending', 'on_hold', 'solved'].includes(row.statusCategory);
    await tx
      .update(tickets)
      .set({
        messageCount: sql`${tickets.messageCount} + 1`,
        updatedAt: now,
        ...(reopen ? { statusKey: 'open', statusCategory: 'open', solvedAt: null } : {}),
      })
      .where(eq(tickets.id, id));
    await addEvents(tx, id, actor, [
      { kind: 'customer_replied', to: { messageId: message!.id } },
      ...(reopen ? [{ kind: 'changed', field: 'status', from: row.statusKey, to: 'open' }] : []),
    ]);
    await recordChange(tx, actor, {
      action: 'ticket.customer_replied',
      entityType: 'ticket',
      entityId: id,
      data: { messageId: message!.id, reopened: reopen },
    });
    await notifyOfMessage(tx, deps, row, { messageId: message!.id, actorUserId: null, excerpt: body.text });
    return { messageId: message!.id, ticket: { id, number: Number(row.number) } };
  });
}

/**
 * An internal note written by Keepdesk itself (a bounce, a call record), not sent to anybody; by the agent
 * whose work it records, if any. A second note from the same `externalRef` fails with a unique violation.
 */
export async function addSystemNote(
  deps: Deps,
  ticketId: string,
  input: { body: string; externalRef?: string; channel?: string; authorUserId?: string | null },
): Promise<string> {
  return withTransaction(deps.database, (tx) => insertSystemNote(tx, deps, ticketId, input, SYSTEM_ACTOR));
}

/** `addSystemNote` in the caller's transaction, recorded as the actor's doing (a rule that wrote it). */
export async function insertSystemNote(
  tx: Tx,
  deps: Deps,
  ticketId: string,
  input: { body: string; externalRef?: string; channel?: string; authorUserId?: string | null },
  actor: Actor,
): Promise<string> {
  {
    const row = await lockState(tx, ticketId);
    const body = sanitizeMessage(input.body);
    const now = deps.now();
    const [message] = await tx
      .insert(ticketMessages)
      .values({
        ticketId,
        visibility: 'internal',
        // A record an agent's work produced (a call they took) carries their name.
        authorKind: input.authorUserId ? 'agent' : 'system',
        authorUserId: input.authorUserId ?? null,
        bodyHtml: body.html,
        bodyText: body.text,
        channel: input.channel ?? row.channel,
        externalRef: input.externalRef ?? null,
        createdAt: now,
        searchVector: messageVector(row.language, body.text),
      })
      .returning({ id: ticketMessages.id });
    await tx
      .update(tickets)
      .set({ messageCount: sql`${tickets.messageCount} + 1`, updatedAt: now })
      .where(eq(tickets.id, ticketId));
    await addEvents(tx, ticketId, actor, [{ kind: 'noted', to: { messageId: message!.id } }]);
    await recordChange(tx, actor, {
      action: 'ticket.noted',
      entityType: 'ticket',
      entityId: ticketId,
      data: { messageId: message!.id },
    });
    return message!.id;
  }
}

/** The message that came from `externalRef` outside Keepdesk, if it was written, and whether it opened its ticket. */
export async function messageByExternalRef(
  executor: Executor,
  externalRef: string,
): Promise<{ messageId: string; ticketId: string; opened: boolean } | null> {
  const [row] = await executor
    .select({
      messageId: ticketMessages.id,
      ticketId: ticketMessages.ticketId,
      opened: sql<boolean>`not exists (select 1 from ${ticketMessages} earlier
        where earlier.ticket_id = ${ticketMessages.ticketId} and earlier.created_at < ${ticketMessages.createdAt})`,
    })
    .from(ticketMessages)
    .where(eq(ticketMessages.externalRef, externalRef));
  return row ?? null;
}

/** What a channel needs to send a message out: the message, its ticket and requester, its files. */
export async function messageForDelivery(executor: Executor, messageId: string) {
  const [row] = await executor
    .select({
      message: ticketMessages,
      ticket: {
        id: tickets.id,
        number: tickets.number,
        subject: tickets.subject,
        language: tickets.language,
        teamId: tickets.teamId,
        requesterId: tickets.requesterId,
        statusCategory: tickets.statusCategory,
      },
      authorName: users.name,
      requesterName: contacts.name,
      requesterEmail: sql<string | null>`(select ci.value from ${contactIdentities} ci
        where ci.contact_id = ${tickets.requesterId} and ci.kind = 'email'
        order by ci.is_primary desc, ci.created_at limit 1)`,
    })
    .from(ticketMessages)
    .innerJoin(tickets, eq(tickets.id, ticketMessages.ticketId))
    .innerJoin(contacts, eq(contacts.id, tickets.requesterId))
    .leftJoin(users, eq(users.id, ticketMessages.authorUserId))
    .where(eq(ticketMessages.id, messageId));
  if (!row) return null;
  const files = await executor
    .select({
      fileName: attachments.fileName,
      contentType: attachments.contentType,
      storageKey: attachments.storageKey,
    })
    .from(attachments)
    .where(eq(attachments.messageId, messageId))
    .orderBy(asc(attachments.createdAt), asc(attachments.id));
  return { ...row, ticket: { ...row.ticket, number: Number(row.ticket.number) }, files };
}

/** A colleague's public reply after the message the agent last saw: sending now would answer twice. */
async function assertNoNewerReply(
  tx: Tx,
  ticketId: string,
  lastSeenId: string,
  userId: string | null,
): Promise<void> {
  const [seen] = await tx
    .select({ createdAt: ticketMessages.createdAt })
    .from(ticketMessages)
    .where(and(eq(ticketMessages.id, lastSeenId), eq(ticketMessages.ticketId, ticketId)));
  if (!seen) return;
  const [colleague] = await tx
    .select({ name: users.name })
    .from(ticketMessages)
    .innerJoin(users, eq(users.id, ticketMessages.authorUserId))
    .where(
      and(
        eq(ticketMessages.ticketId, ticketId),
        eq(ticketMessages.visibility, 'public'),
        eq(ticketMessages.authorKind, 'agent'),
        userId ? ne(ticketMessages.authorUserId, userId) : undefined,
        gt(ticketMessages.createdAt, seen.createdAt),
      ),
    )
    .orderBy(desc(ticketMessages.createdAt))
    .limit(1);
  if (colleague) {
    throw new AppError('REPLY_COLLISION', {
      message: `${colleague.name} replied to the customer meanwhile; read it, then send again with force`,
    });
  }
}

/** Tells everyone looking at tickets that the user views, types on or left this ticket. */
export async function announcePresence(
  deps: Deps,
  userId: string,
  ticketId: string,
  state: 'viewing' | 'typing' | 'left',
): Promise<void> {
  const [user] = await deps.database.db.select({ name: users.name }).from(users).where(eq(users.id, userId));
  await deps.live.announcePresence({
    type: 'presence',
    ticketId,
    userId,
    name: user?.name ?? '',
    state,
    at: deps.now().toISOString(),
  });
}

export async function listMessages(deps: Deps, id: string): Promise<{ items: Message[] }> {
  await loadTicket(deps.database.db, id);
  const rows = await deps.database.db
    .select()
    .from(ticketMessages)
    .where(eq(ticketMessages.ticketId, id))
    .orderBy(asc(ticketMessages.createdAt), asc(ticketMessages.id));
  return { items: await presentMessages(deps.database.db, rows) };
}

/** The ticket's timeline: every change with who made it, oldest first. */
export async function listEvents(deps: Deps, id: string): Promise<{ items: TicketEvent[] }> {
  await loadTicket(deps.database.db, id);
  const rows = await deps.database.db
    .select({ event: ticketEvents, actorName: users.name })
    .from(ticketEvents)
    .leftJoin(users, eq(users.id, ticketEvents.actorUserId))
    .where(eq(ticketEvents.ticketId, id))
    .orderBy(asc(ticketEvents.id));
  return {
    items: rows.map(({ event, actorName }) => ({
      id: Number(event.id),
      kind: event.kind,
      field: event.field,
      from: event.fromValue,
      to: event.toValue,
      actor: event.actorRule
        ? { kind: 'rule', id: event.actorRule.id, name: event.actorRule.name }
        : { kind: event.actorKind, id: event.actorUserId, name: actorName },
      createdAt: event.createdAt.toISOString(),
    })),
  };
}

/** When contacts merge, their tickets and messages follow (registered with the customers module). */
export async function moveTicketsToContact(tx: Tx, sourceId: string, targetId: string): Promise<void> {
  const moved = await tx
    .update(tickets)
    .set({ requesterId: targetId })
    .where(eq(tickets.requesterId, sourceId))
    .returning({ id: tickets.id });
  await tx
    .update(ticketMessages)
    .set({ authorContactId: targetId })
    .where(eq(ticketMessages.authorContactId, sourceId));
  for (const ticket of moved) {
    await tx.insert(ticketEvents).values({
      ticketId: ticket.id,
      kind: 'changed',
      field: 'requester',
      fromValue: sourceId,
      toValue: targetId,
      actorKind: 'system',
      actorUserId: null,
    });
  }
}
