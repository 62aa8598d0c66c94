import { z } from 'zod';
import { Email } from './auth';
import { Language } from './common';
import { StatusCategory } from './tickets';

/** A brand's slug as it appears in the embed snippet (`data-brand`) and in help-center URLs. */
export const WidgetBrandParams = z.object({ brand: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/) });

/** The widget's contact form: the visitor's first message opens a ticket on the web channel. */
export const CreateWidgetConversationBody = z.object({
  name: z.string().trim().min(1).max(200),
  email: Email,
  /** Escaped to HTML for the ticket, which takes at most 20,000 characters of it. */
  message: z.string().trim().min(1).max(3_500),
  /** The widget's language, also the new contact's. */
  language: Language.default('en'),
});
export type CreateWidgetConversationBody = z.infer<typeof CreateWidgetConversationBody>;

export const WidgetMessageBody = z.object({ text: z.string().trim().min(1).max(10_000) });
export type WidgetMessageBody = z.infer<typeof WidgetMessageBody>;

/** One public message of the visitor's request, as plain text (the widget never renders HTML). */
export const WidgetMessage = z
  .object({
    id: z.uuid(),
    from: z.enum(['visitor', 'agent']),
    authorName: z.string(),
    text: z.string(),
    createdAt: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'WidgetMessage' });
export type WidgetMessage = z.infer<typeof WidgetMessage>;

export const WidgetConversation = z
  .object({
    ticketNumber: z.number().int(),
    subject: z.string(),
    status: StatusCategory,
    messages: z.array(WidgetMessage),
  })
  .meta({ id: 'WidgetConversation' });
export type WidgetConversation = z.infer<typeof WidgetConversation>;

export const WidgetConversationCreated = z
  .object({
    /** Shown once: the visitor's key to this conversation (`Authorization: Widget <token>`). */
    token: z.string(),
    conversation: WidgetConversation,
  })
  .meta({ id: 'WidgetConversationCreated' });
export type WidgetConversationCreated = z.infer<typeof WidgetConversationCreated>;
