import type { TriggerEvent } from '@keepdesk/contract';
import { eq, sql } from 'drizzle-orm';
import { ShortCache } from '../../platform/cache';
import type { Deps } from '../../platform/context';
import { withTransaction } from '../../platform/db';
import type { OutboxEvent } from '../../platform/events';
import { ticketStatuses } from '../tickets';
import { ruleRuns } from './automations.tables';
import { applyRule, factsAfter, loadFacts } from './engine.service';
import { type Changes, mergeChanges, nextTrigger } from './rules.domain';
import { activeTriggers, type TriggerRow } from './rules.service';

/** The outbox events triggers run on, by the name rules give them. */
export const TRIGGER_EVENT_OF: Readonly<Record<string, TriggerEvent>> = {
  'ticket.created': 'created',
  'ticket.updated': 'updated',
  'ticket.customer_replied': 'customer_replied',
  'ticket.replied': 'agent_replied',
  'ticket.noted': 'note_added',
};

export type TicketEventPayload = { eventId: number; type: string; entityId: string } & Pick<
  OutboxEvent['payload'],
  'data' | 'ruleKind'
>;

const statusCache = new ShortCache<Map<string, string>>(30_000);

function categories(deps: Deps): Promise<Map<string, string>> {
  return statusCache.get(deps.database.db, async () => {
    const rows = await deps.database.db
      .select({ key: ticketStatuses.key, category: ticketStatuses.category })
      .from(ticketStatuses);
    return new Map(rows.map((r) => [r.key, r.category]));
  });
}

/** The changes an `updated` event carries, with the status category beside the status. */
async function changesOf(deps: Deps, event: TicketEventPayload): Promise<Changes> {
  if (event.type !== 'ticket.updated') return {};
  const changes = { ...(event.data as Record<string, { from: unknown; to: unknown }>) };
  if (changes.status) {
    const of = await categories(deps);
    const from = of.get(String(changes.status.from));
    const to = of.get(String(changes.status.to));
    if (from !== to) changes.statusCategory = { from, to };
  }
  return changes;
}

async function messageOf(deps: Deps, event: TicketEventPayload, listening: readonly TriggerRow[]) {
  const messageId = (event.data as { messageId?: unknown }).messageId;
  const reads = listening.some((t) =>
    [...t.conditions.all, ...t.conditions.any].some((c) => c.field === 'message'),
  );
  if (typeof messageId !== 'string' || !reads) return null;
  const result = await deps.database.db.execute(
    sql`select body_text from ticket_messages where id = ${messageId}::uuid`,
  );
  const row = (result as unknown as { rows: { body_text: string }[] }).rows[0];
  return row?.body_text ?? null;
}

/**
 * Runs the triggers on one ticket event, Zendesk's way: the first matching trigger fires, then the list is
 * checked again from the top on the changed ticket, each trigger at most once, until none matches. Changes
 * that triggers make start no second run (their events are skipped here), so triggers cannot loop. Exactly
 * once per event: its runs are recorded with the event id in the same transaction. Returns how many fired.
 */
export async function runTriggers(deps: Deps, event: TicketEventPayload): Promise<number> {
  if (event.ruleKind === 'trigger') return 0;
  const kind = TRIGGER_EVENT_OF[event.type];
  if (!kind) return 0;
  const listening = (await activeTriggers(deps)).filter((t) => t.events.includes(kind));
  if (listening.length === 0) return 0;
  let changes = await changesOf(deps, event);
  const message = await messageOf(deps, event, listening);
  const now = deps.now();
  // A look without a lock first: most events match no trigger, and then nothing is written.
  const glance = await loadFacts(deps.database.db, event.entityId, now, { kind, changes, message });
  if (!glance || glance.moments.closed || glance.moments.merged) return 0;
  if (!nextTrigger(listening, glance.facts, new Set())) return 0;
  return withTransaction(deps.database, async (tx) => {
    let loaded = await loadFacts(tx, event.entityId, now, { kind, changes, message }, { lock: true });
    if (!loaded || loaded.moments.closed) return 0;
    const [done] = await tx
      .select({ id: ruleRuns.id })
      .from(ruleRuns)
      .where(eq(ruleRuns.eventId, event.eventId))
      .limit(1);
    if (done) return 0;
    const fired = new Set<string>();
    for (;;) {
      const trigger = nextTrigger(listening, loaded.facts, fired);
      if (!trigger) break;
      fired.add(trigger.id);
      const before = loaded.facts.ticket.statusCategory;
      const outcome = await applyRule(
        tx,
        deps,
        { ref: { id: trigger.id, name: trigger.name, kind: 'trigger' }, actions: trigger.actions },
        loaded,
        { eventId: event.eventId },
      );
      if (outcome.outcome !== 'applied' || !outcome.ticket) continue;
      changes = mergeChanges(
        changes,
        outcome.changes.filter((c) => c.field !== 'email'),
      );
      const after = outcome.ticket.statusCategory;
      if (after !== before)
        changes = mergeChanges(changes, [{ field: 'statusCategory', from: before, to: after }]);
      loaded = factsAfter(loaded, outcome.ticket, { kind, changes, message });
      if (after === 'closed') break;
    }
    return fired.size;
  });
}
