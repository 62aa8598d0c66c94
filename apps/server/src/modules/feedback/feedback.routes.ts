import {
  ComplaintBody,
  ComplaintQuery,
  ComplaintRegister,
  Complaint as ComplaintSchema,
  CreateFeedbackItemBody,
  CreatePulseBody,
  CreateSurveyBody,
  FeedbackItemDetail,
  FeedbackItemList,
  FeedbackItemQuery,
  FeedbackLinkBody,
  FeedbackSettings,
  IngestResult,
  Mention,
  MentionIngestBody,
  MentionPage,
  MentionQuery,
  MentionReplyBody,
  NoContent,
  PublicSurvey,
  PulseAnswerBody,
  PulseList,
  PulseResults,
  Pulse as PulseSchema,
  ScoreQuery,
  ScoreReport,
  SurveyAnswerBody,
  SurveyCommentBody,
  SurveyInvitationList,
  SurveyInvitationQuery,
  SurveyKind,
  SurveyList,
  SurveyResponsePage,
  SurveyResponseQuery,
  Survey as SurveySchema,
  SurveyTexts,
  SurveyTokenParams,
  ThemeDocumentPage,
  ThemeDocumentQuery,
  ThemeRun,
  ThemeRunBody,
  UpdateFeedbackItemBody,
  UpdateMentionBody,
  UpdateSurveyBody,
} from '@keepdesk/contract';
import { z } from 'zod';
import type { Deps } from '../../platform/context';
import { type App, actorOf } from '../../platform/http';
import { getComplaint, listComplaints, putComplaint } from './complaints.service';
import {
  createFeedbackItem,
  getFeedbackItem,
  linkFeedback,
  listFeedbackItems,
  sendFeedbackDigest,
  unlinkFeedback,
  updateFeedbackItem,
} from './items.service';
import {
  getMention,
  importMentionsCsv,
  ingestMentions,
  listMentions,
  replyToMention,
  updateMention,
} from './mentions.service';
import { answerPulse, closePulse, createPulse, listPulses, myPulses, pulseResults } from './pulse.service';
import { listResponses, scoreReport } from './scores.service';
import { defaultTexts } from './surveys.domain';
import {
  answerSurvey,
  commentOnAnswer,
  createSurvey,
  deleteSurvey,
  getFeedbackSettings,
  getSurvey,
  listInvitations,
  listSurveys,
  optOutByToken,
  optOutOf,
  publicSurvey,
  putFeedbackSettings,
  setOptOut,
  updateSurvey,
} from './surveys.service';
import { getThemeRun, latestThemes, requestThemes, themeTexts } from './themes.service';

const tags = ['feedback'];
const admin = { access: { permission: 'tickets:admin' } };
const read = { access: { permission: 'tickets:read' } };
const write = { access: { permission: 'tickets:write' } };
const teamsRead = { access: { permission: 'teams:read' } };
const anyone = { access: { permission: null } };
const id = z.object({ id: z.uuid() });
const OptOut = z.object({ optedOut: z.boolean(), since: z.string().nullable() }).meta({ id: 'SurveyOptOut' });
/** Survey links are answered by customers without an account; the general per-address rate limit applies. */
const PUBLIC = { access: { public: true } } as const;

/** Surveys, their answers and scores; the public answer endpoints behind survey links. */
export function feedbackRoutes(deps: Deps) {
  return async (app: App) => {
    app.addContentTypeParser(
      'text/csv',
      { parseAs: 'string', bodyLimit: 20 * 1024 * 1024 },
      (_req, body, done) => done(null, body),
    );
    app.get(
      '/surveys',
      {
        schema: {
          tags,
          description: 'All surveys with how many were sent and answered.',
          response: { 200: SurveyList },
        },
        config: read,
      },
      async () => listSurveys(deps),
    );
    app.get(
      '/surveys/defaults',
      {
        schema: {
          tags,
          description: 'The German and English texts a new survey of a kind starts with.',
          querystring: z.object({ kind: SurveyKind }),
          response: { 200: z.object({ en: SurveyTexts, de: SurveyTexts }) },
        },
        config: read,
      },
      async (req) => defaultTexts(req.query.kind),
    );
    app.post(
      '/surveys',
      {
        schema: {
          tags,
          description:
            'Creates a survey: CSAT or CES after a solved ticket (after `delayMinutes`), or relationship NPS to an audience every `everyDays`.',
          body: CreateSurveyBody,
          response: { 201: SurveySchema },
        },
        config: admin,
      },
      async (req, reply) => reply.code(201).send(await createSurvey(deps, actorOf(req), req.body)),
    );
    app.get(
      '/surveys/:id',
      { schema: { tags, params: id, response: { 200: SurveySchema } }, config: read },
      async (req) => getSurvey(deps, req.params.id),
    );
    app.patch(
      '/surveys/:id',
      {
        schema: {
          tags,
          params: id,
          body: UpdateSurveyBody.extend({
            nextRunAt: z.iso
              .datetime({ offset: true })
              .nullable()
              .optional()
              .meta({ description: 'NPS: when the next round starts' }),
          }),
          response: { 200: SurveySchema },
        },
        config: admin,
      },
      async (req) => updateSurvey(deps, actorOf(req), req.params.id, req.body),
    );
    app.delete(
      '/surveys/:id',
      {
        schema: {
          tags,
          description: 'Deletes a survey with its invitations and answers.',
          params: id,
          response: { 204: NoContent },
        },
        config: admin,
      },
      async (req, reply) => {
        await deleteSurvey(deps, actorOf(req), req.params.id);
        return reply.code(204).send();
      },
    );
    app.get(
      '/feedback/settings',
      { schema: { tags, response: { 200: FeedbackSettings } }, config: read },
      async () => getFeedbackSettings(deps),
    );
    app.put(
      '/feedback/settings',
      {
        schema: { tags, body: FeedbackSettings, response: { 200: FeedbackSettings } },
        config: admin,
      },
      async (req) => putFeedbackSettings(deps, actorOf(req), req.body),
    );
    app.get(
      '/feedback/responses',
      {
        schema: {
          tags,
          description:
            'Survey answers, newest first, with the contact, organisation, ticket, agent, team and channel.',
          querystring: SurveyResponseQuery,
          response: { 200: SurveyResponsePage },
        },
        config: read,
      },
      async (req) => listResponses(deps, req.query),
    );
    app.get(
      '/feedback/invitations',
      {
        schema: {
          tags,
          description: 'The surveys of a ticket or a contact: scheduled, sent, answered, or skipped and why.',
          querystring: SurveyInvitationQuery,
          response: { 200: SurveyInvitationList },
        },
        config: read,
      },
      async (req) => listInvitations(deps, req.query),
    );
    app.get(
      '/feedback/scores',
      {
        schema: {
          tags,
          description:
            'CSAT (% satisfied), NPS or CES with 95 % intervals and the response rate, overall or by agent, team, channel, organisation, day, week or month (docs/metrics.md).',
          querystring: ScoreQuery,
          response: { 200: ScoreReport },
        },
        config: read,
      },
      async (req) => scoreReport(deps, req.query),
    );
    app.get(
      '/contacts/:id/survey-opt-out',
      { schema: { tags, params: id, response: { 200: OptOut } }, config: read },
      async (req) => optOutOf(deps.database.db, req.params.id),
    );
    app.put(
      '/contacts/:id/survey-opt-out',
      {
        schema: {
          tags,
          description: 'Records or withdraws the contact’s objection to surveys.',
          params: id,
          body: z.object({ optedOut: z.boolean() }),
          response: { 200: OptOut },
        },
        config: { access: { permission: 'customers:write' } },
      },
      async (req) => setOptOut(deps, actorOf(req), req.params.id, req.body.optedOut, 'agent'),
    );

    app.post(
      '/channels/mentions',
      {
        schema: {
          tags,
          description:
            'The review and social-media webhook: one mention or `{items: [...]}` (up to 1,000). Each is taken once per source and id; a rating at or below `complaintRatingMax` or a negative post without a rating opens a complaint ticket.',
          body: MentionIngestBody,
          response: { 200: IngestResult },
        },
        config: write,
      },
      async (req) => ingestMentions(deps, actorOf(req), req.body.items),
    );
    app.post(
      '/mentions/import',
      {
        schema: {
          tags,
          description:
            'A CSV of reviews (`text/csv`; columns source, author, rating, text, url, date, language; optional kind, id, email). The good rows are taken in; each bad one is reported with its line number.',
          response: { 200: IngestResult },
        },
        config: write,
      },
      async (req) => importMentionsCsv(deps, actorOf(req), String(req.body ?? '')),
    );
    app.get(
      '/mentions',
      {
        schema: {
          tags,
          description: 'Reviews and social posts to triage, newest first.',
          querystring: MentionQuery,
          response: { 200: MentionPage },
        },
        config: read,
      },
      async (req) => listMentions(deps, req.query),
    );
    app.get(
      '/mentions/:id',
      { schema: { tags, params: id, response: { 200: Mention } }, config: read },
      async (req) => getMention(deps, req.params.id),
    );
    app.patch(
      '/mentions/:id',
      {
        schema: {
          tags,
          description: 'Triage: status and customer.',
          params: id,
          body: UpdateMentionBody,
          response: { 200: Mention },
        },
        config: write,
      },
      async (req) => updateMention(deps, actorOf(req), req.params.id, req.body),
    );
    app.post(
      '/mentions/:id/replies',
      {
        schema: {
          tags,
          description: 'Records the public answer given at the source; the mention counts as replied.',
          params: id,
          body: MentionReplyBody,
          response: { 201: Mention },
        },
        config: write,
      },
      async (req, reply) =>
        reply.code(201).send(await replyToMention(deps, actorOf(req), req.params.id, req.body)),
    );
    app.post(
      '/feedback/themes/runs',
      {
        schema: {
          tags,
          description:
            'Computes the themes of a period’s survey comments, reviews, social posts and ticket texts in the background (nightly for the last 90 days anyway).',
          body: ThemeRunBody,
          response: { 202: ThemeRun },
        },
        config: read,
      },
      async (req, reply) => reply.code(202).send(await requestThemes(deps, req.body)),
    );
    app.get(
      '/feedback/themes/latest',
      {
        schema: {
          tags,
          description: 'The newest theme run (204 before the first).',
          response: { 200: ThemeRun, 204: NoContent },
        },
        config: read,
      },
      async (_req, reply) => {
        const run = await latestThemes(deps);
        return run ? run : reply.code(204).send();
      },
    );
    app.get(
      '/feedback/themes/runs/:id',
      { schema: { tags, params: id, response: { 200: ThemeRun } }, config: read },
      async (req) => getThemeRun(deps, req.params.id),
    );
    app.get(
      '/feedback/themes/runs/:id/themes/:theme/texts',
      {
        schema: {
          tags,
          description:
            'The texts of one theme of a run, newest first: the drill-down from a theme to what customers wrote.',
          params: z.object({ id: z.uuid(), theme: z.coerce.number().int().min(0).max(100) }),
          querystring: ThemeDocumentQuery,
          response: { 200: ThemeDocumentPage },
        },
        config: read,
      },
      async (req) => themeTexts(deps, req.params.id, req.params.theme, req.query),
    );
    app.get(
      '/complaints',
      {
        schema: {
          tags,
          description:
            'The complaints register: complaint tickets with category, root cause, resolution, compensation, outcome and time to resolution, and a summary.',
          querystring: ComplaintQuery,
          response: { 200: ComplaintRegister },
        },
        config: read,
      },
      async (req) => listComplaints(deps, req.query),
    );
    app.get(
      '/tickets/:id/complaint',
      { schema: { tags, params: id, response: { 200: ComplaintSchema } }, config: read },
      async (req) => getComplaint(deps, req.params.id),
    );
    app.put(
      '/tickets/:id/complaint',
      {
        schema: {
          tags,
          description: 'The register entry of a complaint ticket (its type must be complaint).',
          params: id,
          body: ComplaintBody,
          response: { 200: ComplaintSchema },
        },
        config: write,
      },
      async (req) => putComplaint(deps, actorOf(req), req.params.id, req.body),
    );

    app.get(
      '/feedback-items',
      {
        schema: {
          tags,
          description:
            'Feedback for other teams (feature requests, bugs, pricing, …) with the number of customers who asked and their revenue.',
          querystring: FeedbackItemQuery,
          response: { 200: FeedbackItemList },
        },
        config: read,
      },
      async (req) => listFeedbackItems(deps, actorOf(req).userId, req.query),
    );
    app.post(
      '/feedback-items',
      {
        schema: { tags, body: CreateFeedbackItemBody, response: { 201: FeedbackItemDetail } },
        config: write,
      },
      async (req, reply) => reply.code(201).send(await createFeedbackItem(deps, actorOf(req), req.body)),
    );
    app.get(
      '/feedback-items/:id',
      { schema: { tags, params: id, response: { 200: FeedbackItemDetail } }, config: read },
      async (req) => getFeedbackItem(deps, req.params.id),
    );
    app.patch(
      '/feedback-items/:id',
      {
        schema: {
          tags,
          description: 'Status, tracker issue (URL and status), collaborators and texts of an item.',
          params: id,
          body: UpdateFeedbackItemBody,
          response: { 200: FeedbackItemDetail },
        },
        config: write,
      },
      async (req) => updateFeedbackItem(deps, actorOf(req), req.params.id, req.body),
    );
    app.post(
      '/feedback-items/:id/links',
      {
        schema: {
          tags,
          description: 'Tags a ticket or a survey answer as feedback for the item (409 when it already is).',
          params: id,
          body: FeedbackLinkBody,
          response: { 201: FeedbackItemDetail },
        },
        config: write,
      },
      async (req, reply) =>
        reply.code(201).send(await linkFeedback(deps, actorOf(req), req.params.id, req.body)),
    );
    app.delete(
      '/feedback-items/:id/links/:linkId',
      {
        schema: { tags, params: z.object({ id: z.uuid(), linkId: z.uuid() }), response: { 204: NoContent } },
        config: write,
      },
      async (req, reply) => {
        await unlinkFeedback(deps, actorOf(req), req.params.id, req.params.linkId);
        return reply.code(204).send();
      },
    );
    app.post(
      '/feedback/digest',
      {
        schema: {
          tags,
          description: 'Sends the weekly feedback digest now (it goes out every Monday at 07:00 UTC anyway).',
          response: { 200: z.object({ sentTo: z.array(z.string()) }) },
        },
        config: admin,
      },
      async () => ({ sentTo: await sendFeedbackDigest(deps) }),
    );
    app.get(
      '/pulse-surveys',
      {
        schema: { tags, description: 'Employee pulse surveys, newest first.', response: { 200: PulseList } },
        config: teamsRead,
      },
      async () => listPulses(deps),
    );
    app.post(
      '/pulse-surveys',
      {
        schema: {
          tags,
          description:
            'Opens an anonymous pulse survey (eNPS and statements) to the members of some teams, or every agent.',
          body: CreatePulseBody,
          response: { 201: PulseSchema },
        },
        config: admin,
      },
      async (req, reply) => reply.code(201).send(await createPulse(deps, actorOf(req), req.body)),
    );
    app.get(
      '/pulse-surveys/mine',
      {
        schema: {
          tags,
          description: 'The open pulse surveys you were asked and have not answered.',
          response: { 200: PulseList },
        },
        config: anyone,
      },
      async (req) => myPulses(deps, actorOf(req).userId),
    );
    app.post(
      '/pulse-surveys/:id/answers',
      {
        schema: {
          tags,
          description: 'Answers a pulse survey, once; the answer is stored without you (ADR 0027).',
          params: id,
          body: PulseAnswerBody,
          response: { 204: NoContent },
        },
        config: anyone,
      },
      async (req, reply) => {
        await answerPulse(deps, actorOf(req).userId, req.params.id, req.body);
        return reply.code(204).send();
      },
    );
    app.post(
      '/pulse-surveys/:id/close',
      { schema: { tags, params: id, response: { 200: PulseSchema } }, config: admin },
      async (req) => closePulse(deps, actorOf(req), req.params.id),
    );
    app.get(
      '/pulse-surveys/:id/results',
      {
        schema: {
          tags,
          description:
            'Results overall and per team; a group with fewer than 5 answers shows only its count.',
          params: id,
          response: { 200: PulseResults },
        },
        config: teamsRead,
      },
      async (req) => pulseResults(deps, req.params.id),
    );

    app.get(
      '/public/surveys/:token',
      {
        schema: {
          tags,
          description: 'What a survey link shows (no account needed; the token is the link’s).',
          params: SurveyTokenParams,
          response: { 200: PublicSurvey },
        },
        config: PUBLIC,
      },
      async (req) => publicSurvey(deps, req.params.token),
    );
    app.post(
      '/public/surveys/:token/answers',
      {
        schema: {
          tags,
          description:
            'Answers a survey link, once: 409 when it was answered, 410 when it expired, 400 for a score outside the scale.',
          params: SurveyTokenParams,
          body: SurveyAnswerBody,
          response: { 201: PublicSurvey },
        },
        config: PUBLIC,
      },
      async (req, reply) => reply.code(201).send(await answerSurvey(deps, req.params.token, req.body)),
    );
    app.post(
      '/public/surveys/:token/comment',
      {
        schema: {
          tags,
          description: 'Adds a comment to an answer given with one click; once.',
          params: SurveyTokenParams,
          body: SurveyCommentBody,
          response: { 200: PublicSurvey },
        },
        config: PUBLIC,
      },
      async (req) => commentOnAnswer(deps, req.params.token, req.body.comment),
    );
    app.post(
      '/public/surveys/:token/opt-out',
      {
        schema: {
          tags,
          description: 'The contact behind the link receives no more surveys.',
          params: SurveyTokenParams,
          response: { 204: NoContent },
        },
        config: PUBLIC,
      },
      async (req, reply) => {
        await optOutByToken(deps, req.params.token);
        return reply.code(204).send();
      },
    );
  };
}
