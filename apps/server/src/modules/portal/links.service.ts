import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import { withTransaction } from '../../platform/db';
import { recordChange, SYSTEM_ACTOR } from '../../platform/events';
import type { CustomerPrincipal } from '../../platform/http';
import { RateLimiter } from '../../platform/rate-limit';
import { contactIdentities, contacts, normalizeEmail } from '../customers';
import {
  hashPortalSecret,
  isPortalSecret,
  type Language,
  LINK_MINUTES,
  newPortalSecret,
  SESSION_DAYS,
} from './portal.domain';
import { portalLinks, portalSessions } from './portal.tables';

export const PORTAL_COOKIE = 'kd_portal';
export const LINK_REQUESTED = 'portal.link_requested';

/** At most this many links per address in a quarter of an hour; more requests are answered but send nothing. */
const PER_ADDRESS = { max: 5, timeWindow: 15 * 60_000 };
const addressLimiter = new RateLimiter();

/**
 * Asks for a sign-in link. Silent in every case (unknown address, too many requests) so the answer never tells
 * whether an address is a customer; the link itself is made and mailed by a job after commit.
 */
export async function requestLink(
  deps: Deps,
  input: { email: string; language: Language },
  requestId?: string,
): Promise<void> {
  const email = normalizeEmail(input.email);
  if (!email.includes('@') || email.length > 320) return;
  if (!addressLimiter.hit(email, PER_ADDRESS, deps.now().getTime()).allowed) return;
  const [found] = await deps.database.db
    .select({ contactId: contacts.id })
    .from(contactIdentities)
    .innerJoin(contacts, eq(contacts.id, contactIdentities.contactId))
    .where(
      and(
        eq(contactIdentities.kind, 'email'),
        eq(contactIdentities.value, email),
        isNull(contacts.mergedIntoId),
      ),
    );
  if (!found) return;
  await withTransaction(deps.database, (tx) =>
    recordChange(
      tx,
      { ...SYSTEM_ACTOR, requestId },
      {
        action: LINK_REQUESTED,
        entityType: 'contact',
        entityId: found.contactId,
        data: { email, language: input.language },
      },
    ),
  );
}

/** Makes a single-use link secret for a contact; earlier unused links of the contact stop working. */
export async function issueLink(deps: Deps, contactId: string): Promise<string> {
  const token = newPortalSecret('link');
  const now = deps.now();
  await withTransaction(deps.database, async (tx) => {
    await tx
      .update(portalLinks)
      .set({ usedAt: now })
      .where(and(eq(portalLinks.contactId, contactId), isNull(portalLinks.usedAt)));
    await tx.insert(portalLinks).values({
      tokenHash: hashPortalSecret(token),
      contactId,
      expiresAt: new Date(now.getTime() + LINK_MINUTES * 60_000),
    });
  });
  return token;
}

/**
 * Uses a link up and opens a portal session in one transaction; null when the link is unknown, used or expired.
 * The single `update … where used_at is null` makes two clicks at once sign in only one of them.
 */
export async function consumeLink(
  deps: Deps,
  token: string | undefined,
  requestId?: string,
): Promise<{ sessionToken: string; expiresAt: Date } | null> {
  if (!isPortalSecret(token, 'link')) return null;
  const now = deps.now();
  return withTransaction(deps.database, async (tx) => {
    const [used] = await tx
      .update(portalLinks)
      .set({ usedAt: now })
      .where(
        and(
          eq(portalLinks.tokenHash, hashPortalSecret(token)),
          isNull(portalLinks.usedAt),
          gt(portalLinks.expiresAt, now),
        ),
      )
      .returning({ contactId: portalLinks.contactId });
    if (!used) return null;
    const sessionToken = newPortalSecret('session');
    const expiresAt = new Date(now.getTime() + SESSION_DAYS * 86_400_000);
    await tx.insert(portalSessions).values({
      id: hashPortalSecret(sessionToken),
      contactId: used.contactId,
      csrfToken: newPortalSecret('session'),
      expiresAt,
    });
    await recordChange(
      tx,
      { ...SYSTEM_ACTOR, requestId },
      { action: 'portal.signed_in', entityType: 'contact', entityId: used.contactId },
    );
    return { sessionToken, expiresAt };
  });
}

/** The customer behind a portal cookie; notes the visit at most once a minute so reads stay reads. */
export async function authenticatePortal(
  deps: Deps,
  cookie: string | undefined,
): Promise<CustomerPrincipal | null> {
  if (!isPortalSecret(cookie, 'session')) return null;
  const { rows } = await deps.database.query(
    `with s as (
       select s.id, s.contact_id, s.csrf_token
         from portal_sessions s join contacts c on c.id = s.contact_id
        where s.id = $1 and s.expires_at > now() and c.merged_into_id is null),
     touched as (
       update portal_sessions set last_seen_at = now()
        where id = (select id from s) and last_seen_at < now() - interval '1 minute')
     select id, contact_id, csrf_token from s`,
    [hashPortalSecret(cookie)],
  );
  const row = rows[0];
  if (!row) return null;
  return { contactId: String(row.contact_id), sessionId: String(row.id), csrfToken: String(row.csrf_token) };
}

export async function endPortalSession(deps: Deps, sessionId: string): Promise<void> {
  await deps.database.db.delete(portalSessions).where(eq(portalSessions.id, sessionId));
}

/** Removes links and sessions that can no longer be used (from the nightly job). */
export async function sweepPortalSecrets(deps: Deps): Promise<void> {
  await deps.database.db.delete(portalLinks).where(sql`${portalLinks.expiresAt} < now() - interval '1 day'`);
  await deps.database.db.delete(portalSessions).where(sql`${portalSessions.expiresAt} < now()`);
}
