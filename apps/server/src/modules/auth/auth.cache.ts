import type { User } from '@keepdesk/contract';
import type { Deps } from '../../platform/context';
import { type DatabaseHandle, type Tx, withTransaction } from '../../platform/db';
import type { Principal } from '../../platform/http';

/** The bus topic that tells every process to forget what it knows about who may do what. */
const AUTH_CHANGED = 'auth.changed';
const TTL_MS = 10_000;
const MAX_ENTRIES = 10_000;

interface Entry<T> {
  value: T;
  expiresAt: number;
}

/**
 * API-token principals and user profiles seen in the last seconds, so an integration polling the API costs no
 * database round trip per request. Any change to tokens, users or roles clears it in every process (at commit,
 * through the event bus); the short lifetime bounds staleness should a notification ever be missed.
 */
export class AuthCache {
  private readonly principals = new Map<string, Entry<Principal>>();
  private readonly users = new Map<string, Entry<User>>();
  /** Bumped by every clear, so a lookup that started before a change never stores its stale answer. */
  generation = 0;

  principal(tokenHash: string, now: number): Principal | undefined {
    return fresh(this.principals, tokenHash, now);
  }

  storePrincipal(tokenHash: string, principal: Principal, expiresAt: number, generation: number): void {
    if (generation === this.generation) store(this.principals, tokenHash, principal, expiresAt);
  }

  user(userId: string, now: number): User | undefined {
    return fresh(this.users, userId, now);
  }

  storeUser(user: User, now: number, generation: number): void {
    if (generation === this.generation) store(this.users, user.id, user, now + TTL_MS);
  }

  clear(): void {
    this.generation++;
    this.principals.clear();
    this.users.clear();
  }
}

function fresh<T>(map: Map<string, Entry<T>>, key: string, now: number): T | undefined {
  const entry = map.get(key);
  if (!entry) return undefined;
  if (entry.expiresAt > now) return entry.value;
  map.delete(key);
  return undefined;
}

function store<T>(map: Map<string, Entry<T>>, key: string, value: T, expiresAt: number): void {
  if (map.size >= MAX_ENTRIES) map.clear();
  map.set(key, { value, expiresAt });
}

export function cacheExpiry(now: number, tokenExpiresAt: Date | null): number {
  return Math.min(now + TTL_MS, tokenExpiresAt ? tokenExpiresAt.getTime() : Number.POSITIVE_INFINITY);
}

const caches = new WeakMap<DatabaseHandle, AuthCache>();

/** One cache per database a process uses (tests run several servers on one database). */
export function authCacheOf(database: DatabaseHandle): AuthCache {
  let cache = caches.get(database);
  if (!cache) {
    cache = new AuthCache();
    caches.set(database, cache);
  }
  return cache;
}

/**
 * A transaction that changes tokens, users or roles: at commit every process clears its cache (NOTIFY), and
 * this one at once, so the very next request sees the change.
 */
export async function changingAccess<T>(deps: Deps, work: (tx: Tx) => Promise<T>): Promise<T> {
  const result = await withTransaction(deps.database, async (tx) => {
    const value = await work(tx);
    await deps.bus.publish({ topic: AUTH_CHANGED, data: {} }, tx);
    return value;
  });
  authCacheOf(deps.database).clear();
  return result;
}

/** Clears this process's cache whenever another process changed access. */
export function watchAccessChanges(deps: Pick<Deps, 'bus' | 'database'>): () => void {
  return deps.bus.subscribe((message) => {
    if (message.topic === AUTH_CHANGED) authCacheOf(deps.database).clear();
  });
}
