import { z } from 'zod';
import { Email } from './auth';
import { Language, pageOf, TimeZone } from './common';

/** Free-form attributes of a customer record (from a CRM, the shop, an import): flat JSON values. */
export const Attributes = z
  .record(z.string().min(1).max(64), z.union([z.string().max(2000), z.number(), z.boolean(), z.null()]))
  .refine((value) => Object.keys(value).length <= 100, { message: 'at most 100 attributes' })
  .meta({ description: 'Custom attributes: string, number, boolean or null values' });
export type Attributes = z.infer<typeof Attributes>;

/** An e-mail domain as organisations claim it: `example.com`, lower-case, no `@`. */
export const Domain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    'not a domain like example.com',
  );

/** A phone number: digits with an optional leading +, spaces, dashes, dots and brackets allowed. */
export const Phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9 ()./-]{5,30}$/, 'not a phone number');

export const OrganizationRef = z.object({ id: z.uuid(), name: z.string() });

export const Organization = z
  .object({
    id: z.uuid(),
    name: z.string(),
    domains: z.array(z.string()),
    notes: z.string(),
    attributes: Attributes,
    accountOwnerId: z.uuid().nullable(),
    /** Contacts of the organisation see each other's tickets in the customer portal. */
    portalSharesTickets: z.boolean(),
    contactCount: z.number().int(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Organization' });
export type Organization = z.infer<typeof Organization>;
export const OrganizationPage = pageOf(Organization);
export type OrganizationPage = z.infer<typeof OrganizationPage>;

export const CreateOrganizationBody = z.object({
  name: z.string().trim().min(1).max(200),
  domains: z.array(Domain).max(50).default([]),
  notes: z.string().max(10_000).default(''),
  attributes: Attributes.default({}),
  accountOwnerId: z.uuid().nullable().default(null),
  portalSharesTickets: z.boolean().default(false),
});
export type CreateOrganizationBody = z.infer<typeof CreateOrganizationBody>;
export const UpdateOrganizationBody = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  domains: z.array(Domain).max(50).optional(),
  notes: z.string().max(10_000).optional(),
  attributes: Attributes.optional(),
  accountOwnerId: z.uuid().nullable().optional(),
  portalSharesTickets: z.boolean().optional(),
});
export type UpdateOrganizationBody = z.infer<typeof UpdateOrganizationBody>;

export const Contact = z
  .object({
    id: z.uuid(),
    name: z.string(),
    emails: z.array(z.string()).meta({ description: 'The first is the primary address' }),
    bouncingEmails: z
      .array(z.object({ email: z.string(), since: z.iso.datetime(), reason: z.string() }))
      .meta({ description: 'Addresses our mail bounced from (a delivery-status notification said so)' }),
    phones: z.array(z.string()),
    language: Language,
    timeZone: z.string().nullable(),
    notes: z.string(),
    attributes: Attributes,
    organization: OrganizationRef.nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Contact' });
export type Contact = z.infer<typeof Contact>;
export const ContactPage = pageOf(Contact);
export type ContactPage = z.infer<typeof ContactPage>;

export const CreateContactBody = z
  .object({
    name: z.string().trim().max(200).default(''),
    emails: z.array(Email).max(20).default([]),
    phones: z.array(Phone).max(20).default([]),
    language: Language.default('en'),
    timeZone: TimeZone.nullable().default(null),
    notes: z.string().max(10_000).default(''),
    attributes: Attributes.default({}),
    organizationId: z
      .uuid()
      .nullable()
      .optional()
      .meta({ description: 'Without it, the organisation that claims the e-mail domain, if any' }),
  })
  .refine((c) => c.emails.length > 0 || c.phones.length > 0 || c.name.length > 0, {
    message: 'a contact needs a name, an e-mail address or a phone number',
    path: ['name'],
  });
export type CreateContactBody = z.infer<typeof CreateContactBody>;
export const UpdateContactBody = z.object({
  name: z.string().trim().max(200).optional(),
  emails: z.array(Email).max(20).optional(),
  phones: z.array(Phone).max(20).optional(),
  language: Language.optional(),
  timeZone: TimeZone.nullable().optional(),
  notes: z.string().max(10_000).optional(),
  attributes: Attributes.optional(),
  organizationId: z.uuid().nullable().optional(),
});
export type UpdateContactBody = z.infer<typeof UpdateContactBody>;

export const MergeContactBody = z.object({
  sourceId: z.uuid().meta({ description: 'The duplicate; its tickets, addresses and history move here' }),
});

export const ContactQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  q: z.string().max(200).optional().meta({ description: 'Part of a name, e-mail address or phone number' }),
  organizationId: z.uuid().optional(),
});
export type ContactQuery = z.infer<typeof ContactQuery>;
