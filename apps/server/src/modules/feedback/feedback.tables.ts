import type { PulseQuestion, Rating, SurveyAudience, SurveyKind, SurveyTexts } from '@keepdesk/contract';
import { sql } from 'drizzle-orm';
import {
  boolean,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  real,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from '../auth/auth.tables';
import { contacts, organizations } from '../customers/customers.tables';
import { teams } from '../teams/teams.tables';
import { tickets } from '../tickets/tickets.tables';

export type SurveyScale = '1-5' | 'good-bad' | '0-10' | '1-7';

/** CSAT and CES go out after a ticket is solved; NPS goes to an audience of contacts every `every_days`. */
export const surveys = pgTable('surveys', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull().unique(),
  kind: text('kind').$type<SurveyKind>().notNull(),
  active: boolean('active').notNull().default(true),
  /** CSAT: 1-5 or good-bad; the others have a fixed scale. */
  scale: text('scale').$type<'1-5' | 'good-bad'>(),
  delayMinutes: integer('delay_minutes').notNull().default(60),
  channels: text('channels').array().notNull().default(sql`'{}'::text[]`),
  everyDays: integer('every_days'),
  nextRunAt: timestamp('next_run_at', { withTimezone: true }),
  audience: jsonb('audience').$type<SurveyAudience>().notNull(),
  askComment: boolean('ask_comment').notNull().default(true),
  expiresAfterDays: integer('expires_after_days').notNull().default(14),
  followUp: boolean('follow_up').notNull().default(false),
  texts: jsonb('texts').$type<{ en: SurveyTexts; de: SurveyTexts }>().notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** The installation's survey settings: one row. */
export const feedbackSettings = pgTable('feedback_settings', {
  id: smallint('id').primaryKey().default(1),
  throttleDays: integer('throttle_days').notNull().default(30),
  complaintRatingMax: smallint('complaint_rating_max').notNull().default(2),
  revenueAttribute: text('revenue_attribute').notNull().default('mrr'),
  digestRecipients: text('digest_recipients').array().notNull().default(sql`'{}'::text[]`),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export type InvitationStatus = 'scheduled' | 'sending' | 'sent' | 'failed' | 'skipped';

/**
 * One survey for one contact: scheduled, then sent by e-mail (or skipped: opted out, throttled, no address,
 * ticket reopened), answered at most once through its signed link. It carries what the answer concerns.
 */
export const surveyInvitations = pgTable(
  'survey_invitations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    surveyId: uuid('survey_id')
      .notNull()
      .references(() => surveys.id, { onDelete: 'cascade' }),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    organizationId: uuid('organization_id').references(() => organizations.id, { onDelete: 'set null' }),
    ticketId: uuid('ticket_id').references(() => tickets.id, { onDelete: 'set null' }),
    agentId: uuid('agent_id').references(() => users.id, { onDelete: 'set null' }),
    teamId: uuid('team_id').references(() => teams.id, { onDelete: 'set null' }),
    channel: text('channel'),
    language: text('language').$type<'de' | 'en'>().notNull(),
    toAddress: text('to_address'),
    status: text('status').$type<InvitationStatus>().notNull().default('scheduled'),
    skipReason: text('skip_reason'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    sendAt: timestamp('send_at', { withTimezone: true }).notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('survey_invitations_ticket_idx')
      .on(t.surveyId, t.ticketId)
      .where(sql`${t.ticketId} is not null`),
    index('survey_invitations_contact_idx').on(t.contactId, t.sentAt),
    index('survey_invitations_due_idx').on(t.sendAt).where(sql`${t.status} in ('scheduled', 'sending')`),
    index('survey_invitations_sent_idx').on(t.sentAt),
  ],
);

/**
 * An answer, once per invitation, with copies of what it concerns (contact, organisation, ticket, agent, team,
 * channel) so that scores by any of them read one table.
 */
export const surveyResponses = pgTable(
  'survey_responses',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    invitationId: uuid('invitation_id')
      .notNull()
      .unique()
      .references(() => surveyInvitations.id, { onDelete: 'cascade' }),
    surveyId: uuid('survey_id')
      .notNull()
      .references(() => surveys.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<SurveyKind>().notNull(),
    scale: text('scale').$type<SurveyScale>().notNull(),
    /** On its scale; good/bad is 1/0. */
    score: smallint('score').notNull(),
    rating: text('rating').$type<Rating>(),
    comment: text('comment').notNull().default(''),
    contactId: uuid('contact_id').references(() => contacts.id, { onDelete: 'cascade' }),
    organizationId: uuid('organization_id').references(() => organizations.id, { onDelete: 'set null' }),
    ticketId: uuid('ticket_id').references(() => tickets.id, { onDelete: 'set null' }),
    agentId: uuid('agent_id').references(() => users.id, { onDelete: 'set null' }),
    teamId: uuid('team_id').references(() => teams.id, { onDelete: 'set null' }),
    channel: text('channel'),
    language: text('language').$type<'de' | 'en'>().notNull(),
    answeredAt: timestamp('answered_at', { withTimezone: true }).notNull().defaultNow(),
    commentedAt: timestamp('commented_at', { withTimezone: true }),
    followUpTicketId: uuid('follow_up_ticket_id').references(() => tickets.id, { onDelete: 'set null' }),
  },
  (t) => [
    index('survey_responses_answered_idx').on(t.kind, t.answeredAt),
    index('survey_responses_ticket_idx').on(t.ticketId),
    index('survey_responses_agent_idx').on(t.agentId, t.answeredAt),
    index('survey_responses_team_idx').on(t.teamId, t.answeredAt),
    index('survey_responses_organization_idx').on(t.organizationId, t.answeredAt),
    index('survey_responses_contact_idx').on(t.contactId),
  ],
);

/** Contacts who asked never to be surveyed again. */
export const surveyOptOuts = pgTable('survey_opt_outs', {
  contactId: uuid('contact_id')
    .primaryKey()
    .references(() => contacts.id, { onDelete: 'cascade' }),
  source: text('source').$type<'link' | 'agent' | 'api'>().notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Reviews and social posts about the company, from the webhook or a CSV import, to triage and answer. */
export const mentions = pgTable(
  'mentions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    source: text('source').notNull(),
    kind: text('kind').$type<'review' | 'social'>().notNull(),
    externalId: text('external_id').notNull(),
    author: text('author').notNull(),
    authorEmail: text('author_email'),
    rating: smallint('rating'),
    text: text('text').notNull(),
    url: text('url'),
    postedAt: timestamp('posted_at', { withTimezone: true }).notNull(),
    language: text('language').$type<'de' | 'en'>(),
    sentiment: text('sentiment').$type<'positive' | 'neutral' | 'negative'>().notNull(),
    sentimentScore: real('sentiment_score').notNull(),
    status: text('status').$type<'new' | 'triaged' | 'replied' | 'ignored'>().notNull().default('new'),
    contactId: uuid('contact_id').references(() => contacts.id, { onDelete: 'set null' }),
    ticketId: uuid('ticket_id').references(() => tickets.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('mentions_source_external_idx').on(t.source, t.externalId),
    index('mentions_status_idx').on(t.status, t.postedAt),
    index('mentions_posted_idx').on(t.postedAt),
  ],
);

/** What was answered to a mention in public, by whom and where. */
export const mentionReplies = pgTable(
  'mention_replies',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    mentionId: uuid('mention_id')
      .notNull()
      .references(() => mentions.id, { onDelete: 'cascade' }),
    text: text('text').notNull(),
    url: text('url'),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('mention_replies_mention_idx').on(t.mentionId, t.createdAt)],
);

/** The register entry of a complaint ticket: category, root cause, resolution, compensation and outcome. */
export const complaints = pgTable(
  'complaints',
  {
    ticketId: uuid('ticket_id')
      .primaryKey()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    category: text('category').notNull().default(''),
    rootCause: text('root_cause').notNull().default(''),
    resolution: text('resolution').notNull().default(''),
    compensationKind: text('compensation_kind').notNull().default('none'),
    compensationValue: numeric('compensation_value', { precision: 12, scale: 2, mode: 'number' }),
    currency: text('currency').notNull().default('EUR'),
    outcome: text('outcome'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('complaints_category_idx').on(t.category)],
);

export interface StoredTheme {
  index: number;
  label: string;
  keywords: string[];
  size: number;
  negative: number;
  positive: number;
  /** Documents per week (the Monday the week starts on). */
  weekly: { week: string; count: number }[];
}

/** One computation of themes over a period's comments, reviews and ticket texts. */
export const themeRuns = pgTable('theme_runs', {
  id: uuid('id').primaryKey().defaultRandom(),
  fromDay: date('from_day').notNull(),
  toDay: date('to_day').notNull(),
  status: text('status').$type<'running' | 'done' | 'failed'>().notNull().default('running'),
  documents: integer('documents').notNull().default(0),
  unassigned: integer('unassigned').notNull().default(0),
  themes: jsonb('themes').$type<StoredTheme[]>().notNull().default([]),
  seconds: real('seconds'),
  error: text('error'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
});

/** The texts of a run's themes, for the drill-down from a theme to what customers wrote. */
export const themeDocuments = pgTable(
  'theme_documents',
  {
    runId: uuid('run_id')
      .notNull()
      .references(() => themeRuns.id, { onDelete: 'cascade' }),
    theme: smallint('theme').notNull(),
    source: text('source').$type<'survey' | 'mention' | 'ticket'>().notNull(),
    sourceId: uuid('source_id').notNull(),
    ticketId: uuid('ticket_id'),
    at: timestamp('at', { withTimezone: true }).notNull(),
    sentiment: text('sentiment').$type<'positive' | 'neutral' | 'negative'>().notNull(),
    excerpt: text('excerpt').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.runId, t.source, t.sourceId] }),
    index('theme_documents_theme_idx').on(t.runId, t.theme, t.at),
  ],
);

/** An employee pulse survey to the members of some teams (or every agent). */
export const pulseSurveys = pgTable('pulse_surveys', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  questions: jsonb('questions').$type<PulseQuestion[]>().notNull(),
  teamIds: uuid('team_ids').array().notNull().default(sql`'{}'::uuid[]`),
  status: text('status').$type<'open' | 'closed'>().notNull().default('open'),
  closesAt: timestamp('closes_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Who was asked and whether they answered; never which answer is theirs. */
export const pulseInvitations = pgTable(
  'pulse_invitations',
  {
    pulseId: uuid('pulse_id')
      .notNull()
      .references(() => pulseSurveys.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    answered: boolean('answered').notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.pulseId, t.userId] })],
);

/**
 * Anonymous answers: no user, random ids, only the day (not the time) and the teams of the person who answered,
 * so that an answer cannot be traced back by its moment.
 */
export const pulseAnswers = pgTable(
  'pulse_answers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    pulseId: uuid('pulse_id')
      .notNull()
      .references(() => pulseSurveys.id, { onDelete: 'cascade' }),
    teamIds: uuid('team_ids').array().notNull(),
    answers: jsonb('answers').$type<Record<string, number>>().notNull(),
    comment: text('comment').notNull().default(''),
    day: date('day').notNull(),
  },
  (t) => [index('pulse_answers_pulse_idx').on(t.pulseId)],
);

/** Something customers ask for or complain about, for product, sales or marketing; weighed by who asked. */
export const feedbackItems = pgTable('feedback_items', {
  id: uuid('id').primaryKey().defaultRandom(),
  title: text('title').notNull(),
  category: text('category').notNull(),
  description: text('description').notNull().default(''),
  status: text('status').notNull().default('new'),
  trackerUrl: text('tracker_url'),
  trackerStatus: text('tracker_status'),
  collaboratorIds: uuid('collaborator_ids').array().notNull().default(sql`'{}'::uuid[]`),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A ticket or a survey answer tagged as feedback for an item, with the customer it came from. */
export const feedbackLinks = pgTable(
  'feedback_links',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    itemId: uuid('item_id')
      .notNull()
      .references(() => feedbackItems.id, { onDelete: 'cascade' }),
    source: text('source').$type<'ticket' | 'survey_response'>().notNull(),
    sourceId: uuid('source_id').notNull(),
    ticketId: uuid('ticket_id').references(() => tickets.id, { onDelete: 'set null' }),
    contactId: uuid('contact_id').references(() => contacts.id, { onDelete: 'set null' }),
    organizationId: uuid('organization_id').references(() => organizations.id, { onDelete: 'set null' }),
    note: text('note').notNull().default(''),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('feedback_links_source_idx').on(t.itemId, t.source, t.sourceId),
    index('feedback_links_ticket_idx').on(t.ticketId),
    index('feedback_links_item_idx').on(t.itemId, t.createdAt),
  ],
);
