import { z } from 'zod';
import { patchOf } from './common';
import { ViewFilter } from './tickets';

const Time = z.string().meta({ description: 'Local time HH:MM (00:00–24:00)' });
export const WorkingInterval = z.object({ start: Time, end: Time });
const Day = z.array(WorkingInterval).max(12);
export const Week = z.object({ mon: Day, tue: Day, wed: Day, thu: Day, fri: Day, sat: Day, sun: Day }).meta({
  id: 'Week',
  description: 'Working hours per weekday; several stretches a day leave breaks between',
});
export type Week = z.infer<typeof Week>;

export const BusinessCalendar = z
  .object({
    id: z.uuid(),
    name: z.string(),
    timeZone: z.string(),
    week: Week,
    holidayCountry: z
      .string()
      .nullable()
      .meta({ description: 'ISO country whose public holidays close the calendar' }),
    holidayRegion: z.string().nullable().meta({ description: 'State or region within the country, e.g. BY' }),
    isDefault: z.boolean(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'BusinessCalendar' });
export type BusinessCalendar = z.infer<typeof BusinessCalendar>;
export const BusinessCalendarList = z.object({ items: z.array(BusinessCalendar) });
export type BusinessCalendarList = z.infer<typeof BusinessCalendarList>;

export const CreateCalendarBody = z.object({
  name: z.string().trim().min(1).max(200),
  timeZone: z.string().trim().min(1).max(100),
  week: Week,
  holidayCountry: z.string().trim().toUpperCase().length(2).nullable().default(null),
  holidayRegion: z.string().trim().toUpperCase().min(1).max(10).nullable().default(null),
  isDefault: z.boolean().default(false),
});
export type CreateCalendarBody = z.infer<typeof CreateCalendarBody>;
export const UpdateCalendarBody = patchOf(CreateCalendarBody);
export type UpdateCalendarBody = z.infer<typeof UpdateCalendarBody>;

export const CalendarDay = z
  .object({
    date: z.iso.date(),
    name: z.string(),
    source: z
      .enum(['public', 'custom'])
      .meta({ description: 'public: a public holiday of the chosen country' }),
  })
  .meta({ id: 'CalendarDay' });
export type CalendarDay = z.infer<typeof CalendarDay>;
export const CalendarDayList = z.object({ items: z.array(CalendarDay) });
export type CalendarDayList = z.infer<typeof CalendarDayList>;
export const CalendarDayQuery = z.object({ year: z.coerce.number().int().min(1970).max(2100) });
export const AddCalendarDayBody = z.object({
  date: z.iso.date(),
  name: z.string().trim().max(200).default(''),
});
export type AddCalendarDayBody = z.infer<typeof AddCalendarDayBody>;

export const IcsImportResult = z
  .object({
    added: z.number().int(),
    skipped: z.array(z.object({ line: z.number().int(), reason: z.string() })),
  })
  .meta({ id: 'IcsImportResult' });
export type IcsImportResult = z.infer<typeof IcsImportResult>;

export const HolidayRegions = z.object({
  items: z.array(
    z.object({
      country: z.string(),
      name: z.string(),
      regions: z.array(z.object({ code: z.string(), name: z.string() })),
    }),
  ),
});
export type HolidayRegions = z.infer<typeof HolidayRegions>;

const Minutes = z
  .number()
  .int()
  .min(1, 'a target of at least one minute')
  .max(525_600, 'at most a year')
  .meta({ description: 'Minutes (business or calendar time, as the policy says)' });

export const SlaTargets = z
  .object({
    firstResponse: Minutes.optional(),
    nextResponse: Minutes.optional(),
    resolution: Minutes.optional(),
  })
  .meta({ id: 'SlaTargets' });
export type SlaTargets = z.infer<typeof SlaTargets>;

export const SlaTargetsByPriority = z.object({
  urgent: SlaTargets.default({}),
  high: SlaTargets.default({}),
  normal: SlaTargets.default({}),
  low: SlaTargets.default({}),
});

const NotifyWhom = z.array(z.enum(['assignee', 'team_lead'])).max(2);

/** What happens when a target is at risk or breached. */
export const SlaEscalation = z
  .object({
    atRisk: z.object({ notify: NotifyWhom.default(['assignee']) }).default({ notify: ['assignee'] }),
    breach: z
      .object({
        notify: NotifyWhom.default(['assignee', 'team_lead']),
        reassignToLead: z
          .boolean()
          .default(false)
          .meta({ description: 'Give the ticket to its team’s lead' }),
        escalationTeamId: z
          .uuid()
          .nullable()
          .default(null)
          .meta({ description: 'Move the ticket to this team' }),
        raisePriority: z.boolean().default(false).meta({ description: 'One step up, to urgent at most' }),
      })
      .default({
        notify: ['assignee', 'team_lead'],
        reassignToLead: false,
        escalationTeamId: null,
        raisePriority: false,
      }),
  })
  .meta({ id: 'SlaEscalation' });
export type SlaEscalation = z.infer<typeof SlaEscalation>;

export const SlaPolicy = z
  .object({
    id: z.uuid(),
    name: z.string(),
    position: z
      .number()
      .int()
      .meta({ description: 'Policies are tried in this order; the first that matches applies' }),
    active: z.boolean(),
    conditions: ViewFilter.meta({ description: 'Which tickets it applies to, in the language of views' }),
    targets: SlaTargetsByPriority,
    businessTime: z
      .boolean()
      .meta({ description: 'Count in the calendar’s working hours (else every minute)' }),
    calendarId: z
      .uuid()
      .nullable()
      .meta({ description: 'The calendar for business time; null: the default one' }),
    pauseOn: z
      .array(z.enum(['pending', 'on_hold']))
      .meta({ description: 'Status categories that stop the clocks' }),
    atRiskPercent: z
      .number()
      .int()
      .meta({ description: 'A clock is at risk after this share of its target' }),
    escalation: SlaEscalation,
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'SlaPolicy' });
export type SlaPolicy = z.infer<typeof SlaPolicy>;
export const SlaPolicyList = z.object({ items: z.array(SlaPolicy) });
export type SlaPolicyList = z.infer<typeof SlaPolicyList>;

export const CreateSlaPolicyBody = z.object({
  name: z.string().trim().min(1).max(200),
  active: z.boolean().default(true),
  conditions: ViewFilter.default({}),
  targets: SlaTargetsByPriority,
  businessTime: z.boolean().default(true),
  calendarId: z.uuid().nullable().default(null),
  pauseOn: z
    .array(z.enum(['pending', 'on_hold']))
    .max(2)
    .default(['pending', 'on_hold']),
  atRiskPercent: z.number().int().min(1).max(99).default(75),
  escalation: SlaEscalation.default({
    atRisk: { notify: ['assignee'] },
    breach: {
      notify: ['assignee', 'team_lead'],
      reassignToLead: false,
      escalationTeamId: null,
      raisePriority: false,
    },
  }),
});
export type CreateSlaPolicyBody = z.infer<typeof CreateSlaPolicyBody>;
export const UpdateSlaPolicyBody = patchOf(CreateSlaPolicyBody);
export type UpdateSlaPolicyBody = z.infer<typeof UpdateSlaPolicyBody>;
export const SlaPolicyOrderBody = z.object({ ids: z.array(z.uuid()).min(1).max(200) });

export const SlaClock = z
  .object({
    metric: z.enum(['first_response', 'next_response', 'resolution']),
    state: z.enum(['on_track', 'at_risk', 'breached', 'paused', 'met']),
    targetMinutes: z.number(),
    startedAt: z.iso.datetime(),
    dueAt: z.iso.datetime().nullable(),
    stoppedAt: z.iso.datetime().nullable(),
    pausedMinutes: z.number(),
  })
  .meta({ id: 'SlaClock' });
export const TicketSla = z
  .object({
    policy: z.object({ id: z.uuid(), name: z.string(), businessTime: z.boolean() }).nullable(),
    clocks: z.array(SlaClock),
  })
  .meta({ id: 'TicketSla' });
export type TicketSla = z.infer<typeof TicketSla>;

export const Escalation = z
  .object({
    id: z.uuid(),
    kind: z.enum(['at_risk', 'breach', 'manual']),
    reason: z.string(),
    note: z.string(),
    dueAt: z.iso
      .datetime()
      .nullable()
      .meta({ description: 'The SLA due time it was about (automatic ones)' }),
    fromTeam: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    toTeam: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    toUser: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    by: z
      .object({ id: z.uuid(), name: z.string() })
      .nullable()
      .meta({ description: 'Null: Keepdesk itself' }),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Escalation' });
export type Escalation = z.infer<typeof Escalation>;
export const EscalationList = z.object({ items: z.array(Escalation) });
export type EscalationList = z.infer<typeof EscalationList>;

/** An agent hands a ticket up (a higher tier) or over (another department), with the reason and a note. */
export const EscalateBody = z
  .object({
    toTeamId: z.uuid().nullable().default(null),
    toUserId: z.uuid().nullable().default(null),
    reason: z.string().trim().min(3).max(500),
    note: z.string().trim().max(10_000).default(''),
    raisePriority: z.boolean().default(false),
  })
  .refine((b) => b.toTeamId !== null || b.toUserId !== null, {
    message: 'escalate to a team, a person or both',
    path: ['toTeamId'],
  });
export type EscalateBody = z.infer<typeof EscalateBody>;

export const MacroActions = z
  .object({
    status: z.string().min(1).max(40).optional(),
    priority: z.enum(['low', 'normal', 'high', 'urgent']).optional(),
    type: z.enum(['question', 'incident', 'problem', 'task', 'complaint']).optional(),
    addTags: z.array(z.string().trim().toLowerCase().min(1).max(50)).max(20).optional(),
    assignToMe: z.boolean().optional(),
  })
  .meta({ id: 'MacroActions', description: 'Field changes applied together with the text' });
export type MacroActions = z.infer<typeof MacroActions>;

export const Macro = z
  .object({
    id: z.uuid(),
    name: z.string(),
    shared: z.boolean().meta({ description: 'Shared with everyone; else only its owner sees it' }),
    ownerId: z.uuid().nullable(),
    bodyEn: z.string(),
    bodyDe: z.string(),
    visibility: z.enum(['public', 'internal']).meta({ description: 'A reply or an internal note' }),
    actions: MacroActions,
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Macro' });
export type Macro = z.infer<typeof Macro>;
export const MacroList = z.object({ items: z.array(Macro) });
export type MacroList = z.infer<typeof MacroList>;
export const CreateMacroBody = z.object({
  name: z.string().trim().min(1).max(200),
  shared: z.boolean().default(false),
  bodyEn: z.string().max(20_000).default(''),
  bodyDe: z.string().max(20_000).default(''),
  visibility: z.enum(['public', 'internal']).default('public'),
  actions: MacroActions.default({}),
});
export type CreateMacroBody = z.infer<typeof CreateMacroBody>;
export const UpdateMacroBody = patchOf(CreateMacroBody);
export type UpdateMacroBody = z.infer<typeof UpdateMacroBody>;
export const MacroPreview = z
  .object({
    body: z.string().meta({ description: 'The text in the ticket’s language with the placeholders filled' }),
    language: z.enum(['de', 'en']),
    visibility: z.enum(['public', 'internal']),
    changes: z.array(z.object({ field: z.string(), from: z.unknown(), to: z.unknown() })),
  })
  .meta({ id: 'MacroPreview' });
export type MacroPreview = z.infer<typeof MacroPreview>;
