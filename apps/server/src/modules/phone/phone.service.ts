import { randomUUID } from 'node:crypto';
import type {
  Call,
  CallbackList,
  Callback as CallbackView,
  CallEventBody,
  CreateCallbackBody,
  LogCallBody,
  UpdateCallBody,
  UpdateCallbackBody,
} from '@keepdesk/contract';
import { and, asc, desc, eq, inArray, isNull, notInArray, type SQL } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import { type Executor, isUniqueViolation, withTransaction } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { type Actor, recordChange, SYSTEM_ACTOR } from '../../platform/events';
import { escapeHtml } from '../../platform/html';
import { stableUuid } from '../../platform/jobs';
import { users } from '../auth';
import { contactByPhone, contacts, findOrCreateContactByPhone, normalizePhone } from '../customers';
import { notify } from '../notifications';
import { addSystemNote, createTicket, messageByExternalRef, tickets } from '../tickets';
import { type CallStatus, callNote, callSubject, nextStatus } from './phone.domain';
import { callbacks, calls } from './phone.tables';

/** The live topic that pops a call up in the browser of the agent who took it. */
export const CALL_TOPIC = 'call';
export const CALLBACK_DUE = 'phone.callback-due';

type CallRow = typeof calls.$inferSelect;

async function openTicketsOf(executor: Executor, contactId: string | null) {
  if (!contactId) return [];
  const rows = await executor
    .select({
      id: tickets.id,
      number: tickets.number,
      subject: tickets.subject,
      status: tickets.statusKey,
      updatedAt: tickets.updatedAt,
    })
    .from(tickets)
    .where(
      and(
        eq(tickets.requesterId, contactId),
        notInArray(tickets.statusCategory, ['solved', 'closed']),
        isNull(tickets.mergedIntoId),
      ),
    )
    .orderBy(desc(tickets.updatedAt))
    .limit(10);
  return rows.map((r) => ({ ...r, number: Number(r.number), updatedAt: r.updatedAt.toISOString() }));
}

async function presentCall(executor: Executor, row: CallRow): Promise<Call> {
  const [contact] = row.contactId
    ? await executor
        .select({ id: contacts.id, name: contacts.name })
        .from(contacts)
        .where(eq(contacts.id, row.contactId))
    : [];
  const full = contact ? await contactByPhone(executor, row.customerNumber) : null;
  const [agent] = row.agentUserId
    ? await executor
        .select({ id: users.id, name: users.name })
        .from(users)
        .where(eq(users.id, row.agentUserId))
    : [];
  return {
    id: row.id,
    callId: row.externalId,
    direction: row.direction,
    status: row.status,
    from: row.fromNumber,
    to: row.toNumber,
    customerNumber: row.customerNumber,
    contact: contact
      ? {
          id: contact.id,
          name: contact.name,
          organization: full?.id === contact.id ? (full.organization?.name ?? null) : null,
          emails: full?.id === contact.id ? full.emails : [],
        }
      : null,
    openTickets: await openTicketsOf(executor, row.contactId),
    agent: agent ?? null,
    ticketId: row.ticketId,
    startedAt: row.startedAt.toISOString(),
    answeredAt: row.answeredAt?.toISOString() ?? null,
    endedAt: row.endedAt?.toISOString() ?? null,
    durationSeconds: row.durationSeconds,
    recordingUrl: row.recordingUrl,
    notes: row.notes,
  };
}

/** The user a telephony system names (by id or e-mail), if active. */
async function agentNamed(executor: Executor, agent: string | undefined): Promise<string | null> {
  if (!agent) return null;
  const byId = /^[0-9a-f-]{36}$/i.test(agent);
  const [user] = await executor
    .select({ id: users.id })
    .from(users)
    .where(and(byId ? eq(users.id, agent) : eq(users.email, agent.toLowerCase()), eq(users.isActive, true)));
  if (!user) {
    throw new AppError('VALIDATION_FAILED', {
      message: `no active user ${agent}`,
      errors: [{ field: 'agent', message: 'no active user with this id or e-mail address' }],
    });
  }
  return user.id;
}

export async function getCall(deps: Deps, id: string): Promise<Call> {
  const [row] = await deps.database.db.select().from(calls).where(eq(calls.id, id));
  if (!row) throw notFound('call', id);
  return presentCall(deps.database.db, row);
}

/**
 * One event from the telephony system. Ringing looks the caller up by number; answered pops the customer to
 * the agent who took the call; ended logs the call on a ticket; a missed call opens a ticket with a callback
 * request. Repeated and late events change nothing that already happened.
 */
export async function handleCallEvent(deps: Deps, actor: Actor, input: CallEventBody): Promise<Call> {
  const db = deps.database.db;
  const at = input.at ? new Date(input.at) : deps.now();
  const customerNumber = normalizePhone(input.direction === 'inbound' ? input.from : input.to);
  const agentUserId = await agentNamed(db, input.agent);
  const row = await withTransaction(deps.database, async (tx) => {
    const contact = await contactByPhone(tx, customerNumber);
    await tx
      .insert(calls)
      .values({
        externalId: input.callId,
        direction: input.direction,
        status: 'ringing',
        fromNumber: normalizePhone(input.from),
        toNumber: normalizePhone(input.to),
        customerNumber,
        contactId: contact?.id ?? null,
        startedAt: at,
      })
      .onConflictDoNothing();
    const [current] = await tx.select().from(calls).where(eq(calls.externalId, input.callId)).for('update');
    const call = current!;
    const answered = call.answeredAt !== null || input.event === 'answered';
    const status = nextStatus(call.status as CallStatus, input.event as CallStatus, answered);
    const ending = input.event === 'ended' || input.event === 'missed';
    const answeredAt = call.answeredAt ?? (input.event === 'answered' ? at : null);
    const [updated] = await tx
      .update(calls)
      .set({
        status,
        agentUserId: call.agentUserId ?? agentUserId,
        answeredAt,
        ticketId: call.ticketId ?? input.ticketId ?? null,
        ...(ending && !call.endedAt
          ? {
              endedAt: at,
              durationSeconds:
                input.durationSeconds ??
                (answeredAt ? Math.max(0, Math.round((at.getTime() - answeredAt.getTime()) / 1000)) : 0),
            }
          : {}),
        ...(input.recordingUrl ? { recordingUrl: input.recordingUrl } : {}),
        ...(input.notes ? { notes: input.notes } : {}),
      })
      .where(eq(calls.id, call.id))
      .returning();
    await recordChange(tx, actor, {
      action: `call.${input.event}`,
      entityType: 'call',
      entityId: call.id,
      data: { status, agentUserId: updated!.agentUserId },
    });
    // The agent's browser shows the customer at once: the event travels with the commit.
    if (input.event === 'answered' && updated!.agentUserId) {
      await deps.bus.publish(
        { topic: CALL_TOPIC, data: { userId: updated!.agentUserId, callId: call.id } },
        tx,
      );
    }
    return updated!;
  });
  const done = row.status === 'ended' || row.status === 'missed' ? await logCall(deps, row) : row;
  return presentCall(db, done);
}

/**
 * Writes an ended or missed call onto its ticket once: the ticket named by the telephony system or chosen by
 * the agent, else a new phone ticket for the caller (created when unknown). A missed inbound call also gets
 * a callback request, due at once.
 */
async function logCall(deps: Deps, call: CallRow): Promise<CallRow> {
  const db = deps.database.db;
  if (call.ticketMessageId) return call;
  const missed = call.status === 'missed';
  const externalRef = `call:${call.id}`;
  const [agent] = call.agentUserId
    ? await db.select({ name: users.name }).from(users).where(eq(users.id, call.agentUserId))
    : [];
  // On its ticket the call speaks the ticket's language; a new ticket needs the caller as a contact.
  const [ticket] = call.ticketId
    ? await db.select({ language: tickets.language }).from(tickets).where(eq(tickets.id, call.ticketId))
    : [];
  const contact = ticket
    ? null
    : ((call.contactId ? await contactByPhone(db, call.customerNumber) : null) ??
      (await withTransaction(deps.database, (tx) =>
        findOrCreateContactByPhone(tx, SYSTEM_ACTOR, call.customerNumber),
      )));
  const language = ticket?.language ?? contact?.language ?? 'en';
  const body = callNote(
    language,
    {
      direction: call.direction,
      missed,
      number: call.customerNumber,
      durationSeconds: missed ? null : call.durationSeconds,
      agentName: agent?.name ?? null,
      recordingUrl: call.recordingUrl,
      notes: call.notes,
    },
    escapeHtml,
  );
  let written = await messageByExternalRef(db, externalRef);
  if (!written) {
    try {
      if (call.ticketId && ticket) {
        const messageId = await addSystemNote(deps, call.ticketId, {
          body,
          externalRef,
          channel: 'phone',
          authorUserId: call.agentUserId,
        });
        written = { ticketId: call.ticketId, messageId, opened: false };
      } else {
        const actor: Actor = call.agentUserId ? { kind: 'user', userId: call.agentUserId } : SYSTEM_ACTOR;
        const created = await createTicket(
          deps,
          actor,
          {
            subject: callSubject(language, call.direction, missed, call.customerNumber),
            requester: { id: contact!.id },
            message: { body, visibility: 'internal' },
            priority: 'normal',
            type: 'question',
            channel: 'phone',
            assigneeId: null,
            teamId: null,
            tags: missed ? ['missed-call'] : [],
            customFields: {},
          },
          { externalRef },
        );
        written = { ticketId: created.id, messageId: created.firstMessage.id, opened: true };
      }
    } catch (error) {
      written = isUniqueViolation(error) ? await messageByExternalRef(db, externalRef) : null;
      if (!written) throw error;
    }
  }
  const [updated] = await db
    .update(calls)
    .set({
      ticketId: written.ticketId,
      ticketMessageId: written.messageId,
      contactId: call.contactId ?? contact?.id ?? null,
    })
    .where(eq(calls.id, call.id))
    .returning();
  if (missed && call.direction === 'inbound') {
    const [created] = await db
      .insert(callbacks)
      .values({
        phone: call.customerNumber,
        contactId: call.contactId ?? contact?.id ?? null,
        ticketId: written.ticketId,
        callId: call.id,
        dueAt: deps.now(),
        note: '',
      })
      .onConflictDoNothing()
      .returning();
    if (created) await scheduleReminder(deps, created);
  }
  return updated!;
}

/** The agent picks the ticket a running call is about (in the call pop-up), or adds notes. */
export async function updateCall(deps: Deps, actor: Actor, id: string, input: UpdateCallBody): Promise<Call> {
  const db = deps.database.db;
  const [row] = await db.select().from(calls).where(eq(calls.id, id));
  if (!row) throw notFound('call', id);
  if (input.ticketId !== undefined && row.ticketMessageId) {
    throw new AppError('CONFLICT', { message: 'the call is logged on its ticket already' });
  }
  if (input.ticketId) {
    const [ticket] = await db.select({ id: tickets.id }).from(tickets).where(eq(tickets.id, input.ticketId));
    if (!ticket) {
      throw new AppError('VALIDATION_FAILED', {
        message: `ticket ${input.ticketId} does not exist`,
        errors: [{ field: 'ticketId', message: 'no such ticket' }],
      });
    }
  }
  const [updated] = await db
    .update(calls)
    .set({
      ...(input.ticketId !== undefined ? { ticketId: input.ticketId } : {}),
      ...(input.notes !== undefined ? { notes: input.notes } : {}),
    })
    .where(eq(calls.id, id))
    .returning();
  await recordChange(db, actor, { action: 'call.updated', entityType: 'call', entityId: id, data: input });
  return presentCall(db, updated!);
}

/** A call the agent logs by hand on a ticket (made from a desk phone, say). */
export async function logCallOnTicket(
  deps: Deps,
  actor: Actor,
  ticketId: string,
  input: LogCallBody,
): Promise<Call> {
  const db = deps.database.db;
  const [ticket] = await db.select({ id: tickets.id }).from(tickets).where(eq(tickets.id, ticketId));
  if (!ticket) throw notFound('ticket', ticketId);
  const at = input.at ? new Date(input.at) : deps.now();
  const number = normalizePhone(input.number);
  const contact = await contactByPhone(db, number);
  const [row] = await db
    .insert(calls)
    .values({
      externalId: `manual:${randomUUID()}`,
      direction: input.direction,
      status: 'ended',
      fromNumber: input.direction === 'inbound' ? number : '',
      toNumber: input.direction === 'inbound' ? '' : number,
      customerNumber: number,
      contactId: contact?.id ?? null,
      agentUserId: actor.userId,
      ticketId,
      startedAt: new Date(at.getTime() - input.durationSeconds * 1000),
      answeredAt: new Date(at.getTime() - input.durationSeconds * 1000),
      endedAt: at,
      durationSeconds: input.durationSeconds,
      recordingUrl: input.recordingUrl ?? null,
      notes: input.notes,
    })
    .returning();
  await recordChange(db, actor, {
    action: 'call.logged',
    entityType: 'call',
    entityId: row!.id,
    data: { ticketId },
  });
  return presentCall(db, await logCall(deps, row!));
}

// ── callbacks ───────────────────────────────────────────────────────────────────────────────────────────

type CallbackRow = typeof callbacks.$inferSelect;

async function presentCallbacks(executor: Executor, rows: CallbackRow[], now: Date): Promise<CallbackView[]> {
  const ticketIds = [...new Set(rows.map((r) => r.ticketId))];
  const userIds = [...new Set(rows.map((r) => r.assigneeUserId).filter((id): id is string => id !== null))];
  const contactIds = [...new Set(rows.map((r) => r.contactId).filter((id): id is string => id !== null))];
  const ticketRows = ticketIds.length
    ? await executor
        .select({ id: tickets.id, number: tickets.number, subject: tickets.subject })
        .from(tickets)
        .where(inArray(tickets.id, ticketIds))
    : [];
  const userRows = userIds.length
    ? await executor.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, userIds))
    : [];
  const contactRows = contactIds.length
    ? await executor
        .select({ id: contacts.id, name: contacts.name })
        .from(contacts)
        .where(inArray(contacts.id, contactIds))
    : [];
  return rows.map((row) => {
    const ticket = ticketRows.find((t) => t.id === row.ticketId);
    return {
      id: row.id,
      phone: row.phone,
      contact: contactRows.find((c) => c.id === row.contactId) ?? null,
      ticket: ticket ? { ...ticket, number: Number(ticket.number) } : null,
      dueAt: row.dueAt.toISOString(),
      note: row.note,
      assignee: userRows.find((u) => u.id === row.assigneeUserId) ?? null,
      status: row.status,
      overdue: row.status === 'open' && row.dueAt.getTime() < now.getTime(),
      createdAt: row.createdAt.toISOString(),
      doneAt: row.doneAt?.toISOString() ?? null,
    };
  });
}

async function assertAssignable(executor: Executor, userId: string | null | undefined): Promise<void> {
  if (!userId) return;
  const [user] = await executor
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, userId), eq(users.isActive, true)));
  if (!user) {
    throw new AppError('VALIDATION_FAILED', {
      message: `no active user ${userId}`,
      errors: [{ field: 'assigneeId', message: 'no active user' }],
    });
  }
}

/** Reminds the assignee when the callback is due (a job that starts then; a moved due time is a new job). */
async function scheduleReminder(deps: Deps, row: CallbackRow): Promise<void> {
  const wait = Math.max(0, Math.round((row.dueAt.getTime() - deps.now().getTime()) / 1000));
  await deps.jobs.send(
    CALLBACK_DUE,
    { callbackId: row.id, dueAt: row.dueAt.toISOString() },
    {
      id: stableUuid(`${row.id}:${row.dueAt.toISOString()}`),
      ...(wait > 0 ? { startAfterSeconds: wait } : {}),
    },
  );
}

export async function createCallback(
  deps: Deps,
  actor: Actor,
  ticketId: string,
  input: CreateCallbackBody,
): Promise<CallbackView> {
  const db = deps.database.db;
  const [ticket] = await db
    .select({ id: tickets.id, requesterId: tickets.requesterId })
    .from(tickets)
    .where(eq(tickets.id, ticketId));
  if (!ticket) throw notFound('ticket', ticketId);
  await assertAssignable(db, input.assigneeId);
  const phone = normalizePhone(input.phone);
  const contact = await contactByPhone(db, phone);
  const [row] = await db
    .insert(callbacks)
    .values({
      phone,
      contactId: contact?.id ?? ticket.requesterId,
      ticketId,
      dueAt: new Date(input.dueAt),
      note: input.note,
      assigneeUserId: input.assigneeId,
      createdByUserId: actor.userId,
    })
    .returning();
  await recordChange(db, actor, {
    action: 'callback.created',
    entityType: 'ticket',
    entityId: ticketId,
    data: { callbackId: row!.id, dueAt: input.dueAt },
  });
  await scheduleReminder(deps, row!);
  const [presented] = await presentCallbacks(db, [row!], deps.now());
  return presented!;
}

export async function updateCallback(
  deps: Deps,
  actor: Actor,
  id: string,
  input: UpdateCallbackBody,
): Promise<CallbackView> {
  const db = deps.database.db;
  const [before] = await db.select().from(callbacks).where(eq(callbacks.id, id));
  if (!before) throw notFound('callback', id);
  await assertAssignable(db, input.assigneeId);
  const [row] = await db
    .update(callbacks)
    .set({
      ...(input.status ? { status: input.status, doneAt: input.status === 'done' ? deps.now() : null } : {}),
      ...(input.dueAt ? { dueAt: new Date(input.dueAt) } : {}),
      ...(input.assigneeId !== undefined ? { assigneeUserId: input.assigneeId } : {}),
      ...(input.note !== undefined ? { note: input.note } : {}),
    })
    .where(eq(callbacks.id, id))
    .returning();
  await recordChange(db, actor, {
    action: 'callback.updated',
    entityType: 'ticket',
    entityId: row!.ticketId,
    data: { callbackId: id, ...input },
  });
  if (row!.status === 'open' && row!.dueAt.getTime() !== before.dueAt.getTime()) {
    await scheduleReminder(deps, row!);
  }
  const [presented] = await presentCallbacks(db, [row!], deps.now());
  return presented!;
}

export async function listCallbacks(
  deps: Deps,
  viewerId: string,
  query: { status: 'open' | 'done'; assignee?: string; ticketId?: string; limit: number },
): Promise<CallbackList> {
  const conditions: SQL[] = [eq(callbacks.status, query.status)];
  if (query.ticketId) conditions.push(eq(callbacks.ticketId, query.ticketId));
  if (query.assignee === 'me') conditions.push(eq(callbacks.assigneeUserId, viewerId));
  else if (query.assignee === 'none') conditions.push(isNull(callbacks.assigneeUserId));
  else if (query.assignee) conditions.push(eq(callbacks.assigneeUserId, query.assignee));
  const rows = await deps.database.db
    .select()
    .from(callbacks)
    .where(and(...conditions))
    .orderBy(query.status === 'open' ? asc(callbacks.dueAt) : desc(callbacks.doneAt))
    .limit(query.limit);
  return { items: await presentCallbacks(deps.database.db, rows, deps.now()) };
}

/** At the due time: the assignee (or, without one, nobody but the list) hears that the callback is due. */
export async function remindOfCallback(deps: Deps, callbackId: string, dueAt: string): Promise<void> {
  const db = deps.database.db;
  const [row] = await db.select().from(callbacks).where(eq(callbacks.id, callbackId));
  // Done meanwhile, or moved (the move scheduled its own reminder).
  if (row?.status !== 'open' || row.dueAt.toISOString() !== dueAt || !row.assigneeUserId) return;
  const [ticket] = await db
    .select({ id: tickets.id, number: tickets.number, subject: tickets.subject })
    .from(tickets)
    .where(eq(tickets.id, row.ticketId));
  if (!ticket) return;
  await withTransaction(deps.database, (tx) =>
    notify(tx, deps, [
      {
        userId: row.assigneeUserId!,
        kind: 'callback_due',
        ticket: { ...ticket, number: Number(ticket.number) },
        actorUserId: null,
        excerpt: `${row.phone}${row.note ? ` – ${row.note}` : ''}`,
      },
    ]),
  );
}
