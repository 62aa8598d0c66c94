import type {
  CreateTicketFieldBody,
  FieldType,
  TicketField,
  TicketFieldList,
  UpdateTicketFieldBody,
} from '@keepdesk/contract';
import { asc, eq, sql } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import { type Executor, withTransaction } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { type Actor, recordChange } from '../../platform/events';
import { applyFieldInput, type FieldDefinition, type FieldValues, missingOnSolve } from './fields.domain';
import { ticketFields, tickets } from './tickets.tables';

const WITH_OPTIONS: readonly FieldType[] = ['dropdown', 'multiselect'];

function present(row: typeof ticketFields.$inferSelect): TicketField {
  return {
    key: row.key,
    type: row.type,
    labelEn: row.labelEn,
    labelDe: row.labelDe,
    options: row.options,
    requiredOnSolve: row.requiredOnSolve,
    active: row.active,
    position: row.position,
  };
}

export async function loadFieldDefinitions(executor: Executor): Promise<FieldDefinition[]> {
  return executor.select().from(ticketFields);
}

export async function listFields(deps: Deps): Promise<TicketFieldList> {
  const rows = await deps.database.db
    .select()
    .from(ticketFields)
    .orderBy(asc(ticketFields.position), asc(ticketFields.key));
  return { items: rows.map(present) };
}

function assertOptions(type: FieldType, options: readonly { value: string }[]): void {
  if (WITH_OPTIONS.includes(type) && options.length === 0) {
    throw new AppError('VALIDATION_FAILED', {
      message: `a ${type} field needs options`,
      errors: [{ field: 'options', message: 'at least one option' }],
    });
  }
  if (!WITH_OPTIONS.includes(type) && options.length > 0) {
    throw new AppError('VALIDATION_FAILED', {
      message: `a ${type} field has no options`,
      errors: [{ field: 'options', message: 'only dropdown and multiselect fields have options' }],
    });
  }
  const values = options.map((o) => o.value);
  const repeated = values.find((v, i) => values.indexOf(v) !== i);
  if (repeated !== undefined) {
    throw new AppError('VALIDATION_FAILED', {
      message: `option ${repeated} is listed twice`,
      errors: [{ field: 'options', message: `${repeated} twice` }],
    });
  }
}

export async function createField(
  deps: Deps,
  actor: Actor,
  input: CreateTicketFieldBody,
): Promise<TicketField> {
  assertOptions(input.type, input.options);
  return withTransaction(deps.database, async (tx) => {
    const [clash] = await tx.select().from(ticketFields).where(eq(ticketFields.key, input.key));
    if (clash) {
      throw new AppError('CONFLICT', {
        message: `field ${input.key} exists`,
        errors: [{ field: 'key', message: 'already in use' }],
      });
    }
    const [row] = await tx.insert(ticketFields).values(input).returning();
    await recordChange(tx, actor, {
      action: 'ticket_field.created',
      entityType: 'ticket_field',
      entityId: input.key,
      data: { type: input.type },
    });
    return present(row!);
  });
}

/**
 * Changes a field's labels, options, requirement, activity or position. Options may be added or relabelled;
 * removing one that tickets still carry would orphan their values, so it is refused.
 */
export async function updateField(
  deps: Deps,
  actor: Actor,
  key: string,
  input: UpdateTicketFieldBody,
): Promise<TicketField> {
  return withTransaction(deps.database, async (tx) => {
    const [row] = await tx.select().from(ticketFields).where(eq(ticketFields.key, key)).for('update');
    if (!row) throw notFound('ticket field', key);
    if (input.options) {
      assertOptions(row.type, input.options);
      const kept = new Set(input.options.map((o) => o.value));
      const removed = row.options.map((o) => o.value).filter((v) => !kept.has(v));
      if (removed.length > 0) {
        const values = sql.join(
          removed.map((v) => sql`${v}`),
          sql`, `,
        );
        const [usage] = await tx
          .select({ n: sql<number>`count(*)::int` })
          .from(tickets)
          .where(sql`${tickets.customFields} -> ${key} ?| array[${values}]::text[]`);
        const inUse = Number(usage?.n ?? 0);
        if (inUse > 0) {
          throw new AppError('CONFLICT', {
            message: `${inUse} tickets still use ${removed.join(', ')}; deactivate the field or change them first`,
            errors: [{ field: 'options', message: `in use: ${removed.join(', ')}` }],
          });
        }
      }
    }
    const [updated] = await tx.update(ticketFields).set(input).where(eq(ticketFields.key, key)).returning();
    await recordChange(tx, actor, {
      action: 'ticket_field.updated',
      entityType: 'ticket_field',
      entityId: key,
      data: input,
    });
    return present(updated!);
  });
}

/** Applies a write's custom field values, or fails naming each bad field (nothing is written). */
export function resolveFieldInput(
  definitions: readonly FieldDefinition[],
  current: FieldValues,
  input: Record<string, unknown>,
): FieldValues {
  const result = applyFieldInput(definitions, current, input);
  if (!result.ok) {
    throw new AppError('VALIDATION_FAILED', {
      message: `invalid custom field values: ${result.errors.map((e) => `${e.field} ${e.message}`).join('; ')}`,
      errors: result.errors,
    });
  }
  return result.values;
}

/** Refuses to solve a ticket while a required-on-solve field is empty. */
export function assertSolvable(definitions: readonly FieldDefinition[], values: FieldValues): void {
  const missing = missingOnSolve(definitions, values);
  if (missing.length > 0) {
    throw new AppError('VALIDATION_FAILED', {
      message: `fill in ${missing.join(', ')} before solving the ticket`,
      errors: missing.map((key) => ({ field: `customFields.${key}`, message: 'required to solve' })),
    });
  }
}
