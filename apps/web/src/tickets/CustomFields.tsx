import type { FieldValue, Ticket, TicketField, TicketFieldList } from '@keepdesk/contract';
import { Checkbox, MultiSelect, NumberInput, Select, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api';
import { currentLanguage } from '../i18n';

/** The workspace's custom ticket fields, in their display order. */
export function useTicketFields() {
  return useQuery({
    queryKey: ['ticket-fields'],
    queryFn: () => api.get<TicketFieldList>('/ticket-fields'),
    staleTime: 60_000,
  });
}

export function fieldLabel(field: Pick<TicketField, 'labelEn' | 'labelDe'>): string {
  return currentLanguage() === 'de' ? field.labelDe : field.labelEn;
}

/** How a stored value reads: option labels instead of their values, dates in the viewer's language. */
export function formatFieldValue(
  field: TicketField | undefined,
  value: unknown,
  yes: string,
  no: string,
): string {
  if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) return '—';
  if (!field) return Array.isArray(value) ? value.join(', ') : String(value);
  const optionLabel = (v: unknown) => {
    const option = field.options.find((o) => o.value === v);
    return option ? fieldLabel(option) : String(v);
  };
  if (field.type === 'checkbox') return value ? yes : no;
  if (field.type === 'date' && typeof value === 'string') {
    return new Date(`${value}T00:00:00`).toLocaleDateString(currentLanguage());
  }
  if (Array.isArray(value)) return value.map(optionLabel).join(', ');
  return optionLabel(value);
}

/**
 * One input per active custom field (and per inactive one that still holds a value, read-only). Text and
 * numbers save when the input loses focus; choices save at once. `null` removes a value.
 */
export function CustomFieldInputs({
  ticket,
  disabled,
  onChange,
}: {
  ticket: Ticket;
  disabled: boolean;
  onChange: (values: Record<string, FieldValue | null>) => void;
}) {
  const fields = useTicketFields();
  const shown = (fields.data?.items ?? []).filter(
    (f) => f.active || ticket.customFields[f.key] !== undefined,
  );
  return (
    <>
      {shown.map((field) => (
        <FieldInput
          // Re-mount when the stored value changes, so a text input shows what another agent saved.
          key={`${field.key}:${JSON.stringify(ticket.customFields[field.key] ?? null)}`}
          field={field}
          value={ticket.customFields[field.key]}
          disabled={disabled || !field.active}
          onChange={(value) => onChange({ [field.key]: value })}
        />
      ))}
    </>
  );
}

function FieldInput({
  field,
  value,
  disabled,
  onChange,
}: {
  field: TicketField;
  value: FieldValue | undefined;
  disabled: boolean;
  onChange: (value: FieldValue | null) => void;
}) {
  const label = fieldLabel(field);
  const withAsterisk = field.requiredOnSolve;
  const options = field.options.map((o) => ({ value: o.value, label: fieldLabel(o) }));
  const common = { label, disabled, withAsterisk, 'data-field': field.key };
  switch (field.type) {
    case 'text':
      return (
        <TextInput
          {...common}
          defaultValue={typeof value === 'string' ? value : ''}
          onBlur={(event) => {
            const next = event.currentTarget.value.trim();
            if (next !== (value ?? '')) onChange(next === '' ? null : next);
          }}
        />
      );
    case 'number':
      return (
        <NumberInput
          {...common}
          defaultValue={typeof value === 'number' ? value : ''}
          onBlur={(event) => {
            const text = event.currentTarget.value.replace(',', '.').trim();
            const next = text === '' ? null : Number(text);
            if (next !== null && !Number.isFinite(next)) return;
            if (next !== (value ?? null)) onChange(next);
          }}
        />
      );
    case 'date':
      return (
        <TextInput
          {...common}
          type="date"
          defaultValue={typeof value === 'string' ? value : ''}
          onChange={(event) => {
            const next = event.currentTarget.value;
            if (next !== (value ?? '')) onChange(next === '' ? null : next);
          }}
        />
      );
    case 'dropdown':
      return (
        <Select
          {...common}
          clearable
          data={options}
          value={typeof value === 'string' ? value : null}
          onChange={(next) => onChange(next)}
        />
      );
    case 'multiselect':
      return (
        <MultiSelect
          {...common}
          clearable
          data={options}
          value={Array.isArray(value) ? value : []}
          onChange={(next) => onChange(next.length === 0 ? null : next)}
        />
      );
    case 'checkbox':
      return (
        <Checkbox
          label={label}
          disabled={disabled}
          data-field={field.key}
          checked={value === true}
          onChange={(event) => onChange(event.currentTarget.checked)}
        />
      );
  }
}
