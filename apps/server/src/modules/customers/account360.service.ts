/** Reading customer accounts: the list, and one account's 360 (subscriptions, MRR, orders, recent usage). */
import type {
  CustomerAccount,
  CustomerAccount360,
  CustomerAccountPage,
  CustomerAccountQuery,
} from '@keepdesk/contract';
import { type SQL, sql } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import { dateOf, rowsOf } from '../../platform/db';
import { notFound } from '../../platform/errors';
import { decodeCursor, likePattern, toPage } from '../../platform/pagination';

const ACCOUNT_COLUMNS = sql`a.id, a.external_id, a.name, a.email, a.acquired_on::text as acquired_on, a.attributes,
  a.created_at, a.updated_at, c.id as contact_id, c.name as contact_name, g.id as organization_id,
  g.name as organization_name, u.id as owner_id, u.name as owner_name, u.email as owner_email`;
const ACCOUNT_JOINS = sql`from customer_accounts a
  left join contacts c on c.id = a.contact_id
  left join organizations g on g.id = a.organization_id
  left join users u on u.id = a.owner_id`;

function presentAccount(row: Record<string, unknown>): CustomerAccount {
  return {
    id: String(row.id),
    externalId: String(row.external_id),
    name: String(row.name),
    email: String(row.email),
    acquiredOn: (row.acquired_on as string | null) ?? null,
    attributes: row.attributes as CustomerAccount['attributes'],
    contact: row.contact_id ? { id: String(row.contact_id), name: String(row.contact_name) } : null,
    organization: row.organization_id
      ? { id: String(row.organization_id), name: String(row.organization_name) }
      : null,
    owner: row.owner_id
      ? { id: String(row.owner_id), name: String(row.owner_name), email: String(row.owner_email) }
      : null,
    createdAt: dateOf(row.created_at).toISOString(),
    updatedAt: dateOf(row.updated_at).toISOString(),
  };
}

/** Accounts by name, searched by part of the name, e-mail or external id. */
export async function listAccounts(deps: Deps, query: CustomerAccountQuery): Promise<CustomerAccountPage> {
  const conditions: SQL[] = [sql`true`];
  if (query.q?.trim()) {
    const pattern = likePattern(query.q.trim());
    conditions.push(
      sql`(a.name ilike ${pattern} or a.email ilike ${pattern} or a.external_id ilike ${pattern})`,
    );
  }
  if (query.cursor) {
    const [name, id] = decodeCursor(query.cursor, 2);
    conditions.push(sql`(a.name, a.id) > (${String(name)}, ${String(id)}::uuid)`);
  }
  const rows = rowsOf(
    await deps.database.db.execute(sql`
      select ${ACCOUNT_COLUMNS} ${ACCOUNT_JOINS}
       where ${sql.join(conditions, sql` and `)}
       order by a.name, a.id limit ${query.limit + 1}`),
  );
  return toPage(rows, query.limit, presentAccount, (r) => [String(r.name), String(r.id)]);
}

/** An account with its subscriptions, current MRR, orders and the last 30 days of product usage. */
export async function getAccount360(deps: Deps, id: string): Promise<CustomerAccount360> {
  const db = deps.database.db;
  const [row] = rowsOf(
    await db.execute(sql`select ${ACCOUNT_COLUMNS} ${ACCOUNT_JOINS} where a.id = ${id}::uuid`),
  );
  if (!row) throw notFound('customer account', id);
  const now = deps.now();
  const today = now.toISOString().slice(0, 10);
  const subscriptionRows = rowsOf(
    await db.execute(sql`
      select id, external_id, plan, mrr, currency, started_on::text as started_on, ended_on::text as ended_on,
             cancel_reason, started_on <= ${today}::date and (ended_on is null or ended_on > ${today}::date) as active
        from subscriptions where account_id = ${id}::uuid order by started_on desc, external_id`),
  );
  const subscriptionList = subscriptionRows.map((s) => ({
    id: String(s.id),
    externalId: String(s.external_id),
    plan: String(s.plan),
    mrr: Number(s.mrr),
    currency: String(s.currency),
    startedOn: String(s.started_on),
    endedOn: (s.ended_on as string | null) ?? null,
    cancelReason: (s.cancel_reason as string | null) ?? null,
    isActive: s.active === true,
  }));
  const currentMrr = new Map<string, number>();
  for (const s of subscriptionList.filter((s) => s.isActive)) {
    currentMrr.set(s.currency, (currentMrr.get(s.currency) ?? 0) + Math.round(s.mrr * 100));
  }
  const orderTotals = rowsOf(
    await db.execute(sql`
      select currency, count(*)::int as n, sum(amount) as total, max(ordered_at) as last
        from orders where account_id = ${id}::uuid group by currency order by sum(amount) desc`),
  );
  const lastOrder = orderTotals.map((o) => dateOf(o.last).getTime()).reduce((a, b) => Math.max(a, b), 0);
  const usage = rowsOf(
    await db.execute(sql`
      select name, sum(count)::int as count, count(*)::int as events, max(occurred_at) as last_at
        from usage_events
       where account_id = ${id}::uuid and occurred_at > ${new Date(now.getTime() - 30 * 86_400_000).toISOString()}::timestamptz
         and occurred_at <= ${now.toISOString()}::timestamptz
       group by name order by sum(count) desc, name`),
  );
  return {
    ...presentAccount(row),
    subscriptions: subscriptionList,
    currentMrr: [...currentMrr]
      .map(([currency, cents]) => ({ currency, amount: cents / 100 }))
      .sort((a, b) => b.amount - a.amount),
    orders: {
      count: orderTotals.reduce((sum, o) => sum + Number(o.n), 0),
      totals: orderTotals.map((o) => ({ currency: String(o.currency), amount: Number(o.total) })),
      lastOrderedAt: lastOrder > 0 ? new Date(lastOrder).toISOString() : null,
    },
    usageLast30Days: usage.map((u) => ({
      name: String(u.name),
      count: Number(u.count),
      events: Number(u.events),
      lastAt: dateOf(u.last_at).toISOString(),
    })),
  };
}
