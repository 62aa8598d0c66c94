import { describe, expect, it } from 'vitest';
import {
  applyFieldInput,
  type FieldDefinition,
  fieldChanges,
  matchesField,
  missingOnSolve,
  normalizeValue,
} from './fields.domain';

const field = (key: string, type: FieldDefinition['type'], extra: Partial<FieldDefinition> = {}) => ({
  key,
  type,
  options: [{ value: 'red' }, { value: 'green' }],
  requiredOnSolve: false,
  active: true,
  ...extra,
});
const defs: FieldDefinition[] = [
  field('note', 'text'),
  field('amount', 'number'),
  field('due', 'date'),
  field('colour', 'dropdown'),
  field('colours', 'multiselect'),
  field('vip', 'checkbox'),
  field('old', 'text', { active: false }),
];

describe('normalizeValue', () => {
  it('accepts each type in its own form and turns empty text or selection into no value', () => {
    expect(normalizeValue(defs[0]!, '  hi ')).toEqual({ ok: true, value: 'hi' });
    expect(normalizeValue(defs[0]!, '   ')).toEqual({ ok: true, value: null });
    expect(normalizeValue(defs[1]!, 12.5)).toEqual({ ok: true, value: 12.5 });
    expect(normalizeValue(defs[2]!, '2026-02-28')).toEqual({ ok: true, value: '2026-02-28' });
    expect(normalizeValue(defs[3]!, 'red')).toEqual({ ok: true, value: 'red' });
    expect(normalizeValue(defs[4]!, ['green', 'red', 'green'])).toEqual({
      ok: true,
      value: ['green', 'red'],
    });
    expect(normalizeValue(defs[4]!, [])).toEqual({ ok: true, value: null });
    expect(normalizeValue(defs[5]!, false)).toEqual({ ok: true, value: false });
  });

  it('rejects values of the wrong kind', () => {
    expect(normalizeValue(defs[0]!, 3).ok).toBe(false);
    expect(normalizeValue(defs[0]!, 'x'.repeat(10_001)).ok).toBe(false);
    expect(normalizeValue(defs[1]!, '12').ok).toBe(false);
    expect(normalizeValue(defs[1]!, Number.NaN).ok).toBe(false);
    expect(normalizeValue(defs[2]!, '2026-02-30').ok).toBe(false);
    expect(normalizeValue(defs[2]!, '28.02.2026').ok).toBe(false);
    expect(normalizeValue(defs[3]!, 'blue').ok).toBe(false);
    expect(normalizeValue(defs[4]!, ['red', 'blue']).ok).toBe(false);
    expect(normalizeValue(defs[4]!, 'red').ok).toBe(false);
    expect(normalizeValue(defs[5]!, 'true').ok).toBe(false);
  });
});

describe('applyFieldInput', () => {
  it('applies values over the current ones, removes on null and keeps keys not given', () => {
    const result = applyFieldInput(defs, { note: 'a', amount: 1 }, { amount: null, colour: 'red' });
    expect(result).toEqual({ ok: true, values: { note: 'a', colour: 'red' } });
  });

  it('names every bad field and changes nothing', () => {
    const result = applyFieldInput(defs, {}, { nope: 1, amount: 'x', old: 'y', note: 'fine' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.field)).toEqual([
      'customFields.nope',
      'customFields.amount',
      'customFields.old',
    ]);
  });

  it('lets an inactive field be cleared', () => {
    expect(applyFieldInput(defs, { old: 'x' }, { old: null })).toEqual({ ok: true, values: {} });
  });
});

describe('missingOnSolve', () => {
  it('lists required fields without a value, and a required checkbox that is not ticked', () => {
    const required = defs.map((d) => ({ ...d, requiredOnSolve: true }));
    const missing = missingOnSolve(required, { note: 'x', vip: false, old: undefined as never });
    expect(missing).toEqual(['amount', 'due', 'colour', 'colours', 'vip']);
    expect(missingOnSolve(defs, {})).toEqual([]);
  });
});

describe('fieldChanges', () => {
  it('reports each changed key from → to, null for no value', () => {
    expect(fieldChanges({ a: 1, b: ['x'] }, { b: ['x'], c: true })).toEqual([
      { field: 'customFields.a', from: 1, to: null },
      { field: 'customFields.c', from: null, to: true },
    ]);
  });
});

describe('matchesField', () => {
  const values = { colour: 'red', colours: ['red', 'green'], amount: 10, due: '2026-03-01', vip: false };
  it('matches any of the values, and any option of a multiselect', () => {
    expect(matchesField(values, { key: 'colour', op: 'in', values: ['green', 'red'] })).toBe(true);
    expect(matchesField(values, { key: 'colour', op: 'in', values: ['green'] })).toBe(false);
    expect(matchesField(values, { key: 'colours', op: 'in', values: ['green'] })).toBe(true);
    expect(matchesField(values, { key: 'vip', op: 'in', values: [false] })).toBe(true);
    expect(matchesField(values, { key: 'amount', op: 'in', values: ['10'] })).toBe(false);
  });

  it('tells set from unset and compares numbers and dates inclusively', () => {
    expect(matchesField(values, { key: 'vip', op: 'set' })).toBe(true);
    expect(matchesField(values, { key: 'note', op: 'unset' })).toBe(true);
    expect(matchesField(values, { key: 'amount', op: 'gte', value: 10 })).toBe(true);
    expect(matchesField(values, { key: 'amount', op: 'lte', value: 9.5 })).toBe(false);
    expect(matchesField(values, { key: 'due', op: 'lte', value: '2026-03-01' })).toBe(true);
    expect(matchesField(values, { key: 'due', op: 'gte', value: 5 })).toBe(false);
  });
});
