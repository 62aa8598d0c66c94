import type { AutomationAnchor, RuleTestResult } from '@keepdesk/contract';
import { and, asc, eq, gt, inArray, lte, notInArray, sql } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import { type Executor, withTransaction } from '../../platform/db';
import { stableUuid } from '../../platform/jobs';
import { addBusinessMinutes, calendarOrDefault } from '../sla';
import { lockState, tickets } from '../tickets';
import { automationSchedule, automations, ruleRuns } from './automations.tables';
import { applyRule, clearSchedule, type LoadedFacts, loadFacts } from './engine.service';
import { matchesConditions } from './rules.domain';
import { type AutomationRow, activeAutomations } from './rules.service';

export const SWEEP_AUTOMATIONS = 'automations.sweep';
export const RUN_AUTOMATION = 'automations.run';
export const RESCHEDULE_AUTOMATIONS = 'automations.reschedule';

/** The moments automations count from, for one ticket (from its row and its history, one query). */
async function momentsOf(
  executor: Executor,
  loaded: LoadedFacts,
): Promise<Record<AutomationAnchor, Date | null>> {
  const result = await executor.execute(sql`
    select max(created_at) filter (where kind = 'changed' and field = 'status') as status_at,
           max(created_at) filter (where kind = 'customer_replied') as customer_at,
           max(created_at) filter (where kind = 'replied') as agent_at
    from ticket_events where ticket_id = ${loaded.facts.ticket.id}::uuid`);
  const row = (result as unknown as { rows: Record<string, unknown>[] }).rows[0] ?? {};
  const date = (value: unknown) => (value ? new Date(value as string) : null);
  const { moments, facts } = loaded;
  const byCustomer = !['agent', 'phone'].includes(facts.ticket.channel);
  return {
    created: moments.createdAt,
    updated: moments.updatedAt,
    statusChanged: date(row.status_at) ?? moments.createdAt,
    solved: facts.ticket.statusCategory === 'solved' ? moments.solvedAt : null,
    customerMessage: date(row.customer_at) ?? (byCustomer ? moments.createdAt : null),
    agentReply: date(row.agent_at),
  };
}

async function dueAt(deps: Deps, automation: AutomationRow, anchor: Date): Promise<Date> {
  const { timing } = automation;
  if (!timing.businessHours) return new Date(anchor.getTime() + timing.minutes * 60_000);
  const calendar = await calendarOrDefault(deps, true, timing.calendarId, anchor.getUTCFullYear());
  return addBusinessMinutes(calendar, anchor, timing.minutes);
}

/**
 * Keeps a ticket's row per automation current: due when the automation's time has passed since its moment,
 * as long as its other conditions hold and it has not fired for that moment. Called after every change of the
 * ticket, so a ticket that starts to match later is scheduled then.
 */
export async function scheduleTicket(deps: Deps, ticketId: string): Promise<void> {
  const list = await activeAutomations(deps);
  const db = deps.database.db;
  if (list.length === 0) return;
  const loaded = await loadFacts(db, ticketId, deps.now(), null);
  if (!loaded) return;
  if (loaded.moments.closed || loaded.moments.merged) {
    await clearSchedule(db, ticketId);
    return;
  }
  const moments = await momentsOf(db, loaded);
  const fired = await db
    .select({ ruleId: ruleRuns.ruleId, anchorAt: ruleRuns.anchorAt })
    .from(ruleRuns)
    .where(and(eq(ruleRuns.ticketId, ticketId), eq(ruleRuns.ruleKind, 'automation')));
  const keep: { automationId: string; ticketId: string; anchorAt: Date; dueAt: Date }[] = [];
  for (const automation of list) {
    const anchor = moments[automation.timing.since];
    if (!anchor || !matchesConditions(automation.conditions, loaded.facts)) continue;
    if (fired.some((f) => f.ruleId === automation.id && f.anchorAt?.getTime() === anchor.getTime())) continue;
    keep.push({
      automationId: automation.id,
      ticketId,
      anchorAt: anchor,
      dueAt: await dueAt(deps, automation, anchor),
    });
  }
  await db.delete(automationSchedule).where(
    and(
      eq(automationSchedule.ticketId, ticketId),
      keep.length > 0
        ? notInArray(
            automationSchedule.automationId,
            keep.map((k) => k.automationId),
          )
        : undefined,
    ),
  );
  if (keep.length > 0) {
    await db
      .insert(automationSchedule)
      .values(keep)
      .onConflictDoUpdate({
        target: [automationSchedule.automationId, automationSchedule.ticketId],
        set: { anchorAt: sql`excluded.anchor_at`, dueAt: sql`excluded.due_at` },
      });
  }
}

/**
 * Every minute: the rows that are due, at most `limit` (an index range on due_at), each handed to a job of its
 * own (its id derived from automation, ticket and moment, so a second sweep sends nothing new).
 */
export async function sweepAutomations(deps: Deps, limit = 1000): Promise<number> {
  const due = await deps.database.db
    .select()
    .from(automationSchedule)
    .where(lte(automationSchedule.dueAt, deps.now()))
    .orderBy(asc(automationSchedule.dueAt))
    .limit(limit);
  for (const row of due) {
    const anchorAt = row.anchorAt.toISOString();
    await deps.jobs.send(
      RUN_AUTOMATION,
      { automationId: row.automationId, ticketId: row.ticketId, anchorAt },
      { id: stableUuid(`automation:${row.automationId}:${row.ticketId}:${anchorAt}`) },
    );
  }
  return due.length;
}

/**
 * Fires one automation on one ticket if it still should: same moment, time passed, conditions hold, not fired
 * for this moment yet. Its schedule row goes either way; the ticket's next change schedules it again.
 */
export async function runAutomation(
  deps: Deps,
  input: { automationId: string; ticketId: string; anchorAt: string },
): Promise<boolean> {
  const [automation] = await deps.database.db
    .select()
    .from(automations)
    .where(eq(automations.id, input.automationId));
  return withTransaction(deps.database, async (tx) => {
    const [exists] = await tx.select({ id: tickets.id }).from(tickets).where(eq(tickets.id, input.ticketId));
    if (!exists) return false;
    await lockState(tx, input.ticketId);
    const unschedule = () =>
      tx
        .delete(automationSchedule)
        .where(
          and(
            eq(automationSchedule.automationId, input.automationId),
            eq(automationSchedule.ticketId, input.ticketId),
            eq(automationSchedule.anchorAt, new Date(input.anchorAt)),
          ),
        );
    const loaded = await loadFacts(tx, input.ticketId, deps.now(), null);
    if (!automation?.active || !loaded || loaded.moments.closed) {
      await unschedule();
      return false;
    }
    const anchor = (await momentsOf(tx, loaded))[automation.timing.since];
    if (!anchor || anchor.getTime() !== new Date(input.anchorAt).getTime()) return false; // rescheduled meanwhile
    if ((await dueAt(deps, automation, anchor)) > deps.now()) return false;
    const [done] = await tx
      .select({ id: ruleRuns.id })
      .from(ruleRuns)
      .where(
        and(
          eq(ruleRuns.ruleId, automation.id),
          eq(ruleRuns.ticketId, input.ticketId),
          eq(ruleRuns.anchorAt, anchor),
        ),
      );
    await unschedule();
    if (done || !matchesConditions(automation.conditions, loaded.facts)) return false;
    const outcome = await applyRule(
      tx,
      deps,
      { ref: { id: automation.id, name: automation.name, kind: 'automation' }, actions: automation.actions },
      loaded,
      { anchorAt: anchor },
    );
    return outcome.outcome === 'applied';
  });
}

/** After an automation changed: the schedules of unfinished tickets, a batch per job, each sending the next. */
export async function rescheduleBatch(
  deps: Deps,
  afterId: string | null,
  batch = 500,
): Promise<string | null> {
  const rows = await deps.database.db
    .select({ id: tickets.id })
    .from(tickets)
    .where(
      and(
        inArray(tickets.statusCategory, ['new', 'open', 'pending', 'on_hold', 'solved']),
        afterId ? gt(tickets.id, afterId) : undefined,
      ),
    )
    .orderBy(asc(tickets.id))
    .limit(batch);
  for (const row of rows) await scheduleTicket(deps, row.id);
  return rows.length === batch ? rows.at(-1)!.id : null;
}

/** Starts rescheduling every unfinished ticket. */
export async function reschedule(deps: Deps): Promise<void> {
  await deps.jobs.send(
    RESCHEDULE_AUTOMATIONS,
    { afterId: null },
    { id: stableUuid(`automations:${Date.now()}`) },
  );
}

/** When an automation would fire on a ticket and whether it would now: its dry run. */
export async function automationDue(
  deps: Deps,
  automation: AutomationRow,
  loaded: LoadedFacts,
): Promise<RuleTestResult['due']> {
  const anchor = (await momentsOf(deps.database.db, loaded))[automation.timing.since];
  return anchor ? (await dueAt(deps, automation, anchor)).toISOString() : null;
}
