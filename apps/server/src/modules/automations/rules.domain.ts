import type {
  FieldValue,
  RuleAction,
  RuleCondition,
  RuleConditions,
  RuleOperator,
  TriggerEvent,
  UpdateTicketBody,
} from '@keepdesk/contract';

/** What rules read of a ticket. */
export interface RuleTicket {
  id: string;
  number: number;
  subject: string;
  statusKey: string;
  statusCategory: string;
  priority: string;
  type: string;
  channel: string;
  language: string;
  teamId: string | null;
  assigneeId: string | null;
  organizationId: string | null;
  tags: readonly string[];
  customFields: Readonly<Record<string, FieldValue>>;
  /** on_track, at_risk, breached, paused, or none without a running SLA. */
  sla: string;
}

/** A change as the ticket history records it: `status`, `assignee`, `customFields.plan`, … */
export type Changes = Readonly<Record<string, { from: unknown; to: unknown }>>;

export interface RuleFacts {
  ticket: RuleTicket;
  customer: { email: string | null; language: string | null; attributes: Readonly<Record<string, unknown>> };
  organization: { attributes: Readonly<Record<string, unknown>> } | null;
  /** The event a trigger runs on; null for automations. */
  event: { kind: TriggerEvent; changes: Changes; message: string | null } | null;
}

export type RuleKind = 'trigger' | 'automation';

const EQUALITY: readonly RuleOperator[] = ['is', 'isNot', 'present', 'absent'];
const CHANGE: readonly RuleOperator[] = ['changed', 'changedTo', 'changedFrom'];
const TEXT: readonly RuleOperator[] = ['contains', 'notContains'];
const ORDERED: readonly RuleOperator[] = ['greaterThan', 'lessThan'];

/** The operators each field takes; open-ended fields (attributes, custom fields) by prefix. */
const FIELD_OPERATORS: Record<string, readonly RuleOperator[]> = {
  status: [...EQUALITY, ...CHANGE],
  statusCategory: [...EQUALITY, ...CHANGE],
  priority: [...EQUALITY, ...ORDERED, ...CHANGE],
  type: [...EQUALITY, ...CHANGE],
  channel: EQUALITY,
  language: EQUALITY,
  team: [...EQUALITY, ...CHANGE],
  assignee: [...EQUALITY, ...CHANGE],
  organization: EQUALITY,
  tags: ['includes', 'excludes', 'changed'],
  subject: [...TEXT, 'changed'],
  message: TEXT,
  sla: EQUALITY,
  'customer.email': [...EQUALITY, ...TEXT],
  'customer.language': EQUALITY,
};
const PREFIX_OPERATORS: Record<string, readonly RuleOperator[]> = {
  'customFields.': [...EQUALITY, ...TEXT, ...ORDERED, ...CHANGE],
  'customer.attributes.': [...EQUALITY, ...TEXT, ...ORDERED],
  'organization.attributes.': [...EQUALITY, ...TEXT, ...ORDERED],
};

function operatorsOf(field: string): readonly RuleOperator[] | undefined {
  const fixed = FIELD_OPERATORS[field];
  if (fixed) return fixed;
  const prefix = Object.keys(PREFIX_OPERATORS).find((p) => field.startsWith(p) && field.length > p.length);
  return prefix ? PREFIX_OPERATORS[prefix] : undefined;
}

const PRIORITY_RANK: Record<string, number> = { low: 1, normal: 2, high: 3, urgent: 4 };
const NO_VALUE = ['present', 'absent', 'changed'];

/** The value a condition reads; `none` stands for an unset team, assignee or organization. */
export function readField(facts: RuleFacts, field: string): unknown {
  const t = facts.ticket;
  switch (field) {
    case 'status':
      return t.statusKey;
    case 'statusCategory':
      return t.statusCategory;
    case 'priority':
      return t.priority;
    case 'type':
      return t.type;
    case 'channel':
      return t.channel;
    case 'language':
      return t.language;
    case 'team':
      return t.teamId;
    case 'assignee':
      return t.assigneeId;
    case 'organization':
      return t.organizationId;
    case 'tags':
      return t.tags;
    case 'subject':
      return t.subject;
    case 'message':
      return facts.event?.message ?? null;
    case 'sla':
      return t.sla;
    case 'customer.email':
      return facts.customer.email;
    case 'customer.language':
      return facts.customer.language;
  }
  if (field.startsWith('customFields.')) return t.customFields[field.slice('customFields.'.length)];
  if (field.startsWith('customer.attributes.')) {
    return facts.customer.attributes[field.slice('customer.attributes.'.length)];
  }
  if (field.startsWith('organization.attributes.')) {
    return facts.organization?.attributes[field.slice('organization.attributes.'.length)];
  }
  return undefined;
}

const isUnset = (value: unknown) =>
  value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);

/** Equality as people mean it: case-insensitive for text, `none` for unset, any element of a list. */
function same(actual: unknown, wanted: unknown): boolean {
  if (wanted === 'none' && isUnset(actual)) return true;
  if (Array.isArray(actual)) return actual.some((a) => same(a, wanted));
  if (typeof actual === 'string' && typeof wanted === 'string')
    return actual.toLowerCase() === wanted.toLowerCase();
  if (typeof actual === 'number' && typeof wanted === 'string') return String(actual) === wanted;
  return actual === wanted;
}

function rank(field: string, value: unknown): number | null {
  if (field === 'priority' && typeof value === 'string') return PRIORITY_RANK[value] ?? null;
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return null;
}

function textOf(value: unknown): string {
  if (Array.isArray(value)) return value.join(' ');
  return value === null || value === undefined ? '' : String(value);
}

/** Whether one condition holds. The reference for every place rules are checked (runs, tests, dry runs). */
export function matchesCondition(condition: RuleCondition, facts: RuleFacts): boolean {
  const { field, operator, value: wanted } = condition;
  const actual = readField(facts, field);
  switch (operator) {
    case 'is':
      return wanted.some((w) => same(actual, w));
    case 'isNot':
      return !wanted.some((w) => same(actual, w));
    case 'includes':
      return wanted.some((w) => Array.isArray(actual) && actual.includes(w));
    case 'excludes':
      return !wanted.some((w) => Array.isArray(actual) && actual.includes(w));
    case 'contains':
    case 'notContains': {
      const text = textOf(actual).toLowerCase();
      const found = wanted.some((w) => w !== null && text.includes(String(w).toLowerCase()));
      return operator === 'contains' ? found : !found;
    }
    case 'present':
      return !isUnset(actual);
    case 'absent':
      return isUnset(actual);
    case 'greaterThan':
    case 'lessThan': {
      const left = rank(field, actual);
      const right = rank(field, wanted[0]);
      if (left === null || right === null) return false;
      return operator === 'greaterThan' ? left > right : left < right;
    }
    case 'changed':
    case 'changedTo':
    case 'changedFrom': {
      const change = changeOf(facts, field);
      if (!change) return false;
      if (operator === 'changed') return true;
      const side = operator === 'changedTo' ? change.to : change.from;
      return wanted.some((w) => same(side, w));
    }
  }
}

/** A change of a status also changes its category; the history records only the key. */
function changeOf(facts: RuleFacts, field: string) {
  const changes = facts.event?.changes ?? {};
  return changes[field] ?? (field === 'statusCategory' ? changes.statusCategory : undefined);
}

/** All of `all`, and at least one of `any` when there are any. */
export function matchesConditions(conditions: RuleConditions, facts: RuleFacts): boolean {
  if (!conditions.all.every((c) => matchesCondition(c, facts))) return false;
  return conditions.any.length === 0 || conditions.any.some((c) => matchesCondition(c, facts));
}

/** Each condition with whether it holds and what the ticket has: the "test this rule" view. */
export function explainConditions(conditions: RuleConditions, facts: RuleFacts) {
  const explain = (group: 'all' | 'any') => (condition: RuleCondition) => ({
    group,
    condition,
    met: matchesCondition(condition, facts),
    actual: CHANGE.includes(condition.operator)
      ? (changeOf(facts, condition.field) ?? null)
      : (readField(facts, condition.field) ?? null),
  });
  return [...conditions.all.map(explain('all')), ...conditions.any.map(explain('any'))];
}

export interface RuleError {
  field: string;
  message: string;
}

/**
 * What is wrong with a rule before it is saved: unknown fields, operators a field does not take, missing
 * values, change conditions on automations (they have no event), contradicting actions.
 */
export function validateRule(
  kind: RuleKind,
  rule: { conditions: RuleConditions; actions: readonly RuleAction[] },
): RuleError[] {
  const errors: RuleError[] = [];
  for (const group of ['all', 'any'] as const) {
    rule.conditions[group].forEach((condition, index) => {
      const path = `conditions.${group}.${index}`;
      const operators = operatorsOf(condition.field);
      if (!operators) {
        errors.push({ field: `${path}.field`, message: `unknown field ${condition.field}` });
        return;
      }
      if (!operators.includes(condition.operator)) {
        errors.push({
          field: `${path}.operator`,
          message: `${condition.field} takes ${operators.join(', ')}, not ${condition.operator}`,
        });
      }
      if (kind === 'automation' && (CHANGE.includes(condition.operator) || condition.field === 'message')) {
        errors.push({
          field: `${path}.operator`,
          message: 'automations run on time, not on an event: no changes or message to look at',
        });
      }
      if (!NO_VALUE.includes(condition.operator) && condition.value.length === 0) {
        errors.push({ field: `${path}.value`, message: 'give at least one value' });
      }
    });
  }
  const writes = writesOf(rule.actions);
  const seen = new Map<string, unknown>();
  for (const write of writes) {
    if (seen.has(write.field) && seen.get(write.field) !== write.value) {
      errors.push({ field: 'actions', message: `two actions set ${describeField(write.field)} differently` });
    }
    seen.set(write.field, write.value);
  }
  return errors;
}

/** One field a rule writes with its value; a tag is `tag:<name>` with true (added) or false (removed). */
interface Write {
  field: string;
  value: unknown;
}

export function writesOf(actions: readonly RuleAction[]): Write[] {
  return actions.flatMap((action): Write[] => {
    switch (action.type) {
      case 'setStatus':
        return [{ field: 'status', value: action.value }];
      case 'setPriority':
        return [{ field: 'priority', value: action.value }];
      case 'setType':
        return [{ field: 'type', value: action.value }];
      case 'setTeam':
        return [{ field: 'team', value: action.value }];
      case 'setAssignee':
        return [{ field: 'assignee', value: action.value }];
      case 'setField':
        return [{ field: `customFields.${action.key}`, value: action.value }];
      case 'addTags':
        return action.value.map((tag) => ({ field: `tag:${tag}`, value: true }));
      case 'removeTags':
        return action.value.map((tag) => ({ field: `tag:${tag}`, value: false }));
      default:
        return [];
    }
  });
}

function describeField(field: string): string {
  return field.startsWith('tag:') ? `tag ${field.slice(4)}` : field;
}

function describeWrite(write: Write): string {
  if (write.field.startsWith('tag:'))
    return `${write.value ? 'adds' : 'removes'} tag ${write.field.slice(4)}`;
  return `sets ${write.field} to ${write.value === null ? 'none' : String(write.value)}`;
}

/**
 * Whether a write can make a condition hold: the condition reads the written field and holds for the written
 * value (tags: an added tag satisfies `includes`, a removed one `excludes`; a change satisfies change conditions).
 */
function canSatisfy(write: Write, condition: RuleCondition): boolean {
  if (write.field.startsWith('tag:')) {
    if (condition.field !== 'tags') return false;
    const tag = write.field.slice(4);
    if (condition.operator === 'changed') return true;
    if (condition.operator === 'includes') return write.value === true && condition.value.includes(tag);
    if (condition.operator === 'excludes') return write.value === false && condition.value.includes(tag);
    return false;
  }
  const field = condition.field === 'statusCategory' ? 'status' : condition.field;
  if (field !== write.field) return false;
  if (condition.field === 'statusCategory') return true; // the category of a status key is not known here
  if (condition.operator === 'changed') return true;
  if (condition.operator === 'changedFrom') return false;
  const facts = factsWith(write);
  const probe: RuleCondition =
    condition.operator === 'changedTo' ? { ...condition, operator: 'is' } : condition;
  return matchesCondition(probe, facts);
}

function factsWith(write: Write): RuleFacts {
  const ticket: RuleTicket = {
    id: '',
    number: 0,
    subject: '',
    statusKey: '',
    statusCategory: '',
    priority: '',
    type: '',
    channel: '',
    language: '',
    teamId: null,
    assigneeId: null,
    organizationId: null,
    tags: [],
    customFields: {},
    sla: 'none',
  };
  const set = write.value as never;
  if (write.field === 'status') ticket.statusKey = set;
  else if (write.field === 'priority') ticket.priority = set;
  else if (write.field === 'type') ticket.type = set;
  else if (write.field === 'team') ticket.teamId = set;
  else if (write.field === 'assignee') ticket.assigneeId = set;
  else if (write.field.startsWith('customFields.')) {
    ticket.customFields = write.value === null ? {} : { [write.field.slice(13)]: set };
  }
  return {
    ticket,
    customer: { email: null, language: null, attributes: {} },
    organization: null,
    event: null,
  };
}

/** Whether `a` firing can make `b` fire: `b` runs on updates and one of `a`'s writes satisfies one of its conditions. */
function enables(a: { actions: readonly RuleAction[] }, b: LoopRule): boolean {
  if (!b.events.includes('updated')) return false;
  const conditions = [...b.conditions.all, ...b.conditions.any];
  return writesOf(a.actions).some((write) => conditions.some((c) => canSatisfy(write, c)));
}

export interface LoopRule {
  id: string;
  name: string;
  events: readonly TriggerEvent[];
  conditions: RuleConditions;
  actions: readonly RuleAction[];
}

/**
 * Triggers that would undo each other's changes for ever: two that write the same field differently, where
 * each one's changes (through a chain of triggers) make the other match. At run time every trigger fires at
 * most once per event, so such a pair cannot hang Keepdesk, but it flips the ticket back and forth: it is
 * refused when saved. Returns the first such pair with a sentence for the admin, or null.
 */
export function findLoop(rules: readonly LoopRule[]): { ids: [string, string]; message: string } | null {
  const reach = new Map<string, Set<string>>();
  for (const rule of rules) {
    const seen = new Set<string>();
    const stack = [rule];
    while (stack.length > 0) {
      const current = stack.pop()!;
      for (const next of rules) {
        if (!seen.has(next.id) && enables(current, next)) {
          seen.add(next.id);
          stack.push(next);
        }
      }
    }
    reach.set(rule.id, seen);
  }
  for (const a of rules) {
    for (const b of rules) {
      if (a.id >= b.id || !reach.get(a.id)!.has(b.id) || !reach.get(b.id)!.has(a.id)) continue;
      const writesB = writesOf(b.actions);
      for (const wa of writesOf(a.actions)) {
        const wb = writesB.find((w) => w.field === wa.field && w.value !== wa.value);
        if (wb) {
          return {
            ids: [a.id, b.id],
            message: `“${a.name}” ${describeWrite(wa)} and “${b.name}” ${describeWrite(wb)}, and each one's changes make the other match: they would undo each other for ever`,
          };
        }
      }
    }
  }
  return null;
}

/** What a rule's actions do to a ticket: the update (only what differs), and the messages it sends. */
export interface ActionPlan {
  update: UpdateTicketBody;
  notes: { en: string; de: string }[];
  emails: Extract<RuleAction, { type: 'email' }>[];
  notifications: Extract<RuleAction, { type: 'notify' }>[];
}

export function planActions(actions: readonly RuleAction[], ticket: RuleTicket): ActionPlan {
  const plan: ActionPlan = { update: {}, notes: [], emails: [], notifications: [] };
  let tags = [...ticket.tags];
  const fields: Record<string, FieldValue | null> = {};
  for (const action of actions) {
    switch (action.type) {
      case 'setStatus':
        if (action.value !== ticket.statusKey) plan.update.status = action.value;
        break;
      case 'setPriority':
        if (action.value !== ticket.priority) plan.update.priority = action.value;
        break;
      case 'setType':
        if (action.value !== ticket.type) plan.update.type = action.value;
        break;
      case 'setTeam':
        if (action.value !== ticket.teamId) plan.update.teamId = action.value;
        break;
      case 'setAssignee':
        if (action.value !== ticket.assigneeId) plan.update.assigneeId = action.value;
        break;
      case 'addTags':
        tags = [...new Set([...tags, ...action.value])];
        break;
      case 'removeTags':
        tags = tags.filter((tag) => !action.value.includes(tag));
        break;
      case 'setField':
        if (JSON.stringify(ticket.customFields[action.key] ?? null) !== JSON.stringify(action.value)) {
          fields[action.key] = action.value;
        }
        break;
      case 'addNote':
        plan.notes.push({ en: action.bodyEn, de: action.bodyDe });
        break;
      case 'email':
        plan.emails.push(action);
        break;
      case 'notify':
        plan.notifications.push(action);
        break;
    }
  }
  if (JSON.stringify(tags) !== JSON.stringify(ticket.tags)) plan.update.tags = tags;
  if (Object.keys(fields).length > 0) plan.update.customFields = fields;
  return plan;
}

/** The text in the ticket's language, the other one when that is empty. */
export function inLanguage(language: string, en: string, de: string): string {
  return language === 'de' ? de || en : en || de;
}

/** Merges the changes of a rule into those of the event, so later triggers in the same run see both. */
export function mergeChanges(
  earlier: Changes,
  later: readonly { field: string; from: unknown; to: unknown }[],
): Changes {
  const merged: Record<string, { from: unknown; to: unknown }> = { ...earlier };
  for (const change of later) {
    merged[change.field] = { from: merged[change.field]?.from ?? change.from, to: change.to };
  }
  return merged;
}

export interface OrderedTrigger extends LoopRule {
  active: boolean;
}

/**
 * The next trigger to fire: the first active one, in order, that listens to the event, has not fired for it
 * yet and matches. Run again after each one fires (its changes may make earlier ones match), as Zendesk does.
 */
export function nextTrigger<T extends OrderedTrigger>(
  triggers: readonly T[],
  facts: RuleFacts,
  fired: ReadonlySet<string>,
): T | null {
  if (!facts.event) return null;
  const kind = facts.event.kind;
  return (
    triggers.find(
      (t) =>
        t.active && !fired.has(t.id) && t.events.includes(kind) && matchesConditions(t.conditions, facts),
    ) ?? null
  );
}
