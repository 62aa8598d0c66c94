import type { RuleTestBody, RuleTestResult } from '@keepdesk/contract';
import { eq } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import { AppError } from '../../platform/errors';
import { tickets } from '../tickets';
import { loadFacts } from './engine.service';
import { explainConditions, inLanguage, matchesConditions, planActions, validateRule } from './rules.domain';
import type { AutomationRow } from './rules.service';
import { automationDue } from './timed.service';

const FIELD_OF: Record<string, string> = {
  status: 'statusKey',
  priority: 'priority',
  type: 'type',
  teamId: 'teamId',
  assigneeId: 'assigneeId',
  tags: 'tags',
};

/**
 * "Test this rule on ticket N": which conditions hold on the ticket as it is now (with the event pretended
 * for a trigger), and what the rule would change and send. Nothing is written.
 */
export async function testRule(deps: Deps, input: RuleTestBody): Promise<RuleTestResult> {
  const kind = input.timing ? 'automation' : 'trigger';
  const errors = validateRule(kind, input);
  if (errors.length > 0) {
    throw new AppError('VALIDATION_FAILED', {
      message: `the rule is not valid: ${errors[0]!.message}`,
      errors,
    });
  }
  const [found] = await deps.database.db
    .select({ id: tickets.id })
    .from(tickets)
    .where(eq(tickets.number, input.ticketNumber));
  if (!found) {
    throw new AppError('VALIDATION_FAILED', {
      message: `there is no ticket #${input.ticketNumber}`,
      errors: [{ field: 'ticketNumber', message: 'no such ticket' }],
    });
  }
  const event = input.timing ? null : { kind: input.event, changes: {}, message: null };
  const loaded = (await loadFacts(deps.database.db, found.id, deps.now(), event))!;
  const { ticket } = loaded.facts;
  const plan = planActions(input.actions, ticket);
  const changes = Object.entries(plan.update).flatMap(
    ([key, to]): { field: string; from: unknown; to: unknown }[] => {
      if (key === 'customFields') {
        return Object.entries(to as Record<string, unknown>).map(([field, value]) => ({
          field: `customFields.${field}`,
          from: ticket.customFields[field] ?? null,
          to: value,
        }));
      }
      const field = FIELD_OF[key] ?? key;
      return [
        {
          field: key.replace(/Id$/, ''),
          from: (ticket as unknown as Record<string, unknown>)[field] ?? null,
          to,
        },
      ];
    },
  );
  const language = ticket.language;
  const effects = [
    ...plan.notes.map((n) => `note: ${inLanguage(language, n.en, n.de).slice(0, 120)}`),
    ...plan.emails.map((e) => `email to ${e.to}: ${inLanguage(language, e.subjectEn, e.subjectDe)}`),
    ...plan.notifications.map((n) => `notification to ${n.to}: ${inLanguage(language, n.textEn, n.textDe)}`),
  ];
  const due = input.timing
    ? await automationDue(deps, { timing: input.timing } as AutomationRow, loaded)
    : null;
  return {
    ticket: { id: ticket.id, number: ticket.number, subject: ticket.subject },
    matches: matchesConditions(input.conditions, loaded.facts),
    conditions: explainConditions(input.conditions, loaded.facts),
    changes,
    effects,
    due,
  };
}
