import type { KbArticleDiff, KbArticleVersion, KbArticleVersionList } from '@keepdesk/contract';
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import type { Executor } from '../../platform/db';
import { notFound } from '../../platform/errors';
import type { Actor } from '../../platform/events';
import { loadArticleRow, userNames } from './article-reads.service';
import { diffWords } from './articles.domain';
import { type SaveResult, updateArticle } from './articles.service';
import { articleVersions } from './knowledge.tables';

type VersionRow = typeof articleVersions.$inferSelect;

function present(row: VersionRow, names: Map<string, string>): KbArticleVersion {
  return {
    version: row.version,
    title: row.title,
    bodyHtml: row.bodyHtml,
    bodyText: row.bodyText,
    tags: row.tags,
    status: row.status,
    note: row.note,
    author: row.authorId ? { id: row.authorId, name: names.get(row.authorId) ?? '' } : null,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Every saved version of an article, newest first, without the bodies. */
export async function listVersions(deps: Deps, id: string): Promise<KbArticleVersionList> {
  const db = deps.database.db;
  await loadArticleRow(db, id);
  const rows = await db
    .select()
    .from(articleVersions)
    .where(eq(articleVersions.articleId, id))
    .orderBy(desc(articleVersions.version));
  const names = await userNames(
    db,
    rows.map((row) => row.authorId),
  );
  return {
    items: rows.map((row) => {
      const { bodyHtml: _html, bodyText: _text, ...rest } = present(row, names);
      return rest;
    }),
  };
}

async function loadVersions(
  executor: Executor,
  id: string,
  versions: number[],
): Promise<Map<number, VersionRow>> {
  const rows = await executor
    .select()
    .from(articleVersions)
    .where(and(eq(articleVersions.articleId, id), inArray(articleVersions.version, versions)));
  const byVersion = new Map(rows.map((row) => [row.version, row]));
  for (const version of versions) {
    if (!byVersion.has(version)) throw notFound(`version ${version} of article`, id);
  }
  return byVersion;
}

/** One version with its full content. */
export async function getVersion(deps: Deps, id: string, version: number): Promise<KbArticleVersion> {
  const db = deps.database.db;
  const row = (await loadVersions(db, id, [version])).get(version)!;
  return present(row, await userNames(db, [row.authorId]));
}

/** What changed between two versions, word by word, in the title and the plain-text body. */
export async function diffVersions(deps: Deps, id: string, from: number, to: number): Promise<KbArticleDiff> {
  const rows = await loadVersions(deps.database.db, id, [from, to]);
  const before = rows.get(from)!;
  const after = rows.get(to)!;
  return {
    from,
    to,
    title: diffWords(before.title, after.title),
    body: diffWords(before.bodyText, after.bodyText),
  };
}

/**
 * Brings an old version's content back as a new version; nothing is ever deleted from the history. An author
 * restoring on a published article proposes the old content as its pending revision instead.
 */
export async function restoreVersion(
  deps: Deps,
  actor: Actor,
  permissions: readonly string[],
  id: string,
  version: number,
): Promise<SaveResult> {
  const old = (await loadVersions(deps.database.db, id, [version])).get(version)!;
  return updateArticle(deps, actor, permissions, id, {
    title: old.title,
    body: old.bodyHtml,
    tags: old.tags,
    note: `restored version ${version}`,
  });
}
