import { randomBytes } from 'node:crypto';
import type { Delivery, DeliveryList } from '@keepdesk/contract';
import { and, asc, desc, eq, gt, isNotNull, sql } from 'drizzle-orm';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Deps } from '../../platform/context';
import { type Executor, withTransaction } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { type Actor, recordChange, SYSTEM_ACTOR } from '../../platform/events';
import { escapeHtml } from '../../platform/html';
import { stableUuid } from '../../platform/jobs';
import type { MailMessage } from '../../platform/mail';
import { contactIdentities, normalizeEmail } from '../customers';
import { messageForDelivery, tickets } from '../tickets';
import { fillTemplate, outboundMessageId, replySubject, replyToken, retryDelaySeconds } from './email.domain';
import { emailSecrets, inboundEmails, mailboxes, outboundEmails, ticketEmailCcs } from './email.tables';

export const DELIVER_EMAIL = 'email.deliver';
/** Attempts before a message counts as failed; the agent can then retry it by hand. */
export const MAX_ATTEMPTS = 6;
/** Automatic mail (acknowledgements) to one address per hour, at most: a loop stops here at the latest. */
export const AUTOMATIC_PER_HOUR = 5;

type OutboundRow = typeof outboundEmails.$inferSelect;
type MailboxRow = typeof mailboxes.$inferSelect;

const secrets = new WeakMap<object, Map<string, Promise<string>>>();

/** This installation's key for reply tokens, made on first use and kept in the database. */
export function replySecret(deps: Deps): Promise<string> {
  return installationSecret(deps, 'reply-token');
}

/** A key of this installation (for signing links and tokens), made on first use and kept in the database. */
export function installationSecret(deps: Deps, name: string): Promise<string> {
  let known = secrets.get(deps.database);
  if (!known) {
    known = new Map();
    secrets.set(deps.database, known);
  }
  let secret = known.get(name);
  if (!secret) {
    secret = (async () => {
      const db = deps.database.db;
      await db
        .insert(emailSecrets)
        .values({ name, value: randomBytes(32).toString('hex') })
        .onConflictDoNothing();
      const [row] = await db.select().from(emailSecrets).where(eq(emailSecrets.name, name));
      return row!.value;
    })();
    secret.catch(() => known.delete(name));
    known.set(name, secret);
  }
  return secret;
}

/** The mailbox that answers for a ticket: where its mail came in, else its team's, else the first one. */
async function mailboxForTicket(
  executor: Executor,
  ticketId: string,
  teamId: string | null,
): Promise<MailboxRow | null> {
  const [inbound] = await executor
    .select({ mailbox: mailboxes })
    .from(inboundEmails)
    .innerJoin(mailboxes, eq(mailboxes.id, inboundEmails.mailboxId))
    .where(and(eq(inboundEmails.ticketId, ticketId), eq(mailboxes.active, true)))
    .orderBy(desc(inboundEmails.receivedAt))
    .limit(1);
  if (inbound) return inbound.mailbox;
  return mailboxForTeam(executor, teamId);
}

/** The team's active mailbox, else the first one. */
async function mailboxForTeam(executor: Executor, teamId: string | null): Promise<MailboxRow | null> {
  const [fallback] = await executor
    .select()
    .from(mailboxes)
    .where(eq(mailboxes.active, true))
    .orderBy(sql`${mailboxes.teamId} is not distinct from ${teamId} desc`, asc(mailboxes.createdAt))
    .limit(1);
  return fallback ?? null;
}

/** In-Reply-To and References for a new message on a ticket: the customer's last mail, then the thread. */
async function threadHeaders(executor: Executor, ticketId: string) {
  const received = await executor
    .select({ id: inboundEmails.messageIdHeader, at: inboundEmails.receivedAt })
    .from(inboundEmails)
    .where(and(eq(inboundEmails.ticketId, ticketId), isNotNull(inboundEmails.messageIdHeader)));
  const sent = await executor
    .select({ id: outboundEmails.messageIdHeader, at: outboundEmails.createdAt })
    .from(outboundEmails)
    .where(eq(outboundEmails.ticketId, ticketId));
  const thread = [...received, ...sent].sort((a, b) => a.at.getTime() - b.at.getTime());
  const lastReceived = received.sort((a, b) => b.at.getTime() - a.at.getTime())[0]?.id ?? null;
  return {
    inReplyTo: lastReceived ?? thread[thread.length - 1]?.id ?? null,
    // The first message and the most recent ones: what mail clients need to thread, in a bounded header.
    references: [
      ...new Set([thread[0]?.id, ...thread.slice(-19).map((m) => m.id)].filter((id) => id !== undefined)),
    ] as string[],
  };
}

function senderOf(deps: Deps, mailbox: MailboxRow | null): string {
  return mailbox ? `"${mailbox.senderName.replace(/"/g, "'")}" <${mailbox.address}>` : deps.config.mailFrom;
}

function addressOf(from: string): string {
  return /<([^>]+)>/.exec(from)?.[1] ?? from;
}

async function newOutbound(
  deps: Deps,
  values: Omit<typeof outboundEmails.$inferInsert, 'messageIdHeader' | 'fromAddress' | 'mailboxId'> & {
    ticketNumber: number;
    mailbox: MailboxRow | null;
    /** The Message-ID this answers when it is not yet recorded on the ticket (the message coming in now). */
    answering?: string | null;
    /** The thread headers when the caller knows them (a new ticket), saving their lookup. */
    thread?: { inReplyTo: string | null; references: string[] };
  },
  /** The caller's transaction, when the row must be written in it. */
  db: Executor = deps.database.db,
): Promise<OutboundRow | null> {
  const { ticketNumber, mailbox, answering, thread, ...row } = values;
  const from = senderOf(deps, mailbox);
  const token = replyToken(await replySecret(deps), ticketNumber);
  const headers = thread ?? (await threadHeaders(db, row.ticketId));
  const [created] = await db
    .insert(outboundEmails)
    .values({
      ...row,
      mailboxId: mailbox?.id ?? null,
      fromAddress: from,
      messageIdHeader: outboundMessageId(token, addressOf(from), randomBytes(9).toString('base64url')),
      inReplyTo: answering ?? headers.inReplyTo,
      references: answering ? [...new Set([...headers.references, answering])] : headers.references,
    })
    .onConflictDoNothing()
    .returning();
  return created ?? null;
}

/**
 * Queues the e-mail of an agent's public reply to the requester (and the ticket's CCs), once per message,
 * and starts its delivery. Notes, customer messages and requesters without an address send nothing.
 */
export async function queueReply(deps: Deps, messageId: string): Promise<string | null> {
  const db = deps.database.db;
  const found = await messageForDelivery(db, messageId);
  if (found?.message.visibility !== 'public' || found.message.authorKind !== 'agent') return null;
  if (!found.requesterEmail) return null;
  const mailbox = await mailboxForTicket(db, found.ticket.id, found.ticket.teamId);
  const copied = await db
    .select({ address: ticketEmailCcs.address })
    .from(ticketEmailCcs)
    .where(eq(ticketEmailCcs.ticketId, found.ticket.id))
    .orderBy(asc(ticketEmailCcs.createdAt));
  const created = await newOutbound(deps, {
    kind: 'reply',
    ticketId: found.ticket.id,
    ticketMessageId: messageId,
    toAddresses: [found.requesterEmail],
    ccAddresses: copied.map((c) => c.address).filter((address) => address !== found.requesterEmail),
    subject: replySubject(found.ticket.number, found.ticket.subject),
    ticketNumber: found.ticket.number,
    mailbox,
  });
  const row =
    created ??
    (
      await db
        .select()
        .from(outboundEmails)
        .where(and(eq(outboundEmails.ticketMessageId, messageId), eq(outboundEmails.kind, 'reply')))
    )[0];
  if (!row) return null;
  await startDelivery(deps, row);
  return row.id;
}

/** Acknowledgements to the (normalised) address since `since`, not counting the ticket's own. */
async function acknowledgementsSince(
  executor: Executor,
  to: string,
  since: Date,
  exceptTicketId: string,
): Promise<number> {
  const [recent] = await executor
    .select({ n: sql<number>`count(*)::int` })
    .from(outboundEmails)
    .where(
      and(
        eq(outboundEmails.kind, 'acknowledgement'),
        sql`${outboundEmails.toAddresses} @> array[${to}]::text[]`,
        gt(outboundEmails.createdAt, since),
        sql`${outboundEmails.ticketId} <> ${exceptTicketId}`,
      ),
    );
  return Number(recent?.n ?? 0);
}

/**
 * Acknowledges a new ticket in the mailbox's words and the ticket's language, unless the mailbox says not to
 * or the address already got its share of automatic mail this hour. Returns why not, or null.
 */
export async function queueAcknowledgement(
  deps: Deps,
  input: {
    ticketId: string;
    /** The ticket as just created; read from the database when not given (a repeated delivery). */
    ticket?: { id: string; number: number; subject: string; language: string };
    mailbox: MailboxRow;
    to: string;
    answering: string | null;
  },
): Promise<string | null> {
  const { mailbox } = input;
  if (!mailbox.autoAcknowledge) return 'the mailbox sends no acknowledgements';
  // One spelling per address: `Anna@X` and `anna@x` share one hourly allowance.
  const to = normalizeEmail(input.to);
  const db = deps.database.db;
  const [ticket] = input.ticket
    ? [input.ticket]
    : await db
        .select({
          id: tickets.id,
          number: tickets.number,
          subject: tickets.subject,
          language: tickets.language,
        })
        .from(tickets)
        .where(eq(tickets.id, input.ticketId));
  if (!ticket) return 'the ticket no longer exists';
  const german = ticket.language === 'de';
  const values = { number: ticket.number, subject: ticket.subject, portal_url: portalUrl(deps) };
  const subject = fillTemplate(german ? mailbox.ackSubjectDe : mailbox.ackSubjectEn, values);
  await replySecret(deps); // known before the transaction: on PGlite it has the only connection
  const hourAgo = new Date(deps.now().getTime() - 3600_000);
  // Count and write under a lock on the address, so that requests at the same moment (a public form posted
  // from many places at once) cannot each see room for one more.
  const written = await withTransaction(deps.database, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${to}, 3834))`);
    if ((await acknowledgementsSince(tx, to, hourAgo, ticket.id)) >= AUTOMATIC_PER_HOUR) return null;
    const created = await newOutbound(
      deps,
      {
        kind: 'acknowledgement',
        ticketId: ticket.id,
        toAddresses: [to],
        subject: subject.includes(`[#${ticket.number}]`) ? subject : `[#${ticket.number}] ${subject}`,
        ticketNumber: ticket.number,
        mailbox,
        answering: input.answering,
        // A ticket that just opened has no thread but the message it answers.
        thread: input.ticket
          ? { inReplyTo: input.answering, references: input.answering ? [input.answering] : [] }
          : undefined,
      },
      tx,
    );
    const [row] = created
      ? [created]
      : await tx
          .select()
          .from(outboundEmails)
          .where(and(eq(outboundEmails.ticketId, ticket.id), eq(outboundEmails.kind, 'acknowledgement')));
    return { row };
  });
  if (!written)
    return `no acknowledgement: ${to} got ${AUTOMATIC_PER_HOUR} automatic e-mails within the hour`;
  if (written.row) await startDelivery(deps, written.row);
  return null;
}

/**
 * Acknowledges a request a customer made on the web (the help center's contact form, the widget) as mail is
 * acknowledged: from the mailbox that answers for the ticket (its team's, else the first active one), in the
 * ticket's language, under the same hourly limit per address. When nothing is sent the reason is recorded on
 * the ticket (`ticket.acknowledgement_skipped`). Returns that reason, or null.
 */
export async function acknowledgeWebRequest(
  deps: Deps,
  input: { ticketId: string; to: string },
): Promise<string | null> {
  const db = deps.database.db;
  const [ticket] = await db
    .select({
      id: tickets.id,
      number: tickets.number,
      subject: tickets.subject,
      language: tickets.language,
      teamId: tickets.teamId,
    })
    .from(tickets)
    .where(eq(tickets.id, input.ticketId));
  if (!ticket) return null;
  const mailbox = await mailboxForTicket(db, ticket.id, ticket.teamId);
  const skipped = mailbox
    ? await queueAcknowledgement(deps, {
        ticketId: ticket.id,
        ticket: { ...ticket, number: Number(ticket.number) },
        mailbox,
        to: input.to,
        answering: null,
      })
    : 'there is no active mailbox to send from';
  if (skipped) {
    deps.log.info({ ticketId: ticket.id, reason: skipped }, 'web request not acknowledged');
    await recordChange(db, SYSTEM_ACTOR, {
      action: 'ticket.acknowledgement_skipped',
      entityType: 'ticket',
      entityId: ticket.id,
      data: { reason: skipped },
    });
  }
  return skipped;
}

/**
 * Whether the web request just opened as `ticketId` can expect its acknowledgement: an active mailbox for the
 * ticket's team (else the first one) that acknowledges, and the address under `AUTOMATIC_PER_HOUR`. The same
 * rules as `acknowledgeWebRequest`, read before its job runs, so best effort: a team assigned by routing in
 * between, or a burst from the same address, can still change what the job decides (ADR 0053).
 */
export async function isAcknowledgementExpected(
  deps: Deps,
  input: { ticketId: string; teamId: string | null; to: string },
): Promise<boolean> {
  const db = deps.database.db;
  const mailbox = await mailboxForTeam(db, input.teamId);
  if (!mailbox?.autoAcknowledge) return false;
  const hourAgo = new Date(deps.now().getTime() - 3600_000);
  return (
    (await acknowledgementsSince(db, normalizeEmail(input.to), hourAgo, input.ticketId)) < AUTOMATIC_PER_HOUR
  );
}

/** The outbox event of a request made on the web; its job (`email.acknowledge-web-request`) acknowledges it. */
export const WEB_REQUEST_RECEIVED = 'ticket.web_request_received';

/**
 * Asks for the acknowledgement of a ticket just opened on the web, in the caller's transaction: the outbox
 * event is committed with the ticket, so the mail is queued after the commit and even when the process
 * stops right after it.
 */
export async function requestAcknowledgement(
  tx: Executor,
  actor: Actor,
  input: { ticketId: string; to: string; source: string },
): Promise<void> {
  await recordChange(tx, actor, {
    action: WEB_REQUEST_RECEIVED,
    entityType: 'ticket',
    entityId: input.ticketId,
    data: { to: input.to, source: input.source },
  });
}

/** Where customers follow their requests online: the portal's sign-in page (`{{portal_url}}` in templates). */
function portalUrl(deps: Deps): string {
  return `${deps.config.baseUrl}/portal/login`;
}

/**
 * Queues the e-mail a trigger or automation sends to a ticket's requester, from the ticket's mailbox and in its
 * thread, once per `key`, and starts its delivery. Null when the requester has no address.
 */
export async function queueRuleEmail(
  deps: Deps,
  input: { ticketId: string; key: string; subject: string; text: string },
): Promise<string | null> {
  const db = deps.database.db;
  const [ticket] = await db
    .select({
      number: tickets.number,
      subject: tickets.subject,
      teamId: tickets.teamId,
      requesterId: tickets.requesterId,
    })
    .from(tickets)
    .where(eq(tickets.id, input.ticketId));
  if (!ticket) return null;
  const [address] = await db
    .select({ value: contactIdentities.value })
    .from(contactIdentities)
    .where(and(eq(contactIdentities.contactId, ticket.requesterId), eq(contactIdentities.kind, 'email')))
    .orderBy(desc(contactIdentities.isPrimary), asc(contactIdentities.createdAt))
    .limit(1);
  if (!address) return null;
  const number = Number(ticket.number);
  const subject = input.subject.trim() || replySubject(number, ticket.subject);
  const created = await newOutbound(deps, {
    kind: 'rule',
    ticketId: input.ticketId,
    toAddresses: [address.value],
    subject: subject.includes(`[#${number}]`) ? subject : `[#${number}] ${subject}`,
    bodyText: input.text,
    dedupeKey: input.key,
    ticketNumber: number,
    mailbox: await mailboxForTicket(db, input.ticketId, ticket.teamId),
  });
  const row =
    created ?? (await db.select().from(outboundEmails).where(eq(outboundEmails.dedupeKey, input.key)))[0];
  if (!row) return null;
  await startDelivery(deps, row);
  return row.id;
}

/**
 * Sends a mail no person wrote (a survey, a digest) right away, from the mailbox that answers for the ticket
 * (or the first one, or the installation's sender), marked as automatic (RFC 3834). Throws when it cannot be
 * handed over; the caller's job retries.
 */
export async function sendAutomaticMail(
  deps: Deps,
  input: {
    ticketId: string | null;
    teamId: string | null;
    to: string;
    subject: string;
    html: string;
    text: string;
    headers?: Record<string, string>;
  },
): Promise<void> {
  const db = deps.database.db;
  const mailbox = input.ticketId
    ? await mailboxForTicket(db, input.ticketId, input.teamId)
    : await mailboxForTeam(db, input.teamId);
  const from = senderOf(deps, mailbox);
  const body = withSignature(input.html, input.text, signatureOf(deps, mailbox));
  await send(deps, mailbox, {
    from,
    replyTo: addressOf(from),
    to: [input.to],
    subject: input.subject,
    ...body,
    headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All', ...input.headers },
  });
}

/** Hands the message to the delivery job; the same attempt is never enqueued twice. */
async function startDelivery(deps: Deps, row: OutboundRow, startAfterSeconds?: number): Promise<void> {
  if (row.status === 'sent' || row.status === 'failed') return;
  await deps.jobs.send(
    DELIVER_EMAIL,
    { outboundId: row.id },
    // Attempt and due time name the job: a repeated call for the same attempt is one job, a new round another.
    { id: stableUuid(`${row.id}:${row.attempts}:${row.nextAttemptAt?.getTime() ?? ''}`), startAfterSeconds },
  );
}

const transports = new Map<string, Transporter>();

/** The mailbox's own SMTP server when it has one, else the installation's mailer. */
async function send(deps: Deps, mailbox: MailboxRow | null, message: MailMessage): Promise<void> {
  if (!mailbox?.smtpUrl) {
    await deps.mailer.send(message);
    return;
  }
  let transport = transports.get(mailbox.smtpUrl);
  if (!transport) {
    transport = nodemailer.createTransport(mailbox.smtpUrl);
    transports.set(mailbox.smtpUrl, transport);
  }
  await transport.sendMail(message);
}

const bracketed = (id: string) => `<${id}>`;

/** The mailbox's signature with `{{portal_url}}` filled in: agents' replies can point to the portal too. */
function signatureOf(deps: Deps, mailbox: MailboxRow | null): string {
  return fillTemplate(mailbox?.signature ?? '', { portal_url: portalUrl(deps) });
}

function withSignature(html: string, text: string, signature: string) {
  if (!signature.trim()) return { html, text };
  const signatureHtml = escapeHtml(signature).replace(/\n/g, '<br>');
  return { html: `${html}<p>-- <br>${signatureHtml}</p>`, text: `${text}\n\n-- \n${signature}` };
}

/** The message as it goes out: headers that thread it, the body with the signature, the files. */
async function compose(
  deps: Deps,
  row: OutboundRow,
  mailbox: MailboxRow | null,
): Promise<MailMessage | null> {
  const common = {
    from: row.fromAddress,
    replyTo: addressOf(row.fromAddress),
    to: row.toAddresses,
    cc: row.ccAddresses,
    subject: row.subject,
    messageId: bracketed(row.messageIdHeader),
    ...(row.inReplyTo ? { inReplyTo: bracketed(row.inReplyTo) } : {}),
    references: row.references.map(bracketed),
  };
  if (row.kind === 'acknowledgement') {
    const [ticket] = await deps.database.db
      .select({ number: tickets.number, subject: tickets.subject, language: tickets.language })
      .from(tickets)
      .where(eq(tickets.id, row.ticketId));
    if (!ticket || !mailbox) return null;
    const german = ticket.language === 'de';
    const text = fillTemplate(german ? mailbox.ackBodyDe : mailbox.ackBodyEn, {
      number: Number(ticket.number),
      subject: ticket.subject,
      portal_url: portalUrl(deps),
    });
    const body = withSignature(
      `<p>${escapeHtml(text).replace(/\n/g, '<br>')}</p>`,
      text,
      signatureOf(deps, mailbox),
    );
    // RFC 3834: an automatic answer says so, and other machines then leave it unanswered.
    return {
      ...common,
      ...body,
      headers: { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' },
    };
  }
  if (row.kind === 'rule') {
    const text = row.bodyText ?? '';
    const body = withSignature(
      `<p>${escapeHtml(text).replace(/\n/g, '<br>')}</p>`,
      text,
      signatureOf(deps, mailbox),
    );
    // RFC 3834: a mail no person wrote says so.
    return {
      ...common,
      ...body,
      headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
    };
  }
  if (!row.ticketMessageId) return null;
  const found = await messageForDelivery(deps.database.db, row.ticketMessageId);
  if (!found) return null;
  const attachments = [];
  for (const file of found.files) {
    attachments.push({
      filename: file.fileName,
      content: await deps.storage.get(file.storageKey),
      contentType: file.contentType,
    });
  }
  const body = withSignature(found.message.bodyHtml, found.message.bodyText, signatureOf(deps, mailbox));
  return { ...common, ...body, attachments };
}

/**
 * One delivery attempt. Sent: done. Failed: the next attempt is scheduled with a doubling delay, and after
 * `MAX_ATTEMPTS` the message is failed, for the agent to see and retry. Each change shows live on the ticket.
 */
export async function deliver(deps: Deps, outboundId: string): Promise<void> {
  const db = deps.database.db;
  const [row] = await db.select().from(outboundEmails).where(eq(outboundEmails.id, outboundId));
  if (!row || row.status === 'sent' || row.status === 'failed') return;
  const [mailbox] = row.mailboxId
    ? await db.select().from(mailboxes).where(eq(mailboxes.id, row.mailboxId))
    : [];
  const attempts = row.attempts + 1;
  let update: Partial<OutboundRow>;
  try {
    const message = await compose(deps, row, mailbox ?? null);
    if (!message) {
      update = { status: 'failed', attempts, lastError: 'the ticket or its message no longer exists' };
    } else {
      await send(deps, mailbox ?? null, message);
      update = { status: 'sent', attempts, lastError: null, nextAttemptAt: null, sentAt: deps.now() };
    }
  } catch (error) {
    const reason = (error as Error).message.slice(0, 1000);
    const final = attempts >= MAX_ATTEMPTS;
    const delay = retryDelaySeconds(deps.config.mailRetrySeconds, attempts);
    update = {
      status: final ? 'failed' : 'retrying',
      attempts,
      lastError: reason,
      nextAttemptAt: final ? null : new Date(deps.now().getTime() + delay * 1000),
    };
    deps.log.warn({ outboundId, attempts, err: error }, 'e-mail not delivered');
    if (mailbox) {
      await db
        .update(mailboxes)
        .set({ lastError: `sending: ${reason}`, lastErrorAt: deps.now() })
        .where(eq(mailboxes.id, mailbox.id));
    }
  }
  const [updated] = await db
    .update(outboundEmails)
    .set(update)
    .where(eq(outboundEmails.id, outboundId))
    .returning();
  await recordChange(db, SYSTEM_ACTOR, {
    action: 'ticket.email_delivery',
    entityType: 'ticket',
    entityId: row.ticketId,
    data: { outboundId, status: updated!.status, attempts },
  });
  if (updated!.status === 'retrying') {
    await startDelivery(deps, updated!, retryDelaySeconds(deps.config.mailRetrySeconds, attempts));
  }
}

function presentDelivery(row: OutboundRow): Delivery {
  return {
    id: row.id,
    kind: row.kind,
    messageId: row.ticketMessageId,
    to: row.toAddresses,
    cc: row.ccAddresses,
    subject: row.subject,
    status: row.status,
    attempts: row.attempts,
    lastError: row.lastError,
    nextAttemptAt: row.nextAttemptAt?.toISOString() ?? null,
    sentAt: row.sentAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

/** The e-mails sent about a ticket, oldest first, with where each delivery stands. */
export async function listDeliveries(deps: Deps, ticketId: string): Promise<DeliveryList> {
  const rows = await deps.database.db
    .select()
    .from(outboundEmails)
    .where(eq(outboundEmails.ticketId, ticketId))
    .orderBy(asc(outboundEmails.createdAt));
  return { items: rows.map(presentDelivery) };
}

/** Sends a failed (or waiting) message again now, with a fresh set of attempts. */
export async function retryDelivery(deps: Deps, actor: Actor, outboundId: string): Promise<Delivery> {
  const db = deps.database.db;
  const [row] = await db.select().from(outboundEmails).where(eq(outboundEmails.id, outboundId));
  if (!row) throw notFound('e-mail', outboundId);
  if (row.status === 'sent') {
    throw new AppError('CONFLICT', { message: 'this e-mail was delivered; there is nothing to retry' });
  }
  const [queued] = await db
    .update(outboundEmails)
    .set({ status: 'queued', attempts: 0, nextAttemptAt: deps.now() })
    .where(eq(outboundEmails.id, outboundId))
    .returning();
  await recordChange(db, actor, {
    action: 'ticket.email_retried',
    entityType: 'ticket',
    entityId: row.ticketId,
    data: { outboundId },
  });
  await startDelivery(deps, queued!);
  return presentDelivery(queued!);
}
