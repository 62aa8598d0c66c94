import type { ViewFilter } from '@keepdesk/contract';
import { ActionIcon, Button, Group, Stack, TagsInput, Text, TextInput } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';

type Condition = NonNullable<ViewFilter['customer']>[number];

/**
 * Conditions on the requester's attributes, as "attribute is one of values" rows (e.g. segment: gold,
 * platinum). Conditions of other kinds (set via the API) are kept as they are and shown as text.
 */
export function CustomerConditions({
  value,
  onChange,
}: {
  value: readonly Condition[];
  onChange: (value: Condition[]) => void;
}) {
  const { t } = useTranslation();
  const set = (index: number, next: Condition) => onChange(value.map((c, i) => (i === index ? next : c)));
  return (
    <Stack gap={4} data-testid="customer-conditions">
      <Text size="sm" fw={500}>
        {t('customerConditions.title')}
      </Text>
      {value.map((condition, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place
        <Group key={index} gap="xs" align="flex-start" wrap="nowrap">
          <TextInput
            aria-label={t('customerConditions.attribute')}
            placeholder="segment"
            w={160}
            value={condition.key}
            onChange={(e) => set(index, { ...condition, key: e.currentTarget.value.trim() })}
          />
          {condition.op === 'in' ? (
            <TagsInput
              aria-label={t('customerConditions.values')}
              placeholder={t('customerConditions.valuesHint')}
              style={{ flex: 1 }}
              value={condition.values.map(String)}
              onChange={(values) => set(index, { key: condition.key, op: 'in', values })}
            />
          ) : (
            <Text size="sm" style={{ flex: 1 }} mt={6}>
              {condition.op} {'value' in condition ? String(condition.value) : ''}
            </Text>
          )}
          <ActionIcon
            variant="subtle"
            color="red"
            mt={4}
            aria-label={t('common.delete')}
            onClick={() => onChange(value.filter((_, i) => i !== index))}
          >
            <IconTrash size={16} />
          </ActionIcon>
        </Group>
      ))}
      <Button
        size="xs"
        variant="subtle"
        w="fit-content"
        leftSection={<IconPlus size={14} />}
        onClick={() => onChange([...value, { key: '', op: 'in', values: [] }])}
      >
        {t('customerConditions.add')}
      </Button>
    </Stack>
  );
}

/** The rows worth sending: a key, and values for `in`. */
export function completeCustomerConditions(value: readonly Condition[]): Condition[] {
  return value.filter((c) => c.key !== '' && (c.op !== 'in' || c.values.length > 0));
}
