import type { AgentRouting, AgentRoutingList, PutAgentRoutingBody, TeamRouting } from '@keepdesk/contract';
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import type { Executor, Tx } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { type Actor, recordChange, SYSTEM_ACTOR } from '../../platform/events';
import { users } from '../auth';
import { teamMemberships, teams } from '../teams';
import { routeTicket, tickets } from '../tickets';
import { type Candidate, chooseAgent, type RoutingMethod, requiredSkills } from './routing.domain';
import { agentRouting, teamRouting } from './routing.tables';

export const ROUTE_TICKET = 'routing.assign';
export const DRAIN_QUEUE = 'routing.drain';

/** Open work that counts against an agent's capacity. */
const OPEN = ['new', 'open'] as const;

/** The online members of a team with their load, read inside the routing transaction. */
async function candidates(executor: Executor, teamId: string): Promise<Candidate[]> {
  const rows = await executor
    .select({
      userId: teamMemberships.userId,
      capacity: agentRouting.capacity,
      lastAssignedAt: agentRouting.lastAssignedAt,
      skills: agentRouting.skills,
      languages: agentRouting.languages,
      load: sql<number>`(select count(*)::int from ${tickets} t
        where t.assignee_id = ${teamMemberships.userId} and t.status_category in ('new', 'open'))`,
    })
    .from(teamMemberships)
    .innerJoin(agentRouting, eq(agentRouting.userId, teamMemberships.userId))
    .innerJoin(users, eq(users.id, teamMemberships.userId))
    .where(
      and(eq(teamMemberships.teamId, teamId), eq(agentRouting.presence, 'online'), eq(users.isActive, true)),
    );
  return rows.map((r) => ({ ...r, load: Number(r.load) }));
}

async function methodOf(executor: Executor, teamId: string): Promise<RoutingMethod> {
  const [row] = await executor
    .select({ method: teamRouting.method })
    .from(teamRouting)
    .where(eq(teamRouting.teamId, teamId));
  return row?.method ?? 'manual';
}

/**
 * Routes one ticket of a team's queue. Assignments within a team are serialised by a transaction-level
 * advisory lock on the team, so loads counted by one process include what another just assigned: with two
 * processes and a thousand tickets at once every ticket is assigned once and loads stay within one.
 */
export async function assignTicket(deps: Deps, ticketId: string): Promise<string | null> {
  return routeTicket(deps, SYSTEM_ACTOR, ticketId, async (ticket, tx: Tx) => {
    const method = await methodOf(tx, ticket.teamId!);
    if (method === 'manual') return null;
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`routing:${ticket.teamId}`}))`);
    const pool = await candidates(tx, ticket.teamId!);
    const chosen = chooseAgent(method, pool, {
      skills: requiredSkills(ticket.tags, pool),
      language: ticket.language,
    });
    if (chosen) {
      await tx
        .update(agentRouting)
        .set({ lastAssignedAt: deps.now() })
        .where(eq(agentRouting.userId, chosen));
    }
    return chosen;
  });
}

/** When an agent comes online or takes more: the oldest waiting tickets of their teams find agents. */
export async function drainQueues(deps: Deps, userId: string, limit = 200): Promise<number> {
  const db = deps.database.db;
  const memberships = await db
    .select({ teamId: teamMemberships.teamId })
    .from(teamMemberships)
    .innerJoin(teamRouting, eq(teamRouting.teamId, teamMemberships.teamId))
    .where(and(eq(teamMemberships.userId, userId), sql`${teamRouting.method} <> 'manual'`));
  if (memberships.length === 0) return 0;
  const waiting = await db
    .select({ id: tickets.id })
    .from(tickets)
    .where(
      and(
        inArray(
          tickets.teamId,
          memberships.map((m) => m.teamId),
        ),
        isNull(tickets.assigneeId),
        inArray(tickets.statusCategory, [...OPEN]),
      ),
    )
    .orderBy(asc(tickets.createdAt))
    .limit(limit);
  let assigned = 0;
  for (const ticket of waiting) {
    if (await assignTicket(deps, ticket.id)) assigned++;
    else break; // nobody has room any more
  }
  return assigned;
}

async function assertTeam(executor: Executor, teamId: string): Promise<void> {
  const [team] = await executor.select({ id: teams.id }).from(teams).where(eq(teams.id, teamId));
  if (!team) throw notFound('team', teamId);
}

export async function teamRoutingOf(deps: Deps, teamId: string): Promise<TeamRouting> {
  await assertTeam(deps.database.db, teamId);
  return { teamId, method: await methodOf(deps.database.db, teamId) };
}

export async function setTeamRouting(
  deps: Deps,
  actor: Actor,
  teamId: string,
  method: RoutingMethod,
): Promise<TeamRouting> {
  const db = deps.database.db;
  await assertTeam(db, teamId);
  await db
    .insert(teamRouting)
    .values({ teamId, method })
    .onConflictDoUpdate({ target: teamRouting.teamId, set: { method, updatedAt: deps.now() } });
  await recordChange(db, actor, {
    action: 'team.routing_changed',
    entityType: 'team',
    entityId: teamId,
    data: { method },
  });
  return { teamId, method };
}

async function presentAgents(executor: Executor, userIds?: readonly string[]): Promise<AgentRouting[]> {
  const rows = await executor
    .select({
      id: users.id,
      name: users.name,
      presence: agentRouting.presence,
      presenceAt: agentRouting.presenceAt,
      capacity: agentRouting.capacity,
      skills: agentRouting.skills,
      languages: agentRouting.languages,
      load: sql<number>`(select count(*)::int from ${tickets} t
        where t.assignee_id = ${users.id} and t.status_category in ('new', 'open'))`,
    })
    .from(users)
    .leftJoin(agentRouting, eq(agentRouting.userId, users.id))
    .where(and(eq(users.isActive, true), userIds ? inArray(users.id, [...userIds]) : undefined))
    .orderBy(asc(users.name));
  return rows.map((r) => ({
    user: { id: r.id, name: r.name },
    presence: r.presence ?? 'offline',
    presenceAt: (r.presenceAt ?? new Date(0)).toISOString(),
    capacity: r.capacity ?? 10,
    load: Number(r.load),
    skills: r.skills ?? {},
    languages: r.languages ?? [],
  }));
}

export async function listAgents(deps: Deps): Promise<AgentRoutingList> {
  return { items: await presentAgents(deps.database.db) };
}

export async function setAgentRouting(
  deps: Deps,
  actor: Actor,
  userId: string,
  input: PutAgentRoutingBody,
): Promise<AgentRouting> {
  const db = deps.database.db;
  const [user] = await db.select({ id: users.id }).from(users).where(eq(users.id, userId));
  if (!user) throw notFound('user', userId);
  await db
    .insert(agentRouting)
    .values({ userId, ...input })
    .onConflictDoUpdate({ target: agentRouting.userId, set: input });
  await recordChange(db, actor, {
    action: 'user.routing_changed',
    entityType: 'user',
    entityId: userId,
    data: input,
  });
  const [agent] = await presentAgents(db, [userId]);
  if (input.capacity !== undefined) await deps.jobs.send(DRAIN_QUEUE, { userId });
  return agent!;
}

/** An agent's own presence; coming online lets their teams' waiting tickets find them. */
export async function setPresence(
  deps: Deps,
  actor: Actor,
  presence: 'online' | 'away' | 'offline',
): Promise<AgentRouting> {
  const userId = actor.userId;
  if (!userId) throw new AppError('FORBIDDEN', { message: 'only people have a presence' });
  const db = deps.database.db;
  const now = deps.now();
  await db
    .insert(agentRouting)
    .values({ userId, presence, presenceAt: now })
    .onConflictDoUpdate({ target: agentRouting.userId, set: { presence, presenceAt: now } });
  if (presence === 'online') await deps.jobs.send(DRAIN_QUEUE, { userId });
  const [agent] = await presentAgents(db, [userId]);
  return agent!;
}

export async function myRouting(deps: Deps, actor: Actor): Promise<AgentRouting> {
  if (!actor.userId) throw new AppError('FORBIDDEN', { message: 'only people have a presence' });
  const [agent] = await presentAgents(deps.database.db, [actor.userId]);
  if (!agent) throw notFound('user', actor.userId);
  return agent;
}
