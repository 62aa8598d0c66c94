import {
  Automation,
  AutomationList,
  ChangeLog,
  ChangeLogQuery,
  CreateAutomationBody,
  CreateTriggerBody,
  OrderRulesBody,
  RuleRunList,
  RuleRunQuery,
  RuleTestBody,
  RuleTestResult,
  Trigger,
  TriggerList,
  UpdateAutomationBody,
  UpdateTriggerBody,
} from '@keepdesk/contract';
import { z } from 'zod';
import type { Deps } from '../../platform/context';
import { type App, actorOf } from '../../platform/http';
import {
  createAutomation,
  createTrigger,
  deleteRule,
  listAutomations,
  listChangeLog,
  listRuleRuns,
  listTriggers,
  orderRules,
  updateAutomation,
  updateTrigger,
} from './rules.service';
import { testRule } from './test.service';
import { reschedule } from './timed.service';

const tags = ['automations'];
const admin = { access: { permission: 'tickets:admin' } };
const read = { access: { permission: 'tickets:read' } };
const id = z.object({ id: z.uuid() });

/** Triggers, time-based automations, their dry run, what they did, and the change log of rules. */
export function automationRoutes(deps: Deps) {
  return async (app: App) => {
    app.get(
      '/triggers',
      {
        schema: { tags, description: 'Triggers in the order they run.', response: { 200: TriggerList } },
        config: admin,
      },
      async () => listTriggers(deps),
    );
    app.post(
      '/triggers',
      {
        schema: {
          tags,
          description:
            'A trigger: the ticket events it listens to, conditions (all of `all`, one of `any`) and actions. New triggers go last. A trigger that would undo another one for ever is refused (400).',
          body: CreateTriggerBody,
          response: { 201: Trigger },
        },
        config: admin,
      },
      async (req, reply) => reply.code(201).send(await createTrigger(deps, actorOf(req), req.body)),
    );
    app.patch(
      '/triggers/:id',
      { schema: { tags, params: id, body: UpdateTriggerBody, response: { 200: Trigger } }, config: admin },
      async (req) => updateTrigger(deps, actorOf(req), req.params.id, req.body),
    );
    app.delete('/triggers/:id', { schema: { tags, params: id }, config: admin }, async (req, reply) => {
      await deleteRule(deps, actorOf(req), 'trigger', req.params.id);
      return reply.code(204).send();
    });
    app.put(
      '/triggers/order',
      { schema: { tags, body: OrderRulesBody, response: { 200: TriggerList } }, config: admin },
      async (req) => {
        await orderRules(deps, actorOf(req), 'trigger', req.body.ids);
        return listTriggers(deps);
      },
    );
    app.get(
      '/automations',
      {
        schema: { tags, description: 'Time-based automations in order.', response: { 200: AutomationList } },
        config: admin,
      },
      async () => listAutomations(deps),
    );
    app.post(
      '/automations',
      {
        schema: {
          tags,
          description:
            'An automation: a time since a moment of the ticket (created, updated, status changed, solved, last customer message, last agent reply), in business or calendar minutes, conditions and actions. It fires once per ticket and moment.',
          body: CreateAutomationBody,
          response: { 201: Automation },
        },
        config: admin,
      },
      async (req, reply) =>
        reply.code(201).send(await createAutomation(deps, actorOf(req), req.body, reschedule)),
    );
    app.patch(
      '/automations/:id',
      {
        schema: { tags, params: id, body: UpdateAutomationBody, response: { 200: Automation } },
        config: admin,
      },
      async (req) => updateAutomation(deps, actorOf(req), req.params.id, req.body, reschedule),
    );
    app.delete('/automations/:id', { schema: { tags, params: id }, config: admin }, async (req, reply) => {
      await deleteRule(deps, actorOf(req), 'automation', req.params.id);
      return reply.code(204).send();
    });
    app.put(
      '/automations/order',
      { schema: { tags, body: OrderRulesBody, response: { 200: AutomationList } }, config: admin },
      async (req) => {
        await orderRules(deps, actorOf(req), 'automation', req.body.ids);
        return listAutomations(deps);
      },
    );
    app.post(
      '/rules/test',
      {
        schema: {
          tags,
          description:
            'Tries a rule (as in the editor, saved or not) on ticket N: which conditions hold, what it would change and send, and for an automation when it is due. Writes nothing.',
          body: RuleTestBody,
          response: { 200: RuleTestResult },
        },
        config: admin,
      },
      async (req) => testRule(deps, req.body),
    );
    app.get(
      '/rule-runs',
      {
        schema: {
          tags,
          description:
            'What triggers and automations did lately, newest first; `outcome=failed` for their failures.',
          querystring: RuleRunQuery,
          response: { 200: RuleRunList },
        },
        config: admin,
      },
      async (req) => listRuleRuns(deps, req.query),
    );
    app.get(
      '/tickets/:id/rule-runs',
      {
        schema: { tags, params: id, querystring: RuleRunQuery, response: { 200: RuleRunList } },
        config: read,
      },
      async (req) => listRuleRuns(deps, req.query, req.params.id),
    );
    app.get(
      '/change-log',
      {
        schema: {
          tags,
          description:
            'Who changed which rule (triggers, automations, SLA policies, calendars, macros, …) and how.',
          querystring: ChangeLogQuery,
          response: { 200: ChangeLog },
        },
        config: admin,
      },
      async (req) => listChangeLog(deps, req.query),
    );
  };
}
