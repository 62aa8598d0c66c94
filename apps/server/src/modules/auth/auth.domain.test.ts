import { describe, expect, it } from 'vitest';
import { afterFailedLogin, hashSecret, isSecretOfKind, newSecret, secondsLocked } from './auth.domain';

const policy = { maxFailures: 3, lockMinutes: 10 };
const t0 = new Date('2026-01-05T09:00:00Z');
const minutes = (n: number) => new Date(t0.getTime() + n * 60_000);

describe('login throttle', () => {
  it('counts the first failure without locking', () => {
    expect(afterFailedLogin(undefined, t0, policy)).toEqual({
      failures: 1,
      windowStartedAt: t0,
      lockedUntil: null,
    });
  });

  it('locks for lockMinutes when failures reach the maximum', () => {
    let state = afterFailedLogin(undefined, t0, policy);
    state = afterFailedLogin(state, minutes(1), policy);
    state = afterFailedLogin(state, minutes(2), policy);
    expect(state.failures).toBe(3);
    expect(state.lockedUntil).toEqual(minutes(12));
    expect(secondsLocked(state, minutes(2))).toBe(600);
    expect(secondsLocked(state, minutes(12))).toBe(0);
  });

  it('starts a new window once the old one is older than the lock time', () => {
    let state = afterFailedLogin(undefined, t0, policy);
    state = afterFailedLogin(state, minutes(1), policy);
    state = afterFailedLogin(state, minutes(11), policy);
    expect(state).toEqual({ failures: 1, windowStartedAt: minutes(11), lockedUntil: null });
  });

  it('never locks an address without a throttle row', () => {
    expect(secondsLocked(undefined, t0)).toBe(0);
  });
});

describe('secrets', () => {
  it('prefixes each kind and recognises only its own', () => {
    const token = newSecret('api');
    expect(token.startsWith('kdt_')).toBe(true);
    expect(isSecretOfKind(token, 'api')).toBe(true);
    expect(isSecretOfKind(token, 'session')).toBe(false);
    expect(isSecretOfKind('kdt_short', 'api')).toBe(false);
  });

  it('hashes deterministically and differently for different secrets', () => {
    const a = newSecret('session');
    expect(hashSecret(a)).toBe(hashSecret(a));
    expect(hashSecret(a)).not.toBe(hashSecret(newSecret('session')));
    expect(hashSecret(a)).toMatch(/^[0-9a-f]{64}$/);
  });
});
