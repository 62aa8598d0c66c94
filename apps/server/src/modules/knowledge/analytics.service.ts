import type { KbAnalytics } from '@keepdesk/contract';
import { sql } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import { dateOf, rowsOf } from '../../platform/db';
import { fieldError } from '../../platform/errors';

const DAY_MS = 86_400_000;
const TOP = 20;

/** A day range in UTC: `to` defaults to today, `from` to 29 days before it (30 days in all). */
function dayRange(now: Date, from?: string, to?: string): { from: string; to: string } {
  const end = to ?? now.toISOString().slice(0, 10);
  const start = from ?? new Date(Date.parse(`${end}T00:00:00Z`) - 29 * DAY_MS).toISOString().slice(0, 10);
  if (start > end) throw fieldError('from', 'must not be after to');
  if (Date.parse(end) - Date.parse(start) > 366 * DAY_MS) throw fieldError('from', 'at most 366 days');
  return { from: start, to: end };
}

const ratio = (part: number, whole: number) => (whole ? Math.round((part / whole) * 1000) / 1000 : null);

/**
 * What readers look for and find: top queries with click-through, queries without a result ("knowledge gaps"),
 * views per day and the most viewed articles, and the helpful ratio per article with its latest comments.
 */
export async function knowledgeAnalytics(
  deps: Deps,
  range: { from?: string; to?: string },
): Promise<KbAnalytics> {
  const { from, to } = dayRange(deps.now(), range.from, range.to);
  const db = deps.database.db;
  const inRange = sql`q.at >= ${from}::date and q.at < ${to}::date + 1`;
  const totals = rowsOf(
    await db.execute(sql`
      select (select count(*) from kb_search_queries q where ${inRange}) as searches,
             (select count(*) from kb_search_queries q where ${inRange} and q.result_count = 0) as no_result,
             (select count(*) from kb_search_queries q where ${inRange} and q.clicked_article_id is not null) as clicked,
             (select coalesce(sum(v.views), 0) from kb_article_views v where v.day between ${from}::date and ${to}::date) as views,
             (select count(*) from kb_article_votes v
               where v.helpful and v.created_at >= ${from}::date and v.created_at < ${to}::date + 1) as helpful,
             (select count(*) from kb_article_votes v
               where not v.helpful and v.created_at >= ${from}::date and v.created_at < ${to}::date + 1) as not_helpful`),
  )[0];
  const top = rowsOf(
    await db.execute(sql`
      select q.normalized, count(*) as n, avg(q.result_count) as results, count(q.clicked_article_id) as clicks
        from kb_search_queries q where ${inRange}
       group by q.normalized order by n desc, q.normalized limit ${TOP}`),
  );
  const gaps = rowsOf(
    await db.execute(sql`
      select q.normalized, count(*) as n, max(q.at) as last_seen, array_agg(distinct q.language) as languages
        from kb_search_queries q where ${inRange} and q.result_count = 0
       group by q.normalized order by n desc, last_seen desc limit ${TOP}`),
  );
  const byDay = rowsOf(
    await db.execute(sql`
      select d.day::date::text as day, coalesce(sum(v.views), 0) as views
        from generate_series(${from}::date, ${to}::date, interval '1 day') as d(day)
        left join kb_article_views v on v.day = d.day::date
       group by d.day order by d.day`),
  );
  const viewed = rowsOf(
    await db.execute(sql`
      select a.id, a.number, a.title, a.language, sum(v.views) as views
        from kb_article_views v join kb_articles a on a.id = v.article_id
       where v.day between ${from}::date and ${to}::date
       group by a.id order by views desc, a.number limit ${TOP}`),
  );
  const votes = rowsOf(
    await db.execute(sql`
      select a.id, a.number, a.title, a.language,
             count(*) filter (where v.helpful) as helpful, count(*) filter (where not v.helpful) as not_helpful,
             (select coalesce(json_agg(json_build_object('helpful', c.helpful, 'comment', c.comment, 'at', c.created_at)
                                       order by c.created_at desc), '[]'::json)
                from (select * from kb_article_votes c
                       where c.article_id = a.id and c.comment <> ''
                         and c.created_at >= ${from}::date and c.created_at < ${to}::date + 1
                       order by c.created_at desc limit 3) c) as comments
        from kb_article_votes v join kb_articles a on a.id = v.article_id
       where v.created_at >= ${from}::date and v.created_at < ${to}::date + 1
       group by a.id order by count(*) desc, a.number limit ${TOP}`),
  );
  const searches = Number(totals?.searches ?? 0);
  const helpful = Number(totals?.helpful ?? 0);
  const notHelpful = Number(totals?.not_helpful ?? 0);
  return {
    from,
    to,
    totals: {
      searches,
      noResultSearches: Number(totals?.no_result ?? 0),
      clickThroughRate: ratio(Number(totals?.clicked ?? 0), searches),
      views: Number(totals?.views ?? 0),
      helpfulVotes: helpful,
      notHelpfulVotes: notHelpful,
      helpfulRatio: ratio(helpful, helpful + notHelpful),
    },
    topQueries: top.map((r) => ({
      query: String(r.normalized),
      count: Number(r.n),
      averageResults: Math.round(Number(r.results) * 10) / 10,
      clickThroughRate: ratio(Number(r.clicks), Number(r.n)),
    })),
    gaps: gaps.map((r) => ({
      query: String(r.normalized),
      count: Number(r.n),
      lastSeenAt: dateOf(r.last_seen).toISOString(),
      languages: parseArray(r.languages),
    })),
    viewsByDay: byDay.map((r) => ({ day: String(r.day), views: Number(r.views) })),
    topArticles: viewed.map((r) => ({
      id: String(r.id),
      number: Number(r.number),
      title: String(r.title),
      language: r.language as 'de' | 'en',
      views: Number(r.views),
    })),
    helpfulness: votes.map((r) => ({
      id: String(r.id),
      number: Number(r.number),
      title: String(r.title),
      language: r.language as 'de' | 'en',
      helpful: Number(r.helpful),
      notHelpful: Number(r.not_helpful),
      ratio: ratio(Number(r.helpful), Number(r.helpful) + Number(r.not_helpful)) ?? 0,
      recentComments: parseJson(r.comments).map((c) => ({
        helpful: Boolean(c.helpful),
        comment: String(c.comment),
        at: dateOf(c.at).toISOString(),
      })),
    })),
  };
}

/** A text[] column: an array from node-postgres, `{a,b}` text from some PGlite paths. */
function parseArray(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  const text = String(value ?? '').replace(/^\{|\}$/g, '');
  return text ? text.split(',') : [];
}

function parseJson(value: unknown): Record<string, unknown>[] {
  const parsed = typeof value === 'string' ? JSON.parse(value) : value;
  return Array.isArray(parsed) ? (parsed as Record<string, unknown>[]) : [];
}
