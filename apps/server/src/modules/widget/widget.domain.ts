/** The parts of a brand's widget settings (`kb_brands.widget`) that the frame needs. */
export interface WidgetLook {
  enabled: boolean;
  primaryColor: string;
  textColor: string;
  position: 'bottom-right' | 'bottom-left';
  language: 'auto' | 'de' | 'en';
  allowedOrigins: string[];
}

export const DEFAULT_LOOK: WidgetLook = {
  enabled: true,
  primaryColor: '#1864ab',
  textColor: '#ffffff',
  position: 'bottom-right',
  language: 'auto',
  allowedOrigins: [],
};

const COLOR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;
const ORIGIN = /^https?:\/\/[a-z0-9.-]+(?::\d{1,5})?$/i;

/** A `#rgb` / `#rrggbb` colour, else the fallback: nothing else ever reaches a style property. */
export function safeColor(value: unknown, fallback: string): string {
  return typeof value === 'string' && COLOR.test(value) ? value.toLowerCase() : fallback;
}

/**
 * The brand's stored settings over the defaults, each value checked again: the jsonb column is written by
 * another module, and these values end up in a header (origins) and in style properties (colours).
 */
export function lookOf(stored: Partial<WidgetLook> | null | undefined): WidgetLook {
  const s = stored ?? {};
  return {
    enabled: s.enabled !== false,
    primaryColor: safeColor(s.primaryColor, DEFAULT_LOOK.primaryColor),
    textColor: safeColor(s.textColor, DEFAULT_LOOK.textColor),
    position: s.position === 'bottom-left' ? 'bottom-left' : 'bottom-right',
    language: s.language === 'de' || s.language === 'en' ? s.language : 'auto',
    allowedOrigins: (Array.isArray(s.allowedOrigins) ? s.allowedOrigins : [])
      .filter((origin): origin is string => typeof origin === 'string' && ORIGIN.test(origin))
      .map((origin) => origin.toLowerCase()),
  };
}

/**
 * The language of the frame: the embed snippet's `data-language`, else the brand's choice, else (`auto`) the
 * host page's `<html lang>`, else the browser's Accept-Language; English when nothing says German.
 */
export function chooseLanguage(input: {
  requested?: string | undefined;
  brand: WidgetLook['language'];
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

/** The host page's origin as the loader reports it, if it is one; the frame talks to nothing else. */
export function hostOriginOf(value: string | undefined): string | null {
  return value && ORIGIN.test(value) ? value.toLowerCase() : null;
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
