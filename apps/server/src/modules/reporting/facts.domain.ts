/**
 * The facts of one ticket that the metric catalogue counts (docs/metrics.md, "Tickets"), derived from its whole
 * history. A ticket's facts are recomputed from all its events whenever one arrives, so the order in which
 * events are processed — late, repeated or out of order — never changes the result.
 */

export type StatusCategory = 'new' | 'open' | 'pending' | 'on_hold' | 'solved' | 'closed';

export type FactEvent =
  | { at: Date; kind: 'status'; category: StatusCategory }
  | { at: Date; kind: 'agent_reply' }
  | { at: Date; kind: 'customer_message' }
  | { at: Date; kind: 'assignee'; to: string | null };

export interface TicketFacts {
  createdAt: Date;
  /** The first public reply of an agent; none for tickets an agent opened (they start with our message). */
  firstResponseAt: Date | null;
  firstResponseMinutes: number | null;
  firstResponseBusinessMinutes: number | null;
  /** For each customer message after the first response that an agent then answered: minutes to that answer. */
  nextResponseMinutes: number[];
  nextResponseBusinessMinutes: number[];
  /** When each of those answers was given. */
  nextResponseAt: Date[];
  agentReplies: number;
  /** When it was first solved; and when last, if it is solved or closed now. */
  firstSolvedAt: Date | null;
  solvedAt: Date | null;
  /** Created → solved (the last time), while it stays solved or closed. */
  resolutionMinutes: number | null;
  resolutionBusinessMinutes: number | null;
  /** Every time it became solved (or closed) from an unsolved status, the first at creation if created solved. */
  solves: Date[];
  /** Times it went from solved or closed back to an unsolved status. */
  reopens: number;
  reopenedAt: Date[];
  /** Times the assignee changed from one agent to another (the first assignment is no reassignment). */
  reassignments: number;
  /** Solved now, with exactly one public agent reply and never reopened; null while unsolved. */
  oneTouch: boolean | null;
}

const SOLVED = new Set<StatusCategory>(['solved', 'closed']);
const minutesBetween = (from: Date, to: Date) => Math.max(0, (to.getTime() - from.getTime()) / 60_000);

/** Working minutes between two instants under the ticket's business calendar. */
export type BusinessMinutes = (from: Date, to: Date) => number;

/**
 * Facts from a ticket's events. `createdAt` is the ticket's creation; `openedByAgent` says whether an agent
 * opened it (then there is no first response to wait for). Events may come in any order: they are sorted by
 * time, and at equal times a status change comes after a reply (an agent who replies and solves at once
 * replied first).
 */
export function factsOf(
  createdAt: Date,
  openedByAgent: boolean,
  events: readonly FactEvent[],
  businessMinutes: BusinessMinutes = minutesBetween,
): TicketFacts {
  const rank = { customer_message: 0, agent_reply: 1, assignee: 2, status: 3 } as const;
  const ordered = [...events].sort((a, b) => a.at.getTime() - b.at.getTime() || rank[a.kind] - rank[b.kind]);
  let firstResponseAt: Date | null = null;
  let agentReplies = 0;
  const nextResponseMinutes: number[] = [];
  const nextResponseBusinessMinutes: number[] = [];
  const nextResponseAt: Date[] = [];
  const solves: Date[] = [];
  const reopenedAt: Date[] = [];
  let waitingSince: Date | null = null;
  let category: StatusCategory | null = null;
  let firstSolvedAt: Date | null = null;
  let lastSolvedAt: Date | null = null;
  let reopens = 0;
  let assignee: string | null = null;
  let reassignments = 0;
  for (const event of ordered) {
    switch (event.kind) {
      case 'agent_reply':
        agentReplies++;
        if (!firstResponseAt && !openedByAgent) firstResponseAt = event.at;
        if (waitingSince) {
          nextResponseMinutes.push(minutesBetween(waitingSince, event.at));
          nextResponseBusinessMinutes.push(Math.max(0, businessMinutes(waitingSince, event.at)));
          nextResponseAt.push(event.at);
          waitingSince = null;
        }
        break;
      case 'customer_message':
        // A message while the customer already waits does not restart the wait.
        if ((firstResponseAt || openedByAgent) && !waitingSince) waitingSince = event.at;
        break;
      case 'assignee':
        if (assignee !== null && event.to !== null && event.to !== assignee) reassignments++;
        if (event.to !== null) assignee = event.to;
        break;
      case 'status': {
        const wasSolved = category !== null && SOLVED.has(category);
        const isSolved = SOLVED.has(event.category);
        if (isSolved && !wasSolved) {
          firstSolvedAt ??= event.at;
          lastSolvedAt = event.at;
          solves.push(event.at);
        }
        if (wasSolved && !isSolved) {
          reopens++;
          reopenedAt.push(event.at);
        }
        category = event.category;
        break;
      }
    }
  }
  const solvedNow = category !== null && SOLVED.has(category);
  const solvedAt = solvedNow ? lastSolvedAt : null;
  return {
    createdAt,
    firstResponseAt,
    firstResponseMinutes: firstResponseAt ? minutesBetween(createdAt, firstResponseAt) : null,
    firstResponseBusinessMinutes: firstResponseAt
      ? Math.max(0, businessMinutes(createdAt, firstResponseAt))
      : null,
    nextResponseMinutes,
    nextResponseBusinessMinutes,
    nextResponseAt,
    agentReplies,
    firstSolvedAt,
    solvedAt,
    resolutionMinutes: solvedAt ? minutesBetween(createdAt, solvedAt) : null,
    resolutionBusinessMinutes: solvedAt ? Math.max(0, businessMinutes(createdAt, solvedAt)) : null,
    solves,
    reopens,
    reopenedAt,
    reassignments,
    oneTouch: solvedNow ? agentReplies === 1 && reopens === 0 : null,
  };
}
