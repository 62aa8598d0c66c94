import { createHash, randomBytes } from 'node:crypto';
import type { PortalStatus, StatusCategory } from '@keepdesk/contract';

export type Language = 'de' | 'en';

/** A sign-in link lives half an hour (long enough to switch to the mail app, short enough to go stale). */
export const LINK_MINUTES = 30;
export const SESSION_DAYS = 14;

const PREFIX = { link: 'kdpl_', session: 'kdps_' } as const;
type SecretKind = keyof typeof PREFIX;

/** 32 random bytes; the prefix tells link and session apart so one can never stand in for the other. */
export function newPortalSecret(kind: SecretKind): string {
  return PREFIX[kind] + randomBytes(32).toString('base64url');
}

/** Only this hash is stored; the secrets are high-entropy, so a fast hash is enough. */
export function hashPortalSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function isPortalSecret(value: string | undefined, kind: SecretKind): value is string {
  return (
    typeof value === 'string' && value.startsWith(PREFIX[kind]) && value.length === PREFIX[kind].length + 43
  );
}

/** The status a customer sees: the team's inner distinctions (new, on hold) read as "open". */
export function portalStatus(category: string): PortalStatus {
  if (category === 'pending' || category === 'solved' || category === 'closed') return category;
  return 'open';
}

/** Categories behind the portal's open/closed filter. */
export function categoriesOf(filter: 'open' | 'closed'): StatusCategory[] {
  return filter === 'closed' ? ['solved', 'closed'] : ['new', 'open', 'pending', 'on_hold'];
}

/** A customer may mark a ticket solved while the team still works on it; closed is final. */
export function canClose(category: string): boolean {
  return category !== 'solved' && category !== 'closed';
}

/** A closed ticket takes no more messages; a solved one reopens with the customer's reply. */
export function canReply(category: string): boolean {
  return category !== 'closed';
}

/** Agents appear by first name only, as in most helpdesks' customer views. */
export function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] ?? '';
}

/** `?lang=` wins, then the browser's first matching Accept-Language entry; English otherwise. */
export function pickLanguage(query: string | undefined, acceptLanguage: string | undefined): Language {
  if (query === 'de' || query === 'en') return query;
  for (const part of (acceptLanguage ?? '').split(',')) {
    const tag = part.trim().slice(0, 2).toLowerCase();
    if (tag === 'de' || tag === 'en') return tag;
  }
  return 'en';
}

/** Ticket events a customer's live stream passes on; internal notes (`ticket.noted`) are not among them. */
const CUSTOMER_ACTIONS = new Set([
  'ticket.created',
  'ticket.updated',
  'ticket.replied',
  'ticket.customer_replied',
]);

export function isCustomerVisibleAction(entityType: string, action: string): boolean {
  return entityType === 'ticket' && CUSTOMER_ACTIONS.has(action);
}
