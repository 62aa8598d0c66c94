import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import { type Executor, type Tx, withTransaction } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { type Actor, recordChange } from '../../platform/events';
import { users } from '../auth';
import { notify } from '../notifications';
import { addEvents } from './history.service';
import { ticketFollowers, tickets } from './tickets.tables';

/** Users who follow a ticket hear of every new message on it. */
export async function listFollowers(executor: Executor, ticketId: string) {
  const rows = await executor
    .select({ id: users.id, name: users.name })
    .from(ticketFollowers)
    .innerJoin(users, eq(users.id, ticketFollowers.userId))
    .where(eq(ticketFollowers.ticketId, ticketId))
    .orderBy(asc(users.name));
  return { items: rows };
}

export async function followerIds(executor: Executor, ticketId: string): Promise<string[]> {
  const rows = await executor
    .select({ userId: ticketFollowers.userId })
    .from(ticketFollowers)
    .where(eq(ticketFollowers.ticketId, ticketId));
  return rows.map((r) => r.userId);
}

/** Active users among `ids`; any other id is a 400 naming `field`. */
export async function assertActiveUsers(
  executor: Executor,
  ids: readonly string[],
  field: string,
): Promise<void> {
  if (ids.length === 0) return;
  const found = await executor
    .select({ id: users.id })
    .from(users)
    .where(and(inArray(users.id, [...ids]), eq(users.isActive, true)));
  const known = new Set(found.map((u) => u.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new AppError('VALIDATION_FAILED', {
      message: `${unknown.join(', ')} is not an active user`,
      errors: [{ field, message: `not an active user: ${unknown.join(', ')}` }],
    });
  }
}

/** Adds followers inside the caller's transaction; each new one is an event on the ticket. */
export async function addFollowers(tx: Tx, actor: Actor, ticketId: string, userIds: readonly string[]) {
  if (userIds.length === 0) return [];
  const added = await tx
    .insert(ticketFollowers)
    .values(userIds.map((userId) => ({ ticketId, userId })))
    .onConflictDoNothing()
    .returning({ userId: ticketFollowers.userId });
  await addEvents(
    tx,
    ticketId,
    actor,
    added.map((a) => ({ kind: 'follower_added', to: a.userId })),
  );
  return added.map((a) => a.userId);
}

/** Agents copied on a customer's e-mail follow its ticket; returns the addresses that were agents. */
export async function addFollowersByEmail(
  deps: Deps,
  actor: Actor,
  ticketId: string,
  addresses: readonly string[],
): Promise<string[]> {
  if (addresses.length === 0) return [];
  return withTransaction(deps.database, async (tx) => {
    const agents = await tx
      .select({ id: users.id, email: users.email })
      .from(users)
      .where(and(inArray(users.email, [...addresses]), eq(users.isActive, true)));
    await addFollowers(
      tx,
      actor,
      ticketId,
      agents.map((a) => a.id),
    );
    return agents.map((a) => a.email);
  });
}

export async function follow(deps: Deps, actor: Actor, ticketId: string, userId: string): Promise<void> {
  await withTransaction(deps.database, async (tx) => {
    const [ticket] = await tx.select({ id: tickets.id }).from(tickets).where(eq(tickets.id, ticketId));
    if (!ticket) throw notFound('ticket', ticketId);
    await assertActiveUsers(tx, [userId], 'userId');
    const added = await addFollowers(tx, actor, ticketId, [userId]);
    if (added.length > 0) {
      await recordChange(tx, actor, {
        action: 'ticket.follower_added',
        entityType: 'ticket',
        entityId: ticketId,
        data: { userId },
      });
    }
  });
}

export async function unfollow(deps: Deps, actor: Actor, ticketId: string, userId: string): Promise<void> {
  await withTransaction(deps.database, async (tx) => {
    const removed = await tx
      .delete(ticketFollowers)
      .where(and(eq(ticketFollowers.ticketId, ticketId), eq(ticketFollowers.userId, userId)))
      .returning();
    if (removed.length === 0) return;
    await addEvents(tx, ticketId, actor, [{ kind: 'follower_removed', from: userId }]);
    await recordChange(tx, actor, {
      action: 'ticket.follower_removed',
      entityType: 'ticket',
      entityId: ticketId,
      data: { userId },
    });
  });
}

/**
 * Tells who should hear of a new message on a ticket: the mentioned users (`mention`), then the assignee and
 * the followers (`activity`); `notify` keeps one notification per user and ticket and skips the author.
 */
export async function notifyOfMessage(
  tx: Tx,
  deps: Pick<Deps, 'bus'>,
  ticket: { id: string; number: number; subject: string; assigneeId: string | null },
  message: { messageId: string; actorUserId: string | null; excerpt: string; mentioned?: readonly string[] },
): Promise<void> {
  const about = {
    ticket: { id: ticket.id, number: Number(ticket.number), subject: ticket.subject },
    messageId: message.messageId,
    actorUserId: message.actorUserId,
    excerpt: message.excerpt,
  };
  const watchers = [ticket.assigneeId, ...(await followerIds(tx, ticket.id))].filter(
    (u): u is string => u !== null,
  );
  await notify(tx, deps, [
    ...(message.mentioned ?? []).map((userId) => ({ ...about, userId, kind: 'mention' as const })),
    ...watchers.map((userId) => ({ ...about, userId, kind: 'activity' as const })),
  ]);
}
