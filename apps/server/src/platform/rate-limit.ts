/** A limit: at most `max` requests per `timeWindow` milliseconds from one client. */
export interface RateLimit {
  max: number;
  timeWindow: number;
}

export interface RateDecision {
  allowed: boolean;
  remaining: number;
  /** Milliseconds until the window starts over. */
  resetInMs: number;
}

/**
 * Fixed-window counters per client and limit group, in this process's memory: one map lookup per request.
 * Expired windows are swept once per window length, so memory follows the number of recent clients.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();
  private nextSweep = 0;

  hit(key: string, limit: RateLimit, now: number): RateDecision {
    if (now >= this.nextSweep) this.sweep(now, limit.timeWindow);
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + limit.timeWindow };
      this.windows.set(key, window);
    }
    window.count++;
    return {
      allowed: window.count <= limit.max,
      remaining: Math.max(0, limit.max - window.count),
      resetInMs: window.resetAt - now,
    };
  }

  get size(): number {
    return this.windows.size;
  }

  private sweep(now: number, windowMs: number): void {
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
    this.nextSweep = now + windowMs;
  }
}
