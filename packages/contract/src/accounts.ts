import { z } from 'zod';
import { Email } from './auth';
import { pageOf } from './common';
import { Attributes, OrganizationRef } from './customers';

/** Rows per bulk call; larger loads are split by the caller (or imported as a CSV file). */
export const BULK_MAX_ROWS = 10_000;
/** The largest amount numeric(14,2) holds. */
const MAX_MONEY = 999_999_999_999.99;

const ExternalId = z.string().trim().min(1, 'is empty').max(200, 'longer than 200 characters');
const AccountRef = ExternalId.meta({ description: "The account's external id" });
const Day = z.iso.date('not a date (YYYY-MM-DD)');
const Instant = z.iso.datetime({ offset: true, message: 'not a date-time with Z or an offset (ISO 8601)' });
const Currency = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{3}$/, 'not a three-letter currency code (ISO 4217)')
  .meta({ description: 'ISO 4217 code; EUR when left out' });
const Money = (what: string) =>
  z
    .number()
    .max(MAX_MONEY, 'too large')
    .meta({ description: `${what}, in the currency's units (two decimals are kept)` });

/** One customer account, as the bulk API and the accounts import take it. */
export const AccountRow = z.object({
  externalId: ExternalId.meta({ description: "The account's id in your billing or CRM system" }),
  name: z.string().trim().max(200, 'longer than 200 characters').optional(),
  email: Email.optional().meta({ description: 'Links the account to the contact with this address' }),
  organization: z
    .string()
    .trim()
    .min(1)
    .max(200, 'longer than 200 characters')
    .optional()
    .meta({ description: 'Name of an existing organisation (any case) to link when no contact links one' }),
  owner: Email.optional().meta({ description: 'E-mail of the Keepdesk user who owns the account' }),
  acquiredOn: Day.optional().meta({
    description: 'When it became a customer; without it, its first subscription start or order day',
  }),
  attributes: Attributes.optional(),
});
export type AccountRow = z.infer<typeof AccountRow>;

/** One subscription period; a plan change ends one period and starts another. */
export const SubscriptionRow = z.object({
  externalId: ExternalId,
  account: AccountRef,
  plan: z.string().trim().min(1, 'is empty').max(200, 'longer than 200 characters'),
  mrr: Money('Monthly recurring revenue').min(0, 'is negative'),
  currency: Currency.optional(),
  startedOn: Day,
  endedOn: Day.nullish().meta({ description: 'End or cancellation day; empty while it runs' }),
  cancelReason: z.string().trim().max(2000, 'longer than 2000 characters').nullish(),
});
export type SubscriptionRow = z.infer<typeof SubscriptionRow>;

export const OrderRow = z.object({
  externalId: ExternalId,
  account: AccountRef,
  orderedAt: Instant,
  amount: Money('Order total')
    .min(0, 'is negative (a refund is not an order)')
    .refine((value) => value !== 0, 'is 0 (an order has an amount)'),
  currency: Currency.optional(),
  products: z.array(z.string().trim().min(1).max(200)).max(200).optional(),
});
export type OrderRow = z.infer<typeof OrderRow>;

/** A count of uses of a product feature at a moment; the same account, name and moment again replaces it. */
export const UsageEventRow = z.object({
  account: AccountRef,
  name: z.string().trim().min(1, 'is empty').max(200, 'longer than 200 characters'),
  occurredAt: Instant,
  count: z
    .number()
    .int('not a whole number')
    .min(0, 'is negative')
    .max(2_147_483_647, 'too large')
    .optional()
    .meta({ description: '1 when left out' }),
});
export type UsageEventRow = z.infer<typeof UsageEventRow>;

const rowsOf = <T extends z.ZodType>(row: T) => z.object({ rows: z.array(row).min(1).max(BULK_MAX_ROWS) });
export const BulkAccountsBody = rowsOf(AccountRow);
export const BulkSubscriptionsBody = rowsOf(SubscriptionRow);
export const BulkOrdersBody = rowsOf(OrderRow);
export const BulkUsageEventsBody = rowsOf(UsageEventRow);

export const BulkUpsertResult = z
  .object({
    created: z.number().int(),
    updated: z.number().int(),
    errors: z
      .array(z.object({ index: z.number().int(), field: z.string(), message: z.string() }))
      .meta({ description: 'Rows that were skipped: their index in `rows`, the field at fault and why' }),
  })
  .meta({ id: 'BulkUpsertResult' });
export type BulkUpsertResult = z.infer<typeof BulkUpsertResult>;

const UserRef = z.object({ id: z.uuid(), name: z.string(), email: z.string() });
const ContactRef = z.object({ id: z.uuid(), name: z.string() });
const Amount = z.object({ currency: z.string(), amount: z.number() });

export const CustomerAccount = z
  .object({
    id: z.uuid(),
    externalId: z.string(),
    name: z.string(),
    email: z.string(),
    acquiredOn: z.string().nullable(),
    attributes: Attributes,
    contact: ContactRef.nullable(),
    organization: OrganizationRef.nullable(),
    owner: UserRef.nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'CustomerAccount' });
export type CustomerAccount = z.infer<typeof CustomerAccount>;
export const CustomerAccountPage = pageOf(CustomerAccount);
export type CustomerAccountPage = z.infer<typeof CustomerAccountPage>;

export const CustomerAccountQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  q: z.string().max(200).optional().meta({ description: 'Part of a name, e-mail address or external id' }),
});
export type CustomerAccountQuery = z.infer<typeof CustomerAccountQuery>;

export const Subscription = z.object({
  id: z.uuid(),
  externalId: z.string(),
  plan: z.string(),
  mrr: z.number(),
  currency: z.string(),
  startedOn: z.string(),
  endedOn: z.string().nullable(),
  cancelReason: z.string().nullable(),
  isActive: z.boolean().meta({ description: 'Started on or before today and not ended by today' }),
});
export type Subscription = z.infer<typeof Subscription>;

/** An account with everything known about it: the customer 360. */
export const CustomerAccount360 = CustomerAccount.extend({
  subscriptions: z.array(Subscription).meta({ description: 'Newest start first' }),
  currentMrr: z
    .array(Amount)
    .meta({ description: 'MRR of the active subscriptions, per currency; empty when none is active' }),
  orders: z.object({
    count: z.number().int(),
    totals: z.array(Amount).meta({ description: 'Sum of the order amounts, per currency' }),
    lastOrderedAt: z.iso.datetime().nullable(),
  }),
  usageLast30Days: z
    .array(
      z.object({
        name: z.string(),
        count: z.number().int().meta({ description: 'Sum of the counts' }),
        events: z.number().int(),
        lastAt: z.iso.datetime(),
      }),
    )
    .meta({ description: 'Product usage in the 30 days before now, by event name, most used first' }),
}).meta({ id: 'CustomerAccount360' });
export type CustomerAccount360 = z.infer<typeof CustomerAccount360>;

// ── CSV import from the browser ─────────────────────────────────────────────────────────────────────────────

export const CUSTOMER_IMPORT_KINDS = ['accounts', 'subscriptions', 'orders', 'usage'] as const;
export const CustomerImportKind = z.enum(CUSTOMER_IMPORT_KINDS);
export type CustomerImportKind = z.infer<typeof CustomerImportKind>;
/** The largest CSV text the import takes (UTF-16 length, about the size of the file in bytes). */
export const CUSTOMER_IMPORT_MAX_CHARS = 20 * 1024 * 1024;

export const CustomerImportBody = z
  .object({
    kind: CustomerImportKind,
    csv: z.string().min(1, 'is empty').max(CUSTOMER_IMPORT_MAX_CHARS, 'larger than 20 MB'),
    map: z.record(z.string().max(100), z.string().max(500)).optional().meta({
      description: 'Field → CSV column, for columns not named like their field (`{"mrr": "MRR (EUR)"}`)',
    }),
    dateFormat: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .optional()
      .meta({ description: 'luxon format of dates that are not ISO 8601 or SQL, e.g. dd.MM.yyyy' }),
    dryRun: z.boolean().meta({ description: 'Check and count every row, write nothing' }),
  })
  .meta({ id: 'CustomerImportBody' });
export type CustomerImportBody = z.infer<typeof CustomerImportBody>;

export const CustomerImportReport = z
  .object({
    kind: CustomerImportKind,
    dryRun: z.boolean(),
    rows: z.number().int().meta({ description: 'Data rows in the file (below the header)' }),
    created: z.number().int().meta({ description: 'Rows written as new (in a dry run: that would be)' }),
    updated: z
      .number()
      .int()
      .meta({ description: 'Rows that changed an existing one (in a dry run: would)' }),
    errors: z.array(z.object({ line: z.number().int(), field: z.string(), message: z.string() })).meta({
      description: 'Bad rows, skipped: their line in the file (the header is line 1), column and why',
    }),
    unusedColumns: z.array(z.string()).meta({ description: 'Columns of a non-accounts file no field reads' }),
    preview: z
      .array(z.record(z.string(), z.unknown()))
      .optional()
      .meta({ description: 'Dry run: the first good rows as they would be written' }),
  })
  .meta({ id: 'CustomerImportReport' });
export type CustomerImportReport = z.infer<typeof CustomerImportReport>;

export const CustomerImportFieldsQuery = z.object({ kind: CustomerImportKind });

export const CustomerImportField = z.object({
  name: z.string().meta({ description: 'The column name the import looks for first, e.g. external_id' }),
  key: z.string().meta({ description: 'The key of the field in the bulk API, e.g. externalId' }),
  type: z.enum(['text', 'date', 'time', 'money', 'count', 'list']),
  required: z.boolean(),
  description: z.string(),
  aliases: z.array(z.string()).meta({ description: 'Other column names that are read as this field' }),
});
export type CustomerImportField = z.infer<typeof CustomerImportField>;

export const CustomerImportFields = z
  .object({ kind: CustomerImportKind, fields: z.array(CustomerImportField) })
  .meta({ id: 'CustomerImportFields' });
export type CustomerImportFields = z.infer<typeof CustomerImportFields>;
