import pg from 'pg';
import type { Deps } from '../apps/server/src/platform/context';
import { type KeepdeskInProcess, startKeepdeskInProcess } from './in-process';
import { type BenchResult, progress, round } from './lib';

/** 200 online agents, 5,000 waiting tickets each way, 8 callers at once (as job workers would be). */
const ROUTING = { agents: 200, capacity: 100, tickets: 5000, warmUp: 100, callers: 8 };

/**
 * A team routing least-loaded, `ROUTING.agents` online members with room, and `count` new unassigned tickets
 * in it. Agents and tickets are written in SQL (through the services they would take longer than the
 * measurement); the team and its routing method go through the services. Returns the team and ticket ids.
 */
async function routedTeam(
  deps: Deps,
  admin: pg.Pool,
  key: 'service' | 'bare',
  count: number,
): Promise<{ teamId: string; ticketIds: string[] }> {
  const { SYSTEM_ACTOR } = await import('../apps/server/src/platform/events');
  const { createTeam } = await import('../apps/server/src/modules/teams');
  const { setTeamRouting } = await import('../apps/server/src/modules/routing/routing.service');
  const team = await createTeam(deps, SYSTEM_ACTOR, { name: `Routing ${key}`, description: '' });
  await admin.query(
    `with agents as (
       insert into users (email, name, role_key)
       select 'routing-' || $2 || '-' || g || '@bench.keepdesk.test', 'Routing agent ' || $2 || ' ' || g, 'agent'
         from generate_series(1, $3::int) g
       returning id
     ), members as (
       insert into team_memberships (team_id, user_id) select $1, id from agents
     )
     insert into agent_routing (user_id, presence, capacity) select id, 'online', $4 from agents`,
    [team.id, key, ROUTING.agents, ROUTING.capacity],
  );
  await setTeamRouting(deps, SYSTEM_ACTOR, team.id, 'least_loaded');
  const { rows } = await admin.query<{ id: string }>(
    `with requester as (insert into contacts (name) values ($2) returning id)
     insert into tickets (subject, status_key, status_category, channel, requester_id, team_id, created_at)
     select 'Routing ' || g, 'new', 'new', 'email', requester.id, $1, now() - (($3::int - g) * interval '1 second')
       from generate_series(1, $3::int) g, requester
     returning id`,
    [team.id, `Routing requester ${key}`, count],
  );
  await admin.query('analyze tickets; analyze team_memberships; analyze agent_routing');
  return { teamId: team.id, ticketIds: rows.map((r) => r.id) };
}

/** Runs `assign` over the ids with `callers` concurrent callers; fails on any ticket left without an agent. */
async function assignAll(ids: readonly string[], assign: (id: string) => Promise<string | null>) {
  let next = 0;
  const caller = async () => {
    while (next < ids.length) {
      const id = ids[next++]!;
      if (!(await assign(id))) throw new Error(`ticket ${id} found no agent`);
    }
  };
  await Promise.all(Array.from({ length: ROUTING.callers }, caller));
}

/** Tickets/s over the measured tickets, after the warm-up ones. */
async function ticketsPerSecond(ids: readonly string[], assign: (id: string) => Promise<string | null>) {
  await assignAll(ids.slice(0, ROUTING.warmUp), assign);
  const measured = ids.slice(ROUTING.warmUp);
  const started = performance.now();
  await assignAll(measured, assign);
  return measured.length / ((performance.now() - started) / 1000);
}

/**
 * Least loaded in bare SQL, one transaction per ticket, the same design as the service (ADR 0026): the
 * agent with the fewest open tickets (the count the database triggers keep) and room, then whoever got one
 * longest ago, their row locked with `skip locked`; the ticket and the agent's last assignment are updated in
 * the same statement. No history, audit row, outbox event or notification.
 */
async function assignBare(pool: pg.Pool, teamId: string, ticketId: string): Promise<string | null> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const { rows } = await client.query<{ user_id: string }>(
      `with chosen as (
         select a.user_id from team_memberships m
           join agent_routing a on a.user_id = m.user_id
           join users u on u.id = m.user_id and u.is_active
          where m.team_id = $2 and a.presence = 'online' and a.open_tickets < a.capacity
          order by a.open_tickets, a.last_assigned_at nulls first, a.user_id
          limit 1
          for update of a skip locked
       ), assigned as (
         update tickets set assignee_id = chosen.user_id, status_key = 'open', status_category = 'open',
                updated_at = now() from chosen
          where tickets.id = $1 and tickets.assignee_id is null
         returning chosen.user_id
       )
       update agent_routing set last_assigned_at = now() from assigned
        where agent_routing.user_id = assigned.user_id
       returning agent_routing.user_id`,
      [ticketId, teamId],
    );
    await client.query('commit');
    return rows[0]?.user_id ?? null;
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
}

/** Every ticket has one agent, got it once (one assignee change in its history when `withHistory`), loads even. */
async function verify(admin: pg.Pool, teamId: string, ids: readonly string[], withHistory: boolean) {
  const { rows } = await admin.query<{
    unassigned: number;
    deviation: number;
    spread: number;
    agents: number;
  }>(
    `select (select count(*)::int from tickets where id = any($2::uuid[]) and assignee_id is null) as unassigned,
            max(abs(n - avg_n))::float8 as deviation, max(n) - min(n) as spread, count(*)::int as agents
       from (select n, avg(n) over () as avg_n
               from (select count(*)::int as n from tickets where team_id = $1 and assignee_id is not null
                      group by assignee_id) counted) loads`,
    [teamId, ids],
  );
  const { unassigned, deviation, spread, agents } = rows[0]!;
  if (unassigned > 0) throw new Error(`routing.assign: ${unassigned} tickets left without an agent`);
  // Even: every agent within one ticket of the average load. The bare reference does not check again after
  // its lock (it skips agents being assigned to for any other), so it is only reported.
  if (!withHistory) {
    progress(
      `routing.assign: bare SQL loads spread ${spread}, up to ${round(deviation, 2)} from the average`,
    );
    return;
  }
  if (agents !== ROUTING.agents || deviation > 1) {
    throw new Error(
      `routing.assign: loads not even (${agents} agents, spread ${spread}, deviation ${deviation})`,
    );
  }
  if (spread > 1)
    progress(`routing.assign: loads spread ${spread}, each within ${round(deviation, 2)} of the average`);
  if (!withHistory) return;
  const history = await admin.query<{ once: number }>(
    `select count(*)::int as once from (
       select ticket_id from ticket_events where ticket_id = any($1::uuid[]) and kind = 'changed' and field = 'assignee'
        group by ticket_id having count(*) = 1) assigned_once`,
    [ids],
  );
  if (history.rows[0]!.once !== ids.length) {
    throw new Error(
      `routing.assign: ${ids.length - history.rows[0]!.once} tickets not assigned exactly once`,
    );
  }
}

/**
 * `routing.assign`: tickets/s that `assignTicket` (the routing job's work) assigns with least-loaded routing,
 * 200 online agents and 8 concurrent callers, on 5,000 waiting tickets; reference: least loaded in bare SQL
 * through `pg` on another team of the same size in the same database, same callers.
 */
export async function routingAssign(): Promise<BenchResult> {
  let keepdesk: KeepdeskInProcess | undefined;
  let admin: pg.Pool | undefined;
  try {
    keepdesk = await startKeepdeskInProcess();
    const { deps } = keepdesk;
    admin = new pg.Pool({ connectionString: keepdesk.databaseUrl, max: ROUTING.callers });
    const total = ROUTING.warmUp + ROUTING.tickets;
    progress(`routing.assign: two teams of ${ROUTING.agents} online agents, ${total} waiting tickets each`);
    const routed = await routedTeam(deps, admin, 'service', total);
    const bare = await routedTeam(deps, admin, 'bare', total);
    const { assignTicket } = await import('../apps/server/src/modules/routing/routing.service');
    progress(`routing.assign: assignTicket, ${ROUTING.callers} callers`);
    const value = await ticketsPerSecond(routed.ticketIds, (id) => assignTicket(deps, id));
    await verify(admin, routed.teamId, routed.ticketIds, true);
    progress(`routing.assign: bare SQL through pg, ${ROUTING.callers} callers`);
    const pool = admin;
    const reference = await ticketsPerSecond(bare.ticketIds, (id) => assignBare(pool, bare.teamId, id));
    await verify(admin, bare.teamId, bare.ticketIds, false);
    return {
      id: 'routing.assign',
      value: round(value, 0),
      unit: 'tickets/s',
      reference: {
        name: 'least loaded in bare SQL through pg (counts, skip locked), same callers',
        value: round(reference, 0),
      },
      ratio: round(value / reference, 3),
    };
  } finally {
    await admin?.end();
    await keepdesk?.stop();
  }
}
