import type {
  Contact,
  ContactPage,
  ContactQuery,
  CreateContactBody,
  CreateOrganizationBody,
  Organization,
  OrganizationPage,
  PageQuery,
  UpdateContactBody,
  UpdateOrganizationBody,
} from '@keepdesk/contract';
import { and, asc, eq, gt, ilike, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import { type Executor, isUniqueViolation, type Tx, withTransaction } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { type Actor, recordChange } from '../../platform/events';
import { decodeCursor, likePattern, toPage } from '../../platform/pagination';
import { domainOf, normalizeEmail, normalizePhone, uniqueNormalized } from './customers.domain';
import { contactIdentities, contacts, organizationDomains, organizations } from './customers.tables';

type ContactRow = typeof contacts.$inferSelect;
type OrganizationRow = typeof organizations.$inferSelect;

// ── contacts ────────────────────────────────────────────────────────────────────────────────────────────

/** Loads and presents contacts with their addresses and organisation, in the order of `ids`. */
async function presentContacts(executor: Executor, rows: ContactRow[]): Promise<Contact[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const identities = await executor
    .select()
    .from(contactIdentities)
    .where(inArray(contactIdentities.contactId, ids))
    .orderBy(
      contactIdentities.contactId,
      sql`${contactIdentities.isPrimary} desc`,
      contactIdentities.createdAt,
    );
  const orgIds = [...new Set(rows.map((r) => r.organizationId).filter((id): id is string => id !== null))];
  const orgs =
    orgIds.length > 0
      ? await executor
          .select({ id: organizations.id, name: organizations.name })
          .from(organizations)
          .where(inArray(organizations.id, orgIds))
      : [];
  return rows.map((row) => {
    const own = identities.filter((i) => i.contactId === row.id);
    const org = orgs.find((o) => o.id === row.organizationId);
    return {
      id: row.id,
      name: row.name,
      emails: own.filter((i) => i.kind === 'email').map((i) => i.value),
      bouncingEmails: own
        .filter((i) => i.kind === 'email' && i.bouncingSince)
        .map((i) => ({
          email: i.value,
          since: i.bouncingSince!.toISOString(),
          reason: i.bounceReason ?? '',
        })),
      phones: own.filter((i) => i.kind === 'phone').map((i) => i.value),
      language: row.language === 'de' ? 'de' : 'en',
      timeZone: row.timeZone,
      notes: row.notes,
      attributes: row.attributes as Contact['attributes'],
      organization: org ? { id: org.id, name: org.name } : null,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    };
  });
}

async function loadContactRow(executor: Executor, id: string): Promise<ContactRow> {
  const [row] = await executor.select().from(contacts).where(eq(contacts.id, id));
  if (!row) throw notFound('contact', id);
  if (row.mergedIntoId) return loadContactRow(executor, row.mergedIntoId);
  return row;
}

export async function getContact(deps: Deps, id: string): Promise<Contact> {
  const [contact] = await presentContacts(deps.database.db, [await loadContactRow(deps.database.db, id)]);
  return contact!;
}

export async function listContacts(deps: Deps, query: ContactQuery): Promise<ContactPage> {
  const conditions = [isNull(contacts.mergedIntoId)];
  if (query.organizationId) conditions.push(eq(contacts.organizationId, query.organizationId));
  if (query.q) {
    const pattern = likePattern(query.q.trim());
    conditions.push(
      or(
        ilike(contacts.name, pattern),
        sql`exists (select 1 from ${contactIdentities} ci where ci.contact_id = "contacts"."id"
                      and ci.value ilike ${likePattern(query.q.trim().toLowerCase())})`,
      )!,
    );
  }
  if (query.cursor) {
    const [name, id] = decodeCursor(query.cursor, 2);
    conditions.push(
      or(gt(contacts.name, String(name)), and(eq(contacts.name, String(name)), gt(contacts.id, String(id))))!,
    );
  }
  const rows = await deps.database.db
    .select()
    .from(contacts)
    .where(and(...conditions))
    .orderBy(asc(contacts.name), asc(contacts.id))
    .limit(query.limit + 1);
  const page = toPage(
    rows,
    query.limit,
    (r) => r,
    (r) => [r.name, r.id],
  );
  return { items: await presentContacts(deps.database.db, page.items), nextCursor: page.nextCursor };
}

/** Claims addresses for a contact; an address of another contact is a 409 naming the field. */
async function claimIdentities(
  tx: Executor,
  contactId: string,
  emails: readonly string[],
  phones: readonly string[],
): Promise<void> {
  const wanted = [
    ...uniqueNormalized(emails, normalizeEmail).map((value, i) => ({ kind: 'email' as const, value, i })),
    ...uniqueNormalized(phones, normalizePhone).map((value, i) => ({ kind: 'phone' as const, value, i })),
  ];
  for (const identity of wanted) {
    const [taken] = await tx
      .select({ contactId: contactIdentities.contactId })
      .from(contactIdentities)
      .where(and(eq(contactIdentities.kind, identity.kind), eq(contactIdentities.value, identity.value)));
    if (taken && taken.contactId !== contactId) {
      throw new AppError('CONFLICT', {
        message: `${identity.value} belongs to another contact (${taken.contactId})`,
        errors: [
          { field: identity.kind === 'email' ? 'emails' : 'phones', message: `${identity.value} is taken` },
        ],
      });
    }
  }
  await tx.delete(contactIdentities).where(eq(contactIdentities.contactId, contactId));
  if (wanted.length > 0) {
    await tx.insert(contactIdentities).values(
      wanted.map((identity) => ({
        kind: identity.kind,
        value: identity.value,
        contactId,
        isPrimary: identity.i === 0,
      })),
    );
  }
}

/** The organisation that claims the domain of the first address that has one claimed. */
async function organizationForEmails(executor: Executor, emails: readonly string[]): Promise<string | null> {
  const domains = emails.map(domainOf).filter((d): d is string => d !== null);
  if (domains.length === 0) return null;
  const rows = await executor
    .select()
    .from(organizationDomains)
    .where(inArray(organizationDomains.domain, domains));
  for (const domain of domains) {
    const row = rows.find((r) => r.domain === domain);
    if (row) return row.organizationId;
  }
  return null;
}

async function assertOrganizationExists(executor: Executor, id: string | null | undefined): Promise<void> {
  if (!id) return;
  const [row] = await executor
    .select({ id: organizations.id })
    .from(organizations)
    .where(eq(organizations.id, id));
  if (!row) {
    throw new AppError('VALIDATION_FAILED', {
      message: `organization ${id} does not exist`,
      errors: [{ field: 'organizationId', message: 'no such organization' }],
    });
  }
}

/** Creates a contact inside the caller's transaction (tickets create requesters this way). */
export async function insertContact(tx: Tx, actor: Actor, input: CreateContactBody): Promise<Contact> {
  await assertOrganizationExists(tx, input.organizationId);
  const organizationId =
    input.organizationId !== undefined ? input.organizationId : await organizationForEmails(tx, input.emails);
  const [row] = await tx
    .insert(contacts)
    .values({
      name: input.name,
      language: input.language,
      timeZone: input.timeZone,
      notes: input.notes,
      attributes: input.attributes,
      organizationId,
    })
    .returning();
  if (!row) throw new Error('insert returned no row');
  await claimIdentities(tx, row.id, input.emails, input.phones);
  await recordChange(tx, actor, {
    action: 'contact.created',
    entityType: 'contact',
    entityId: row.id,
    data: { name: row.name, organizationId },
  });
  const [contact] = await presentContacts(tx, [row]);
  return contact!;
}

export function createContact(deps: Deps, actor: Actor, input: CreateContactBody): Promise<Contact> {
  return withTransaction(deps.database, (tx) => insertContact(tx, actor, input));
}

/** The contact who owns `email`, created (and linked to the organisation of its domain) when new. */
export function findOrCreateContactByEmail(
  tx: Tx,
  actor: Actor,
  email: string,
  name?: string,
  language: 'de' | 'en' = 'en',
): Promise<Contact> {
  return findOrCreateContact(tx, actor, { kind: 'email', value: normalizeEmail(email) }, name, language);
}

/** The contact with this phone number, created when there is none (a caller we do not know yet). */
export function findOrCreateContactByPhone(
  tx: Tx,
  actor: Actor,
  phone: string,
  language: 'de' | 'en' = 'de',
): Promise<Contact> {
  return findOrCreateContact(tx, actor, { kind: 'phone', value: normalizePhone(phone) }, '', language);
}

async function findOrCreateContact(
  tx: Tx,
  actor: Actor,
  identity: { kind: 'email' | 'phone'; value: string },
  name: string | undefined,
  language: 'de' | 'en',
  retry = true,
): Promise<Contact> {
  const [owner] = await tx
    .select({ contactId: contactIdentities.contactId })
    .from(contactIdentities)
    .where(and(eq(contactIdentities.kind, identity.kind), eq(contactIdentities.value, identity.value)));
  if (owner) {
    const [contact] = await presentContacts(tx, [await loadContactRow(tx, owner.contactId)]);
    return contact!;
  }
  try {
    // In a savepoint: two messages from a new address at once both try to create the contact; the loser
    // finds the winner's contact instead of failing its whole transaction.
    return await tx.transaction((savepoint) =>
      insertContact(savepoint, actor, {
        name: name ?? '',
        emails: identity.kind === 'email' ? [identity.value] : [],
        phones: identity.kind === 'phone' ? [identity.value] : [],
        language,
        timeZone: null,
        notes: '',
        attributes: {},
      }),
    );
  } catch (error) {
    // The address was taken meanwhile (a unique violation, or the claim check seeing the winner's commit).
    if (!retry || !(isUniqueViolation(error) || (error instanceof AppError && error.code === 'CONFLICT')))
      throw error;
    return findOrCreateContact(tx, actor, identity, name, language, false);
  }
}

/** The contact a phone number belongs to, if any (a caller looked up while the phone rings). */
export async function contactByPhone(executor: Executor, phone: string): Promise<Contact | null> {
  const [owner] = await executor
    .select({ contactId: contactIdentities.contactId })
    .from(contactIdentities)
    .where(and(eq(contactIdentities.kind, 'phone'), eq(contactIdentities.value, normalizePhone(phone))));
  if (!owner) return null;
  const [contact] = await presentContacts(executor, [await loadContactRow(executor, owner.contactId)]);
  return contact ?? null;
}

/** What a new ticket needs of its requester: read in one query. */
export interface Requester {
  id: string;
  name: string;
  email: string | null;
  language: string;
  organizationId: string | null;
  organizationName: string | null;
}

const primaryEmailOf = sql<string | null>`(select ci2.value from ${contactIdentities} ci2
  where ci2.contact_id = ${contacts.id} and ci2.kind = 'email'
  order by ci2.is_primary desc, ci2.created_at limit 1)`;

function selectRequester(executor: Executor) {
  return executor
    .select({
      id: contacts.id,
      name: contacts.name,
      email: primaryEmailOf,
      language: contacts.language,
      organizationId: contacts.organizationId,
      organizationName: organizations.name,
      mergedIntoId: contacts.mergedIntoId,
    })
    .from(contacts)
    .leftJoin(organizations, eq(organizations.id, contacts.organizationId));
}

/** The requester of a new ticket by contact id, following merges; null when there is no such contact. */
export async function requesterById(executor: Executor, id: string): Promise<Requester | null> {
  const [row] = await selectRequester(executor).where(eq(contacts.id, id));
  if (!row) return null;
  if (row.mergedIntoId) return requesterById(executor, row.mergedIntoId);
  return row;
}

/**
 * The requester of a new ticket by e-mail address: one query when the address is known, otherwise a new
 * contact (linked to the organisation owning the address's domain).
 */
export async function requesterByEmail(
  tx: Tx,
  actor: Actor,
  email: string,
  name: string | undefined,
  language: 'de' | 'en',
): Promise<Requester> {
  const [row] = await selectRequester(tx)
    .innerJoin(contactIdentities, eq(contactIdentities.contactId, contacts.id))
    .where(and(eq(contactIdentities.kind, 'email'), eq(contactIdentities.value, normalizeEmail(email))));
  if (row && !row.mergedIntoId) return row;
  const contact = await findOrCreateContactByEmail(tx, actor, email, name, language);
  return {
    id: contact.id,
    name: contact.name,
    email: contact.emails[0] ?? null,
    language: contact.language,
    organizationId: contact.organization?.id ?? null,
    organizationName: contact.organization?.name ?? null,
  };
}

export async function updateContact(
  deps: Deps,
  actor: Actor,
  id: string,
  input: UpdateContactBody,
): Promise<Contact> {
  return withTransaction(deps.database, async (tx) => {
    const [before] = await presentContacts(tx, [await loadContactRow(tx, id)]);
    const contactId = before!.id;
    await assertOrganizationExists(tx, input.organizationId);
    if (input.emails !== undefined || input.phones !== undefined) {
      await claimIdentities(tx, contactId, input.emails ?? before!.emails, input.phones ?? before!.phones);
    }
    const [row] = await tx
      .update(contacts)
      .set({
        name: input.name,
        language: input.language,
        timeZone: input.timeZone,
        notes: input.notes,
        attributes: input.attributes,
        organizationId: input.organizationId,
        updatedAt: deps.now(),
      })
      .where(eq(contacts.id, contactId))
      .returning();
    const [after] = await presentContacts(tx, [row!]);
    await recordChange(tx, actor, {
      action: 'contact.updated',
      entityType: 'contact',
      entityId: contactId,
      data: changes(before!, after!),
    });
    return after!;
  });
}

/** Moves what belongs to a merged contact (their tickets, for instance) inside the merge transaction. */
export type ContactMergeStep = (tx: Tx, sourceId: string, targetId: string) => Promise<void>;
const mergeSteps = new Set<ContactMergeStep>();

/** Other modules register what must follow a contact when duplicates are merged. */
export function onContactMerge(step: ContactMergeStep): void {
  mergeSteps.add(step);
}

/**
 * Merges the duplicate `sourceId` into `targetId`: addresses, tickets and history move; the duplicate stays as
 * a pointer so old links and ids still lead to the right contact.
 */
export async function mergeContacts(
  deps: Deps,
  actor: Actor,
  targetId: string,
  sourceId: string,
): Promise<Contact> {
  if (targetId === sourceId) {
    throw new AppError('MERGE_INVALID', {
      message: 'a contact cannot be merged into itself',
      errors: [{ field: 'sourceId', message: 'same as the target' }],
    });
  }
  return withTransaction(deps.database, async (tx) => {
    const target = await loadContactRow(tx, targetId);
    const source = await loadContactRow(tx, sourceId);
    if (target.id === source.id) {
      throw new AppError('MERGE_INVALID', { message: 'these contacts were already merged' });
    }
    await tx
      .update(contactIdentities)
      .set({ contactId: target.id, isPrimary: false })
      .where(eq(contactIdentities.contactId, source.id));
    for (const step of mergeSteps) await step(tx, source.id, target.id);
    const mergedNotes = [target.notes, source.notes].filter((n) => n.trim()).join('\n\n');
    await tx
      .update(contacts)
      .set({
        name: target.name || source.name,
        organizationId: target.organizationId ?? source.organizationId,
        notes: mergedNotes,
        attributes: { ...(source.attributes as object), ...(target.attributes as object) },
        updatedAt: deps.now(),
      })
      .where(eq(contacts.id, target.id));
    await tx
      .update(contacts)
      .set({ mergedIntoId: target.id, updatedAt: deps.now() })
      .where(eq(contacts.id, source.id));
    await tx.update(contacts).set({ mergedIntoId: target.id }).where(eq(contacts.mergedIntoId, source.id));
    await recordChange(tx, actor, {
      action: 'contact.merged',
      entityType: 'contact',
      entityId: target.id,
      data: { sourceId: source.id, sourceName: source.name },
    });
    const [contact] = await presentContacts(tx, [await loadContactRow(tx, target.id)]);
    return contact!;
  });
}

function changes(before: object, after: object): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  for (const [key, value] of Object.entries(after)) {
    if (key === 'updatedAt') continue;
    const old = (before as Record<string, unknown>)[key];
    if (JSON.stringify(old) !== JSON.stringify(value)) out[key] = { from: old, to: value };
  }
  return out;
}

// Correlated subqueries name the outer table explicitly: drizzle leaves columns of a single-table select
// unqualified, and an unqualified `id` would bind to the inner table.

// ── organisations ───────────────────────────────────────────────────────────────────────────────────────

const contactCount = sql<number>`(select count(*)::int from ${contacts} c
  where c.organization_id = "organizations"."id" and c.merged_into_id is null)`;

async function presentOrganizations(
  executor: Executor,
  rows: (OrganizationRow & { contactCount: number })[],
): Promise<Organization[]> {
  if (rows.length === 0) return [];
  const domains = await executor
    .select()
    .from(organizationDomains)
    .where(
      inArray(
        organizationDomains.organizationId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(organizationDomains.domain);
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    domains: domains.filter((d) => d.organizationId === row.id).map((d) => d.domain),
    notes: row.notes,
    attributes: row.attributes as Organization['attributes'],
    accountOwnerId: row.accountOwnerId,
    portalSharesTickets: row.portalSharesTickets,
    contactCount: Number(row.contactCount),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }));
}

async function loadOrganization(executor: Executor, id: string): Promise<Organization> {
  const [row] = await executor
    .select({ organization: organizations, contactCount })
    .from(organizations)
    .where(eq(organizations.id, id));
  if (!row) throw notFound('organization', id);
  const [organization] = await presentOrganizations(executor, [
    { ...row.organization, contactCount: row.contactCount },
  ]);
  return organization!;
}

export function getOrganization(deps: Deps, id: string): Promise<Organization> {
  return loadOrganization(deps.database.db, id);
}

export async function listOrganizations(deps: Deps, query: PageQuery): Promise<OrganizationPage> {
  const conditions = [];
  if (query.q) {
    const pattern = likePattern(query.q.trim());
    conditions.push(
      or(
        ilike(organizations.name, pattern),
        sql`exists (select 1 from ${organizationDomains} d where d.organization_id = "organizations"."id"
                      and d.domain ilike ${pattern})`,
      ),
    );
  }
  if (query.cursor) {
    const [name, id] = decodeCursor(query.cursor, 2);
    conditions.push(
      or(
        gt(organizations.name, String(name)),
        and(eq(organizations.name, String(name)), gt(organizations.id, String(id))),
      ),
    );
  }
  const rows = await deps.database.db
    .select({ organization: organizations, contactCount })
    .from(organizations)
    .where(and(...conditions))
    .orderBy(asc(organizations.name), asc(organizations.id))
    .limit(query.limit + 1);
  const page = toPage(
    rows,
    query.limit,
    (r) => ({ ...r.organization, contactCount: r.contactCount }),
    (r) => [r.organization.name, r.organization.id],
  );
  return { items: await presentOrganizations(deps.database.db, page.items), nextCursor: page.nextCursor };
}

async function assertOrganizationNameFree(
  executor: Executor,
  name: string,
  exceptId?: string,
): Promise<void> {
  const [clash] = await executor
    .select({ id: organizations.id })
    .from(organizations)
    .where(
      and(
        sql`lower(${organizations.name}) = ${name.toLowerCase()}`,
        exceptId ? sql`${organizations.id} <> ${exceptId}` : undefined,
      ),
    );
  if (clash) {
    throw new AppError('CONFLICT', {
      message: `organization ${name} exists`,
      errors: [{ field: 'name', message: 'already in use' }],
    });
  }
}

async function claimDomains(tx: Executor, organizationId: string, domains: readonly string[]): Promise<void> {
  const wanted = [...new Set(domains)];
  if (wanted.length > 0) {
    const taken = await tx
      .select()
      .from(organizationDomains)
      .where(inArray(organizationDomains.domain, wanted));
    const clash = taken.find((d) => d.organizationId !== organizationId);
    if (clash) {
      throw new AppError('CONFLICT', {
        message: `domain ${clash.domain} belongs to another organization`,
        errors: [{ field: 'domains', message: `${clash.domain} is taken` }],
      });
    }
  }
  await tx.delete(organizationDomains).where(eq(organizationDomains.organizationId, organizationId));
  if (wanted.length > 0) {
    await tx.insert(organizationDomains).values(wanted.map((domain) => ({ domain, organizationId })));
  }
}

/** Contacts without an organisation whose address has one of `domains` join the organisation. */
async function linkContactsOfDomains(
  tx: Executor,
  organizationId: string,
  domains: readonly string[],
): Promise<void> {
  if (domains.length === 0) return;
  await tx.execute(sql`
    update ${contacts} set organization_id = ${organizationId}, updated_at = now()
     where organization_id is null and merged_into_id is null
       and id in (select contact_id from ${contactIdentities}
                   where kind = 'email' and split_part(value, '@', 2) in (${sql.join(
                     domains.map((d) => sql`${d}`),
                     sql`, `,
                   )}))`);
}

export async function createOrganization(
  deps: Deps,
  actor: Actor,
  input: Omit<CreateOrganizationBody, 'portalSharesTickets'> & { portalSharesTickets?: boolean },
): Promise<Organization> {
  return withTransaction(deps.database, async (tx) => {
    await assertOrganizationNameFree(tx, input.name);
    const [row] = await tx
      .insert(organizations)
      .values({
        name: input.name,
        notes: input.notes,
        attributes: input.attributes,
        accountOwnerId: input.accountOwnerId,
        portalSharesTickets: input.portalSharesTickets ?? false,
      })
      .returning();
    if (!row) throw new Error('insert returned no row');
    await claimDomains(tx, row.id, input.domains);
    await linkContactsOfDomains(tx, row.id, input.domains);
    await recordChange(tx, actor, {
      action: 'organization.created',
      entityType: 'organization',
      entityId: row.id,
      data: { name: row.name, domains: input.domains },
    });
    return loadOrganization(tx, row.id);
  });
}

export async function updateOrganization(
  deps: Deps,
  actor: Actor,
  id: string,
  input: UpdateOrganizationBody,
): Promise<Organization> {
  return withTransaction(deps.database, async (tx) => {
    const before = await loadOrganization(tx, id);
    if (input.name !== undefined) await assertOrganizationNameFree(tx, input.name, id);
    if (input.domains !== undefined) {
      await claimDomains(tx, id, input.domains);
      await linkContactsOfDomains(tx, id, input.domains);
    }
    await tx
      .update(organizations)
      .set({
        name: input.name,
        notes: input.notes,
        attributes: input.attributes,
        accountOwnerId: input.accountOwnerId,
        portalSharesTickets: input.portalSharesTickets,
        updatedAt: deps.now(),
      })
      .where(eq(organizations.id, id));
    const after = await loadOrganization(tx, id);
    await recordChange(tx, actor, {
      action: 'organization.updated',
      entityType: 'organization',
      entityId: id,
      data: changes(before, after),
    });
    return after;
  });
}

/** Marks an address our mail bounced from; its contact page then says so. */
export async function markEmailBouncing(
  executor: Executor,
  address: string,
  reason: string,
  at: Date,
): Promise<boolean> {
  const marked = await executor
    .update(contactIdentities)
    .set({ bouncingSince: sql`coalesce(${contactIdentities.bouncingSince}, ${at})`, bounceReason: reason })
    .where(and(eq(contactIdentities.kind, 'email'), eq(contactIdentities.value, normalizeEmail(address))))
    .returning({ value: contactIdentities.value });
  return marked.length > 0;
}
