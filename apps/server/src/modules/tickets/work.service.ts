import type { BulkResult, BulkUpdateBody, Ticket, TicketLinks, TicketRef } from '@keepdesk/contract';
import { and, asc, eq, inArray, isNotNull, isNull, or, sql } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import { withTransaction } from '../../platform/db';
import { AppError } from '../../platform/errors';
import { type Actor, recordChange } from '../../platform/events';
import { teamMemberships } from '../teams';
import { addEvents } from './history.service';
import { normalizeTags } from './tickets.domain';
import {
  applyUpdate,
  closedError,
  loadTicket,
  lockState,
  messageVector,
  recordTicketChanges,
  ticketVector,
} from './tickets.service';
import { attachments, ticketLinks, ticketMessages, tickets } from './tickets.tables';

/**
 * Gives the agent the oldest unassigned open ticket of their teams, or null when there is none. Two agents
 * asking at once never get the same ticket (the row is locked, others skip it).
 */
export async function takeNext(deps: Deps, actor: Actor, userId: string): Promise<Ticket | null> {
  return withTransaction(deps.database, async (tx) => {
    const candidate = (skipLocked: boolean) =>
      tx
        .select({ id: tickets.id })
        .from(tickets)
        .where(
          and(
            isNull(tickets.assigneeId),
            inArray(tickets.statusCategory, ['new', 'open']),
            inArray(
              tickets.teamId,
              tx
                .select({ teamId: teamMemberships.teamId })
                .from(teamMemberships)
                .where(eq(teamMemberships.userId, userId)),
            ),
          ),
        )
        .orderBy(asc(tickets.createdAt), asc(tickets.id))
        .limit(1)
        .for('update', skipLocked ? { skipLocked: true } : {});
    // Rows a colleague is taking are skipped; when only locked rows are left (a background job may hold one
    // for a moment: SLA, routing, rules), wait for them: the row is checked again once free.
    const [quick] = await candidate(true);
    const next = quick ?? (await candidate(false))[0];
    if (!next) return null;
    return (await applyUpdate(tx, deps, actor, next.id, { assigneeId: userId })).ticket;
  });
}

/**
 * Applies the same change to up to 1,000 tickets, each in a transaction of its own: one ticket that cannot
 * change (closed, an assignee outside its team) is reported and does not stop the others.
 */
export async function bulkUpdate(deps: Deps, actor: Actor, body: BulkUpdateBody): Promise<BulkResult> {
  const { addTags = [], removeTags = [], ...fields } = body.changes;
  const result: BulkResult = { updated: 0, unchanged: 0, failed: [] };
  for (const id of [...new Set(body.ids)]) {
    try {
      const { changed } = await withTransaction(deps.database, (tx) =>
        applyUpdate(tx, deps, actor, id, (row) => ({
          ...fields,
          ...(addTags.length > 0 || removeTags.length > 0
            ? {
                tags: normalizeTags([...row.tags, ...addTags]).filter(
                  (tag) => !normalizeTags(removeTags).includes(tag),
                ),
              }
            : {}),
        })),
      );
      if (changed) result.updated++;
      else result.unchanged++;
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      result.failed.push({ id, code: error.code, message: error.message });
    }
  }
  return result;
}

/**
 * Merges duplicates into `targetId`: their messages move to it (in their order), their tags join it, and
 * each is closed with a note pointing to the target. Merging a ticket into itself or a closed one is a 409.
 */
export async function mergeTickets(
  deps: Deps,
  actor: Actor,
  targetId: string,
  sourceIds: string[],
): Promise<Ticket> {
  const sources = [...new Set(sourceIds)];
  if (sources.includes(targetId)) {
    throw new AppError('MERGE_INVALID', {
      message: 'a ticket cannot be merged into itself',
      errors: [{ field: 'sourceIds', message: 'contains the target ticket' }],
    });
  }
  return withTransaction(deps.database, async (tx) => {
    // Lock in id order so that two merges over the same tickets cannot deadlock.
    const locked = new Map<string, Awaited<ReturnType<typeof lockState>>>();
    for (const id of [targetId, ...sources].sort()) locked.set(id, await lockState(tx, id));
    const target = locked.get(targetId)!;
    if (target.statusCategory === 'closed') throw closedError(targetId);
    const now = deps.now();
    let moved = 0;
    let tags = target.tags;
    for (const sourceId of sources) {
      const source = locked.get(sourceId)!;
      if (source.statusCategory === 'closed' || source.mergedIntoId) {
        throw new AppError('MERGE_INVALID', {
          message: `ticket #${source.number} is closed or already merged`,
          errors: [{ field: 'sourceIds', message: `#${source.number} cannot be merged` }],
        });
      }
      const movedRows = await tx
        .update(ticketMessages)
        .set({ ticketId: targetId })
        .where(eq(ticketMessages.ticketId, sourceId))
        .returning({ id: ticketMessages.id });
      // Sent files travel with their messages; unsent uploads stay with the closed source.
      await tx
        .update(attachments)
        .set({ ticketId: targetId })
        .where(and(eq(attachments.ticketId, sourceId), isNotNull(attachments.messageId)));
      moved += movedRows.length;
      tags = normalizeTags([...tags, ...source.tags]);
      const note = `Merged into #${target.number}.`;
      await tx.insert(ticketMessages).values({
        ticketId: sourceId,
        visibility: 'internal',
        authorKind: 'system',
        bodyHtml: `<p>${note}</p>`,
        bodyText: note,
        channel: source.channel,
        createdAt: now,
        searchVector: messageVector(source.language, note),
      });
      await tx
        .update(tickets)
        .set({
          statusKey: 'closed',
          statusCategory: 'closed',
          mergedIntoId: targetId,
          closedAt: now,
          solvedAt: source.solvedAt ?? now,
          messageCount: 1,
          updatedAt: now,
        })
        .where(eq(tickets.id, sourceId));
      await addEvents(tx, sourceId, actor, [
        { kind: 'merged', field: null, to: { into: targetId, number: target.number } },
      ]);
      await addEvents(tx, targetId, actor, [
        { kind: 'merged', field: null, from: { ticket: sourceId, number: source.number } },
      ]);
      await recordChange(tx, actor, {
        action: 'ticket.merged',
        entityType: 'ticket',
        entityId: sourceId,
        data: { into: targetId },
      });
    }
    await tx
      .update(tickets)
      .set({ messageCount: sql`${tickets.messageCount} + ${moved}`, tags, updatedAt: now })
      .where(eq(tickets.id, targetId));
    await recordChange(tx, actor, {
      action: 'ticket.updated',
      entityType: 'ticket',
      entityId: targetId,
      data: { merged: sources },
    });
    return loadTicket(tx, targetId);
  });
}

/** Turns one message into a ticket of its own (same requester, team and language), linked to the original. */
export async function splitTicket(
  deps: Deps,
  actor: Actor,
  id: string,
  messageId: string,
  subject?: string,
): Promise<Ticket> {
  return withTransaction(deps.database, async (tx) => {
    const original = await lockState(tx, id);
    if (original.statusCategory === 'closed') throw closedError(id);
    const [message] = await tx
      .select()
      .from(ticketMessages)
      .where(and(eq(ticketMessages.id, messageId), eq(ticketMessages.ticketId, id)));
    if (!message) {
      throw new AppError('VALIDATION_FAILED', {
        message: `message ${messageId} is not part of ticket #${original.number}`,
        errors: [{ field: 'messageId', message: 'not a message of this ticket' }],
      });
    }
    if (original.messageCount <= 1) {
      throw new AppError('CONFLICT', { message: 'the only message of a ticket cannot be split off' });
    }
    const now = deps.now();
    const [created] = await tx
      .insert(tickets)
      .values({
        subject: subject ?? original.subject,
        statusKey: 'open',
        statusCategory: 'open',
        priority: original.priority,
        type: original.type,
        channel: original.channel,
        language: original.language,
        requesterId: original.requesterId,
        organizationId: original.organizationId,
        teamId: original.teamId,
        assigneeId: actor.userId,
        tags: original.tags,
        messageCount: 1,
        createdAt: now,
        updatedAt: now,
        searchVector: ticketVector(original.language, subject ?? original.subject),
      })
      .returning();
    await tx.update(ticketMessages).set({ ticketId: created!.id }).where(eq(ticketMessages.id, messageId));
    await tx.update(attachments).set({ ticketId: created!.id }).where(eq(attachments.messageId, messageId));
    await tx
      .update(tickets)
      .set({ messageCount: sql`${tickets.messageCount} - 1`, updatedAt: now })
      .where(eq(tickets.id, id));
    await tx.insert(ticketLinks).values({ ticketId: id, otherId: created!.id });
    await addEvents(tx, created!.id, actor, [
      { kind: 'created', to: { number: Number(created!.number), splitFrom: original.number } },
    ]);
    await addEvents(tx, id, actor, [
      { kind: 'split', to: { ticket: created!.id, number: Number(created!.number) } },
    ]);
    await recordChange(tx, actor, {
      action: 'ticket.created',
      entityType: 'ticket',
      entityId: created!.id,
      data: { splitFrom: id },
    });
    await recordChange(tx, actor, {
      action: 'ticket.updated',
      entityType: 'ticket',
      entityId: id,
      data: { split: created!.id },
    });
    return loadTicket(tx, created!.id);
  });
}

function refOf(row: typeof tickets.$inferSelect): TicketRef {
  return {
    id: row.id,
    number: Number(row.number),
    subject: row.subject,
    status: row.statusKey,
    statusCategory: row.statusCategory as TicketRef['statusCategory'],
  };
}

export async function getLinks(deps: Deps, id: string): Promise<TicketLinks> {
  const db = deps.database.db;
  const ticket = await loadTicket(db, id);
  const parent = ticket.parentId
    ? await db.select().from(tickets).where(eq(tickets.id, ticket.parentId))
    : [];
  const children = await db
    .select()
    .from(tickets)
    .where(eq(tickets.parentId, id))
    .orderBy(asc(tickets.number));
  const related = await db
    .select({ ticket: tickets })
    .from(ticketLinks)
    .innerJoin(
      tickets,
      or(
        and(eq(ticketLinks.ticketId, id), eq(tickets.id, ticketLinks.otherId)),
        and(eq(ticketLinks.otherId, id), eq(tickets.id, ticketLinks.ticketId)),
      ),
    )
    .where(or(eq(ticketLinks.ticketId, id), eq(ticketLinks.otherId, id)))
    .orderBy(asc(tickets.number));
  return {
    parent: parent[0] ? refOf(parent[0]) : null,
    children: children.map(refOf),
    related: related.map((r) => refOf(r.ticket)),
  };
}

const invalidLink = (message: string) => new AppError('LINK_INVALID', { message });

/**
 * Links two tickets: `related`, or `child` (the other ticket is an incident of this problem). One level only:
 * a problem is not itself an incident, and an incident has no incidents.
 */
export async function linkTickets(
  deps: Deps,
  actor: Actor,
  id: string,
  otherId: string,
  kind: 'related' | 'child',
): Promise<TicketLinks> {
  if (id === otherId) throw invalidLink('a ticket cannot be linked to itself');
  await withTransaction(deps.database, async (tx) => {
    const [first, second] = [id, otherId].sort();
    await lockState(tx, first!);
    await lockState(tx, second!);
    const ticket = await lockState(tx, id);
    const other = await lockState(tx, otherId);
    if (kind === 'related') {
      await tx.insert(ticketLinks).values({ ticketId: id, otherId }).onConflictDoNothing();
      await addEvents(tx, id, actor, [{ kind: 'linked', to: { ticket: otherId, number: other.number } }]);
      return;
    }
    if (ticket.parentId)
      throw invalidLink(`#${ticket.number} is an incident itself and cannot have incidents`);
    const [grandchild] = await tx
      .select({ id: tickets.id })
      .from(tickets)
      .where(eq(tickets.parentId, otherId))
      .limit(1);
    if (grandchild) throw invalidLink(`#${other.number} is a problem with incidents of its own`);
    await tx.update(tickets).set({ parentId: id, updatedAt: deps.now() }).where(eq(tickets.id, otherId));
    await recordTicketChanges(tx, otherId, actor, [{ field: 'parent', from: other.parentId, to: id }]);
  });
  return getLinks(deps, id);
}

export async function unlinkTickets(
  deps: Deps,
  actor: Actor,
  id: string,
  otherId: string,
): Promise<TicketLinks> {
  await withTransaction(deps.database, async (tx) => {
    await tx
      .delete(ticketLinks)
      .where(
        or(
          and(eq(ticketLinks.ticketId, id), eq(ticketLinks.otherId, otherId)),
          and(eq(ticketLinks.ticketId, otherId), eq(ticketLinks.otherId, id)),
        ),
      );
    const [child] = await tx
      .update(tickets)
      .set({ parentId: null, updatedAt: deps.now() })
      .where(and(eq(tickets.id, otherId), eq(tickets.parentId, id)))
      .returning({ id: tickets.id });
    if (child) await recordTicketChanges(tx, otherId, actor, [{ field: 'parent', from: id, to: null }]);
  });
  return getLinks(deps, id);
}
