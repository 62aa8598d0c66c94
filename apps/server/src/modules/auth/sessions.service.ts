import type { LoginBody, Me } from '@keepdesk/contract';
import { verify } from '@node-rs/argon2';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import { withTransaction } from '../../platform/db';
import { AppError } from '../../platform/errors';
import { type Actor, recordChange, SYSTEM_ACTOR } from '../../platform/events';
import type { Principal } from '../../platform/http';
import { endAccess } from './access.service';
import { authCacheOf, cacheExpiry, changingAccess } from './auth.cache';
import { afterFailedLogin, hashSecret, isSecretOfKind, newSecret, secondsLocked } from './auth.domain';
import { presentUser } from './auth.present';
import { loginThrottle, passwordResetTokens, sessions, users } from './auth.tables';
import { ARGON2_OPTIONS, findUserByEmail, hashPassword } from './users.service';

export const SESSION_COOKIE = 'kd_session';

/** Verifying against this keeps an unknown e-mail as slow as a wrong password (no timing oracle). */
let decoyHash: Promise<string> | undefined;

export interface LoginResult {
  sessionToken: string;
  expiresAt: Date;
  me: Me;
}

/**
 * Signs a user in. Wrong password, unknown e-mail and deactivated user all give the same INVALID_CREDENTIALS;
 * after too many failures for an address, every attempt gets LOGIN_LOCKED until the lock expires.
 */
export async function login(
  deps: Deps,
  input: LoginBody,
  client: { ip: string; userAgent?: string; requestId?: string },
): Promise<LoginResult> {
  const now = deps.now();
  const key = input.email.toLowerCase();
  const [throttle] = await deps.database.db.select().from(loginThrottle).where(eq(loginThrottle.key, key));
  const wait = secondsLocked(throttle, now);
  if (wait > 0)
    throw new AppError('LOGIN_LOCKED', { message: 'too many failed logins', retryAfterSeconds: wait });

  const user = await findUserByEmail(deps.database.db, key);
  decoyHash ??= hashPassword(newSecret('reset'));
  const storedHash = user?.passwordHash ?? (await decoyHash);
  const isPasswordRight = await verify(storedHash, input.password, ARGON2_OPTIONS).catch(() => false);
  if (!user?.isActive || !user.passwordHash || !isPasswordRight) {
    const next = afterFailedLogin(throttle, now, {
      maxFailures: deps.config.loginMaxFailures,
      lockMinutes: deps.config.loginLockMinutes,
    });
    await deps.database.db
      .insert(loginThrottle)
      .values({ key, ...next })
      .onConflictDoUpdate({ target: loginThrottle.key, set: next });
    throw new AppError('INVALID_CREDENTIALS', { message: 'e-mail or password is wrong' });
  }

  const sessionToken = newSecret('session');
  const csrfToken = newSecret('session');
  const expiresAt = new Date(now.getTime() + deps.config.sessionHours * 3_600_000);
  const actor: Actor = { kind: 'user', userId: user.id, requestId: client.requestId };
  await withTransaction(deps.database, async (tx) => {
    await tx.delete(loginThrottle).where(eq(loginThrottle.key, key));
    await tx.insert(sessions).values({
      id: hashSecret(sessionToken),
      userId: user.id,
      csrfToken,
      expiresAt,
      ip: client.ip,
      userAgent: client.userAgent?.slice(0, 300) ?? null,
    });
    await tx.update(users).set({ lastLoginAt: now }).where(eq(users.id, user.id));
    await recordChange(tx, actor, {
      action: 'user.logged_in',
      entityType: 'user',
      entityId: user.id,
      data: { ip: client.ip },
    });
  });
  const permissions = await permissionsOf(deps, user.roleKey);
  return {
    sessionToken,
    expiresAt,
    me: { user: presentUser({ ...user, lastLoginAt: now }), permissions, csrfToken },
  };
}

/** Ends the session; when it was the user's last one, their access ends (they go offline). */
export async function logout(deps: Deps, principal: Principal): Promise<void> {
  if (!principal.sessionId) return;
  const sessionId = principal.sessionId;
  await withTransaction(deps.database, async (tx) => {
    await tx.delete(sessions).where(eq(sessions.id, sessionId));
    const [other] = await tx
      .select({ id: sessions.id })
      .from(sessions)
      .where(and(eq(sessions.userId, principal.userId), gt(sessions.expiresAt, sql`now()`)))
      .limit(1);
    if (!other) await endAccess(tx, principal.userId, deps.now());
    await recordChange(
      tx,
      { kind: 'user', userId: principal.userId },
      {
        action: 'user.logged_out',
        entityType: 'user',
        entityId: principal.userId,
      },
    );
  });
}

async function permissionsOf(deps: Deps, roleKey: string): Promise<string[]> {
  const { rows } = await deps.database.query(
    'select permission from role_permissions where role_key = $1 order by permission',
    [roleKey],
  );
  return rows.map((r) => String(r.permission));
}

/** Resolves the session cookie value to its user, in one round trip; null when unknown or expired. */
export async function authenticateSession(deps: Deps, sessionToken: string): Promise<Principal | null> {
  if (!isSecretOfKind(sessionToken, 'session')) return null;
  const { rows } = await deps.database.query(
    `select s.id as session_id, s.csrf_token, u.id as user_id, u.language,
            coalesce(array(select permission from role_permissions rp where rp.role_key = u.role_key), '{}') as permissions
       from sessions s join users u on u.id = s.user_id
      where s.id = $1 and s.expires_at > now() and u.is_active`,
    [hashSecret(sessionToken)],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    userId: String(row.user_id),
    via: 'session',
    permissions: row.permissions as string[],
    language: row.language === 'de' ? 'de' : 'en',
    sessionId: String(row.session_id),
    csrfToken: String(row.csrf_token),
  };
}

/** Resolves a bearer token; marks it used at most once a minute so reads stay reads. */
/** The principal of an API token; recently seen tokens come from the cache without a query. */
export async function authenticateToken(deps: Deps, token: string): Promise<Principal | null> {
  if (!isSecretOfKind(token, 'api')) return null;
  const tokenHash = hashSecret(token);
  const cache = authCacheOf(deps.database);
  const now = Date.now();
  const cached = cache.principal(tokenHash, now);
  if (cached) return cached;
  const generation = cache.generation;
  const { rows } = await deps.database.query(
    `with t as (
       select t.id, t.expires_at, u.id as user_id, u.language, u.role_key
         from api_tokens t join users u on u.id = t.user_id
        where t.token_hash = $1 and t.revoked_at is null and (t.expires_at is null or t.expires_at > now()) and u.is_active),
     touched as (
       update api_tokens set last_used_at = now()
        where id = (select id from t) and (last_used_at is null or last_used_at < now() - interval '1 minute'))
     select t.user_id, t.language, t.expires_at,
            coalesce(array(select permission from role_permissions rp where rp.role_key = t.role_key), '{}') as permissions
       from t`,
    [tokenHash],
  );
  const row = rows[0];
  if (!row) return null;
  const principal: Principal = {
    userId: String(row.user_id),
    via: 'token',
    permissions: row.permissions as string[],
    language: row.language === 'de' ? 'de' : 'en',
  };
  const expiresAt = row.expires_at ? new Date(row.expires_at as string) : null;
  cache.storePrincipal(tokenHash, principal, cacheExpiry(now, expiresAt), generation);
  return principal;
}

export async function getMe(deps: Deps, principal: Principal): Promise<Me> {
  const cache = authCacheOf(deps.database);
  const now = Date.now();
  let user = cache.user(principal.userId, now);
  if (!user) {
    const generation = cache.generation;
    const [row] = await deps.database.db.select().from(users).where(eq(users.id, principal.userId));
    if (!row) throw new AppError('UNAUTHENTICATED', { message: 'user no longer exists' });
    user = presentUser(row);
    cache.storeUser(user, now, generation);
  }
  return {
    user,
    permissions: [...principal.permissions],
    csrfToken: principal.csrfToken ?? null,
  };
}

/** Records the request; the e-mail with the link goes out from a job after commit. Silent for unknown e-mails. */
export async function requestPasswordReset(deps: Deps, email: string, requestId?: string): Promise<void> {
  const user = await findUserByEmail(deps.database.db, email);
  if (!user?.isActive) return;
  await withTransaction(deps.database, async (tx) => {
    await recordChange(
      tx,
      { ...SYSTEM_ACTOR, requestId },
      {
        action: 'user.password_reset_requested',
        entityType: 'user',
        entityId: user.id,
      },
    );
  });
}

export const RESET_TOKEN_HOURS = 2;

/** Creates a single-use reset token; earlier unused tokens of the user stop working. */
export async function issuePasswordResetToken(deps: Deps, userId: string): Promise<string> {
  const token = newSecret('reset');
  const now = deps.now();
  await withTransaction(deps.database, async (tx) => {
    await tx
      .update(passwordResetTokens)
      .set({ usedAt: now })
      .where(and(eq(passwordResetTokens.userId, userId), isNull(passwordResetTokens.usedAt)));
    await tx.insert(passwordResetTokens).values({
      tokenHash: hashSecret(token),
      userId,
      expiresAt: new Date(now.getTime() + RESET_TOKEN_HOURS * 3_600_000),
    });
  });
  return token;
}

/** Sets a new password with a reset token, uses the token up and signs the user out everywhere. */
export async function confirmPasswordReset(
  deps: Deps,
  token: string,
  password: string,
  requestId?: string,
): Promise<void> {
  const passwordHash = await hashPassword(password);
  const invalid = new AppError('RESET_TOKEN_INVALID', {
    message: 'reset link is invalid, used or expired',
    errors: [{ field: 'token', message: 'invalid, used or expired' }],
  });
  if (!isSecretOfKind(token, 'reset')) throw invalid;
  await changingAccess(deps, async (tx) => {
    const [used] = await tx
      .update(passwordResetTokens)
      .set({ usedAt: deps.now() })
      .where(
        and(
          eq(passwordResetTokens.tokenHash, hashSecret(token)),
          isNull(passwordResetTokens.usedAt),
          gt(passwordResetTokens.expiresAt, sql`now()`),
        ),
      )
      .returning({ userId: passwordResetTokens.userId });
    if (!used) throw invalid;
    await tx.update(users).set({ passwordHash, updatedAt: deps.now() }).where(eq(users.id, used.userId));
    await tx.delete(sessions).where(eq(sessions.userId, used.userId));
    await endAccess(tx, used.userId, deps.now());
    await recordChange(
      tx,
      { kind: 'user', userId: used.userId, requestId },
      {
        action: 'user.password_changed',
        entityType: 'user',
        entityId: used.userId,
      },
    );
  });
}
