import type { RuleAction, RuleCondition, RuleConditions } from '@keepdesk/contract';
import { describe, expect, it } from 'vitest';
import {
  explainConditions,
  findLoop,
  type LoopRule,
  matchesCondition,
  matchesConditions,
  mergeChanges,
  nextTrigger,
  planActions,
  type RuleFacts,
  type RuleTicket,
  validateRule,
} from './rules.domain';

const ticket: RuleTicket = {
  id: 't1',
  number: 7,
  subject: 'Rechnung doppelt abgebucht',
  statusKey: 'open',
  statusCategory: 'open',
  priority: 'high',
  type: 'question',
  channel: 'email',
  language: 'de',
  teamId: 'team-a',
  assigneeId: null,
  organizationId: 'org-1',
  tags: ['billing', 'vip'],
  customFields: { plan: 'enterprise', seats: 40 },
  sla: 'at_risk',
};

function facts(overrides: Partial<RuleFacts> = {}, t: Partial<RuleTicket> = {}): RuleFacts {
  return {
    ticket: { ...ticket, ...t },
    customer: { email: 'erika@example.de', language: 'de', attributes: { segment: 'Gold', mrr: 900 } },
    organization: { attributes: { country: 'DE' } },
    event: {
      kind: 'updated',
      changes: { priority: { from: 'normal', to: 'high' } },
      message: 'Ich kündige!',
    },
    ...overrides,
  };
}

const c = (field: string, operator: RuleCondition['operator'], value: RuleCondition['value'] = []) => ({
  field,
  operator,
  value,
});
const all = (...conditions: RuleCondition[]): RuleConditions => ({ all: conditions, any: [] });

describe('matchesCondition', () => {
  it.each([
    [c('priority', 'is', ['high', 'urgent']), true],
    [c('priority', 'isNot', ['high']), false],
    [c('priority', 'greaterThan', ['normal']), true],
    [c('priority', 'lessThan', ['high']), false],
    [c('assignee', 'is', ['none']), true],
    [c('assignee', 'absent'), true],
    [c('team', 'is', ['team-a']), true],
    [c('team', 'is', ['none']), false],
    [c('tags', 'includes', ['vip']), true],
    [c('tags', 'includes', ['press']), false],
    [c('tags', 'excludes', ['press']), true],
    [c('tags', 'excludes', ['vip', 'press']), false],
    [c('subject', 'contains', ['RECHNUNG']), true],
    [c('subject', 'notContains', ['rechnung']), false],
    [c('message', 'contains', ['kündige']), true],
    [c('customFields.plan', 'is', ['Enterprise']), true],
    [c('customFields.seats', 'greaterThan', [25]), true],
    [c('customFields.seats', 'lessThan', ['25']), false],
    [c('customFields.region', 'absent'), true],
    [c('customer.attributes.segment', 'is', ['gold']), true],
    [c('customer.attributes.mrr', 'greaterThan', [500]), true],
    [c('customer.email', 'contains', ['@example.de']), true],
    [c('organization.attributes.country', 'is', ['AT']), false],
    [c('sla', 'is', ['at_risk', 'breached']), true],
    [c('priority', 'changed'), true],
    [c('priority', 'changedTo', ['high']), true],
    [c('priority', 'changedFrom', ['low']), false],
    [c('status', 'changed'), false],
  ])('%j → %s', (condition, expected) => {
    expect(matchesCondition(condition as RuleCondition, facts())).toBe(expected);
  });

  it('reads no change and no message without an event (automations)', () => {
    const timed = facts({ event: null });
    expect(matchesCondition(c('priority', 'changed'), timed)).toBe(false);
    expect(matchesCondition(c('message', 'contains', ['kündige']), timed)).toBe(false);
  });

  it('treats a missing organization as having no attributes', () => {
    expect(
      matchesCondition(c('organization.attributes.country', 'absent'), facts({ organization: null })),
    ).toBe(true);
  });
});

describe('matchesConditions', () => {
  it('needs every `all` and one `any` when there are any', () => {
    const conditions = {
      all: [c('priority', 'is', ['high'])],
      any: [c('tags', 'includes', ['x']), c('channel', 'is', ['email'])],
    };
    expect(matchesConditions(conditions, facts())).toBe(true);
    expect(matchesConditions({ ...conditions, any: [c('tags', 'includes', ['x'])] }, facts())).toBe(false);
    expect(matchesConditions({ all: [], any: [] }, facts())).toBe(true);
  });

  it('explains each condition with what the ticket has', () => {
    const explained = explainConditions(
      all(c('priority', 'is', ['urgent']), c('priority', 'changed')),
      facts(),
    );
    expect(explained.map((e) => [e.met, e.actual])).toEqual([
      [false, 'high'],
      [true, { from: 'normal', to: 'high' }],
    ]);
  });
});

describe('validateRule', () => {
  const action: RuleAction = { type: 'setPriority', value: 'urgent' };

  it('accepts a sound rule', () => {
    expect(
      validateRule('trigger', { conditions: all(c('priority', 'changedTo', ['high'])), actions: [action] }),
    ).toEqual([]);
  });

  it('names unknown fields, wrong operators and missing values by their path', () => {
    const errors = validateRule('trigger', {
      conditions: {
        all: [c('colour', 'is', ['red']), c('channel', 'greaterThan', ['email'])],
        any: [c('priority', 'is')],
      },
      actions: [action],
    });
    expect(errors.map((e) => e.field)).toEqual([
      'conditions.all.0.field',
      'conditions.all.1.operator',
      'conditions.any.0.value',
    ]);
  });

  it('refuses change and message conditions on automations', () => {
    const errors = validateRule('automation', {
      conditions: all(c('priority', 'changed'), c('message', 'contains', ['x'])),
      actions: [action],
    });
    expect(errors).toHaveLength(2);
  });

  it('refuses actions that contradict each other', () => {
    const errors = validateRule('trigger', {
      conditions: all(),
      actions: [
        { type: 'addTags', value: ['vip'] },
        { type: 'removeTags', value: ['vip'] },
      ],
    });
    expect(errors[0]?.message).toMatch(/tag vip/);
  });
});

describe('planActions', () => {
  it('keeps only what differs and collects messages', () => {
    const plan = planActions(
      [
        { type: 'setPriority', value: 'high' },
        { type: 'setStatus', value: 'pending' },
        { type: 'addTags', value: ['vip', 'churn-risk'] },
        { type: 'removeTags', value: ['billing'] },
        { type: 'setField', key: 'plan', value: 'enterprise' },
        { type: 'setField', key: 'seats', value: 50 },
        { type: 'addNote', bodyEn: 'n', bodyDe: 'N' },
        { type: 'notify', to: 'teamLeads', textEn: 'x', textDe: 'y' },
      ],
      ticket,
    );
    expect(plan.update).toEqual({
      status: 'pending',
      tags: ['vip', 'churn-risk'],
      customFields: { seats: 50 },
    });
    expect(plan.notes).toEqual([{ en: 'n', de: 'N' }]);
    expect(plan.notifications).toHaveLength(1);
  });
});

describe('mergeChanges', () => {
  it('keeps the first from and the last to', () => {
    const merged = mergeChanges({ priority: { from: 'low', to: 'normal' } }, [
      { field: 'priority', from: 'normal', to: 'urgent' },
      { field: 'team', from: null, to: 'b' },
    ]);
    expect(merged).toEqual({ priority: { from: 'low', to: 'urgent' }, team: { from: null, to: 'b' } });
  });
});

const rule = (
  id: string,
  conditions: RuleConditions,
  actions: RuleAction[],
  events: LoopRule['events'] = ['updated'],
) => ({
  id,
  name: id,
  active: true,
  events,
  conditions,
  actions,
});

describe('nextTrigger', () => {
  it('takes the first active, listening, unfired, matching trigger in order', () => {
    const triggers = [
      { ...rule('off', all(), [{ type: 'addTags', value: ['x'] }]), active: false },
      rule('created-only', all(), [{ type: 'addTags', value: ['x'] }], ['created']),
      rule('no-match', all(c('priority', 'is', ['low'])), [{ type: 'addTags', value: ['x'] }]),
      rule('first', all(c('priority', 'is', ['high'])), [{ type: 'addTags', value: ['x'] }]),
      rule('second', all(), [{ type: 'addTags', value: ['y'] }]),
    ];
    expect(nextTrigger(triggers, facts(), new Set())?.id).toBe('first');
    expect(nextTrigger(triggers, facts(), new Set(['first']))?.id).toBe('second');
    expect(nextTrigger(triggers, facts(), new Set(['first', 'second']))).toBeNull();
  });
});

describe('findLoop', () => {
  it('finds two triggers that undo each other', () => {
    const loop = findLoop([
      rule('a', all(c('tags', 'includes', ['x'])), [
        { type: 'addTags', value: ['y'] },
        { type: 'removeTags', value: ['x'] },
      ]),
      rule('b', all(c('tags', 'includes', ['y'])), [
        { type: 'addTags', value: ['x'] },
        { type: 'removeTags', value: ['y'] },
      ]),
    ]);
    expect(loop?.ids).toEqual(['a', 'b']);
    expect(loop?.message).toMatch(/undo each other/);
  });

  it('finds a loop through a third trigger', () => {
    const loop = findLoop([
      rule('a', all(c('priority', 'is', ['low'])), [{ type: 'setPriority', value: 'high' }]),
      rule('b', all(c('priority', 'is', ['high'])), [{ type: 'addTags', value: ['hot'] }]),
      rule('c', all(c('tags', 'includes', ['hot'])), [{ type: 'setPriority', value: 'low' }]),
    ]);
    expect(loop?.ids).toEqual(['a', 'c']);
  });

  it('lets rules that settle pass', () => {
    expect(
      findLoop([
        rule('a', all(c('priority', 'is', ['urgent'])), [{ type: 'setTeam', value: 'escalations' }]),
        rule('b', all(c('team', 'is', ['escalations'])), [{ type: 'addTags', value: ['escalated'] }]),
        rule('c', all(c('tags', 'includes', ['vip'])), [{ type: 'setPriority', value: 'high' }]),
        rule('d', all(c('customer.attributes.segment', 'is', ['gold'])), [
          { type: 'setPriority', value: 'low' },
        ]),
      ]),
    ).toBeNull();
  });

  it('ignores triggers that do not listen to updates', () => {
    expect(
      findLoop([
        rule('a', all(c('priority', 'is', ['low'])), [{ type: 'setPriority', value: 'high' }], ['created']),
        rule('b', all(c('priority', 'is', ['high'])), [{ type: 'setPriority', value: 'low' }], ['created']),
      ]),
    ).toBeNull();
  });
});
