import { eq } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import { isUniqueViolation } from '../../platform/db';
import { SYSTEM_ACTOR } from '../../platform/events';
import { escapeHtml } from '../../platform/html';
import { contacts } from '../customers';
import { addSystemNote, createTicket, linkTickets, messageByExternalRef, tickets } from '../tickets';
import { surveyResponses, surveys } from './feedback.tables';
import { needsFollowUp } from './surveys.domain';

const KIND_LABEL = { csat: 'CSAT', ces: 'CES', nps: 'NPS' } as const;

function scoreText(row: typeof surveyResponses.$inferSelect): string {
  if (row.scale === 'good-bad') return row.score === 1 ? 'good' : 'bad';
  return `${row.score} (${row.scale})`;
}

/**
 * Runs for an answer and again when its comment arrives. A bad CSAT, an NPS detractor or a hard CES of a survey with follow-up on: a task ticket for the team the
 * answer concerns, from the customer, linked to the ticket that was rated, with the answer as an internal note.
 * Once per answer, however often its job runs.
 */
export async function followUpAnswer(deps: Deps, responseId: string): Promise<string | null> {
  const db = deps.database.db;
  const [found] = await db
    .select({ response: surveyResponses, survey: surveys, contactName: contacts.name })
    .from(surveyResponses)
    .innerJoin(surveys, eq(surveys.id, surveyResponses.surveyId))
    .leftJoin(contacts, eq(contacts.id, surveyResponses.contactId))
    .where(eq(surveyResponses.id, responseId));
  const contactId = found?.response.contactId;
  if (!found || !contactId || !found.survey.followUp) return null;
  const { response, survey } = found;
  if (!needsFollowUp(response.kind, response.rating, response.score)) return null;
  const externalRef = `survey-follow-up:${responseId}`;
  let ticketId = response.followUpTicketId ?? (await messageByExternalRef(db, externalRef))?.ticketId ?? null;
  if (!ticketId) {
    const [rated] = response.ticketId
      ? await db.select({ number: tickets.number }).from(tickets).where(eq(tickets.id, response.ticketId))
      : [];
    const german = response.language === 'de';
    const who = found.contactName || (german ? 'Kunde' : 'customer');
    const subject = german
      ? `Nachfassen: ${KIND_LABEL[response.kind]} ${scoreText(response)} von ${who}${rated ? ` zu #${rated.number}` : ''}`
      : `Follow up: ${KIND_LABEL[response.kind]} ${scoreText(response)} from ${who}${rated ? ` on #${rated.number}` : ''}`;
    try {
      const created = await createTicket(
        deps,
        SYSTEM_ACTOR,
        {
          subject,
          requester: { id: contactId },
          message: {
            body: `<p><strong>${escapeHtml(survey.name)}</strong>: ${escapeHtml(scoreText(response))}</p>`,
            visibility: 'internal',
          },
          priority: 'normal',
          type: 'task',
          channel: 'api',
          assigneeId: null,
          teamId: response.teamId,
          tags: ['survey-follow-up'],
          customFields: {},
        },
        { externalRef },
      );
      ticketId = created.id;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      ticketId = (await messageByExternalRef(db, externalRef))?.ticketId ?? null;
      if (!ticketId) throw error;
    }
    if (response.ticketId) await linkTickets(deps, SYSTEM_ACTOR, ticketId, response.ticketId, 'related');
  }
  if (!response.followUpTicketId) {
    await db
      .update(surveyResponses)
      .set({ followUpTicketId: ticketId })
      .where(eq(surveyResponses.id, responseId));
  }
  // The customer's comment (given with the answer or after it) joins the ticket once, as its own note.
  if (response.comment) {
    try {
      await addSystemNote(deps, ticketId, {
        body: `<blockquote>${escapeHtml(response.comment)}</blockquote>`,
        externalRef: `survey-comment:${responseId}`,
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }
  return ticketId;
}
