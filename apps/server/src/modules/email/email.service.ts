import { createHash } from 'node:crypto';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { ParsedMail } from 'mailparser';
import type { Deps } from '../../platform/context';
import { isUniqueViolation, withTransaction } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { type Actor, recordChange, SYSTEM_ACTOR } from '../../platform/events';
import { stableUuid } from '../../platform/jobs';
import { contactIdentities, markEmailBouncing, normalizeEmail, requesterByEmail } from '../customers';
import {
  addCustomerMessage,
  addFollowersByEmail,
  addSystemNote,
  attachToMessage,
  createTicket,
  messageByExternalRef,
  tickets,
} from '../tickets';
import {
  automaticReason,
  type DeliveryReport,
  deliveryReport,
  essentialHeadersOnly,
  headersAsUtf8,
  isBlocked,
  isSpam,
  normalizeMessageId,
  referencedIds,
  ticketNumberFromTokens,
  ticketNumberInSubject,
  ticketSubject,
} from './email.domain';
import { inboundEmails, mailboxes, outboundEmails, ticketEmailCcs } from './email.tables';
import { blockedPatterns } from './held.service';
import { mailboxFor, ownAddresses } from './mailboxes.service';
import { queueAcknowledgement, replySecret } from './outbound.service';

export interface IngestResult {
  id: string;
  outcome: 'ticket' | 'reply' | 'quarantined' | 'spam' | 'blocked' | 'bounce';
  duplicate: boolean;
  ticketId: string | null;
  ticketMessageId: string | null;
  problem: string | null;
}

type InboundRow = typeof inboundEmails.$inferSelect;
type MailboxRow = typeof mailboxes.$inferSelect;

/** What an inbound message became; `ticket` when it opened one (what its acknowledgement needs). */
interface Written {
  ticketId: string;
  messageId: string;
  opened: boolean;
  ticket?: { id: string; number: number; subject: string; language: string };
}

/** When each mailbox's arrival was last written by this process: its health needs minutes, not every mail. */
const arrivals = new Map<string, number>();
const ARRIVAL_PRECISION_MS = 10_000;

async function noteArrival(deps: Deps, mailboxId: string): Promise<void> {
  const now = deps.now();
  if (now.getTime() - (arrivals.get(mailboxId) ?? 0) < ARRIVAL_PRECISION_MS) return;
  arrivals.set(mailboxId, now.getTime());
  await deps.database.db.update(mailboxes).set({ lastReceivedAt: now }).where(eq(mailboxes.id, mailboxId));
}

function resultOf(row: InboundRow, duplicate: boolean): IngestResult {
  return {
    id: row.id,
    outcome: row.outcome === 'received' ? 'quarantined' : (row.outcome as IngestResult['outcome']),
    duplicate,
    ticketId: row.ticketId,
    ticketMessageId: row.ticketMessageId,
    problem: row.problem,
  };
}

async function parse(raw: Buffer): Promise<{ mail: ParsedMail | null; problem: string | null }> {
  // Loaded on first use: the parser is large, and most processes (the CLI, web-only servers) never need it.
  const { simpleParser } = await import('mailparser');
  try {
    const readable = headersAsUtf8(raw) ?? raw;
    return { mail: await simpleParser(readable, { skipImageLinks: true }), problem: null };
  } catch (error) {
    const problem = `unreadable message: ${(error as Error).message}`;
    // A header block the parser refuses still has a sender, a subject and a body worth reading.
    const cut = essentialHeadersOnly(raw);
    if (!cut) return { mail: null, problem };
    try {
      const mail = await simpleParser(cut, { skipImageLinks: true });
      return { mail, problem: `${problem}; read with its essential headers only` };
    } catch {
      return { mail: null, problem };
    }
  }
}

/** Points `cid:` image sources at the attachments they name; an unknown `cid:` is dropped by sanitising. */
function withInlineImages(html: string, inline: ReadonlyMap<string, string>): string {
  if (inline.size === 0) return html;
  return html.replace(/(["'])cid:([^"']+)\1/gi, (whole, quote: string, cid: string) => {
    const id = inline.get(normalizeMessageId(cid) ?? '');
    return id ? `${quote}/api/v1/attachments/${id}${quote}` : whole;
  });
}

/** A header as text, whether mailparser kept it as a string or parsed it into a value with parameters. */
function headerText(mail: ParsedMail, name: string): string | undefined {
  // mailparser gathers the List-* headers into one `list` value keyed by what follows the dash.
  const value = name.startsWith('list-')
    ? (mail.headers.get('list') as Record<string, unknown> | undefined)?.[name.slice(5)]
    : mail.headers.get(name);
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.join(' ');
  if (typeof value === 'object' && 'value' in value) return String(value.value);
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Who a message was for: envelope-like headers first (Delivered-To, X-Original-To), then To and Cc. */
function recipientsOf(mail: ParsedMail): string[] {
  const header = (name: string) => {
    const value = mail.headers.get(name);
    return typeof value === 'string' ? [value] : [];
  };
  const listed = [mail.to, mail.cc]
    .flatMap((field) => (Array.isArray(field) ? field : field ? [field] : []))
    .flatMap((group) => group.value.map((a) => a.address ?? ''));
  return [
    ...new Set(
      [...header('delivered-to'), ...header('x-original-to'), ...listed]
        .map((address) => address.trim().replace(/^<|>$/g, '').toLowerCase())
        .filter((address) => address.includes('@')),
    ),
  ];
}

/**
 * The ticket a reply belongs to: by the Message-IDs it refers to (ours and the customer's), then by
 * `[#number]` from the ticket's own requester, then by a valid reply token in one of those Message-IDs.
 */
async function threadOf(deps: Deps, mail: ParsedMail, from: string): Promise<string | null> {
  const db = deps.database.db;
  const refs = referencedIds(mail.inReplyTo, mail.references);
  if (refs.length > 0) {
    // Message-IDs we took in or sent, in one round trip; the most recent message that names a ticket wins.
    const { rows } = await deps.database.query(
      `select ticket_id from (
         select ticket_id, received_at as at from inbound_emails
          where message_id_header = any($1::text[]) and ticket_id is not null
         union all
         select ticket_id, created_at from outbound_emails where message_id_header = any($1::text[])
       ) known order by at desc limit 1`,
      [refs],
    );
    if (rows[0]) return String(rows[0].ticket_id);
  }
  const number = ticketNumberInSubject(mail.subject);
  if (number !== null) {
    // Never by the subject alone across senders: the number counts only from the ticket's own requester.
    const [same] = await db
      .select({ id: tickets.id })
      .from(tickets)
      .innerJoin(contactIdentities, eq(contactIdentities.contactId, tickets.requesterId))
      .where(
        and(
          eq(tickets.number, number),
          eq(contactIdentities.kind, 'email'),
          eq(contactIdentities.value, normalizeEmail(from)),
        ),
      );
    if (same) return same.id;
  }
  const byToken = refs.length > 0 ? ticketNumberFromTokens(await replySecret(deps), refs) : null;
  if (byToken === null) return null;
  const [signed] = await db.select({ id: tickets.id }).from(tickets).where(eq(tickets.number, byToken));
  return signed?.id ?? null;
}

/**
 * Takes one raw RFC 822 message in: the bytes are stored and recorded first, a message seen before (same
 * Message-ID, or same bytes without one) is answered with what it became, a reply joins its ticket, anything
 * else opens a ticket. What cannot become a ticket (no sender) stays recorded with the reason.
 */
export async function ingestEmail(
  deps: Deps,
  raw: Buffer,
  options: {
    actor?: Actor;
    envelopeTo?: readonly string[];
    /** An admin released it from the spam or block list: it becomes a ticket now. */
    release?: boolean;
  } = {},
): Promise<IngestResult> {
  const actor = options.actor ?? SYSTEM_ACTOR;
  const db = deps.database.db;
  const contentHash = createHash('sha256').update(raw).digest('hex');
  const { mail, problem: parseProblem } = await parse(raw);
  const messageIdHeader = normalizeMessageId(mail?.messageId);
  const seen = async () => {
    const [row] = await db
      .select()
      .from(inboundEmails)
      .where(
        messageIdHeader
          ? eq(inboundEmails.messageIdHeader, messageIdHeader)
          : and(isNull(inboundEmails.messageIdHeader), eq(inboundEmails.contentHash, contentHash)),
      );
    return row;
  };
  const from = mail?.from?.value.find((a) => a.address)?.address ?? null;
  const mailbox = await mailboxFor(db, [...(options.envelopeTo ?? []), ...(mail ? recipientsOf(mail) : [])]);
  if (mailbox) await noteArrival(deps, mailbox.id);
  // Insert first: a new message (the common case) costs one statement; a known one is looked up after.
  const storageKey = await deps.storage.put(raw);
  let [row] = await db
    .insert(inboundEmails)
    .values({
      messageIdHeader,
      mailboxId: mailbox?.id ?? null,
      contentHash,
      storageKey,
      size: raw.length,
      fromAddress: from,
      subject: mail?.subject?.slice(0, 1000) ?? null,
      problem: parseProblem ?? (from ? null : 'no sender address'),
    })
    .onConflictDoNothing()
    .returning();
  const fresh = row !== undefined;
  if (!row) {
    await deps.storage.delete(storageKey);
    row = await seen();
    if (!row) throw new Error('an inbound e-mail clashed with a record that is gone');
    // Taken in before: answer with what it became. Still `received`: a crash interrupted it, finish it now.
    if (row.outcome !== 'received') return resultOf(row, true);
  }
  if (!mail || !from) return resultOf(row!, false);
  const screened = options.release ? null : await screen(deps, row!, raw, mail, from);
  if (screened) return resultOf(screened, false);

  // Files over the attachment limit stay in the raw message, which remains downloadable. Inline images get
  // their ids now (derived from the message, the same on a retry), so that the body can show them.
  const all = (mail.attachments ?? []).map((a, index) => ({
    fileName: a.filename,
    data: a.content,
    contentId: a.contentId ? normalizeMessageId(a.contentId) : null,
    id: stableUuid(`${row!.id}:attachment:${index}`),
  }));
  const files = all.filter((f) => f.data.length <= deps.config.attachmentMaxBytes);
  const skipped = all.filter((f) => !files.includes(f)).map((f) => f.fileName ?? 'attachment');
  const inline = new Map(files.filter((f) => f.contentId).map((f) => [f.contentId!, f.id]));
  // The message carries the inbound record's id: after a crash the retry finds what was already written.
  const externalRef = `email:${row!.id}`;
  const written: Written =
    (fresh ? null : await messageByExternalRef(db, externalRef)) ??
    (await writeMessage(deps, actor, { mail, from, mailbox, externalRef, inline }));
  await attachToMessage(deps, written.ticketId, written.messageId, files, { fresh });
  await addCopiedPeople(deps, actor, written.ticketId, mail, from);
  const automatic = automaticReason((name) => headerText(mail, name), mail.subject ?? '');
  let ackSkipped: string | null = null;
  if (written.opened && mailbox) {
    ackSkipped = automatic
      ? `sent by a machine (${automatic})`
      : await queueAcknowledgement(deps, {
          ticketId: written.ticketId,
          ticket: written.ticket,
          mailbox,
          to: from,
          answering: messageIdHeader,
        });
  }
  const [done] = await db
    .update(inboundEmails)
    .set({
      automatic,
      ackSkipped,
      outcome: written.opened ? 'ticket' : 'reply',
      ticketId: written.ticketId,
      ticketMessageId: written.messageId,
      problem:
        [
          parseProblem,
          skipped.length > 0
            ? `attachments over the size limit kept in the raw message: ${skipped.join(', ')}`
            : null,
        ]
          .filter(Boolean)
          .join('; ') || null,
    })
    .where(eq(inboundEmails.id, row!.id))
    .returning();
  return resultOf(done!, false);
}

/** A reply on the ticket it belongs to, else a new ticket; a concurrent twin of this message wins instead. */
async function writeMessage(
  deps: Deps,
  actor: Actor,
  input: {
    mail: ParsedMail;
    from: string;
    mailbox: MailboxRow | null;
    externalRef: string;
    inline: ReadonlyMap<string, string>;
  },
): Promise<Written> {
  const { mail, from, mailbox, externalRef, inline } = input;
  const body = withInlineImages(mail.html || mail.textAsHtml || mail.text || '', inline);
  const name = mail.from?.value[0]?.name || undefined;
  try {
    const threadId = await threadOf(deps, mail, from);
    if (threadId) {
      const contact = await withTransaction(deps.database, (tx) =>
        requesterByEmail(tx, actor, from, name, 'en'),
      );
      const reply = await addCustomerMessage(deps, actor, threadId, {
        contactId: contact.id,
        body: body || '(empty message)',
        channel: 'email',
        externalRef,
        reopenSolved: mailbox?.reopenSolved ?? true,
      });
      if (reply) return { ticketId: reply.ticket.id, messageId: reply.messageId, opened: false };
    }
    const created = await createTicket(
      deps,
      actor,
      {
        subject: ticketSubject(mail.subject),
        requester: { email: from, name },
        message: { body: body || '(empty message)', visibility: 'public' },
        priority: 'normal',
        type: 'question',
        channel: 'email',
        assigneeId: null,
        teamId: mailbox?.teamId ?? null,
        tags: [],
        customFields: {},
      },
      { externalRef },
    );
    return {
      ticketId: created.id,
      messageId: created.firstMessage.id,
      opened: true,
      ticket: {
        id: created.id,
        number: created.number,
        subject: created.subject,
        language: created.language,
      },
    };
  } catch (error) {
    const twin = isUniqueViolation(error) ? await messageByExternalRef(deps.database.db, externalRef) : null;
    if (twin) return twin;
    throw error;
  }
}

/** The Content-Type with its parameters, as one string (mailparser splits it into value and params). */
function contentTypeOf(mail: ParsedMail): string {
  const value = mail.headers.get('content-type') as
    | { value?: string; params?: Record<string, string> }
    | undefined;
  if (!value || typeof value !== 'object') return String(value ?? '');
  const params = Object.entries(value.params ?? {}).map(([key, v]) => `; ${key}=${v}`);
  return `${value.value ?? ''}${params.join('')}`;
}

/**
 * What must not become a ticket: a bounce (noted on the ticket it bounced from instead), spam, a blocked
 * sender. Returns the row as recorded, or null for a message to take in.
 */
async function screen(
  deps: Deps,
  row: InboundRow,
  raw: Buffer,
  mail: ParsedMail,
  from: string,
): Promise<InboundRow | null> {
  const db = deps.database.db;
  const report = deliveryReport(raw.toString('latin1'), contentTypeOf(mail), from);
  if (report) return recordBounce(deps, row, report, mail.subject ?? '');
  const hold = async (outcome: 'spam' | 'blocked', problem: string) => {
    const [held] = await db
      .update(inboundEmails)
      .set({ outcome, problem })
      .where(eq(inboundEmails.id, row.id))
      .returning();
    return held!;
  };
  if (isSpam((name) => headerText(mail, name))) {
    return hold('spam', 'marked as spam (X-Spam-Flag or X-Spam-Status)');
  }
  const blocked = isBlocked(from, await blockedPatterns(deps));
  if (blocked) return hold('blocked', `the sender is on the block list (${blocked})`);
  return null;
}

/**
 * A delivery-status notification: the addresses that failed are marked bouncing, the e-mails it returns are
 * marked failed, and the ticket they belong to gets an internal note with the reason.
 */
async function recordBounce(
  deps: Deps,
  row: InboundRow,
  report: DeliveryReport,
  subject: string,
): Promise<InboundRow> {
  const db = deps.database.db;
  const failed = report.recipients.filter((r) => r.action === 'failed');
  const delayedOnly = report.recipients.length > 0 && failed.length === 0;
  const reason =
    failed.map((r) => `${r.address}: ${[r.status, r.diagnostic].filter(Boolean).join(' ')}`).join('; ') ||
    subject ||
    'returned as undeliverable';
  for (const recipient of failed) {
    const why = [recipient.status, recipient.diagnostic].filter(Boolean).join(' ');
    await markEmailBouncing(db, recipient.address, why, deps.now());
  }
  const returned =
    report.originalMessageIds.length > 0
      ? await db
          .select()
          .from(outboundEmails)
          .where(inArray(outboundEmails.messageIdHeader, report.originalMessageIds))
      : [];
  if (!delayedOnly) {
    for (const sent of returned) {
      await db
        .update(outboundEmails)
        .set({ status: 'failed', lastError: `bounced: ${reason}`.slice(0, 1000), nextAttemptAt: null })
        .where(eq(outboundEmails.id, sent.id));
      await recordChange(db, SYSTEM_ACTOR, {
        action: 'ticket.email_delivery',
        entityType: 'ticket',
        entityId: sent.ticketId,
        data: { outboundId: sent.id, status: 'failed', bounced: true },
      });
    }
  }
  const ticketId = returned[0]?.ticketId ?? null;
  let noteId: string | null = null;
  if (ticketId) {
    const externalRef = `email:${row.id}`;
    const heading = delayedOnly
      ? 'Zustellung verzögert · Delivery delayed'
      : 'Zustellung fehlgeschlagen · Delivery failed';
    noteId =
      (await messageByExternalRef(db, externalRef))?.messageId ??
      (await addSystemNote(deps, ticketId, {
        body: `${heading}\n\n${reason}\n\n${returned.map((r) => r.subject).join('\n')}`,
        externalRef,
      }));
  }
  const [done] = await db
    .update(inboundEmails)
    .set({
      outcome: 'bounce',
      automatic: 'a delivery-status notification',
      ticketId,
      ticketMessageId: noteId,
      problem: ticketId ? null : 'a bounce for a message we did not send or no longer know',
    })
    .where(eq(inboundEmails.id, row.id))
    .returning();
  return done!;
}

/**
 * The people copied on a customer's mail (Cc, and To besides our addresses): agents follow the ticket, the
 * others get our replies in Cc from now on.
 */
async function addCopiedPeople(deps: Deps, actor: Actor, ticketId: string, mail: ParsedMail, from: string) {
  const db = deps.database.db;
  const sender = normalizeEmail(from);
  const copied = [
    ...new Set(
      [mail.to, mail.cc]
        .flatMap((field) => (Array.isArray(field) ? field : field ? [field] : []))
        .flatMap((group) => group.value.map((a) => normalizeEmail(a.address ?? '')))
        .filter((address) => address.includes('@') && address !== sender),
    ),
  ].slice(0, 50);
  if (copied.length === 0) return;
  const ours = await ownAddresses(db, copied);
  const people = copied.filter((address) => !ours.has(address));
  if (people.length === 0) return;
  const agents = await addFollowersByEmail(deps, actor, ticketId, people);
  const customers = people.filter((address) => !agents.includes(address));
  if (customers.length > 0) {
    await db
      .insert(ticketEmailCcs)
      .values(customers.map((address) => ({ ticketId, address })))
      .onConflictDoNothing();
  }
}

/** Lets an admin take a message out of spam or the block list: it becomes a ticket as if it just arrived. */
export async function releaseEmail(deps: Deps, actor: Actor, id: string): Promise<IngestResult> {
  const db = deps.database.db;
  const [row] = await db.select().from(inboundEmails).where(eq(inboundEmails.id, id));
  if (!row) throw notFound('inbound e-mail', id);
  if (row.outcome !== 'spam' && row.outcome !== 'blocked') {
    throw new AppError('CONFLICT', {
      message: `only spam or blocked mail can be released; this is ${row.outcome}`,
    });
  }
  await db.update(inboundEmails).set({ outcome: 'received', problem: null }).where(eq(inboundEmails.id, id));
  await recordChange(db, actor, {
    action: 'email.released',
    entityType: 'inbound_email',
    entityId: id,
    data: { was: row.outcome },
  });
  return ingestEmail(deps, await deps.storage.get(row.storageKey), { actor, release: true });
}

/** The stored raw message of an inbound e-mail. */
export async function rawEmail(deps: Deps, id: string): Promise<Buffer | null> {
  const [row] = await deps.database.db
    .select({ storageKey: inboundEmails.storageKey })
    .from(inboundEmails)
    .where(eq(inboundEmails.id, id));
  return row ? deps.storage.get(row.storageKey) : null;
}
