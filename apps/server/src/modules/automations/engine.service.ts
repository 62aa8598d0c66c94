import type { RuleAction, Ticket } from '@keepdesk/contract';
import { and, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import type { Executor, Tx } from '../../platform/db';
import { type Actor, type RuleRef, recordChange } from '../../platform/events';
import { users } from '../auth';
import { contactIdentities, contacts, organizations } from '../customers';
import { queueRuleEmail } from '../email';
import { notify } from '../notifications';
import { firstName, renderMacro } from '../sla';
import { teamMemberships } from '../teams';
import { addEvents, applyUpdate, insertSystemNote, slaStateOf, tickets } from '../tickets';
import { automationSchedule, ruleRuns } from './automations.tables';
import { inLanguage, planActions, type RuleFacts } from './rules.domain';

export const RULE_EMAIL = 'automations.email';

/** What placeholders in a rule's texts are filled with, besides the facts. */
interface Names {
  customerName: string;
  organizationName: string | null;
  assigneeName: string | null;
}

export interface LoadedFacts {
  facts: RuleFacts;
  names: Names;
  moments: {
    createdAt: Date;
    updatedAt: Date;
    solvedAt: Date | null;
    closed: boolean;
    merged: boolean;
  };
}

/** What rules read about a ticket, its requester and organisation, in one query; null for no such ticket. */
export async function loadFacts(
  executor: Executor,
  ticketId: string,
  now: Date,
  event: RuleFacts['event'],
  options: { lock?: boolean } = {},
): Promise<LoadedFacts | null> {
  const query = executor
    .select({
      ticket: tickets,
      customerName: contacts.name,
      customerLanguage: contacts.language,
      customerAttributes: contacts.attributes,
      customerEmail: sql<string | null>`(select ${contactIdentities.value} from ${contactIdentities}
        where ${contactIdentities.contactId} = ${contacts.id} and ${contactIdentities.kind} = 'email'
        order by ${contactIdentities.isPrimary} desc, ${contactIdentities.createdAt} limit 1)`,
      organizationName: organizations.name,
      organizationAttributes: organizations.attributes,
      assigneeName: users.name,
    })
    .from(tickets)
    .innerJoin(contacts, eq(contacts.id, tickets.requesterId))
    .leftJoin(organizations, eq(organizations.id, tickets.organizationId))
    .leftJoin(users, eq(users.id, tickets.assigneeId))
    .where(eq(tickets.id, ticketId));
  // Under the ticket's row lock when asked: loading and locking in one round trip.
  const [row] = options.lock ? await query.for('update', { of: tickets }) : await query;
  if (!row) return null;
  const t = row.ticket;
  return {
    facts: {
      ticket: {
        id: t.id,
        number: Number(t.number),
        subject: t.subject,
        statusKey: t.statusKey,
        statusCategory: t.statusCategory,
        priority: t.priority,
        type: t.type,
        channel: t.channel,
        language: t.language,
        teamId: t.teamId,
        assigneeId: t.assigneeId,
        organizationId: t.organizationId,
        tags: t.tags,
        customFields: t.customFields,
        sla: slaStateOf(t, now) ?? 'none',
      },
      customer: {
        email: row.customerEmail,
        language: row.customerLanguage,
        attributes: row.customerAttributes ?? {},
      },
      organization: row.organizationAttributes ? { attributes: row.organizationAttributes } : null,
      event,
    },
    names: {
      customerName: row.customerName ?? '',
      organizationName: row.organizationName,
      assigneeName: row.assigneeName,
    },
    moments: {
      createdAt: t.createdAt,
      updatedAt: t.updatedAt,
      solvedAt: t.solvedAt,
      closed: t.statusCategory === 'closed',
      merged: t.mergedIntoId !== null,
    },
  };
}

function render(text: string, loaded: LoadedFacts): string {
  const { facts, names } = loaded;
  return renderMacro(text, {
    'customer.name': names.customerName,
    'customer.firstName': firstName(names.customerName),
    'customer.email': facts.customer.email ?? '',
    'ticket.number': String(facts.ticket.number),
    'ticket.subject': facts.ticket.subject,
    'agent.name': names.assigneeName ?? '',
    'agent.firstName': firstName(names.assigneeName ?? ''),
    'organization.name': names.organizationName ?? '',
  });
}

async function recipients(
  tx: Executor,
  to: 'assignee' | 'team' | 'teamLeads',
  ticket: { assigneeId: string | null; teamId: string | null },
): Promise<string[]> {
  if (to === 'assignee') return ticket.assigneeId ? [ticket.assigneeId] : [];
  if (!ticket.teamId) return [];
  const rows = await tx
    .select({ userId: teamMemberships.userId })
    .from(teamMemberships)
    .innerJoin(users, eq(users.id, teamMemberships.userId))
    .where(
      and(
        eq(teamMemberships.teamId, ticket.teamId),
        eq(users.isActive, true),
        to === 'teamLeads' ? eq(teamMemberships.isLead, true) : undefined,
      ),
    );
  return rows.map((r) => r.userId);
}

export interface RuleToApply {
  ref: RuleRef;
  actions: readonly RuleAction[];
}

export type RuleOutcome =
  | { outcome: 'applied'; changes: { field: string; from: unknown; to: unknown }[]; ticket: Ticket | null }
  | { outcome: 'failed'; error: string };

/**
 * The facts after a rule changed the ticket, from the ticket the update returned (no second read). Customer
 * and organisation do not change by rules; the event keeps its kind and message.
 */
export function factsAfter(loaded: LoadedFacts, ticket: Ticket, event: RuleFacts['event']): LoadedFacts {
  return {
    ...loaded,
    facts: {
      ...loaded.facts,
      ticket: {
        ...loaded.facts.ticket,
        subject: ticket.subject,
        statusKey: ticket.status,
        statusCategory: ticket.statusCategory,
        priority: ticket.priority,
        type: ticket.type,
        teamId: ticket.team?.id ?? null,
        assigneeId: ticket.assignee?.id ?? null,
        organizationId: ticket.organization?.id ?? null,
        tags: ticket.tags,
        customFields: ticket.customFields,
        sla: ticket.sla?.state ?? 'none',
      },
      event,
    },
    names: { ...loaded.names, assigneeName: ticket.assignee?.name ?? null },
  };
}

/**
 * Does what a rule says to a ticket inside a savepoint of the caller's transaction, and records the run. A rule
 * that fails (a team deleted since, a required field missing) is rolled back alone, recorded on the ticket and
 * reported to the admins; whatever started it stands.
 */
export async function applyRule(
  tx: Tx,
  deps: Deps,
  rule: RuleToApply,
  loaded: LoadedFacts,
  key: { eventId: number } | { anchorAt: Date },
): Promise<RuleOutcome> {
  const actor: Actor = { kind: 'rule', userId: null, rule: rule.ref };
  const ticketId = loaded.facts.ticket.id;
  const runKey = {
    eventId: 'eventId' in key ? key.eventId : null,
    anchorAt: 'anchorAt' in key ? key.anchorAt : null,
  };
  try {
    const { changes, ticket } = await tx.transaction(async (savepoint) => {
      const sp = savepoint as unknown as Tx;
      const plan = planActions(rule.actions, loaded.facts.ticket);
      let after = { assigneeId: loaded.facts.ticket.assigneeId, teamId: loaded.facts.ticket.teamId };
      let made: { field: string; from: unknown; to: unknown }[] = [];
      let updated: Ticket | null = null;
      if (Object.keys(plan.update).length > 0) {
        const result = await applyUpdate(sp, deps, actor, ticketId, plan.update);
        made = result.changes;
        updated = result.changed ? result.ticket : null;
        after = { assigneeId: result.ticket.assignee?.id ?? null, teamId: result.ticket.team?.id ?? null };
      }
      const language = loaded.facts.ticket.language;
      for (const note of plan.notes) {
        const body = render(inLanguage(language, note.en, note.de), loaded);
        if (body.trim()) await insertSystemNote(sp, deps, ticketId, { body }, actor);
      }
      for (const action of plan.notifications) {
        const userIds = await recipients(sp, action.to, after);
        const excerpt = `${rule.ref.name}: ${render(inLanguage(language, action.textEn, action.textDe), loaded)}`;
        await notify(
          sp,
          deps,
          userIds.map((userId) => ({
            userId,
            kind: 'rule' as const,
            ticket: {
              id: ticketId,
              number: loaded.facts.ticket.number,
              subject: loaded.facts.ticket.subject,
            },
            actorUserId: null,
            excerpt,
          })),
        );
      }
      for (const [index, action] of plan.emails.entries()) {
        // Sent by a job after commit (the outbox), so a rolled-back run sends nothing.
        await recordChange(sp, actor, {
          action: 'rule.email_requested',
          entityType: 'ticket',
          entityId: ticketId,
          data: {
            key: `${rule.ref.id}:${runKey.eventId ?? runKey.anchorAt?.toISOString()}:${index}`,
            to: action.to,
            subject: render(inLanguage(language, action.subjectEn, action.subjectDe), loaded),
            text: render(inLanguage(language, action.bodyEn, action.bodyDe), loaded),
          },
        });
        made.push({ field: 'email', from: null, to: action.to });
      }
      await sp.insert(ruleRuns).values({
        ruleKind: rule.ref.kind,
        ruleId: rule.ref.id,
        ruleName: rule.ref.name,
        ticketId,
        ...runKey,
        outcome: 'applied',
        changes: made,
      });
      return { changes: made, ticket: updated };
    });
    return { outcome: 'applied', changes, ticket };
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    deps.log.warn({ err, rule: rule.ref, ticketId }, 'rule failed');
    await tx.insert(ruleRuns).values({
      ruleKind: rule.ref.kind,
      ruleId: rule.ref.id,
      ruleName: rule.ref.name,
      ticketId,
      ...runKey,
      outcome: 'failed',
      error,
    });
    await addEvents(tx, ticketId, actor, [{ kind: 'rule_failed', to: { error } }]);
    await reportFailure(tx, deps, rule.ref, loaded, error);
    return { outcome: 'failed', error };
  }
}

/** Admins hear of a failing rule in the app, once an hour per rule at most (a broken rule fails on every ticket). */
async function reportFailure(
  tx: Tx,
  deps: Deps,
  rule: RuleRef,
  loaded: LoadedFacts,
  error: string,
): Promise<void> {
  const hourAgo = new Date(deps.now().getTime() - 3600_000);
  const [earlier] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(ruleRuns)
    .where(
      and(eq(ruleRuns.ruleId, rule.id), eq(ruleRuns.outcome, 'failed'), gt(ruleRuns.createdAt, hourAgo)),
    );
  if ((earlier?.n ?? 0) > 1) return;
  const admins = await tx.execute(sql`select u.id from ${users} u
    join role_permissions p on p.role_key = u.role_key and p.permission = 'tickets:admin'
    where u.is_active`);
  const ids = (admins as unknown as { rows: { id: string }[] }).rows.map((r) => String(r.id));
  const { ticket } = loaded.facts;
  await notify(
    tx,
    deps,
    ids.map((userId) => ({
      userId,
      kind: 'rule_failed' as const,
      ticket: { id: ticket.id, number: ticket.number, subject: ticket.subject },
      actorUserId: null,
      excerpt: `${rule.name}: ${error}`,
    })),
  );
}

/** A ticket's automation schedule rows go when it closes or is merged. */
export async function clearSchedule(executor: Executor, ticketId: string): Promise<void> {
  await executor.delete(automationSchedule).where(eq(automationSchedule.ticketId, ticketId));
}

/**
 * Sends the e-mail a rule asked for (a job, after its run committed): to the requester from the ticket's
 * mailbox, in its thread, with delivery tracking; to agents as a plain message with a link to the ticket.
 */
export async function sendRuleEmail(
  deps: Deps,
  ticketId: string,
  mail: { key: string; to: 'requester' | 'assignee' | 'team' | 'teamLeads'; subject: string; text: string },
): Promise<void> {
  if (mail.to === 'requester') {
    await queueRuleEmail(deps, { ticketId, key: mail.key, subject: mail.subject, text: mail.text });
    return;
  }
  const db = deps.database.db;
  const [ticket] = await db
    .select({
      number: tickets.number,
      subject: tickets.subject,
      assigneeId: tickets.assigneeId,
      teamId: tickets.teamId,
    })
    .from(tickets)
    .where(eq(tickets.id, ticketId));
  if (!ticket) return;
  const userIds = await recipients(db, mail.to, ticket);
  if (userIds.length === 0) return;
  const people = await db
    .select({ email: users.email })
    .from(users)
    .where(and(inArray(users.id, userIds), eq(users.isActive, true)));
  const subject = mail.subject.trim() || `[#${ticket.number}] ${ticket.subject}`;
  const link = `${deps.config.baseUrl}/tickets/${ticketId}`;
  for (const person of people) {
    await deps.mailer.send({ to: person.email, subject, text: `${mail.text}\n\n${link}\n` });
  }
}
