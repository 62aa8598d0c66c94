import type { Tx } from '../../platform/db';

/** What follows when a user's access ends, inside that transaction (the routing module sets them offline). */
type AccessEndStep = (tx: Tx, userId: string, at: Date) => Promise<void>;
const accessEndSteps = new Set<AccessEndStep>();

/**
 * Other modules register what must happen when a user's access ends: their last session ends (logout, a
 * password reset) or they are deactivated. Expired sessions are noticed by those modules themselves.
 */
export function onAccessEnd(step: AccessEndStep): void {
  accessEndSteps.add(step);
}

/** Runs the registered steps for a user whose access ended at `at`, in the caller's transaction. */
export async function endAccess(tx: Tx, userId: string, at: Date): Promise<void> {
  for (const step of accessEndSteps) await step(tx, userId, at);
}
