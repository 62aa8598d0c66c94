/**
 * Handle time as the agent workspace measures it: the browser sends the seconds an agent actively worked a
 * ticket in segments; segments that follow each other make one visit (a row). Reporting reads the rows.
 */
import type { WorkSegmentBody, WorkSession } from '@keepdesk/contract';
import { and, desc, eq, gt, lt, sql } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import { type Tx, withTransaction } from '../../platform/db';
import { AppError, fieldError } from '../../platform/errors';
import { tickets } from './tickets.tables';
import { nextVisit } from './worklog.domain';
import { ticketWorkSessions } from './worklog.tables';

/** Browsers' clocks run a little ahead or behind the server's. */
const CLOCK_SKEW_MS = 60_000;
/** How late a segment may arrive (a tab that slept, a request sent again): later ones are refused. */
const MAX_AGE_MS = 24 * 3_600_000;
/** The first key of the advisory lock that serialises an agent's segments (the second is the agent's hash). */
const WORK_LOCK = 7_243_102;

/** How many merges deep the surviving ticket is looked for (merged tickets are closed: chains stay short). */
const MAX_MERGE_HOPS = 20;

type Survivor = { id: string; number: number };

const present = (row: typeof ticketWorkSessions.$inferSelect, mergedInto?: Survivor): WorkSession => ({
  id: row.id,
  ticketId: row.ticketId,
  agentId: row.agentId,
  startedAt: row.startedAt.toISOString(),
  endedAt: row.endedAt.toISOString(),
  seconds: row.seconds,
  ...(mergedInto ? { mergedInto } : {}),
});

/**
 * The ticket a merged ticket lives on in (following merges of merges), share-locked so that it is not merged
 * away while the time is booked on it.
 */
async function survivorOf(tx: Tx, mergedIntoId: string): Promise<Survivor> {
  let id = mergedIntoId;
  for (let hop = 0; hop < MAX_MERGE_HOPS; hop++) {
    const [row] = await tx
      .select({ number: tickets.number, mergedIntoId: tickets.mergedIntoId })
      .from(tickets)
      .where(eq(tickets.id, id))
      .for('share');
    if (!row) break;
    if (!row.mergedIntoId) return { id, number: row.number };
    id = row.mergedIntoId;
  }
  throw new AppError('CONFLICT', { message: `no surviving ticket found for merged ticket ${mergedIntoId}` });
}

const badStart = (message: string) => fieldError('startedAt', message);

/**
 * Adds a segment of the agent's work on a ticket (ADR 0032): only the part none of their recorded visits on any
 * ticket covers counts, added to their last visit of the ticket when it follows it, else as a new one. One
 * agent's segments are added one at a time (an advisory lock), so two tabs cannot both count the same time.
 * Work on a merged ticket is booked on the ticket it was merged into, and the answer says so (ADR 0052).
 */
export async function recordWork(
  deps: Deps,
  agentId: string,
  ticketId: string,
  segment: WorkSegmentBody,
): Promise<WorkSession> {
  const startedAt = new Date(segment.startedAt);
  const now = deps.now().getTime();
  if (startedAt.getTime() > now + CLOCK_SKEW_MS) throw badStart('is in the future');
  if (startedAt.getTime() < now - MAX_AGE_MS) throw badStart('is more than 24 hours ago');
  return withTransaction(deps.database, async (tx) => {
    const [ticket] = await tx
      .select({ id: tickets.id, createdAt: tickets.createdAt, mergedIntoId: tickets.mergedIntoId })
      .from(tickets)
      .where(eq(tickets.id, ticketId));
    if (!ticket) throw new AppError('NOT_FOUND', { message: `ticket ${ticketId} not found` });
    if (startedAt.getTime() < ticket.createdAt.getTime() - CLOCK_SKEW_MS) {
      throw badStart('is before the ticket was created');
    }
    // The agent worked the case, which now lives on in the surviving ticket: the time goes there.
    const mergedInto = ticket.mergedIntoId ? await survivorOf(tx, ticket.mergedIntoId) : undefined;
    const bookedId = mergedInto?.id ?? ticketId;
    await tx.execute(sql`select pg_advisory_xact_lock(${WORK_LOCK}, hashtext(${agentId}))`);
    const end = new Date(startedAt.getTime() + segment.seconds * 1000);
    // The agent's visits of any ticket that overlap the segment (the index on agent and end serves it).
    const recorded = await tx
      .select()
      .from(ticketWorkSessions)
      .where(
        and(
          eq(ticketWorkSessions.agentId, agentId),
          gt(ticketWorkSessions.endedAt, startedAt),
          lt(ticketWorkSessions.startedAt, end),
        ),
      );
    const [last] = await tx
      .select()
      .from(ticketWorkSessions)
      .where(and(eq(ticketWorkSessions.ticketId, bookedId), eq(ticketWorkSessions.agentId, agentId)))
      .orderBy(desc(ticketWorkSessions.endedAt))
      .limit(1);
    const step = nextVisit(last ?? null, recorded, { startedAt, seconds: segment.seconds });
    if (step.kind === 'counted') {
      const covering = recorded.find((r) => r.ticketId === bookedId) ?? last ?? recorded[0]!;
      return present(covering, mergedInto);
    }
    if (step.kind === 'extend') {
      const [updated] = await tx
        .update(ticketWorkSessions)
        .set({ seconds: step.seconds, endedAt: step.endedAt })
        .where(eq(ticketWorkSessions.id, last!.id))
        .returning();
      return present(updated!, mergedInto);
    }
    const [created] = await tx
      .insert(ticketWorkSessions)
      .values({
        ticketId: bookedId,
        agentId,
        startedAt: step.startedAt,
        endedAt: step.endedAt,
        seconds: step.seconds,
      })
      .returning();
    return present(created!, mergedInto);
  });
}
