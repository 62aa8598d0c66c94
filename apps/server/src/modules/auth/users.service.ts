import type {
  CreateUserBody,
  PageQuery,
  UpdateMeBody,
  UpdateUserBody,
  User,
  UserPage,
} from '@keepdesk/contract';
import { hash } from '@node-rs/argon2';
import { and, eq, gt, ilike, or, sql } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import { type Executor, withTransaction } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { type Actor, recordChange } from '../../platform/events';
import { decodeCursor, likePattern, toPage } from '../../platform/pagination';
import { endAccess } from './access.service';
import { changingAccess } from './auth.cache';
import { presentUser } from './auth.present';
import { roles, users } from './auth.tables';

/** argon2id with the OWASP minimum (19 MiB, 2 passes, 1 lane). */
export const ARGON2_OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

export async function findUserByEmail(executor: Executor, email: string) {
  const [row] = await executor
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = ${email.toLowerCase()}`);
  return row;
}

async function assertRoleExists(executor: Executor, roleKey: string): Promise<void> {
  const [role] = await executor.select({ key: roles.key }).from(roles).where(eq(roles.key, roleKey));
  if (!role) {
    throw new AppError('VALIDATION_FAILED', {
      message: `unknown role ${roleKey}`,
      errors: [{ field: 'role', message: 'unknown role' }],
    });
  }
}

/** Creates a user; without a password, an invitation e-mail with a link to set one goes out after commit. */
export async function createUser(deps: Deps, actor: Actor, input: CreateUserBody): Promise<User> {
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  return withTransaction(deps.database, async (tx) => {
    await assertRoleExists(tx, input.role);
    if (await findUserByEmail(tx, input.email)) {
      throw new AppError('EMAIL_TAKEN', {
        message: `a user with e-mail ${input.email} exists`,
        errors: [{ field: 'email', message: 'already in use' }],
      });
    }
    const [row] = await tx
      .insert(users)
      .values({
        email: input.email,
        name: input.name,
        roleKey: input.role,
        language: input.language,
        timeZone: input.timeZone,
        passwordHash,
      })
      .returning();
    if (!row) throw new Error('insert returned no row');
    await recordChange(tx, actor, {
      action: passwordHash ? 'user.created' : 'user.invited',
      entityType: 'user',
      entityId: row.id,
      data: { email: row.email, name: row.name, role: row.roleKey },
    });
    return presentUser(row);
  });
}

export async function getUser(deps: Deps, id: string): Promise<User> {
  const [row] = await deps.database.db.select().from(users).where(eq(users.id, id));
  if (!row) throw notFound('user', id);
  return presentUser(row);
}

/** Users by name, then id, with an optional search in name and e-mail. */
export async function listUsers(deps: Deps, query: PageQuery): Promise<UserPage> {
  const conditions = [];
  if (query.q) {
    const pattern = likePattern(query.q);
    conditions.push(or(ilike(users.name, pattern), ilike(users.email, pattern)));
  }
  if (query.cursor) {
    const [name, id] = decodeCursor(query.cursor, 2);
    conditions.push(
      or(gt(users.name, String(name)), and(eq(users.name, String(name)), gt(users.id, String(id)))),
    );
  }
  const rows = await deps.database.db
    .select()
    .from(users)
    .where(and(...conditions))
    .orderBy(users.name, users.id)
    .limit(query.limit + 1);
  return toPage(rows, query.limit, presentUser, (row) => [row.name, row.id]);
}

type UserChanges = UpdateUserBody & UpdateMeBody;

/** Changes a user's profile, role or status; each changed field is audited from → to. */
export async function updateUser(deps: Deps, actor: Actor, id: string, input: UserChanges): Promise<User> {
  return changingAccess(deps, async (tx) => {
    const [before] = await tx.select().from(users).where(eq(users.id, id)).for('update');
    if (!before) throw notFound('user', id);
    if (input.role !== undefined) await assertRoleExists(tx, input.role);
    const next = {
      name: input.name ?? before.name,
      roleKey: input.role ?? before.roleKey,
      language: input.language ?? before.language,
      timeZone: input.timeZone ?? before.timeZone,
      avatarUrl: input.avatarUrl !== undefined ? input.avatarUrl : before.avatarUrl,
      isActive: input.isActive ?? before.isActive,
    };
    const changed: Record<string, { from: unknown; to: unknown }> = {};
    for (const [key, value] of Object.entries(next)) {
      const old = before[key as keyof typeof next];
      if (old !== value) changed[key] = { from: old, to: value };
    }
    if (Object.keys(changed).length === 0) return presentUser(before);
    const [row] = await tx
      .update(users)
      .set({ ...next, updatedAt: deps.now() })
      .where(eq(users.id, id))
      .returning();
    if (!row) throw notFound('user', id);
    if (before.isActive && !row.isActive) await endAccess(tx, id, deps.now());
    await recordChange(tx, actor, {
      action: 'user.updated',
      entityType: 'user',
      entityId: id,
      data: changed,
    });
    return presentUser(row);
  });
}
