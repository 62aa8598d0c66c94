import { z } from 'zod';
import type { Deps } from '../../platform/context';
import { type Messages, translate } from '../../platform/i18n';
import type { JobDefinition } from '../../platform/jobs';
import { issueLink, sweepPortalSecrets } from './links.service';
import { LINK_MINUTES } from './portal.domain';

export const SEND_PORTAL_LINK = 'portal.send-link';
const SWEEP_PORTAL = 'portal.sweep';

const PORTAL_MESSAGES: Messages = {
  en: {
    subject: 'Your sign-in link for your requests',
    body: 'Hello {name},\n\nopen this link within {minutes} minutes to see your requests with us. It works once:\n\n{link}\n\nIf you did not ask for it, ignore this e-mail.',
  },
  de: {
    subject: 'Ihr Anmeldelink für Ihre Anfragen',
    body: 'Hallo {name},\n\nöffnen Sie diesen Link innerhalb von {minutes} Minuten, um Ihre Anfragen bei uns zu sehen. Er funktioniert einmal:\n\n{link}\n\nHaben Sie ihn nicht angefordert, ignorieren Sie diese E-Mail.',
  },
};

const LinkRequested = z.object({
  eventId: z.number(),
  entityId: z.uuid(),
  data: z.object({ email: z.string(), language: z.enum(['de', 'en']) }),
});

/**
 * Makes the link and mails it to the address the customer typed. The secret is made here, after commit, so it is
 * never written to the outbox or the audit log (as with password links).
 */
export function sendPortalLinkJob(deps: Deps): JobDefinition<typeof LinkRequested> {
  return {
    name: SEND_PORTAL_LINK,
    payload: LinkRequested,
    retryLimit: 8,
    handle: async (payload) => {
      const { rows } = await deps.database.query(
        `select c.name from contacts c join contact_identities i on i.contact_id = c.id
          where c.id = $1::uuid and c.merged_into_id is null and i.kind = 'email' and i.value = $2`,
        [payload.entityId, payload.data.email],
      );
      if (!rows[0]) return;
      const token = await issueLink(deps, payload.entityId);
      const language = payload.data.language;
      const link = `${deps.config.baseUrl}/portal/auth?token=${encodeURIComponent(token)}`;
      const name = String(rows[0].name || payload.data.email);
      await deps.mailer.send({
        to: payload.data.email,
        subject: translate(PORTAL_MESSAGES, language, 'subject'),
        text: translate(PORTAL_MESSAGES, language, 'body', { name, link, minutes: String(LINK_MINUTES) }),
      });
    },
  };
}

/** Nightly: links and sessions that can no longer be used are removed. */
export function portalSweepJob(deps: Deps): JobDefinition {
  return {
    name: SWEEP_PORTAL,
    payload: z.object({}),
    cron: '17 3 * * *',
    retryLimit: 0,
    handle: async () => sweepPortalSecrets(deps),
  };
}
