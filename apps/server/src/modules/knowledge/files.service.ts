import type { KbFile, KbFileList } from '@keepdesk/contract';
import { and, eq, sql } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import { notFound } from '../../platform/errors';
import type { Actor } from '../../platform/events';
import { storeFile } from '../tickets';
import { articleFiles, articles } from './knowledge.tables';

type FileRow = typeof articleFiles.$inferSelect;

function present(row: FileRow): KbFile {
  return {
    id: row.id,
    fileName: row.fileName,
    contentType: row.contentType,
    size: row.size,
    url: `/api/v1/kb/files/${row.id}`,
  };
}

/**
 * Stores images and attachments for article bodies. A file belongs to no article until a saved body points
 * to it (`/api/v1/kb/files/{id}`); then it is that article's, and public when the article is.
 */
export async function uploadFiles(
  deps: Deps,
  actor: Actor,
  files: { fileName: string | undefined; data: Buffer }[],
): Promise<KbFileList> {
  const stored = [];
  for (const file of files) stored.push(await storeFile(deps, file));
  const rows = await deps.database.db
    .insert(articleFiles)
    .values(stored.map((s) => ({ ...s, uploadedById: actor.userId })))
    .returning();
  return { items: rows.map(present) };
}

/** A file and its bytes, for agents. */
export async function openFile(deps: Deps, id: string): Promise<{ row: FileRow; data: Buffer }> {
  const [row] = await deps.database.db.select().from(articleFiles).where(eq(articleFiles.id, id));
  if (!row) throw notFound('file', id);
  return { row, data: await deps.storage.get(row.storageKey) };
}

/**
 * A file of a public, published article (or of a public, published translation of it), for the help
 * center; null for anything else, so an internal file is indistinguishable from a missing one.
 */
export async function openPublicArticleFile(
  deps: Deps,
  id: string,
): Promise<{ content: Buffer; contentType: string; fileName: string } | null> {
  const [row] = await deps.database.db
    .select({
      storageKey: articleFiles.storageKey,
      contentType: articleFiles.contentType,
      fileName: articleFiles.fileName,
    })
    .from(articleFiles)
    .innerJoin(articles, eq(articles.id, articleFiles.articleId))
    .where(
      and(
        eq(articleFiles.id, id),
        sql`exists (select 1 from kb_articles p where p.translation_group_id = ${articles.translationGroupId}
          and p.status = 'published' and p.visibility = 'public')`,
      ),
    );
  if (!row) return null;
  return {
    content: await deps.storage.get(row.storageKey),
    contentType: row.contentType,
    fileName: row.fileName,
  };
}
