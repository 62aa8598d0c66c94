/** Pure rules of pending revisions (ADR 0045): who hears of a new proposal. */

/** Up to this many publishers in the workspace, all of them hear of a proposal nobody in particular owns. */
export const FEW_PUBLISHERS = 5;

/**
 * Who is told that a change to a published article was proposed: its owner when they may publish, else the
 * user who last published it (or approved a change to it) when they still may, else every publisher when there
 * are at most `FEW_PUBLISHERS` of them, else nobody (the "Change pending" filter finds it). `publishers`: which
 * of the owner and the last publisher may publish now; `allPublishers`: active publishers, read up to one more.
 */
export function proposalRecipients(
  article: { ownerId: string | null; lastPublisherId: string | null },
  publishers: ReadonlySet<string>,
  allPublishers: readonly string[],
): string[] {
  if (article.ownerId && publishers.has(article.ownerId)) return [article.ownerId];
  if (article.lastPublisherId && publishers.has(article.lastPublisherId)) return [article.lastPublisherId];
  return allPublishers.length <= FEW_PUBLISHERS ? [...allPublishers] : [];
}
