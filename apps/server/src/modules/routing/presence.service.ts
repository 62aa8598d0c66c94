import { and, eq, isNull } from 'drizzle-orm';
import type { Tx } from '../../platform/db';
import { agentPresenceIntervals } from './presence.tables';

export type Presence = 'online' | 'away' | 'offline';

/**
 * Writes a change of an agent's presence into their presence history, in the caller's transaction: the open
 * stretch ends at `at`, and a new one starts unless the agent went offline.
 */
export async function logPresence(tx: Tx, userId: string, presence: Presence, at: Date): Promise<void> {
  await tx
    .update(agentPresenceIntervals)
    .set({ endedAt: at })
    .where(and(eq(agentPresenceIntervals.userId, userId), isNull(agentPresenceIntervals.endedAt)));
  if (presence !== 'offline') {
    await tx.insert(agentPresenceIntervals).values({ userId, presence, startedAt: at });
  }
}
