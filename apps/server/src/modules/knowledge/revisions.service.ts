import type {
  KbArticle,
  KbArticleRevision,
  KbRejectRevisionBody,
  KbWithdrawRevisionQuery,
  NotificationKind,
  UpdateKbArticleBody,
} from '@keepdesk/contract';
import { and, asc, desc, eq, gte, inArray, isNotNull, max, type SQL, sql } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import { type Executor, type Tx, withTransaction } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { type Actor, recordChange } from '../../platform/events';
import { auditLog } from '../../platform/platform.tables';
import { users } from '../auth';
import { notify } from '../notifications';
import { type ArticleRow, loadArticleRow, presentArticle, userNames } from './article-reads.service';
import { changedSettings, diffWords, isContentChange, normalizeTags } from './articles.domain';
import { articleRevisions } from './knowledge.tables';
import { FEW_PUBLISHERS, proposalRecipients } from './revisions.domain';

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

const REVISION_PROPOSED = 'kb_article.revision_proposed';

/** Holders of kb:publish whose account is active, as a condition on `users`. */
const isActivePublisher: SQL = sql`${users.isActive} and exists (select 1 from role_permissions rp
  where rp.role_key = ${users.roleKey} and rp.permission = 'kb:publish')`;

/** Audit rows of one article with one of `actions`. */
const auditOf = (articleId: string, actions: string[]) =>
  and(
    eq(auditLog.entityType, 'kb_article'),
    eq(auditLog.entityId, articleId),
    inArray(auditLog.action, actions),
  );

/** Who hears of a new proposal for `live` (see `proposalRecipients`). */
async function proposalRecipientsOf(tx: Tx, live: ArticleRow): Promise<string[]> {
  const [last] = await tx
    .select({ userId: auditLog.actorUserId })
    .from(auditLog)
    .where(
      and(
        auditOf(live.id, ['kb_article.published', 'kb_article.revision_approved']),
        isNotNull(auditLog.actorUserId),
      ),
    )
    .orderBy(desc(auditLog.id))
    .limit(1);
  const lastPublisherId = last?.userId ?? null;
  const preferred = [live.ownerId, lastPublisherId].filter((id): id is string => id !== null);
  const publishers =
    preferred.length === 0
      ? []
      : await tx
          .select({ id: users.id })
          .from(users)
          .where(and(inArray(users.id, preferred), isActivePublisher));
  const all = await tx
    .select({ id: users.id })
    .from(users)
    .where(isActivePublisher)
    .orderBy(asc(users.id))
    .limit(FEW_PUBLISHERS + 1);
  return proposalRecipients(
    { ownerId: live.ownerId, lastPublisherId },
    new Set(publishers.map((row) => row.id)),
    all.map((row) => row.id),
  );
}

/** Deletes the pending revision without a decision: an explicit withdrawal or a save back to the live text. */
async function removeRevision(tx: Tx, actor: Actor, articleId: string, row: RevisionRow): Promise<void> {
  await tx.delete(articleRevisions).where(eq(articleRevisions.articleId, articleId));
  await recordChange(tx, actor, {
    action: 'kb_article.revision_withdrawn',
    entityType: 'kb_article',
    entityId: articleId,
    data: { revision: row.revision },
  });
}

/**
 * An author's save of a published article: title, body and tags go into the article's one pending revision
 * (made on the first save, built on by every later one, whoever makes it); the live article stays as it is.
 * A save that brings the proposal back to the live content withdraws it. Returns whether one is pending.
 */
export async function proposeRevision(
  tx: Tx,
  deps: Pick<Deps, 'bus'>,
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
    if (current) await removeRevision(tx, actor, live.id, current);
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
    // Only a new proposal is announced; later saves build on one a publisher already knows of.
    await notify(
      tx,
      deps,
      (await proposalRecipientsOf(tx, live)).map((userId) => ({
        userId,
        kind: 'kb_revision_proposed' as const,
        target: { id: live.id, name: live.title },
        actorUserId: actor.userId,
        excerpt: note || content.title,
      })),
    );
  }
  await recordChange(tx, actor, {
    action: REVISION_PROPOSED,
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

/**
 * Whether `userId` saved the current proposal: started it, saved it last, or saved it in between (an audit row
 * `kb_article.revision_proposed` since the one that started it, revision 1).
 */
async function hasSaved(tx: Tx, articleId: string, row: RevisionRow, userId: string): Promise<boolean> {
  if (row.proposedById === userId || row.updatedById === userId) return true;
  const started = tx
    .select({ id: max(auditLog.id) })
    .from(auditLog)
    .where(and(auditOf(articleId, [REVISION_PROPOSED]), sql`${auditLog.data}->>'revision' = '1'`));
  const saved = await tx
    .select({ id: auditLog.id })
    .from(auditLog)
    .where(
      and(
        auditOf(articleId, [REVISION_PROPOSED]),
        eq(auditLog.actorUserId, userId),
        gte(auditLog.id, sql`(${started})`),
      ),
    )
    .limit(1);
  return saved.length > 0;
}

/**
 * Withdraws the pending revision without a decision: allowed for the authors who saved it and for publishers
 * (403 for others, 404 without one, 409 when `revision` is not the current one). Nobody is notified.
 */
export async function withdrawRevision(
  deps: Deps,
  actor: Actor,
  permissions: readonly string[],
  id: string,
  input: KbWithdrawRevisionQuery,
): Promise<KbArticle> {
  return withTransaction(deps.database, async (tx) => {
    const article = await loadArticleRow(tx, id, true);
    const row = await revisionToDecide(tx, id, input.revision);
    const mayWithdraw =
      permissions.includes('kb:publish') ||
      (actor.userId !== null &&
        permissions.includes('kb:write') &&
        (await hasSaved(tx, id, row, actor.userId)));
    if (!mayWithdraw) {
      throw new AppError('FORBIDDEN', {
        message: 'only the authors of the proposed change and publishers may withdraw it',
      });
    }
    await removeRevision(tx, actor, id, row);
    return presentArticle(tx, article, deps.now());
  });
}
