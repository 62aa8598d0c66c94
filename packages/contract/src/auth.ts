import { z } from 'zod';
import { Language, pageOf, TimeZone } from './common';

export const ROLE_KEYS = [
  'admin',
  'manager',
  'team_lead',
  'agent',
  'retention_specialist',
  'collaborator',
] as const;
export const BuiltInRoleKey = z.enum(ROLE_KEYS);
export type BuiltInRoleKey = z.infer<typeof BuiltInRoleKey>;

/** Every permission that a route can require. Roles map to subsets of these (stored as data). */
export const PERMISSIONS = [
  'users:read',
  'users:manage',
  'teams:read',
  'teams:manage',
  'roles:manage',
  'tokens:create',
  'tokens:manage-all',
  'audit:read',
  'customers:read',
  'customers:write',
  'tickets:read',
  'tickets:write',
  'tickets:admin',
  'reports:read',
  'reports:manage',
  'retention:manage',
  'kb:read',
  'kb:write',
  'kb:publish',
] as const;
export const Permission = z.enum(PERMISSIONS);
export type Permission = z.infer<typeof Permission>;

export const RoleKey = z
  .string()
  .regex(/^[a-z][a-z0-9_]{1,39}$/, 'lower-case letters, digits and _; 2 to 40 characters');

export const Email = z.string().trim().toLowerCase().pipe(z.email().max(254));
export const Password = z.string().min(10, 'at least 10 characters').max(200);

export const User = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    role: z.string(),
    language: Language,
    timeZone: z.string(),
    avatarUrl: z.string().nullable(),
    isActive: z.boolean(),
    createdAt: z.iso.datetime(),
    lastLoginAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'User' });
export type User = z.infer<typeof User>;
export const UserPage = pageOf(User);
export type UserPage = z.infer<typeof UserPage>;

export const Me = z
  .object({ user: User, permissions: z.array(z.string()), csrfToken: z.string().nullable() })
  .meta({ id: 'Me' });
export type Me = z.infer<typeof Me>;

export const LoginBody = z.object({ email: Email, password: z.string().min(1).max(200) });
export type LoginBody = z.infer<typeof LoginBody>;

export const PasswordResetRequestBody = z.object({ email: Email });
export const PasswordResetConfirmBody = z.object({ token: z.string().min(10).max(200), password: Password });
export type PasswordResetConfirmBody = z.infer<typeof PasswordResetConfirmBody>;

export const UpdateMeBody = z.object({
  name: z.string().trim().min(1).max(120).optional(),
  language: Language.optional(),
  timeZone: TimeZone.optional(),
  avatarUrl: z.url().max(500).nullable().optional(),
});
export type UpdateMeBody = z.infer<typeof UpdateMeBody>;

export const CreateUserBody = z.object({
  email: Email,
  name: z.string().trim().min(1).max(120),
  role: RoleKey,
  language: Language.default('en'),
  timeZone: TimeZone.default('Europe/Berlin'),
  password: Password.optional().meta({ description: 'Without one, the user is e-mailed a link to set it' }),
});
export type CreateUserBody = z.infer<typeof CreateUserBody>;

export const UpdateUserBody = z.object({
  name: z.string().trim().min(1).max(120).optional(),
  role: RoleKey.optional(),
  language: Language.optional(),
  timeZone: TimeZone.optional(),
  isActive: z.boolean().optional(),
});
export type UpdateUserBody = z.infer<typeof UpdateUserBody>;

export const Role = z
  .object({
    key: z.string(),
    name: z.string(),
    isBuiltIn: z.boolean(),
    permissions: z.array(z.string()),
    userCount: z.number().int(),
  })
  .meta({ id: 'Role' });
export type Role = z.infer<typeof Role>;
export const RoleList = z.object({ items: z.array(Role), permissions: z.array(Permission) });
export type RoleList = z.infer<typeof RoleList>;
export const CreateRoleBody = z.object({
  key: RoleKey,
  name: z.string().trim().min(1).max(80),
  permissions: z.array(Permission),
});
export type CreateRoleBody = z.infer<typeof CreateRoleBody>;
export const UpdateRoleBody = z.object({
  name: z.string().trim().min(1).max(80).optional(),
  permissions: z.array(Permission).optional(),
});
export type UpdateRoleBody = z.infer<typeof UpdateRoleBody>;
export const RoleKeyParams = z.object({ key: RoleKey });

export const ApiToken = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string().meta({ description: 'First characters of the token, to recognise it' }),
    userId: z.uuid(),
    userEmail: z.string(),
    createdAt: z.iso.datetime(),
    lastUsedAt: z.iso.datetime().nullable(),
    expiresAt: z.iso.datetime().nullable(),
    revokedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'ApiToken' });
export type ApiToken = z.infer<typeof ApiToken>;
export const ApiTokenList = z.object({ items: z.array(ApiToken) });
export const CreateApiTokenBody = z.object({
  name: z.string().trim().min(1).max(80),
  expiresAt: z.iso.datetime().optional(),
});
export type CreateApiTokenBody = z.infer<typeof CreateApiTokenBody>;
export const CreatedApiToken = ApiToken.extend({
  token: z.string().meta({ description: 'Shown once; only its hash is stored' }),
});
export type CreatedApiToken = z.infer<typeof CreatedApiToken>;
