import { describe, expect, it } from 'vitest';
import { JOIN_GAP_MS, nextVisit } from './worklog.domain';

const at = (iso: string) => new Date(iso);

describe('work segments make visits', () => {
  const last = { startedAt: at('2026-03-02T10:00:00Z'), endedAt: at('2026-03-02T10:01:00Z'), seconds: 55 };

  it('starts the first visit with the segment', () => {
    expect(nextVisit(null, { startedAt: at('2026-03-02T10:00:00Z'), seconds: 30 })).toEqual({
      kind: 'new',
      endedAt: at('2026-03-02T10:00:30Z'),
    });
  });

  it('continues the last visit with a segment that follows it within two minutes', () => {
    expect(nextVisit(last, { startedAt: at('2026-03-02T10:01:20Z'), seconds: 30 })).toEqual({
      kind: 'extend',
      seconds: 85,
      endedAt: at('2026-03-02T10:01:50Z'),
    });
    const gap = new Date(last.endedAt.getTime() + JOIN_GAP_MS + 1);
    expect(nextVisit(last, { startedAt: gap, seconds: 30 }).kind).toBe('new');
  });

  it('does not count a segment twice (sent again, or a second tab on the same ticket)', () => {
    expect(nextVisit(last, { startedAt: at('2026-03-02T10:00:00Z'), seconds: 30 }).kind).toBe('counted');
    expect(nextVisit(last, { startedAt: at('2026-03-02T10:00:30Z'), seconds: 30 }).kind).toBe('counted');
  });

  it('keeps a segment from before the last visit as a visit of its own (sent late)', () => {
    expect(nextVisit(last, { startedAt: at('2026-03-02T09:00:00Z'), seconds: 30 })).toEqual({
      kind: 'new',
      endedAt: at('2026-03-02T09:00:30Z'),
    });
  });
});
