import { type SQL, sql } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import { rowsOf } from '../../platform/db';
import { detectLanguage } from '../tickets';
import { articleInBrand } from './brands.service';
import type { ArticleStatus } from './knowledge.tables';
import {
  applyCorrections,
  clampExcerpt,
  correctableWords,
  excerptProbes,
  excludesWords,
  normalizeQuery,
} from './search.domain';

type Language = 'de' | 'en';

export interface SearchInput {
  text: string;
  /** `public`: published public articles only; `agent`: everything not archived, published first. */
  audience: 'agent' | 'public';
  language?: Language;
  /** The brand's articles only: those in its categories, and for the default brand those in none. */
  brandId?: string;
  categoryId?: string;
  sectionId?: string;
  visibility?: 'internal' | 'public';
  limit?: number;
  offset?: number;
  /** When set, the search is recorded in `kb_search_queries` for the analytics. */
  log?: { source: 'helpcenter' | 'widget' | 'agent' };
}

export interface ArticleHit {
  id: string;
  number: number;
  title: string;
  slug: string;
  language: Language;
  /** Plain text, about 200 characters around the first match. */
  excerpt: string;
  categoryId: string | null;
  sectionId: string | null;
  visibility: 'internal' | 'public';
  status: ArticleStatus;
  score: number;
}

export interface SearchResult {
  items: ArticleHit[];
  /** How many articles match, counted up to 1,000. */
  total: number;
  /** More articles match than `total` (the count stops at 1,000): shown as "1,000+". */
  totalCapped: boolean;
  /** The corrected query the hits were found with ("Did you mean …"), null when the query was used as typed. */
  correctedText: string | null;
  /** The logged search (when `log` was given), for reporting a click. */
  queryId: number | null;
}

/** Fewer hits than this and nothing better exists: typo correction is tried. */
const CORRECT_BELOW = 1;
/** Matches are counted up to this many; beyond it `total` is this and `totalCapped` is set (ADR 0041). */
const TOTAL_CAP = 1000;
/** Title and tag matches beyond the page that are ranked on the whole document, chosen by title/tag rank. */
const HEAD_EXTRA = 100;
/** Body-only matches ranked on the whole document when too few titles or tags match (ADR 0041). */
const BODY_CANDIDATES = 150;
/** Characters of the body, starting a little before the first match, that the excerpt is chosen from. */
const EXCERPT_WINDOW = 600;
const LEAD = EXCERPT_WINDOW / 4;
const HEADLINE = 'StartSel="",StopSel="",MaxWords=40,MinWords=20,ShortWord=2,HighlightAll=false';

/**
 * Full-text search over the knowledge base (docs/adr/0041): the query stemmed in the language (both languages
 * when none is given) OR'ed with its exact words. Title matches come first, then tag matches, then body matches;
 * within each, cover density over the whole document ranks, helpfulness and recency break ties. When nothing
 * matches, each word is corrected against the lexicon of known words (trigram similarity) and the search
 * repeated; when that also finds nothing, titles similar to the query match.
 */
export async function searchArticles(deps: Deps, input: SearchInput): Promise<SearchResult> {
  const text = input.text.trim().slice(0, 200);
  const limit = Math.min(Math.max(input.limit ?? 10, 1), 50);
  const offset = Math.max(input.offset ?? 0, 0);
  let found = text ? await fullText(deps, input, text, limit, offset) : NOTHING;
  let correctedText: string | null = null;
  if (text && found.total < CORRECT_BELOW) {
    const corrected = await correctQuery(deps, input, text);
    const retry = corrected ? await fullText(deps, input, corrected, limit, offset) : null;
    if (retry && retry.total > found.total) {
      found = retry;
      correctedText = corrected;
    } else if (found.total === 0) {
      found = await similarTitles(deps, input, text, limit, offset);
    }
  }
  const queryId = input.log ? await logSearch(deps, input, text, found.total) : null;
  return { ...found, correctedText, queryId };
}

const NOTHING: Found = { items: [], total: 0, totalCapped: false };

function tsQuery(text: string, language: Language | undefined): SQL {
  const simple = sql`websearch_to_tsquery('simple', ${text})`;
  if (language === 'de') return sql`(websearch_to_tsquery('german', ${text}) || ${simple})`;
  if (language === 'en') return sql`(websearch_to_tsquery('english', ${text}) || ${simple})`;
  return sql`(websearch_to_tsquery('german', ${text}) || websearch_to_tsquery('english', ${text}) || ${simple})`;
}

function filters(input: SearchInput): SQL {
  const where: SQL[] = [
    input.audience === 'public'
      ? sql`a.status = 'published' and a.visibility = 'public'`
      : sql`a.status <> 'archived'`,
  ];
  if (input.visibility) where.push(sql`a.visibility = ${input.visibility}`);
  // A literal, not a parameter: the planner then uses the language's partial indexes (one of two known values).
  if (input.language) where.push(sql.raw(`a.language = '${input.language === 'de' ? 'de' : 'en'}'`));
  if (input.categoryId) where.push(sql`a.category_id = ${input.categoryId}`);
  if (input.sectionId) where.push(sql`a.section_id = ${input.sectionId}`);
  if (input.brandId) where.push(articleInBrand(sql`a.category_id`, input.brandId));
  return sql.join(where, sql` and `);
}

/** Agents see published articles before drafts; then title, tag and body matches, the score, helpfulness, recency. */
function ordering(input: SearchInput): SQL {
  const first = input.audience === 'agent' ? sql`(h.status = 'published') desc, ` : sql``;
  return sql`${first}h.title_match desc, h.head_match desc, h.score desc, h.helpful desc, h.updated_at desc, h.number`;
}

interface Found {
  items: ArticleHit[];
  total: number;
  totalCapped: boolean;
}

async function fullText(
  deps: Deps,
  input: SearchInput,
  text: string,
  limit: number,
  offset: number,
): Promise<Found> {
  const pageEnd = offset + limit;
  // The head is part of the document, so a head match is a match — unless the query excludes a word ("-word"),
  // which the body may contain. Skipping the second index saves reading its (large) posting lists.
  const headAlone = !excludesWords(text);
  const published = input.audience === 'agent' ? sql`(x.status = 'published') desc, ` : sql``;
  // The query is a materialized CTE on purpose: the planner cannot see its selectivity and keeps to the GIN
  // indexes; with a constant it may pick a scan that stops at the count's limit but detoasts every row.
  // One round trip, and the large body document (detoasted, tens of microseconds each) is read only for the
  // articles ranked in full: every title/tag match is ranked first by the small head vector (its own GIN index),
  // the best of them and — only when they cannot fill the page — body-only matches by the whole document.
  const result = await deps.database.db.execute(sql`
    with q as materialized (select ${tsQuery(text, input.language)} as query),
    head as materialized (
      select a.id, a.status, a.helpful_count - a.not_helpful_count as helpful, a.updated_at, a.number,
             ts_filter(a.search_head, '{a}') @@ q.query as title_match, true as head_match,
             ts_rank_cd(a.search_head, q.query) as head_rank
        from kb_articles a, q
       where a.search_head @@ q.query and ${headAlone ? sql`true` : sql`a.search_vector @@ q.query`}
         and ${filters(input)}
    ),
    body as (
      select a.id, a.status, a.helpful_count - a.not_helpful_count as helpful, a.updated_at, a.number,
             false as title_match, false as head_match, ts_rank(a.search_head, q.query) as head_rank
        from kb_articles a, q
       where a.search_vector @@ q.query and not (a.search_head @@ q.query) and ${filters(input)}
         and (select count(*) from head x where x.status = 'published') < ${pageEnd}
       order by head_rank desc, (a.status = 'published') desc, helpful desc, a.updated_at desc, a.number
       limit ${BODY_CANDIDATES}
    ),
    candidates as (
      (select * from head x
        order by ${published}x.title_match desc, x.head_rank desc, x.helpful desc, x.updated_at desc, x.number
        limit ${pageEnd + HEAD_EXTRA})
      union all
      select * from body
    ),
    h as (
      select c.*, a.title, a.slug, a.language, a.category_id, a.section_id, a.visibility,
             ts_rank_cd(a.search_vector, q.query) + c.title_match::int as score
        from candidates c join kb_articles a on a.id = c.id, q
    ),
    page as (select h.* from h order by ${ordering(input)} limit ${limit} offset ${offset}),
    counted as (
      select count(*) as total from (
        select 1 from kb_articles a, q where a.search_vector @@ q.query and ${filters(input)} limit ${TOTAL_CAP + 1}
      ) m
    )
    select h.*, t.total,
           ts_headline(case when h.language = 'de' then 'german'::regconfig else 'english'::regconfig end,
                       case when f.at is null then b.body_text
                            when f.at <= ${LEAD} then left(b.body_text, ${EXCERPT_WINDOW})
                            else regexp_replace(substr(b.body_text, f.at - ${LEAD}, ${EXCERPT_WINDOW}),
                                                '^[^[:space:]]*[[:space:]]+', '') end,
                       q.query, ${HEADLINE}) as headline, left(b.body_text, 400) as body_start
      from counted t cross join q
      left join (page h join kb_articles b on b.id = h.id
                 -- ts_headline stems every word it is given: only a window before the first match is handed to it.
                 cross join lateral (
                   select min(nullif(strpos(lower(b.body_text), p), 0)) as at
                     from unnest(${`{${excerptProbes(text).join(',')}}`}::text[]) as p
                 ) f) on true
     order by ${ordering(input)}`);
  const rows = rowsOf(result);
  const total = Number(rows[0]?.total ?? 0);
  return {
    total: Math.min(total, TOTAL_CAP),
    totalCapped: total > TOTAL_CAP,
    items: toHits(rows.filter((r) => r.id != null)),
  };
}

async function similarTitles(
  deps: Deps,
  input: SearchInput,
  text: string,
  limit: number,
  offset: number,
): Promise<Found> {
  const result = await deps.database.db.execute(sql`
    with h as (
      select a.id, a.number, a.title, a.slug, a.language, a.category_id, a.section_id, a.visibility, a.status,
             word_similarity(${text}, a.title) as score, true as title_match, true as head_match,
             a.helpful_count - a.not_helpful_count as helpful,
             a.updated_at, count(*) over () as total
        from kb_articles a
       where ${text} <% a.title and ${filters(input)}
    )
    select h.*, '' as headline, left(b.body_text, 400) as body_start
      from (select * from h order by ${ordering(input)} limit ${limit} offset ${offset}) h
      join kb_articles b on b.id = h.id
     order by ${ordering(input)}`);
  const rows = rowsOf(result);
  return { total: rows.length ? Number(rows[0]?.total) : 0, totalCapped: false, items: toHits(rows) };
}

function toHits(rows: Record<string, unknown>[]): ArticleHit[] {
  return rows.map((r) => ({
    id: String(r.id),
    number: Number(r.number),
    title: String(r.title),
    slug: String(r.slug),
    language: r.language as Language,
    excerpt: clampExcerpt(String(r.headline ?? ''), String(r.body_start ?? '')),
    categoryId: (r.category_id as string | null) ?? null,
    sectionId: (r.section_id as string | null) ?? null,
    visibility: r.visibility as 'internal' | 'public',
    status: r.status as ArticleStatus,
    score: Math.round(Number(r.score) * 1000) / 1000,
  }));
}

/**
 * The query with each unknown word replaced by the most similar known word (trigram similarity, then how many
 * articles use it). Public searches know only words of published public articles, so a correction never
 * reveals an internal one. Null when no word changed.
 */
async function correctQuery(deps: Deps, input: SearchInput, text: string): Promise<string | null> {
  const words = correctableWords(text);
  if (!words.length) return null;
  const counted = input.audience === 'public' ? sql`t.public_count > 0` : sql`t.doc_count > 0`;
  const language = input.language ? sql`t.language = ${input.language}` : sql`true`;
  // Words are letters and digits only (correctableWords), so the array literal needs no quoting.
  const result = await deps.database.db.execute(sql`
    select w.word, c.word as correction
      from unnest(${`{${words.join(',')}}`}::text[]) as w(word)
      cross join lateral (
        select t.word from kb_search_terms t
         where t.word % w.word and ${counted} and ${language}
         order by similarity(t.word, w.word) desc, t.doc_count desc, t.word
         limit 1
      ) c
     where not exists (select 1 from kb_search_terms t where t.word = w.word and ${counted} and ${language})`);
  const corrections = new Map(rowsOf(result).map((r) => [String(r.word), String(r.correction)]));
  return applyCorrections(text, corrections);
}

async function logSearch(
  deps: Deps,
  input: SearchInput,
  text: string,
  total: number,
): Promise<number | null> {
  if (!text || !input.log) return null;
  const language = input.language ?? detectLanguage(text) ?? 'en';
  // The log is analytics: its commit need not wait for the disk (a crash may lose the last few searches),
  // which is most of an insert's latency. `set_config(…, true)` lasts until this statement's own commit.
  const result = await deps.database.db.execute(sql`
    with async as (select set_config('synchronous_commit', 'off', true))
    insert into kb_search_queries (brand_id, source, language, query, normalized, result_count)
    select ${input.brandId ?? null}::uuid, ${input.log.source}, ${language}, ${text}, ${normalizeQuery(text)}, ${total}
      from async
    returning id`);
  return Number(rowsOf(result)[0]?.id);
}

/**
 * Records that the searcher opened `articleId` from the results of search `queryId`, within a day of it. Only the
 * first click of a search counts; a public search counts only published public articles; with `brandId`, only a
 * search of that brand counts (the help center's own result links). False when nothing was recorded.
 */
export async function recordSearchClick(
  deps: Deps,
  queryId: number,
  articleId: string,
  scope: { brandId?: string } = {},
): Promise<boolean> {
  const result = await deps.database.db.execute(sql`
    update kb_search_queries q set clicked_article_id = ${articleId}
     where q.id = ${queryId} and q.clicked_article_id is null
       and q.at > ${deps.now().toISOString()}::timestamptz - interval '1 day'
       and ${scope.brandId ? sql`q.brand_id = ${scope.brandId}` : sql`true`}
       and exists (select 1 from kb_articles a where a.id = ${articleId}
                    and (q.source = 'agent' or (a.status = 'published' and a.visibility = 'public')))
     returning q.id`);
  return rowsOf(result).length > 0;
}
