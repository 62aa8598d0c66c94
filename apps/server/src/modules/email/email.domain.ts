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
