import type {
  KbArticle,
  KbArticlePage,
  KbArticleQuery,
  KbArticleSummary,
  KbPendingRevisionRef,
} from '@keepdesk/contract';
import { and, eq, ilike, inArray, isNotNull, lt, ne, or, type SQL, sql } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import type { Executor } from '../../platform/db';
import { notFound } from '../../platform/errors';
import { decodeCursor, likePattern, toPage } from '../../platform/pagination';
import { users } from '../auth';
import { missingLanguages, needsReview } from './articles.domain';
import { articleRevisions, articles } from './knowledge.tables';

export type ArticleRow = typeof articles.$inferSelect;

/** Columns of a list row: everything but the body, the search document and the counters. */
const summaryColumns = {
  id: articles.id,
  number: articles.number,
  translationGroupId: articles.translationGroupId,
  language: articles.language,
  kind: articles.kind,
  title: articles.title,
  slug: articles.slug,
  categoryId: articles.categoryId,
  sectionId: articles.sectionId,
  tags: articles.tags,
  visibility: articles.visibility,
  status: articles.status,
  version: articles.version,
  acknowledgeVersion: articles.acknowledgeVersion,
  ownerId: articles.ownerId,
  verificationIntervalDays: articles.verificationIntervalDays,
  verifiedAt: articles.verifiedAt,
  verificationDueAt: articles.verificationDueAt,
  createdAt: articles.createdAt,
  updatedAt: articles.updatedAt,
  publishedAt: articles.publishedAt,
};
type SummaryRow = { [K in keyof typeof summaryColumns]: ArticleRow[K] };

/** The names of users by id, for owners, verifiers and authors. */
export async function userNames(executor: Executor, ids: (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await executor
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(inArray(users.id, wanted));
  return new Map(rows.map((row) => [row.id, row.name]));
}

async function translationsOf(executor: Executor, groupIds: string[]) {
  const rows =
    groupIds.length === 0
      ? []
      : await executor
          .select({
            id: articles.id,
            groupId: articles.translationGroupId,
            language: articles.language,
            title: articles.title,
            status: articles.status,
          })
          .from(articles)
          .where(inArray(articles.translationGroupId, [...new Set(groupIds)]));
  const byGroup = new Map<string, typeof rows>();
  for (const row of rows) byGroup.set(row.groupId, [...(byGroup.get(row.groupId) ?? []), row]);
  return byGroup;
}

/** The pending revisions (ADR 0045) of these articles, by article id: who proposed it and when. */
async function pendingRevisionsOf(executor: Executor, ids: string[]) {
  if (ids.length === 0) return [];
  return executor
    .select({
      articleId: articleRevisions.articleId,
      revision: articleRevisions.revision,
      baseVersion: articleRevisions.baseVersion,
      proposedById: articleRevisions.proposedById,
      updatedById: articleRevisions.updatedById,
      createdAt: articleRevisions.createdAt,
      updatedAt: articleRevisions.updatedAt,
    })
    .from(articleRevisions)
    .where(inArray(articleRevisions.articleId, ids));
}

async function presentSummaries(
  executor: Executor,
  rows: SummaryRow[],
  now: Date,
): Promise<Map<string, KbArticleSummary>> {
  const revisions = await pendingRevisionsOf(
    executor,
    rows.map((row) => row.id),
  );
  const names = await userNames(executor, [
    ...rows.map((row) => row.ownerId),
    ...revisions.flatMap((revision) => [revision.proposedById, revision.updatedById]),
  ]);
  const ref = (userId: string | null) => (userId ? { id: userId, name: names.get(userId) ?? '' } : null);
  const pending = new Map<string, KbPendingRevisionRef>(
    revisions.map((revision) => [
      revision.articleId,
      {
        revision: revision.revision,
        baseVersion: revision.baseVersion,
        proposedBy: ref(revision.proposedById),
        updatedBy: ref(revision.updatedById),
        createdAt: revision.createdAt.toISOString(),
        updatedAt: revision.updatedAt.toISOString(),
      },
    ]),
  );
  const groups = await translationsOf(
    executor,
    rows.map((row) => row.translationGroupId),
  );
  const out = new Map<string, KbArticleSummary>();
  for (const row of rows) {
    const group = groups.get(row.translationGroupId) ?? [];
    out.set(row.id, {
      id: row.id,
      number: row.number,
      translationGroupId: row.translationGroupId,
      language: row.language,
      kind: row.kind,
      title: row.title,
      slug: row.slug,
      categoryId: row.categoryId,
      sectionId: row.sectionId,
      tags: row.tags,
      visibility: row.visibility,
      status: row.status,
      version: row.version,
      acknowledgeVersion: row.acknowledgeVersion,
      owner: row.ownerId ? { id: row.ownerId, name: names.get(row.ownerId) ?? '' } : null,
      verificationIntervalDays: row.verificationIntervalDays,
      verifiedAt: row.verifiedAt?.toISOString() ?? null,
      verificationDueAt: row.verificationDueAt?.toISOString() ?? null,
      needsReview: needsReview(row.verificationDueAt, row.status, now),
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
      publishedAt: row.publishedAt?.toISOString() ?? null,
      translations: group
        .filter((t) => t.id !== row.id)
        .map((t) => ({ language: t.language, id: t.id, title: t.title, status: t.status })),
      missingLanguages: missingLanguages(group.map((t) => t.language)),
      pendingRevision: pending.get(row.id) ?? null,
    });
  }
  return out;
}

/** One article as the API shows it, read with `executor` (a transaction's, right after a write). */
export async function presentArticle(executor: Executor, row: ArticleRow, now: Date): Promise<KbArticle> {
  const summary = (await presentSummaries(executor, [row], now)).get(row.id)!;
  const names = await userNames(executor, [row.verifiedById]);
  return {
    ...summary,
    bodyHtml: row.bodyHtml,
    bodyText: row.bodyText,
    verifiedBy: row.verifiedById ? { id: row.verifiedById, name: names.get(row.verifiedById) ?? '' } : null,
    viewCount: row.viewCount,
    helpfulCount: row.helpfulCount,
    notHelpfulCount: row.notHelpfulCount,
  };
}

export async function loadArticleRow(executor: Executor, id: string, forUpdate = false): Promise<ArticleRow> {
  const query = executor.select().from(articles).where(eq(articles.id, id));
  const [row] = forUpdate ? await query.for('update') : await query;
  if (!row) throw notFound('article', id);
  return row;
}

/** An article with its translations, owner and verification state; 404 when there is none. */
export async function getArticle(deps: Deps, id: string): Promise<KbArticle> {
  const row = await loadArticleRow(deps.database.db, id);
  return presentArticle(deps.database.db, row, deps.now());
}

/** Articles newest change first, filtered, a page at a time. */
export async function listArticles(deps: Deps, query: KbArticleQuery): Promise<KbArticlePage> {
  const db = deps.database.db;
  const now = deps.now();
  const limit = query.limit;
  const conditions: (SQL | undefined)[] = [
    query.status ? eq(articles.status, query.status) : undefined,
    query.categoryId ? eq(articles.categoryId, query.categoryId) : undefined,
    query.sectionId ? eq(articles.sectionId, query.sectionId) : undefined,
    query.visibility ? eq(articles.visibility, query.visibility) : undefined,
    query.language ? eq(articles.language, query.language) : undefined,
    query.kind ? eq(articles.kind, query.kind) : undefined,
    query.ownerId ? eq(articles.ownerId, query.ownerId) : undefined,
  ];
  if (query.q) {
    const pattern = likePattern(query.q);
    conditions.push(or(ilike(articles.title, pattern), ilike(articles.bodyText, pattern)));
  }
  if (query.needsReview === true) {
    conditions.push(
      and(isNotNull(articles.verificationDueAt), lt(articles.verificationDueAt, now)),
      ne(articles.status, 'archived'),
    );
  } else if (query.needsReview === false) {
    conditions.push(
      or(
        sql`${articles.verificationDueAt} is null`,
        sql`${articles.verificationDueAt} >= ${now.toISOString()}::timestamptz`,
        eq(articles.status, 'archived'),
      ),
    );
  }
  if (query.missingTranslation) {
    conditions.push(sql`not exists (select 1 from kb_articles t
      where t.translation_group_id = ${articles.translationGroupId} and t.language = ${query.missingTranslation})`);
  }
  if (query.pendingRevision !== undefined) {
    const pending = sql`exists (select 1 from ${articleRevisions} r where r.article_id = ${articles.id})`;
    conditions.push(query.pendingRevision ? pending : sql`not ${pending}`);
  }
  if (query.cursor) {
    const [updatedAt, id] = decodeCursor(query.cursor, 2);
    const at = new Date(String(updatedAt));
    conditions.push(
      or(lt(articles.updatedAt, at), and(eq(articles.updatedAt, at), lt(articles.id, String(id)))),
    );
  }
  const rows = await db
    .select(summaryColumns)
    .from(articles)
    .where(and(...conditions))
    .orderBy(sql`${articles.updatedAt} desc`, sql`${articles.id} desc`)
    .limit(limit + 1);
  const page = toPage(
    rows,
    limit,
    (row) => row,
    (row) => [row.updatedAt.toISOString(), row.id],
  );
  const presented = await presentSummaries(db, page.items, now);
  return { items: page.items.map((row) => presented.get(row.id)!), nextCursor: page.nextCursor };
}
