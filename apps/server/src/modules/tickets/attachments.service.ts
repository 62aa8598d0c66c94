import { createHash } from 'node:crypto';
import type { Attachment } from '@keepdesk/contract';
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { fileTypeFromBuffer } from 'file-type';
import type { Deps } from '../../platform/context';
import type { Executor, Tx } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import type { Actor } from '../../platform/events';
import { safeFileName, sniffContentType } from './attachments.domain';
import { attachments, tickets } from './tickets.tables';

type AttachmentRow = typeof attachments.$inferSelect;

export interface IncomingFile {
  fileName: string | undefined;
  data: Buffer;
  /** A id chosen in advance, for a file the message body already points to (an inline image). */
  id?: string;
}

function present(row: AttachmentRow): Attachment {
  return {
    id: row.id,
    fileName: row.fileName,
    contentType: row.contentType,
    size: row.size,
    url: `/api/v1/attachments/${row.id}`,
  };
}

/** Puts a file into the storage and says what it is (from its bytes) and how big. */
export async function storeFile(deps: Deps, file: IncomingFile) {
  if (file.data.length > deps.config.attachmentMaxBytes) throw tooLarge(deps, file.fileName);
  const fileName = safeFileName(file.fileName);
  const detected = await fileTypeFromBuffer(file.data);
  const contentType = sniffContentType(file.data.subarray(0, 4096), fileName, detected?.mime);
  const storageKey = await deps.storage.put(file.data);
  return {
    fileName,
    contentType,
    size: file.data.length,
    sha256: createHash('sha256').update(file.data).digest('hex'),
    storageKey,
  };
}

export function tooLarge(deps: Deps, fileName: string | undefined): AppError {
  const megabytes = Math.round((deps.config.attachmentMaxBytes / 1024 / 1024) * 10) / 10;
  return new AppError('PAYLOAD_TOO_LARGE', {
    message: `${safeFileName(fileName)} is larger than the limit of ${megabytes} MB`,
    errors: [{ field: 'file', message: `larger than ${megabytes} MB` }],
  });
}

/** Files an agent uploads to a ticket before sending them with a message. */
export async function uploadAttachments(
  deps: Deps,
  actor: Actor,
  ticketId: string,
  files: IncomingFile[],
): Promise<{ items: Attachment[] }> {
  const [ticket] = await deps.database.db
    .select({ statusCategory: tickets.statusCategory })
    .from(tickets)
    .where(eq(tickets.id, ticketId));
  if (!ticket) throw notFound('ticket', ticketId);
  if (ticket.statusCategory === 'closed') {
    throw new AppError('TICKET_CLOSED', { message: `ticket ${ticketId} is closed` });
  }
  const stored = [];
  for (const file of files) stored.push(await storeFile(deps, file));
  const rows = await deps.database.db
    .insert(attachments)
    .values(stored.map((s) => ({ ...s, ticketId, uploadedByUserId: actor.userId })))
    .returning();
  return { items: rows.map(present) };
}

/**
 * Stores files that arrive with a message (e-mail, web form) straight onto it, in one statement: a message
 * that already has its files (a channel delivering again after a crash) gets none twice.
 */
export async function attachToMessage(
  deps: Deps,
  ticketId: string,
  messageId: string,
  files: IncomingFile[],
  options: { fresh?: boolean } = {},
): Promise<void> {
  if (files.length === 0) return;
  // A message written just now has no files yet; one from a repeated delivery may.
  if (!options.fresh) {
    const [already] = await deps.database.db
      .select({ id: attachments.id })
      .from(attachments)
      .where(eq(attachments.messageId, messageId))
      .limit(1);
    if (already) return;
  }
  const stored = [];
  for (const file of files)
    stored.push({ ...(await storeFile(deps, file)), ...(file.id ? { id: file.id } : {}) });
  await deps.database.db.insert(attachments).values(stored.map((s) => ({ ...s, ticketId, messageId })));
}

/** Sends the uploader's pending files of this ticket with a message; any other id is a 400. */
export async function bindAttachments(
  tx: Tx,
  ticketId: string,
  messageId: string,
  ids: readonly string[],
  userId: string | null,
): Promise<void> {
  if (ids.length === 0) return;
  const unique = [...new Set(ids)];
  const bound = await tx
    .update(attachments)
    .set({ messageId })
    .where(
      and(
        inArray(attachments.id, unique),
        eq(attachments.ticketId, ticketId),
        isNull(attachments.messageId),
        userId ? eq(attachments.uploadedByUserId, userId) : isNull(attachments.uploadedByUserId),
      ),
    )
    .returning({ id: attachments.id });
  if (bound.length !== unique.length) {
    const found = new Set(bound.map((b) => b.id));
    const missing = unique.filter((id) => !found.has(id));
    throw new AppError('VALIDATION_FAILED', {
      message: `attachments ${missing.join(', ')} are not your unsent uploads on this ticket`,
      errors: [{ field: 'attachmentIds', message: `not yours to send here: ${missing.join(', ')}` }],
    });
  }
}

/** The attachments of messages, by message id. */
export async function attachmentsOf(
  executor: Executor,
  messageIds: readonly string[],
): Promise<Map<string, Attachment[]>> {
  const byMessage = new Map<string, Attachment[]>();
  if (messageIds.length === 0) return byMessage;
  const rows = await executor
    .select()
    .from(attachments)
    .where(inArray(attachments.messageId, [...messageIds]))
    .orderBy(asc(attachments.createdAt), asc(attachments.fileName), asc(attachments.id));
  for (const row of rows) {
    const list = byMessage.get(row.messageId!) ?? [];
    list.push(present(row));
    byMessage.set(row.messageId!, list);
  }
  return byMessage;
}

/** An attachment's metadata and bytes for download. */
export async function openAttachment(deps: Deps, actor: Actor, id: string) {
  const [row] = await deps.database.db.select().from(attachments).where(eq(attachments.id, id));
  // Unsent uploads are their uploader's alone.
  if (!row || (!row.messageId && row.uploadedByUserId !== actor.userId)) throw notFound('attachment', id);
  return { row, data: await deps.storage.get(row.storageKey) };
}

/** Removes an unsent upload (the agent took it off the reply). */
export async function discardAttachment(deps: Deps, actor: Actor, id: string): Promise<void> {
  const [row] = await deps.database.db
    .delete(attachments)
    .where(
      and(
        eq(attachments.id, id),
        isNull(attachments.messageId),
        actor.userId ? eq(attachments.uploadedByUserId, actor.userId) : isNull(attachments.uploadedByUserId),
      ),
    )
    .returning();
  if (!row) throw notFound('unsent attachment', id);
  await deps.storage.delete(row.storageKey);
}
