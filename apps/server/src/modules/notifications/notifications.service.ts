import type {
  MarkReadBody,
  Notification,
  NotificationKind,
  NotificationPage,
  NotificationQuery,
} from '@keepdesk/contract';
import { and, count, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import type { Tx } from '../../platform/db';
import { decodeCursor, toPage } from '../../platform/pagination';
import { users } from '../auth';
import { notifications } from './notifications.tables';

export interface NewNotification {
  userId: string;
  kind: NotificationKind;
  /** What it is about: a ticket, or (target_off_track) a reporting target. */
  ticket?: { id: string; number: number; subject: string };
  target?: { id: string; name: string };
  account?: { id: string; name: string };
  messageId?: string | null;
  actorUserId: string | null;
  excerpt?: string;
}

const EXCERPT = 200;

/** The live topic a user's browser listens on for new notifications. */
export const NOTIFICATION_TOPIC = 'notification';

/**
 * Notifies users inside the caller's transaction: never the actor about their own doing, each user once per
 * call and subject — ticket, account or target — (the first kind wins: a mention beats plain activity on the
 * same ticket; two accounts that dropped are two notifications). Their browsers hear of it at commit.
 */
export async function notify(
  tx: Tx,
  deps: Pick<Deps, 'bus'>,
  items: readonly NewNotification[],
): Promise<void> {
  const seen = new Set<string>();
  const rows = items.filter((item) => {
    const key = `${item.userId}|${item.ticket?.id ?? item.account?.id ?? item.target?.id ?? ''}`;
    if (item.userId === item.actorUserId || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (rows.length === 0) return;
  await tx.insert(notifications).values(
    rows.map((item) => ({
      userId: item.userId,
      kind: item.kind,
      ticketId: item.ticket?.id ?? null,
      ticketNumber: item.ticket?.number ?? null,
      ticketSubject: item.ticket?.subject ?? null,
      targetId: item.target?.id ?? null,
      targetName: item.target?.name ?? null,
      accountId: item.account?.id ?? null,
      accountName: item.account?.name ?? null,
      messageId: item.messageId ?? null,
      actorUserId: item.actorUserId,
      excerpt: excerptOf(item.excerpt ?? ''),
    })),
  );
  for (const userId of new Set(rows.map((row) => row.userId))) {
    await deps.bus.publish({ topic: NOTIFICATION_TOPIC, data: { userId } }, tx);
  }
}

function excerptOf(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= EXCERPT ? flat : `${flat.slice(0, EXCERPT - 1)}…`;
}

/** The user's notifications, newest first, a page at a time; with the count of unread ones. */
export async function listNotifications(
  deps: Deps,
  userId: string,
  query: NotificationQuery,
): Promise<NotificationPage> {
  const db = deps.database.db;
  const conditions = [eq(notifications.userId, userId)];
  if (query.unread) conditions.push(isNull(notifications.readAt));
  if (query.cursor) {
    const [createdAt, id] = decodeCursor(query.cursor, 2);
    const at = new Date(String(createdAt));
    conditions.push(
      or(
        lt(notifications.createdAt, at),
        and(eq(notifications.createdAt, at), lt(notifications.id, String(id))),
      )!,
    );
  }
  const rows = await db
    .select({ notification: notifications, actorName: users.name })
    .from(notifications)
    .leftJoin(users, eq(users.id, notifications.actorUserId))
    .where(and(...conditions))
    .orderBy(sql`${notifications.createdAt} desc`, sql`${notifications.id} desc`)
    .limit(query.limit + 1);
  const [unread] = await db.select({ n: count() }).from(
    db
      .select({ id: notifications.id })
      .from(notifications)
      .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
      .limit(100)
      .as('unread'),
  );
  const page = toPage(rows, query.limit, present, (r) => [
    r.notification.createdAt.toISOString(),
    r.notification.id,
  ]);
  return { ...page, unread: Number(unread?.n ?? 0) };
}

function present(row: {
  notification: typeof notifications.$inferSelect;
  actorName: string | null;
}): Notification {
  const n = row.notification;
  return {
    id: n.id,
    kind: n.kind as Notification['kind'],
    ticket:
      n.ticketId !== null
        ? { id: n.ticketId, number: Number(n.ticketNumber), subject: n.ticketSubject ?? '' }
        : null,
    target: n.targetId !== null ? { id: n.targetId, name: n.targetName ?? '' } : null,
    account: n.accountId !== null ? { id: n.accountId, name: n.accountName ?? '' } : null,
    actor: n.actorUserId && row.actorName !== null ? { id: n.actorUserId, name: row.actorName } : null,
    excerpt: n.excerpt,
    createdAt: n.createdAt.toISOString(),
    readAt: n.readAt?.toISOString() ?? null,
  };
}

/** Marks some or all of the user's notifications read; another user's ids are ignored. */
export async function markRead(deps: Deps, userId: string, body: MarkReadBody): Promise<{ updated: number }> {
  const updated = await deps.database.db
    .update(notifications)
    .set({ readAt: deps.now() })
    .where(
      and(
        eq(notifications.userId, userId),
        isNull(notifications.readAt),
        body.ids?.length ? inArray(notifications.id, body.ids) : undefined,
      ),
    )
    .returning({ id: notifications.id });
  if (updated.length > 0) {
    await deps.bus.publish({ topic: NOTIFICATION_TOPIC, data: { userId } });
  }
  return { updated: updated.length };
}
