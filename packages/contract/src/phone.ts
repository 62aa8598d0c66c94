import { z } from 'zod';

const Phone = z
  .string()
  .trim()
  .min(3)
  .max(40)
  .regex(/^\+?[\d\s()./-]+$/, 'a phone number (digits, optionally with + and separators)');

export const CallDirection = z.enum(['inbound', 'outbound']);
export const CallStatus = z.enum(['ringing', 'answered', 'ended', 'missed']);

/** What a PBX or cloud telephony service reports about a call, one event at a time. */
export const CallEventBody = z.object({
  event: z.enum(['ringing', 'answered', 'ended', 'missed']).meta({
    description:
      'ringing: the caller is looked up; answered: the customer pops up in the browser of the agent who took it; ended: the call is logged on a ticket; missed: a callback request is opened',
  }),
  callId: z.string().trim().min(1).max(200).meta({ description: "The telephony system's id of the call" }),
  direction: CallDirection.default('inbound'),
  from: Phone,
  to: Phone,
  agent: z
    .string()
    .trim()
    .max(320)
    .optional()
    .meta({ description: 'Who took the call: a Keepdesk user id or e-mail address' }),
  ticketId: z
    .uuid()
    .optional()
    .meta({ description: 'Log the call on this ticket (else the one the agent chose, else a new one)' }),
  durationSeconds: z.number().int().min(0).max(86_400).optional(),
  recordingUrl: z.url().max(2000).optional(),
  notes: z.string().max(10_000).optional(),
  at: z.iso
    .datetime({ offset: true })
    .optional()
    .meta({ description: 'When it happened; now when left out' }),
});
export type CallEventBody = z.infer<typeof CallEventBody>;

export const CallTicket = z.object({
  id: z.uuid(),
  number: z.number().int(),
  subject: z.string(),
  status: z.string(),
  updatedAt: z.iso.datetime(),
});

export const Call = z
  .object({
    id: z.uuid(),
    callId: z.string(),
    direction: CallDirection,
    status: CallStatus,
    from: z.string(),
    to: z.string(),
    customerNumber: z.string().meta({ description: 'The number on the customer side of the call' }),
    contact: z
      .object({
        id: z.uuid(),
        name: z.string(),
        organization: z.string().nullable(),
        emails: z.array(z.string()),
      })
      .nullable(),
    openTickets: z.array(CallTicket).meta({ description: "The caller's open tickets, most recent first" }),
    agent: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    ticketId: z.uuid().nullable(),
    startedAt: z.iso.datetime(),
    answeredAt: z.iso.datetime().nullable(),
    endedAt: z.iso.datetime().nullable(),
    durationSeconds: z.number().int().nullable(),
    recordingUrl: z.string().nullable(),
    notes: z.string(),
  })
  .meta({ id: 'Call' });
export type Call = z.infer<typeof Call>;
export const CallList = z.object({ items: z.array(Call) });
export type CallList = z.infer<typeof CallList>;

export const UpdateCallBody = z.object({
  ticketId: z.uuid().nullable().optional().meta({ description: 'The ticket the call is about' }),
  notes: z.string().max(10_000).optional(),
});
export type UpdateCallBody = z.infer<typeof UpdateCallBody>;

/** A call an agent logs by hand on a ticket. */
export const LogCallBody = z.object({
  direction: CallDirection,
  number: Phone,
  durationSeconds: z.number().int().min(0).max(86_400),
  notes: z.string().max(10_000).default(''),
  recordingUrl: z.url().max(2000).optional(),
  at: z.iso.datetime({ offset: true }).optional(),
});
export type LogCallBody = z.infer<typeof LogCallBody>;

export const Callback = z
  .object({
    id: z.uuid(),
    phone: z.string(),
    contact: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    ticket: z.object({ id: z.uuid(), number: z.number().int(), subject: z.string() }).nullable(),
    dueAt: z.iso.datetime(),
    note: z.string(),
    assignee: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    status: z.enum(['open', 'done']),
    overdue: z.boolean(),
    createdAt: z.iso.datetime(),
    doneAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Callback' });
export type Callback = z.infer<typeof Callback>;
export const CallbackList = z.object({ items: z.array(Callback) });
export type CallbackList = z.infer<typeof CallbackList>;

export const CreateCallbackBody = z.object({
  phone: Phone,
  ticketId: z.uuid().nullable().default(null),
  dueAt: z.iso.datetime({ offset: true }),
  note: z.string().trim().max(2000).default(''),
  assigneeId: z.uuid().nullable().default(null),
});
export type CreateCallbackBody = z.infer<typeof CreateCallbackBody>;
export const UpdateCallbackBody = z.object({
  status: z.enum(['open', 'done']).optional(),
  dueAt: z.iso.datetime({ offset: true }).optional(),
  assigneeId: z.uuid().nullable().optional(),
  note: z.string().trim().max(2000).optional(),
});
export type UpdateCallbackBody = z.infer<typeof UpdateCallbackBody>;
export const CallbackQuery = z.object({
  status: z.enum(['open', 'done']).default('open'),
  assignee: z.string().optional().meta({ description: '`me`, a user id, or `none`' }),
  ticketId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
