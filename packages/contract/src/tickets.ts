import { z } from 'zod';
import { Email } from './auth';
import { Language, pageOf } from './common';
import { OrganizationRef } from './customers';
import { AttributeCondition, CustomFieldInput, CustomFieldValues, FieldCondition } from './fields';

/** The six fixed categories every status belongs to; views, SLAs and reports work on these. */
export const STATUS_CATEGORIES = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'] as const;
export const StatusCategory = z.enum(STATUS_CATEGORIES);
export type StatusCategory = z.infer<typeof StatusCategory>;

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const Priority = z.enum(PRIORITIES);
export type Priority = z.infer<typeof Priority>;

export const TICKET_TYPES = ['question', 'incident', 'problem', 'task', 'complaint'] as const;
export const TicketType = z.enum(TICKET_TYPES);
export type TicketType = z.infer<typeof TicketType>;

export const CHANNELS = ['email', 'web', 'phone', 'social', 'review', 'api', 'agent'] as const;
export const Channel = z.enum(CHANNELS);
export type Channel = z.infer<typeof Channel>;

export const StatusKey = z
  .string()
  .regex(/^[a-z][a-z0-9_]{1,39}$/, 'lower-case letters, digits and _; 2 to 40 characters');

export const TicketStatus = z
  .object({
    key: z.string(),
    category: StatusCategory,
    nameEn: z.string(),
    nameDe: z.string(),
    isBuiltIn: z.boolean(),
    position: z.number().int(),
  })
  .meta({ id: 'TicketStatus' });
export type TicketStatus = z.infer<typeof TicketStatus>;
export const TicketStatusList = z.object({ items: z.array(TicketStatus) });
export type TicketStatusList = z.infer<typeof TicketStatusList>;
export const CreateTicketStatusBody = z.object({
  key: StatusKey,
  category: StatusCategory,
  nameEn: z.string().trim().min(1).max(60),
  nameDe: z.string().trim().min(1).max(60),
});
export type CreateTicketStatusBody = z.infer<typeof CreateTicketStatusBody>;

export const Tag = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[\p{L}\p{N}][\p{L}\p{N}_:.-]{0,49}$/u, 'letters, digits, _ : . - ; up to 50 characters');

export const TagQuery = z.object({
  q: z.string().trim().toLowerCase().max(50).optional().meta({ description: 'Tags starting with this' }),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type TagQuery = z.infer<typeof TagQuery>;
export const TagList = z.object({ items: z.array(z.object({ name: z.string() })) }).meta({ id: 'TagList' });
export type TagList = z.infer<typeof TagList>;

export const ContactRef = z.object({ id: z.uuid(), name: z.string(), email: z.string().nullable() });
export const UserRef = z.object({ id: z.uuid(), name: z.string() });
export const TeamRef = z.object({ id: z.uuid(), name: z.string() });

export const Ticket = z
  .object({
    id: z.uuid(),
    number: z.number().int().meta({ description: 'Shown as #10042' }),
    subject: z.string(),
    status: z.string().meta({ description: 'Status key' }),
    statusCategory: StatusCategory,
    priority: Priority,
    type: TicketType,
    channel: Channel,
    language: Language,
    requester: ContactRef,
    organization: OrganizationRef.nullable(),
    assignee: UserRef.nullable(),
    team: TeamRef.nullable(),
    tags: z.array(z.string()),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    solvedAt: z.iso.datetime().nullable(),
    messageCount: z.number().int(),
    parentId: z.uuid().nullable().meta({ description: 'The problem ticket this incident belongs to' }),
    mergedIntoId: z.uuid().nullable(),
    customFields: CustomFieldValues,
    sla: z
      .object({
        state: z.enum(['on_track', 'at_risk', 'breached', 'paused', 'met']),
        dueAt: z.iso
          .datetime()
          .nullable()
          .meta({ description: 'The next target due (null while paused or met)' }),
        atRiskAt: z.iso.datetime().nullable(),
        policyId: z.uuid(),
      })
      .nullable()
      .meta({
        description: 'The SLA policy that applies and how the ticket stands against it; null: none applies',
      }),
  })
  .meta({ id: 'Ticket' });
export type Ticket = z.infer<typeof Ticket>;
export const TicketPage = pageOf(Ticket);
export type TicketPage = z.infer<typeof TicketPage>;

export const MessageVisibility = z.enum(['public', 'internal']);
export type MessageVisibility = z.infer<typeof MessageVisibility>;

export const Attachment = z
  .object({
    id: z.uuid(),
    fileName: z.string(),
    contentType: z.string().meta({ description: 'Sniffed from the bytes, never taken from the uploader' }),
    size: z.number().int().meta({ description: 'Bytes' }),
    url: z.string().meta({ description: 'Download address (served with nosniff as an attachment)' }),
  })
  .meta({ id: 'Attachment' });
export type Attachment = z.infer<typeof Attachment>;
export const AttachmentList = z.object({ items: z.array(Attachment) });
export type AttachmentList = z.infer<typeof AttachmentList>;
export const AttachmentParams = z.object({ id: z.uuid() });
export const AttachmentQuery = z.object({
  disposition: z
    .enum(['attachment', 'inline'])
    .default('attachment')
    .meta({ description: 'inline is honoured for raster images only' }),
});

export const MessageBody = z.object({
  body: z.string().min(1).max(200_000).meta({ description: 'HTML (sanitised on the server) or plain text' }),
  visibility: MessageVisibility.default('public'),
});

export const ReplyBody = MessageBody.extend({
  body: z
    .string()
    .max(200_000)
    .meta({ description: 'HTML (sanitised on the server) or plain text; may be empty when files are sent' }),
  lastSeenMessageId: z.uuid().optional().meta({
    description: 'The newest message the agent had seen; a public reply by a colleague after it is a 409',
  }),
  force: z.boolean().default(false).meta({ description: 'Send even though a colleague replied meanwhile' }),
  attachmentIds: z
    .array(z.uuid())
    .max(20)
    .default([])
    .meta({ description: 'Files uploaded to this ticket by you and not yet sent' }),
});
export type ReplyBody = z.infer<typeof ReplyBody>;

export const PresenceBody = z.object({ state: z.enum(['viewing', 'typing', 'left']) });

/** Who wrote in: an existing contact, or an address to find or create one. */
export const RequesterInput = z.union([
  z.object({ id: z.uuid() }),
  z.object({ email: Email, name: z.string().trim().max(200).optional() }),
]);

export const CreateTicketBody = z.object({
  subject: z.string().trim().min(1).max(500),
  requester: RequesterInput,
  message: MessageBody.extend({ visibility: MessageVisibility.default('public') }),
  status: StatusKey.optional().meta({ description: 'Defaults to new, or open when assigned' }),
  priority: Priority.default('normal'),
  type: TicketType.default('question'),
  channel: Channel.default('api'),
  assigneeId: z.uuid().nullable().default(null),
  teamId: z.uuid().nullable().default(null),
  tags: z.array(Tag).max(50).default([]),
  customFields: CustomFieldInput.default({}),
});
export type CreateTicketBody = z.infer<typeof CreateTicketBody>;

export const UpdateTicketBody = z.object({
  subject: z.string().trim().min(1).max(500).optional(),
  status: StatusKey.optional(),
  priority: Priority.optional(),
  type: TicketType.optional(),
  assigneeId: z.uuid().nullable().optional(),
  teamId: z.uuid().nullable().optional(),
  tags: z.array(Tag).max(50).optional(),
  requesterId: z.uuid().optional(),
  customFields: CustomFieldInput.optional(),
});
export type UpdateTicketBody = z.infer<typeof UpdateTicketBody>;

export const TicketParams = z.object({ id: z.uuid() });
export const FollowerParams = z.object({ id: z.uuid(), userId: z.uuid() });
export const FollowerList = z.object({ items: z.array(UserRef) }).meta({ id: 'FollowerList' });
export type FollowerList = z.infer<typeof FollowerList>;

export const TicketQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  statusCategory: z
    .string()
    .max(100)
    .optional()
    .meta({ description: 'Comma-separated categories, e.g. new,open' }),
  assignee: z.string().max(40).optional().meta({ description: '`me`, `none` or a user id' }),
  teamId: z.uuid().optional(),
  requesterId: z.uuid().optional(),
  organizationId: z.uuid().optional(),
  tag: z.string().max(50).optional(),
  number: z.coerce
    .number()
    .int()
    .min(1)
    .optional()
    .meta({ description: 'The ticket with this number (#10042)' }),
});
export type TicketQuery = z.infer<typeof TicketQuery>;

export const Message = z
  .object({
    id: z.uuid(),
    ticketId: z.uuid(),
    visibility: MessageVisibility,
    authorKind: z.enum(['agent', 'contact', 'system']),
    author: z.object({ id: z.uuid().nullable(), name: z.string() }),
    bodyHtml: z.string(),
    bodyText: z.string(),
    channel: Channel,
    createdAt: z.iso.datetime(),
    attachments: z.array(Attachment),
    originalUrl: z
      .string()
      .nullable()
      .meta({ description: 'The message exactly as it arrived (an e-mail), for download; null for others' }),
  })
  .meta({ id: 'Message' });
export type Message = z.infer<typeof Message>;
export const MessageList = z.object({ items: z.array(Message) });
export type MessageList = z.infer<typeof MessageList>;

export const TicketEvent = z
  .object({
    id: z.number().int(),
    kind: z.string().meta({ description: 'created, changed, message_added, merged, …' }),
    field: z.string().nullable(),
    from: z.unknown(),
    to: z.unknown(),
    actor: z.object({ kind: z.string(), id: z.uuid().nullable(), name: z.string().nullable() }),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'TicketEvent' });
export type TicketEvent = z.infer<typeof TicketEvent>;
export const TicketEventList = z.object({ items: z.array(TicketEvent) });
export type TicketEventList = z.infer<typeof TicketEventList>;

export const CreatedTicket = Ticket.extend({ firstMessage: Message }).meta({ id: 'CreatedTicket' });
export type CreatedTicket = z.infer<typeof CreatedTicket>;

// ── views ───────────────────────────────────────────────────────────────────────────────────────────────

const IsoDate = z.iso.datetime({ offset: true });

export const SLA_FILTER_STATES = ['on_track', 'at_risk', 'breached', 'paused', 'met', 'none'] as const;
export const SlaFilterState = z.enum(SLA_FILTER_STATES);
export type SlaFilterState = z.infer<typeof SlaFilterState>;

/** What a view shows. Each given condition must hold; a list within one condition means any of its values. */
export const ViewFilter = z
  .object({
    statusCategory: z.array(StatusCategory).max(6).optional(),
    status: z.array(StatusKey).max(50).optional(),
    priority: z.array(Priority).max(4).optional(),
    type: z.array(TicketType).max(5).optional(),
    channel: z.array(Channel).max(7).optional(),
    assignee: z
      .array(z.union([z.literal('me'), z.literal('none'), z.uuid()]))
      .max(50)
      .optional()
      .meta({ description: '`me` is whoever looks at the view; `none` is unassigned' }),
    team: z
      .array(z.union([z.literal('mine'), z.literal('none'), z.uuid()]))
      .max(50)
      .optional()
      .meta({ description: '`mine` is any team of the viewer; `none` is no team' }),
    tagsAll: z.array(Tag).max(20).optional(),
    tagsAny: z.array(Tag).max(20).optional(),
    tagsNone: z.array(Tag).max(20).optional(),
    requesterId: z.array(z.uuid()).max(50).optional(),
    organizationId: z.array(z.uuid()).max(50).optional(),
    createdAfter: IsoDate.optional(),
    createdBefore: IsoDate.optional(),
    updatedAfter: IsoDate.optional(),
    updatedBefore: IsoDate.optional(),
    fields: z.array(FieldCondition).max(10).optional().meta({ description: 'Conditions on custom fields' }),
    customer: z
      .array(AttributeCondition)
      .max(10)
      .optional()
      .meta({ description: 'Conditions on attributes of the requester, e.g. segment in [gold]' }),
    sla: z
      .array(SlaFilterState)
      .max(6)
      .optional()
      .meta({ description: 'The SLA state now: on_track, at_risk, breached, paused, met, or none (no SLA)' }),
  })
  .strict()
  .meta({ id: 'ViewFilter' });
export type ViewFilter = z.infer<typeof ViewFilter>;

export const VIEW_SORT_FIELDS = ['updatedAt', 'createdAt', 'number', 'priority', 'slaDueAt'] as const;
export const ViewSort = z.object({
  field: z.enum(VIEW_SORT_FIELDS).default('updatedAt'),
  direction: z.enum(['asc', 'desc']).default('desc'),
});
export type ViewSort = z.infer<typeof ViewSort>;

export const View = z
  .object({
    id: z.uuid(),
    name: z.string(),
    builtIn: z
      .string()
      .nullable()
      .meta({ description: 'my_open, unassigned, all_open or pending for the default views' }),
    shared: z.boolean(),
    ownerId: z.uuid().nullable(),
    filter: ViewFilter,
    sort: ViewSort,
    position: z.number().int(),
    count: z.number().int().meta({ description: 'Tickets in the view, counted up to 10,000' }),
    countCapped: z.boolean().meta({ description: 'True when there are more than `count`' }),
  })
  .meta({ id: 'View' });
export type View = z.infer<typeof View>;
export const ViewList = z.object({ items: z.array(View) });
export type ViewList = z.infer<typeof ViewList>;

export const CreateViewBody = z.object({
  name: z.string().trim().min(1).max(80),
  shared: z.boolean().default(false).meta({ description: 'Shared views need tickets:admin' }),
  filter: ViewFilter,
  sort: ViewSort.default({ field: 'updatedAt', direction: 'desc' }),
});
export type CreateViewBody = z.infer<typeof CreateViewBody>;
export const UpdateViewBody = z.object({
  name: z.string().trim().min(1).max(80).optional(),
  filter: ViewFilter.optional(),
  sort: ViewSort.optional(),
  position: z.number().int().min(0).max(10_000).optional(),
});
export type UpdateViewBody = z.infer<typeof UpdateViewBody>;
export const ViewTicketsQuery = z.object({
  cursor: z.string().max(300).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

// ── search ──────────────────────────────────────────────────────────────────────────────────────────────

export const SearchQuery = z.object({
  q: z.string().trim().min(1).max(500).meta({
    description: 'Words, "phrases" and filters: status:open assignee:me tag:billing from:anna@example.com',
  }),
  cursor: z.string().max(300).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});
export type SearchQuery = z.infer<typeof SearchQuery>;

export const TicketHit = z.object({
  ticket: Ticket,
  rank: z.number(),
  snippet: z.string().meta({ description: 'Safe HTML: escaped text with the matches in <mark>' }),
});
export const ContactHit = z.object({
  id: z.uuid(),
  name: z.string(),
  email: z.string().nullable(),
  organization: OrganizationRef.nullable(),
});
export const SearchResult = z
  .object({
    tickets: z.array(TicketHit),
    contacts: z
      .array(ContactHit)
      .meta({ description: 'Contacts whose name or address matches (first page only)' }),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'SearchResult' });
export type SearchResult = z.infer<typeof SearchResult>;

// ── working many tickets ────────────────────────────────────────────────────────────────────────────────

export const BulkUpdateBody = z.object({
  ids: z.array(z.uuid()).min(1).max(1000),
  changes: z
    .object({
      status: StatusKey.optional(),
      priority: Priority.optional(),
      assigneeId: z.uuid().nullable().optional(),
      addTags: z.array(Tag).max(20).optional(),
      removeTags: z.array(Tag).max(20).optional(),
    })
    .refine((c) => Object.values(c).some((v) => v !== undefined), { message: 'nothing to change' }),
});
export type BulkUpdateBody = z.infer<typeof BulkUpdateBody>;
export const BulkResult = z
  .object({
    updated: z.number().int(),
    unchanged: z.number().int(),
    failed: z.array(z.object({ id: z.uuid(), code: z.string(), message: z.string() })),
  })
  .meta({ id: 'BulkResult' });
export type BulkResult = z.infer<typeof BulkResult>;

export const MergeTicketsBody = z.object({
  sourceIds: z
    .array(z.uuid())
    .min(1)
    .max(50)
    .meta({ description: 'Tickets to merge into this one: their messages move here and they are closed' }),
});
export const SplitTicketBody = z.object({
  messageId: z.uuid().meta({ description: 'The message that becomes a ticket of its own' }),
  subject: z.string().trim().min(1).max(500).optional(),
});
export const LinkKind = z.enum(['related', 'child']);
export const LinkBody = z.object({
  kind: LinkKind.meta({ description: '`child`: the other ticket is an incident of this problem ticket' }),
});
export const LinkParams = z.object({ id: z.uuid(), otherId: z.uuid() });
export const TicketRef = z.object({
  id: z.uuid(),
  number: z.number().int(),
  subject: z.string(),
  status: z.string(),
  statusCategory: StatusCategory,
});
export type TicketRef = z.infer<typeof TicketRef>;
export const TicketLinks = z
  .object({ parent: TicketRef.nullable(), children: z.array(TicketRef), related: z.array(TicketRef) })
  .meta({ id: 'TicketLinks' });
export type TicketLinks = z.infer<typeof TicketLinks>;
