import { z } from 'zod';
import { pageOf } from './common';

/** The signed-in customer of the portal. */
export const PortalMe = z
  .object({
    contact: z.object({ id: z.uuid(), name: z.string(), email: z.string().nullable(), language: z.string() }),
    organization: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    sharesOrganizationTickets: z
      .boolean()
      .meta({ description: 'Whether the organisation lets its contacts see each other’s tickets' }),
    csrfToken: z.string().meta({ description: 'Send as x-csrf-token with every POST' }),
  })
  .meta({ id: 'PortalMe' });
export type PortalMe = z.infer<typeof PortalMe>;

const PortalStatus = z.enum(['open', 'pending', 'solved', 'closed']).meta({
  description: 'What the customer sees: new/open/on hold read as open, pending waits for the customer',
});
export type PortalStatus = z.infer<typeof PortalStatus>;

export const PortalTicketSummary = z
  .object({
    id: z.uuid(),
    number: z.number().int(),
    subject: z.string(),
    status: PortalStatus,
    requesterName: z.string(),
    isOwn: z.boolean(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'PortalTicketSummary' });
export type PortalTicketSummary = z.infer<typeof PortalTicketSummary>;
export const PortalTicketPage = pageOf(PortalTicketSummary);
export type PortalTicketPage = z.infer<typeof PortalTicketPage>;

export const PortalTicketQuery = z.object({
  scope: z.enum(['mine', 'organization']).default('mine'),
  status: z.enum(['open', 'closed']).optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});
export type PortalTicketQuery = z.infer<typeof PortalTicketQuery>;

export const PortalTicketParams = z.object({ id: z.uuid() });
export const PortalAttachmentParams = z.object({ id: z.uuid() });

export const PortalAttachment = z.object({
  id: z.uuid(),
  fileName: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  url: z.string(),
});

export const PortalMessage = z
  .object({
    id: z.uuid(),
    authorKind: z.enum(['agent', 'contact']),
    authorName: z.string().meta({ description: 'An agent’s first name, or the contact’s name' }),
    isOwn: z.boolean(),
    bodyHtml: z.string().meta({ description: 'Sanitised HTML' }),
    createdAt: z.iso.datetime(),
    attachments: z.array(PortalAttachment),
  })
  .meta({ id: 'PortalMessage' });
export type PortalMessage = z.infer<typeof PortalMessage>;

export const PortalTicket = z
  .object({
    id: z.uuid(),
    number: z.number().int(),
    subject: z.string(),
    status: PortalStatus,
    requesterName: z.string(),
    isOwn: z.boolean(),
    canReply: z.boolean(),
    canClose: z.boolean(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    messages: z.array(PortalMessage),
  })
  .meta({ id: 'PortalTicket' });
export type PortalTicket = z.infer<typeof PortalTicket>;
