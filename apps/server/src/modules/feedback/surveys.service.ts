import type {
  CreateSurveyBody,
  FeedbackSettings,
  PublicSurvey,
  Survey,
  SurveyAnswerBody,
  SurveyInvitationList,
  SurveyList,
  SurveyTexts,
  UpdateSurveyBody,
} from '@keepdesk/contract';
import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import { type Executor, isUniqueViolation, rowsOf, uuidArray, withTransaction } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { type Actor, NOTIFY_OUTBOX, recordChange, SYSTEM_ACTOR } from '../../platform/events';
import { escapeHtml } from '../../platform/html';
import { stableUuid } from '../../platform/jobs';
import { outboxEvents } from '../../platform/platform.tables';
import { contactIdentities, contacts } from '../customers';
import { fillTemplate, installationSecret, sendAutomaticMail } from '../email';
import { fieldCondition, tickets } from '../tickets';
import {
  feedbackSettings,
  type SurveyScale,
  surveyInvitations,
  surveyOptOuts,
  surveyResponses,
  surveys,
} from './feedback.tables';
import {
  answerChoices,
  choicesOf,
  invitationOfToken,
  parseScore,
  scaleOf,
  surveyToken,
} from './surveys.domain';

export const SEND_SURVEY = 'feedback.send-survey';
/** The event of an answer that calls for a follow-up ticket. */
export const FOLLOW_UP_REQUESTED = 'survey.follow_up_requested';
/** Attempts to hand a survey e-mail over before it counts as failed. */
export const SURVEY_SEND_ATTEMPTS = 5;
/** Invitations a relationship round creates per step; the sweep continues the round until all are made. */
const ROUND_BATCH = 500;

type SurveyRow = typeof surveys.$inferSelect;
type InvitationRow = typeof surveyInvitations.$inferSelect;

function surveyNameTaken(name: string): AppError {
  return new AppError('CONFLICT', {
    message: `a survey named ${name} exists`,
    errors: [{ field: 'name', message: 'already taken' }],
  });
}

async function present(executor: Executor, row: SurveyRow): Promise<Survey> {
  const [counts] = await executor
    .select({
      sent: sql<number>`count(*) filter (where ${surveyInvitations.status} in ('sending', 'sent'))::int`,
      answered: sql<number>`count(${surveyInvitations.answeredAt})::int`,
    })
    .from(surveyInvitations)
    .where(eq(surveyInvitations.surveyId, row.id));
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    active: row.active,
    scale: row.kind === 'csat' ? (row.scale ?? 'good-bad') : null,
    delayMinutes: row.delayMinutes,
    channels: row.channels as Survey['channels'],
    everyDays: row.everyDays,
    nextRunAt: row.nextRunAt?.toISOString() ?? null,
    audience: row.audience,
    askComment: row.askComment,
    expiresAfterDays: row.expiresAfterDays,
    followUp: row.followUp,
    texts: row.texts,
    sent: counts?.sent ?? 0,
    answered: counts?.answered ?? 0,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function listSurveys(deps: Deps): Promise<SurveyList> {
  const db = deps.database.db;
  const rows = await db.select().from(surveys).orderBy(asc(surveys.kind), asc(surveys.name));
  return { items: await Promise.all(rows.map((row) => present(db, row))) };
}

export async function getSurvey(deps: Deps, id: string): Promise<Survey> {
  const db = deps.database.db;
  const [row] = await db.select().from(surveys).where(eq(surveys.id, id));
  if (!row) throw notFound('survey', id);
  return present(db, row);
}

export async function createSurvey(deps: Deps, actor: Actor, body: CreateSurveyBody): Promise<Survey> {
  const now = deps.now();
  try {
    return await withTransaction(deps.database, async (tx) => {
      const [row] = await tx
        .insert(surveys)
        .values({
          name: body.name,
          kind: body.kind,
          active: body.active,
          scale: body.kind === 'csat' ? (body.scale ?? 'good-bad') : null,
          delayMinutes: body.delayMinutes,
          channels: body.channels,
          everyDays: body.kind === 'nps' ? body.everyDays : null,
          // A relationship survey's first round starts an hour after it is made: time to check its texts.
          nextRunAt: body.kind === 'nps' ? new Date(now.getTime() + 3600_000) : null,
          audience: body.audience,
          askComment: body.askComment,
          expiresAfterDays: body.expiresAfterDays,
          followUp: body.followUp,
          texts: body.texts,
        })
        .returning();
      await recordChange(tx, actor, {
        action: 'survey.created',
        entityType: 'survey',
        entityId: row!.id,
        data: { name: body.name, kind: body.kind },
      });
      return present(tx, row!);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw surveyNameTaken(body.name);
    throw error;
  }
}

export async function updateSurvey(
  deps: Deps,
  actor: Actor,
  id: string,
  body: UpdateSurveyBody & { nextRunAt?: string | null },
): Promise<Survey> {
  try {
    return await withTransaction(deps.database, async (tx) => {
      const [before] = await tx.select().from(surveys).where(eq(surveys.id, id)).for('update');
      if (!before) throw notFound('survey', id);
      if (body.scale !== undefined && body.scale !== null && before.kind !== 'csat') {
        throw new AppError('VALIDATION_FAILED', {
          message: 'only CSAT surveys have a scale',
          errors: [{ field: 'scale', message: 'only CSAT surveys have a scale' }],
        });
      }
      if (before.kind === 'nps' && body.everyDays === null) {
        throw new AppError('VALIDATION_FAILED', {
          message: 'an NPS survey needs everyDays',
          errors: [{ field: 'everyDays', message: 'required for NPS' }],
        });
      }
      const { nextRunAt, ...rest } = body;
      const [row] = await tx
        .update(surveys)
        .set({
          ...rest,
          ...(before.kind === 'csat' && body.scale === null ? { scale: 'good-bad' as const } : {}),
          ...(nextRunAt !== undefined && before.kind === 'nps'
            ? { nextRunAt: nextRunAt ? new Date(nextRunAt) : null }
            : {}),
          updatedAt: deps.now(),
        })
        .where(eq(surveys.id, id))
        .returning();
      await recordChange(tx, actor, {
        action: 'survey.updated',
        entityType: 'survey',
        entityId: id,
        data: { fields: Object.keys(body) },
      });
      return present(tx, row!);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw surveyNameTaken(body.name ?? '');
    throw error;
  }
}

/** Deletes a survey with its invitations and answers (they stop counting in every score). */
export async function deleteSurvey(deps: Deps, actor: Actor, id: string): Promise<void> {
  await withTransaction(deps.database, async (tx) => {
    const [row] = await tx.delete(surveys).where(eq(surveys.id, id)).returning({ name: surveys.name });
    if (!row) throw notFound('survey', id);
    await recordChange(tx, actor, {
      action: 'survey.deleted',
      entityType: 'survey',
      entityId: id,
      data: { name: row.name },
    });
  });
}

export function getFeedbackSettings(deps: Deps): Promise<FeedbackSettings> {
  return settingsWith(deps.database.db);
}

export async function settingsWith(executor: Executor): Promise<FeedbackSettings> {
  const [row] = await executor.select().from(feedbackSettings).where(eq(feedbackSettings.id, 1));
  return {
    throttleDays: row?.throttleDays ?? 30,
    complaintRatingMax: row?.complaintRatingMax ?? 2,
    revenueAttribute: row?.revenueAttribute ?? 'mrr',
    digestRecipients: row?.digestRecipients ?? [],
  };
}

export async function putFeedbackSettings(
  deps: Deps,
  actor: Actor,
  body: FeedbackSettings,
): Promise<FeedbackSettings> {
  await withTransaction(deps.database, async (tx) => {
    const values = {
      throttleDays: body.throttleDays,
      complaintRatingMax: body.complaintRatingMax,
      revenueAttribute: body.revenueAttribute,
      digestRecipients: body.digestRecipients,
    };
    await tx
      .insert(feedbackSettings)
      .values({ id: 1, ...values })
      .onConflictDoUpdate({ target: feedbackSettings.id, set: { ...values, updatedAt: deps.now() } });
    await recordChange(tx, actor, {
      action: 'feedback_settings.updated',
      entityType: 'feedback_settings',
      entityId: '1',
      data: { ...body },
    });
  });
  return body;
}

async function enqueueSends(deps: Deps, rows: readonly { id: string; sendAt: Date }[]): Promise<void> {
  if (rows.length === 0) return;
  const now = deps.now().getTime();
  await deps.jobs.sendMany(
    SEND_SURVEY,
    rows.map((row) => ({
      payload: { invitationId: row.id },
      id: stableUuid(`${row.id}:${row.sendAt.getTime()}`),
      startAfterSeconds: Math.max(0, Math.ceil((row.sendAt.getTime() - now) / 1000)),
    })),
  );
}

/**
 * A ticket was solved (or changed status): the CSAT and CES surveys whose channels it matches are scheduled
 * once per ticket, their delay after the solve. A ticket reopened before its survey went out is surveyed when
 * it is solved again.
 */
export async function scheduleTicketSurveys(deps: Deps, ticketId: string): Promise<number> {
  const db = deps.database.db;
  const [ticket] = await db
    .select({
      statusCategory: tickets.statusCategory,
      solvedAt: tickets.solvedAt,
      requesterId: tickets.requesterId,
      organizationId: tickets.organizationId,
      assigneeId: tickets.assigneeId,
      teamId: tickets.teamId,
      channel: tickets.channel,
      language: tickets.language,
      mergedIntoId: tickets.mergedIntoId,
    })
    .from(tickets)
    .where(eq(tickets.id, ticketId));
  const solved = ticket?.statusCategory === 'solved' || ticket?.statusCategory === 'closed';
  if (!ticket || ticket.mergedIntoId || !solved || !ticket.solvedAt) return 0;
  const active = await db
    .select()
    .from(surveys)
    .where(and(eq(surveys.active, true), sql`${surveys.kind} in ('csat', 'ces')`));
  const matching = active.filter((s) => s.channels.length === 0 || s.channels.includes(ticket.channel));
  if (matching.length === 0) return 0;
  const scheduled: { id: string; sendAt: Date }[] = [];
  for (const survey of matching) {
    const sendAt = new Date(ticket.solvedAt.getTime() + survey.delayMinutes * 60_000);
    const [row] = await db
      .insert(surveyInvitations)
      .values({
        surveyId: survey.id,
        contactId: ticket.requesterId,
        organizationId: ticket.organizationId,
        ticketId,
        agentId: ticket.assigneeId,
        teamId: ticket.teamId,
        channel: ticket.channel,
        language: ticket.language === 'de' ? 'de' : 'en',
        sendAt,
      })
      .onConflictDoUpdate({
        target: [surveyInvitations.surveyId, surveyInvitations.ticketId],
        targetWhere: sql`${surveyInvitations.ticketId} is not null`,
        set: {
          status: 'scheduled',
          skipReason: null,
          sendAt,
          agentId: ticket.assigneeId,
          teamId: ticket.teamId,
        },
        setWhere: sql`${surveyInvitations.status} = 'skipped' and ${surveyInvitations.skipReason} = 'reopened'`,
      })
      .returning({ id: surveyInvitations.id, sendAt: surveyInvitations.sendAt });
    if (row) scheduled.push(row);
  }
  await enqueueSends(deps, scheduled);
  return scheduled.length;
}

/**
 * The next step of every relationship survey whose round is due: up to `ROUND_BATCH` invitations to contacts
 * of its audience who have an address, have not opted out, were not surveyed within the throttle window and
 * have no invitation of this survey in this round. A round that found fewer is complete and the next is set.
 */
export async function runDueRounds(deps: Deps): Promise<number> {
  const db = deps.database.db;
  const now = deps.now();
  const due = await db
    .select()
    .from(surveys)
    .where(
      and(
        eq(surveys.active, true),
        eq(surveys.kind, 'nps'),
        sql`${surveys.nextRunAt} <= ${now.toISOString()}`,
      ),
    );
  const { throttleDays } = await getFeedbackSettings(deps);
  let created = 0;
  for (const survey of due) {
    const audience = survey.audience;
    const conditions = [
      sql`c.merged_into_id is null`,
      sql`exists (select 1 from ${contactIdentities} ci where ci.contact_id = c.id and ci.kind = 'email'
                   and ci.bouncing_since is null)`,
      sql`not exists (select 1 from ${surveyOptOuts} o where o.contact_id = c.id)`,
      sql`not exists (select 1 from ${surveyInvitations} i where i.contact_id = c.id
                       and i.status in ('sending', 'sent')
                       and i.sent_at > ${now.toISOString()}::timestamptz - make_interval(days => ${throttleDays}))`,
      sql`not exists (select 1 from ${surveyInvitations} i where i.contact_id = c.id and i.survey_id = ${survey.id}
                       and i.created_at > ${now.toISOString()}::timestamptz - make_interval(days => ${survey.everyDays ?? 1}))`,
    ];
    if (audience.organizationIds.length > 0) {
      conditions.push(sql`c.organization_id = any(${uuidArray(audience.organizationIds)})`);
    }
    for (const condition of audience.customer)
      conditions.push(fieldCondition(condition, sql.raw('c.attributes')));
    const result = await db.execute(sql`
      insert into ${surveyInvitations} (survey_id, contact_id, organization_id, language, send_at)
      select ${survey.id}::uuid, c.id, c.organization_id, case when c.language = 'de' then 'de' else 'en' end,
             ${now.toISOString()}::timestamptz
        from ${contacts} c
       where ${sql.join(conditions, sql` and `)}
       order by c.id
       limit ${ROUND_BATCH}
      returning id, send_at`);
    const rows = rowsOf(result).map((r) => ({ id: String(r.id), sendAt: now }));
    await enqueueSends(deps, rows);
    created += rows.length;
    if (rows.length < ROUND_BATCH) {
      await db
        .update(surveys)
        .set({ nextRunAt: new Date(now.getTime() + (survey.everyDays ?? 90) * 86_400_000) })
        .where(eq(surveys.id, survey.id));
    }
  }
  return created;
}

/**
 * Invitations due for more than two minutes that are still scheduled: their send job was lost (the process
 * died between writing the invitation and queueing it). Queued again, under a new job id per sweep.
 */
export async function requeueStuckInvitations(deps: Deps): Promise<number> {
  const now = deps.now();
  const rows = await deps.database.db
    .select({ id: surveyInvitations.id, sendAt: surveyInvitations.sendAt })
    .from(surveyInvitations)
    .where(
      and(
        eq(surveyInvitations.status, 'scheduled'),
        sql`${surveyInvitations.sendAt} < ${new Date(now.getTime() - 120_000).toISOString()}::timestamptz`,
      ),
    )
    .limit(ROUND_BATCH);
  const round = Math.floor(now.getTime() / 300_000);
  await deps.jobs.sendMany(
    SEND_SURVEY,
    rows.map((row) => ({ payload: { invitationId: row.id }, id: stableUuid(`${row.id}:requeue:${round}`) })),
  );
  return rows.length;
}

/** Merged contacts keep one history: the duplicate's opt-out and surveys move to the contact it joined. */
export async function moveSurveysToContact(tx: Executor, sourceId: string, targetId: string): Promise<void> {
  await tx.execute(sql`
    insert into ${surveyOptOuts} (contact_id, source, created_at)
    select ${targetId}::uuid, source, created_at from ${surveyOptOuts} where contact_id = ${sourceId}
    on conflict do nothing`);
  await tx.delete(surveyOptOuts).where(eq(surveyOptOuts.contactId, sourceId));
  await tx
    .update(surveyInvitations)
    .set({ contactId: targetId })
    .where(eq(surveyInvitations.contactId, sourceId));
  await tx
    .update(surveyResponses)
    .set({ contactId: targetId })
    .where(eq(surveyResponses.contactId, sourceId));
}

/** Why an invitation is not sent now, or null when it may go out. Called with the contact locked. */
async function reasonToSkip(
  tx: Executor,
  invitation: InvitationRow,
  survey: SurveyRow | undefined,
  now: Date,
): Promise<string | null> {
  if (!survey?.active) return 'survey_inactive';
  const [optedOut] = await tx
    .select({ contactId: surveyOptOuts.contactId })
    .from(surveyOptOuts)
    .where(eq(surveyOptOuts.contactId, invitation.contactId));
  if (optedOut) return 'opted_out';
  if (invitation.ticketId) {
    const [ticket] = await tx
      .select({ category: tickets.statusCategory })
      .from(tickets)
      .where(eq(tickets.id, invitation.ticketId));
    if (!ticket || (ticket.category !== 'solved' && ticket.category !== 'closed')) return 'reopened';
  }
  const { throttleDays } = await settingsWith(tx);
  if (throttleDays > 0) {
    const recent = await tx.execute(sql`
      select 1 from ${surveyInvitations}
       where contact_id = ${invitation.contactId} and id <> ${invitation.id} and status in ('sending', 'sent')
         and sent_at > ${now.toISOString()}::timestamptz - make_interval(days => ${throttleDays})
       limit 1`);
    if (rowsOf(recent).length > 0) return 'throttled';
  }
  return null;
}

async function addressOf(executor: Executor, contactId: string): Promise<string | null> {
  const [row] = await executor
    .select({ value: contactIdentities.value })
    .from(contactIdentities)
    .where(
      and(
        eq(contactIdentities.contactId, contactId),
        eq(contactIdentities.kind, 'email'),
        isNull(contactIdentities.bouncingSince),
      ),
    )
    .orderBy(desc(contactIdentities.isPrimary), asc(contactIdentities.createdAt))
    .limit(1);
  return row?.value ?? null;
}

/**
 * Sends one invitation when it is due. Under a lock on the contact it checks consent, the ticket's state and
 * the throttle window, and claims the send (which counts for throttling from then on); the e-mail goes out
 * after the commit. A failed hand-over is retried by the job, and after `SURVEY_SEND_ATTEMPTS` it is failed.
 */
export async function sendInvitation(
  deps: Deps,
  invitationId: string,
): Promise<InvitationRow['status'] | null> {
  const now = deps.now();
  const claimed = await withTransaction(deps.database, async (tx) => {
    const [invitation] = await tx
      .select()
      .from(surveyInvitations)
      .where(eq(surveyInvitations.id, invitationId))
      .for('update');
    if (!invitation) return null;
    if (invitation.status === 'sending') return invitation;
    if (invitation.status !== 'scheduled' || invitation.sendAt.getTime() > now.getTime() + 1000) return null;
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtextextended(${invitation.contactId}::text, 7243))`,
    );
    const [survey] = await tx.select().from(surveys).where(eq(surveys.id, invitation.surveyId));
    const address = await addressOf(tx, invitation.contactId);
    const skip = (await reasonToSkip(tx, invitation, survey, now)) ?? (address ? null : 'no_address');
    const [updated] = await tx
      .update(surveyInvitations)
      .set(
        skip
          ? { status: 'skipped', skipReason: skip }
          : {
              status: 'sending',
              toAddress: address,
              sentAt: now,
              expiresAt: new Date(now.getTime() + survey!.expiresAfterDays * 86_400_000),
            },
      )
      .where(eq(surveyInvitations.id, invitationId))
      .returning();
    return updated!.status === 'sending' ? updated! : null;
  });
  if (!claimed) return null;
  const attempts = claimed.attempts + 1;
  try {
    await deliverInvitation(deps, claimed);
    await deps.database.db
      .update(surveyInvitations)
      .set({ status: 'sent', attempts, lastError: null })
      .where(eq(surveyInvitations.id, invitationId));
    return 'sent';
  } catch (error) {
    const final = attempts >= SURVEY_SEND_ATTEMPTS;
    await deps.database.db
      .update(surveyInvitations)
      .set({
        attempts,
        lastError: (error as Error).message.slice(0, 1000),
        ...(final ? { status: 'failed' } : {}),
      })
      .where(eq(surveyInvitations.id, invitationId));
    if (final) {
      deps.log.warn({ invitationId, err: error }, 'survey e-mail not delivered; given up');
      return 'failed';
    }
    throw error;
  }
}

/** The public survey page's address for a token. */
export function surveyUrl(deps: Deps, token: string, score?: string): string {
  return `${deps.config.baseUrl}/survey/${token}${score === undefined ? '' : `?score=${encodeURIComponent(score)}`}`;
}

/** What `{{name}}`, `{{number}}` and `{{subject}}` stand for in a survey's texts. */
function placeholderValues(
  language: 'de' | 'en',
  name: string | null,
  ticket: { number: number | string; subject: string } | null,
): Record<string, string | number> {
  return {
    name: name || (language === 'de' ? 'Kundin, Kunde' : 'there'),
    number: ticket ? Number(ticket.number) : '',
    subject: ticket?.subject ?? '',
  };
}

/** The page's texts with their placeholders filled in. */
function pageTexts(texts: SurveyTexts, values: Record<string, string | number>): SurveyTexts {
  const fill = (text: string) => fillTemplate(text, values);
  return {
    subject: fill(texts.subject),
    intro: fill(texts.intro),
    question: fill(texts.question),
    commentPrompt: fill(texts.commentPrompt),
    thanks: fill(texts.thanks),
  };
}

/** The survey e-mail: intro, question, one link per answer (one click answers), and a way to opt out. */
async function deliverInvitation(deps: Deps, invitation: InvitationRow): Promise<void> {
  const db = deps.database.db;
  const [survey] = await db.select().from(surveys).where(eq(surveys.id, invitation.surveyId));
  const [contact] = await db
    .select({ name: contacts.name })
    .from(contacts)
    .where(eq(contacts.id, invitation.contactId));
  const [ticket] = invitation.ticketId
    ? await db
        .select({ number: tickets.number, subject: tickets.subject })
        .from(tickets)
        .where(eq(tickets.id, invitation.ticketId))
    : [];
  if (!survey || !invitation.toAddress) throw new Error('the survey or the address is gone');
  const language = invitation.language;
  const german = language === 'de';
  const texts = survey.texts[language];
  const values = placeholderValues(language, contact?.name ?? null, ticket ?? null);
  const fill = (text: string) => fillTemplate(text, values);
  const token = surveyToken(await installationSecret(deps, 'survey-token'), invitation.id);
  const choices = choicesOf(scaleOf(survey.kind, survey.scale), language);
  const optOut = `${surveyUrl(deps, token)}/opt-out`;
  const optOutLabel = german ? 'Keine Umfragen mehr erhalten' : 'Stop receiving surveys';
  const buttons = choices
    .map(
      (choice) =>
        `<a href="${escapeHtml(surveyUrl(deps, token, choice.value))}" style="display:inline-block;margin:4px;padding:10px 14px;border:1px solid #1c7ed6;border-radius:6px;color:#1864ab;text-decoration:none">${escapeHtml(choice.label)}</a>`,
    )
    .join('');
  const html = [
    texts.intro ? `<p>${escapeHtml(fill(texts.intro))}</p>` : '',
    `<p><strong>${escapeHtml(fill(texts.question))}</strong></p>`,
    `<p>${buttons}</p>`,
    `<p style="font-size:12px;color:#555"><a href="${escapeHtml(optOut)}">${optOutLabel}</a></p>`,
  ].join('\n');
  const text = [
    texts.intro ? fill(texts.intro) : '',
    fill(texts.question),
    '',
    ...choices.map((choice) => `${choice.label}: ${surveyUrl(deps, token, choice.value)}`),
    '',
    `${optOutLabel}: ${optOut}`,
  ].join('\n');
  await sendAutomaticMail(deps, {
    ticketId: invitation.ticketId,
    teamId: invitation.teamId,
    to: invitation.toAddress,
    subject: fill(texts.subject),
    html,
    text: text.trim(),
    // RFC 8058: mail clients offer a one-click unsubscribe that posts to this address.
    headers: { 'List-Unsubscribe': `<${optOut}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  });
}

interface LoadedInvitation {
  invitation: InvitationRow;
  survey: SurveyRow;
  response: Pick<typeof surveyResponses.$inferSelect, 'id' | 'score' | 'comment'> | null;
  contactName: string | null;
  ticket: { number: number; subject: string } | null;
}

function invalidLink(): AppError {
  return new AppError('NOT_FOUND', { message: 'this survey link is not valid' });
}

/** The invitation a link's token names, when its signature holds. */
async function invitationIdOf(deps: Deps, token: string): Promise<string> {
  const id = invitationOfToken(await installationSecret(deps, 'survey-token'), token);
  if (!id) throw invalidLink();
  return id;
}

async function invitationOf(deps: Deps, token: string): Promise<LoadedInvitation> {
  const id = await invitationIdOf(deps, token);
  const [row] = await deps.database.db
    .select({
      invitation: surveyInvitations,
      survey: surveys,
      response: surveyResponses,
      contactName: contacts.name,
      ticketNumber: tickets.number,
      ticketSubject: tickets.subject,
    })
    .from(surveyInvitations)
    .innerJoin(surveys, eq(surveys.id, surveyInvitations.surveyId))
    .leftJoin(surveyResponses, eq(surveyResponses.invitationId, surveyInvitations.id))
    .leftJoin(contacts, eq(contacts.id, surveyInvitations.contactId))
    .leftJoin(tickets, eq(tickets.id, surveyInvitations.ticketId))
    .where(eq(surveyInvitations.id, id));
  if (!row || (row.invitation.status !== 'sent' && row.invitation.status !== 'sending')) throw invalidLink();
  const { ticketNumber, ticketSubject, ...rest } = row;
  return {
    ...rest,
    ticket:
      ticketNumber === null || ticketSubject === null
        ? null
        : { number: Number(ticketNumber), subject: ticketSubject },
  };
}

function isExpired(deps: Deps, invitation: InvitationRow): boolean {
  return !invitation.expiresAt || invitation.expiresAt.getTime() <= deps.now().getTime();
}

function presentPublic(deps: Deps, loaded: LoadedInvitation): PublicSurvey {
  const { invitation, survey, response } = loaded;
  const texts = pageTexts(
    survey.texts[invitation.language],
    placeholderValues(invitation.language, loaded.contactName, loaded.ticket),
  );
  const expired = isExpired(deps, invitation);
  return {
    state: response ? 'answered' : expired ? 'expired' : 'open',
    kind: survey.kind,
    scale: scaleOf(survey.kind, survey.scale),
    language: invitation.language,
    question: texts.question,
    intro: texts.intro,
    commentPrompt: texts.commentPrompt,
    askComment: survey.askComment,
    thanks: texts.thanks,
    score: response?.score ?? null,
    commentOpen: Boolean(response && survey.askComment && response.comment === '' && !expired),
  };
}

/** What a survey link shows: its question, or that it was answered or has expired. */
export async function publicSurvey(deps: Deps, token: string): Promise<PublicSurvey> {
  return presentPublic(deps, await invitationOf(deps, token));
}

/**
 * The answer's statement: reads the invitation and its survey, marks the invitation answered (once, while the
 * link is valid, when the answer fits the survey's scale), writes the answer with its copies of the links and
 * its outbox events, and returns what the page shows next. One round trip; a failure reads the same row to
 * say why. It does not wake the outbox dispatcher (NOTIFY): PostgreSQL serialises the commits of transactions
 * that notify, which cost a fifth of the answers per second; the dispatcher's poll takes the events within
 * two seconds (ADR 0027).
 */
const ANSWER_SQL = `
  with inv as (
    select i.id, i.answered_at, i.expires_at, i.language, s.id as survey_id, s.kind, s.ask_comment,
           s.texts -> i.language as texts,
           (select name from contacts where id = i.contact_id) as contact_name,
           (select jsonb_build_object('number', number, 'subject', subject) from tickets where id = i.ticket_id)
             as ticket,
           case s.kind when 'nps' then '0-10' when 'ces' then '1-7' else coalesce(s.scale, 'good-bad') end as scale,
           s.follow_up
      from survey_invitations i join surveys s on s.id = i.survey_id
     where i.id = $1 and i.status in ('sent', 'sending')
  ), pick as (
    select inv.*, $3::jsonb -> (inv.kind || ':' || inv.scale) as choice from inv
  ), answered as (
    update survey_invitations i set answered_at = $2
      from pick
     where i.id = pick.id and i.answered_at is null and i.expires_at > $2 and pick.choice is not null
    returning i.*
  ), response as (
    insert into survey_responses (invitation_id, survey_id, kind, scale, score, rating, comment, commented_at,
                                  contact_id, organization_id, ticket_id, agent_id, team_id, channel, language,
                                  answered_at)
    select a.id, a.survey_id, p.kind, p.scale, (p.choice ->> 'score')::smallint, p.choice ->> 'rating',
           case when p.ask_comment then $4 else '' end,
           case when p.ask_comment and $4 <> '' then $2::timestamptz end,
           a.contact_id, a.organization_id, a.ticket_id, a.agent_id, a.team_id, a.channel, a.language, $2
      from answered a, pick p
    returning id, ticket_id, score, rating, comment
  ), event as (
    insert into outbox_events (type, payload)
    select e.type, jsonb_build_object('entityType', 'survey_response', 'entityId', r.id::text, 'actorUserId', null,
           'data', jsonb_build_object('ticketId', r.ticket_id, 'surveyId', p.survey_id, 'rating', r.rating,
           'score', r.score))
      from response r, pick p,
           lateral (values ('survey.answered'),
                           (case when p.follow_up and (p.choice ->> 'negative')::boolean then $5 end)) as e(type)
     where e.type is not null
  )
  select p.*, r.id as response_id, r.score as response_score, r.comment as response_comment
    from pick p left join response r on true`;

/**
 * Records the answer of a survey link: once. Two clicks at once record one answer; a reused or expired link
 * or a score outside the survey's scale changes nothing and says why.
 */
export async function answerSurvey(deps: Deps, token: string, body: SurveyAnswerBody): Promise<PublicSurvey> {
  const id = await invitationIdOf(deps, token);
  const now = deps.now();
  const result = await deps.database.query(ANSWER_SQL, [
    id,
    now.toISOString(),
    JSON.stringify(answerChoices(body.score)),
    body.comment ?? '',
    FOLLOW_UP_REQUESTED,
  ]);
  const row = result.rows[0];
  if (!row) throw invalidLink();
  const kind = row.kind as Survey['kind'];
  const scale = row.scale as SurveyScale;
  const texts = pageTexts(
    row.texts as SurveyTexts,
    placeholderValues(
      row.language as 'de' | 'en',
      (row.contact_name as string | null) ?? null,
      (row.ticket as { number: number; subject: string } | null) ?? null,
    ),
  );
  if (row.response_id === null) {
    if (row.answered_at !== null) throw answeredError();
    const expiresAt = row.expires_at === null ? null : new Date(row.expires_at as string);
    if (!expiresAt || expiresAt.getTime() <= now.getTime()) throw expiredError();
    const parsed = parseScore(scale, body.score);
    if (parsed.error !== undefined) {
      throw new AppError('VALIDATION_FAILED', {
        message: parsed.error,
        errors: [{ field: 'score', message: parsed.error }],
      });
    }
    // Someone answered in between: a double click.
    throw answeredError();
  }
  const comment = String(row.response_comment);
  return {
    state: 'answered',
    kind,
    scale,
    language: row.language as 'de' | 'en',
    question: texts.question,
    intro: texts.intro,
    commentPrompt: texts.commentPrompt,
    askComment: Boolean(row.ask_comment),
    thanks: texts.thanks,
    score: Number(row.response_score),
    commentOpen: Boolean(row.ask_comment) && comment === '',
  };
}

function answeredError(): AppError {
  return new AppError('SURVEY_ANSWERED', { message: 'this survey has already been answered' });
}

function expiredError(): AppError {
  return new AppError('SURVEY_EXPIRED', { message: 'this survey link has expired' });
}

/** Adds the comment to an answer given with one click; once, and while the link is valid. */
export async function commentOnAnswer(deps: Deps, token: string, comment: string): Promise<PublicSurvey> {
  const loaded = await invitationOf(deps, token);
  if (!loaded.response) {
    throw new AppError('CONFLICT', { message: 'answer the question before adding a comment' });
  }
  if (isExpired(deps, loaded.invitation)) throw expiredError();
  if (!loaded.survey.askComment || loaded.response.comment !== '') throw answeredError();
  const updated = await withTransaction(deps.database, async (tx) => {
    const rows = await tx
      .update(surveyResponses)
      .set({ comment, commentedAt: deps.now() })
      .where(and(eq(surveyResponses.id, loaded.response!.id), eq(surveyResponses.comment, '')))
      .returning({ id: surveyResponses.id, ticketId: surveyResponses.ticketId });
    if (rows.length === 0) return false;
    await tx.insert(outboxEvents).values({
      type: 'survey.commented',
      payload: {
        entityType: 'survey_response',
        entityId: rows[0]!.id,
        actorUserId: null,
        data: { ticketId: rows[0]!.ticketId },
      },
    });
    await tx.execute(sql`select ${NOTIFY_OUTBOX}`);
    return true;
  });
  if (!updated) throw answeredError();
  return presentPublic(deps, await invitationOf(deps, token));
}

/** The contact behind a survey link asks never to be surveyed again. */
export async function optOutByToken(deps: Deps, token: string): Promise<'de' | 'en'> {
  const { invitation } = await invitationOf(deps, token);
  await setOptOut(deps, SYSTEM_ACTOR, invitation.contactId, true, 'link');
  return invitation.language;
}

/** Records or withdraws a contact's objection to surveys (an agent can do it for them). */
export async function setOptOut(
  deps: Deps,
  actor: Actor,
  requestedId: string,
  optedOut: boolean,
  source: 'link' | 'agent' | 'api' = 'agent',
): Promise<{ optedOut: boolean; since: string | null }> {
  return withTransaction(deps.database, async (tx) => {
    const [found] = await tx
      .select({ id: contacts.id, mergedIntoId: contacts.mergedIntoId })
      .from(contacts)
      .where(eq(contacts.id, requestedId));
    if (!found) throw notFound('contact', requestedId);
    // A link in a mail sent before a merge still reaches the contact the duplicate became.
    const contactId = found.mergedIntoId ?? requestedId;
    if (optedOut) {
      await tx.insert(surveyOptOuts).values({ contactId, source }).onConflictDoNothing();
    } else {
      await tx.delete(surveyOptOuts).where(eq(surveyOptOuts.contactId, contactId));
    }
    await recordChange(tx, actor, {
      action: optedOut ? 'contact.survey_opted_out' : 'contact.survey_opted_in',
      entityType: 'contact',
      entityId: contactId,
      data: { source },
    });
    return optOutOf(tx, contactId);
  });
}

export async function optOutOf(
  executor: Executor,
  contactId: string,
): Promise<{ optedOut: boolean; since: string | null }> {
  const [row] = await executor.select().from(surveyOptOuts).where(eq(surveyOptOuts.contactId, contactId));
  return { optedOut: Boolean(row), since: row?.createdAt.toISOString() ?? null };
}

/** The surveys of a ticket or a contact, newest first: scheduled, sent, answered, or skipped and why. */
export async function listInvitations(
  deps: Deps,
  query: { ticketId?: string; contactId?: string },
): Promise<SurveyInvitationList> {
  const rows = await deps.database.db
    .select({ invitation: surveyInvitations, name: surveys.name, kind: surveys.kind })
    .from(surveyInvitations)
    .innerJoin(surveys, eq(surveys.id, surveyInvitations.surveyId))
    .where(
      and(
        query.ticketId ? eq(surveyInvitations.ticketId, query.ticketId) : undefined,
        query.contactId ? eq(surveyInvitations.contactId, query.contactId) : undefined,
      ),
    )
    .orderBy(desc(surveyInvitations.createdAt))
    .limit(100);
  const iso = (date: Date | null) => date?.toISOString() ?? null;
  return {
    items: rows.map(({ invitation, name, kind }) => ({
      id: invitation.id,
      surveyId: invitation.surveyId,
      surveyName: name,
      kind,
      status: invitation.status,
      skipReason: invitation.skipReason,
      ticketId: invitation.ticketId,
      sendAt: invitation.sendAt.toISOString(),
      sentAt: iso(invitation.sentAt),
      expiresAt: iso(invitation.expiresAt),
      answeredAt: iso(invitation.answeredAt),
      lastError: invitation.lastError,
    })),
  };
}
