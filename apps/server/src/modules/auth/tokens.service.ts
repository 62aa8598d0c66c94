import type { ApiToken, CreateApiTokenBody, CreatedApiToken } from '@keepdesk/contract';
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import { withTransaction } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { type Actor, recordChange } from '../../platform/events';
import { changingAccess } from './auth.cache';
import { hashSecret, newSecret } from './auth.domain';
import { apiTokens, users } from './auth.tables';

type TokenRow = typeof apiTokens.$inferSelect & { userEmail: string };

function presentToken(row: TokenRow): ApiToken {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    userId: row.userId,
    userEmail: row.userEmail,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

/** Creates an API token for `userId`; the plaintext is returned once and only its hash is stored. */
export async function createApiToken(
  deps: Deps,
  actor: Actor,
  userId: string,
  input: CreateApiTokenBody,
): Promise<CreatedApiToken> {
  const token = newSecret('api');
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
  if (expiresAt && expiresAt <= deps.now()) {
    throw new AppError('VALIDATION_FAILED', {
      message: 'expiry lies in the past',
      errors: [{ field: 'expiresAt', message: 'must be in the future' }],
    });
  }
  return withTransaction(deps.database, async (tx) => {
    const [owner] = await tx.select({ email: users.email }).from(users).where(eq(users.id, userId));
    if (!owner) throw notFound('user', userId);
    const [row] = await tx
      .insert(apiTokens)
      .values({
        userId,
        name: input.name,
        tokenHash: hashSecret(token),
        prefix: token.slice(0, 10),
        expiresAt,
      })
      .returning();
    if (!row) throw new Error('insert returned no row');
    await recordChange(tx, actor, {
      action: 'api_token.created',
      entityType: 'api_token',
      entityId: row.id,
      data: { name: row.name, userId, prefix: row.prefix },
    });
    return { ...presentToken({ ...row, userEmail: owner.email }), token };
  });
}

/** The tokens of one user, or of everybody when `ownerId` is null. Newest first. */
export async function listApiTokens(deps: Deps, ownerId: string | null): Promise<{ items: ApiToken[] }> {
  const rows = await deps.database.db
    .select({ token: apiTokens, userEmail: users.email })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(ownerId ? eq(apiTokens.userId, ownerId) : undefined)
    .orderBy(desc(apiTokens.createdAt))
    .limit(500);
  return { items: rows.map((r) => presentToken({ ...r.token, userEmail: r.userEmail })) };
}

/** Revokes a token at once. `ownerId` limits the revocation to that user's tokens. */
export async function revokeApiToken(
  deps: Deps,
  actor: Actor,
  id: string,
  ownerId: string | null,
): Promise<void> {
  await changingAccess(deps, async (tx) => {
    const [row] = await tx
      .update(apiTokens)
      .set({ revokedAt: deps.now() })
      .where(
        and(
          eq(apiTokens.id, id),
          ownerId ? eq(apiTokens.userId, ownerId) : undefined,
          isNull(apiTokens.revokedAt),
        ),
      )
      .returning();
    if (!row) throw notFound('api token', id);
    await recordChange(tx, actor, {
      action: 'api_token.revoked',
      entityType: 'api_token',
      entityId: id,
      data: { name: row.name },
    });
  });
}
