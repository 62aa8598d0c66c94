import type { AgentRouting, AgentRoutingList, PutAgentRoutingBody, TeamRouting } from '@keepdesk/contract';
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import { type Executor, type Tx, withTransaction } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { type Actor, recordChange, SYSTEM_ACTOR } from '../../platform/events';
import { users } from '../auth';
import { teamMemberships, teams } from '../teams';
import { routeTicket, tickets } from '../tickets';
import { changePresence } from './presence.service';
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
      load: agentRouting.openTickets,
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
 * Another agent when the best one is being assigned to by someone else: one of those as good as the best
 * (as loaded) at random, so that callers running side by side spread out instead of all trying the next one
 * in the same order; the next best when there are none.
 */
function spread(
  method: RoutingMethod,
  pool: readonly Candidate[],
  busy: ReadonlySet<string>,
  need: { skills: readonly string[]; language: string },
): string | null {
  const open = pool.filter((c) => !busy.has(c.userId));
  const next = chooseAgent(method, open, need);
  if (!next || method === 'round_robin') return next;
  const load = open.find((c) => c.userId === next)!.load;
  const peers = open.filter((c) => c.load === load && chooseAgent(method, [c], need) === c.userId);
  return peers[Math.floor(Math.random() * peers.length)]?.userId ?? next;
}

/** How many times an assignment picks again when its agent was taken or changed meanwhile. */
const ATTEMPTS = 50;
const STALE = new Error('the chosen agent changed meanwhile');

/**
 * Routes one ticket of a team's queue (ADR 0026). Loads come from the agents' open-ticket counts; the chosen
 * agent's row is then locked, skipping it when another assignment holds it (that one will raise its load),
 * and read again: if its load or last assignment moved meanwhile, the choice is made again on fresh figures.
 * So assignments in a team run side by side, each ticket once (its row lock and the "still waiting" check),
 * and every agent's load stays within one of the others'.
 */
export async function assignTicket(deps: Deps, ticketId: string): Promise<string | null> {
  return routeTicket(deps, SYSTEM_ACTOR, ticketId, async (ticket, tx: Tx) => {
    const method = await methodOf(tx, ticket.teamId!);
    if (method === 'manual') return null;
    const need = (pool: readonly Candidate[]) => ({
      skills: requiredSkills(ticket.tags, pool),
      language: ticket.language,
    });
    const busy = new Set<string>();
    let pool = await candidates(tx, ticket.teamId!);
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const best = chooseAgent(method, pool, need(pool));
      if (!best) return null;
      // An agent someone else is assigning to right now is skipped only for one just as good (as loaded):
      // that assignment may still fall through, and then they would be the least loaded.
      const loadOf = (id: string) => pool.find((c) => c.userId === id)!.load;
      const other = busy.size === 0 ? best : spread(method, pool, busy, need(pool));
      const wait = !other || (method !== 'round_robin' && loadOf(other) > loadOf(best));
      const chosen = wait ? best : other;
      const seen = pool.find((c) => c.userId === chosen)!;
      // In a savepoint: a choice that turns out stale is rolled back, and with it the agent's row lock.
      const outcome = await tx
        .transaction(async (savepoint) => {
          const [fresh] = await savepoint
            .select({ load: agentRouting.openTickets, lastAssignedAt: agentRouting.lastAssignedAt })
            .from(agentRouting)
            .where(eq(agentRouting.userId, chosen))
            .for('update', wait ? {} : { skipLocked: true });
          if (!fresh) return 'busy' as const;
          if (
            fresh.load !== seen.load ||
            fresh.lastAssignedAt?.getTime() !== seen.lastAssignedAt?.getTime()
          ) {
            throw STALE;
          }
          await savepoint
            .update(agentRouting)
            .set({ lastAssignedAt: deps.now() })
            .where(eq(agentRouting.userId, chosen));
          return 'taken' as const;
        })
        .catch((error: unknown) => {
          if (error === STALE) return 'stale' as const;
          throw error;
        });
      if (outcome === 'taken') return chosen;
      if (outcome === 'busy') {
        busy.add(chosen);
      } else {
        busy.clear();
        pool = await candidates(tx, ticket.teamId!);
      }
    }
    // Still contended after many tries: the job fails and is tried again a moment later.
    throw new Error(`routing: no agent could be taken for ticket ${ticketId} after ${ATTEMPTS} tries`);
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
  await withTransaction(deps.database, (tx) => changePresence(tx, userId, presence, now));
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
