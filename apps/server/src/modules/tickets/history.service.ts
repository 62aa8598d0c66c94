import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Executor, Tx } from '../../platform/db';
import type { Actor } from '../../platform/events';
import { ticketEvents, ticketStatuses, tickets } from './tickets.tables';

/** Writes history events of one ticket (who, when, what from → to) in the caller's transaction. */
export async function addEvents(
  tx: Tx,
  ticketId: string,
  actor: Actor,
  events: { kind: string; field?: string | null; from?: unknown; to?: unknown }[],
): Promise<void> {
  if (events.length === 0) return;
  await tx.insert(ticketEvents).values(
    events.map((e) => ({
      ticketId,
      kind: e.kind,
      field: e.field ?? null,
      fromValue: e.from ?? null,
      toValue: e.to ?? null,
      actorKind: actor.kind,
      actorUserId: actor.userId,
      actorRule: actor.kind === 'rule' ? actor.rule : null,
    })),
  );
}

export type TimelineEntry =
  | { at: Date; kind: 'status'; category: string }
  | { at: Date; kind: 'agent_reply' }
  | { at: Date; kind: 'customer_message' };

/**
 * What SLA clocks are made of, from the history: status changes (as categories, the first at creation),
 * public agent replies and customer messages, each with its time. Null when there is no such ticket.
 */
export async function ticketTimeline(
  executor: Executor,
  ticketId: string,
): Promise<{ ticket: typeof tickets.$inferSelect; entries: TimelineEntry[] } | null> {
  const [ticket] = await executor.select().from(tickets).where(eq(tickets.id, ticketId));
  if (!ticket) return null;
  const events = await executor
    .select({
      kind: ticketEvents.kind,
      field: ticketEvents.field,
      to: ticketEvents.toValue,
      at: ticketEvents.createdAt,
    })
    .from(ticketEvents)
    .where(
      and(
        eq(ticketEvents.ticketId, ticketId),
        inArray(ticketEvents.kind, ['created', 'changed', 'replied', 'customer_replied']),
      ),
    )
    .orderBy(asc(ticketEvents.id));
  const statuses = await executor
    .select({ key: ticketStatuses.key, category: ticketStatuses.category })
    .from(ticketStatuses);
  const categoryOf = (key: unknown) => statuses.find((s) => s.key === key)?.category ?? String(key);
  const entries: TimelineEntry[] = [];
  for (const event of events) {
    if (event.kind === 'replied') entries.push({ at: event.at, kind: 'agent_reply' });
    else if (event.kind === 'customer_replied') entries.push({ at: event.at, kind: 'customer_message' });
    else if (event.kind === 'created') {
      const status = (event.to as { status?: string } | null)?.status;
      if (status) entries.push({ at: ticket.createdAt, kind: 'status', category: categoryOf(status) });
    } else if (event.field === 'status') {
      entries.push({ at: event.at, kind: 'status', category: categoryOf(event.to) });
    }
  }
  return { ticket, entries };
}
