import type {
  CreateFeedbackItemBody,
  FeedbackItem,
  FeedbackItemDetail,
  FeedbackItemList,
  FeedbackItemQuery,
  FeedbackLinkBody,
  UpdateFeedbackItemBody,
} from '@keepdesk/contract';
import { eq, type SQL, sql } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import {
  dateOf,
  type Executor,
  isUniqueViolation,
  rowsOf,
  uuidArray,
  withTransaction,
} from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { type Actor, recordChange } from '../../platform/events';
import { escapeHtml } from '../../platform/html';
import { likePattern } from '../../platform/pagination';
import { users } from '../auth';
import { contacts, organizations } from '../customers';
import { sendAutomaticMail } from '../email';
import { tickets } from '../tickets';
import { feedbackItems, feedbackLinks, surveyResponses } from './feedback.tables';
import { settingsWith } from './surveys.service';

const at = (value: unknown) => dateOf(value).toISOString();

/**
 * Items with their weight: distinct customers and organisations who asked, and the revenue of those
 * customers (the revenue attribute of each one's organisation, or of the contact without one, counted once).
 */
async function loadItems(deps: Deps, where: SQL, order: SQL): Promise<FeedbackItem[]> {
  const db = deps.database.db;
  const { revenueAttribute } = await settingsWith(db);
  const rows = rowsOf(
    await db.execute(sql`
      with weight as (
        select l.item_id, count(*)::int as links, count(distinct l.contact_id)::int as customers,
               count(distinct l.organization_id)::int as organizations, max(l.created_at) as last_linked_at
          from ${feedbackLinks} l group by l.item_id
      ), payers as (
        select distinct l.item_id, coalesce('o:' || o.id::text, 'c:' || c.id::text) as payer,
               coalesce(case when jsonb_typeof(o.attributes -> ${revenueAttribute}) = 'number'
                             then (o.attributes ->> ${revenueAttribute})::numeric end,
                        case when o.id is null and jsonb_typeof(c.attributes -> ${revenueAttribute}) = 'number'
                             then (c.attributes ->> ${revenueAttribute})::numeric end, 0) as revenue
          from ${feedbackLinks} l
          left join ${contacts} c on c.id = l.contact_id
          left join ${organizations} o on o.id = coalesce(l.organization_id, c.organization_id)
         where l.contact_id is not null
      ), revenue as (select item_id, sum(revenue)::float8 as revenue from payers group by item_id)
      select i.*, coalesce(w.links, 0) as links, coalesce(w.customers, 0) as customers,
             coalesce(w.organizations, 0) as organizations, coalesce(r.revenue, 0) as revenue, w.last_linked_at,
             (select coalesce(jsonb_agg(jsonb_build_object('id', u.id, 'name', u.name) order by u.name), '[]'::jsonb)
                from ${users} u where u.id = any(i.collaborator_ids)) as collaborators
        from ${feedbackItems} i
        left join weight w on w.item_id = i.id
        left join revenue r on r.item_id = i.id
       where ${where}
       order by ${order}
       limit 500`),
  );
  return rows.map((row) => ({
    id: String(row.id),
    title: String(row.title),
    category: row.category as FeedbackItem['category'],
    description: String(row.description),
    status: row.status as FeedbackItem['status'],
    trackerUrl: (row.tracker_url as string | null) ?? null,
    trackerStatus: (row.tracker_status as string | null) ?? null,
    collaborators: row.collaborators as FeedbackItem['collaborators'],
    customers: Number(row.customers),
    organizations: Number(row.organizations),
    revenue: Number(row.revenue),
    links: Number(row.links),
    lastLinkedAt: row.last_linked_at ? at(row.last_linked_at) : null,
    createdAt: at(row.created_at),
  }));
}

const ORDER = {
  customers: sql`customers desc, revenue desc, i.created_at desc`,
  revenue: sql`revenue desc, customers desc, i.created_at desc`,
  recent: sql`coalesce(w.last_linked_at, i.created_at) desc`,
};

/** Feedback items, by default the most asked for first; filtered by status, category, words, or who shares them. */
export async function listFeedbackItems(
  deps: Deps,
  userId: string,
  query: FeedbackItemQuery,
): Promise<FeedbackItemList> {
  const conditions: SQL[] = [sql`true`];
  if (query.status) conditions.push(sql`i.status = ${query.status}`);
  if (query.category) conditions.push(sql`i.category = ${query.category}`);
  if (query.q)
    conditions.push(
      sql`(i.title ilike ${likePattern(query.q)} or i.description ilike ${likePattern(query.q)})`,
    );
  if (query.shared === 'me') conditions.push(sql`${userId}::uuid = any(i.collaborator_ids)`);
  if (query.ticketId) {
    conditions.push(
      sql`exists (select 1 from ${feedbackLinks} x where x.item_id = i.id and x.ticket_id = ${query.ticketId})`,
    );
  }
  return { items: await loadItems(deps, sql.join(conditions, sql` and `), ORDER[query.sort]) };
}

export async function getFeedbackItem(deps: Deps, id: string): Promise<FeedbackItemDetail> {
  const [item] = await loadItems(deps, sql`i.id = ${id}`, ORDER.recent);
  if (!item) throw notFound('feedback item', id);
  const links = rowsOf(
    await deps.database.db.execute(sql`
      select l.*, c.name as contact_name, o.name as organization_name, u.name as user_name
        from ${feedbackLinks} l
        left join ${contacts} c on c.id = l.contact_id
        left join ${organizations} o on o.id = l.organization_id
        left join ${users} u on u.id = l.created_by
       where l.item_id = ${id} order by l.created_at desc limit 100`),
  );
  return {
    ...item,
    recentLinks: links.map((l) => ({
      id: String(l.id),
      source: l.source as 'ticket' | 'survey_response',
      sourceId: String(l.source_id),
      ticketId: l.ticket_id ? String(l.ticket_id) : null,
      contact: l.contact_id ? { id: String(l.contact_id), name: String(l.contact_name ?? '') } : null,
      organization: l.organization_id
        ? { id: String(l.organization_id), name: String(l.organization_name ?? '') }
        : null,
      note: String(l.note),
      by: l.created_by ? { id: String(l.created_by), name: String(l.user_name ?? '') } : null,
      createdAt: at(l.created_at),
    })),
  };
}

export async function createFeedbackItem(
  deps: Deps,
  actor: Actor,
  body: CreateFeedbackItemBody,
): Promise<FeedbackItemDetail> {
  const id = await withTransaction(deps.database, async (tx) => {
    const [row] = await tx.insert(feedbackItems).values(body).returning({ id: feedbackItems.id });
    await recordChange(tx, actor, {
      action: 'feedback_item.created',
      entityType: 'feedback_item',
      entityId: row!.id,
      data: { ...body },
    });
    return row!.id;
  });
  return getFeedbackItem(deps, id);
}

async function assertUsers(executor: Executor, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const found = rowsOf(
    await executor.execute(sql`select id from ${users} where id = any(${uuidArray(ids)})`),
  );
  if (found.length !== new Set(ids).size) {
    throw new AppError('VALIDATION_FAILED', {
      message: 'unknown collaborator',
      errors: [{ field: 'collaboratorIds', message: 'every collaborator must be a user' }],
    });
  }
}

/** Status, tracker link and its status, collaborators (product, sales, marketing) and the texts of an item. */
export async function updateFeedbackItem(
  deps: Deps,
  actor: Actor,
  id: string,
  body: UpdateFeedbackItemBody,
): Promise<FeedbackItemDetail> {
  await withTransaction(deps.database, async (tx) => {
    if (body.collaboratorIds) await assertUsers(tx, body.collaboratorIds);
    const updated = await tx
      .update(feedbackItems)
      .set({ ...body, updatedAt: deps.now() })
      .where(eq(feedbackItems.id, id))
      .returning({ id: feedbackItems.id });
    if (updated.length === 0) throw notFound('feedback item', id);
    await recordChange(tx, actor, {
      action: 'feedback_item.updated',
      entityType: 'feedback_item',
      entityId: id,
      data: { ...body },
    });
  });
  return getFeedbackItem(deps, id);
}

/** Tags a ticket or a survey answer as feedback for an item; the customer and organisation come with it. */
export async function linkFeedback(
  deps: Deps,
  actor: Actor,
  itemId: string,
  body: FeedbackLinkBody,
): Promise<FeedbackItemDetail> {
  const db = deps.database.db;
  const [origin] =
    body.source === 'ticket'
      ? await db
          .select({
            ticketId: tickets.id,
            contactId: tickets.requesterId,
            organizationId: tickets.organizationId,
          })
          .from(tickets)
          .where(eq(tickets.id, body.sourceId))
      : await db
          .select({
            ticketId: surveyResponses.ticketId,
            contactId: surveyResponses.contactId,
            organizationId: surveyResponses.organizationId,
          })
          .from(surveyResponses)
          .where(eq(surveyResponses.id, body.sourceId));
  if (!origin) throw notFound(body.source === 'ticket' ? 'ticket' : 'survey answer', body.sourceId);
  try {
    await withTransaction(deps.database, async (tx) => {
      const [item] = await tx
        .select({ id: feedbackItems.id })
        .from(feedbackItems)
        .where(eq(feedbackItems.id, itemId));
      if (!item) throw notFound('feedback item', itemId);
      await tx.insert(feedbackLinks).values({ itemId, ...body, ...origin, createdBy: actor.userId });
      await recordChange(tx, actor, {
        action: 'feedback_item.linked',
        entityType: 'feedback_item',
        entityId: itemId,
        data: { source: body.source, sourceId: body.sourceId },
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('CONFLICT', { message: 'already linked to this item' });
    throw error;
  }
  return getFeedbackItem(deps, itemId);
}

export async function unlinkFeedback(
  deps: Deps,
  actor: Actor,
  itemId: string,
  linkId: string,
): Promise<void> {
  await withTransaction(deps.database, async (tx) => {
    const removed = await tx
      .delete(feedbackLinks)
      .where(sql`${feedbackLinks.id} = ${linkId} and ${feedbackLinks.itemId} = ${itemId}`)
      .returning({ id: feedbackLinks.id });
    if (removed.length === 0) throw notFound('feedback link', linkId);
    await recordChange(tx, actor, {
      action: 'feedback_item.unlinked',
      entityType: 'feedback_item',
      entityId: itemId,
      data: { linkId },
    });
  });
}

/** The ISO week number of a day (weeks start Monday; week 1 holds the year's first Thursday). */
export function isoWeek(day: Date): number {
  const date = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate()));
  const weekday = date.getUTCDay() || 7;
  date.setUTCDate(date.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(date.getUTCFullYear(), 0, 1);
  return Math.ceil(((date.getTime() - yearStart) / 86_400_000 + 1) / 7);
}

/**
 * The weekly digest "Feedback-Auswertung, wöchentlich": the items customers asked for in the last seven days,
 * most asked first, with customers, revenue, status and tracker link, to the configured recipients and each
 * item's collaborators. Returns the addresses it reached; one that refuses it is logged and skipped, never retried
 * (a retry would send the others a second copy).
 */
export async function sendFeedbackDigest(deps: Deps): Promise<string[]> {
  const db = deps.database.db;
  const now = deps.now();
  const since = new Date(now.getTime() - 7 * 86_400_000);
  const settings = await settingsWith(db);
  const active = await loadItems(
    deps,
    sql`exists (select 1 from ${feedbackLinks} x where x.item_id = i.id and x.created_at >= ${since.toISOString()}::timestamptz)`,
    ORDER.customers,
  );
  const fresh = rowsOf(
    await db.execute(sql`
      select item_id, count(*)::int as n from ${feedbackLinks}
       where created_at >= ${since.toISOString()}::timestamptz group by item_id`),
  );
  const newLinks = new Map(fresh.map((r) => [String(r.item_id), Number(r.n)]));
  const collaboratorMails = rowsOf(
    await db.execute(sql`
      select distinct u.email from ${feedbackItems} i join ${users} u on u.id = any(i.collaborator_ids)
       where u.is_active and i.id = any(${uuidArray(active.map((a) => a.id))})`),
  ).map((r) => String(r.email));
  const recipients = [...new Set([...settings.digestRecipients, ...collaboratorMails])];
  if (recipients.length === 0) return [];
  const week = isoWeek(now);
  const subject = `Feedback-Auswertung, wöchentlich – KW ${week} / Weekly feedback digest – week ${week}`;
  const money = (value: number) => new Intl.NumberFormat('de-DE', { maximumFractionDigits: 0 }).format(value);
  const lines = active.map(
    (item, i) =>
      `${i + 1}. ${item.title} [${item.category}, ${item.status}] – ${newLinks.get(item.id) ?? 0} neu/new, ` +
      `${item.customers} Kunden/customers, Umsatz/revenue ${money(item.revenue)}` +
      (item.trackerUrl ? ` – ${item.trackerUrl}${item.trackerStatus ? ` (${item.trackerStatus})` : ''}` : ''),
  );
  const text = [
    `Feedback-Auswertung der letzten sieben Tage / Feedback of the last seven days (${since.toISOString().slice(0, 10)} – ${now.toISOString().slice(0, 10)})`,
    '',
    ...(lines.length > 0 ? lines : ['Keine neuen Rückmeldungen. / No new feedback.']),
  ].join('\n');
  const rows = active
    .map(
      (item) =>
        `<tr><td>${escapeHtml(item.title)}</td><td>${escapeHtml(item.category)}</td><td>${escapeHtml(item.status)}</td>` +
        `<td style="text-align:right">${newLinks.get(item.id) ?? 0}</td><td style="text-align:right">${item.customers}</td>` +
        `<td style="text-align:right">${money(item.revenue)}</td><td>${
          item.trackerUrl
            ? `<a href="${escapeHtml(item.trackerUrl)}">${escapeHtml(item.trackerStatus ?? 'Tracker')}</a>`
            : ''
        }</td></tr>`,
    )
    .join('');
  const html =
    `<p>${escapeHtml(text.split('\n')[0]!)}</p>` +
    (active.length === 0
      ? '<p>Keine neuen Rückmeldungen. / No new feedback.</p>'
      : `<table cellpadding="4" style="border-collapse:collapse"><tr><th align="left">Thema / Item</th><th align="left">Art / Kind</th><th align="left">Status</th><th>Neu / New</th><th>Kunden / Customers</th><th>Umsatz / Revenue</th><th>Tracker</th></tr>${rows}</table>`);
  const sent: string[] = [];
  for (const to of recipients) {
    try {
      await sendAutomaticMail(deps, { ticketId: null, teamId: null, to, subject, html, text });
      sent.push(to);
    } catch (error) {
      deps.log.warn({ to, err: error }, 'feedback digest not delivered to this recipient');
    }
  }
  if (sent.length === 0)
    throw new Error(`the feedback digest reached none of its ${recipients.length} recipients`);
  return sent;
}
