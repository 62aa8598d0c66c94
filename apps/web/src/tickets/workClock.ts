import type { WorkSegmentBody, WorkSession } from '@keepdesk/contract';

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

/** Where the agent's time on the ticket page goes; a merged ticket's time goes to the ticket it survives in. */
export class WorkTarget {
  private noticed = false;

  constructor(private ticketId: string) {}

  /** The path the next segment is posted to. */
  get path(): string {
    return `/tickets/${this.ticketId}/work`;
  }

  /**
   * Reads the server's answer to a segment: when the time was booked on the ticket this one was merged into,
   * later segments go there directly, and the surviving ticket is returned once so that the agent is told.
   */
  answer(session: Pick<WorkSession, 'mergedInto'> | null): { id: string; number: number } | null {
    const survivor = session?.mergedInto;
    if (!survivor) return null;
    this.ticketId = survivor.id;
    if (this.noticed) return null;
    this.noticed = true;
    return survivor;
  }
}
