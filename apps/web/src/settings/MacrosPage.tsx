import type { Macro, MacroList } from '@keepdesk/contract';
import {
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  Modal,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Tabs,
  TagsInput,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { IconPlus, IconTemplate } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { ChangeLogCard } from '../components/ChangeLogCard';
import { EmptyState } from '../components/EmptyState';
import { FormActions } from '../components/FormActions';
import { fieldErrors, notifyError, notifySaved, notifyUnlessFieldErrors } from '../components/feedback';
import { PageHeader } from '../components/PageHeader';
import { can, useMe } from '../session';

const PLACEHOLDERS = [
  'customer.firstName',
  'customer.name',
  'customer.email',
  'ticket.number',
  'ticket.subject',
  'agent.name',
  'agent.firstName',
  'organization.name',
];

/** Macros: reply texts in both languages with placeholders and field changes, personal or shared. */
export function MacrosPage() {
  const { t } = useTranslation();
  const me = useMe();
  const [editing, setEditing] = useState<Macro | 'new' | null>(null);
  const macros = useQuery({ queryKey: ['macros'], queryFn: () => api.get<MacroList>('/macros') });
  const items = macros.data?.items ?? [];
  return (
    <>
      <PageHeader
        title={t('macroAdmin.title')}
        text={t('macroAdmin.text')}
        action={
          <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
            {t('macroAdmin.add')}
          </Button>
        }
      />
      <Card withBorder padding={0}>
        {macros.isSuccess && items.length === 0 ? (
          <EmptyState
            icon={<IconTemplate size={24} />}
            title={t('macroAdmin.emptyTitle')}
            text={t('macroAdmin.emptyText')}
          />
        ) : (
          <Table verticalSpacing="sm" highlightOnHover aria-label={t('macroAdmin.title')}>
            <Table.Tbody>
              {items.map((macro) => (
                <Table.Tr key={macro.id} data-testid="macro">
                  <Table.Td>
                    <Group gap={6}>
                      <Text fw={600}>{macro.name}</Text>
                      <Badge size="sm" variant="light" color={macro.shared ? 'blue' : 'gray'}>
                        {macro.shared ? t('macroAdmin.shared') : t('macros.personal')}
                      </Badge>
                    </Group>
                    <Text size="xs" c="dimmed" lineClamp={1}>
                      {macro.bodyEn || macro.bodyDe}
                    </Text>
                  </Table.Td>
                  <Table.Td w={90}>
                    <Button size="xs" variant="light" onClick={() => setEditing(macro)}>
                      {t('common.edit')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
      {can(me, 'tickets:admin') && (
        <ChangeLogCard entityType="macro" nameOf={(id) => items.find((m) => m.id === id)?.name} />
      )}
      {editing && <MacroModal macro={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </>
  );
}

function MacroModal({ macro, onClose }: { macro: Macro | null; onClose: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const queryClient = useQueryClient();
  const [form, setForm] = useState({
    name: macro?.name ?? '',
    shared: macro?.shared ?? false,
    bodyEn: macro?.bodyEn ?? '',
    bodyDe: macro?.bodyDe ?? '',
    visibility: macro?.visibility ?? 'public',
    status: macro?.actions.status ?? null,
    addTags: macro?.actions.addTags ?? [],
    assignToMe: macro?.actions.assignToMe ?? false,
  });
  const save = useMutation({
    mutationFn: () => {
      const body = {
        name: form.name,
        shared: form.shared,
        bodyEn: form.bodyEn,
        bodyDe: form.bodyDe,
        visibility: form.visibility,
        actions: {
          ...(form.status ? { status: form.status } : {}),
          ...(form.addTags.length > 0 ? { addTags: form.addTags } : {}),
          ...(form.assignToMe ? { assignToMe: true } : {}),
        },
      };
      return macro ? api.patch<Macro>(`/macros/${macro.id}`, body) : api.post<Macro>('/macros', body);
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['macros'] });
      notifySaved(t);
      onClose();
    },
    onError: (error) => notifyUnlessFieldErrors(t, error),
  });
  const remove = useMutation({
    mutationFn: () => api.delete(`/macros/${macro!.id}`),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['macros'] });
      onClose();
    },
    onError: (error) => notifyError(t, error),
  });
  const errors = fieldErrors(save.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <Modal opened onClose={onClose} title={macro ? t('macroAdmin.edit') : t('macroAdmin.add')} size="lg">
      <form onSubmit={submit}>
        <Stack>
          <TextInput
            label={t('macroAdmin.name')}
            required
            value={form.name}
            error={errors.name}
            onChange={(e) => setForm({ ...form, name: e.currentTarget.value })}
          />
          <SegmentedControl
            value={form.visibility}
            onChange={(value) => setForm({ ...form, visibility: value as 'public' | 'internal' })}
            data={[
              { value: 'public', label: t('macros.reply') },
              { value: 'internal', label: t('tickets.internalNote') },
            ]}
          />
          <Tabs defaultValue="de">
            <Tabs.List>
              <Tabs.Tab value="de">Deutsch</Tabs.Tab>
              <Tabs.Tab value="en">English</Tabs.Tab>
            </Tabs.List>
            {(['De', 'En'] as const).map((language) => (
              <Tabs.Panel key={language} value={language.toLowerCase()} pt="xs">
                <Textarea
                  label={t('macroAdmin.text_label')}
                  autosize
                  minRows={4}
                  value={form[`body${language}`]}
                  error={errors[`body${language}`]}
                  onChange={(e) => setForm({ ...form, [`body${language}`]: e.currentTarget.value })}
                />
              </Tabs.Panel>
            ))}
          </Tabs>
          <Text size="xs" c="dimmed">
            {t('macroAdmin.placeholders')} {PLACEHOLDERS.map((p) => `{{${p}}}`).join(' ')}
          </Text>
          <Group grow align="flex-start">
            <Select
              label={t('macroAdmin.setStatus')}
              clearable
              data={['open', 'pending', 'on_hold', 'solved'].map((s) => ({
                value: s,
                label: t(`status.${s}`),
              }))}
              value={form.status}
              onChange={(value) => setForm({ ...form, status: value })}
            />
            <TagsInput
              label={t('macroAdmin.addTags')}
              value={form.addTags}
              onChange={(value) => setForm({ ...form, addTags: value })}
            />
          </Group>
          <Checkbox
            label={t('macroAdmin.assignToMe')}
            checked={form.assignToMe}
            onChange={(e) => setForm({ ...form, assignToMe: e.currentTarget.checked })}
          />
          {can(me, 'tickets:admin') && (
            <Checkbox
              label={t('macroAdmin.shareWithAll')}
              checked={form.shared}
              onChange={(e) => setForm({ ...form, shared: e.currentTarget.checked })}
            />
          )}
          <FormActions
            onCancel={onClose}
            saving={save.isPending}
            onDelete={macro ? () => remove.mutate() : undefined}
            deleting={remove.isPending}
          />
        </Stack>
      </form>
    </Modal>
  );
}
