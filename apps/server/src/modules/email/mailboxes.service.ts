import type { CreateMailboxBody, Mailbox, MailboxList, UpdateMailboxBody } from '@keepdesk/contract';
import { and, asc, eq, inArray } from 'drizzle-orm';
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
  return withTransaction(deps.database, async (tx) => {
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
}

export async function updateMailbox(
  deps: Deps,
  actor: Actor,
  id: string,
  input: UpdateMailboxBody,
): Promise<Mailbox> {
  return withTransaction(deps.database, async (tx) => {
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
}

/** The active mailbox among a message's recipients, if any (the first in the order given). */
export async function mailboxFor(
  executor: Executor,
  recipients: readonly string[],
): Promise<MailboxRow | null> {
  if (recipients.length === 0) return null;
  const rows = await executor
    .select()
    .from(mailboxes)
    .where(and(inArray(mailboxes.address, [...recipients]), eq(mailboxes.active, true)));
  for (const address of recipients) {
    const found = rows.find((r) => r.address === address);
    if (found) return found;
  }
  return null;
}
