import { z } from 'zod';
import type { Deps } from '../../platform/context';
import type { JobDefinition } from '../../platform/jobs';
import { followUpAnswer } from './followups.service';
import { sendFeedbackDigest } from './items.service';
import {
  requeueStuckInvitations,
  runDueRounds,
  SEND_SURVEY,
  scheduleTicketSurveys,
  sendInvitation,
} from './surveys.service';
import { COMPUTE_THEMES, computeThemes, requestThemes } from './themes.service';

export const TICKET_STATUS = 'feedback.ticket-status';
export const FOLLOW_UP = 'feedback.follow-up';
const SURVEY_ROUNDS = 'feedback.survey-rounds';

const TicketEvent = z.object({
  type: z.string(),
  entityId: z.uuid(),
  data: z.record(z.string(), z.unknown()).default({}),
});

/** A ticket was created or changed: when its status changed to solved, its CSAT and CES surveys are scheduled. */
export function ticketStatusJob(deps: Deps): JobDefinition<typeof TicketEvent> {
  return {
    name: TICKET_STATUS,
    payload: TicketEvent,
    handle: async (event) => {
      if (event.type === 'ticket.updated' && !('status' in event.data)) return;
      await scheduleTicketSurveys(deps, event.entityId);
    },
  };
}

const Invitation = z.object({ invitationId: z.uuid() });

/** When a survey is due: it is sent (or skipped, with the reason), retried when the mail server refuses. */
export function sendSurveyJob(deps: Deps): JobDefinition<typeof Invitation> {
  return {
    name: SEND_SURVEY,
    payload: Invitation,
    retryLimit: 5,
    handle: async ({ invitationId }) => {
      await sendInvitation(deps, invitationId);
    },
  };
}

/**
 * Every five minutes: relationship surveys whose round is due send their next batch of invitations, and
 * invitations whose send job was lost are queued again.
 */
export function surveyRoundsJob(deps: Deps): JobDefinition<z.ZodObject<Record<string, never>>> {
  return {
    name: SURVEY_ROUNDS,
    payload: z.object({}),
    cron: '*/5 * * * *',
    retryLimit: 0,
    handle: async () => {
      const created = await runDueRounds(deps);
      if (created > 0) deps.log.info({ created }, 'surveys: relationship invitations');
      const requeued = await requeueStuckInvitations(deps);
      if (requeued > 0)
        deps.log.warn({ requeued }, 'surveys: invitations whose send job was lost, queued again');
    },
  };
}

const AnswerEvent = z.object({ entityId: z.uuid() });

/** After an answer or its comment: a follow-up ticket when the survey asks for one and the answer is bad. */
export function followUpJob(deps: Deps): JobDefinition<typeof AnswerEvent> {
  return {
    name: FOLLOW_UP,
    payload: AnswerEvent,
    handle: async ({ entityId }) => {
      await followUpAnswer(deps, entityId);
    },
  };
}

const Run = z.object({ runId: z.uuid() });

/** A requested theme run: the period's texts read, themes found and stored. */
export function computeThemesJob(deps: Deps): JobDefinition<typeof Run> {
  return {
    name: COMPUTE_THEMES,
    payload: Run,
    retryLimit: 1,
    handle: async ({ runId }) => {
      await computeThemes(deps, runId);
    },
  };
}

/** Every night at 02:30 UTC: themes of the last 90 days, so the page is current each morning. */
export function nightlyThemesJob(deps: Deps): JobDefinition<z.ZodObject<Record<string, never>>> {
  return {
    name: 'feedback.nightly-themes',
    payload: z.object({}),
    cron: '30 2 * * *',
    retryLimit: 0,
    handle: async () => {
      await requestThemes(deps, {});
    },
  };
}

/** Every Monday at 07:00 UTC: "Feedback-Auswertung, wöchentlich" to its recipients and the items' collaborators. */
export function feedbackDigestJob(deps: Deps): JobDefinition<z.ZodObject<Record<string, never>>> {
  return {
    name: 'feedback.weekly-digest',
    payload: z.object({}),
    cron: '0 7 * * 1',
    // A retry would send the digest again to those who already got it; failures are logged per recipient.
    retryLimit: 0,
    handle: async () => {
      const sentTo = await sendFeedbackDigest(deps);
      deps.log.info({ recipients: sentTo.length }, 'feedback digest sent');
    },
  };
}
