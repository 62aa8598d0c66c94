import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limit';

const limit = { max: 3, timeWindow: 60_000 };

describe('RateLimiter', () => {
  it('allows max requests per window, then refuses until the window starts over', () => {
    const limiter = new RateLimiter();
    expect([1, 2, 3].map(() => limiter.hit('a', limit, 1_000).allowed)).toEqual([true, true, true]);
    const refused = limiter.hit('a', limit, 2_000);
    expect(refused).toEqual({ allowed: false, remaining: 0, resetInMs: 59_000 });
    expect(limiter.hit('a', limit, 61_000)).toEqual({ allowed: true, remaining: 2, resetInMs: 60_000 });
  });

  it('counts each client and group on its own', () => {
    const limiter = new RateLimiter();
    for (let i = 0; i < 3; i++) limiter.hit('a', limit, 0);
    expect(limiter.hit('b', limit, 0).allowed).toBe(true);
    expect(limiter.hit('a', limit, 0).allowed).toBe(false);
  });

  it('forgets clients whose window is over', () => {
    const limiter = new RateLimiter();
    limiter.hit('a', limit, 0);
    limiter.hit('b', limit, 0);
    expect(limiter.size).toBe(2);
    limiter.hit('c', limit, 120_000);
    expect(limiter.size).toBe(1);
  });
});
