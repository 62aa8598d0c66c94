import type { FieldOption, FieldType, FieldValue } from '@keepdesk/contract';
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgSequence,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { RuleRef } from '../../platform/events';
import { users } from '../auth/auth.tables';
import { contacts, organizations } from '../customers/customers.tables';
import { teams } from '../teams/teams.tables';

/** A PostgreSQL full-text document, written by the services with the ticket's language. */
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/** Human-friendly ticket numbers (#10001, #10002, …), never reused. */
export const ticketNumbers = pgSequence('ticket_number_seq', { startWith: 10001 });

/** Built-in and custom statuses; each maps to one of the six categories. */
export const ticketStatuses = pgTable('ticket_statuses', {
  key: text('key').primaryKey(),
  category: text('category').notNull(),
  nameEn: text('name_en').notNull(),
  nameDe: text('name_de').notNull(),
  isBuiltIn: boolean('is_built_in').notNull().default(false),
  position: integer('position').notNull().default(0),
});

/** Custom ticket fields the admins define; a field's key and type never change once created. */
export const ticketFields = pgTable('ticket_fields', {
  key: text('key').primaryKey(),
  type: text('type').$type<FieldType>().notNull(),
  labelEn: text('label_en').notNull(),
  labelDe: text('label_de').notNull(),
  options: jsonb('options').$type<FieldOption[]>().notNull().default([]),
  requiredOnSolve: boolean('required_on_solve').notNull().default(false),
  active: boolean('active').notNull().default(true),
  position: integer('position').notNull().default(100),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const tickets = pgTable(
  'tickets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    number: bigint('number', { mode: 'number' })
      .notNull()
      .unique()
      .default(sql`nextval('ticket_number_seq')`),
    subject: text('subject').notNull(),
    statusKey: text('status_key')
      .notNull()
      .references(() => ticketStatuses.key),
    /** The category of the status, kept beside it so views filter on one indexed column. */
    statusCategory: text('status_category').notNull(),
    priority: text('priority').notNull().default('normal'),
    type: text('type').notNull().default('question'),
    channel: text('channel').notNull(),
    language: text('language').notNull().default('en'),
    requesterId: uuid('requester_id')
      .notNull()
      .references(() => contacts.id),
    organizationId: uuid('organization_id').references(() => organizations.id, { onDelete: 'set null' }),
    assigneeId: uuid('assignee_id').references(() => users.id, { onDelete: 'set null' }),
    teamId: uuid('team_id').references(() => teams.id, { onDelete: 'set null' }),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    messageCount: integer('message_count').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    solvedAt: timestamp('solved_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    /** Set when this ticket was merged into another one; it is then closed. */
    mergedIntoId: uuid('merged_into_id'),
    /** The problem ticket this incident belongs to. */
    parentId: uuid('parent_id'),
    /** Subject, requester name and address: stemmed in the ticket's language, plus exact words. */
    searchVector: tsvector('search_vector'),
    /** Custom field values by field key, validated against `ticket_fields` on every write. */
    customFields: jsonb('custom_fields').$type<Record<string, FieldValue>>().notNull().default({}),
    /**
     * The SLA at a glance, kept by the SLA module: the policy, the next due time of the running clocks and when
     * they turn at risk, and whether they run, stand still, were all met, or one was breached.
     */
    slaPolicyId: uuid('sla_policy_id'),
    slaDueAt: timestamp('sla_due_at', { withTimezone: true }),
    slaAtRiskAt: timestamp('sla_at_risk_at', { withTimezone: true }),
    slaStatus: text('sla_status').$type<'running' | 'paused' | 'met' | 'breached'>(),
  },
  (t) => [
    index('tickets_category_updated_idx').on(t.statusCategory, t.updatedAt.desc(), t.id.desc()),
    index('tickets_assignee_idx').on(t.assigneeId, t.statusCategory, t.updatedAt.desc()),
    index('tickets_team_idx').on(t.teamId, t.statusCategory, t.updatedAt.desc()),
    index('tickets_requester_idx').on(t.requesterId, t.updatedAt.desc()),
    index('tickets_organization_idx').on(t.organizationId, t.updatedAt.desc()),
    index('tickets_updated_idx').on(t.updatedAt.desc(), t.id.desc()),
    index('tickets_created_idx').on(t.createdAt.desc(), t.id.desc()),
    index('tickets_tags_idx').using('gin', t.tags),
    index('tickets_sla_due_idx').on(t.slaDueAt).where(sql`${t.slaDueAt} is not null`),
    // The SLA sweep: running clocks by when they turn at risk and when they are due.
    index('tickets_sla_at_risk_running_idx').on(t.slaAtRiskAt).where(sql`${t.slaStatus} = 'running'`),
    index('tickets_sla_due_running_idx').on(t.slaDueAt).where(sql`${t.slaStatus} = 'running'`),
    index('tickets_search_idx').using('gin', t.searchVector),
    index('tickets_parent_idx').on(t.parentId),
    index('tickets_custom_fields_idx').using('gin', t.customFields),
  ],
);

export const ticketMessages = pgTable(
  'ticket_messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    visibility: text('visibility').$type<'public' | 'internal'>().notNull(),
    authorKind: text('author_kind').$type<'agent' | 'contact' | 'system'>().notNull(),
    authorUserId: uuid('author_user_id').references(() => users.id, { onDelete: 'set null' }),
    authorContactId: uuid('author_contact_id').references(() => contacts.id, { onDelete: 'set null' }),
    bodyHtml: text('body_html').notNull(),
    bodyText: text('body_text').notNull(),
    channel: text('channel').notNull(),
    /**
     * Where the message came from outside (`email:<inbound id>`): unique, so a message that a crash
     * interrupted and its channel then delivered again is recognised instead of written twice.
     */
    externalRef: text('external_ref'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    searchVector: tsvector('search_vector'),
  },
  (t) => [
    index('ticket_messages_ticket_idx').on(t.ticketId, t.createdAt),
    uniqueIndex('ticket_messages_external_ref_idx')
      .on(t.externalRef)
      .where(sql`${t.externalRef} is not null`),
    index('ticket_messages_created_idx').on(t.createdAt.desc()),
    index('ticket_messages_search_idx').using('gin', t.searchVector),
  ],
);

/** The ticket's history: who changed what, when, from → to. */
export const ticketEvents = pgTable(
  'ticket_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    field: text('field'),
    fromValue: jsonb('from_value'),
    toValue: jsonb('to_value'),
    actorKind: text('actor_kind').notNull(),
    actorUserId: uuid('actor_user_id').references(() => users.id, { onDelete: 'set null' }),
    /** The trigger or automation that made the change, as it was named then. */
    actorRule: jsonb('actor_rule').$type<RuleRef>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('ticket_events_ticket_idx').on(t.ticketId, t.id)],
);

export const ticketFollowers = pgTable(
  'ticket_followers',
  {
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.ticketId, t.userId] })],
);

/** Saved ticket filters with a sort order: personal (owner set) or shared with everyone. */
export const views = pgTable(
  'views',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    /** The default views (`my_open`, `unassigned`, `all_open`, `pending`), named in the viewer's language. */
    builtIn: text('built_in').unique(),
    ownerId: uuid('owner_id').references(() => users.id, { onDelete: 'cascade' }),
    filter: jsonb('filter').notNull(),
    sort: jsonb('sort').notNull(),
    position: integer('position').notNull().default(100),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('views_owner_idx').on(t.ownerId)],
);

/** Tickets that belong together without one being the other's parent (a split, a duplicate report). */
export const ticketLinks = pgTable(
  'ticket_links',
  {
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    otherId: uuid('other_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.ticketId, t.otherId] }), index('ticket_links_other_idx').on(t.otherId)],
);

/** Files on a message, kept in the blob storage; `messageId` is empty between upload and sending. */
export const attachments = pgTable(
  'attachments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    messageId: uuid('message_id').references(() => ticketMessages.id, { onDelete: 'cascade' }),
    fileName: text('file_name').notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    storageKey: text('storage_key').notNull(),
    uploadedByUserId: uuid('uploaded_by_user_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('attachments_ticket_idx').on(t.ticketId), index('attachments_message_idx').on(t.messageId)],
);

/** Every tag ever put on a ticket, for suggestions and the tags API; written when a ticket gains a tag. */
export const tags = pgTable('tags', {
  name: text('name').primaryKey(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Cases imported from another tool's event log: one ticket each, so that importing a file again adds nothing. */
export const ticketImports = pgTable(
  'ticket_imports',
  {
    source: text('source').notNull(),
    caseKey: text('case_key').notNull(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    importedAt: timestamp('imported_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.source, t.caseKey] })],
);
