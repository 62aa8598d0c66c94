import type { CreateMailboxBody, Mailbox, MailboxList, UpdateMailboxBody } from '@keepdesk/contract';
import { asc, eq } from 'drizzle-orm';
import { ShortCache } from '../../platform/cache';
import type { Deps } from '../../platform/context';
import { type Executor, withTransaction } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { type Actor, recordChange } from '../../platform/events';
import { teamNameOrFail } from '../teams';
import { mailboxes } from './email.tables';

type MailboxRow = typeof mailboxes.$inferSelect;

/** An SMTP or IMAP URL with its password replaced, for answers and logs. */
export function maskSmtpUrl(url: string | null): string | null {
  if (!url) return null;
  return url.replace(/^((?:smtp|imap)s?:\/\/[^:/@]+):[^@]*@/, '$1:***@');
}

function present(row: MailboxRow): Mailbox {
  return {
    id: row.id,
    address: row.address,
    senderName: row.senderName,
    teamId: row.teamId,
    signature: row.signature,
    autoAcknowledge: row.autoAcknowledge,
    reopenSolved: row.reopenSolved,
    ackSubjectEn: row.ackSubjectEn,
    ackBodyEn: row.ackBodyEn,
    ackSubjectDe: row.ackSubjectDe,
    ackBodyDe: row.ackBodyDe,
    smtpUrl: maskSmtpUrl(row.smtpUrl),
    imapUrl: maskSmtpUrl(row.imapUrl),
    imapFolder: row.imapFolder,
    lastPolledAt: row.lastPolledAt?.toISOString() ?? null,
    active: row.active,
    lastReceivedAt: row.lastReceivedAt?.toISOString() ?? null,
    lastError: row.lastError,
    lastErrorAt: row.lastErrorAt?.toISOString() ?? null,
  };
}

export async function listMailboxes(deps: Deps): Promise<MailboxList> {
  const rows = await deps.database.db.select().from(mailboxes).orderBy(asc(mailboxes.address));
  return { items: rows.map(present) };
}

export async function createMailbox(deps: Deps, actor: Actor, input: CreateMailboxBody): Promise<Mailbox> {
  const created = await withTransaction(deps.database, async (tx) => {
    await teamNameOrFail(tx, input.teamId);
    const [clash] = await tx
      .select({ id: mailboxes.id })
      .from(mailboxes)
      .where(eq(mailboxes.address, input.address));
    if (clash) {
      throw new AppError('CONFLICT', {
        message: `${input.address} is already a mailbox`,
        errors: [{ field: 'address', message: 'already a mailbox' }],
      });
    }
    const [row] = await tx.insert(mailboxes).values(input).returning();
    await recordChange(tx, actor, {
      action: 'mailbox.created',
      entityType: 'mailbox',
      entityId: row!.id,
      data: { address: input.address, teamId: input.teamId },
    });
    return present(row!);
  });
  forgetMailboxes(deps);
  return created;
}

export async function updateMailbox(
  deps: Deps,
  actor: Actor,
  id: string,
  input: UpdateMailboxBody,
): Promise<Mailbox> {
  const updated = await withTransaction(deps.database, async (tx) => {
    const [before] = await tx.select().from(mailboxes).where(eq(mailboxes.id, id)).for('update');
    if (!before) throw notFound('mailbox', id);
    await teamNameOrFail(tx, input.teamId);
    // Another account or folder is read from its start: UIDs of one folder mean nothing in another.
    const elsewhere =
      (input.imapUrl !== undefined && input.imapUrl !== before.imapUrl) ||
      (input.imapFolder !== undefined && input.imapFolder !== before.imapFolder);
    const [row] = await tx
      .update(mailboxes)
      .set({ ...input, ...(elsewhere ? { imapUidValidity: null, imapLastUid: 0 } : {}) })
      .where(eq(mailboxes.id, id))
      .returning();
    const { smtpUrl, imapUrl, ...visible } = input;
    await recordChange(tx, actor, {
      action: 'mailbox.updated',
      entityType: 'mailbox',
      entityId: id,
      data: {
        ...visible,
        ...(smtpUrl !== undefined ? { smtpUrl: maskSmtpUrl(smtpUrl) } : {}),
        ...(imapUrl !== undefined ? { imapUrl: maskSmtpUrl(imapUrl) } : {}),
      },
    });
    return present(row!);
  });
  forgetMailboxes(deps);
  return updated;
}

/** How long a process trusts its list of mailboxes; a change made through another process shows after this. */
const activeList = new ShortCache<MailboxRow[]>(5_000);

/** The active mailboxes, read at most every few seconds: every inbound message and SMTP recipient asks. */
function activeMailboxes(executor: Executor): Promise<MailboxRow[]> {
  return activeList.get(executor, () => executor.select().from(mailboxes).where(eq(mailboxes.active, true)));
}

/** A change made here is seen here at once. */
function forgetMailboxes(deps: Deps): void {
  activeList.forget(deps.database.db);
}

/** The active mailbox among a message's recipients, if any (the first in the order given). */
export async function mailboxFor(
  executor: Executor,
  recipients: readonly string[],
): Promise<MailboxRow | null> {
  if (recipients.length === 0) return null;
  const rows = await activeMailboxes(executor);
  for (const address of recipients) {
    const found = rows.find((r) => r.address === address);
    if (found) return found;
  }
  return null;
}

/** Which of these addresses are our own mailboxes (copied on a customer's mail, they are no people). */
export async function ownAddresses(executor: Executor, addresses: readonly string[]): Promise<Set<string>> {
  const rows = await activeMailboxes(executor);
  return new Set(addresses.filter((address) => rows.some((r) => r.address === address)));
}
