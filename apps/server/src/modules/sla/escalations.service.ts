import type { EscalateBody, EscalationList, SlaEscalation } from '@keepdesk/contract';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import { withTransaction } from '../../platform/db';
import { notFound } from '../../platform/errors';
import { type Actor, recordChange, SYSTEM_ACTOR } from '../../platform/events';
import { escapeHtml } from '../../platform/html';
import { stableUuid } from '../../platform/jobs';
import { users } from '../auth';
import { notify } from '../notifications';
import { teamMemberships, teams } from '../teams';
import { addSystemNote, tickets, updateTicket } from '../tickets';
import { slaPolicies, ticketEscalations } from './sla.tables';

export const SLA_SWEEP = 'sla.sweep';
export const ESCALATION_MAIL = 'sla.escalation-mail';
export const ESCALATE = 'sla.escalate';

type TicketRow = Pick<
  typeof tickets.$inferSelect,
  'id' | 'number' | 'subject' | 'priority' | 'teamId' | 'assigneeId' | 'slaDueAt' | 'slaPolicyId'
>;
type Kind = 'sla_at_risk' | 'sla_breached' | 'escalated';

const RAISED: Record<string, 'normal' | 'high' | 'urgent'> = {
  low: 'normal',
  normal: 'high',
  high: 'urgent',
};

async function leadsOf(deps: Deps, teamId: string | null): Promise<string[]> {
  if (!teamId) return [];
  const rows = await deps.database.db
    .select({ userId: teamMemberships.userId })
    .from(teamMemberships)
    .where(and(eq(teamMemberships.teamId, teamId), eq(teamMemberships.isLead, true)));
  return rows.map((r) => r.userId);
}

/** In-app notifications now, an e-mail each through a job (it must not hold up the sweep). */
async function tell(
  deps: Deps,
  userIds: readonly string[],
  ticket: TicketRow,
  kind: Kind,
  excerpt: string,
  actorUserId: string | null = null,
) {
  const recipients = [...new Set(userIds)];
  if (recipients.length === 0) return;
  await withTransaction(deps.database, (tx) =>
    notify(
      tx,
      deps,
      recipients.map((userId) => ({
        userId,
        kind,
        ticket: { id: ticket.id, number: Number(ticket.number), subject: ticket.subject },
        actorUserId,
        excerpt,
      })),
    ),
  );
  for (const userId of recipients) {
    await deps.jobs.send(
      ESCALATION_MAIL,
      { userId, ticketId: ticket.id, kind, excerpt },
      { id: stableUuid(`${ticket.id}:${kind}:${userId}:${ticket.slaDueAt?.toISOString() ?? Date.now()}`) },
    );
  }
}

const CANDIDATES = {
  id: tickets.id,
  number: tickets.number,
  subject: tickets.subject,
  priority: tickets.priority,
  teamId: tickets.teamId,
  assigneeId: tickets.assigneeId,
  slaDueAt: tickets.slaDueAt,
  slaPolicyId: tickets.slaPolicyId,
};

async function escalationOf(deps: Deps, policyId: string | null): Promise<SlaEscalation | null> {
  if (!policyId) return null;
  const [row] = await deps.database.db
    .select({ escalation: slaPolicies.escalation })
    .from(slaPolicies)
    .where(eq(slaPolicies.id, policyId));
  return row?.escalation ?? null;
}

/**
 * Records the escalations of clocks that turned at risk (or passed their due time) and were not escalated for
 * that due time yet: candidates and records in one statement, at most `batch` rows, walking the partial index
 * over running clocks. The unique key per ticket, kind and due time makes a repeated or concurrent sweep a no-op.
 */
async function recordDue(deps: Deps, kind: 'at_risk' | 'breach', now: Date, batch: number) {
  const at = sql`${now.toISOString()}::timestamptz`;
  const due =
    kind === 'at_risk' ? sql`t.sla_at_risk_at <= ${at} and t.sla_due_at > ${at}` : sql`t.sla_due_at <= ${at}`;
  const result = await deps.database.db.execute(sql`
    insert into ${ticketEscalations} (ticket_id, kind, due_at, reason, from_team_id)
    select t.id, ${kind}::text, t.sla_due_at, ${kind === 'at_risk' ? 'SLA target at risk' : 'SLA target breached'}::text,
           t.team_id
      from ${tickets} t
     where t.sla_status = 'running' and ${due}
       and not exists (select 1 from ${ticketEscalations} e
                        where e.ticket_id = t.id and e.kind = ${kind}::text and e.due_at = t.sla_due_at)
     order by ${kind === 'at_risk' ? sql`t.sla_at_risk_at` : sql`t.sla_due_at`}
     limit ${batch}
    on conflict do nothing
    returning ticket_id, due_at`);
  const rows = (result as unknown as { rows: { ticket_id: string; due_at: string | Date }[] }).rows;
  return rows.map((r) => ({ ticketId: String(r.ticket_id), dueAt: new Date(r.due_at).toISOString() }));
}

/**
 * The SLA sweep (every minute): running clocks that turned at risk or passed their due time since the last
 * sweep get their escalation recorded, a batch per statement, and each escalation is carried out by a job of
 * its own (notify, hand over, raise priority, as the policy says), so a sweep stays short however many clocks
 * turn at once. A sweep that runs twice, or in two processes at once, records and sends each once.
 */
export async function sweepSla(deps: Deps, batch = 1000): Promise<{ atRisk: number; breached: number }> {
  const now = deps.now();
  const counts = { atRisk: 0, breached: 0 };
  for (const kind of ['at_risk', 'breach'] as const) {
    for (;;) {
      const recorded = await recordDue(deps, kind, now, batch);
      await deps.jobs.sendMany(
        ESCALATE,
        recorded.map((r) => ({
          payload: { ...r, kind },
          id: stableUuid(`escalate:${r.ticketId}:${kind}:${r.dueAt}`),
        })),
      );
      if (kind === 'at_risk') counts.atRisk += recorded.length;
      else counts.breached += recorded.length;
      if (recorded.length < batch) break;
    }
  }
  return counts;
}

/**
 * Carries out one recorded escalation: at risk → tell whom the policy names; breach → act on it. A clock that
 * moved on meanwhile (answered, paused, a new due time) is left alone: the record stays, nothing is sent.
 */
export async function carryOutEscalation(
  deps: Deps,
  input: { ticketId: string; kind: 'at_risk' | 'breach'; dueAt: string },
): Promise<void> {
  const [ticket] = await deps.database.db
    .select({ ...CANDIDATES, slaStatus: tickets.slaStatus })
    .from(tickets)
    .where(eq(tickets.id, input.ticketId));
  if (ticket?.slaStatus !== 'running') return;
  if (ticket.slaDueAt?.toISOString() !== new Date(input.dueAt).toISOString()) return;
  if (input.kind === 'breach') {
    await actOnBreach(deps, ticket);
    return;
  }
  const rules = await escalationOf(deps, ticket.slaPolicyId);
  const whom = rules?.atRisk.notify ?? ['assignee'];
  await tell(
    deps,
    [
      ...(whom.includes('assignee') && ticket.assigneeId ? [ticket.assigneeId] : []),
      ...(whom.includes('team_lead') ? await leadsOf(deps, ticket.teamId) : []),
    ],
    ticket,
    'sla_at_risk',
    `due ${ticket.slaDueAt?.toISOString() ?? ''}`,
  );
}

/** What a breach does, as configured: tell people, give the ticket to the lead or another team, raise priority. */
async function actOnBreach(deps: Deps, ticket: TicketRow): Promise<void> {
  const rules = (await escalationOf(deps, ticket.slaPolicyId))?.breach;
  const leads = await leadsOf(deps, ticket.teamId);
  const changes: {
    assigneeId?: string | null;
    teamId?: string | null;
    priority?: 'normal' | 'high' | 'urgent';
  } = {};
  if (rules?.escalationTeamId && rules.escalationTeamId !== ticket.teamId) {
    changes.teamId = rules.escalationTeamId;
    changes.assigneeId = null;
  } else if (rules?.reassignToLead && leads[0] && leads[0] !== ticket.assigneeId) {
    changes.assigneeId = leads[0];
  }
  if (rules?.raisePriority && RAISED[ticket.priority]) changes.priority = RAISED[ticket.priority];
  if (Object.keys(changes).length > 0) {
    try {
      await updateTicket(deps, SYSTEM_ACTOR, ticket.id, changes);
    } catch (error) {
      // A rule that cannot be carried out (the ticket closed meanwhile) is noted on it, never retried forever.
      deps.log.warn({ err: error, ticketId: ticket.id }, 'sla: breach action not carried out');
      await addSystemNote(deps, ticket.id, {
        body: `SLA breach: the escalation could not be carried out (${(error as Error).message})`,
      });
    }
  }
  const whom = rules?.notify ?? ['assignee', 'team_lead'];
  const escalationLeads = changes.teamId ? await leadsOf(deps, changes.teamId) : [];
  await tell(
    deps,
    [
      ...(whom.includes('assignee') && ticket.assigneeId ? [ticket.assigneeId] : []),
      ...(whom.includes('team_lead') ? leads : []),
      ...escalationLeads,
      ...(changes.assigneeId ? [changes.assigneeId] : []),
    ],
    ticket,
    'sla_breached',
    `due ${ticket.slaDueAt?.toISOString() ?? ''}`,
  );
}

/**
 * An agent escalates by hand: to a higher tier (a person, e.g. the lead) or another department (a team), with
 * the reason and a hand-over note that stays on the ticket as an internal note.
 */
export async function escalate(deps: Deps, actor: Actor, ticketId: string, input: EscalateBody) {
  const db = deps.database.db;
  const [ticket] = await db.select(CANDIDATES).from(tickets).where(eq(tickets.id, ticketId));
  if (!ticket) throw notFound('ticket', ticketId);
  const raised = input.raisePriority ? RAISED[ticket.priority] : undefined;
  // The ticket update checks the team, and that the person belongs to it.
  await updateTicket(deps, actor, ticketId, {
    ...(input.toTeamId ? { teamId: input.toTeamId } : {}),
    ...(input.toUserId || input.toTeamId ? { assigneeId: input.toUserId } : {}),
    ...(raised ? { priority: raised } : {}),
  });
  const [row] = await db
    .insert(ticketEscalations)
    .values({
      ticketId,
      kind: 'manual',
      reason: input.reason,
      note: input.note,
      fromTeamId: ticket.teamId,
      toTeamId: input.toTeamId,
      toUserId: input.toUserId,
      byUserId: actor.userId,
    })
    .returning();
  await addSystemNote(deps, ticketId, {
    body: `<p><strong>${escapeHtml(input.reason)}</strong></p>${input.note ? `<p>${escapeHtml(input.note)}</p>` : ''}`,
    authorUserId: actor.userId,
  });
  await recordChange(db, actor, {
    action: 'ticket.escalated',
    entityType: 'ticket',
    entityId: ticketId,
    data: { escalationId: row!.id, toTeamId: input.toTeamId, toUserId: input.toUserId },
  });
  await tell(
    deps,
    [
      ...(input.toUserId ? [input.toUserId] : []),
      ...(input.toTeamId && !input.toUserId ? await leadsOf(deps, input.toTeamId) : []),
    ].filter((id) => id !== actor.userId),
    ticket,
    'escalated',
    input.reason,
    actor.userId,
  );
  return (await listEscalations(deps, ticketId)).items.find((e) => e.id === row!.id)!;
}

export async function listEscalations(deps: Deps, ticketId: string): Promise<EscalationList> {
  const db = deps.database.db;
  const rows = await db
    .select()
    .from(ticketEscalations)
    .where(eq(ticketEscalations.ticketId, ticketId))
    .orderBy(asc(ticketEscalations.createdAt));
  const teamIds = [
    ...new Set(rows.flatMap((r) => [r.fromTeamId, r.toTeamId]).filter((id): id is string => !!id)),
  ];
  const userIds = [
    ...new Set(rows.flatMap((r) => [r.toUserId, r.byUserId]).filter((id): id is string => !!id)),
  ];
  const teamRows = teamIds.length
    ? await db.select({ id: teams.id, name: teams.name }).from(teams).where(inArray(teams.id, teamIds))
    : [];
  const userRows = userIds.length
    ? await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, userIds))
    : [];
  const team = (id: string | null) => teamRows.find((t) => t.id === id) ?? null;
  const user = (id: string | null) => userRows.find((u) => u.id === id) ?? null;
  return {
    items: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      reason: r.reason,
      note: r.note,
      dueAt: r.dueAt?.toISOString() ?? null,
      fromTeam: team(r.fromTeamId),
      toTeam: team(r.toTeamId),
      toUser: user(r.toUserId),
      by: user(r.byUserId),
      createdAt: r.createdAt.toISOString(),
    })),
  };
}

/** The e-mail that goes with an escalation notification, in the recipient's language. */
export async function mailEscalation(
  deps: Deps,
  input: { userId: string; ticketId: string; kind: Kind; excerpt: string },
): Promise<void> {
  const db = deps.database.db;
  const [user] = await db
    .select({ email: users.email, name: users.name, language: users.language, active: users.isActive })
    .from(users)
    .where(eq(users.id, input.userId));
  const [ticket] = await db
    .select({ number: tickets.number, subject: tickets.subject })
    .from(tickets)
    .where(eq(tickets.id, input.ticketId));
  if (!user?.active || !ticket) return;
  const german = user.language === 'de';
  const what = {
    sla_at_risk: german ? 'SLA-Ziel gefährdet' : 'SLA target at risk',
    sla_breached: german ? 'SLA-Ziel verletzt' : 'SLA target breached',
    escalated: german ? 'Ticket an Sie eskaliert' : 'Ticket escalated to you',
  }[input.kind];
  const link = `${deps.config.baseUrl}/tickets/${input.ticketId}`;
  await deps.mailer.send({
    to: user.email,
    subject: `${what}: [#${ticket.number}] ${ticket.subject}`,
    text: `${german ? 'Hallo' : 'Hello'} ${user.name},\n\n${what}: #${ticket.number} ${ticket.subject}\n${input.excerpt}\n\n${link}\n`,
  });
}
