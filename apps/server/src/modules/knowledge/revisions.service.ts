import type {
  KbArticle,
  KbArticleRevision,
  KbRejectRevisionBody,
  NotificationKind,
  UpdateKbArticleBody,
} from '@keepdesk/contract';
import { eq } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import { type Executor, type Tx, withTransaction } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { type Actor, recordChange } from '../../platform/events';
import { notify } from '../notifications';
import { type ArticleRow, loadArticleRow, presentArticle, userNames } from './article-reads.service';
import { changedSettings, diffWords, isContentChange, normalizeTags } from './articles.domain';
import { articleRevisions } from './knowledge.tables';

/** Pending revisions of published articles (ADR 0045): proposed by authors, decided by publishers. */

export type RevisionRow = typeof articleRevisions.$inferSelect;

export async function loadRevisionRow(
  executor: Executor,
  articleId: string,
  forUpdate = false,
): Promise<RevisionRow | undefined> {
  const query = executor.select().from(articleRevisions).where(eq(articleRevisions.articleId, articleId));
  const [row] = forUpdate ? await query.for('update') : await query;
  return row;
}

/** 409 unless `expected` (when given) is the revision's current save count; null means "there was none". */
function assertRevision(
  field: string,
  current: RevisionRow | undefined,
  expected: number | null | undefined,
) {
  if (expected === undefined || (current?.revision ?? null) === expected) return;
  throw new AppError('CONFLICT', {
    message: current
      ? `the proposed change is at revision ${current.revision}, you edited ${expected ?? 'the live text'}`
      : 'the proposed change you edited was approved or rejected meanwhile',
    errors: [{ field, message: current ? `the proposal is at revision ${current.revision}` : 'no proposal' }],
  });
}

/**
 * An author's save of a published article: title, body and tags go into the article's one pending revision
 * (made on the first save, built on by every later one, whoever makes it); the live article stays as it is.
 * A save that brings the proposal back to the live content withdraws it. Returns whether one is pending.
 */
export async function proposeRevision(
  tx: Tx,
  actor: Actor,
  live: ArticleRow,
  input: UpdateKbArticleBody,
  body: { html: string; text: string } | null,
  now: Date,
): Promise<boolean> {
  const settings = changedSettings(live, input);
  if (settings.length > 0) {
    throw new AppError('FORBIDDEN', {
      message: `changing ${settings.join(', ')} of a published article needs kb:publish`,
      errors: settings.map((field) => ({
        field,
        message: 'a publisher changes this on a published article',
      })),
    });
  }
  const current = await loadRevisionRow(tx, live.id, true);
  assertRevision('baseRevision', current, input.baseRevision);
  const base = current ?? live;
  const content = {
    title: input.title ?? base.title,
    bodyHtml: body?.html ?? base.bodyHtml,
    bodyText: body?.text ?? base.bodyText,
    tags: input.tags ? normalizeTags(input.tags) : base.tags,
  };
  if (!isContentChange(live, content)) {
    if (!current) return false;
    await tx.delete(articleRevisions).where(eq(articleRevisions.articleId, live.id));
    await recordChange(tx, actor, {
      action: 'kb_article.revision_withdrawn',
      entityType: 'kb_article',
      entityId: live.id,
      data: { revision: current.revision },
    });
    return false;
  }
  const note = input.note ?? current?.note ?? '';
  if (current) {
    await tx
      .update(articleRevisions)
      .set({ ...content, note, revision: current.revision + 1, updatedById: actor.userId, updatedAt: now })
      .where(eq(articleRevisions.articleId, live.id));
  } else {
    await tx.insert(articleRevisions).values({
      articleId: live.id,
      baseVersion: live.version,
      ...content,
      note,
      proposedById: actor.userId,
      updatedById: actor.userId,
      createdAt: now,
      updatedAt: now,
    });
  }
  await recordChange(tx, actor, {
    action: 'kb_article.revision_proposed',
    entityType: 'kb_article',
    entityId: live.id,
    data: { revision: (current?.revision ?? 0) + 1, baseVersion: current?.baseVersion ?? live.version },
  });
  return true;
}

/** The pending revision with its full content and what it changes against the live article; 404 when none. */
export async function getRevision(deps: Deps, id: string): Promise<KbArticleRevision> {
  const db = deps.database.db;
  const live = await loadArticleRow(db, id);
  const row = await loadRevisionRow(db, id);
  if (!row) throw notFound('pending revision of article', id);
  const names = await userNames(db, [row.proposedById, row.updatedById]);
  const ref = (userId: string | null) => (userId ? { id: userId, name: names.get(userId) ?? '' } : null);
  return {
    revision: row.revision,
    baseVersion: row.baseVersion,
    proposedBy: ref(row.proposedById),
    updatedBy: ref(row.updatedById),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    liveVersion: live.version,
    isStale: live.version !== row.baseVersion,
    title: row.title,
    bodyHtml: row.bodyHtml,
    bodyText: row.bodyText,
    tags: row.tags,
    note: row.note,
    diff: {
      title: diffWords(live.title, row.title),
      body: diffWords(live.bodyText, row.bodyText),
      tags: diffWords(live.tags.join(', '), row.tags.join(', ')),
    },
  };
}

/** Locks and returns the pending revision a publisher decides on: 404 when none, 409 when it moved on. */
export async function revisionToDecide(
  tx: Tx,
  id: string,
  expected: number | undefined,
): Promise<RevisionRow> {
  const row = await loadRevisionRow(tx, id, true);
  if (!row) throw notFound('pending revision of article', id);
  assertRevision('revision', row, expected);
  return row;
}

/** Removes the decided revision and tells the authors who wrote it (`target`: the article). */
export async function closeRevision(
  tx: Tx,
  deps: Pick<Deps, 'bus'>,
  actor: Actor,
  article: Pick<ArticleRow, 'id' | 'title'>,
  row: RevisionRow,
  outcome: { kind: NotificationKind; action: string; note: string },
): Promise<void> {
  await tx.delete(articleRevisions).where(eq(articleRevisions.articleId, article.id));
  const authors = [row.proposedById, row.updatedById].filter((userId): userId is string => userId !== null);
  await notify(
    tx,
    deps,
    authors.map((userId) => ({
      userId,
      kind: outcome.kind,
      target: { id: article.id, name: article.title },
      actorUserId: actor.userId,
      excerpt: outcome.note || article.title,
    })),
  );
  await recordChange(tx, actor, {
    action: outcome.action,
    entityType: 'kb_article',
    entityId: article.id,
    data: { revision: row.revision, baseVersion: row.baseVersion, note: outcome.note },
  });
}

/** A publisher turns the proposal down: the live article stays, the revision goes, its authors hear why. */
export async function rejectRevision(
  deps: Deps,
  actor: Actor,
  id: string,
  input: KbRejectRevisionBody,
): Promise<KbArticle> {
  return withTransaction(deps.database, async (tx) => {
    const article = await loadArticleRow(tx, id, true);
    const row = await revisionToDecide(tx, id, input.revision);
    await closeRevision(tx, deps, actor, article, row, {
      kind: 'kb_revision_rejected',
      action: 'kb_article.revision_rejected',
      note: input.note ?? '',
    });
    return presentArticle(tx, article, deps.now());
  });
}
