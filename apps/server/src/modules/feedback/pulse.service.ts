import type { CreatePulseBody, Pulse, PulseAnswerBody, PulseList, PulseResults } from '@keepdesk/contract';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import { type Executor, rowsOf, uuidArray, withTransaction } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { type Actor, recordChange } from '../../platform/events';
import { users } from '../auth';
import { teamMemberships, teams } from '../teams';
import { pulseAnswers, pulseInvitations, pulseSurveys } from './feedback.tables';
import { MINIMUM_GROUP, pulseAnswerProblems, pulseGroup } from './pulse.domain';

type PulseRow = typeof pulseSurveys.$inferSelect;

async function present(executor: Executor, row: PulseRow, now: Date): Promise<Pulse> {
  const [counts] = rowsOf(
    await executor.execute(sql`
      select count(*)::int as invited, count(*) filter (where answered)::int as answered
        from ${pulseInvitations} where pulse_id = ${row.id}`),
  );
  const closed = row.status === 'closed' || (row.closesAt !== null && row.closesAt <= now);
  return {
    id: row.id,
    name: row.name,
    questions: row.questions,
    teamIds: row.teamIds,
    status: closed ? 'closed' : 'open',
    closesAt: row.closesAt?.toISOString() ?? null,
    invited: Number(counts?.invited ?? 0),
    answered: Number(counts?.answered ?? 0),
    createdAt: row.createdAt.toISOString(),
  };
}

/**
 * Opens a pulse survey to the active members of its teams (or to everyone who works tickets); who is asked is
 * fixed when it opens.
 */
export async function createPulse(deps: Deps, actor: Actor, body: CreatePulseBody): Promise<Pulse> {
  return withTransaction(deps.database, async (tx) => {
    const [row] = await tx
      .insert(pulseSurveys)
      .values({
        name: body.name,
        questions: body.questions,
        teamIds: body.teamIds,
        closesAt: body.closesAt ? new Date(body.closesAt) : null,
      })
      .returning();
    const audience =
      body.teamIds.length > 0
        ? sql`select distinct m.user_id from ${teamMemberships} m join ${users} u on u.id = m.user_id
               where u.is_active and m.team_id = any(${uuidArray(body.teamIds)})`
        : sql`select u.id from ${users} u join role_permissions p on p.role_key = u.role_key
               where u.is_active and p.permission = 'tickets:write'`;
    await tx.execute(
      sql`insert into ${pulseInvitations} (pulse_id, user_id) select ${row!.id}::uuid, a.* from (${audience}) a`,
    );
    await recordChange(tx, actor, {
      action: 'pulse.created',
      entityType: 'pulse',
      entityId: row!.id,
      data: { name: body.name, teams: body.teamIds.length },
    });
    return present(tx, row!, deps.now());
  });
}

export async function listPulses(deps: Deps): Promise<PulseList> {
  const db = deps.database.db;
  const rows = await db.select().from(pulseSurveys).orderBy(desc(pulseSurveys.createdAt)).limit(100);
  return { items: await Promise.all(rows.map((row) => present(db, row, deps.now()))) };
}

/** The open pulse surveys this person was asked and has not answered yet. */
export async function myPulses(deps: Deps, userId: string): Promise<PulseList> {
  const db = deps.database.db;
  const now = deps.now();
  const rows = await db
    .select({ pulse: pulseSurveys })
    .from(pulseSurveys)
    .innerJoin(pulseInvitations, eq(pulseInvitations.pulseId, pulseSurveys.id))
    .where(
      and(
        eq(pulseInvitations.userId, userId),
        eq(pulseInvitations.answered, false),
        eq(pulseSurveys.status, 'open'),
        sql`(${pulseSurveys.closesAt} is null or ${pulseSurveys.closesAt} > ${now.toISOString()})`,
      ),
    )
    .orderBy(desc(pulseSurveys.createdAt));
  return { items: await Promise.all(rows.map((r) => present(db, r.pulse, now))) };
}

/**
 * Records an answer anonymously: the invitation is marked answered and the answer stored without the person,
 * with only the day and their teams, in one transaction. Once per person.
 */
export async function answerPulse(
  deps: Deps,
  userId: string,
  pulseId: string,
  body: PulseAnswerBody,
): Promise<void> {
  const now = deps.now();
  await withTransaction(deps.database, async (tx) => {
    const [pulse] = await tx.select().from(pulseSurveys).where(eq(pulseSurveys.id, pulseId));
    if (!pulse) throw notFound('pulse survey', pulseId);
    if (pulse.status === 'closed' || (pulse.closesAt !== null && pulse.closesAt <= now)) {
      throw new AppError('CONFLICT', { message: 'this pulse survey has closed' });
    }
    const problems = pulseAnswerProblems(pulse.questions, body.answers);
    if (problems.length > 0) {
      throw new AppError('VALIDATION_FAILED', {
        message: 'the answers do not fit the questions',
        errors: problems,
      });
    }
    const marked = await tx
      .update(pulseInvitations)
      .set({ answered: true })
      .where(
        and(
          eq(pulseInvitations.pulseId, pulseId),
          eq(pulseInvitations.userId, userId),
          eq(pulseInvitations.answered, false),
        ),
      )
      .returning({ userId: pulseInvitations.userId });
    if (marked.length === 0) {
      throw new AppError('CONFLICT', {
        message: 'you have answered this pulse survey already, or were not asked',
      });
    }
    const memberOf = await tx
      .select({ teamId: teamMemberships.teamId })
      .from(teamMemberships)
      .where(eq(teamMemberships.userId, userId));
    const teamIds = memberOf
      .map((m) => m.teamId)
      .filter((id) => pulse.teamIds.length === 0 || pulse.teamIds.includes(id));
    await tx.insert(pulseAnswers).values({
      pulseId,
      teamIds,
      answers: body.answers,
      comment: body.comment,
      day: now.toISOString().slice(0, 10),
    });
  });
}

export async function closePulse(deps: Deps, actor: Actor, id: string): Promise<Pulse> {
  return withTransaction(deps.database, async (tx) => {
    const [row] = await tx
      .update(pulseSurveys)
      .set({ status: 'closed' })
      .where(eq(pulseSurveys.id, id))
      .returning();
    if (!row) throw notFound('pulse survey', id);
    await recordChange(tx, actor, { action: 'pulse.closed', entityType: 'pulse', entityId: id, data: {} });
    return present(tx, row, deps.now());
  });
}

/**
 * Results once the pulse is closed, overall and per team, each shown only from `MINIMUM_GROUP` answers on and
 * only when the others (everyone minus the team) are no small group either.
 */
export async function pulseResults(deps: Deps, id: string): Promise<PulseResults> {
  const db = deps.database.db;
  const [row] = await db.select().from(pulseSurveys).where(eq(pulseSurveys.id, id));
  if (!row) throw notFound('pulse survey', id);
  const answers = await db.select().from(pulseAnswers).where(eq(pulseAnswers.pulseId, id));
  const teamIds = [...new Set(answers.flatMap((a) => a.teamIds))];
  const names = new Map(
    teamIds.length === 0
      ? []
      : (
          await db
            .select({ id: teams.id, name: teams.name })
            .from(teams)
            .where(sql`${teams.id} = any(${uuidArray(teamIds)})`)
        ).map((t) => [t.id, t.name] as const),
  );
  const pulse = await present(db, row, deps.now());
  // While it is open, each new answer would show as the difference to the last look: results wait for the close.
  const closed = pulse.status === 'closed';
  const group = (rows: typeof answers, visible: boolean) => {
    const result = pulseGroup(row.questions, closed && visible ? rows : []);
    return { ...result, answers: rows.length, hidden: result.hidden };
  };
  return {
    pulse,
    minimumGroup: MINIMUM_GROUP,
    overall: { key: null, label: '', ...group(answers, true) },
    teams: teamIds
      .map((teamId) => {
        const members = answers.filter((a) => a.teamIds.includes(teamId));
        // Everyone minus this team must not be a small group either, or subtracting would reveal it.
        const rest = answers.length - members.length;
        const visible = rest === 0 || rest >= MINIMUM_GROUP;
        return {
          key: teamId,
          label: names.get(teamId) ?? '',
          ...group(members, visible),
          // Comments stay with the overall result: in a small team they would tell who wrote them.
          comments: [],
        };
      })
      .sort((a, b) => a.label.localeCompare(b.label)),
  };
}
