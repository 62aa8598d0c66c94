import type {
  CreateTeamBody,
  PageQuery,
  Team,
  TeamDetail,
  TeamPage,
  UpdateTeamBody,
} from '@keepdesk/contract';
import { and, count, eq, gt, ilike, or, sql } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import { type Executor, withTransaction } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { type Actor, recordChange } from '../../platform/events';
import { decodeCursor, likePattern, toPage } from '../../platform/pagination';
import { users } from '../auth';
import { teamMemberships, teams } from './teams.tables';

type TeamRow = typeof teams.$inferSelect & { memberCount: number };

function presentTeam(row: TeamRow): Team {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    memberCount: Number(row.memberCount),
    createdAt: row.createdAt.toISOString(),
  };
}

const memberCount = sql<number>`(select count(*)::int from ${teamMemberships} m where m.team_id = "teams"."id")`;

/** The name of a team a write refers to; a 400 naming `teamId` when there is no such team. */
export async function teamNameOrFail(
  executor: Executor,
  teamId: string | null | undefined,
): Promise<string | null> {
  if (!teamId) return null;
  const [row] = await executor.select({ name: teams.name }).from(teams).where(eq(teams.id, teamId));
  if (!row) {
    throw new AppError('VALIDATION_FAILED', {
      message: `team ${teamId} does not exist`,
      errors: [{ field: 'teamId', message: 'no such team' }],
    });
  }
  return row.name;
}

export async function listTeams(deps: Deps, query: PageQuery): Promise<TeamPage> {
  const conditions = [];
  if (query.q) conditions.push(ilike(teams.name, likePattern(query.q)));
  if (query.cursor) {
    const [name, id] = decodeCursor(query.cursor, 2);
    conditions.push(
      or(gt(teams.name, String(name)), and(eq(teams.name, String(name)), gt(teams.id, String(id)))),
    );
  }
  const rows = await deps.database.db
    .select({ team: teams, memberCount })
    .from(teams)
    .where(and(...conditions))
    .orderBy(teams.name, teams.id)
    .limit(query.limit + 1);
  return toPage(
    rows,
    query.limit,
    (r) => presentTeam({ ...r.team, memberCount: r.memberCount }),
    (r) => [r.team.name, r.team.id],
  );
}

async function loadTeam(executor: Executor, id: string): Promise<TeamDetail> {
  const [row] = await executor.select({ team: teams, memberCount }).from(teams).where(eq(teams.id, id));
  if (!row) throw notFound('team', id);
  const members = await executor
    .select({ userId: users.id, name: users.name, email: users.email, isLead: teamMemberships.isLead })
    .from(teamMemberships)
    .innerJoin(users, eq(users.id, teamMemberships.userId))
    .where(eq(teamMemberships.teamId, id))
    .orderBy(users.name);
  return { ...presentTeam({ ...row.team, memberCount: row.memberCount }), members };
}

export function getTeam(deps: Deps, id: string): Promise<TeamDetail> {
  return loadTeam(deps.database.db, id);
}

async function assertNameFree(executor: Executor, name: string, exceptId?: string): Promise<void> {
  const [clash] = await executor
    .select({ n: count() })
    .from(teams)
    .where(
      and(
        sql`lower(${teams.name}) = ${name.toLowerCase()}`,
        exceptId ? sql`${teams.id} <> ${exceptId}` : undefined,
      ),
    );
  if (clash && clash.n > 0) {
    throw new AppError('CONFLICT', {
      message: `team ${name} exists`,
      errors: [{ field: 'name', message: 'already in use' }],
    });
  }
}

export async function createTeam(deps: Deps, actor: Actor, input: CreateTeamBody): Promise<Team> {
  return withTransaction(deps.database, async (tx) => {
    await assertNameFree(tx, input.name);
    const [row] = await tx.insert(teams).values(input).returning();
    if (!row) throw new Error('insert returned no row');
    await recordChange(tx, actor, {
      action: 'team.created',
      entityType: 'team',
      entityId: row.id,
      data: { name: row.name },
    });
    return presentTeam({ ...row, memberCount: 0 });
  });
}

export async function updateTeam(deps: Deps, actor: Actor, id: string, input: UpdateTeamBody): Promise<Team> {
  return withTransaction(deps.database, async (tx) => {
    const before = await loadTeam(tx, id);
    if (input.name !== undefined) await assertNameFree(tx, input.name, id);
    await tx
      .update(teams)
      .set({
        name: input.name ?? before.name,
        description: input.description ?? before.description,
        updatedAt: deps.now(),
      })
      .where(eq(teams.id, id));
    await recordChange(tx, actor, {
      action: 'team.updated',
      entityType: 'team',
      entityId: id,
      data: { name: { from: before.name, to: input.name ?? before.name } },
    });
    const { members: _members, ...team } = await loadTeam(tx, id);
    return team;
  });
}

export async function deleteTeam(deps: Deps, actor: Actor, id: string): Promise<void> {
  await withTransaction(deps.database, async (tx) => {
    const [row] = await tx.delete(teams).where(eq(teams.id, id)).returning();
    if (!row) throw notFound('team', id);
    await recordChange(tx, actor, {
      action: 'team.deleted',
      entityType: 'team',
      entityId: id,
      data: { name: row.name },
    });
  });
}

/** Adds a user to a team, or changes whether they lead it. */
export async function putTeamMember(
  deps: Deps,
  actor: Actor,
  teamId: string,
  userId: string,
  isLead: boolean,
): Promise<TeamDetail> {
  return withTransaction(deps.database, async (tx) => {
    await loadTeam(tx, teamId);
    const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.id, userId));
    if (!user) throw notFound('user', userId);
    await tx
      .insert(teamMemberships)
      .values({ teamId, userId, isLead })
      .onConflictDoUpdate({ target: [teamMemberships.teamId, teamMemberships.userId], set: { isLead } });
    await recordChange(tx, actor, {
      action: 'team.member_set',
      entityType: 'team',
      entityId: teamId,
      data: { userId, isLead },
    });
    return loadTeam(tx, teamId);
  });
}

export async function removeTeamMember(
  deps: Deps,
  actor: Actor,
  teamId: string,
  userId: string,
): Promise<TeamDetail> {
  return withTransaction(deps.database, async (tx) => {
    const removed = await tx
      .delete(teamMemberships)
      .where(and(eq(teamMemberships.teamId, teamId), eq(teamMemberships.userId, userId)))
      .returning();
    if (removed.length === 0) throw notFound('team membership', `${teamId}/${userId}`);
    await recordChange(tx, actor, {
      action: 'team.member_removed',
      entityType: 'team',
      entityId: teamId,
      data: { userId },
    });
    return loadTeam(tx, teamId);
  });
}
