import { z } from 'zod';

/** The kinds of custom ticket field; each validates its values on the server. */
export const FIELD_TYPES = ['text', 'number', 'date', 'dropdown', 'multiselect', 'checkbox'] as const;
export const FieldType = z.enum(FIELD_TYPES);
export type FieldType = z.infer<typeof FieldType>;

export const FieldKey = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, 'lower-case letters, digits and _, starting with a letter; up to 40');

export const FieldOption = z.object({
  value: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(/^[^,]+$/, 'no commas'),
  labelEn: z.string().trim().min(1).max(100),
  labelDe: z.string().trim().min(1).max(100),
});
export type FieldOption = z.infer<typeof FieldOption>;

export const TicketField = z
  .object({
    key: FieldKey,
    type: FieldType,
    labelEn: z.string(),
    labelDe: z.string(),
    options: z.array(FieldOption).meta({ description: 'The choices of a dropdown or multiselect field' }),
    requiredOnSolve: z.boolean().meta({ description: 'A ticket cannot be solved or closed without a value' }),
    active: z.boolean().meta({ description: 'Inactive fields keep their values but take no new ones' }),
    position: z.number().int(),
  })
  .meta({ id: 'TicketField' });
export type TicketField = z.infer<typeof TicketField>;
export const TicketFieldList = z.object({ items: z.array(TicketField) });
export type TicketFieldList = z.infer<typeof TicketFieldList>;

const options = z.array(FieldOption).max(200);
export const CreateTicketFieldBody = z.object({
  key: FieldKey,
  type: FieldType,
  labelEn: z.string().trim().min(1).max(100),
  labelDe: z.string().trim().min(1).max(100),
  options: options.default([]),
  requiredOnSolve: z.boolean().default(false),
  position: z.number().int().min(0).max(10_000).default(100),
});
export type CreateTicketFieldBody = z.infer<typeof CreateTicketFieldBody>;
export const UpdateTicketFieldBody = z.object({
  labelEn: z.string().trim().min(1).max(100).optional(),
  labelDe: z.string().trim().min(1).max(100).optional(),
  options: options.optional(),
  requiredOnSolve: z.boolean().optional(),
  active: z.boolean().optional(),
  position: z.number().int().min(0).max(10_000).optional(),
});
export type UpdateTicketFieldBody = z.infer<typeof UpdateTicketFieldBody>;
export const FieldKeyParams = z.object({ key: FieldKey });

/** A custom field's value: text, number, `YYYY-MM-DD`, an option, several options, or a checkbox. */
export const FieldValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]);
export type FieldValue = z.infer<typeof FieldValue>;

/** Values by field key; on writes `null` removes a value and keys not given stay as they are. */
export const CustomFieldValues = z
  .record(z.string().max(40), FieldValue)
  .meta({ description: 'Custom field values by field key' });
export type CustomFieldValues = z.infer<typeof CustomFieldValues>;
export const CustomFieldInput = z
  .record(z.string().max(40), FieldValue.nullable())
  .meta({ description: 'Custom field values by key; null removes a value, keys not given are kept' });
export type CustomFieldInput = z.infer<typeof CustomFieldInput>;

const Scalar = z.union([z.string().max(100), z.number(), z.boolean()]);
const Bound = z.union([z.number(), z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')]);

/**
 * A condition on a custom field in a view: `in` any of the values (for a multiselect: has any of them),
 * `set` / `unset`, or a number or date at least (`gte`) or at most (`lte`) a bound.
 */
const conditionOn = <K extends z.ZodString>(key: K) =>
  z.discriminatedUnion('op', [
    z.object({ key, op: z.literal('in'), values: z.array(Scalar).min(1).max(50) }),
    z.object({ key, op: z.literal('set') }),
    z.object({ key, op: z.literal('unset') }),
    z.object({ key, op: z.literal('gte'), value: Bound }),
    z.object({ key, op: z.literal('lte'), value: Bound }),
  ]);
export const FieldCondition = conditionOn(FieldKey);
export type FieldCondition = z.infer<typeof FieldCondition>;
/** The same on an attribute of the requester (a contact), whose keys are free (imported data). */
export const AttributeCondition = conditionOn(z.string().min(1).max(64));
