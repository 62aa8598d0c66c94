import { describe, expect, it } from 'vitest';
import { JOIN_GAP_MS, nextVisit, uncovered } from './worklog.domain';

const at = (iso: string) => new Date(iso);
const ms = (iso: string) => Date.parse(iso);

describe('work segments make visits', () => {
  const last = { startedAt: at('2026-03-02T10:00:00Z'), endedAt: at('2026-03-02T10:01:00Z'), seconds: 55 };

  it('starts the first visit with the segment', () => {
    expect(nextVisit(null, [], { startedAt: at('2026-03-02T10:00:00Z'), seconds: 30 })).toEqual({
      kind: 'new',
      startedAt: at('2026-03-02T10:00:00Z'),
      endedAt: at('2026-03-02T10:00:30Z'),
      seconds: 30,
    });
  });

  it('continues the last visit with a segment that follows it within two minutes', () => {
    expect(nextVisit(last, [last], { startedAt: at('2026-03-02T10:01:20Z'), seconds: 30 })).toEqual({
      kind: 'extend',
      seconds: 85,
      endedAt: at('2026-03-02T10:01:50Z'),
    });
    const gap = new Date(last.endedAt.getTime() + JOIN_GAP_MS + 1);
    expect(nextVisit(last, [last], { startedAt: gap, seconds: 30 }).kind).toBe('new');
  });

  it('does not count a segment twice (sent again, or a second tab on the same ticket)', () => {
    expect(nextVisit(last, [last], { startedAt: at('2026-03-02T10:00:00Z'), seconds: 30 }).kind).toBe(
      'counted',
    );
    expect(nextVisit(last, [last], { startedAt: at('2026-03-02T10:00:30Z'), seconds: 30 }).kind).toBe(
      'counted',
    );
    // Less than a whole second left over is nothing.
    expect(nextVisit(last, [last], { startedAt: at('2026-03-02T10:00:59.500Z'), seconds: 1 }).kind).toBe(
      'counted',
    );
  });

  it('counts only the part of an overlapping segment not yet recorded', () => {
    // 10:00:30 + 60 s overlaps the visit until 10:01: only the 30 s after it count.
    expect(nextVisit(last, [last], { startedAt: at('2026-03-02T10:00:30Z'), seconds: 60 })).toEqual({
      kind: 'extend',
      seconds: 85,
      endedAt: at('2026-03-02T10:01:30Z'),
    });
    // The agent's visit of another ticket covers 10:05–10:10: a segment on this ticket 10:04–10:14 adds 5 min.
    const other = { startedAt: at('2026-03-02T10:05:00Z'), endedAt: at('2026-03-02T10:10:00Z') };
    expect(nextVisit(null, [other], { startedAt: at('2026-03-02T10:04:00Z'), seconds: 600 })).toEqual({
      kind: 'new',
      startedAt: at('2026-03-02T10:04:00Z'),
      endedAt: at('2026-03-02T10:14:00Z'),
      seconds: 300,
    });
    // One hour posted again and again, shifted by a quarter: each adds only the quarter not yet covered.
    const hour = {
      startedAt: at('2026-03-02T07:00:00Z'),
      endedAt: at('2026-03-02T08:00:00Z'),
      seconds: 3600,
    };
    expect(nextVisit(hour, [hour], { startedAt: at('2026-03-02T07:30:00Z'), seconds: 3600 })).toEqual({
      kind: 'extend',
      seconds: 5400,
      endedAt: at('2026-03-02T08:30:00Z'),
    });
  });

  it('keeps a segment from before the last visit as a visit of its own (sent late)', () => {
    expect(nextVisit(last, [last], { startedAt: at('2026-03-02T09:00:00Z'), seconds: 30 })).toEqual({
      kind: 'new',
      startedAt: at('2026-03-02T09:00:00Z'),
      endedAt: at('2026-03-02T09:00:30Z'),
      seconds: 30,
    });
  });
});

describe('uncovered', () => {
  it('leaves the gaps between overlapping and unordered spans', () => {
    const span = (from: string, to: string) => ({ startedAt: at(from), endedAt: at(to) });
    expect(
      uncovered(ms('2026-03-02T10:00:00Z'), ms('2026-03-02T11:00:00Z'), [
        span('2026-03-02T10:40:00Z', '2026-03-02T10:50:00Z'),
        span('2026-03-02T09:00:00Z', '2026-03-02T10:10:00Z'),
        span('2026-03-02T10:05:00Z', '2026-03-02T10:20:00Z'),
        span('2026-03-02T12:00:00Z', '2026-03-02T13:00:00Z'),
      ]),
    ).toEqual([
      { from: ms('2026-03-02T10:20:00Z'), to: ms('2026-03-02T10:40:00Z') },
      { from: ms('2026-03-02T10:50:00Z'), to: ms('2026-03-02T11:00:00Z') },
    ]);
    expect(uncovered(0, 10, [{ startedAt: new Date(0), endedAt: new Date(20) }])).toEqual([]);
  });
});
