import type { FieldCondition, FieldType, FieldValue } from '@keepdesk/contract';

/** What the domain needs to know about a custom field. */
export interface FieldDefinition {
  key: string;
  type: FieldType;
  options: readonly { value: string }[];
  requiredOnSolve: boolean;
  active: boolean;
}

export interface FieldError {
  field: string;
  message: string;
}

export type FieldValues = Record<string, FieldValue>;

const TEXT_MAX = 10_000;

function isCalendarDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/**
 * One value checked against its field: the stored form, `null` for "no value" (empty text, empty
 * selection), or an error message.
 */
export function normalizeValue(
  field: FieldDefinition,
  value: unknown,
): { ok: true; value: FieldValue | null } | { ok: false; message: string } {
  if (value === null) return { ok: true, value: null };
  const options = new Set(field.options.map((o) => o.value));
  switch (field.type) {
    case 'text': {
      if (typeof value !== 'string') return { ok: false, message: 'expected text' };
      const text = value.trim();
      if (text.length > TEXT_MAX) return { ok: false, message: `at most ${TEXT_MAX} characters` };
      return { ok: true, value: text === '' ? null : text };
    }
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value))
        return { ok: false, message: 'expected a number' };
      return { ok: true, value };
    case 'date':
      if (typeof value !== 'string' || !isCalendarDay(value))
        return { ok: false, message: 'expected a date as YYYY-MM-DD' };
      return { ok: true, value };
    case 'dropdown':
      if (typeof value !== 'string') return { ok: false, message: 'expected one of the options' };
      if (!options.has(value)) return { ok: false, message: `${JSON.stringify(value)} is not an option` };
      return { ok: true, value };
    case 'multiselect': {
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string'))
        return { ok: false, message: 'expected a list of options' };
      const unknown = value.filter((v) => !options.has(v));
      if (unknown.length > 0) return { ok: false, message: `${JSON.stringify(unknown[0])} is not an option` };
      const chosen = [...new Set(value as string[])];
      return { ok: true, value: chosen.length === 0 ? null : chosen };
    }
    case 'checkbox':
      if (typeof value !== 'boolean') return { ok: false, message: 'expected true or false' };
      return { ok: true, value };
  }
}

/**
 * The values a write leaves on a ticket: `input` is applied over `current` (null removes a value; keys not
 * given stay). Unknown fields, inactive fields and values of the wrong kind are errors, each naming its field.
 */
export function applyFieldInput(
  definitions: readonly FieldDefinition[],
  current: FieldValues,
  input: Record<string, unknown>,
): { ok: true; values: FieldValues } | { ok: false; errors: FieldError[] } {
  const byKey = new Map(definitions.map((d) => [d.key, d]));
  const next: FieldValues = { ...current };
  const errors: FieldError[] = [];
  for (const [key, raw] of Object.entries(input)) {
    const field = byKey.get(key);
    const name = `customFields.${key}`;
    if (!field) {
      errors.push({ field: name, message: 'no such field' });
      continue;
    }
    if (!field.active && raw !== null) {
      errors.push({ field: name, message: 'the field is inactive' });
      continue;
    }
    const result = normalizeValue(field, raw);
    if (!result.ok) {
      errors.push({ field: name, message: result.message });
      continue;
    }
    if (result.value === null) delete next[key];
    else next[key] = result.value;
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, values: next };
}

/** Fields that must have a value before a ticket is solved: a required checkbox must be ticked. */
export function missingOnSolve(definitions: readonly FieldDefinition[], values: FieldValues): string[] {
  return definitions
    .filter((d) => d.active && d.requiredOnSolve)
    .filter((d) => {
      const value = values[d.key];
      return value === undefined || (d.type === 'checkbox' && value !== true);
    })
    .map((d) => d.key);
}

/** The per-field differences between two value sets, for the ticket's history. */
export function fieldChanges(
  before: FieldValues,
  after: FieldValues,
): { field: string; from: FieldValue | null; to: FieldValue | null }[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return keys
    .filter((key) => JSON.stringify(before[key] ?? null) !== JSON.stringify(after[key] ?? null))
    .map((key) => ({ field: `customFields.${key}`, from: before[key] ?? null, to: after[key] ?? null }));
}

/** Whether a ticket's values satisfy a view's field condition; the reference for the SQL translation. */
export function matchesField(values: FieldValues, condition: FieldCondition): boolean {
  const value = values[condition.key];
  switch (condition.op) {
    case 'set':
      return value !== undefined;
    case 'unset':
      return value === undefined;
    case 'in':
      if (value === undefined) return false;
      return Array.isArray(value)
        ? condition.values.some((v) => value.includes(v as string))
        : condition.values.some((v) => v === value);
    case 'gte':
    case 'lte': {
      if (value === undefined || Array.isArray(value) || typeof value !== typeof condition.value)
        return false;
      const compared = value < condition.value ? -1 : value > condition.value ? 1 : 0;
      return condition.op === 'gte' ? compared >= 0 : compared <= 0;
    }
  }
}
