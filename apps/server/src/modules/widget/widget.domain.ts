import type { WidgetSettings } from '@keepdesk/contract';

/**
 * The language of the frame: the embed snippet's `data-language`, else the brand's choice, else (`auto`) the
 * host page's `<html lang>`, else the browser's Accept-Language; English when nothing says German.
 */
export function chooseLanguage(input: {
  requested?: string | undefined;
  brand: WidgetSettings['language'];
  hostLanguage?: string | undefined;
  acceptLanguage?: string | undefined;
}): 'de' | 'en' {
  const of = (value: string | undefined) => {
    const tag = (value ?? '').trim().toLowerCase();
    return tag.startsWith('de') ? 'de' : tag.startsWith('en') ? 'en' : null;
  };
  return (
    of(input.requested) ??
    (input.brand === 'auto' ? null : input.brand) ??
    of(input.hostLanguage) ??
    of(input.acceptLanguage) ??
    'en'
  );
}

/**
 * The frame's Content-Security-Policy: its own scripts, styles and API only (no inline code, no foreign
 * origin), and embeddable by the brand's allowed origins, or by any site when the list is empty.
 */
export function frameContentSecurityPolicy(allowedOrigins: readonly string[]): string {
  const ancestors = allowedOrigins.length > 0 ? allowedOrigins.join(' ') : '*';
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${ancestors}`,
  ].join('; ');
}

/** The token of `Authorization: Widget <token>`; null for any other header. */
export function tokenFromHeader(header: string | undefined): string | null {
  const match = /^Widget\s+([A-Za-z0-9_-]{20,200})$/.exec(header ?? '');
  return match ? match[1]! : null;
}

/** The subject of a widget request: the first line of the message, shortened at a word. */
export function subjectOf(message: string, max = 80): string {
  const line = message.trim().split(/\r?\n/, 1)[0]!.replace(/\s+/g, ' ').trim();
  if (line.length <= max) return line;
  const cut = line.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** Which live event a committed ticket change is for the visitor; null for what they must not hear of. */
export function liveEventOf(action: string): 'message' | 'status' | null {
  if (action === 'ticket.replied' || action === 'ticket.customer_replied') return 'message';
  if (action === 'ticket.updated' || action === 'ticket.merged') return 'status';
  // Internal notes (`ticket.noted`) and everything else stay with the agents.
  return null;
}
