import { sql } from 'drizzle-orm';
import {
  boolean,
  index,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from '../auth/auth.tables';

export const organizations = pgTable(
  'organizations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    notes: text('notes').notNull().default(''),
    attributes: jsonb('attributes').$type<Record<string, unknown>>().notNull().default({}),
    accountOwnerId: uuid('account_owner_id').references(() => users.id, { onDelete: 'set null' }),
    /** Whether the organisation's contacts see each other's tickets in the customer portal. */
    portalSharesTickets: boolean('portal_shares_tickets').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('organizations_name_key').on(sql`lower(${t.name})`),
    index('organizations_name_id_idx').on(t.name, t.id),
  ],
);

/** An e-mail domain belongs to at most one organisation; new contacts with it are linked to it. */
export const organizationDomains = pgTable(
  'organization_domains',
  {
    domain: text('domain').primaryKey(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
  },
  (t) => [index('organization_domains_org_idx').on(t.organizationId)],
);

export const contacts = pgTable(
  'contacts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull().default(''),
    language: text('language').notNull().default('en'),
    timeZone: text('time_zone'),
    notes: text('notes').notNull().default(''),
    attributes: jsonb('attributes').$type<Record<string, unknown>>().notNull().default({}),
    organizationId: uuid('organization_id').references(() => organizations.id, { onDelete: 'set null' }),
    /** Set when this contact was merged into another; it then only redirects. */
    mergedIntoId: uuid('merged_into_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('contacts_name_id_idx').on(t.name, t.id),
    index('contacts_organization_idx').on(t.organizationId),
  ],
);

/** E-mail addresses and phone numbers, normalised; one address belongs to one contact. */
export const contactIdentities = pgTable(
  'contact_identities',
  {
    kind: text('kind').$type<'email' | 'phone'>().notNull(),
    value: text('value').notNull(),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    isPrimary: boolean('is_primary').notNull().default(false),
    /** Since when our mail to this address bounces, and why (from the delivery-status notification). */
    bouncingSince: timestamp('bouncing_since', { withTimezone: true }),
    bounceReason: text('bounce_reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.kind, t.value] }),
    index('contact_identities_contact_idx').on(t.contactId),
  ],
);
