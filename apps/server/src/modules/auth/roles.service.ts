import {
  type BuiltInRoleKey,
  type CreateRoleBody,
  PERMISSIONS,
  type Role,
  type RoleList,
  type UpdateRoleBody,
} from '@keepdesk/contract';
import { count, eq } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import { type Executor, withTransaction } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { type Actor, recordChange } from '../../platform/events';
import { changingAccess } from './auth.cache';
import { DEFAULT_ROLE_PERMISSIONS, LOCKED_ROLE } from './auth.domain';
import { rolePermissions, roles, users } from './auth.tables';

/** Creates the built-in roles that do not exist yet; never overwrites what an admin changed. */
export async function ensureBuiltInRoles(deps: Pick<Deps, 'database'>): Promise<void> {
  await withTransaction(deps.database, async (tx) => {
    for (const [key, role] of Object.entries(DEFAULT_ROLE_PERMISSIONS) as [
      BuiltInRoleKey,
      (typeof DEFAULT_ROLE_PERMISSIONS)[BuiltInRoleKey],
    ][]) {
      const inserted = await tx
        .insert(roles)
        .values({ key, name: role.name, isBuiltIn: true })
        .onConflictDoNothing()
        .returning({ key: roles.key });
      if (inserted.length > 0 && role.permissions.length > 0) {
        await tx
          .insert(rolePermissions)
          .values(role.permissions.map((permission) => ({ roleKey: key, permission })));
      }
    }
    // The admin role always holds every permission, including ones added by a later release.
    await tx
      .insert(rolePermissions)
      .values(PERMISSIONS.map((permission) => ({ roleKey: LOCKED_ROLE, permission })))
      .onConflictDoNothing();
  });
}

async function loadRoles(executor: Executor, onlyKey?: string): Promise<Role[]> {
  const roleRows = await executor
    .select()
    .from(roles)
    .where(onlyKey ? eq(roles.key, onlyKey) : undefined)
    .orderBy(roles.createdAt, roles.key);
  const permissionRows = await executor.select().from(rolePermissions);
  const counts = await executor
    .select({ roleKey: users.roleKey, n: count() })
    .from(users)
    .groupBy(users.roleKey);
  return roleRows.map((role) => ({
    key: role.key,
    name: role.name,
    isBuiltIn: role.isBuiltIn,
    permissions: permissionRows
      .filter((p) => p.roleKey === role.key)
      .map((p) => p.permission)
      .sort(),
    userCount: Number(counts.find((c) => c.roleKey === role.key)?.n ?? 0),
  }));
}

export async function listRoles(deps: Deps): Promise<RoleList> {
  return { items: await loadRoles(deps.database.db), permissions: [...PERMISSIONS] };
}

export async function createRole(deps: Deps, actor: Actor, input: CreateRoleBody): Promise<Role> {
  return withTransaction(deps.database, async (tx) => {
    const inserted = await tx
      .insert(roles)
      .values({ key: input.key, name: input.name, isBuiltIn: false })
      .onConflictDoNothing()
      .returning();
    if (inserted.length === 0) {
      throw new AppError('CONFLICT', {
        message: `role ${input.key} exists`,
        errors: [{ field: 'key', message: 'already in use' }],
      });
    }
    const permissions = [...new Set(input.permissions)];
    if (permissions.length > 0) {
      await tx
        .insert(rolePermissions)
        .values(permissions.map((permission) => ({ roleKey: input.key, permission })));
    }
    await recordChange(tx, actor, {
      action: 'role.created',
      entityType: 'role',
      entityId: input.key,
      data: { permissions },
    });
    const [role] = await loadRoles(tx, input.key);
    return role!;
  });
}

/** Renames a role or replaces its permissions. The admin role cannot be changed. */
export async function updateRole(
  deps: Deps,
  actor: Actor,
  key: string,
  input: UpdateRoleBody,
): Promise<Role> {
  return changingAccess(deps, async (tx) => {
    const [before] = await loadRoles(tx, key);
    if (!before) throw notFound('role', key);
    if (key === LOCKED_ROLE)
      throw new AppError('ROLE_READ_ONLY', { message: 'the admin role always has every permission' });
    if (input.name !== undefined) await tx.update(roles).set({ name: input.name }).where(eq(roles.key, key));
    if (input.permissions !== undefined) {
      await tx.delete(rolePermissions).where(eq(rolePermissions.roleKey, key));
      const permissions = [...new Set(input.permissions)];
      if (permissions.length > 0) {
        await tx
          .insert(rolePermissions)
          .values(permissions.map((permission) => ({ roleKey: key, permission })));
      }
    }
    const [after] = await loadRoles(tx, key);
    await recordChange(tx, actor, {
      action: 'role.updated',
      entityType: 'role',
      entityId: key,
      data: {
        name: { from: before.name, to: after!.name },
        permissions: { from: before.permissions, to: after!.permissions },
      },
    });
    return after!;
  });
}
