import { createHash, randomBytes } from 'node:crypto';
import { type BuiltInRoleKey, PERMISSIONS, type Permission } from '@keepdesk/contract';

const WORK = [
  'customers:read',
  'customers:write',
  'tickets:read',
  'tickets:write',
  'kb:read',
  'kb:write',
] as const;

/** What each built-in role may do when a workspace is created. Admins may change all but `admin`. */
export const DEFAULT_ROLE_PERMISSIONS: Record<BuiltInRoleKey, { name: string; permissions: Permission[] }> = {
  admin: { name: 'Admin', permissions: [...PERMISSIONS] },
  manager: {
    name: 'Service manager',
    permissions: [
      'users:read',
      'teams:read',
      'teams:manage',
      'tokens:create',
      'audit:read',
      ...WORK,
      'tickets:admin',
      'reports:read',
      'reports:manage',
      'retention:manage',
      'kb:publish',
    ],
  },
  team_lead: {
    name: 'Team lead',
    permissions: ['users:read', 'teams:read', 'tokens:create', ...WORK, 'reports:read', 'kb:publish'],
  },
  agent: { name: 'Agent', permissions: ['users:read', 'teams:read', 'tokens:create', ...WORK] },
  retention_specialist: {
    name: 'Retention specialist',
    permissions: [
      'users:read',
      'teams:read',
      'tokens:create',
      'customers:read',
      'customers:write',
      'tickets:read',
      'reports:read',
      'retention:manage',
      'kb:read',
    ],
  },
  collaborator: {
    name: 'Collaborator',
    permissions: ['teams:read', 'customers:read', 'tickets:read', 'kb:read'],
  },
};

/** The admin role always holds every permission, so a workspace can never lock itself out. */
export const LOCKED_ROLE = 'admin';

export interface ThrottleState {
  failures: number;
  windowStartedAt: Date;
  lockedUntil: Date | null;
}

export interface ThrottlePolicy {
  maxFailures: number;
  lockMinutes: number;
}

/** Seconds until the address may try again, or 0 when it may try now. */
export function secondsLocked(state: ThrottleState | undefined, now: Date): number {
  if (!state?.lockedUntil) return 0;
  return Math.max(0, Math.ceil((state.lockedUntil.getTime() - now.getTime()) / 1000));
}

/**
 * The state after one more failed login: failures count within a window as long as the lock; reaching
 * `maxFailures` locks the address for `lockMinutes`, whether or not it belongs to a user.
 */
export function afterFailedLogin(
  state: ThrottleState | undefined,
  now: Date,
  policy: ThrottlePolicy,
): ThrottleState {
  const windowMs = policy.lockMinutes * 60_000;
  const isWindowOpen = state !== undefined && now.getTime() - state.windowStartedAt.getTime() < windowMs;
  const failures = isWindowOpen ? state.failures + 1 : 1;
  const windowStartedAt = isWindowOpen ? state.windowStartedAt : now;
  const lockedUntil = failures >= policy.maxFailures ? new Date(now.getTime() + windowMs) : null;
  return { failures, windowStartedAt, lockedUntil };
}

export type SecretKind = 'session' | 'api' | 'reset';
const SECRET_PREFIX: Record<SecretKind, string> = { session: 'kds_', api: 'kdt_', reset: 'kdr_' };

/** A random secret (256 bits) with a prefix that tells what it is when it turns up in a log or a paste. */
export function newSecret(kind: SecretKind): string {
  return SECRET_PREFIX[kind] + randomBytes(32).toString('base64url');
}

/** Secrets are high-entropy, so a fast hash is safe to store and cheap to check on every request. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function isSecretOfKind(value: string, kind: SecretKind): boolean {
  return value.startsWith(SECRET_PREFIX[kind]) && value.length >= 40 && value.length <= 100;
}
