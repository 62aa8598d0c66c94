import type { KbArticle } from '@keepdesk/contract';
import { and, asc, eq, isNotNull, isNull, lt, ne } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import { withTransaction } from '../../platform/db';
import { AppError } from '../../platform/errors';
import { type Actor, recordChange, SYSTEM_ACTOR } from '../../platform/events';
import { notify } from '../notifications';
import { loadArticleRow, presentArticle } from './article-reads.service';
import { verificationDue } from './articles.domain';
import { articles } from './knowledge.tables';

/**
 * The owner (or a publisher) confirms the article is still right: the next review falls due one interval
 * from now, and the reminder may be sent again when it does.
 */
export async function verifyArticle(
  deps: Deps,
  actor: Actor,
  permissions: readonly string[],
  id: string,
): Promise<KbArticle> {
  return withTransaction(deps.database, async (tx) => {
    const now = deps.now();
    const before = await loadArticleRow(tx, id, true);
    if (before.ownerId !== actor.userId && !permissions.includes('kb:publish')) {
      throw new AppError('FORBIDDEN', { message: 'only the owner or a publisher verifies an article' });
    }
    const [row] = await tx
      .update(articles)
      .set({
        verifiedAt: now,
        verifiedById: actor.userId,
        remindedAt: null,
        verificationDueAt: verificationDue(before.verificationIntervalDays, now, before.createdAt),
        updatedAt: now,
      })
      .where(eq(articles.id, id))
      .returning();
    await recordChange(tx, actor, {
      action: 'kb_article.verified',
      entityType: 'kb_article',
      entityId: id,
      data: { verificationDueAt: row!.verificationDueAt?.toISOString() ?? null },
    });
    return presentArticle(tx, row!, now);
  });
}

/** At most this many reminders per run; the next hourly run takes the rest. */
const REMINDER_BATCH = 500;

/**
 * Tells each owner once about their articles whose verification has expired (`kb_needs_review`, the
 * article in the notification's `target`), and marks them reminded. Returns how many were reminded.
 */
export async function remindExpiredArticles(deps: Deps, now: Date = deps.now()): Promise<number> {
  return withTransaction(deps.database, async (tx) => {
    const due = await tx
      .select({ id: articles.id, title: articles.title, ownerId: articles.ownerId })
      .from(articles)
      .where(
        and(
          isNotNull(articles.verificationDueAt),
          lt(articles.verificationDueAt, now),
          isNull(articles.remindedAt),
          isNotNull(articles.ownerId),
          ne(articles.status, 'archived'),
        ),
      )
      .orderBy(asc(articles.verificationDueAt))
      .limit(REMINDER_BATCH)
      .for('update', { skipLocked: true });
    if (due.length === 0) return 0;
    for (const article of due) {
      await notify(tx, deps, [
        {
          userId: article.ownerId!,
          kind: 'kb_needs_review',
          target: { id: article.id, name: article.title },
          actorUserId: null,
          excerpt: article.title,
        },
      ]);
      await tx.update(articles).set({ remindedAt: now }).where(eq(articles.id, article.id));
      await recordChange(tx, SYSTEM_ACTOR, {
        action: 'kb_article.review_reminded',
        entityType: 'kb_article',
        entityId: article.id,
        data: { ownerId: article.ownerId },
      });
    }
    return due.length;
  });
}
