import type { KbAcknowledgementList, KbPendingPolicyList } from '@keepdesk/contract';
import { and, asc, eq, isNotNull, sql } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import { withTransaction } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { type Actor, recordChange } from '../../platform/events';
import { users } from '../auth';
import { loadArticleRow } from './article-reads.service';
import { acknowledgements, articles } from './knowledge.tables';

/**
 * The signed-in user has read `version` of a policy. Only the version agents are currently asked to
 * acknowledge counts (409 otherwise: the page they read is out of date). Saying it twice changes nothing.
 */
export async function acknowledgePolicy(
  deps: Deps,
  actor: Actor & { userId: string },
  id: string,
  version: number,
): Promise<{ version: number; acknowledgedAt: string }> {
  return withTransaction(deps.database, async (tx) => {
    const now = deps.now();
    const policy = await loadArticleRow(tx, id);
    if (policy.kind !== 'policy' || policy.status !== 'published' || policy.acknowledgeVersion === null) {
      throw notFound('published policy', id);
    }
    if (version !== policy.acknowledgeVersion) {
      throw new AppError('CONFLICT', {
        message: `version ${policy.acknowledgeVersion} is the one to acknowledge, not ${version}`,
        errors: [{ field: 'version', message: `the current version is ${policy.acknowledgeVersion}` }],
      });
    }
    const [inserted] = await tx
      .insert(acknowledgements)
      .values({ articleId: id, version, userId: actor.userId, acknowledgedAt: now })
      .onConflictDoNothing()
      .returning();
    if (inserted) {
      await recordChange(tx, actor, {
        action: 'kb_policy.acknowledged',
        entityType: 'kb_article',
        entityId: id,
        data: { version },
      });
      return { version, acknowledgedAt: now.toISOString() };
    }
    const [existing] = await tx
      .select({ at: acknowledgements.acknowledgedAt })
      .from(acknowledgements)
      .where(
        and(
          eq(acknowledgements.articleId, id),
          eq(acknowledgements.version, version),
          eq(acknowledgements.userId, actor.userId),
        ),
      );
    return { version, acknowledgedAt: existing!.at.toISOString() };
  });
}

/** Published policies the user has not acknowledged at their current version, oldest first. */
export async function pendingPolicies(deps: Deps, userId: string): Promise<KbPendingPolicyList> {
  const rows = await deps.database.db
    .select({
      id: articles.id,
      number: articles.number,
      title: articles.title,
      language: articles.language,
      acknowledgeVersion: articles.acknowledgeVersion,
      publishedAt: articles.publishedAt,
    })
    .from(articles)
    .where(
      and(
        eq(articles.kind, 'policy'),
        eq(articles.status, 'published'),
        isNotNull(articles.acknowledgeVersion),
        sql`not exists (select 1 from ${acknowledgements} a where a.article_id = ${articles.id}
          and a.version = ${articles.acknowledgeVersion} and a.user_id = ${userId})`,
      ),
    )
    .orderBy(asc(articles.publishedAt), asc(articles.id))
    .limit(100);
  return {
    items: rows.map((row) => ({
      ...row,
      acknowledgeVersion: row.acknowledgeVersion!,
      publishedAt: row.publishedAt?.toISOString() ?? null,
    })),
  };
}

/** Every active agent (who may work tickets) and whether they acknowledged the policy's current version. */
export async function policyAcknowledgements(deps: Deps, id: string): Promise<KbAcknowledgementList> {
  const db = deps.database.db;
  const policy = await loadArticleRow(db, id);
  if (policy.kind !== 'policy') throw notFound('policy', id);
  const version = policy.acknowledgeVersion;
  const rows = await db
    .select({ id: users.id, name: users.name, at: acknowledgements.acknowledgedAt })
    .from(users)
    .leftJoin(
      acknowledgements,
      and(
        eq(acknowledgements.userId, users.id),
        eq(acknowledgements.articleId, id),
        eq(acknowledgements.version, version ?? -1),
      ),
    )
    .where(
      and(
        eq(users.isActive, true),
        sql`exists (select 1 from role_permissions rp where rp.role_key = ${users.roleKey}
          and rp.permission = 'tickets:write')`,
      ),
    )
    .orderBy(asc(users.name), asc(users.id));
  return {
    version,
    items: rows.map((row) => ({
      user: { id: row.id, name: row.name },
      acknowledged: row.at !== null,
      acknowledgedAt: row.at?.toISOString() ?? null,
    })),
  };
}
