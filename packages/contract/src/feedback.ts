import { z } from 'zod';
import { Email } from './auth';
import { IsoDay, patchOf, TimeZone } from './common';
import { OrganizationRef } from './customers';
import { AttributeCondition } from './fields';
import { Channel, TeamRef, UserRef } from './tickets';

/** CSAT after a solved ticket, CES ("how easy was it") after a solved ticket, relationship NPS on a schedule. */
export const SURVEY_KINDS = ['csat', 'ces', 'nps'] as const;
export const SurveyKind = z.enum(SURVEY_KINDS);
export type SurveyKind = z.infer<typeof SurveyKind>;

export const CSAT_SCALES = ['1-5', 'good-bad'] as const;
export const CsatScaleSchema = z.enum(CSAT_SCALES);

/** How an answer counts: satisfied or not (CSAT), promoter, passive or detractor (NPS); CES has none. */
export const RATINGS = ['satisfied', 'unsatisfied', 'promoter', 'passive', 'detractor'] as const;
export const Rating = z.enum(RATINGS);
export type Rating = z.infer<typeof Rating>;

/** The texts of a survey in one language; `{{name}}`, `{{number}}` and `{{subject}}` are filled in. */
export const SurveyTexts = z
  .object({
    subject: z.string().trim().min(1).max(200),
    intro: z.string().max(2000).default(''),
    question: z.string().trim().min(1).max(300),
    commentPrompt: z.string().max(300).default(''),
    thanks: z.string().trim().min(1).max(1000),
  })
  .meta({ id: 'SurveyTexts' });
export type SurveyTexts = z.infer<typeof SurveyTexts>;

/** Who a relationship survey goes to: contacts of these organisations and/or with these attributes. */
export const SurveyAudience = z
  .object({
    organizationIds: z.array(z.uuid()).max(200).default([]),
    customer: z.array(AttributeCondition).max(10).default([]),
  })
  .meta({ id: 'SurveyAudience' });
export type SurveyAudience = z.infer<typeof SurveyAudience>;

const SurveyShape = z.object({
  name: z.string().trim().min(1).max(200),
  kind: SurveyKind,
  active: z.boolean().default(true),
  scale: CsatScaleSchema.nullable()
    .default(null)
    .meta({ description: 'CSAT only: 1-5 or good-bad (the default for CSAT)' }),
  delayMinutes: z
    .number()
    .int()
    .min(0)
    .max(60 * 24 * 30)
    .default(60)
    .meta({ description: 'CSAT and CES: minutes after a ticket is solved before the survey goes out' }),
  channels: z
    .array(Channel)
    .max(10)
    .default([])
    .meta({ description: 'CSAT and CES: only tickets from these channels (none: every channel)' }),
  everyDays: z
    .number()
    .int()
    .min(1)
    .max(730)
    .nullable()
    .default(null)
    .meta({ description: 'NPS: days between two rounds' }),
  audience: SurveyAudience.default({ organizationIds: [], customer: [] }),
  askComment: z.boolean().default(true),
  expiresAfterDays: z.number().int().min(1).max(365).default(14),
  followUp: z.boolean().default(false).meta({
    description:
      'A bad CSAT, an NPS detractor or a hard CES (1–3) opens a follow-up ticket for the team or account owner',
  }),
  texts: z.object({ en: SurveyTexts, de: SurveyTexts }),
});

export const CreateSurveyBody = SurveyShape.superRefine((survey, ctx) => {
  if (survey.kind === 'csat' && survey.scale === null) return;
  if (survey.kind !== 'csat' && survey.scale !== null) {
    ctx.addIssue({ code: 'custom', path: ['scale'], message: 'only CSAT surveys have a scale' });
  }
  if (survey.kind === 'nps' && survey.everyDays === null) {
    ctx.addIssue({ code: 'custom', path: ['everyDays'], message: 'an NPS survey needs everyDays' });
  }
});
export type CreateSurveyBody = z.infer<typeof CreateSurveyBody>;
export const UpdateSurveyBody = patchOf(SurveyShape).omit({ kind: true });
export type UpdateSurveyBody = z.infer<typeof UpdateSurveyBody>;

export const Survey = SurveyShape.extend({
  id: z.uuid(),
  scale: CsatScaleSchema.nullable(),
  nextRunAt: z.string().nullable().meta({ description: 'NPS: when the next round starts' }),
  sent: z.number().int(),
  answered: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
}).meta({ id: 'Survey' });
export type Survey = z.infer<typeof Survey>;
export const SurveyList = z.object({ items: z.array(Survey) }).meta({ id: 'SurveyList' });
export type SurveyList = z.infer<typeof SurveyList>;

export const FeedbackSettings = z
  .object({
    throttleDays: z
      .number()
      .int()
      .min(0)
      .max(365)
      .meta({ description: 'No contact is surveyed more than once in this many days, across all surveys' }),
    complaintRatingMax: z
      .number()
      .int()
      .min(0)
      .max(5)
      .default(2)
      .meta({ description: 'A review rated this many stars or fewer opens a complaint ticket (0: none)' }),
    revenueAttribute: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .default('mrr')
      .meta({ description: 'The organisation (or contact) attribute that holds a customer’s revenue' }),
    digestRecipients: z
      .array(Email)
      .max(50)
      .default([])
      .meta({ description: 'Who gets the weekly feedback digest, besides the items’ collaborators' }),
  })
  .meta({ id: 'FeedbackSettings' });
export type FeedbackSettings = z.infer<typeof FeedbackSettings>;

/** An answer through a survey link: a score on the survey's scale (good or bad for good/bad) and a comment. */
export const SurveyAnswerBody = z.object({
  score: z.union([z.number().int(), z.enum(['good', 'bad'])]),
  comment: z.string().trim().max(5000).optional(),
});
export type SurveyAnswerBody = z.infer<typeof SurveyAnswerBody>;
export const SurveyCommentBody = z.object({ comment: z.string().trim().min(1).max(5000) });
export const SurveyTokenParams = z.object({ token: z.string().min(10).max(200) });

/** What a survey link shows: the question and its scale, or why it can no longer be answered. */
export const PublicSurvey = z
  .object({
    state: z.enum(['open', 'answered', 'expired']),
    kind: SurveyKind,
    scale: z.enum(['1-5', 'good-bad', '0-10', '1-7']),
    language: z.enum(['de', 'en']),
    question: z.string(),
    intro: z.string(),
    commentPrompt: z.string(),
    askComment: z.boolean(),
    thanks: z.string(),
    score: z.number().int().nullable(),
    commentOpen: z.boolean().meta({ description: 'Whether a comment can still be added to the answer' }),
  })
  .meta({ id: 'PublicSurvey' });
export type PublicSurvey = z.infer<typeof PublicSurvey>;

export const SurveyResponse = z
  .object({
    id: z.uuid(),
    surveyId: z.uuid(),
    surveyName: z.string(),
    kind: SurveyKind,
    score: z.number().int(),
    scale: z.enum(['1-5', 'good-bad', '0-10', '1-7']),
    rating: Rating.nullable(),
    comment: z.string(),
    language: z.enum(['de', 'en']),
    answeredAt: z.string(),
    contact: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    organization: OrganizationRef.nullable(),
    ticket: z.object({ id: z.uuid(), number: z.number().int(), subject: z.string() }).nullable(),
    agent: UserRef.nullable(),
    team: TeamRef.nullable(),
    channel: z.string().nullable(),
    followUpTicketId: z.uuid().nullable(),
  })
  .meta({ id: 'SurveyResponse' });
export type SurveyResponse = z.infer<typeof SurveyResponse>;
export const SurveyResponsePage = z
  .object({ items: z.array(SurveyResponse), nextCursor: z.string().nullable() })
  .meta({ id: 'SurveyResponsePage' });
export type SurveyResponsePage = z.infer<typeof SurveyResponsePage>;

const FeedbackFilter = {
  surveyId: z.uuid().optional(),
  agentId: z.uuid().optional(),
  teamId: z.uuid().optional(),
  organizationId: z.uuid().optional(),
  channel: Channel.optional(),
  from: IsoDay.optional().meta({ description: 'First day (in the time zone), inclusive' }),
  to: IsoDay.optional().meta({ description: 'Last day (in the time zone), inclusive' }),
};

export const SurveyResponseQuery = z.object({
  ...FeedbackFilter,
  kind: SurveyKind.optional(),
  ticketId: z.uuid().optional(),
  contactId: z.uuid().optional(),
  rating: Rating.optional(),
  withComment: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  timeZone: TimeZone.default('UTC'),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type SurveyResponseQuery = z.infer<typeof SurveyResponseQuery>;

export const SCORE_GROUPS = [
  'none',
  'agent',
  'team',
  'channel',
  'organization',
  'day',
  'week',
  'month',
] as const;
export const ScoreQuery = z.object({
  ...FeedbackFilter,
  kind: SurveyKind,
  groupBy: z.enum(SCORE_GROUPS).default('none'),
  timeZone: TimeZone.default('UTC'),
});
export type ScoreQuery = z.infer<typeof ScoreQuery>;

/** A score with its 95 % interval: CSAT in %, NPS from −100 to 100, CES the mean on 1–7. */
export const ScoreGroup = z
  .object({
    key: z.string().nullable().meta({ description: 'The id, channel or first day of the group' }),
    label: z.string(),
    answers: z.number().int(),
    sent: z.number().int(),
    score: z.number().nullable(),
    low: z.number().nullable(),
    high: z.number().nullable(),
    responseRate: z.object({
      estimate: z.number().nullable(),
      low: z.number().nullable(),
      high: z.number().nullable(),
    }),
    satisfied: z.number().int().optional(),
    promoters: z.number().int().optional(),
    passives: z.number().int().optional(),
    detractors: z.number().int().optional(),
  })
  .meta({ id: 'ScoreGroup' });
export type ScoreGroup = z.infer<typeof ScoreGroup>;
export const ScoreReport = z
  .object({ kind: SurveyKind, groupBy: z.enum(SCORE_GROUPS), groups: z.array(ScoreGroup) })
  .meta({ id: 'ScoreReport' });
export type ScoreReport = z.infer<typeof ScoreReport>;

/** A survey sent (or to be sent, or skipped) to a contact, as the ticket and the contact page show it. */
export const SurveyInvitation = z
  .object({
    id: z.uuid(),
    surveyId: z.uuid(),
    surveyName: z.string(),
    kind: SurveyKind,
    status: z.enum(['scheduled', 'sending', 'sent', 'failed', 'skipped']),
    skipReason: z
      .string()
      .nullable()
      .meta({ description: 'opted_out, throttled, no_address, reopened or survey_inactive' }),
    ticketId: z.uuid().nullable(),
    sendAt: z.string(),
    sentAt: z.string().nullable(),
    expiresAt: z.string().nullable(),
    answeredAt: z.string().nullable(),
    lastError: z.string().nullable(),
  })
  .meta({ id: 'SurveyInvitation' });
export type SurveyInvitation = z.infer<typeof SurveyInvitation>;
export const SurveyInvitationList = z
  .object({ items: z.array(SurveyInvitation) })
  .meta({ id: 'SurveyInvitationList' });
export type SurveyInvitationList = z.infer<typeof SurveyInvitationList>;
export const SurveyInvitationQuery = z
  .object({ ticketId: z.uuid().optional(), contactId: z.uuid().optional() })
  .refine((q) => q.ticketId || q.contactId, {
    message: 'ticketId or contactId is required',
    path: ['ticketId'],
  });

/** A review or a social-media post about the company, from a review site, a social network or a shop. */
export const MENTION_KINDS = ['review', 'social'] as const;
export const MENTION_STATUSES = ['new', 'triaged', 'replied', 'ignored'] as const;

export const MentionInput = z.object({
  source: z
    .string()
    .trim()
    .min(1)
    .max(40)
    .meta({ description: 'Where it was posted: google, trustpilot, app-store, x, facebook, …' }),
  kind: z.enum(MENTION_KINDS).default('review'),
  externalId: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .meta({ description: 'Its id at the source; a second delivery with the same source and id is ignored' }),
  author: z.string().trim().min(1).max(200),
  authorEmail: Email.optional().meta({ description: 'When the source knows it: finds the customer' }),
  rating: z.number().int().min(1).max(5).nullable().optional().meta({ description: 'Stars, 1–5' }),
  text: z.string().max(10_000).default(''),
  url: z.url().max(2000).optional(),
  postedAt: z.iso.datetime({ offset: true }).optional(),
  language: z.enum(['de', 'en']).optional().meta({ description: 'Detected from the text when not given' }),
});
export type MentionInput = z.infer<typeof MentionInput>;
/** One mention, or `{items: [...]}`; a single one is read as a list of one, so errors name `items.0.<field>`. */
export const MentionIngestBody = z.preprocess(
  (value) => (value && typeof value === 'object' && !('items' in value) ? { items: [value] } : value),
  z.object({ items: z.array(MentionInput).min(1).max(1000) }),
);
export type MentionIngestBody = z.infer<typeof MentionIngestBody>;

export const IngestResult = z
  .object({
    imported: z.number().int(),
    duplicates: z.number().int(),
    complaints: z
      .number()
      .int()
      .meta({ description: 'Complaint tickets opened for low ratings or negative posts' }),
    errors: z.array(z.object({ line: z.number().int(), message: z.string() })),
  })
  .meta({ id: 'IngestResult' });
export type IngestResult = z.infer<typeof IngestResult>;

export const Mention = z
  .object({
    id: z.uuid(),
    source: z.string(),
    kind: z.enum(MENTION_KINDS),
    externalId: z.string(),
    author: z.string(),
    authorEmail: z.string().nullable(),
    rating: z.number().int().nullable(),
    text: z.string(),
    url: z.string().nullable(),
    postedAt: z.string(),
    language: z.enum(['de', 'en']).nullable(),
    sentiment: z.enum(['positive', 'neutral', 'negative']),
    sentimentScore: z.number(),
    status: z.enum(MENTION_STATUSES),
    contact: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    ticket: z.object({ id: z.uuid(), number: z.number().int(), statusCategory: z.string() }).nullable(),
    replies: z.array(
      z.object({
        id: z.uuid(),
        text: z.string(),
        url: z.string().nullable(),
        by: UserRef.nullable(),
        at: z.string(),
      }),
    ),
    createdAt: z.string(),
  })
  .meta({ id: 'Mention' });
export type Mention = z.infer<typeof Mention>;
export const MentionPage = z
  .object({ items: z.array(Mention), nextCursor: z.string().nullable() })
  .meta({ id: 'MentionPage' });
export type MentionPage = z.infer<typeof MentionPage>;
export const MentionQuery = z.object({
  status: z.enum(MENTION_STATUSES).optional(),
  kind: z.enum(MENTION_KINDS).optional(),
  source: z.string().max(40).optional(),
  sentiment: z.enum(['positive', 'neutral', 'negative']).optional(),
  maxRating: z.coerce.number().int().min(1).max(5).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type MentionQuery = z.infer<typeof MentionQuery>;
export const UpdateMentionBody = z.object({
  status: z.enum(MENTION_STATUSES).optional(),
  contactId: z.uuid().nullable().optional(),
});
export type UpdateMentionBody = z.infer<typeof UpdateMentionBody>;
export const MentionReplyBody = z.object({
  text: z.string().trim().min(1).max(10_000).meta({ description: 'What was answered in public, as posted' }),
  url: z.url().max(2000).optional(),
});
export type MentionReplyBody = z.infer<typeof MentionReplyBody>;

/** What a complaint is about, why it happened, how it ended and what the customer was offered. */
export const COMPENSATION_KINDS = [
  'none',
  'refund',
  'credit',
  'voucher',
  'discount',
  'gift',
  'replacement',
  'other',
] as const;
export const COMPLAINT_OUTCOMES = ['upheld', 'partly_upheld', 'rejected', 'withdrawn'] as const;
export const ComplaintBody = z
  .object({
    category: z.string().trim().max(80).default(''),
    rootCause: z.string().trim().max(5000).default(''),
    resolution: z.string().trim().max(5000).default(''),
    compensationKind: z.enum(COMPENSATION_KINDS).default('none'),
    compensationValue: z.number().min(0).max(10_000_000).nullable().default(null),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'ISO 4217 code, e.g. EUR')
      .default('EUR'),
    outcome: z.enum(COMPLAINT_OUTCOMES).nullable().default(null),
  })
  .meta({ id: 'ComplaintBody' });
export type ComplaintBody = z.infer<typeof ComplaintBody>;
export const Complaint = ComplaintBody.extend({
  ticketId: z.uuid(),
  number: z.number().int(),
  subject: z.string(),
  statusCategory: z.string(),
  channel: z.string(),
  requester: z.object({ id: z.uuid(), name: z.string() }),
  organization: OrganizationRef.nullable(),
  assignee: UserRef.nullable(),
  createdAt: z.string(),
  solvedAt: z.string().nullable(),
  hoursToResolution: z.number().nullable(),
}).meta({ id: 'Complaint' });
export type Complaint = z.infer<typeof Complaint>;
export const ComplaintQuery = z.object({
  category: z.string().max(80).optional(),
  outcome: z.enum(COMPLAINT_OUTCOMES).optional(),
  open: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  from: IsoDay.optional(),
  to: IsoDay.optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ComplaintQuery = z.infer<typeof ComplaintQuery>;
export const ComplaintRegister = z
  .object({
    items: z.array(Complaint),
    nextCursor: z.string().nullable(),
    summary: z.object({
      total: z.number().int(),
      open: z.number().int(),
      medianHoursToResolution: z.number().nullable(),
      byCategory: z.array(z.object({ category: z.string(), count: z.number().int() })),
      byOutcome: z.array(z.object({ outcome: z.string().nullable(), count: z.number().int() })),
      compensation: z.array(z.object({ currency: z.string(), total: z.number() })),
    }),
  })
  .meta({ id: 'ComplaintRegister' });
export type ComplaintRegister = z.infer<typeof ComplaintRegister>;

export const ThemeSummary = z
  .object({
    index: z.number().int(),
    label: z.string(),
    keywords: z.array(z.string()),
    size: z.number().int(),
    negative: z.number().meta({ description: 'Share of its texts with negative sentiment (0–1)' }),
    positive: z.number(),
    weekly: z.array(z.object({ week: z.string(), count: z.number().int() })),
  })
  .meta({ id: 'ThemeSummary' });
export type ThemeSummary = z.infer<typeof ThemeSummary>;
export const ThemeRun = z
  .object({
    id: z.uuid(),
    from: z.string(),
    to: z.string(),
    status: z.enum(['running', 'done', 'failed']),
    documents: z.number().int(),
    unassigned: z.number().int(),
    seconds: z.number().nullable(),
    error: z.string().nullable(),
    themes: z.array(ThemeSummary),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .meta({ id: 'ThemeRun' });
export type ThemeRun = z.infer<typeof ThemeRun>;
export const ThemeRunBody = z
  .object({ from: IsoDay.optional(), to: IsoDay.optional() })
  .meta({ description: 'The period of texts (default: the last 90 days)' });
export const ThemeDocument = z
  .object({
    source: z.enum(['survey', 'mention', 'ticket']),
    sourceId: z.uuid(),
    ticketId: z.uuid().nullable(),
    at: z.string(),
    sentiment: z.enum(['positive', 'neutral', 'negative']),
    excerpt: z.string(),
  })
  .meta({ id: 'ThemeDocument' });
export const ThemeDocumentPage = z
  .object({ items: z.array(ThemeDocument), nextCursor: z.string().nullable() })
  .meta({ id: 'ThemeDocumentPage' });
export type ThemeDocumentPage = z.infer<typeof ThemeDocumentPage>;
export const ThemeDocumentQuery = z.object({
  sentiment: z.enum(['positive', 'neutral', 'negative']).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** Employee pulse: anonymous questions to the support team; eNPS (0–10) or agreement (1–5). */
export const PulseQuestion = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/),
    kind: z.enum(['enps', 'agree']),
    textEn: z.string().trim().min(1).max(300),
    textDe: z.string().trim().min(1).max(300),
  })
  .meta({ id: 'PulseQuestion' });
export type PulseQuestion = z.infer<typeof PulseQuestion>;
export const CreatePulseBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    questions: z
      .array(PulseQuestion)
      .min(1)
      .max(20)
      .refine((qs) => new Set(qs.map((q) => q.id)).size === qs.length, 'question ids must differ'),
    teamIds: z
      .array(z.uuid())
      .max(100)
      .default([])
      .meta({ description: 'Members of these teams; none: every agent' }),
    closesAt: z.iso.datetime({ offset: true }).nullable().default(null),
  })
  .meta({ id: 'CreatePulseBody' });
export type CreatePulseBody = z.infer<typeof CreatePulseBody>;
export const Pulse = z
  .object({
    id: z.uuid(),
    name: z.string(),
    questions: z.array(PulseQuestion),
    teamIds: z.array(z.uuid()),
    status: z.enum(['open', 'closed']),
    closesAt: z.string().nullable(),
    invited: z.number().int(),
    answered: z.number().int(),
    createdAt: z.string(),
  })
  .meta({ id: 'Pulse' });
export type Pulse = z.infer<typeof Pulse>;
export const PulseList = z.object({ items: z.array(Pulse) }).meta({ id: 'PulseList' });
export type PulseList = z.infer<typeof PulseList>;
export const PulseAnswerBody = z.object({
  answers: z.record(z.string().max(40), z.number().int()).meta({ description: 'Score by question id' }),
  comment: z.string().trim().max(5000).default(''),
});
export type PulseAnswerBody = z.infer<typeof PulseAnswerBody>;
/** Results of a group, or nothing but the count when fewer than 5 answered (so nobody can be singled out). */
export const PulseGroupResult = z.object({
  key: z.string().nullable(),
  label: z.string(),
  answers: z.number().int(),
  hidden: z.boolean().meta({ description: 'Fewer than 5 answers: no results shown' }),
  questions: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(['enps', 'agree']),
      score: z.number().nullable().meta({ description: 'eNPS −100…100, or the mean 1–5' }),
      low: z.number().nullable(),
      high: z.number().nullable(),
      favourable: z.number().nullable().meta({ description: 'agree: share answering 4 or 5' }),
    }),
  ),
  comments: z.array(z.string()),
});
export const PulseResults = z
  .object({
    pulse: Pulse,
    minimumGroup: z.number().int(),
    overall: PulseGroupResult,
    teams: z.array(PulseGroupResult),
  })
  .meta({ id: 'PulseResults' });
export type PulseResults = z.infer<typeof PulseResults>;

/** Feedback for other teams: what customers ask for or complain about, grouped into items with their weight. */
export const FEEDBACK_CATEGORIES = [
  'feature_request',
  'bug',
  'pricing',
  'usability',
  'praise',
  'other',
] as const;
export const FEEDBACK_ITEM_STATUSES = ['new', 'planned', 'in_progress', 'done', 'declined'] as const;
export const CreateFeedbackItemBody = z
  .object({
    title: z.string().trim().min(1).max(200),
    category: z.enum(FEEDBACK_CATEGORIES),
    description: z.string().trim().max(5000).default(''),
  })
  .meta({ id: 'CreateFeedbackItemBody' });
export type CreateFeedbackItemBody = z.infer<typeof CreateFeedbackItemBody>;
export const UpdateFeedbackItemBody = z.object({
  title: z.string().trim().min(1).max(200).optional(),
  category: z.enum(FEEDBACK_CATEGORIES).optional(),
  description: z.string().trim().max(5000).optional(),
  status: z.enum(FEEDBACK_ITEM_STATUSES).optional(),
  trackerUrl: z
    .url()
    .max(2000)
    .nullable()
    .optional()
    .meta({ description: 'The issue in the product team’s tracker' }),
  trackerStatus: z.string().trim().max(60).nullable().optional(),
  collaboratorIds: z
    .array(z.uuid())
    .max(50)
    .optional()
    .meta({ description: 'Colleagues in product, sales, marketing' }),
});
export type UpdateFeedbackItemBody = z.infer<typeof UpdateFeedbackItemBody>;
export const FeedbackLink = z
  .object({
    id: z.uuid(),
    source: z.enum(['ticket', 'survey_response']),
    sourceId: z.uuid(),
    ticketId: z.uuid().nullable(),
    contact: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    organization: OrganizationRef.nullable(),
    note: z.string(),
    by: UserRef.nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'FeedbackLink' });
export const FeedbackItem = z
  .object({
    id: z.uuid(),
    title: z.string(),
    category: z.enum(FEEDBACK_CATEGORIES),
    description: z.string(),
    status: z.enum(FEEDBACK_ITEM_STATUSES),
    trackerUrl: z.string().nullable(),
    trackerStatus: z.string().nullable(),
    collaborators: z.array(UserRef),
    customers: z.number().int().meta({ description: 'Distinct customers (contacts) who asked' }),
    organizations: z.number().int(),
    revenue: z
      .number()
      .meta({ description: 'Sum of the revenue attribute over the distinct customers’ organisations' }),
    links: z.number().int(),
    lastLinkedAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'FeedbackItem' });
export type FeedbackItem = z.infer<typeof FeedbackItem>;
export const FeedbackItemDetail = FeedbackItem.extend({ recentLinks: z.array(FeedbackLink) }).meta({
  id: 'FeedbackItemDetail',
});
export type FeedbackItemDetail = z.infer<typeof FeedbackItemDetail>;
export const FeedbackItemList = z.object({ items: z.array(FeedbackItem) }).meta({ id: 'FeedbackItemList' });
export type FeedbackItemList = z.infer<typeof FeedbackItemList>;
export const FeedbackItemQuery = z.object({
  status: z.enum(FEEDBACK_ITEM_STATUSES).optional(),
  category: z.enum(FEEDBACK_CATEGORIES).optional(),
  q: z.string().max(200).optional(),
  shared: z.enum(['me']).optional().meta({ description: 'Only items shared with you' }),
  ticketId: z.uuid().optional(),
  sort: z.enum(['customers', 'revenue', 'recent']).default('customers'),
});
export type FeedbackItemQuery = z.infer<typeof FeedbackItemQuery>;
export const FeedbackLinkBody = z.object({
  source: z.enum(['ticket', 'survey_response']),
  sourceId: z.uuid(),
  note: z
    .string()
    .trim()
    .max(2000)
    .default('')
    .meta({ description: 'What the customer said, in their words' }),
});
export type FeedbackLinkBody = z.infer<typeof FeedbackLinkBody>;
