import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from '../auth/auth.tables';
import { contacts, organizations } from './customers.tables';

/**
 * The unit retention analytics works on: a B2B account or a B2C customer as the billing or CRM system knows it
 * (its `external_id`), linked to the helpdesk's contact and organisation where they match (ADR 0038).
 */
export const customerAccounts = pgTable(
  'customer_accounts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    externalId: text('external_id').notNull().unique(),
    name: text('name').notNull().default(''),
    /** Normalised (trimmed, lower-case); empty when unknown. */
    email: text('email').notNull().default(''),
    contactId: uuid('contact_id').references(() => contacts.id, { onDelete: 'set null' }),
    organizationId: uuid('organization_id').references(() => organizations.id, { onDelete: 'set null' }),
    /** The account owner or customer-success manager. */
    ownerId: uuid('owner_id').references(() => users.id, { onDelete: 'set null' }),
    attributes: jsonb('attributes').$type<Record<string, unknown>>().notNull().default({}),
    /** First became a customer: given by an import, else its earliest subscription start or order day. */
    acquiredOn: date('acquired_on', { mode: 'string' }),
    /** Whether `acquired_on` was given; a derived day follows the account's subscriptions and orders. */
    acquiredOnGiven: boolean('acquired_on_given').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('customer_accounts_name_id_idx').on(t.name, t.id),
    index('customer_accounts_contact_idx').on(t.contactId),
    index('customer_accounts_organization_idx').on(t.organizationId),
    index('customer_accounts_owner_idx').on(t.ownerId),
    index('customer_accounts_acquired_idx').on(t.acquiredOn),
  ],
);

/**
 * A subscription period at one plan and MRR. A plan change ends the period (`ended_on`) and starts a new row,
 * so MRR expansion and contraction can be read month by month (docs/retention.md).
 */
export const subscriptions = pgTable(
  'subscriptions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    externalId: text('external_id').notNull().unique(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => customerAccounts.id, { onDelete: 'cascade' }),
    plan: text('plan').notNull(),
    mrr: numeric('mrr', { precision: 14, scale: 2, mode: 'number' }).notNull(),
    currency: text('currency').notNull().default('EUR'),
    startedOn: date('started_on', { mode: 'string' }).notNull(),
    /** End or cancellation day; null while it runs. */
    endedOn: date('ended_on', { mode: 'string' }),
    cancelReason: text('cancel_reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('subscriptions_mrr_check', sql`${t.mrr} >= 0`),
    check('subscriptions_period_check', sql`${t.endedOn} is null or ${t.endedOn} >= ${t.startedOn}`),
    index('subscriptions_account_idx').on(t.accountId, t.startedOn),
    index('subscriptions_started_idx').on(t.startedOn),
    index('subscriptions_ended_idx').on(t.endedOn),
  ],
);

export const orders = pgTable(
  'orders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    externalId: text('external_id').notNull().unique(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => customerAccounts.id, { onDelete: 'cascade' }),
    orderedAt: timestamp('ordered_at', { withTimezone: true }).notNull(),
    amount: numeric('amount', { precision: 14, scale: 2, mode: 'number' }).notNull(),
    currency: text('currency').notNull().default('EUR'),
    products: text('products').array().notNull().default(sql`'{}'::text[]`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('orders_amount_check', sql`${t.amount} > 0`),
    index('orders_account_idx').on(t.accountId, t.orderedAt),
    index('orders_ordered_idx').on(t.orderedAt),
  ],
);

/** Product usage: how often an account used a feature at a moment; importing the same moment again replaces it. */
export const usageEvents = pgTable(
  'usage_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => customerAccounts.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    count: integer('count').notNull().default(1),
  },
  (t) => [
    check('usage_events_count_check', sql`${t.count} >= 0`),
    uniqueIndex('usage_events_key').on(t.accountId, t.name, t.occurredAt),
    index('usage_events_account_time_idx').on(t.accountId, t.occurredAt),
  ],
);
