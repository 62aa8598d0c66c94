import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Deps } from '../../platform/context';
import { translate } from '../../platform/i18n';
import type { JobDefinition } from '../../platform/jobs';
import { AUTH_MESSAGES } from './auth.messages';
import { users } from './auth.tables';
import { issuePasswordResetToken, RESET_TOKEN_HOURS } from './sessions.service';

export const SEND_PASSWORD_LINK = 'auth.send-password-link';

const OutboxPayload = z.object({ eventId: z.number(), type: z.string(), entityId: z.uuid() });

/** E-mails a single-use link to set a password, in the user's language: for a reset or an invitation. */
export function sendPasswordLinkJob(deps: Deps): JobDefinition<typeof OutboxPayload> {
  return {
    name: SEND_PASSWORD_LINK,
    payload: OutboxPayload,
    retryLimit: 8,
    handle: async (payload) => {
      const [user] = await deps.database.db.select().from(users).where(eq(users.id, payload.entityId));
      if (!user?.isActive) return;
      const token = await issuePasswordResetToken(deps, user.id);
      const purpose = payload.type === 'user.invited' ? 'invite' : 'reset';
      const language = user.language === 'de' ? 'de' : 'en';
      const link = `${deps.config.baseUrl}/reset-password?token=${encodeURIComponent(token)}`;
      const vars = { name: user.name, link, hours: String(RESET_TOKEN_HOURS) };
      await deps.mailer.send({
        to: user.email,
        subject: translate(AUTH_MESSAGES, language, `${purpose}.subject`),
        text: translate(AUTH_MESSAGES, language, `${purpose}.body`, vars),
      });
    },
  };
}
