import type { WorkSegmentBody } from '@keepdesk/contract';

/** Work counts while the agent did something (keys, pointer, scrolling) within the last minute. */
export const IDLE_MS = 60_000;
/** A tick longer than this (a sleeping laptop, a throttled tab) counts only this much. */
const MAX_TICK_MS = 5_000;

/**
 * The agent's active time on an open ticket, counted tick by tick while the page is visible and the agent was
 * active lately, and handed out in segments for `POST /tickets/:id/work`.
 */
export class WorkClock {
  private counted = 0;
  private startedAt: number | null = null;
  private lastTick: number;

  constructor(
    now: number,
    private lastActive = now,
  ) {
    this.lastTick = now;
  }

  activity(now: number): void {
    this.lastActive = now;
  }

  tick(now: number, visible: boolean): void {
    const elapsed = Math.min(Math.max(now - this.lastTick, 0), MAX_TICK_MS);
    this.lastTick = now;
    if (!visible || now - this.lastActive > IDLE_MS || elapsed === 0) return;
    this.startedAt ??= now - elapsed;
    this.counted += elapsed;
  }

  /** The whole seconds counted since the last segment, or null when there are none; a rest carries over. */
  take(now: number): WorkSegmentBody | null {
    const seconds = Math.min(Math.floor(this.counted / 1000), 3600);
    if (seconds < 1 || this.startedAt === null) return null;
    const segment = { startedAt: new Date(this.startedAt).toISOString(), seconds };
    this.counted -= seconds * 1000;
    this.startedAt = this.counted > 0 ? now - this.counted : null;
    return segment;
  }
}
