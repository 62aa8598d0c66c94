/**
 * Handle time as the agent workspace measures it: the browser sends the seconds an agent actively worked an open
 * ticket in segments; segments that follow each other make one visit (a row). Reporting reads the rows.
 */
import type { WorkSegmentBody, WorkSession } from '@keepdesk/contract';
import { and, desc, eq } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import { withTransaction } from '../../platform/db';
import { AppError } from '../../platform/errors';
import { tickets } from './tickets.tables';
import { nextVisit } from './worklog.domain';
import { ticketWorkSessions } from './worklog.tables';

/** Browsers' clocks run a little ahead or behind the server's. */
const CLOCK_SKEW_MS = 60_000;

const present = (row: typeof ticketWorkSessions.$inferSelect): WorkSession => ({
  id: row.id,
  ticketId: row.ticketId,
  agentId: row.agentId,
  startedAt: row.startedAt.toISOString(),
  endedAt: row.endedAt.toISOString(),
  seconds: row.seconds,
});

/** Adds a segment of the agent's work on a ticket: to their last visit when it follows it, else as a new one. */
export async function recordWork(
  deps: Deps,
  agentId: string,
  ticketId: string,
  segment: WorkSegmentBody,
): Promise<WorkSession> {
  const startedAt = new Date(segment.startedAt);
  if (startedAt.getTime() > deps.now().getTime() + CLOCK_SKEW_MS) {
    const message = 'is in the future';
    throw new AppError('VALIDATION_FAILED', {
      message: `startedAt: ${message}`,
      errors: [{ field: 'startedAt', message }],
    });
  }
  return withTransaction(deps.database, async (tx) => {
    const [ticket] = await tx.select({ id: tickets.id }).from(tickets).where(eq(tickets.id, ticketId));
    if (!ticket) throw new AppError('NOT_FOUND', { message: `ticket ${ticketId} not found` });
    const [last] = await tx
      .select()
      .from(ticketWorkSessions)
      .where(and(eq(ticketWorkSessions.ticketId, ticketId), eq(ticketWorkSessions.agentId, agentId)))
      .orderBy(desc(ticketWorkSessions.endedAt))
      .limit(1)
      .for('update');
    const step = nextVisit(last ?? null, { startedAt, seconds: segment.seconds });
    if (step.kind === 'counted') return present(last!);
    if (step.kind === 'extend') {
      const [updated] = await tx
        .update(ticketWorkSessions)
        .set({ seconds: step.seconds, endedAt: step.endedAt })
        .where(eq(ticketWorkSessions.id, last!.id))
        .returning();
      return present(updated!);
    }
    const [created] = await tx
      .insert(ticketWorkSessions)
      .values({ ticketId, agentId, startedAt, endedAt: step.endedAt, seconds: segment.seconds })
      .returning();
    return present(created!);
  });
}
