import type { User } from '@keepdesk/contract';
import { describe, expect, it } from 'vitest';
import type { Principal } from '../../platform/http';
import { AuthCache, cacheExpiry } from './auth.cache';

const principal: Principal = { userId: 'u1', via: 'token', permissions: ['users:read'], language: 'en' };
const user = { id: 'u1', name: 'Ada' } as User;

describe('AuthCache', () => {
  it('answers from memory until an entry expires', () => {
    const cache = new AuthCache();
    cache.storePrincipal('h1', principal, 1_000, cache.generation);
    expect(cache.principal('h1', 999)).toBe(principal);
    expect(cache.principal('h1', 1_000)).toBeUndefined();
    expect(cache.principal('h1', 0)).toBeUndefined();
  });

  it('forgets everything on clear', () => {
    const cache = new AuthCache();
    cache.storePrincipal('h1', principal, 10_000, cache.generation);
    cache.storeUser(user, 0, cache.generation);
    cache.clear();
    expect(cache.principal('h1', 1)).toBeUndefined();
    expect(cache.user('u1', 1)).toBeUndefined();
  });

  it('drops an answer looked up before a change that cleared the cache', () => {
    const cache = new AuthCache();
    const before = cache.generation;
    cache.clear();
    cache.storePrincipal('h1', principal, 10_000, before);
    cache.storeUser(user, 0, before);
    expect(cache.principal('h1', 1)).toBeUndefined();
    expect(cache.user('u1', 1)).toBeUndefined();
  });

  it('keeps a token no longer than it is valid, and a valid one ten seconds at most', () => {
    expect(cacheExpiry(1_000, null)).toBe(11_000);
    expect(cacheExpiry(1_000, new Date(5_000))).toBe(5_000);
  });
});
