import { and, eq, isNull, lt, sql } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import { dateOf, rowsOf, type Tx, withTransaction } from '../../platform/db';
import { sessions, users } from '../auth';
import { agentPresenceIntervals } from './presence.tables';
import { agentRouting } from './routing.tables';

export type Presence = 'online' | 'away' | 'offline';

const DAY_MS = 86_400_000;

/**
 * Writes a change of an agent's presence into their presence history, in the caller's transaction: the open
 * stretch ends at `at`, and a new one starts unless the agent went offline.
 */
async function logPresence(tx: Tx, userId: string, presence: Presence, at: Date): Promise<void> {
  await tx
    .update(agentPresenceIntervals)
    .set({ endedAt: at })
    .where(and(eq(agentPresenceIntervals.userId, userId), isNull(agentPresenceIntervals.endedAt)));
  if (presence !== 'offline') {
    await tx.insert(agentPresenceIntervals).values({ userId, presence, startedAt: at });
  }
}

/**
 * Sets an agent's presence at `at` in the caller's transaction, with their history (agent utilisation): every
 * change of presence — the agent's own, logging out, deactivation, an expired session — goes through here.
 * Returns the presence before.
 */
export async function changePresence(
  tx: Tx,
  userId: string,
  presence: Presence,
  at: Date,
): Promise<Presence> {
  const [before] = await tx
    .select({ presence: agentRouting.presence })
    .from(agentRouting)
    .where(eq(agentRouting.userId, userId))
    .for('update');
  await tx
    .insert(agentRouting)
    .values({ userId, presence, presenceAt: at })
    .onConflictDoUpdate({ target: agentRouting.userId, set: { presence, presenceAt: at } });
  const previous = before?.presence ?? 'offline';
  if (previous !== presence) await logPresence(tx, userId, presence, at);
  return previous;
}

/** Sets a user offline when they are online or away (their last session ended, they were deactivated). */
export async function endPresence(tx: Tx, userId: string, at: Date): Promise<void> {
  const [row] = await tx
    .select({ presence: agentRouting.presence })
    .from(agentRouting)
    .where(eq(agentRouting.userId, userId));
  if (row && row.presence !== 'offline') await changePresence(tx, userId, 'offline', at);
}

/** The UTC midnights after `from` up to `to` (epoch ms). */
function midnightsBetween(from: number, to: number): Date[] {
  const days: Date[] = [];
  for (let day = (Math.floor(from / DAY_MS) + 1) * DAY_MS; day <= to; day += DAY_MS) days.push(new Date(day));
  return days;
}

/**
 * Every minute (ADR 0032): agents whose last session expired since they set their presence, and deactivated
 * ones, go offline (at the expiry); open stretches that began before today (UTC) are cut into one closed row per
 * day, so the reporting worker, which counts open stretches up to now every 30 seconds, recomputes at most a
 * day of one. Returns how many agents went offline and how many stretches were cut.
 */
export async function sweepPresence(deps: Deps): Promise<{ ended: number; cut: number }> {
  const now = deps.now();
  const db = deps.database.db;
  const lapsed = rowsOf(
    await db.execute(sql`
      select r.user_id, u.is_active,
             (select max(s.expires_at) from ${sessions} s where s.user_id = r.user_id) as expired_at
        from ${agentRouting} r join ${users} u on u.id = r.user_id
       where r.presence <> 'offline'
         and (not u.is_active
              or (exists (select 1 from ${sessions} s where s.user_id = r.user_id
                           and s.expires_at > r.presence_at and s.expires_at <= ${now})
                  and not exists (select 1 from ${sessions} s where s.user_id = r.user_id and s.expires_at > ${now})))`),
  );
  for (const row of lapsed) {
    const at = row.is_active && row.expired_at ? dateOf(row.expired_at) : now;
    await withTransaction(deps.database, (tx) => endPresence(tx, String(row.user_id), at));
  }
  const today = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS);
  const long = await db
    .select({ userId: agentPresenceIntervals.userId })
    .from(agentPresenceIntervals)
    .where(and(isNull(agentPresenceIntervals.endedAt), lt(agentPresenceIntervals.startedAt, today)));
  let cut = 0;
  for (const { userId } of long) {
    await withTransaction(deps.database, async (tx) => {
      // The agent's row first, as every change of presence takes it: the stretch cannot end meanwhile.
      await tx.select().from(agentRouting).where(eq(agentRouting.userId, userId)).for('update');
      const [open] = await tx
        .select()
        .from(agentPresenceIntervals)
        .where(and(eq(agentPresenceIntervals.userId, userId), isNull(agentPresenceIntervals.endedAt)))
        .for('update');
      if (!open || open.startedAt >= today) return;
      const days = midnightsBetween(open.startedAt.getTime(), today.getTime());
      await tx
        .update(agentPresenceIntervals)
        .set({ endedAt: days[0] })
        .where(eq(agentPresenceIntervals.id, open.id));
      const rows = days.map((day, i) => ({
        userId,
        presence: open.presence,
        startedAt: day,
        endedAt: days[i + 1] ?? null,
      }));
      await tx.insert(agentPresenceIntervals).values(rows);
      cut++;
    });
  }
  return { ended: lapsed.length, cut };
}
