import {
  CHANNELS,
  type FieldCondition,
  type OrganizationPage,
  PRIORITIES,
  SLA_FILTER_STATES,
  STATUS_CATEGORIES,
  type TeamPage,
  TICKET_TYPES,
  VIEW_SORT_FIELDS,
  type View,
  type ViewFilter,
  type ViewSort,
} from '@keepdesk/contract';
import {
  ActionIcon,
  Button,
  Checkbox,
  Group,
  Modal,
  MultiSelect,
  Select,
  Stack,
  TagsInput,
  Text,
  TextInput,
} from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, query } from '../api';
import { CustomerConditions, completeCustomerConditions } from '../components/CustomerConditions';
import { fieldErrors, notifyError, notifySaved, notifyUnlessFieldErrors } from '../components/feedback';
import { fieldLabel, useTicketFields } from './CustomFields';
import { useColleagues } from './colleagues';

type Op = FieldCondition['op'];
interface ConditionDraft {
  key: string;
  op: Op;
  /** Values as typed: option values, "true"/"false", numbers or dates as text. */
  values: string[];
}

const dayOf = (iso: string | undefined) => (iso ? iso.slice(0, 10) : '');
const isoOf = (day: string) => (day ? new Date(`${day}T00:00:00`).toISOString() : undefined);
const list = <T,>(values: T[]) => (values.length > 0 ? values : undefined);

/** Creates or edits a view: its filters (including custom fields), its order and who sees it. */
export function ViewEditor({
  view,
  canShare,
  onClose,
}: {
  view: View | null;
  canShare: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const fields = useTicketFields();
  const colleagues = useColleagues();
  const teams = useQuery({
    queryKey: ['teams'],
    queryFn: () => api.get<TeamPage>(`/teams${query({ limit: 200 })}`),
  });
  const organizations = useQuery({
    queryKey: ['organizations', 'all'],
    queryFn: () => api.get<OrganizationPage>(`/organizations${query({ limit: 200 })}`),
  });
  const initial: ViewFilter = view?.filter ?? { statusCategory: ['new', 'open'] };
  const [name, setName] = useState(view?.name ?? '');
  const [shared, setShared] = useState(view?.shared ?? false);
  const [filter, setFilter] = useState<ViewFilter>(initial);
  const [sort, setSort] = useState<ViewSort>(view?.sort ?? { field: 'updatedAt', direction: 'desc' });
  const [conditions, setConditions] = useState<ConditionDraft[]>(
    (initial.fields ?? []).map((c) => ({
      key: c.key,
      op: c.op,
      values:
        c.op === 'in' ? c.values.map(String) : c.op === 'gte' || c.op === 'lte' ? [String(c.value)] : [],
    })),
  );
  const set = <K extends keyof ViewFilter>(key: K, value: ViewFilter[K]) =>
    setFilter({ ...filter, [key]: value });

  const definitions = fields.data?.items ?? [];
  const toCondition = (draft: ConditionDraft): FieldCondition | null => {
    const field = definitions.find((f) => f.key === draft.key);
    if (!field) return null;
    const typed = (value: string): string | number | boolean =>
      field.type === 'number' ? Number(value) : field.type === 'checkbox' ? value === 'true' : value;
    if (draft.op === 'set' || draft.op === 'unset') return { key: draft.key, op: draft.op };
    if (draft.op === 'in')
      return draft.values.length ? { key: draft.key, op: 'in', values: draft.values.map(typed) } : null;
    const bound = draft.values[0];
    if (!bound) return null;
    return { key: draft.key, op: draft.op, value: field.type === 'number' ? Number(bound) : bound };
  };

  const save = useMutation({
    mutationFn: () => {
      const fieldConditions = conditions.map(toCondition).filter((c): c is FieldCondition => c !== null);
      const body = {
        name,
        filter: {
          ...filter,
          fields: list(fieldConditions),
          customer: list(completeCustomerConditions(filter.customer ?? [])),
        },
        sort,
      };
      return view
        ? api.patch<View>(`/views/${view.id}`, body)
        : api.post<View>('/views', { ...body, shared });
    },
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: ['views'] });
      notifySaved(t);
      onClose();
      await navigate({ to: '/tickets', search: { view: saved.id } });
    },
    onError: (error) => notifyUnlessFieldErrors(t, error),
  });
  const remove = useMutation({
    mutationFn: () => api.delete(`/views/${view?.id}`),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['views'] });
      onClose();
      await navigate({ to: '/tickets', search: { view: undefined } });
    },
    onError: (error) => notifyError(t, error),
  });
  const errors = fieldErrors(save.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const options = <T extends string>(values: readonly T[], prefix: string) =>
    values.map((value) => ({ value, label: t(`${prefix}.${value}`) }));
  const people = colleagues.map((u) => ({ value: u.id, label: u.name }));
  const teamOptions = (teams.data?.items ?? []).map((team) => ({ value: team.id, label: team.name }));

  return (
    <Modal opened onClose={onClose} title={view ? t('viewEditor.edit') : t('viewEditor.create')} size="xl">
      <form onSubmit={submit}>
        <Stack gap="sm">
          <Group grow align="flex-end">
            <TextInput
              label={t('fields.name')}
              required
              data-autofocus
              value={name}
              error={errors.name}
              onChange={(event) => setName(event.currentTarget.value)}
            />
            {canShare && !view && (
              <Checkbox
                label={t('viewEditor.shared')}
                description={t('viewEditor.sharedHint')}
                checked={shared}
                onChange={(event) => setShared(event.currentTarget.checked)}
              />
            )}
          </Group>
          <Group grow align="flex-start">
            <MultiSelect
              label={t('viewEditor.statusCategory')}
              data={options(STATUS_CATEGORIES, 'status')}
              value={filter.statusCategory ?? []}
              onChange={(v) => set('statusCategory', list(v) as ViewFilter['statusCategory'])}
              clearable
            />
            <MultiSelect
              label={t('tickets.priority')}
              data={options(PRIORITIES, 'priority')}
              value={filter.priority ?? []}
              onChange={(v) => set('priority', list(v) as ViewFilter['priority'])}
              clearable
            />
            <MultiSelect
              label={t('viewEditor.sla')}
              data={SLA_FILTER_STATES.map((state) => ({
                value: state,
                label: state === 'none' ? t('viewEditor.noSla') : t(`sla.state.${state}`),
              }))}
              value={filter.sla ?? []}
              onChange={(v) => set('sla', list(v) as ViewFilter['sla'])}
              clearable
            />
          </Group>
          <Group grow align="flex-start">
            <MultiSelect
              label={t('tickets.assignee')}
              data={[
                { value: 'me', label: t('viewEditor.me') },
                { value: 'none', label: t('viewEditor.nobody') },
                ...people,
              ]}
              value={filter.assignee ?? []}
              onChange={(v) => set('assignee', list(v))}
              searchable
              clearable
            />
            <MultiSelect
              label={t('tickets.team')}
              data={[
                { value: 'mine', label: t('viewEditor.myTeams') },
                { value: 'none', label: t('viewEditor.noTeam') },
                ...teamOptions,
              ]}
              value={filter.team ?? []}
              onChange={(v) => set('team', list(v))}
              clearable
            />
          </Group>
          <Group grow align="flex-start">
            <MultiSelect
              label={t('tickets.type')}
              data={options(TICKET_TYPES, 'ticketType')}
              value={filter.type ?? []}
              onChange={(v) => set('type', list(v) as ViewFilter['type'])}
              clearable
            />
            <MultiSelect
              label={t('tickets.channel')}
              data={options(CHANNELS, 'channel')}
              value={filter.channel ?? []}
              onChange={(v) => set('channel', list(v) as ViewFilter['channel'])}
              clearable
            />
            <MultiSelect
              label={t('viewEditor.organization')}
              data={(organizations.data?.items ?? []).map((o) => ({ value: o.id, label: o.name }))}
              value={filter.organizationId ?? []}
              onChange={(v) => set('organizationId', list(v))}
              searchable
              clearable
            />
          </Group>
          <Group grow align="flex-start">
            <TagsInput
              label={t('viewEditor.tagsAny')}
              value={filter.tagsAny ?? []}
              onChange={(v) => set('tagsAny', list(v))}
            />
            <TagsInput
              label={t('viewEditor.tagsAll')}
              value={filter.tagsAll ?? []}
              onChange={(v) => set('tagsAll', list(v))}
            />
            <TagsInput
              label={t('viewEditor.tagsNone')}
              value={filter.tagsNone ?? []}
              onChange={(v) => set('tagsNone', list(v))}
            />
          </Group>
          <Group grow>
            <TextInput
              type="date"
              label={t('viewEditor.createdAfter')}
              value={dayOf(filter.createdAfter)}
              onChange={(e) => set('createdAfter', isoOf(e.currentTarget.value))}
            />
            <TextInput
              type="date"
              label={t('viewEditor.createdBefore')}
              value={dayOf(filter.createdBefore)}
              onChange={(e) => set('createdBefore', isoOf(e.currentTarget.value))}
            />
            <TextInput
              type="date"
              label={t('viewEditor.updatedAfter')}
              value={dayOf(filter.updatedAfter)}
              onChange={(e) => set('updatedAfter', isoOf(e.currentTarget.value))}
            />
            <TextInput
              type="date"
              label={t('viewEditor.updatedBefore')}
              value={dayOf(filter.updatedBefore)}
              onChange={(e) => set('updatedBefore', isoOf(e.currentTarget.value))}
            />
          </Group>
          <CustomerConditions value={filter.customer ?? []} onChange={(value) => set('customer', value)} />
          {definitions.length > 0 && (
            <Stack gap={6}>
              <Text size="sm" fw={500}>
                {t('viewEditor.customFields')}
              </Text>
              {conditions.map((draft, index) => {
                const field = definitions.find((f) => f.key === draft.key);
                const update = (patch: Partial<ConditionDraft>) =>
                  setConditions(conditions.map((c, i) => (i === index ? { ...c, ...patch } : c)));
                const ops: Op[] =
                  field?.type === 'number' || field?.type === 'date'
                    ? ['in', 'gte', 'lte', 'set', 'unset']
                    : ['in', 'set', 'unset'];
                const choices =
                  field?.type === 'checkbox'
                    ? [
                        { value: 'true', label: t('common.yes') },
                        { value: 'false', label: t('common.no') },
                      ]
                    : (field?.options ?? []).map((o) => ({ value: o.value, label: fieldLabel(o) }));
                return (
                  // biome-ignore lint/suspicious/noArrayIndexKey: conditions have no identity of their own
                  <Group key={index} gap="xs" wrap="nowrap" align="flex-end">
                    <Select
                      aria-label={t('viewEditor.field')}
                      data={definitions.map((f) => ({ value: f.key, label: fieldLabel(f) }))}
                      value={draft.key}
                      allowDeselect={false}
                      onChange={(key) => key && update({ key, values: [] })}
                      w={180}
                    />
                    <Select
                      aria-label={t('viewEditor.operator')}
                      data={ops.map((op) => ({ value: op, label: t(`viewEditor.op.${op}`) }))}
                      value={draft.op}
                      allowDeselect={false}
                      onChange={(op) => op && update({ op: op as Op, values: [] })}
                      w={150}
                    />
                    {draft.op === 'in' &&
                      (choices.length > 0 ? (
                        <MultiSelect
                          aria-label={t('viewEditor.values')}
                          placeholder={draft.values.length ? undefined : t('viewEditor.pickValues')}
                          data={choices}
                          value={draft.values}
                          onChange={(values) => update({ values })}
                          style={{ flex: 1 }}
                        />
                      ) : (
                        <TagsInput
                          aria-label={t('viewEditor.values')}
                          placeholder={draft.values.length ? undefined : t('viewEditor.typeValues')}
                          value={draft.values}
                          onChange={(values) => update({ values })}
                          style={{ flex: 1 }}
                        />
                      ))}
                    {(draft.op === 'gte' || draft.op === 'lte') && (
                      <TextInput
                        aria-label={t('viewEditor.values')}
                        type={field?.type === 'date' ? 'date' : 'number'}
                        value={draft.values[0] ?? ''}
                        onChange={(e) => update({ values: [e.currentTarget.value] })}
                        style={{ flex: 1 }}
                      />
                    )}
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      aria-label={t('viewEditor.removeCondition')}
                      onClick={() => setConditions(conditions.filter((_, i) => i !== index))}
                    >
                      <IconTrash size={16} />
                    </ActionIcon>
                  </Group>
                );
              })}
              <Button
                size="xs"
                variant="light"
                w="fit-content"
                leftSection={<IconPlus size={14} />}
                onClick={() =>
                  setConditions([...conditions, { key: definitions[0]!.key, op: 'in', values: [] }])
                }
              >
                {t('viewEditor.addCondition')}
              </Button>
            </Stack>
          )}
          <Group grow>
            <Select
              label={t('viewEditor.sortBy')}
              data={VIEW_SORT_FIELDS.map((f) => ({ value: f, label: t(`viewEditor.sort.${f}`) }))}
              value={sort.field}
              allowDeselect={false}
              onChange={(field) => field && setSort({ ...sort, field: field as ViewSort['field'] })}
            />
            <Select
              label={t('viewEditor.direction')}
              data={[
                { value: 'desc', label: t('viewEditor.desc') },
                { value: 'asc', label: t('viewEditor.asc') },
              ]}
              value={sort.direction}
              allowDeselect={false}
              onChange={(direction) =>
                direction && setSort({ ...sort, direction: direction as ViewSort['direction'] })
              }
            />
          </Group>
          <Group justify="space-between">
            <div>
              {view && (
                <Button
                  variant="subtle"
                  color="red"
                  loading={remove.isPending}
                  onClick={() => remove.mutate()}
                >
                  {t('common.delete')}
                </Button>
              )}
            </div>
            <Group>
              <Button variant="default" onClick={onClose}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={save.isPending}>
                {t('common.save')}
              </Button>
            </Group>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
