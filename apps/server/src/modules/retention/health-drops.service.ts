import type { Deps } from '../../platform/context';
import { withTransaction } from '../../platform/db';
import { notify } from '../notifications';
import { dropNotices, type RunDrops } from './health-drops.domain';

/**
 * Tells the owners of the run's drops in one transaction of its own, after every chunk has committed (ADR 0039):
 * each drop while an owner has few, one `health_dropped_many` (their number in the excerpt) when more.
 */
export async function notifyDrops(deps: Pick<Deps, 'database' | 'bus'>, drops: RunDrops): Promise<void> {
  if (drops.size === 0) return;
  const items = dropNotices(drops).map((notice) =>
    notice.kind === 'each'
      ? {
          userId: notice.ownerId,
          kind: 'health_dropped' as const,
          account: { id: notice.drop.accountId, name: notice.drop.accountName },
          actorUserId: null,
          excerpt: `${notice.drop.from} → ${notice.drop.to}`,
        }
      : {
          userId: notice.ownerId,
          kind: 'health_dropped_many' as const,
          actorUserId: null,
          excerpt: String(notice.count),
        },
  );
  await withTransaction(deps.database, (tx) => notify(tx, deps, items));
}
