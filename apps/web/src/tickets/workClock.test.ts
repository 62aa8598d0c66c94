import { describe, expect, it } from 'vitest';
import { IDLE_MS, WorkClock, WorkTarget } from './workClock';

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

describe('where the work time of a ticket page goes', () => {
  const merged = { id: '00000000-0000-4000-8000-0000000000b2', number: 10042 };

  it('posts to the ticket shown while it is not merged', () => {
    const target = new WorkTarget('t1');
    expect(target.answer({})).toBeNull();
    expect(target.answer(null)).toBeNull(); // a failed or unread answer changes nothing
    expect(target.path).toBe('/tickets/t1/work');
  });

  it('tells once that the time went to the surviving ticket, and posts there from then on', () => {
    const target = new WorkTarget('t1');
    expect(target.answer({ mergedInto: merged })).toEqual(merged);
    expect(target.path).toBe(`/tickets/${merged.id}/work`);
    expect(target.answer({ mergedInto: merged })).toBeNull();
    expect(target.answer({})).toBeNull();
    expect(target.path).toBe(`/tickets/${merged.id}/work`);
  });
});
