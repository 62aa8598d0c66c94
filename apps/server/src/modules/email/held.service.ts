import type {
  CreateEmailBlockBody,
  EmailBlock,
  EmailBlockList,
  HeldEmail,
  HeldEmailKind,
  HeldEmailList,
} from '@keepdesk/contract';
import { and, asc, desc, eq, isNull, or, type SQL } from 'drizzle-orm';
import { ShortCache } from '../../platform/cache';
import type { Deps } from '../../platform/context';
import { isUniqueViolation } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { type Actor, recordChange } from '../../platform/events';
import { emailBlocks, inboundEmails, mailboxes } from './email.tables';

const KIND_CONDITION: Record<HeldEmailKind, SQL> = {
  quarantined: eq(inboundEmails.outcome, 'received'),
  spam: eq(inboundEmails.outcome, 'spam'),
  blocked: eq(inboundEmails.outcome, 'blocked'),
  bounce: and(eq(inboundEmails.outcome, 'bounce'), isNull(inboundEmails.ticketId))!,
};

/**
 * Mail that did not become a ticket, newest first: unreadable or without sender (quarantined), spam, from a
 * blocked sender, or bounces for messages we do not know. Admins look here; nothing is ever dropped.
 */
export async function listHeldEmails(
  deps: Deps,
  query: { kind?: HeldEmailKind; limit: number },
): Promise<HeldEmailList> {
  const rows = await deps.database.db
    .select({ email: inboundEmails, mailbox: mailboxes.address })
    .from(inboundEmails)
    .leftJoin(mailboxes, eq(mailboxes.id, inboundEmails.mailboxId))
    .where(query.kind ? KIND_CONDITION[query.kind] : or(...Object.values(KIND_CONDITION)))
    .orderBy(desc(inboundEmails.receivedAt))
    .limit(query.limit);
  return {
    items: rows.map(
      ({ email, mailbox }): HeldEmail => ({
        id: email.id,
        kind: email.outcome === 'received' ? 'quarantined' : (email.outcome as HeldEmailKind),
        from: email.fromAddress,
        subject: email.subject,
        mailbox,
        problem: email.problem,
        size: email.size,
        receivedAt: email.receivedAt.toISOString(),
        rawUrl: `/api/v1/channels/email/inbound/${email.id}/raw`,
      }),
    ),
  };
}

const blockList = new ShortCache<string[]>(5_000);

/** The block list, read at most every few seconds (every inbound message asks); changes here show at once. */
export function blockedPatterns(deps: Deps): Promise<string[]> {
  const db = deps.database.db;
  return blockList.get(db, () =>
    db
      .select({ pattern: emailBlocks.pattern })
      .from(emailBlocks)
      .then((rows) => rows.map((r) => r.pattern)),
  );
}

function presentBlock(row: typeof emailBlocks.$inferSelect): EmailBlock {
  return { id: row.id, pattern: row.pattern, reason: row.reason, createdAt: row.createdAt.toISOString() };
}

export async function listBlocks(deps: Deps): Promise<EmailBlockList> {
  const rows = await deps.database.db.select().from(emailBlocks).orderBy(asc(emailBlocks.pattern));
  return { items: rows.map(presentBlock) };
}

/** Blocks a sender address or a domain (with its subdomains) from now on. */
export async function addBlock(deps: Deps, actor: Actor, input: CreateEmailBlockBody): Promise<EmailBlock> {
  const db = deps.database.db;
  try {
    const [row] = await db.insert(emailBlocks).values(input).returning();
    blockList.forget(db);
    await recordChange(db, actor, {
      action: 'email.blocked',
      entityType: 'email_block',
      entityId: row!.id,
      data: { pattern: row!.pattern },
    });
    return presentBlock(row!);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    throw new AppError('CONFLICT', {
      message: `${input.pattern} is blocked already`,
      errors: [{ field: 'pattern', message: 'blocked already' }],
    });
  }
}

export async function removeBlock(deps: Deps, actor: Actor, id: string): Promise<void> {
  const db = deps.database.db;
  const [row] = await db.delete(emailBlocks).where(eq(emailBlocks.id, id)).returning();
  blockList.forget(db);
  if (!row) throw notFound('block', id);
  await recordChange(db, actor, {
    action: 'email.unblocked',
    entityType: 'email_block',
    entityId: id,
    data: { pattern: row.pattern },
  });
}
