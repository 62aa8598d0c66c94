import type {
  CreateMacroBody,
  MacroList,
  MacroPreview,
  Macro as MacroView,
  UpdateMacroBody,
  UpdateTicketBody,
} from '@keepdesk/contract';
import { and, asc, eq, or } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import { AppError, notFound } from '../../platform/errors';
import { type Actor, recordChange } from '../../platform/events';
import { users } from '../auth';
import { contactIdentities, contacts, organizations } from '../customers';
import { tickets, updateTicket } from '../tickets';
import { firstName, type Placeholder, renderMacro, unknownPlaceholders } from './macros.domain';
import { macros } from './sla.tables';

type MacroRow = typeof macros.$inferSelect;

function present(row: MacroRow): MacroView {
  return {
    id: row.id,
    name: row.name,
    shared: row.shared,
    ownerId: row.ownerId,
    bodyEn: row.bodyEn,
    bodyDe: row.bodyDe,
    visibility: row.visibility,
    actions: row.actions,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** A placeholder nobody knows is a mistake to catch while writing, not a `{{…}}` in a customer's mail. */
function assertPlaceholders(input: { bodyEn?: string; bodyDe?: string }): void {
  const errors = (['bodyEn', 'bodyDe'] as const).flatMap((field) =>
    unknownPlaceholders(input[field] ?? '').map((name) => ({
      field,
      message: `unknown placeholder {{${name}}}`,
    })),
  );
  if (errors.length > 0) {
    throw new AppError('VALIDATION_FAILED', { message: `the macro uses ${errors[0]!.message}`, errors });
  }
}

export async function listMacros(deps: Deps, userId: string): Promise<MacroList> {
  const rows = await deps.database.db
    .select()
    .from(macros)
    .where(or(eq(macros.shared, true), eq(macros.ownerId, userId)))
    .orderBy(asc(macros.name));
  return { items: rows.map(present) };
}

export async function createMacro(
  deps: Deps,
  actor: Actor,
  input: CreateMacroBody,
  mayShare: boolean,
): Promise<MacroView> {
  assertPlaceholders(input);
  if (input.shared && !mayShare) {
    throw new AppError('FORBIDDEN', {
      message: 'shared macros are for admins and managers; keep it personal',
    });
  }
  const [row] = await deps.database.db
    .insert(macros)
    .values({ ...input, ownerId: input.shared ? null : actor.userId })
    .returning();
  await recordChange(deps.database.db, actor, {
    action: 'macro.created',
    entityType: 'macro',
    entityId: row!.id,
    data: { name: row!.name },
  });
  return present(row!);
}

async function editable(deps: Deps, actor: Actor, id: string, mayShare: boolean): Promise<MacroRow> {
  const [row] = await deps.database.db.select().from(macros).where(eq(macros.id, id));
  if (!row || (!row.shared && row.ownerId !== actor.userId)) throw notFound('macro', id);
  if (row.shared && !mayShare)
    throw new AppError('FORBIDDEN', { message: 'shared macros are changed by admins and managers' });
  return row;
}

export async function updateMacro(
  deps: Deps,
  actor: Actor,
  id: string,
  input: UpdateMacroBody,
  mayShare: boolean,
): Promise<MacroView> {
  assertPlaceholders(input);
  await editable(deps, actor, id, mayShare);
  if (input.shared && !mayShare)
    throw new AppError('FORBIDDEN', { message: 'only admins and managers share macros' });
  const [row] = await deps.database.db
    .update(macros)
    .set({
      ...input,
      ...(input.shared !== undefined ? { ownerId: input.shared ? null : actor.userId } : {}),
      updatedAt: deps.now(),
    })
    .where(eq(macros.id, id))
    .returning();
  await recordChange(deps.database.db, actor, {
    action: 'macro.updated',
    entityType: 'macro',
    entityId: id,
    data: input,
  });
  return present(row!);
}

export async function deleteMacro(deps: Deps, actor: Actor, id: string, mayShare: boolean): Promise<void> {
  await editable(deps, actor, id, mayShare);
  await deps.database.db.delete(macros).where(eq(macros.id, id));
  await recordChange(deps.database.db, actor, {
    action: 'macro.deleted',
    entityType: 'macro',
    entityId: id,
    data: {},
  });
}

/** What the macro would write and change on this ticket, in the ticket's language. */
export async function previewMacro(
  deps: Deps,
  actor: Actor,
  ticketId: string,
  macroId: string,
): Promise<MacroPreview> {
  const db = deps.database.db;
  const [macro] = await db
    .select()
    .from(macros)
    .where(and(eq(macros.id, macroId), or(eq(macros.shared, true), eq(macros.ownerId, actor.userId ?? ''))));
  if (!macro) throw notFound('macro', macroId);
  const [ticket] = await db
    .select({
      ticket: tickets,
      customer: contacts.name,
      organization: organizations.name,
    })
    .from(tickets)
    .innerJoin(contacts, eq(contacts.id, tickets.requesterId))
    .leftJoin(organizations, eq(organizations.id, tickets.organizationId))
    .where(eq(tickets.id, ticketId));
  if (!ticket) throw notFound('ticket', ticketId);
  const [email] = await db
    .select({ value: contactIdentities.value })
    .from(contactIdentities)
    .where(
      and(eq(contactIdentities.contactId, ticket.ticket.requesterId), eq(contactIdentities.kind, 'email')),
    )
    .limit(1);
  const [agent] = actor.userId
    ? await db.select({ name: users.name }).from(users).where(eq(users.id, actor.userId))
    : [];
  const language = ticket.ticket.language === 'de' ? 'de' : 'en';
  const values: Partial<Record<Placeholder, string>> = {
    'customer.name': ticket.customer,
    'customer.firstName': firstName(ticket.customer),
    'customer.email': email?.value ?? '',
    'ticket.number': String(ticket.ticket.number),
    'ticket.subject': ticket.ticket.subject,
    'agent.name': agent?.name ?? '',
    'agent.firstName': firstName(agent?.name ?? ''),
    'organization.name': ticket.organization ?? '',
  };
  // The ticket's language first; the other when the macro has only that one.
  const text = (language === 'de' ? macro.bodyDe || macro.bodyEn : macro.bodyEn || macro.bodyDe) ?? '';
  return {
    body: renderMacro(text, values),
    language,
    visibility: macro.visibility,
    changes: changesOf(macro, ticket.ticket, actor).map(([field, to]) => ({
      field,
      from: currentOf(ticket.ticket, field),
      to,
    })),
  };
}

function currentOf(ticket: typeof tickets.$inferSelect, field: string): unknown {
  const current: Record<string, unknown> = {
    status: ticket.statusKey,
    priority: ticket.priority,
    type: ticket.type,
    tags: ticket.tags,
    assignee: ticket.assigneeId,
  };
  return current[field] ?? null;
}

function changesOf(macro: MacroRow, ticket: typeof tickets.$inferSelect, actor: Actor): [string, unknown][] {
  const a = macro.actions;
  const changes: [string, unknown][] = [];
  if (a.status && a.status !== ticket.statusKey) changes.push(['status', a.status]);
  if (a.priority && a.priority !== ticket.priority) changes.push(['priority', a.priority]);
  if (a.type && a.type !== ticket.type) changes.push(['type', a.type]);
  const tags = [...new Set([...ticket.tags, ...(a.addTags ?? [])])];
  if (tags.length !== ticket.tags.length) changes.push(['tags', tags]);
  if (a.assignToMe && actor.userId && ticket.assigneeId !== actor.userId)
    changes.push(['assignee', actor.userId]);
  return changes;
}

/** Applies the macro's field changes now and gives back its text for the agent to send. */
export async function applyMacro(
  deps: Deps,
  actor: Actor,
  ticketId: string,
  macroId: string,
): Promise<MacroPreview> {
  const preview = await previewMacro(deps, actor, ticketId, macroId);
  const update: UpdateTicketBody = {};
  for (const change of preview.changes) {
    if (change.field === 'assignee') update.assigneeId = change.to as string;
    else (update as Record<string, unknown>)[change.field] = change.to;
  }
  if (Object.keys(update).length > 0) await updateTicket(deps, actor, ticketId, update);
  return preview;
}
