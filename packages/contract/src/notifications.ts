import { z } from 'zod';

export const NOTIFICATION_KINDS = [
  'mention',
  'assigned',
  'activity',
  'callback_due',
  'sla_at_risk',
  'sla_breached',
  'escalated',
  'rule',
  'rule_failed',
  'target_off_track',
  'health_dropped',
  'health_dropped_many',
  'kb_needs_review',
  'kb_revision_proposed',
  'kb_revision_approved',
  'kb_revision_rejected',
] as const;
export const NotificationKind = z.enum(NOTIFICATION_KINDS);
export type NotificationKind = z.infer<typeof NotificationKind>;

export const Notification = z
  .object({
    id: z.uuid(),
    kind: NotificationKind.meta({
      description:
        'mention: you were @mentioned; assigned: a ticket was given to you; activity: a ticket you follow has a new message; callback_due: a callback you promised is due; sla_at_risk, sla_breached: an SLA target of a ticket; escalated: a ticket was escalated to you; rule: a trigger or automation tells you about a ticket; rule_failed: a rule could not do its work on a ticket (admins); target_off_track: a reporting target you own is forecast to miss its threshold this period; health_dropped: a customer account you own dropped to a worse health band (at most 3 of yours in one scoring run); health_dropped_many: more than 3 accounts you own dropped to a worse health band in one scoring run, told once instead of each (their number in `excerpt`, as digits; no `account`: your accounts are on the at-risk list with owner=me); kb_needs_review: a knowledge article you own is due for verification (the article in `target`); kb_revision_proposed: an author proposed a change to a published article you own or last published (ADR 0045; the article in `target`, the note of the proposal in `excerpt`); kb_revision_approved, kb_revision_rejected: a publisher decided on the change you proposed to a published article (the article in `target`, the note of a rejection in `excerpt`)',
    }),
    ticket: z
      .object({ id: z.uuid(), number: z.number().int(), subject: z.string() })
      .nullable()
      .meta({ description: 'The ticket it is about; null for a notification about a reporting target' }),
    target: z.object({ id: z.uuid(), name: z.string() }).nullable().meta({
      description:
        'The reporting target it is about (target_off_track), or the knowledge article (kb_needs_review, kb_revision_*)',
    }),
    account: z.object({ id: z.uuid(), name: z.string() }).nullable().meta({
      description: 'The customer account it is about (health_dropped); null for health_dropped_many',
    }),
    actor: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    excerpt: z.string().meta({ description: 'The start of the message, as plain text' }),
    createdAt: z.iso.datetime(),
    readAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Notification' });
export type Notification = z.infer<typeof Notification>;

export const NotificationPage = z
  .object({
    items: z.array(Notification),
    nextCursor: z.string().nullable(),
    unread: z.number().int().meta({ description: 'Your unread notifications, counted up to 100' }),
  })
  .meta({ id: 'NotificationPage' });
export type NotificationPage = z.infer<typeof NotificationPage>;

export const NotificationQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  unread: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
});
export type NotificationQuery = z.infer<typeof NotificationQuery>;

export const MarkReadBody = z
  .object({
    ids: z.array(z.uuid()).max(500).optional(),
    all: z.boolean().optional(),
  })
  .refine((b) => Boolean(b.all) !== Boolean(b.ids?.length), { message: 'give ids or all: true' });
export type MarkReadBody = z.infer<typeof MarkReadBody>;
