import type { Tx } from '../../platform/db';
import type { Actor } from '../../platform/events';
import { ticketEvents } from './tickets.tables';

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
    })),
  );
}
