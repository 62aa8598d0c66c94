import { z } from 'zod';
import { patchOf } from './common';
import { FieldValue } from './fields';
import { Priority, StatusKey, Tag, TicketType } from './tickets';

/** The ticket events a trigger can listen to. */
export const TRIGGER_EVENTS = [
  'created',
  'updated',
  'customer_replied',
  'agent_replied',
  'note_added',
] as const;
export const TriggerEvent = z.enum(TRIGGER_EVENTS);
export type TriggerEvent = z.infer<typeof TriggerEvent>;

export const RULE_OPERATORS = [
  'is',
  'isNot',
  'includes',
  'excludes',
  'contains',
  'notContains',
  'present',
  'absent',
  'greaterThan',
  'lessThan',
  'changed',
  'changedTo',
  'changedFrom',
] as const;
export const RuleOperator = z.enum(RULE_OPERATORS);
export type RuleOperator = z.infer<typeof RuleOperator>;

const ConditionValue = z.union([z.string().max(500), z.number(), z.boolean(), z.null()]);

export const RuleCondition = z
  .object({
    field: z
      .string()
      .regex(/^[a-zA-Z][\w.-]{0,99}$/)
      .meta({
        description:
          'status, statusCategory, priority, type, channel, language, team, assignee, organization, tags, subject, message, sla, customFields.<key>, customer.email, customer.language, customer.attributes.<key>, organization.attributes.<key>',
      }),
    operator: RuleOperator,
    value: z
      .array(ConditionValue)
      .max(50)
      .default([])
      .meta({ description: 'Any of these values; a team, assignee or organization of `none` means unset' }),
  })
  .meta({ id: 'RuleCondition' });
export type RuleCondition = z.infer<typeof RuleCondition>;

export const RuleConditions = z
  .object({
    all: z.array(RuleCondition).max(50).default([]).meta({ description: 'Every one must hold' }),
    any: z
      .array(RuleCondition)
      .max(50)
      .default([])
      .meta({ description: 'At least one must hold (when there are any)' }),
  })
  .meta({ id: 'RuleConditions' });
export type RuleConditions = z.infer<typeof RuleConditions>;

const Text = z.string().max(20_000).default('');
export const RECIPIENTS = ['requester', 'assignee', 'team', 'teamLeads'] as const;

export const RuleAction = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('setStatus'), value: StatusKey }),
    z.object({ type: z.literal('setPriority'), value: Priority }),
    z.object({ type: z.literal('setType'), value: TicketType }),
    z.object({ type: z.literal('setTeam'), value: z.uuid().nullable() }),
    z.object({ type: z.literal('setAssignee'), value: z.uuid().nullable() }),
    z.object({ type: z.literal('addTags'), value: z.array(Tag).min(1).max(20) }),
    z.object({ type: z.literal('removeTags'), value: z.array(Tag).min(1).max(20) }),
    z.object({ type: z.literal('setField'), key: z.string().min(1).max(60), value: FieldValue.nullable() }),
    z.object({ type: z.literal('addNote'), bodyEn: Text, bodyDe: Text }),
    z.object({
      type: z.literal('email'),
      to: z.enum(RECIPIENTS),
      subjectEn: z.string().max(500).default(''),
      subjectDe: z.string().max(500).default(''),
      bodyEn: Text,
      bodyDe: Text,
    }),
    z.object({
      type: z.literal('notify'),
      to: z.enum(['assignee', 'team', 'teamLeads']),
      textEn: z.string().max(500).default(''),
      textDe: z.string().max(500).default(''),
    }),
  ])
  .meta({
    id: 'RuleAction',
    description:
      'Texts take the placeholders of macros ({{ticket.number}}, {{customer.name}}, …) and are sent in the ticket’s language',
  });
export type RuleAction = z.infer<typeof RuleAction>;
export type RuleActionType = RuleAction['type'];

const RuleBase = {
  id: z.uuid(),
  name: z.string(),
  description: z.string(),
  active: z.boolean(),
  position: z.number().int(),
  conditions: RuleConditions,
  actions: z.array(RuleAction),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
};

export const Trigger = z.object({ ...RuleBase, events: z.array(TriggerEvent) }).meta({
  id: 'Trigger',
  description: 'A rule run when a ticket event happens, in order, each at most once per event',
});
export type Trigger = z.infer<typeof Trigger>;
export const TriggerList = z.object({ items: z.array(Trigger) });
export type TriggerList = z.infer<typeof TriggerList>;

const RuleInput = {
  name: z.string().trim().min(1).max(200),
  description: z.string().trim().max(2000).default(''),
  active: z.boolean().default(true),
  conditions: RuleConditions.default({ all: [], any: [] }),
  actions: z.array(RuleAction).min(1).max(30),
};
export const CreateTriggerBody = z.object({ ...RuleInput, events: z.array(TriggerEvent).min(1).max(5) });
export type CreateTriggerBody = z.infer<typeof CreateTriggerBody>;
export const UpdateTriggerBody = patchOf(CreateTriggerBody);
export type UpdateTriggerBody = z.infer<typeof UpdateTriggerBody>;

/** The moment an automation counts from. */
export const AUTOMATION_ANCHORS = [
  'created',
  'updated',
  'statusChanged',
  'solved',
  'customerMessage',
  'agentReply',
] as const;
export const AutomationAnchor = z.enum(AUTOMATION_ANCHORS);
export type AutomationAnchor = z.infer<typeof AutomationAnchor>;

export const AutomationTiming = z
  .object({
    since: AutomationAnchor,
    minutes: z
      .number()
      .int()
      .min(1)
      .max(366 * 24 * 60),
    businessHours: z.boolean().default(false),
    calendarId: z
      .uuid()
      .nullable()
      .default(null)
      .meta({ description: 'Business hours of this calendar; the default calendar when null' }),
  })
  .meta({ id: 'AutomationTiming', description: 'Fires once this long after the moment, once per moment' });
export type AutomationTiming = z.infer<typeof AutomationTiming>;

export const Automation = z
  .object({ ...RuleBase, timing: AutomationTiming })
  .meta({ id: 'Automation', description: 'A rule on elapsed time, checked by a sweep every minute' });
export type Automation = z.infer<typeof Automation>;
export const AutomationList = z.object({ items: z.array(Automation) });
export type AutomationList = z.infer<typeof AutomationList>;
export const CreateAutomationBody = z.object({ ...RuleInput, timing: AutomationTiming });
export type CreateAutomationBody = z.infer<typeof CreateAutomationBody>;
export const UpdateAutomationBody = patchOf(CreateAutomationBody);
export type UpdateAutomationBody = z.infer<typeof UpdateAutomationBody>;

export const OrderRulesBody = z.object({ ids: z.array(z.uuid()).max(500) });
export type OrderRulesBody = z.infer<typeof OrderRulesBody>;

/** A rule as it stands in the editor (saved or not), tried on one ticket. */
export const RuleTestBody = z.object({
  ticketNumber: z.number().int().min(1),
  event: TriggerEvent.default('updated').meta({ description: 'Triggers: the event to pretend' }),
  conditions: RuleConditions.default({ all: [], any: [] }),
  actions: z.array(RuleAction).max(30).default([]),
  timing: AutomationTiming.optional().meta({ description: 'Automations: when it would be due' }),
});
export type RuleTestBody = z.infer<typeof RuleTestBody>;

/** What a rule would do to a ticket now, without doing it. */
export const RuleTestResult = z
  .object({
    ticket: z.object({ id: z.uuid(), number: z.number().int(), subject: z.string() }),
    matches: z.boolean(),
    conditions: z.array(
      z.object({
        group: z.enum(['all', 'any']),
        condition: RuleCondition,
        met: z.boolean(),
        actual: z.unknown(),
      }),
    ),
    changes: z.array(z.object({ field: z.string(), from: z.unknown(), to: z.unknown() })),
    effects: z.array(z.string()).meta({ description: 'Notes, e-mails and notifications it would send' }),
    due: z.iso.datetime().nullable().meta({ description: 'Automations: when the time condition is met' }),
  })
  .meta({ id: 'RuleTestResult' });
export type RuleTestResult = z.infer<typeof RuleTestResult>;

export const RuleRun = z
  .object({
    id: z.uuid(),
    ruleKind: z.enum(['trigger', 'automation']),
    ruleId: z.uuid().nullable(),
    ruleName: z.string(),
    ticket: z.object({ id: z.uuid(), number: z.number().int() }),
    outcome: z.enum(['applied', 'failed']),
    changes: z.array(z.object({ field: z.string(), from: z.unknown(), to: z.unknown() })),
    error: z.string().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'RuleRun' });
export type RuleRun = z.infer<typeof RuleRun>;
export const RuleRunList = z.object({ items: z.array(RuleRun) });
export type RuleRunList = z.infer<typeof RuleRunList>;
export const RuleRunQuery = z.object({
  outcome: z.enum(['applied', 'failed']).optional(),
  ruleId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type RuleRunQuery = z.infer<typeof RuleRunQuery>;

/** One entry of the change log of a configuration object (who changed what, when). */
export const ChangeLogEntry = z
  .object({
    id: z.number().int(),
    action: z.string(),
    entityType: z.string(),
    entityId: z.string(),
    actor: z.object({ kind: z.string(), id: z.uuid().nullable(), name: z.string().nullable() }),
    data: z.record(z.string(), z.unknown()),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'ChangeLogEntry' });
export type ChangeLogEntry = z.infer<typeof ChangeLogEntry>;
export const ChangeLog = z.object({ items: z.array(ChangeLogEntry) });
export type ChangeLog = z.infer<typeof ChangeLog>;
export const ChangeLogQuery = z.object({
  entityType: z
    .enum([
      'trigger',
      'automation',
      'sla_policy',
      'calendar',
      'macro',
      'team',
      'user',
      'mailbox',
      'ticket_field',
      'survey',
    ])
    .meta({ description: 'Which kind of rule' }),
  entityId: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ChangeLogQuery = z.infer<typeof ChangeLogQuery>;
