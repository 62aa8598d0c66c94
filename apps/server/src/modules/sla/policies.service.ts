import type {
  CreateSlaPolicyBody,
  SlaPolicy as PolicyView,
  SlaPolicyList,
  TicketSla,
  UpdateSlaPolicyBody,
  ViewFilter,
} from '@keepdesk/contract';
import { and, asc, eq, gt, inArray, ne, sql } from 'drizzle-orm';
import { ShortCache } from '../../platform/cache';
import type { Deps } from '../../platform/context';
import { type Executor, isUniqueViolation, withTransaction } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { type Actor, recordChange, SYSTEM_ACTOR } from '../../platform/events';
import { stableUuid } from '../../platform/jobs';
import { contacts } from '../customers';
import { matchesView, setSlaSummary, tickets, ticketTimeline } from '../tickets';
import type { BusinessCalendar } from './calendar.domain';
import { assertCalendarExists, calendarOrDefault } from './calendars.service';
import { type Clock, clockState, type Metric, replayClocks, type Targets } from './sla.domain';
import { type StoredClock, slaPolicies, ticketSlas } from './sla.tables';

export const RECOMPUTE_SLA = 'sla.recompute';
export const REAPPLY_SLA = 'sla.reapply';

type PolicyRow = typeof slaPolicies.$inferSelect;

function present(row: PolicyRow): PolicyView {
  return {
    id: row.id,
    name: row.name,
    position: row.position,
    active: row.active,
    conditions: row.conditions,
    targets: row.targets,
    businessTime: row.businessTime,
    calendarId: row.calendarId,
    pauseOn: row.pauseOn as PolicyView['pauseOn'],
    atRiskPercent: row.atRiskPercent,
    escalation: row.escalation,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** A policy applies to tickets, not to whoever looks: `me` and `mine` mean nothing here. */
function assertValid(input: { conditions?: ViewFilter; targets?: CreateSlaPolicyBody['targets'] }): void {
  const errors: { field: string; message: string }[] = [];
  if (input.conditions?.assignee?.includes('me')) {
    errors.push({ field: 'conditions.assignee', message: '`me` depends on who looks; name the agents' });
  }
  if (input.conditions?.sla) {
    errors.push({ field: 'conditions.sla', message: 'a policy cannot depend on the SLA it sets' });
  }
  if (input.conditions?.team?.includes('mine')) {
    errors.push({ field: 'conditions.team', message: '`mine` depends on who looks; name the teams' });
  }
  if (input.targets && Object.values(input.targets).every((t) => Object.keys(t).length === 0)) {
    errors.push({ field: 'targets', message: 'at least one target for at least one priority' });
  }
  if (errors.length > 0) {
    throw new AppError('VALIDATION_FAILED', {
      message: `the policy is not valid: ${errors[0]!.message}`,
      errors,
    });
  }
}

function nameTaken(name: string): AppError {
  return new AppError('CONFLICT', {
    message: `a policy named ${name} exists already`,
    errors: [{ field: 'name', message: 'taken' }],
  });
}

/** Existing tickets follow a changed policy: recomputed in the background, in batches. */
async function reapply(deps: Deps): Promise<void> {
  activeList.forget(deps.database.db);
  await deps.jobs.send(REAPPLY_SLA, { afterId: null }, { id: stableUuid(`sla-reapply:${Date.now()}`) });
}

export async function listPolicies(deps: Deps): Promise<SlaPolicyList> {
  const rows = await deps.database.db
    .select()
    .from(slaPolicies)
    .orderBy(asc(slaPolicies.position), asc(slaPolicies.createdAt));
  return { items: rows.map(present) };
}

export async function createPolicy(
  deps: Deps,
  actor: Actor,
  input: CreateSlaPolicyBody,
): Promise<PolicyView> {
  assertValid(input);
  try {
    const created = await withTransaction(deps.database, async (tx) => {
      await assertCalendarExists(tx, input.calendarId, 'calendarId');
      const [last] = await tx
        .select({ position: sql<number>`coalesce(max(${slaPolicies.position}), 0)` })
        .from(slaPolicies);
      const [row] = await tx
        .insert(slaPolicies)
        .values({ ...input, position: Number(last?.position ?? 0) + 1 })
        .returning();
      await recordChange(tx, actor, {
        action: 'sla_policy.created',
        entityType: 'sla_policy',
        entityId: row!.id,
        data: input,
      });
      return present(row!);
    });
    await reapply(deps);
    return created;
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(input.name);
    throw error;
  }
}

export async function updatePolicy(
  deps: Deps,
  actor: Actor,
  id: string,
  input: UpdateSlaPolicyBody,
): Promise<PolicyView> {
  assertValid(input);
  try {
    const updated = await withTransaction(deps.database, async (tx) => {
      await assertCalendarExists(tx, input.calendarId, 'calendarId');
      const [row] = await tx
        .update(slaPolicies)
        .set({ ...input, updatedAt: deps.now() })
        .where(eq(slaPolicies.id, id))
        .returning();
      if (!row) throw notFound('SLA policy', id);
      await recordChange(tx, actor, {
        action: 'sla_policy.updated',
        entityType: 'sla_policy',
        entityId: id,
        data: input,
      });
      return present(row);
    });
    await reapply(deps);
    return updated;
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(input.name ?? '');
    throw error;
  }
}

export async function deletePolicy(deps: Deps, actor: Actor, id: string): Promise<void> {
  const db = deps.database.db;
  const [row] = await db.delete(slaPolicies).where(eq(slaPolicies.id, id)).returning();
  if (!row) throw notFound('SLA policy', id);
  await recordChange(db, actor, {
    action: 'sla_policy.deleted',
    entityType: 'sla_policy',
    entityId: id,
    data: { name: row.name },
  });
  await reapply(deps);
}

/** Puts the policies in the order given (the first that matches a ticket applies). */
export async function orderPolicies(
  deps: Deps,
  actor: Actor,
  ids: readonly string[],
): Promise<SlaPolicyList> {
  await withTransaction(deps.database, async (tx) => {
    const rows = await tx.select({ id: slaPolicies.id }).from(slaPolicies);
    const known = new Set(rows.map((r) => r.id));
    if (ids.length !== known.size || ids.some((policyId) => !known.has(policyId))) {
      throw new AppError('VALIDATION_FAILED', {
        message: 'name every policy exactly once',
        errors: [{ field: 'ids', message: 'every policy exactly once' }],
      });
    }
    for (const [index, policyId] of ids.entries()) {
      await tx
        .update(slaPolicies)
        .set({ position: index + 1 })
        .where(eq(slaPolicies.id, policyId));
    }
    await recordChange(tx, actor, {
      action: 'sla_policy.ordered',
      entityType: 'sla_policy',
      entityId: ids[0]!,
      data: { ids },
    });
  });
  await reapply(deps);
  return listPolicies(deps);
}

async function requesterAttributes(executor: Executor, contactId: string): Promise<Record<string, unknown>> {
  const [row] = await executor
    .select({ attributes: contacts.attributes })
    .from(contacts)
    .where(eq(contacts.id, contactId));
  return row?.attributes ?? {};
}

const METRIC_OF: Record<'firstResponse' | 'nextResponse' | 'resolution', Metric> = {
  firstResponse: 'first_response',
  nextResponse: 'next_response',
  resolution: 'resolution',
};

function calendarFor(deps: Deps, policy: PolicyRow, year: number): Promise<BusinessCalendar> {
  return calendarOrDefault(deps, policy.businessTime, policy.calendarId, year);
}

function store(clock: Clock): StoredClock {
  return {
    metric: clock.metric,
    targetMinutes: clock.targetMinutes,
    startedAt: clock.startedAt.toISOString(),
    dueAt: clock.dueAt?.toISOString() ?? null,
    atRiskAt: clock.atRiskAt?.toISOString() ?? null,
    pausedMinutes: clock.pausedMinutes,
    paused: clock.paused,
    stoppedAt: clock.stoppedAt?.toISOString() ?? null,
    breached: clock.breached,
  };
}

const activeList = new ShortCache<PolicyRow[]>(5_000);

function readPolicies(deps: Deps): Promise<PolicyRow[]> {
  return deps.database.db
    .select()
    .from(slaPolicies)
    .where(eq(slaPolicies.active, true))
    .orderBy(asc(slaPolicies.position), asc(slaPolicies.createdAt));
}

/** The active policies in order, read at most every few seconds: every ticket change asks. */
function activePolicies(deps: Deps): Promise<PolicyRow[]> {
  return activeList.get(deps.database.db, () => readPolicies(deps));
}

async function clearSla(deps: Deps, ticketId: string): Promise<void> {
  const removed = await deps.database.db
    .delete(ticketSlas)
    .where(eq(ticketSlas.ticketId, ticketId))
    .returning();
  if (removed.length > 0) {
    await setSlaSummary(deps.database.db, ticketId, {
      policyId: null,
      status: null,
      dueAt: null,
      atRiskAt: null,
    });
  }
}

/**
 * Recomputes a ticket's SLA from its whole history under the policy that applies now: the same answer
 * whatever order the changes arrive in, so it runs after every change without coordination.
 */
export async function recomputeSla(
  deps: Deps,
  ticketId: string,
  /** The policies to use; the cached list (at most a few seconds old) when not given. */
  given?: PolicyRow[],
): Promise<void> {
  const db = deps.database.db;
  const policies = given ?? (await activePolicies(deps));
  if (policies.length === 0) {
    // No SLA at all (the common case for a new installation): only a ticket that had one needs a write.
    await clearSla(deps, ticketId);
    return;
  }
  const timeline = await ticketTimeline(db, ticketId);
  if (!timeline) return;
  const { ticket, entries } = timeline;
  // The requester's attributes only when a policy asks about them (most do not).
  const customerAttributes = policies.some((p) => (p.conditions.customer?.length ?? 0) > 0)
    ? await requesterAttributes(db, ticket.requesterId)
    : {};
  const viewer = { userId: '', teamIds: [], now: deps.now() };
  const policy = ticket.mergedIntoId
    ? undefined
    : policies.find((p) => matchesView({ ...ticket, customerAttributes }, p.conditions, viewer));
  const targetsByName = policy?.targets[ticket.priority as 'normal'] ?? {};
  const targets: Targets = Object.fromEntries(
    Object.entries(targetsByName).map(([name, minutes]) => [METRIC_OF[name as 'resolution'], minutes]),
  );
  if (!policy || Object.keys(targets).length === 0) {
    await clearSla(deps, ticketId);
    return;
  }
  const now = deps.now();
  const calendar = await calendarFor(deps, policy, now.getUTCFullYear());
  const clocks = replayClocks(
    {
      targets,
      businessTime: policy.businessTime,
      pauseOn: policy.pauseOn,
      atRiskShare: policy.atRiskPercent / 100,
    },
    calendar,
    ticket.createdAt,
    entries,
    now,
  );
  const running = clocks.filter((c) => !c.stoppedAt);
  const next = running.filter((c) => c.dueAt).sort((a, b) => a.dueAt!.getTime() - b.dueAt!.getTime())[0];
  const status = clocks.some((c) => c.breached)
    ? 'breached'
    : running.length === 0
      ? 'met'
      : next
        ? 'running'
        : 'paused';
  await db
    .insert(ticketSlas)
    .values({ ticketId, policyId: policy.id, clocks: clocks.map(store), computedAt: now })
    .onConflictDoUpdate({
      target: ticketSlas.ticketId,
      set: { policyId: policy.id, clocks: clocks.map(store), computedAt: now },
    });
  const summary = {
    policyId: policy.id,
    status,
    dueAt: next?.dueAt ?? null,
    atRiskAt: next?.atRiskAt ?? null,
  } as const;
  if (await setSlaSummary(db, ticketId, summary)) await announce(deps, ticketId, summary);
}

/** Pages that show the ticket refresh (a change event that no SLA recomputation listens to). */
async function announce(
  deps: Deps,
  ticketId: string,
  summary: { status: string | null; dueAt: Date | null },
) {
  await recordChange(deps.database.db, SYSTEM_ACTOR, {
    action: 'ticket.sla_changed',
    entityType: 'ticket',
    entityId: ticketId,
    data: { status: summary.status, dueAt: summary.dueAt?.toISOString() ?? null },
  });
}

/** Recomputes a batch of unfinished tickets after `afterId`; returns the last id, or null when done. */
export async function reapplyBatch(deps: Deps, afterId: string | null, size = 500): Promise<string | null> {
  const rows = await deps.database.db
    .select({ id: tickets.id })
    .from(tickets)
    .where(and(ne(tickets.statusCategory, 'closed'), afterId ? gt(tickets.id, afterId) : undefined))
    .orderBy(asc(tickets.id))
    .limit(size);
  // Read now, not from a cache: this runs because the policies just changed.
  const policies = await readPolicies(deps);
  for (const row of rows) await recomputeSla(deps, row.id, policies);
  return rows.length === size ? rows[rows.length - 1]!.id : null;
}

/** The ticket's clocks with their states now, and the policy that set them. */
export async function ticketSla(deps: Deps, ticketId: string): Promise<TicketSla> {
  const db = deps.database.db;
  const [row] = await db.select().from(ticketSlas).where(eq(ticketSlas.ticketId, ticketId));
  if (!row) {
    const [ticket] = await db.select({ id: tickets.id }).from(tickets).where(eq(tickets.id, ticketId));
    if (!ticket) throw notFound('ticket', ticketId);
    return { policy: null, clocks: [] };
  }
  const [policy] = row.policyId
    ? await db
        .select({ id: slaPolicies.id, name: slaPolicies.name, businessTime: slaPolicies.businessTime })
        .from(slaPolicies)
        .where(inArray(slaPolicies.id, [row.policyId]))
    : [];
  const now = deps.now();
  return {
    policy: policy ?? null,
    clocks: row.clocks.map((c) => {
      const clock: Clock = {
        ...c,
        startedAt: new Date(c.startedAt),
        dueAt: c.dueAt ? new Date(c.dueAt) : null,
        atRiskAt: c.atRiskAt ? new Date(c.atRiskAt) : null,
        stoppedAt: c.stoppedAt ? new Date(c.stoppedAt) : null,
        breached: c.breached || (!c.stoppedAt && c.dueAt !== null && now >= new Date(c.dueAt)),
      };
      return {
        metric: c.metric,
        state: clockState(clock, now),
        targetMinutes: c.targetMinutes,
        startedAt: c.startedAt,
        dueAt: c.dueAt,
        stoppedAt: c.stoppedAt,
        pausedMinutes: c.pausedMinutes,
      };
    }),
  };
}
