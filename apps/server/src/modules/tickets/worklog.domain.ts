/** A segment that starts at most this long after the last visit's end continues that visit. */
export const JOIN_GAP_MS = 120_000;

interface Span {
  startedAt: Date;
  endedAt: Date;
}

interface Visit extends Span {
  seconds: number;
}

/** The parts of [from, to) (epoch ms) that none of the spans covers, in order. */
export function uncovered(from: number, to: number, spans: readonly Span[]): { from: number; to: number }[] {
  const sorted = spans
    .map((s) => ({ from: s.startedAt.getTime(), to: s.endedAt.getTime() }))
    .filter((s) => s.to > from && s.from < to)
    .sort((a, b) => a.from - b.from);
  const pieces: { from: number; to: number }[] = [];
  let cursor = from;
  for (const span of sorted) {
    if (span.from > cursor) pieces.push({ from: cursor, to: Math.min(span.from, to) });
    cursor = Math.max(cursor, span.to);
    if (cursor >= to) break;
  }
  if (cursor < to) pieces.push({ from: cursor, to });
  return pieces;
}

export type VisitStep =
  | { kind: 'counted' }
  | { kind: 'extend'; seconds: number; endedAt: Date }
  | { kind: 'new'; startedAt: Date; endedAt: Date; seconds: number };

/**
 * What a new segment (its start and active seconds) does to the agent's work. An agent works one ticket at a
 * time, so only the part of the segment that none of their recorded visits (on any ticket, `recorded`) covers
 * counts — a segment sent twice, or two tabs open side by side, add nothing twice. That part continues the
 * agent's last visit of this ticket (`last`) when it begins within two minutes of its end, else it is a visit
 * of its own; when nothing (not one whole second) is left, the segment is already counted.
 */
export function nextVisit(
  last: Visit | null,
  recorded: readonly Span[],
  segment: { startedAt: Date; seconds: number },
): VisitStep {
  const start = segment.startedAt.getTime();
  const pieces = uncovered(start, start + segment.seconds * 1000, recorded);
  const seconds = Math.floor(pieces.reduce((sum, p) => sum + (p.to - p.from), 0) / 1000);
  if (seconds === 0) return { kind: 'counted' };
  const first = pieces[0]!.from;
  const end = pieces.at(-1)!.to;
  if (last) {
    const lastEnd = last.endedAt.getTime();
    if (first >= last.startedAt.getTime() && first <= lastEnd + JOIN_GAP_MS) {
      return { kind: 'extend', seconds: last.seconds + seconds, endedAt: new Date(Math.max(lastEnd, end)) };
    }
  }
  return { kind: 'new', startedAt: new Date(first), endedAt: new Date(end), seconds };
}
