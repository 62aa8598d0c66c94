import {
  FIELD_TYPES,
  type FieldOption,
  type FieldType,
  type TicketField,
  type TicketFieldList,
} from '@keepdesk/contract';
import {
  ActionIcon,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  Modal,
  NumberInput,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { IconForms, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { EmptyState } from '../components/EmptyState';
import { fieldErrors, notifyError, notifySaved, notifyUnlessFieldErrors } from '../components/feedback';
import { PageHeader } from '../components/PageHeader';
import { fieldLabel } from '../tickets/CustomFields';

const WITH_OPTIONS: readonly FieldType[] = ['dropdown', 'multiselect'];

/** Custom ticket fields: what agents fill in beside status and priority, and what must be set to solve. */
export function TicketFieldsPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<TicketField | 'new' | null>(null);
  const fields = useQuery({
    queryKey: ['ticket-fields'],
    queryFn: () => api.get<TicketFieldList>('/ticket-fields'),
  });
  const toggle = useMutation({
    mutationFn: ({ key, body }: { key: string; body: Partial<TicketField> }) =>
      api.patch<TicketField>(`/ticket-fields/${key}`, body),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['ticket-fields'] });
      notifySaved(t);
    },
    onError: (error) => notifyError(t, error),
  });
  const items = fields.data?.items ?? [];
  return (
    <>
      <PageHeader
        title={t('ticketFields.title')}
        text={t('ticketFields.text')}
        action={
          <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
            {t('ticketFields.add')}
          </Button>
        }
      />
      <Card withBorder padding={0}>
        {fields.isSuccess && items.length === 0 ? (
          <EmptyState
            icon={<IconForms size={24} />}
            title={t('ticketFields.emptyTitle')}
            text={t('ticketFields.emptyText')}
          />
        ) : (
          <Table verticalSpacing="sm" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('ticketFields.label')}</Table.Th>
                <Table.Th>{t('ticketFields.type')}</Table.Th>
                <Table.Th>{t('ticketFields.requiredOnSolve')}</Table.Th>
                <Table.Th>{t('ticketFields.active')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((field) => (
                <Table.Tr key={field.key}>
                  <Table.Td>
                    <Text fw={600}>{fieldLabel(field)}</Text>
                    <Text size="xs" c="dimmed" ff="monospace">
                      {field.key}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light">{t(`ticketFields.types.${field.type}`)}</Badge>
                    {field.options.length > 0 && (
                      <Text size="xs" c="dimmed">
                        {field.options.map((o) => fieldLabel(o)).join(', ')}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Switch
                      aria-label={`${t('ticketFields.requiredOnSolve')}: ${fieldLabel(field)}`}
                      checked={field.requiredOnSolve}
                      onChange={(event) =>
                        toggle.mutate({
                          key: field.key,
                          body: { requiredOnSolve: event.currentTarget.checked },
                        })
                      }
                    />
                  </Table.Td>
                  <Table.Td>
                    <Switch
                      aria-label={`${t('ticketFields.active')}: ${fieldLabel(field)}`}
                      checked={field.active}
                      onChange={(event) =>
                        toggle.mutate({ key: field.key, body: { active: event.currentTarget.checked } })
                      }
                    />
                  </Table.Td>
                  <Table.Td>
                    <Button size="xs" variant="light" onClick={() => setEditing(field)}>
                      {t('common.edit')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
      {editing && <FieldModal field={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </>
  );
}

function FieldModal({ field, onClose }: { field: TicketField | null; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [key, setKey] = useState(field?.key ?? '');
  const [type, setType] = useState<FieldType>(field?.type ?? 'text');
  const [labelEn, setLabelEn] = useState(field?.labelEn ?? '');
  const [labelDe, setLabelDe] = useState(field?.labelDe ?? '');
  const [options, setOptions] = useState<FieldOption[]>(field?.options ?? []);
  const [requiredOnSolve, setRequiredOnSolve] = useState(field?.requiredOnSolve ?? false);
  const [position, setPosition] = useState<number>(field?.position ?? 100);
  const hasOptions = WITH_OPTIONS.includes(type);
  const save = useMutation({
    mutationFn: () => {
      const body = { labelEn, labelDe, options: hasOptions ? options : [], requiredOnSolve, position };
      return field
        ? api.patch<TicketField>(`/ticket-fields/${field.key}`, body)
        : api.post<TicketField>('/ticket-fields', { key, type, ...body });
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['ticket-fields'] });
      notifySaved(t);
      onClose();
    },
    onError: (error) => notifyUnlessFieldErrors(t, error),
  });
  const errors = fieldErrors(save.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const setOption = (index: number, patch: Partial<FieldOption>) =>
    setOptions(options.map((o, i) => (i === index ? { ...o, ...patch } : o)));
  return (
    <Modal opened onClose={onClose} title={field ? t('ticketFields.edit') : t('ticketFields.add')} size="lg">
      <form onSubmit={submit}>
        <Stack>
          <Group grow align="flex-start">
            <TextInput
              label={t('ticketFields.key')}
              description={t('ticketFields.keyHint')}
              required
              disabled={Boolean(field)}
              value={key}
              error={errors.key}
              onChange={(event) => setKey(event.currentTarget.value)}
            />
            <Select
              label={t('ticketFields.type')}
              disabled={Boolean(field)}
              allowDeselect={false}
              value={type}
              onChange={(value) => value && setType(value as FieldType)}
              data={FIELD_TYPES.map((value) => ({ value, label: t(`ticketFields.types.${value}`) }))}
            />
          </Group>
          <Group grow>
            <TextInput
              label={t('ticketFields.labelEn')}
              required
              value={labelEn}
              error={errors.labelEn}
              onChange={(event) => setLabelEn(event.currentTarget.value)}
            />
            <TextInput
              label={t('ticketFields.labelDe')}
              required
              value={labelDe}
              error={errors.labelDe}
              onChange={(event) => setLabelDe(event.currentTarget.value)}
            />
          </Group>
          {hasOptions && (
            <Stack gap="xs">
              <Text size="sm" fw={500}>
                {t('ticketFields.options')}
              </Text>
              {options.map((option, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: options are edited in place and have no id yet
                <Group key={index} gap="xs" wrap="nowrap">
                  <TextInput
                    aria-label={t('ticketFields.optionValue')}
                    placeholder={t('ticketFields.optionValue')}
                    value={option.value}
                    onChange={(event) => setOption(index, { value: event.currentTarget.value })}
                  />
                  <TextInput
                    aria-label={t('ticketFields.labelEn')}
                    placeholder={t('ticketFields.labelEn')}
                    value={option.labelEn}
                    onChange={(event) => setOption(index, { labelEn: event.currentTarget.value })}
                  />
                  <TextInput
                    aria-label={t('ticketFields.labelDe')}
                    placeholder={t('ticketFields.labelDe')}
                    value={option.labelDe}
                    onChange={(event) => setOption(index, { labelDe: event.currentTarget.value })}
                  />
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    aria-label={t('ticketFields.removeOption')}
                    onClick={() => setOptions(options.filter((_, i) => i !== index))}
                  >
                    <IconTrash size={16} />
                  </ActionIcon>
                </Group>
              ))}
              {errors.options && (
                <Text size="xs" c="red">
                  {errors.options}
                </Text>
              )}
              <Button
                variant="light"
                size="xs"
                w="fit-content"
                leftSection={<IconPlus size={14} />}
                onClick={() => setOptions([...options, { value: '', labelEn: '', labelDe: '' }])}
              >
                {t('ticketFields.addOption')}
              </Button>
            </Stack>
          )}
          <Group grow align="flex-end">
            <Checkbox
              label={t('ticketFields.requiredOnSolve')}
              description={t('ticketFields.requiredOnSolveHint')}
              checked={requiredOnSolve}
              onChange={(event) => setRequiredOnSolve(event.currentTarget.checked)}
            />
            <NumberInput
              label={t('ticketFields.position')}
              min={0}
              max={10_000}
              value={position}
              onChange={(value) => setPosition(typeof value === 'number' ? value : 100)}
            />
          </Group>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
