/** A segment that starts at most this long after the last visit's end continues that visit. */
export const JOIN_GAP_MS = 120_000;
/** Rounding of the browser's second counts: a segment may start this much before the visit's end. */
const OVERLAP_MS = 1_000;

interface Visit {
  startedAt: Date;
  endedAt: Date;
  seconds: number;
}

/**
 * What a new segment (its start and active seconds) does to the agent's last visit of the ticket: continues it,
 * is already counted in it (a segment sent twice, a second tab on the same ticket), or starts a new visit.
 */
export function nextVisit(
  last: Visit | null,
  segment: { startedAt: Date; seconds: number },
): { kind: 'counted' } | { kind: 'extend'; seconds: number; endedAt: Date } | { kind: 'new'; endedAt: Date } {
  const start = segment.startedAt.getTime();
  const end = new Date(start + segment.seconds * 1000);
  if (!last) return { kind: 'new', endedAt: end };
  const lastEnd = last.endedAt.getTime();
  if (start >= last.startedAt.getTime() && start < lastEnd - OVERLAP_MS) return { kind: 'counted' };
  if (start >= lastEnd - OVERLAP_MS && start <= lastEnd + JOIN_GAP_MS) {
    return {
      kind: 'extend',
      seconds: last.seconds + segment.seconds,
      endedAt: new Date(Math.max(lastEnd, end.getTime())),
    };
  }
  return { kind: 'new', endedAt: end };
}
