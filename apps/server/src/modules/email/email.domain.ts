import { createHmac, timingSafeEqual } from 'node:crypto';

/** Message-IDs as they are compared: without angle brackets and surrounding space, lower-case. */
export function normalizeMessageId(value: string | undefined | null): string | null {
  const trimmed = (value ?? '').trim().replace(/^<|>$/g, '').trim().toLowerCase();
  return trimmed.length > 0 && trimmed.length <= 998 ? trimmed : null;
}

/** The Message-IDs a reply refers to, most recent first: In-Reply-To, then References from the end. */
export function referencedIds(
  inReplyTo: string | undefined,
  references: string | string[] | undefined,
): string[] {
  const refs = (Array.isArray(references) ? references : (references ?? '').split(/\s+/))
    .map(normalizeMessageId)
    .filter((id): id is string => id !== null)
    .reverse();
  const first = normalizeMessageId(inReplyTo);
  return [...new Set([...(first ? [first] : []), ...refs])];
}

/** The ticket number in a subject such as `Re: [#10042] Rechnung`, or null. */
export function ticketNumberInSubject(subject: string | undefined): number | null {
  const match = /\[#(\d{1,12})\]/.exec(subject ?? '');
  return match ? Number(match[1]) : null;
}

/** A subject fit for a ticket: reply and forward prefixes and our number removed, never empty. */
export function ticketSubject(subject: string | undefined): string {
  let text = (subject ?? '').replace(/\[#\d{1,12}\]/g, ' ');
  for (;;) {
    const next = text.replace(/^\s*(re|aw|fw|fwd|wg|sv|antw)\s*(\[\d+\])?\s*:\s*/i, '');
    if (next === text) break;
    text = next;
  }
  const clean = text.replace(/\s+/g, ' ').trim().slice(0, 500);
  return clean || '(no subject)';
}

/** The headers that say who wrote to whom about what, how the body is encoded, and how it was sent. */
const ESSENTIAL_HEADERS = new Set([
  'from',
  'sender',
  'reply-to',
  'to',
  'cc',
  'delivered-to',
  'x-original-to',
  'subject',
  'date',
  'message-id',
  'in-reply-to',
  'references',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
  'content-disposition',
  'auto-submitted',
  'precedence',
  'x-autoreply',
  'x-autorespond',
  'x-spam-flag',
]);
const MAX_ESSENTIAL_HEADER = 16 * 1024;

/**
 * A message whose header block the parser refuses (a hundred thousand lines, say), cut down to its essential
 * headers so that what it says can still be read. Null when there is nothing to cut.
 */
export function essentialHeadersOnly(raw: Buffer): Buffer | null {
  const text = raw.toString('latin1');
  const match = /\r?\n\r?\n/.exec(text);
  const headEnd = match ? match.index : text.length;
  const bodyStart = match ? match.index + match[0].length : text.length;
  const fields: string[] = [];
  for (const line of text.slice(0, headEnd).split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && fields.length > 0) fields[fields.length - 1] += `\r\n${line}`;
    else fields.push(line);
  }
  const kept = fields.filter((field) => {
    const name = field.slice(0, field.indexOf(':')).trim().toLowerCase();
    return ESSENTIAL_HEADERS.has(name) && field.length <= MAX_ESSENTIAL_HEADER;
  });
  if (kept.length === fields.length) return null;
  return Buffer.from(`${kept.join('\r\n')}\r\n\r\n${text.slice(bodyStart)}`, 'latin1');
}

/**
 * The reply token in our outbound Message-IDs: the ticket number and a signature over it, so a reply that
 * refers to one of our messages finds its ticket even when we no longer know that message, and nobody can
 * make one up for a ticket of someone else.
 */
export function replyToken(secret: string, ticketNumber: number): string {
  const signature = createHmac('sha256', secret).update(`ticket:${ticketNumber}`).digest('hex').slice(0, 12);
  return `kd${ticketNumber}-${signature}`;
}

/** The ticket number whose valid reply token one of these Message-IDs carries, or null. */
export function ticketNumberFromTokens(secret: string, messageIds: readonly string[]): number | null {
  for (const id of messageIds) {
    const match = /(?:^|\.)kd(\d{1,12})-([0-9a-f]{12})@/.exec(id);
    if (!match) continue;
    const number = Number(match[1]);
    const expected = replyToken(secret, number).slice(-12);
    if (timingSafeEqual(Buffer.from(expected), Buffer.from(match[2]!))) return number;
  }
  return null;
}

/** A Message-ID for a message we send: unique, with the reply token, at the mailbox's domain (no brackets). */
export function outboundMessageId(token: string, fromAddress: string, unique: string): string {
  const domain = fromAddress.slice(fromAddress.lastIndexOf('@') + 1) || 'keepdesk.invalid';
  return `${unique}.${token}@${domain}`.toLowerCase();
}

/** The subject of our reply: the ticket number in brackets (threading rule 2), one `Re:`. */
export function replySubject(ticketNumber: number, subject: string): string {
  return `Re: [#${ticketNumber}] ${ticketSubject(subject)}`;
}

/** Fills `{{name}}` placeholders; unknown ones stay as they are. */
export function fillTemplate(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}

/** Seconds before retry `attempt` (1, 2, …): doubling from `base`, at most six hours. */
export function retryDelaySeconds(base: number, attempt: number): number {
  return Math.min(base * 2 ** Math.max(0, attempt - 1), 6 * 3600);
}

const AUTO_REPLY_SUBJECT =
  /^(auto(matic)?( reply| response|matische antwort)|out of (the )?office|abwesenheitsnotiz|abwesend|urlaub|vacation|autoreply|automatische antwort)\b/i;

/**
 * Why a message was sent by a machine (RFC 3834 and the headers vacation responders and lists use), or null
 * for a message a person wrote. Machines get no acknowledgement: two auto-responders must never talk forever.
 */
export function automaticReason(
  header: (name: string) => string | undefined,
  subject: string,
): string | null {
  const autoSubmitted = header('auto-submitted')?.trim().toLowerCase();
  if (autoSubmitted && autoSubmitted !== 'no') return `Auto-Submitted: ${autoSubmitted}`;
  const precedence = header('precedence')?.trim().toLowerCase();
  if (precedence && ['bulk', 'list', 'junk', 'auto_reply'].includes(precedence)) {
    return `Precedence: ${precedence}`;
  }
  for (const name of [
    'x-autoreply',
    'x-autorespond',
    'x-auto-response-suppress',
    'list-id',
    'list-unsubscribe',
  ]) {
    if (header(name) !== undefined) return `${name} present`;
  }
  if (AUTO_REPLY_SUBJECT.test(subject.trim())) return 'an automatic reply by its subject';
  return null;
}

export interface DeliveryReport {
  /** Per recipient: the address, what happened (failed, delayed, delivered …) and the status code. */
  recipients: { address: string; action: string; status: string; diagnostic: string | null }[];
  /** Message-IDs of the returned message (its headers travel inside the report). */
  originalMessageIds: string[];
}

/**
 * Reads a delivery-status notification (RFC 3464: `multipart/report; report-type=delivery-status`) from the
 * raw message, or a mailer daemon's bounce without that structure. Null for any other message.
 */
export function deliveryReport(raw: string, contentType: string, sender: string): DeliveryReport | null {
  const isReport = /multipart\/report/i.test(contentType) && /delivery-status/i.test(contentType);
  const isDaemon = /^(mailer-daemon|postmaster)@/i.test(sender.trim());
  if (!isReport && !isDaemon) return null;
  const headEnd = /\r?\n\r?\n/.exec(raw);
  const body = headEnd ? raw.slice(headEnd.index + headEnd[0].length) : '';
  const recipients: DeliveryReport['recipients'] = [];
  for (const block of body.split(/\r?\n\s*\r?\n/)) {
    const field = (name: string) =>
      new RegExp(`^${name}:\\s*(.+(?:\\r?\\n[ \\t].+)*)`, 'im').exec(block)?.[1]?.replace(/\s+/g, ' ').trim();
    const recipient = field('Final-Recipient') ?? field('Original-Recipient');
    const action = field('Action');
    if (!recipient || !action) continue;
    const address = recipient
      .replace(/^rfc822\s*;\s*/i, '')
      .replace(/^<|>$/g, '')
      .toLowerCase();
    recipients.push({
      address,
      action: action.toLowerCase(),
      status: field('Status') ?? '',
      diagnostic: field('Diagnostic-Code')?.replace(/^smtp\s*;\s*/i, '') ?? null,
    });
  }
  const originalMessageIds = [...body.matchAll(/^Message-ID:\s*<([^>\r\n]+)>/gim)]
    .map((m) => normalizeMessageId(m[1]))
    .filter((id): id is string => id !== null);
  return { recipients, originalMessageIds: [...new Set(originalMessageIds)] };
}

/** A blocked sender: the address itself, or its domain (`example.com` or `@example.com`) or a parent domain. */
export function isBlocked(address: string, patterns: readonly string[]): string | null {
  const lower = address.trim().toLowerCase();
  const domain = lower.slice(lower.lastIndexOf('@') + 1);
  for (const raw of patterns) {
    const pattern = raw.trim().toLowerCase().replace(/^@/, '');
    if (!pattern) continue;
    if (pattern.includes('@') ? lower === pattern : domain === pattern || domain.endsWith(`.${pattern}`)) {
      return raw;
    }
  }
  return null;
}

/** `X-Spam-Flag: YES` (SpamAssassin and most filters), or an `X-Spam-Status` that starts with Yes. */
export function isSpam(header: (name: string) => string | undefined): boolean {
  return /^\s*yes\b/i.test(header('x-spam-flag') ?? '') || /^\s*yes\b/i.test(header('x-spam-status') ?? '');
}

/** Windows-1252's characters at 0x80–0x9F (where ISO-8859-1 has control codes); the rest is ISO-8859-1. */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

function windows1252(bytes: Buffer): string {
  let text = '';
  for (const byte of bytes) {
    text += byte >= 0x80 && byte <= 0x9f ? CP1252_HIGH[byte - 0x80] : String.fromCharCode(byte);
  }
  return text;
}

/**
 * Raw 8-bit header bytes that are no UTF-8 (old mail programs write subjects and names in the body's legacy
 * charset without encoded words), turned into UTF-8 so the parser reads "Kündigung", not "K�ndigung":
 * as ISO-8859-1 when that is declared, else as windows-1252, its superset that Western mail programs write.
 * Null when the headers need nothing; the body is never touched.
 */
export function headersAsUtf8(raw: Buffer): Buffer | null {
  const end = raw.indexOf('\r\n\r\n') >= 0 ? raw.indexOf('\r\n\r\n') : raw.indexOf('\n\n');
  const head = raw.subarray(0, end >= 0 ? end : raw.length);
  if (!head.some((byte) => byte >= 0x80)) return null;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head);
    return null;
  } catch {
    const declared = /charset="?([\w-]+)/i.exec(head.toString('latin1'))?.[1]?.toLowerCase() ?? '';
    const latin1 = declared === 'iso-8859-1' || declared === 'latin1';
    const text = latin1 ? head.toString('latin1') : windows1252(head);
    return Buffer.concat([Buffer.from(text, 'utf8'), raw.subarray(head.length)]);
  }
}
