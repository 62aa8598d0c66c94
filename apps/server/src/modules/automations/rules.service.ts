import type {
  Automation,
  AutomationList,
  ChangeLog,
  ChangeLogQuery,
  CreateAutomationBody,
  CreateTriggerBody,
  RuleAction,
  RuleRunList,
  RuleRunQuery,
  Trigger,
  TriggerList,
  UpdateAutomationBody,
  UpdateTriggerBody,
} from '@keepdesk/contract';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { ShortCache } from '../../platform/cache';
import type { Deps } from '../../platform/context';
import { type Executor, isUniqueViolation, withTransaction } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { type Actor, recordChange } from '../../platform/events';
import { auditLog } from '../../platform/platform.tables';
import { users } from '../auth';
import { assertCalendarExists, unknownPlaceholders } from '../sla';
import { tickets } from '../tickets';
import { automations, ruleRuns, triggers } from './automations.tables';
import { findLoop, type RuleError, type RuleKind, validateRule } from './rules.domain';

export type TriggerRow = typeof triggers.$inferSelect;
export type AutomationRow = typeof automations.$inferSelect;

const TABLES = { trigger: triggers, automation: automations } as const;

const base = (row: TriggerRow | AutomationRow) => ({
  id: row.id,
  name: row.name,
  description: row.description,
  active: row.active,
  position: row.position,
  conditions: row.conditions,
  actions: row.actions,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

const presentTrigger = (row: TriggerRow): Trigger => ({ ...base(row), events: row.events });
const presentAutomation = (row: AutomationRow): Automation => ({ ...base(row), timing: row.timing });

const triggerCache = new ShortCache<TriggerRow[]>(5_000);
const automationCache = new ShortCache<AutomationRow[]>(5_000);

/** The active triggers in order, read at most every few seconds: every ticket event asks. */
export function activeTriggers(deps: Deps): Promise<TriggerRow[]> {
  return triggerCache.get(deps.database.db, () =>
    deps.database.db
      .select()
      .from(triggers)
      .where(eq(triggers.active, true))
      .orderBy(asc(triggers.position), asc(triggers.createdAt)),
  );
}

export function activeAutomations(deps: Deps): Promise<AutomationRow[]> {
  return automationCache.get(deps.database.db, () =>
    deps.database.db
      .select()
      .from(automations)
      .where(eq(automations.active, true))
      .orderBy(asc(automations.position), asc(automations.createdAt)),
  );
}

function invalid(errors: RuleError[]): AppError {
  return new AppError('VALIDATION_FAILED', {
    message: `the rule is not valid: ${errors[0]!.message}`,
    errors,
  });
}

/** Placeholders in the texts of actions must be known ones, as in macros. */
function textErrors(actions: readonly RuleAction[]): RuleError[] {
  const errors: RuleError[] = [];
  actions.forEach((action, index) => {
    const texts = Object.entries(action).filter(
      ([key, value]) => typeof value === 'string' && /^(body|subject|text)(En|De)$/.test(key),
    );
    for (const [key, value] of texts) {
      const unknown = unknownPlaceholders(value as string);
      if (unknown.length > 0) {
        errors.push({ field: `actions.${index}.${key}`, message: `unknown placeholder {{${unknown[0]}}}` });
      }
    }
    if (action.type === 'addNote' && !action.bodyEn.trim() && !action.bodyDe.trim()) {
      errors.push({ field: `actions.${index}.bodyEn`, message: 'a note needs a text' });
    }
    if (action.type === 'email' && !action.bodyEn.trim() && !action.bodyDe.trim()) {
      errors.push({ field: `actions.${index}.bodyEn`, message: 'an e-mail needs a text' });
    }
  });
  return errors;
}

/** Teams, users and statuses an action names must exist. */
async function referenceErrors(executor: Executor, actions: readonly RuleAction[]): Promise<RuleError[]> {
  const errors: RuleError[] = [];
  for (const [index, action] of actions.entries()) {
    const check = async (table: string, column: string, value: string) => {
      const result = await executor.execute(
        sql`select 1 from ${sql.identifier(table)} where ${sql.identifier(column)} = ${value} limit 1`,
      );
      if ((result as unknown as { rows: unknown[] }).rows.length === 0) {
        errors.push({
          field: `actions.${index}.value`,
          message: `no such ${table.replace(/s$/, '')}: ${value}`,
        });
      }
    };
    if (action.type === 'setTeam' && action.value) await check('teams', 'id', action.value);
    if (action.type === 'setAssignee' && action.value) await check('users', 'id', action.value);
    if (action.type === 'setStatus') await check('ticket_statuses', 'key', action.value);
    if (action.type === 'setField') await check('ticket_fields', 'key', action.key);
  }
  return errors;
}

async function assertValid(
  executor: Executor,
  kind: RuleKind,
  rule: { conditions: TriggerRow['conditions']; actions: readonly RuleAction[] },
): Promise<void> {
  const errors = [
    ...validateRule(kind, rule),
    ...textErrors(rule.actions),
    ...(await referenceErrors(executor, rule.actions)),
  ];
  if (errors.length > 0) throw invalid(errors);
}

/** With the trigger as it would be saved, the active triggers must not undo each other (ADR 0025). */
async function assertNoLoop(tx: Executor, candidate: TriggerRow): Promise<void> {
  const others = await tx.select().from(triggers).where(eq(triggers.active, true));
  const rules = [...others.filter((t) => t.id !== candidate.id), ...(candidate.active ? [candidate] : [])];
  const loop = findLoop(rules);
  if (loop?.ids.includes(candidate.id)) {
    throw new AppError('VALIDATION_FAILED', {
      message: `the trigger would loop: ${loop.message}`,
      errors: [{ field: 'actions', message: loop.message }],
    });
  }
}

function nameTaken(name: string): AppError {
  return new AppError('CONFLICT', {
    message: `a rule named ${name} exists already`,
    errors: [{ field: 'name', message: 'taken' }],
  });
}

async function nextPosition(tx: Executor, kind: RuleKind): Promise<number> {
  const table = TABLES[kind];
  const [last] = await tx.select({ position: sql<number>`coalesce(max(${table.position}), 0)` }).from(table);
  return Number(last?.position ?? 0) + 1;
}

function forget(deps: Deps, kind: RuleKind): void {
  (kind === 'trigger' ? triggerCache : automationCache).forget(deps.database.db);
}

export async function listTriggers(deps: Deps): Promise<TriggerList> {
  const rows = await deps.database.db
    .select()
    .from(triggers)
    .orderBy(asc(triggers.position), asc(triggers.createdAt));
  return { items: rows.map(presentTrigger) };
}

export async function createTrigger(deps: Deps, actor: Actor, input: CreateTriggerBody): Promise<Trigger> {
  try {
    const created = await withTransaction(deps.database, async (tx) => {
      await assertValid(tx, 'trigger', input);
      const [row] = await tx
        .insert(triggers)
        .values({ ...input, position: await nextPosition(tx, 'trigger') })
        .returning();
      await assertNoLoop(tx, row!);
      await recordChange(tx, actor, {
        action: 'trigger.created',
        entityType: 'trigger',
        entityId: row!.id,
        data: input,
      });
      return presentTrigger(row!);
    });
    forget(deps, 'trigger');
    return created;
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(input.name);
    throw error;
  }
}

export async function updateTrigger(
  deps: Deps,
  actor: Actor,
  id: string,
  input: UpdateTriggerBody,
): Promise<Trigger> {
  try {
    const updated = await withTransaction(deps.database, async (tx) => {
      const [before] = await tx.select().from(triggers).where(eq(triggers.id, id)).for('update');
      if (!before) throw notFound('trigger', id);
      await assertValid(tx, 'trigger', {
        conditions: input.conditions ?? before.conditions,
        actions: input.actions ?? before.actions,
      });
      const [row] = await tx
        .update(triggers)
        .set({ ...input, updatedAt: deps.now() })
        .where(eq(triggers.id, id))
        .returning();
      await assertNoLoop(tx, row!);
      await recordChange(tx, actor, {
        action: 'trigger.updated',
        entityType: 'trigger',
        entityId: id,
        data: changedFields(before, input),
      });
      return presentTrigger(row!);
    });
    forget(deps, 'trigger');
    return updated;
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(input.name ?? '');
    throw error;
  }
}

/** From → to of each field an update names, for the change log. */
function changedFields(
  before: Record<string, unknown>,
  input: Record<string, unknown>,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(input)
      .filter(([key, value]) => JSON.stringify(before[key]) !== JSON.stringify(value))
      .map(([key, value]) => [key, { from: before[key], to: value }]),
  );
}

export async function deleteRule(deps: Deps, actor: Actor, kind: RuleKind, id: string): Promise<void> {
  const table = TABLES[kind];
  await withTransaction(deps.database, async (tx) => {
    const [row] = await tx.delete(table).where(eq(table.id, id)).returning({ name: table.name });
    if (!row) throw notFound(kind, id);
    await recordChange(tx, actor, {
      action: `${kind}.deleted`,
      entityType: kind,
      entityId: id,
      data: { name: row.name },
    });
  });
  forget(deps, kind);
}

/** Puts the rules of a kind in the order given: they run in it. */
export async function orderRules(
  deps: Deps,
  actor: Actor,
  kind: RuleKind,
  ids: readonly string[],
): Promise<void> {
  const table = TABLES[kind];
  await withTransaction(deps.database, async (tx) => {
    const rows = await tx.select({ id: table.id }).from(table);
    const known = new Set(rows.map((r) => r.id));
    if (ids.length !== known.size || new Set(ids).size !== ids.length || ids.some((id) => !known.has(id))) {
      throw new AppError('VALIDATION_FAILED', {
        message: `name every ${kind} exactly once`,
        errors: [{ field: 'ids', message: 'every rule exactly once' }],
      });
    }
    for (const [index, id] of ids.entries()) {
      await tx
        .update(table)
        .set({ position: index + 1 })
        .where(eq(table.id, id));
    }
    await recordChange(tx, actor, {
      action: `${kind}.ordered`,
      entityType: kind,
      entityId: 'all',
      data: { ids },
    });
  });
  forget(deps, kind);
}

export async function listAutomations(deps: Deps): Promise<AutomationList> {
  const rows = await deps.database.db
    .select()
    .from(automations)
    .orderBy(asc(automations.position), asc(automations.createdAt));
  return { items: rows.map(presentAutomation) };
}

/** An automation changed: every open ticket's schedule is computed again, in the background. */
export type Reschedule = (deps: Deps) => Promise<void>;

export async function createAutomation(
  deps: Deps,
  actor: Actor,
  input: CreateAutomationBody,
  reschedule: Reschedule,
): Promise<Automation> {
  try {
    const created = await withTransaction(deps.database, async (tx) => {
      await assertValid(tx, 'automation', input);
      await assertCalendarExists(tx, input.timing.calendarId, 'timing.calendarId');
      const [row] = await tx
        .insert(automations)
        .values({ ...input, position: await nextPosition(tx, 'automation') })
        .returning();
      await recordChange(tx, actor, {
        action: 'automation.created',
        entityType: 'automation',
        entityId: row!.id,
        data: input,
      });
      return presentAutomation(row!);
    });
    forget(deps, 'automation');
    await reschedule(deps);
    return created;
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(input.name);
    throw error;
  }
}

export async function updateAutomation(
  deps: Deps,
  actor: Actor,
  id: string,
  input: UpdateAutomationBody,
  reschedule: Reschedule,
): Promise<Automation> {
  try {
    const updated = await withTransaction(deps.database, async (tx) => {
      const [before] = await tx.select().from(automations).where(eq(automations.id, id)).for('update');
      if (!before) throw notFound('automation', id);
      await assertValid(tx, 'automation', {
        conditions: input.conditions ?? before.conditions,
        actions: input.actions ?? before.actions,
      });
      await assertCalendarExists(tx, input.timing?.calendarId, 'timing.calendarId');
      const [row] = await tx
        .update(automations)
        .set({ ...input, updatedAt: deps.now() })
        .where(eq(automations.id, id))
        .returning();
      await recordChange(tx, actor, {
        action: 'automation.updated',
        entityType: 'automation',
        entityId: id,
        data: changedFields(before, input),
      });
      return presentAutomation(row!);
    });
    forget(deps, 'automation');
    await reschedule(deps);
    return updated;
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(input.name ?? '');
    throw error;
  }
}

/** What rules did lately (or only their failures), newest first. */
export async function listRuleRuns(deps: Deps, query: RuleRunQuery, ticketId?: string): Promise<RuleRunList> {
  const rows = await deps.database.db
    .select({ run: ruleRuns, number: tickets.number })
    .from(ruleRuns)
    .innerJoin(tickets, eq(tickets.id, ruleRuns.ticketId))
    .where(
      and(
        query.outcome ? eq(ruleRuns.outcome, query.outcome) : undefined,
        query.ruleId ? eq(ruleRuns.ruleId, query.ruleId) : undefined,
        ticketId ? eq(ruleRuns.ticketId, ticketId) : undefined,
      ),
    )
    .orderBy(desc(ruleRuns.createdAt))
    .limit(query.limit);
  return {
    items: rows.map(({ run, number }) => ({
      id: run.id,
      ruleKind: run.ruleKind,
      ruleId: run.ruleId,
      ruleName: run.ruleName,
      ticket: { id: run.ticketId, number: Number(number) },
      outcome: run.outcome,
      changes: run.changes,
      error: run.error,
      createdAt: run.createdAt.toISOString(),
    })),
  };
}

/** The change log of a kind of configuration (or of one object): who changed what, newest first. */
export async function listChangeLog(deps: Deps, query: ChangeLogQuery): Promise<ChangeLog> {
  const rows = await deps.database.db
    .select({ entry: auditLog, actorName: users.name })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorUserId))
    .where(
      and(
        eq(auditLog.entityType, query.entityType),
        query.entityId ? eq(auditLog.entityId, query.entityId) : undefined,
      ),
    )
    .orderBy(desc(auditLog.id))
    .limit(query.limit);
  return {
    items: rows.map(({ entry, actorName }) => ({
      id: Number(entry.id),
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      actor: { kind: entry.actorKind, id: entry.actorUserId, name: actorName },
      data: (entry.data ?? {}) as Record<string, unknown>,
      createdAt: entry.at.toISOString(),
    })),
  };
}
