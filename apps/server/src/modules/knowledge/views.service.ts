import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import { withTransaction } from '../../platform/db';
import { notFound } from '../../platform/errors';
import { articles, articleViews, articleVotes } from './knowledge.tables';

export type ViewSource = 'helpcenter' | 'widget' | 'agent';

/** Flush every few seconds; a page view itself writes nothing. */
const FLUSH_EVERY_MS = 5_000;
/** Distinct article/day/source keys held before a flush is forced (bounds the memory of a view storm). */
const MAX_KEYS = 5_000;

/**
 * Article views counted in memory and added to `kb_article_views` and `kb_articles.view_count` in batches:
 * one upsert per article, day and source per flush. A failed flush keeps its counts for the next one.
 */
class ViewCounter {
  private counts = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;

  constructor(private readonly deps: Deps) {}

  add(articleId: string, source: ViewSource): void {
    const day = this.deps.now().toISOString().slice(0, 10);
    const key = `${articleId}|${day}|${source}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    if (this.counts.size >= MAX_KEYS) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.flush();
      }, FLUSH_EVERY_MS);
      this.timer.unref();
    }
  }

  /** Writes what was counted; waits for a flush already running. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    while (this.flushing) await this.flushing;
    if (this.counts.size === 0) return;
    const batch = this.counts;
    this.counts = new Map();
    this.flushing = this.write(batch)
      .catch((error: unknown) => {
        // Keep the counts (added to any counted meanwhile) for the next flush, within the memory bound.
        for (const [key, n] of batch) {
          if (this.counts.size < MAX_KEYS * 2 || this.counts.has(key)) {
            this.counts.set(key, (this.counts.get(key) ?? 0) + n);
          }
        }
        this.deps.log.warn({ err: error, keys: batch.size }, 'article views: flush failed, kept for later');
      })
      .finally(() => {
        this.flushing = undefined;
      });
    await this.flushing;
  }

  private async write(batch: Map<string, number>): Promise<void> {
    const rows = [...batch].map(([key, views]) => {
      const [articleId, day, source] = key.split('|') as [string, string, ViewSource];
      return { articleId, day, source, views };
    });
    const perArticle = new Map<string, number>();
    for (const row of rows) perArticle.set(row.articleId, (perArticle.get(row.articleId) ?? 0) + row.views);
    await withTransaction(this.deps.database, async (tx) => {
      // An article deleted since its view was counted is skipped (its row would break the foreign key).
      const existing = await tx
        .select({ id: articles.id })
        .from(articles)
        .where(inArray(articles.id, [...perArticle.keys()]));
      const alive = new Set(existing.map((row) => row.id));
      const kept = rows.filter((row) => alive.has(row.articleId));
      if (kept.length === 0) return;
      await tx
        .insert(articleViews)
        .values(kept)
        .onConflictDoUpdate({
          target: [articleViews.articleId, articleViews.day, articleViews.source],
          set: { views: sql`${articleViews.views} + excluded.views` },
        });
      for (const [articleId, views] of perArticle) {
        if (!alive.has(articleId)) continue;
        await tx
          .update(articles)
          .set({ viewCount: sql`${articles.viewCount} + ${views}` })
          .where(eq(articles.id, articleId));
      }
    });
  }
}

const counters = new WeakMap<object, ViewCounter>();

function counterOf(deps: Deps): ViewCounter {
  let counter = counters.get(deps.database);
  if (!counter) {
    counter = new ViewCounter(deps);
    counters.set(deps.database, counter);
  }
  return counter;
}

/** Counts one view of an article; written to the database within a few seconds (or on stop). */
export function recordArticleView(deps: Deps, articleId: string, source: ViewSource): void {
  counterOf(deps).add(articleId, source);
}

/** Writes the views counted so far (on stop, and in tests). */
export function flushArticleViews(deps: Deps): Promise<void> {
  return counters.get(deps.database)?.flush() ?? Promise.resolve();
}

export interface VoteInput {
  articleId: string;
  helpful: boolean;
  comment?: string;
  source: ViewSource;
  /** Who voted (a hash of the browser's cookie or the user id): their second vote replaces the first. */
  voterKey: string;
}

/**
 * "Was this helpful?": one vote per voter and article, a second replaces the first; the article's
 * `helpful_count` / `not_helpful_count` change in the same transaction.
 */
export async function recordArticleVote(
  deps: Deps,
  input: VoteInput,
): Promise<{ helpfulCount: number; notHelpfulCount: number }> {
  const comment = (input.comment ?? '').trim().slice(0, 2000);
  return withTransaction(deps.database, async (tx) => {
    const [article] = await tx
      .select({ id: articles.id })
      .from(articles)
      .where(eq(articles.id, input.articleId))
      .for('update');
    if (!article) throw notFound('article', input.articleId);
    const [previous] = await tx
      .select({ helpful: articleVotes.helpful })
      .from(articleVotes)
      .where(and(eq(articleVotes.articleId, input.articleId), eq(articleVotes.voterKey, input.voterKey)));
    await tx
      .insert(articleVotes)
      .values({
        articleId: input.articleId,
        helpful: input.helpful,
        comment,
        source: input.source,
        voterKey: input.voterKey,
        createdAt: deps.now(),
      })
      .onConflictDoUpdate({
        target: [articleVotes.articleId, articleVotes.voterKey],
        set: { helpful: input.helpful, comment, source: input.source, createdAt: deps.now() },
      });
    const delta = (helpful: boolean) =>
      (input.helpful === helpful ? 1 : 0) - (previous && previous.helpful === helpful ? 1 : 0);
    const [counts] = await tx
      .update(articles)
      .set({
        helpfulCount: sql`${articles.helpfulCount} + ${delta(true)}`,
        notHelpfulCount: sql`${articles.notHelpfulCount} + ${delta(false)}`,
      })
      .where(eq(articles.id, input.articleId))
      .returning({ helpfulCount: articles.helpfulCount, notHelpfulCount: articles.notHelpfulCount });
    return counts!;
  });
}
