import type { WidgetSettings } from '@keepdesk/contract';
import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from '../auth/auth.tables';

/** A PostgreSQL full-text document, written by the services with the article's language. */
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/**
 * A brand: one public help center (`/hc/{slug}`), its contact form and its web widget. A workspace starts
 * with the brand `default`; categories belong to one brand.
 */
export const brands = pgTable(
  'kb_brands',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    defaultLanguage: text('default_language').$type<'de' | 'en'>().notNull().default('en'),
    primaryColor: text('primary_color').notNull().default('#1864ab'),
    /** The contact form: whether it is shown, and how many tickets one address may open in a day. */
    contactFormEnabled: boolean('contact_form_enabled').notNull().default(true),
    maxTicketsPerAddressPerDay: integer('max_tickets_per_address_per_day').notNull().default(5),
    /** The contract's `WidgetSettings`; read through `widgetSettingsOf`, as an older row may lack or break some. */
    widget: jsonb('widget').$type<WidgetSettings>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('kb_brands_slug_key').on(t.slug)],
);

/** Names in both languages: `{ de: 'Rechnungen', en: 'Billing' }`; a missing one falls back to the other. */
export type Names = Partial<Record<'de' | 'en', string>>;

export const categories = pgTable(
  'kb_categories',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    brandId: uuid('brand_id')
      .notNull()
      .references(() => brands.id, { onDelete: 'cascade' }),
    /** Part of the public URL; stable once published. */
    slug: text('slug').notNull(),
    names: jsonb('names').$type<Names>().notNull(),
    descriptions: jsonb('descriptions').$type<Names>().notNull().default({}),
    position: integer('position').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('kb_categories_brand_slug_key').on(t.brandId, t.slug)],
);

export const sections = pgTable(
  'kb_sections',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    categoryId: uuid('category_id')
      .notNull()
      .references(() => categories.id, { onDelete: 'cascade' }),
    slug: text('slug').notNull(),
    names: jsonb('names').$type<Names>().notNull(),
    position: integer('position').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('kb_sections_category_slug_key').on(t.categoryId, t.slug)],
);

export type ArticleStatus = 'draft' | 'in_review' | 'published' | 'archived';
export type ArticleKind = 'article' | 'policy';

/**
 * One article in one language. Translations of the same article share `translationGroupId` (at most one
 * article per language in a group). The row holds the current content; every saved change is also a row in
 * `kb_article_versions`, and `version` is the number of the newest one.
 */
export const articles = pgTable(
  'kb_articles',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Short public number used in URLs (`/hc/default/en/articles/1042-reset-your-password`); never reused. */
    number: integer('number').notNull().generatedAlwaysAsIdentity({ startWith: 1001 }),
    translationGroupId: uuid('translation_group_id').notNull(),
    language: text('language').$type<'de' | 'en'>().notNull(),
    kind: text('kind').$type<ArticleKind>().notNull().default('article'),
    title: text('title').notNull(),
    /** Readable part of the URL, from the title; the number alone finds the article, so an old slug still works. */
    slug: text('slug').notNull(),
    /** Sanitised HTML (platform/html), never the raw input. */
    bodyHtml: text('body_html').notNull(),
    /** The body as plain text: search document, excerpts, insertion into plain-text replies. */
    bodyText: text('body_text').notNull(),
    categoryId: uuid('category_id').references(() => categories.id, { onDelete: 'set null' }),
    sectionId: uuid('section_id').references(() => sections.id, { onDelete: 'set null' }),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    visibility: text('visibility').$type<'internal' | 'public'>().notNull().default('internal'),
    status: text('status').$type<ArticleStatus>().notNull().default('draft'),
    version: integer('version').notNull().default(1),
    /** Policies: the version agents must acknowledge; raised when a policy is published with new content. */
    acknowledgeVersion: integer('acknowledge_version'),
    ownerId: uuid('owner_id').references(() => users.id, { onDelete: 'set null' }),
    /** Days after a verification that the article needs review again; null: never expires. */
    verificationIntervalDays: integer('verification_interval_days'),
    verifiedAt: timestamp('verified_at', { withTimezone: true }),
    verifiedById: uuid('verified_by_id').references(() => users.id, { onDelete: 'set null' }),
    /** `verified_at + interval` (or creation + interval before a first verification), kept for the sweep. */
    verificationDueAt: timestamp('verification_due_at', { withTimezone: true }),
    /** When the owner was last reminded of this expiry; cleared by a verification. */
    remindedAt: timestamp('reminded_at', { withTimezone: true }),
    createdById: uuid('created_by_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    /** Counters kept by the analytics writes, so lists sort by them without a join. */
    viewCount: integer('view_count').notNull().default(0),
    helpfulCount: integer('helpful_count').notNull().default(0),
    notHelpfulCount: integer('not_helpful_count').notNull().default(0),
    /** Title (A), tags (B) and body (C) stemmed in the article's language, plus exact words. */
    searchVector: tsvector('search_vector'),
    /**
     * Title (A) and tags (B) alone, as in `search_vector`: small enough to stay in the row, so every match is
     * ranked by it without reading the large body document (docs/adr/0041). Generated by the database
     * (function `kb_article_head`, migration 0047), so no write path has to set it.
     */
    searchHead: tsvector('search_head').generatedAlwaysAs(sql`kb_article_head(language, title, tags)`),
  },
  (t) => [
    uniqueIndex('kb_articles_number_key').on(t.number),
    uniqueIndex('kb_articles_group_language_key').on(t.translationGroupId, t.language),
    index('kb_articles_search_idx').using('gin', t.searchVector),
    index('kb_articles_search_head_idx').using('gin', t.searchHead),
    // Per language: a search in one language reads no row of the other (docs/adr/0041).
    index('kb_articles_search_de_idx').using('gin', t.searchVector).where(sql`${t.language} = 'de'`),
    index('kb_articles_search_en_idx').using('gin', t.searchVector).where(sql`${t.language} = 'en'`),
    index('kb_articles_search_head_de_idx').using('gin', t.searchHead).where(sql`${t.language} = 'de'`),
    index('kb_articles_search_head_en_idx').using('gin', t.searchHead).where(sql`${t.language} = 'en'`),
    index('kb_articles_title_trgm_idx').using('gin', sql`${t.title} gin_trgm_ops`),
    index('kb_articles_category_idx').on(t.categoryId, t.status),
    index('kb_articles_section_idx').on(t.sectionId),
    index('kb_articles_status_updated_idx').on(t.status, t.updatedAt.desc()),
    index('kb_articles_tags_idx').using('gin', t.tags),
    index('kb_articles_verification_due_idx')
      .on(t.verificationDueAt)
      .where(sql`${t.verificationDueAt} is not null`),
  ],
);

/** Every saved state of an article: what the diff compares and what a restore copies back. */
export const articleVersions = pgTable(
  'kb_article_versions',
  {
    articleId: uuid('article_id')
      .notNull()
      .references(() => articles.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    title: text('title').notNull(),
    bodyHtml: text('body_html').notNull(),
    bodyText: text('body_text').notNull(),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    status: text('status').$type<ArticleStatus>().notNull(),
    /** Why it changed: "restored version 3", "published", or the author's own note. */
    note: text('note').notNull().default(''),
    authorId: uuid('author_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.articleId, t.version] })],
);

/**
 * A change to a published article proposed by an author without `kb:publish` (docs/adr/0045): at most one per
 * article (and so per language), edited by any author until a publisher approves it (it becomes a version and
 * the live content) or rejects it (the row goes). Readers and the help center never see it.
 */
export const articleRevisions = pgTable('kb_article_revisions', {
  articleId: uuid('article_id')
    .primaryKey()
    .references(() => articles.id, { onDelete: 'cascade' }),
  /** Counts the saves of this proposal: what an editor and an approval name so nobody acts on a stale one. */
  revision: integer('revision').notNull().default(1),
  /** The live version the proposal was first made against. */
  baseVersion: integer('base_version').notNull(),
  title: text('title').notNull(),
  bodyHtml: text('body_html').notNull(),
  bodyText: text('body_text').notNull(),
  tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
  note: text('note').notNull().default(''),
  proposedById: uuid('proposed_by_id').references(() => users.id, { onDelete: 'set null' }),
  updatedById: uuid('updated_by_id').references(() => users.id, { onDelete: 'set null' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Images and files of an article, in the blob storage; public when the article is public and published. */
export const articleFiles = pgTable(
  'kb_article_files',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    articleId: uuid('article_id').references(() => articles.id, { onDelete: 'cascade' }),
    fileName: text('file_name').notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    storageKey: text('storage_key').notNull(),
    uploadedById: uuid('uploaded_by_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('kb_article_files_article_idx').on(t.articleId)],
);

/** An agent confirmed having read version `version` of a policy. */
export const acknowledgements = pgTable(
  'kb_acknowledgements',
  {
    articleId: uuid('article_id')
      .notNull()
      .references(() => articles.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.articleId, t.version, t.userId] }),
    index('kb_acknowledgements_user_idx').on(t.userId),
  ],
);

/** One search of the help center, the widget or the agents: what the analytics of queries and gaps read. */
export const searchQueries = pgTable(
  'kb_search_queries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    brandId: uuid('brand_id').references(() => brands.id, { onDelete: 'cascade' }),
    source: text('source').$type<'helpcenter' | 'widget' | 'agent'>().notNull(),
    language: text('language').notNull(),
    /** As typed, trimmed; `normalized` (lower case, single spaces) is what the analytics group by. */
    query: text('query').notNull(),
    normalized: text('normalized').notNull(),
    resultCount: integer('result_count').notNull(),
    /** The article the searcher opened from the results, when they did. */
    clickedArticleId: uuid('clicked_article_id').references(() => articles.id, { onDelete: 'set null' }),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('kb_search_queries_at_idx').on(t.at),
    index('kb_search_queries_normalized_idx').on(t.normalized, t.at),
  ],
);

/** Article views per day and source, counted in memory and added in batches (a page view writes nothing). */
export const articleViews = pgTable(
  'kb_article_views',
  {
    articleId: uuid('article_id')
      .notNull()
      .references(() => articles.id, { onDelete: 'cascade' }),
    day: date('day', { mode: 'string' }).notNull(),
    source: text('source').$type<'helpcenter' | 'widget' | 'agent'>().notNull(),
    views: integer('views').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.articleId, t.day, t.source] }),
    index('kb_article_views_day_idx').on(t.day),
  ],
);

/** "Was this article helpful?" with an optional comment. */
export const articleVotes = pgTable(
  'kb_article_votes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    articleId: uuid('article_id')
      .notNull()
      .references(() => articles.id, { onDelete: 'cascade' }),
    helpful: boolean('helpful').notNull(),
    comment: text('comment').notNull().default(''),
    source: text('source').$type<'helpcenter' | 'widget' | 'agent'>().notNull(),
    /** A hash of the voter (browser cookie or user id) so a second vote replaces the first. */
    voterKey: text('voter_key').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('kb_article_votes_voter_key').on(t.articleId, t.voterKey),
    index('kb_article_votes_created_idx').on(t.createdAt),
  ],
);
