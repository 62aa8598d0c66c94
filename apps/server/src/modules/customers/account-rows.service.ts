/**
 * The database side of customer 360 writes: the references of rows resolved in a few queries (accounts by
 * external id; for accounts, owners, contacts and organisations), and each kind's upsert statement.
 */
import { type SQL, sql } from 'drizzle-orm';
import { type Executor, rowsOf, type Tx, uuidArray } from '../../platform/db';
import type { AnyRow, ImportKind, RowError, RowOf } from './accounts.domain';
import { normalizeEmail } from './customers.domain';

/** A checked row and where it came from: its CSV line or its index in a bulk call. */
export type Entry = { ref: number; row: AnyRow };
export type Counts = { created: number; updated: number };
/** A row resolved for the database: its ref and the record the batch statement reads. */
type Resolved = { ref: number; record: Record<string, unknown> };

/** The rows whose references resolve, ready to write, and a problem for each that does not. */
export function resolveRows(
  db: Executor,
  kind: ImportKind,
  entries: readonly Entry[],
  fieldOf: (key: string) => string,
): Promise<{ resolved: Resolved[]; errors: RowError[] }> {
  return kind === 'accounts'
    ? resolveAccounts(db, entries, fieldOf)
    : resolveAccountRefs(db, kind, entries, fieldOf);
}

const json = (value: unknown) => sql`${JSON.stringify(value)}::jsonb`;
const textList = (values: Iterable<string>) =>
  sql`(select jsonb_array_elements_text(${JSON.stringify([...new Set(values)])}::jsonb))`;

/** Owners, contacts and organisations of an accounts file, looked up in three queries. */
async function resolveAccounts(
  db: Executor,
  entries: readonly Entry[],
  fieldOf: (key: string) => string,
): Promise<{ resolved: Resolved[]; errors: RowError[] }> {
  const rows = entries.map((e) => ({ ref: e.ref, row: e.row as RowOf['accounts'] }));
  const owners = new Map<string, string>();
  const ownerEmails = rows.flatMap((r) => (r.row.owner ? [normalizeEmail(r.row.owner)] : []));
  if (ownerEmails.length > 0) {
    const found = rowsOf(
      await db.execute(
        sql`select id, lower(email) as email from users where lower(email) in ${textList(ownerEmails)}`,
      ),
    );
    for (const user of found) owners.set(String(user.email), String(user.id));
  }
  const contactsByEmail = new Map<string, { contactId: string; organizationId: string | null }>();
  const emails = rows.flatMap((r) => (r.row.email ? [r.row.email] : []));
  if (emails.length > 0) {
    const found = rowsOf(
      await db.execute(sql`
        select ci.value, c.id, c.organization_id from contact_identities ci join contacts c on c.id = ci.contact_id
         where ci.kind = 'email' and c.merged_into_id is null and ci.value in ${textList(emails)}`),
    );
    for (const contact of found) {
      contactsByEmail.set(String(contact.value), {
        contactId: String(contact.id),
        organizationId: (contact.organization_id as string | null) ?? null,
      });
    }
  }
  const organizations = new Map<string, string>();
  const names = rows.flatMap((r) => (r.row.organization ? [r.row.organization.toLowerCase()] : []));
  if (names.length > 0) {
    const found = rowsOf(
      await db.execute(
        sql`select id, lower(name) as name from organizations where lower(name) in ${textList(names)}`,
      ),
    );
    for (const organization of found) organizations.set(String(organization.name), String(organization.id));
  }
  const resolved: Resolved[] = [];
  const errors: RowError[] = [];
  for (const { ref, row } of rows) {
    const ownerId = row.owner ? owners.get(normalizeEmail(row.owner)) : undefined;
    if (row.owner && !ownerId) {
      errors.push({
        ref,
        field: fieldOf('owner'),
        message: `no Keepdesk user has the e-mail ${row.owner}`,
      });
      continue;
    }
    const contact = row.email ? contactsByEmail.get(row.email) : undefined;
    const namedOrganization = row.organization
      ? organizations.get(row.organization.toLowerCase())
      : undefined;
    const attributes: Record<string, unknown> = { ...row.attributes };
    // An organisation the helpdesk does not know is kept as an attribute rather than lost.
    if (row.organization && !namedOrganization) attributes.organization = row.organization;
    resolved.push({
      ref,
      record: {
        external_id: row.externalId,
        name: row.name ?? '',
        email: row.email ?? '',
        contact_id: contact?.contactId ?? null,
        organization_id: contact?.organizationId ?? namedOrganization ?? null,
        owner_id: ownerId ?? null,
        attributes,
        acquired_on: row.acquiredOn ?? null,
      },
    });
  }
  return { resolved, errors };
}

/** The account ids behind the external ids of a subscriptions, orders or usage file; unknown ones are errors. */
async function resolveAccountRefs(
  db: Executor,
  kind: Exclude<ImportKind, 'accounts'>,
  entries: readonly Entry[],
  fieldOf: (key: string) => string,
): Promise<{ resolved: Resolved[]; errors: RowError[] }> {
  const refs = entries.map((e) => (e.row as { account: string }).account);
  const accounts = new Map<string, string>();
  if (refs.length > 0) {
    const found = rowsOf(
      await db.execute(
        sql`select id, external_id from customer_accounts where external_id in ${textList(refs)}`,
      ),
    );
    for (const account of found) accounts.set(String(account.external_id), String(account.id));
  }
  const resolved: Resolved[] = [];
  const errors: RowError[] = [];
  for (const { ref, row } of entries) {
    const account = (row as { account: string }).account;
    const accountId = accounts.get(account);
    if (!accountId) {
      errors.push({
        ref,
        field: fieldOf('account'),
        message: `no account has the external id "${account}"`,
      });
      continue;
    }
    resolved.push({ ref, record: recordOf(kind, row, accountId) });
  }
  return { resolved, errors };
}

function recordOf(
  kind: Exclude<ImportKind, 'accounts'>,
  row: AnyRow,
  accountId: string,
): Record<string, unknown> {
  if (kind === 'subscriptions') {
    const s = row as RowOf['subscriptions'];
    return {
      external_id: s.externalId,
      account_id: accountId,
      plan: s.plan,
      mrr: s.mrr,
      currency: s.currency ?? 'EUR',
      started_on: s.startedOn,
      ended_on: s.endedOn ?? null,
      cancel_reason: s.cancelReason ?? null,
    };
  }
  if (kind === 'orders') {
    const o = row as RowOf['orders'];
    return {
      external_id: o.externalId,
      account_id: accountId,
      ordered_at: o.orderedAt,
      amount: o.amount,
      currency: o.currency ?? 'EUR',
      products: o.products ?? [],
    };
  }
  const u = row as RowOf['usage'];
  return { account_id: accountId, name: u.name, occurred_at: u.occurredAt, count: u.count ?? 1 };
}

/** How many of the rows exist already (a dry run's would-update). */
export async function countExisting(
  db: Executor,
  kind: ImportKind,
  rows: readonly Resolved[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const records = rows.map((r) => r.record);
  const query =
    kind === 'usage'
      ? sql`select count(*)::int as n from usage_events u
              join jsonb_to_recordset(${json(records)}) as x(account_id uuid, name text, occurred_at timestamptz)
                on u.account_id = x.account_id and u.name = x.name and u.occurred_at = x.occurred_at`
      : sql`select count(*)::int as n from ${sql.identifier(TABLE_OF[kind])}
             where external_id in ${textList(records.map((r) => String(r.external_id)))}`;
  const [row] = rowsOf(await db.execute(query));
  return Number(row?.n ?? 0);
}

const TABLE_OF: Record<ImportKind, string> = {
  accounts: 'customer_accounts',
  subscriptions: 'subscriptions',
  orders: 'orders',
  usage: 'usage_events',
};

/** One batch in one statement; `xmax = 0` tells a row this statement inserted from one it updated. */
export async function writeBatch(tx: Tx, kind: ImportKind, batch: readonly Resolved[]): Promise<Counts> {
  const input = json(batch.map((b) => b.record));
  const result = rowsOf(await tx.execute(UPSERT[kind](input)));
  const created = result.filter((r) => r.created === true).length;
  if (kind === 'subscriptions' || kind === 'orders') {
    await deriveAcquiredOn(tx, [...new Set(result.map((r) => String(r.account_id)))]);
  }
  return { created, updated: result.length - created };
}

const UPSERT: Record<ImportKind, (input: SQL) => SQL> = {
  // A blank name, e-mail, owner or acquisition day keeps what is stored; attributes are merged.
  accounts: (input) => sql`
    insert into customer_accounts as a (external_id, name, email, contact_id, organization_id, owner_id,
                                        attributes, acquired_on, acquired_on_given)
    select x.external_id, x.name, x.email, x.contact_id, x.organization_id, x.owner_id, x.attributes,
           x.acquired_on, x.acquired_on is not null
      from jsonb_to_recordset(${input}) as x(external_id text, name text, email text, contact_id uuid,
           organization_id uuid, owner_id uuid, attributes jsonb, acquired_on date)
    on conflict (external_id) do update set
      name = case when excluded.name = '' then a.name else excluded.name end,
      email = case when excluded.email = '' then a.email else excluded.email end,
      contact_id = case when excluded.email = '' then a.contact_id else excluded.contact_id end,
      organization_id = coalesce(excluded.organization_id, a.organization_id),
      owner_id = coalesce(excluded.owner_id, a.owner_id),
      attributes = a.attributes || excluded.attributes,
      acquired_on = case when excluded.acquired_on_given then excluded.acquired_on else a.acquired_on end,
      acquired_on_given = a.acquired_on_given or excluded.acquired_on_given,
      updated_at = now()
    returning (xmax = 0) as created`,
  subscriptions: (input) => sql`
    insert into subscriptions as s (external_id, account_id, plan, mrr, currency, started_on, ended_on, cancel_reason)
    select x.external_id, x.account_id, x.plan, x.mrr, x.currency, x.started_on, x.ended_on, x.cancel_reason
      from jsonb_to_recordset(${input}) as x(external_id text, account_id uuid, plan text, mrr numeric,
           currency text, started_on date, ended_on date, cancel_reason text)
    on conflict (external_id) do update set
      account_id = excluded.account_id, plan = excluded.plan, mrr = excluded.mrr, currency = excluded.currency,
      started_on = excluded.started_on, ended_on = excluded.ended_on, cancel_reason = excluded.cancel_reason,
      updated_at = now()
    returning (xmax = 0) as created, account_id`,
  orders: (input) => sql`
    insert into orders as o (external_id, account_id, ordered_at, amount, currency, products)
    select x.external_id, x.account_id, x.ordered_at, x.amount, x.currency, x.products
      from jsonb_to_recordset(${input}) as x(external_id text, account_id uuid, ordered_at timestamptz,
           amount numeric, currency text, products text[])
    on conflict (external_id) do update set
      account_id = excluded.account_id, ordered_at = excluded.ordered_at, amount = excluded.amount,
      currency = excluded.currency, products = excluded.products, updated_at = now()
    returning (xmax = 0) as created, account_id`,
  // The same account, event and moment again replaces the count.
  usage: (input) => sql`
    insert into usage_events as u (account_id, name, occurred_at, count)
    select x.account_id, x.name, x.occurred_at, x.count
      from jsonb_to_recordset(${input}) as x(account_id uuid, name text, occurred_at timestamptz, count integer)
    on conflict (account_id, name, occurred_at) do update set count = excluded.count
    returning (xmax = 0) as created`,
};

/** Accounts without a given acquisition day take their earliest subscription start or order day (UTC). */
async function deriveAcquiredOn(tx: Tx, accountIds: readonly string[]): Promise<void> {
  if (accountIds.length === 0) return;
  await tx.execute(sql`
    update customer_accounts a set acquired_on = f.first_day, updated_at = now()
      from (select c.id, least(
                     (select min(s.started_on) from subscriptions s where s.account_id = c.id),
                     (select min((o.ordered_at at time zone 'UTC')::date) from orders o where o.account_id = c.id)
                   ) as first_day
              from customer_accounts c where c.id = any(${uuidArray(accountIds)})) f
     where a.id = f.id and not a.acquired_on_given and a.acquired_on is distinct from f.first_day`);
}
