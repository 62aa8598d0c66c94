import { CreateTicketBody } from '@keepdesk/contract';
import { sql } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import { type Database, rowsOf, withTransaction } from '../../platform/db';
import { AppError, fieldError, notFound } from '../../platform/errors';
import { type Actor, SYSTEM_ACTOR } from '../../platform/events';
import { RateLimiter } from '../../platform/rate-limit';
import { contactIdentities, normalizeEmail, requesterByEmail } from '../customers';
import { installationSecret, isAcknowledgementExpected, requestAcknowledgement } from '../email';
import { addCustomerMessage, attachToMessage, createTicket, tickets } from '../tickets';
import { brandBySlug } from './brands.service';
import { CONTACT_RATE_LIMIT, capDecision, isEmailAddress, signFormStart } from './contact.domain';

export interface ContactFile {
  fileName: string | undefined;
  data: Buffer;
}

export interface ContactRequest {
  brandSlug: string;
  language: 'de' | 'en';
  name: string;
  email: string;
  subject: string;
  message: string;
  files: ContactFile[];
  /** The client's address: at most `CONTACT_RATE_LIMIT` posts a minute from one. */
  ip: string;
  source: 'helpcenter' | 'widget';
}

export interface ContactResult {
  ticketId: string;
  ticketNumber: number;
  contactId: string;
  /** True when the address had reached the brand's daily cap and the message went onto its latest ticket. */
  appended: boolean;
  /** Whether an acknowledgement e-mail is expected (best effort, ADR 0053): what the thank-you page promises. */
  acknowledgementExpected: boolean;
}

const MAX_FILES = 5;
const limiters = new WeakMap<object, RateLimiter>();

/** The secret that signs the contact form's start time (`contact.domain` checks it). */
export function contactFormSecret(deps: Deps): Promise<string> {
  return installationSecret(deps, 'contact-form');
}

/** The value of the form's hidden start-time field, rendered into every contact form. */
export async function contactFormToken(deps: Deps): Promise<string> {
  return signFormStart(await contactFormSecret(deps), deps.now().getTime());
}

function validate(deps: Deps, input: ContactRequest) {
  const name = input.name.trim().slice(0, 200);
  const email = input.email.trim();
  const subject = input.subject.trim().replace(/\s+/g, ' ');
  const message = input.message.trim();
  if (!isEmailAddress(email)) throw fieldError('email', 'not an e-mail address');
  if (subject.length === 0) throw fieldError('subject', 'required');
  if (subject.length > 200) throw fieldError('subject', 'at most 200 characters');
  if (message.length === 0) throw fieldError('message', 'required');
  if (message.length > 20_000) throw fieldError('message', 'at most 20000 characters');
  if (input.files.length > MAX_FILES) throw fieldError('attachments', `at most ${MAX_FILES} files`);
  for (const file of input.files) {
    if (file.data.length > deps.config.attachmentMaxBytes) {
      throw new AppError('PAYLOAD_TOO_LARGE', {
        message: `${file.fileName ?? 'file'} is larger than the attachment limit`,
        errors: [{ field: 'attachments', message: 'file too large' }],
      });
    }
  }
  return { name, email, address: normalizeEmail(email), subject, message };
}

/** Throws 429 when one client posts more than `CONTACT_RATE_LIMIT` forms a minute (in this process). */
function throttle(deps: Deps, ip: string): void {
  let limiter = limiters.get(deps.database);
  if (!limiter) {
    limiter = new RateLimiter();
    limiters.set(deps.database, limiter);
  }
  const decision = limiter.hit(`contact:${ip}`, CONTACT_RATE_LIMIT, deps.now().getTime());
  if (!decision.allowed) {
    throw new AppError('TOO_MANY_REQUESTS', {
      message: 'too many contact requests from this address; try again in a minute',
      retryAfterSeconds: Math.max(1, Math.ceil(decision.resetInMs / 1000)),
    });
  }
}

/**
 * A message from the help center's or the widget's contact form: a `web` ticket for the contact found or
 * created by the address. One address opens at most `brand.maxTicketsPerAddressPerDay` tickets in 24 hours,
 * counted under a transaction-level advisory lock on the address so it holds across processes; beyond the
 * cap the message goes onto the address's latest open ticket (ADR 0042), so nothing is lost. A new ticket
 * gets the e-mail acknowledgement after the commit (ADR 0046); the result says whether one is expected.
 */
export async function submitContactRequest(deps: Deps, input: ContactRequest): Promise<ContactResult> {
  const form = validate(deps, input);
  throttle(deps, input.ip);
  const brand = await brandBySlug(deps.database.db, input.brandSlug);
  if (!brand?.contactFormEnabled) throw notFound('contact form of brand', input.brandSlug);
  const actor: Actor = SYSTEM_ACTOR;
  const now = deps.now();
  const written = await withTransaction(deps.database, async (tx) => {
    // createTicket writes through `deps.database.db`; here that is this transaction (savepoints nest).
    const inTx: Deps = { ...deps, database: { ...deps.database, db: tx as unknown as Database } };
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${form.address}, 7244))`);
    const [counted] = rowsOf(
      await tx.execute(sql`
        select count(*)::int as opened from ${tickets} t
        join ${contactIdentities} ci on ci.contact_id = t.requester_id and ci.kind = 'email'
        where ci.value = ${form.address} and t.channel = 'web'
          and t.created_at > ${now}::timestamptz - interval '24 hours'`),
    );
    const requester = await requesterByEmail(tx, actor, form.email, form.name || undefined, input.language);
    if (capDecision(Number(counted?.opened ?? 0), brand.maxTicketsPerAddressPerDay) === 'append') {
      const appended = await appendToLatest(inTx, actor, requester.id, form);
      if (!appended) {
        throw new AppError('TOO_MANY_REQUESTS', {
          message: `${form.address} reached the daily limit of ${brand.maxTicketsPerAddressPerDay} requests`,
          errors: [{ field: 'email', message: 'daily limit of requests reached' }],
          retryAfterSeconds: 3600,
        });
      }
      return { ...appended, contactId: requester.id, teamId: null, appended: true };
    }
    const created = await createTicket(
      inTx,
      actor,
      CreateTicketBody.parse({
        subject: form.subject,
        requester: { id: requester.id },
        message: { body: form.message, visibility: 'public' },
        channel: 'web',
        tags: input.source === 'widget' ? ['widget'] : ['help-center'],
      }),
    );
    // A new ticket is acknowledged by e-mail like one from mail (a message added beyond the cap is not).
    await requestAcknowledgement(tx, actor, { ticketId: created.id, to: form.address, source: input.source });
    return {
      ticketId: created.id,
      ticketNumber: created.number,
      messageId: created.firstMessage.id,
      contactId: requester.id,
      teamId: created.team?.id ?? null,
      appended: false,
    };
  });
  // After the commit: the blob storage may use its own connection (PGlite has only one).
  await attachToMessage(deps, written.ticketId, written.messageId, input.files, { fresh: true });
  deps.log.info(
    { ticketId: written.ticketId, appended: written.appended, source: input.source },
    'contact form: request received',
  );
  return {
    ticketId: written.ticketId,
    ticketNumber: written.ticketNumber,
    contactId: written.contactId,
    appended: written.appended,
    acknowledgementExpected:
      !written.appended &&
      (await expectsAcknowledgement(deps, {
        ticketId: written.ticketId,
        teamId: written.teamId,
        to: form.address,
      })),
  };
}

/** The request stands whatever happens here: when the answer cannot be read, nothing is promised. */
async function expectsAcknowledgement(
  deps: Deps,
  input: { ticketId: string; teamId: string | null; to: string },
): Promise<boolean> {
  try {
    return await isAcknowledgementExpected(deps, input);
  } catch (error) {
    deps.log.warn({ err: error, ticketId: input.ticketId }, 'contact form: acknowledgement not foreseen');
    return false;
  }
}

/** The message onto the contact's newest ticket that still takes messages; null when there is none. */
async function appendToLatest(
  deps: Deps,
  actor: Actor,
  contactId: string,
  form: { subject: string; message: string },
): Promise<{ ticketId: string; ticketNumber: number; messageId: string } | null> {
  const [latest] = rowsOf(
    await deps.database.db.execute(sql`
      select id from ${tickets} where requester_id = ${contactId} and status_category <> 'closed'
      order by created_at desc limit 1`),
  );
  if (!latest) return null;
  const added = await addCustomerMessage(deps, actor, String(latest.id), {
    contactId,
    body: `${form.subject}\n\n${form.message}`,
    channel: 'web',
  });
  return added
    ? { ticketId: added.ticket.id, ticketNumber: added.ticket.number, messageId: added.messageId }
    : null;
}
