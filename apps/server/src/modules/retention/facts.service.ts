import { sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db';
import { rowsOf } from '../../platform/db';
import type { AccountFacts } from './churn.domain';
import { supportSignals } from './signals.service';

const DAY_MS = 86_400_000;

/** The UTC calendar day of a moment, as `YYYY-MM-DD`. */
export function dayOf(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/**
 * The accounts that are customers at a moment: with a subscription started by then, those paying for one on that
 * day; without, those who ordered in the `inactiveDays` before it.
 */
export async function activeAccounts(db: Executor, at: Date, inactiveDays: number): Promise<Set<string>> {
  const day = dayOf(at);
  const since = new Date(at.getTime() - inactiveDays * DAY_MS);
  const rows = rowsOf(
    await db.execute(sql`
      select a.id from customer_accounts a
       where case when exists (select 1 from subscriptions s where s.account_id = a.id and s.started_on <= ${day}::date)
             then exists (select 1 from subscriptions s where s.account_id = a.id and s.mrr > 0
                            and s.started_on <= ${day}::date and (s.ended_on is null or s.ended_on > ${day}::date))
             else exists (select 1 from orders o where o.account_id = a.id
                            and o.ordered_at > ${since} and o.ordered_at <= ${at})
             end`),
  );
  return new Set(rows.map((row) => String(row.id)));
}

/** What is known about each of the accounts at a moment: the features of the churn model (`churn.domain.ts`). */
export async function accountFacts(
  db: Executor,
  accountIds: readonly string[],
  at: Date,
): Promise<AccountFacts[]> {
  if (accountIds.length === 0) return [];
  const day = dayOf(at);
  const ids = sql`${`{${accountIds.join(',')}}`}::uuid[]`;
  const rows = rowsOf(
    await db.execute(sql`
      with chosen as (select * from customer_accounts where id = any(${ids})),
      subs as (
        select s.account_id,
               coalesce(sum(s.mrr) filter (where s.ended_on is null or s.ended_on > ${day}::date), 0)::float8 as mrr,
               coalesce(sum(s.mrr) filter (where s.started_on <= ${day}::date - 90
                 and (s.ended_on is null or s.ended_on > ${day}::date - 90)), 0)::float8 as mrr_before,
               (array_agg(s.plan order by s.mrr desc) filter (where s.ended_on is null or s.ended_on > ${day}::date))[1]
                 as plan,
               min(s.started_on) as first_start
          from subscriptions s join chosen c on c.id = s.account_id
         where s.started_on <= ${day}::date
         group by s.account_id),
      ords as (
        select o.account_id,
               count(*) filter (where o.ordered_at > ${at}::timestamptz - interval '90 days')::int as orders_90d,
               coalesce(sum(o.amount) filter (where o.ordered_at > ${at}::timestamptz - interval '90 days'), 0)::float8
                 as revenue_90d,
               count(*) filter (where o.ordered_at > ${at}::timestamptz - interval '365 days')::int as orders_365d,
               max(o.ordered_at) as last_order,
               min(o.ordered_at) as first_order
          from orders o join chosen c on c.id = o.account_id
         where o.ordered_at <= ${at}
         group by o.account_id)
      select c.id, c.attributes, c.contact_id, c.organization_id,
             coalesce(c.acquired_on, least(subs.first_start, ords.first_order::date)) as acquired_on,
             coalesce(subs.mrr, 0) as mrr, coalesce(subs.mrr_before, 0) as mrr_before, subs.plan,
             coalesce(ords.orders_90d, 0) as orders_90d, coalesce(ords.revenue_90d, 0) as revenue_90d,
             coalesce(ords.orders_365d, 0) as orders_365d, ords.last_order
        from chosen c left join subs on subs.account_id = c.id left join ords on ords.account_id = c.id`),
  );
  const usage = rowsOf(
    await db.execute(sql`
      select u.account_id, u.name,
             sum(u.count) filter (where u.occurred_at > ${at}::timestamptz - interval '30 days')::int as recent,
             sum(u.count) filter (where u.occurred_at <= ${at}::timestamptz - interval '30 days')::int as previous
        from usage_events u
       where u.account_id = any(${ids})
         and u.occurred_at > ${at}::timestamptz - interval '60 days' and u.occurred_at <= ${at}
       group by u.account_id, u.name`),
  );
  const recentUsage = new Map<string, Record<string, number>>();
  const previousUsage = new Map<string, number>();
  for (const row of usage) {
    const id = String(row.account_id);
    const recent = Number(row.recent ?? 0);
    if (recent > 0) {
      const byName = recentUsage.get(id) ?? {};
      recentUsage.set(id, byName);
      byName[String(row.name)] = recent;
    }
    previousUsage.set(id, (previousUsage.get(id) ?? 0) + Number(row.previous ?? 0));
  }
  const signals = await supportSignals(
    db,
    rows.map((row) => ({
      key: String(row.id),
      contactId: (row.contact_id as string | null) ?? null,
      organizationId: (row.organization_id as string | null) ?? null,
    })),
    { asOf: at, days: 90 },
  );
  const daysSince = (value: unknown) =>
    value === null || value === undefined
      ? null
      : Math.floor((at.getTime() - new Date(String(value)).getTime()) / DAY_MS);
  return rows.map((row): AccountFacts => {
    const id = String(row.id);
    const support = signals.get(id)!;
    const acquired = row.acquired_on ? String(row.acquired_on).slice(0, 10) : null;
    return {
      id,
      tenureDays: acquired ? Math.floor((Date.parse(day) - Date.parse(acquired)) / DAY_MS) : null,
      mrr: Number(row.mrr),
      plan: (row.plan as string | null) ?? null,
      mrrChange90d: Number(row.mrr) - Number(row.mrr_before),
      orders90d: Number(row.orders_90d),
      revenue90d: Number(row.revenue_90d),
      orders365d: Number(row.orders_365d),
      daysSinceOrder: daysSince(row.last_order),
      usage30d: recentUsage.get(id) ?? {},
      usagePrevious30d: previousUsage.get(id) ?? 0,
      openTickets: support.openTickets,
      tickets90d: support.tickets,
      complaints90d: support.complaints,
      reopened90d: support.reopened,
      slaBreaches90d: support.slaBreaches,
      csat90d: support.csat,
      nps: support.nps,
      daysSinceContact: support.lastContactAt ? daysSince(support.lastContactAt) : null,
      attributes: (row.attributes as Record<string, unknown>) ?? {},
    };
  });
}
