import { describe, expect, it } from 'vitest';
import { IDLE_MS, WorkClock } from './workClock';

const T = Date.parse('2026-05-04T08:00:00Z');
const run = (clock: WorkClock, from: number, to: number, visible = true) => {
  for (let now = from + 1000; now <= to; now += 1000) clock.tick(now, visible);
};

describe('the work clock of the agent workspace', () => {
  it('counts visible, active seconds and hands them out once', () => {
    const clock = new WorkClock(T);
    run(clock, T, T + 30_000);
    expect(clock.take(T + 30_000)).toEqual({ startedAt: '2026-05-04T08:00:00.000Z', seconds: 30 });
    expect(clock.take(T + 30_000)).toBeNull();
  });

  it('stops counting a minute after the last activity and while the page is hidden', () => {
    const clock = new WorkClock(T);
    run(clock, T, T + IDLE_MS + 30_000); // 60 s counted, then idle
    run(clock, T + IDLE_MS + 30_000, T + IDLE_MS + 60_000, false);
    expect(clock.take(T + IDLE_MS + 60_000)?.seconds).toBe(60);
    run(clock, T + IDLE_MS + 60_000, T + 200_000); // still idle: nothing counts
    clock.activity(T + 200_000);
    run(clock, T + 200_000, T + 210_000);
    expect(clock.take(T + 210_000)).toEqual({ startedAt: new Date(T + 200_000).toISOString(), seconds: 10 });
  });

  it('counts a long tick (a sleeping laptop) as at most five seconds', () => {
    const clock = new WorkClock(T);
    clock.tick(T + 50_000, true);
    expect(clock.take(T + 50_000)?.seconds).toBe(5);
  });
});
