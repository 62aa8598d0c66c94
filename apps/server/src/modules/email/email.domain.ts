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
