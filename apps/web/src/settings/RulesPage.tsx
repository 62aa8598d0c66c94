import type {
  Automation,
  AutomationList,
  BusinessCalendarList,
  RuleAction,
  RuleCondition,
  RuleConditions,
  RuleRunList,
  RuleTestResult,
  TeamPage,
  TicketFieldList,
  TicketStatusList,
  Trigger,
  TriggerEvent,
  TriggerList,
  UserPage,
} from '@keepdesk/contract';
import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  Modal,
  MultiSelect,
  NumberInput,
  Select,
  Stack,
  Switch,
  Table,
  Tabs,
  TagsInput,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import {
  IconArrowDown,
  IconArrowUp,
  IconBolt,
  IconClockPlay,
  IconPlus,
  IconTrash,
} from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, query } from '../api';
import { ChangeLogCard } from '../components/ChangeLogCard';
import { EmptyState } from '../components/EmptyState';
import { fieldErrors, notifyError, notifySaved, notifyUnlessFieldErrors } from '../components/feedback';
import { PageHeader } from '../components/PageHeader';
import { currentLanguage } from '../i18n';
import { relativeTime } from '../tickets/format';

type Kind = 'trigger' | 'automation';
type Rule = Trigger | Automation;
const PATH: Record<Kind, string> = { trigger: '/triggers', automation: '/automations' };

const EVENTS: TriggerEvent[] = ['created', 'updated', 'customer_replied', 'agent_replied', 'note_added'];
const FIXED_FIELDS = [
  'status',
  'statusCategory',
  'priority',
  'type',
  'channel',
  'language',
  'team',
  'assignee',
  'tags',
  'subject',
  'message',
  'sla',
  'customer.email',
  'customer.language',
] as const;
const OPERATORS: Record<string, RuleCondition['operator'][]> = {
  status: ['is', 'isNot', 'changed', 'changedTo', 'changedFrom'],
  statusCategory: ['is', 'isNot', 'changed', 'changedTo', 'changedFrom'],
  priority: ['is', 'isNot', 'greaterThan', 'lessThan', 'changed', 'changedTo', 'changedFrom'],
  type: ['is', 'isNot', 'changed', 'changedTo'],
  channel: ['is', 'isNot'],
  language: ['is', 'isNot'],
  team: ['is', 'isNot', 'changed', 'changedTo', 'changedFrom'],
  assignee: ['is', 'isNot', 'present', 'absent', 'changed', 'changedTo', 'changedFrom'],
  tags: ['includes', 'excludes', 'changed'],
  subject: ['contains', 'notContains'],
  message: ['contains', 'notContains'],
  sla: ['is', 'isNot'],
  'customer.email': ['is', 'isNot', 'contains', 'notContains'],
  'customer.language': ['is', 'isNot'],
  custom: ['is', 'isNot', 'present', 'absent', 'contains', 'greaterThan', 'lessThan', 'changed'],
  attribute: ['is', 'isNot', 'present', 'absent', 'contains', 'greaterThan', 'lessThan'],
};
const CHANGE_OPERATORS = ['changed', 'changedTo', 'changedFrom'];
const NO_VALUE = ['present', 'absent', 'changed'];

function operatorsFor(field: string, kind: Kind): RuleCondition['operator'][] {
  const group = field.startsWith('customFields.')
    ? 'custom'
    : field.includes('.attributes.')
      ? 'attribute'
      : field;
  const all = OPERATORS[group] ?? ['is'];
  return kind === 'automation' ? all.filter((o) => !CHANGE_OPERATORS.includes(o)) : all;
}

/** Triggers (on ticket events) and automations (on elapsed time): ordered rules with a dry run and a change log. */
export function RulesPage({ kind }: { kind: Kind }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<Rule | 'new' | null>(null);
  const rules = useQuery({
    queryKey: [kind],
    queryFn: () => api.get<TriggerList | AutomationList>(PATH[kind]),
  });
  const failures = useQuery({
    queryKey: ['rule-runs', 'failed'],
    queryFn: () => api.get<RuleRunList>(`/rule-runs${query({ outcome: 'failed', limit: 20 })}`),
  });
  const items: Rule[] = rules.data?.items ?? [];
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: [kind] }),
      queryClient.invalidateQueries({ queryKey: ['change-log', kind] }),
    ]);
  const order = useMutation({
    mutationFn: (ids: string[]) => api.put(`${PATH[kind]}/order`, { ids }),
    onSuccess: refresh,
    onError: (error) => notifyError(t, error),
  });
  const toggle = useMutation({
    mutationFn: (rule: Rule) => api.patch(`${PATH[kind]}/${rule.id}`, { active: !rule.active }),
    onSuccess: refresh,
    onError: (error) => notifyError(t, error),
  });
  const move = (index: number, by: -1 | 1) => {
    const ids = items.map((r) => r.id);
    const [moved] = ids.splice(index, 1);
    ids.splice(index + by, 0, moved!);
    order.mutate(ids);
  };
  const ownFailures = (failures.data?.items ?? []).filter((f) => f.ruleKind === kind);
  return (
    <>
      <PageHeader
        title={t(`rules.${kind}.title`)}
        text={t(`rules.${kind}.text`)}
        action={
          <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
            {t(`rules.${kind}.add`)}
          </Button>
        }
      />
      <Tabs defaultValue="rules">
        <Tabs.List mb="sm">
          <Tabs.Tab value="rules">{t(`rules.${kind}.title`)}</Tabs.Tab>
          <Tabs.Tab value="failures">
            {t('rules.failures')} {ownFailures.length > 0 && <Badge color="red">{ownFailures.length}</Badge>}
          </Tabs.Tab>
          <Tabs.Tab value="log">{t('rules.changeLog')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="rules">
          <Card withBorder padding={0}>
            {rules.isSuccess && items.length === 0 ? (
              <EmptyState
                icon={kind === 'trigger' ? <IconBolt size={24} /> : <IconClockPlay size={24} />}
                title={t(`rules.${kind}.emptyTitle`)}
                text={t(`rules.${kind}.emptyText`)}
              />
            ) : (
              <Table verticalSpacing="sm" highlightOnHover aria-label={t(`rules.${kind}.title`)}>
                <Table.Tbody>
                  {items.map((rule, index) => (
                    <Table.Tr key={rule.id} data-testid="rule">
                      <Table.Td w={70}>
                        <Group gap={2}>
                          <ActionIcon
                            variant="subtle"
                            disabled={index === 0}
                            aria-label={t('rules.moveUp')}
                            onClick={() => move(index, -1)}
                          >
                            <IconArrowUp size={16} />
                          </ActionIcon>
                          <ActionIcon
                            variant="subtle"
                            disabled={index === items.length - 1}
                            aria-label={t('rules.moveDown')}
                            onClick={() => move(index, 1)}
                          >
                            <IconArrowDown size={16} />
                          </ActionIcon>
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        <Text fw={600}>{rule.name}</Text>
                        <Text size="xs" c="dimmed">
                          {'events' in rule
                            ? rule.events.map((e) => t(`rules.events.${e}`)).join(', ')
                            : describeTiming(t, rule.timing)}
                          {' · '}
                          {t('rules.summary', {
                            conditions: rule.conditions.all.length + rule.conditions.any.length,
                            actions: rule.actions.length,
                          })}
                        </Text>
                      </Table.Td>
                      <Table.Td w={80}>
                        <Switch
                          checked={rule.active}
                          aria-label={t('rules.active')}
                          onChange={() => toggle.mutate(rule)}
                        />
                      </Table.Td>
                      <Table.Td w={90}>
                        <Button size="xs" variant="light" onClick={() => setEditing(rule)}>
                          {t('common.edit')}
                        </Button>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Card>
        </Tabs.Panel>
        <Tabs.Panel value="failures">
          <Card withBorder padding={0}>
            {ownFailures.length === 0 ? (
              <EmptyState
                icon={<IconBolt size={24} />}
                title={t('rules.noFailures')}
                text={t('rules.noFailuresText')}
              />
            ) : (
              <Table verticalSpacing="xs" aria-label={t('rules.failures')}>
                <Table.Tbody>
                  {ownFailures.map((run) => (
                    <Table.Tr key={run.id} data-testid="rule-failure">
                      <Table.Td>
                        <Text size="sm" fw={600}>
                          {run.ruleName} · #{run.ticket.number}
                        </Text>
                        <Text size="xs" c="red">
                          {run.error}
                        </Text>
                      </Table.Td>
                      <Table.Td w={140}>
                        <Text size="xs" c="dimmed">
                          {relativeTime(run.createdAt, currentLanguage())}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Card>
        </Tabs.Panel>
        <Tabs.Panel value="log">
          <ChangeLogCard
            entityType={kind}
            nameOf={(id) => items.find((r) => r.id === id)?.name}
            withTitle={false}
          />
        </Tabs.Panel>
      </Tabs>
      {editing && (
        <RuleModal kind={kind} rule={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />
      )}
    </>
  );
}

function describeTiming(t: TFunction, timing: Automation['timing']): string {
  const { amount, unit } = splitMinutes(timing.minutes);
  return t('rules.timingSummary', {
    amount,
    unit: t(`rules.units.${unit}`),
    since: t(`rules.anchors.${timing.since}`),
    hours: timing.businessHours ? t('rules.businessHours') : '',
  });
}

function splitMinutes(minutes: number): { amount: number; unit: 'minutes' | 'hours' | 'days' } {
  if (minutes % 1440 === 0) return { amount: minutes / 1440, unit: 'days' };
  if (minutes % 60 === 0) return { amount: minutes / 60, unit: 'hours' };
  return { amount: minutes, unit: 'minutes' };
}

const UNIT_MINUTES = { minutes: 1, hours: 60, days: 1440 } as const;

interface Options {
  value: string;
  label: string;
}

/** The choices a condition's or action's value offers, where the values are a known set. */
function useChoices() {
  const { t } = useTranslation();
  const statuses = useQuery({
    queryKey: ['ticket-statuses'],
    queryFn: () => api.get<TicketStatusList>('/ticket-statuses'),
  });
  const teams = useQuery({
    queryKey: ['teams', 'all'],
    queryFn: () => api.get<TeamPage>(`/teams${query({ limit: 200 })}`),
  });
  const users = useQuery({
    queryKey: ['users', 'all'],
    queryFn: () => api.get<UserPage>(`/users${query({ limit: 200 })}`),
  });
  const fields = useQuery({
    queryKey: ['ticket-fields'],
    queryFn: () => api.get<TicketFieldList>('/ticket-fields'),
  });
  const german = currentLanguage() === 'de';
  const list = (values: readonly string[], prefix: string): Options[] =>
    values.map((value) => ({ value, label: t(`${prefix}.${value}`) }));
  const none = { value: 'none', label: t('rules.none') };
  return {
    customFields: fields.data?.items ?? [],
    values(field: string): Options[] | null {
      switch (field) {
        case 'status':
          return (statuses.data?.items ?? []).map((s) => ({
            value: s.key,
            label: german ? s.nameDe : s.nameEn,
          }));
        case 'statusCategory':
          return list(['new', 'open', 'pending', 'on_hold', 'solved', 'closed'], 'status');
        case 'priority':
          return list(['low', 'normal', 'high', 'urgent'], 'priority');
        case 'type':
          return list(['question', 'incident', 'problem', 'task', 'complaint'], 'ticketType');
        case 'channel':
          return list(['email', 'web', 'phone', 'social', 'review', 'api', 'agent'], 'channel');
        case 'language':
        case 'customer.language':
          return [
            { value: 'de', label: 'Deutsch' },
            { value: 'en', label: 'English' },
          ];
        case 'sla':
          return list(['on_track', 'at_risk', 'breached', 'paused', 'none'], 'rules.sla');
        case 'team':
          return [none, ...(teams.data?.items ?? []).map((team) => ({ value: team.id, label: team.name }))];
        case 'assignee':
          return [none, ...(users.data?.items ?? []).map((user) => ({ value: user.id, label: user.name }))];
        default:
          return null;
      }
    },
  };
}

const emptyConditions: RuleConditions = { all: [], any: [] };

function RuleModal({ kind, rule, onClose }: { kind: Kind; rule: Rule | null; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const calendars = useQuery({
    queryKey: ['calendars'],
    queryFn: () => api.get<BusinessCalendarList>('/calendars'),
  });
  const initialTiming = rule && 'timing' in rule ? rule.timing : null;
  const split = splitMinutes(initialTiming?.minutes ?? 3 * 1440);
  const [form, setForm] = useState({
    name: rule?.name ?? '',
    description: rule?.description ?? '',
    active: rule?.active ?? true,
    events: rule && 'events' in rule ? rule.events : (['created'] as TriggerEvent[]),
    since: initialTiming?.since ?? 'statusChanged',
    amount: split.amount,
    unit: split.unit as keyof typeof UNIT_MINUTES,
    businessHours: initialTiming?.businessHours ?? false,
    calendarId: initialTiming?.calendarId ?? null,
    conditions: rule?.conditions ?? emptyConditions,
    actions: rule?.actions ?? ([] as RuleAction[]),
  });
  const body = () => {
    const common = {
      name: form.name,
      description: form.description,
      active: form.active,
      conditions: form.conditions,
      actions: form.actions,
    };
    return kind === 'trigger'
      ? { ...common, events: form.events }
      : {
          ...common,
          timing: {
            since: form.since,
            minutes: Math.round(form.amount * UNIT_MINUTES[form.unit]),
            businessHours: form.businessHours,
            calendarId: form.calendarId,
          },
        };
  };
  const invalidate = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: [kind] }),
      queryClient.invalidateQueries({ queryKey: ['change-log', kind] }),
    ]);
  const save = useMutation({
    mutationFn: () => (rule ? api.patch(`${PATH[kind]}/${rule.id}`, body()) : api.post(PATH[kind], body())),
    onSuccess: async () => {
      await invalidate();
      notifySaved(t);
      onClose();
    },
    onError: (error) => notifyUnlessFieldErrors(t, error),
  });
  const remove = useMutation({
    mutationFn: () => api.delete(`${PATH[kind]}/${rule!.id}`),
    onSuccess: async () => {
      await invalidate();
      onClose();
    },
    onError: (error) => notifyError(t, error),
  });
  const errors = fieldErrors(save.error);
  const problem = save.error instanceof Error ? save.error.message : null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <Modal opened onClose={onClose} title={rule ? t(`rules.${kind}.edit`) : t(`rules.${kind}.add`)} size="xl">
      <form onSubmit={submit}>
        <Stack>
          <Group grow align="flex-start">
            <TextInput
              label={t('rules.name')}
              required
              value={form.name}
              error={errors.name}
              onChange={(e) => setForm({ ...form, name: e.currentTarget.value })}
            />
            <Switch
              mt={30}
              label={t('rules.active')}
              checked={form.active}
              onChange={(e) => setForm({ ...form, active: e.currentTarget.checked })}
            />
          </Group>
          <Textarea
            label={t('rules.description')}
            autosize
            minRows={1}
            value={form.description}
            onChange={(e) => setForm({ ...form, description: e.currentTarget.value })}
          />
          {kind === 'trigger' ? (
            <MultiSelect
              label={t('rules.eventsLabel')}
              required
              data={EVENTS.map((e) => ({ value: e, label: t(`rules.events.${e}`) }))}
              value={form.events}
              error={errors.events}
              onChange={(value) => setForm({ ...form, events: value as TriggerEvent[] })}
            />
          ) : (
            <Group grow align="flex-start">
              <NumberInput
                label={t('rules.after')}
                min={1}
                value={form.amount}
                error={errors['timing.minutes']}
                onChange={(value) => setForm({ ...form, amount: Number(value) || 0 })}
              />
              <Select
                label={t('rules.unit')}
                data={(['minutes', 'hours', 'days'] as const).map((u) => ({
                  value: u,
                  label: t(`rules.units.${u}`),
                }))}
                value={form.unit}
                allowDeselect={false}
                onChange={(value) =>
                  setForm({ ...form, unit: (value ?? 'days') as keyof typeof UNIT_MINUTES })
                }
              />
              <Select
                label={t('rules.since')}
                data={(
                  ['created', 'updated', 'statusChanged', 'solved', 'customerMessage', 'agentReply'] as const
                ).map((a) => ({ value: a, label: t(`rules.anchors.${a}`) }))}
                value={form.since}
                allowDeselect={false}
                onChange={(value) => setForm({ ...form, since: (value ?? 'created') as typeof form.since })}
              />
            </Group>
          )}
          {kind === 'automation' && (
            <Group grow align="flex-end">
              <Checkbox
                label={t('rules.countBusinessHours')}
                checked={form.businessHours}
                onChange={(e) => setForm({ ...form, businessHours: e.currentTarget.checked })}
              />
              <Select
                label={t('rules.calendar')}
                placeholder={t('rules.defaultCalendar')}
                clearable
                disabled={!form.businessHours}
                data={(calendars.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
                value={form.calendarId}
                error={errors['timing.calendarId']}
                onChange={(value) => setForm({ ...form, calendarId: value })}
              />
            </Group>
          )}
          <ConditionsEditor
            kind={kind}
            conditions={form.conditions}
            errors={errors}
            onChange={(conditions) => setForm({ ...form, conditions })}
          />
          <ActionsEditor
            actions={form.actions}
            errors={errors}
            onChange={(actions) => setForm({ ...form, actions })}
          />
          {problem && Object.keys(errors).some((key) => key === 'actions') && (
            <Alert color="red" data-testid="rule-problem">
              {errors.actions}
            </Alert>
          )}
          <RuleTester kind={kind} body={body} />
          <Group justify="space-between">
            {rule ? (
              <Button variant="subtle" color="red" loading={remove.isPending} onClick={() => remove.mutate()}>
                {t('common.delete')}
              </Button>
            ) : (
              <span />
            )}
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

function ConditionsEditor({
  kind,
  conditions,
  errors,
  onChange,
}: {
  kind: Kind;
  conditions: RuleConditions;
  errors: Record<string, string>;
  onChange: (conditions: RuleConditions) => void;
}) {
  const { t } = useTranslation();
  const choices = useChoices();
  const fieldOptions = [
    ...FIXED_FIELDS.filter((f) => kind === 'trigger' || f !== 'message').map((f) => ({
      value: f,
      label: t(`rules.fields.${f}`),
    })),
    ...choices.customFields.map((f) => ({
      value: `customFields.${f.key}`,
      label: currentLanguage() === 'de' ? f.labelDe : f.labelEn,
    })),
    { value: 'customer.attributes.', label: t('rules.fields.customerAttribute') },
    { value: 'organization.attributes.', label: t('rules.fields.organizationAttribute') },
  ];
  const group = (name: 'all' | 'any') => {
    const list = conditions[name];
    const set = (next: RuleCondition[]) => onChange({ ...conditions, [name]: next });
    return (
      <Card withBorder padding="sm" data-testid={`conditions-${name}`}>
        <Text size="sm" fw={600} mb="xs">
          {t(`rules.${name}`)}
        </Text>
        <Stack gap="xs">
          {list.map((condition, index) => {
            const isAttribute = condition.field.includes('.attributes.');
            const base = isAttribute ? condition.field.replace(/(\.attributes\.).*$/, '$1') : condition.field;
            const values = choices.values(condition.field);
            const path = `conditions.${name}.${index}`;
            const update = (patch: Partial<RuleCondition>) =>
              set(list.map((c, i) => (i === index ? { ...c, ...patch } : c)));
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: conditions have no identity but their place
              <Group key={index} align="flex-start" gap="xs" wrap="nowrap" data-testid="condition">
                <Select
                  aria-label={t('rules.field')}
                  w={190}
                  data={fieldOptions}
                  value={base}
                  error={errors[`${path}.field`]}
                  allowDeselect={false}
                  onChange={(value) => {
                    const field = value ?? 'priority';
                    update({ field, operator: operatorsFor(field, kind)[0]!, value: [] });
                  }}
                />
                {isAttribute && (
                  <TextInput
                    aria-label={t('rules.attribute')}
                    w={120}
                    placeholder="segment"
                    value={condition.field.slice(base.length)}
                    onChange={(e) => update({ field: `${base}${e.currentTarget.value.trim()}` })}
                  />
                )}
                <Select
                  aria-label={t('rules.operator')}
                  w={150}
                  data={operatorsFor(condition.field, kind).map((o) => ({
                    value: o,
                    label: t(`rules.operators.${o}`),
                  }))}
                  value={condition.operator}
                  error={errors[`${path}.operator`]}
                  allowDeselect={false}
                  onChange={(value) => update({ operator: (value ?? 'is') as RuleCondition['operator'] })}
                />
                {!NO_VALUE.includes(condition.operator) &&
                  (values ? (
                    <MultiSelect
                      aria-label={t('rules.value')}
                      style={{ flex: 1 }}
                      data={values}
                      value={condition.value.map(String)}
                      error={errors[`${path}.value`]}
                      onChange={(value) => update({ value })}
                    />
                  ) : (
                    <TagsInput
                      aria-label={t('rules.value')}
                      style={{ flex: 1 }}
                      placeholder={t('rules.valueHint')}
                      value={condition.value.map(String)}
                      error={errors[`${path}.value`]}
                      onChange={(value) => update({ value })}
                    />
                  ))}
                <ActionIcon
                  variant="subtle"
                  color="red"
                  mt={4}
                  aria-label={t('common.delete')}
                  onClick={() => set(list.filter((_, i) => i !== index))}
                >
                  <IconTrash size={16} />
                </ActionIcon>
              </Group>
            );
          })}
          <Button
            size="xs"
            variant="subtle"
            leftSection={<IconPlus size={14} />}
            w="fit-content"
            onClick={() => set([...list, { field: 'priority', operator: 'is', value: [] }])}
          >
            {t('rules.addCondition')}
          </Button>
        </Stack>
      </Card>
    );
  };
  return (
    <Stack gap="xs">
      {group('all')}
      {group('any')}
    </Stack>
  );
}

const ACTION_TYPES: RuleAction['type'][] = [
  'setStatus',
  'setPriority',
  'setType',
  'setTeam',
  'setAssignee',
  'addTags',
  'removeTags',
  'setField',
  'addNote',
  'email',
  'notify',
];

function newAction(type: RuleAction['type']): RuleAction {
  switch (type) {
    case 'setStatus':
      return { type, value: 'open' };
    case 'setPriority':
      return { type, value: 'high' };
    case 'setType':
      return { type, value: 'incident' };
    case 'setTeam':
    case 'setAssignee':
      return { type, value: null };
    case 'addTags':
    case 'removeTags':
      return { type, value: [] };
    case 'setField':
      return { type, key: '', value: '' };
    case 'addNote':
      return { type, bodyEn: '', bodyDe: '' };
    case 'email':
      return { type, to: 'requester', subjectEn: '', subjectDe: '', bodyEn: '', bodyDe: '' };
    case 'notify':
      return { type, to: 'assignee', textEn: '', textDe: '' };
  }
}

function ActionsEditor({
  actions,
  errors,
  onChange,
}: {
  actions: RuleAction[];
  errors: Record<string, string>;
  onChange: (actions: RuleAction[]) => void;
}) {
  const { t } = useTranslation();
  const choices = useChoices();
  const valueField = (field: string, action: RuleAction, index: number) => {
    const update = (patch: object) =>
      onChange(actions.map((a, i) => (i === index ? ({ ...a, ...patch } as RuleAction) : a)));
    const error = (key: string) => errors[`actions.${index}.${key}`];
    switch (action.type) {
      case 'setStatus':
      case 'setPriority':
      case 'setType':
      case 'setTeam':
      case 'setAssignee':
        return (
          <Select
            aria-label={t('rules.value')}
            style={{ flex: 1 }}
            data={(choices.values(field) ?? []).filter(
              (o) => action.type === 'setTeam' || action.type === 'setAssignee' || o.value !== 'none',
            )}
            value={action.value ?? 'none'}
            error={error('value')}
            allowDeselect={false}
            onChange={(value) => update({ value: value === 'none' ? null : value })}
          />
        );
      case 'addTags':
      case 'removeTags':
        return (
          <TagsInput
            aria-label={t('rules.value')}
            style={{ flex: 1 }}
            value={action.value}
            error={error('value')}
            onChange={(value) => update({ value })}
          />
        );
      case 'setField':
        return (
          <Group style={{ flex: 1 }} grow>
            <Select
              aria-label={t('rules.field')}
              data={choices.customFields.map((f) => ({
                value: f.key,
                label: currentLanguage() === 'de' ? f.labelDe : f.labelEn,
              }))}
              value={action.key || null}
              error={error('value')}
              onChange={(value) => update({ key: value ?? '' })}
            />
            <TextInput
              aria-label={t('rules.value')}
              value={String(action.value ?? '')}
              onChange={(e) => update({ value: e.currentTarget.value })}
            />
          </Group>
        );
      case 'addNote':
      case 'email':
      case 'notify': {
        const text = action.type === 'notify' ? 'text' : 'body';
        return (
          <Stack style={{ flex: 1 }} gap={4}>
            {action.type !== 'addNote' && (
              <Select
                aria-label={t('rules.recipient')}
                data={(action.type === 'email'
                  ? (['requester', 'assignee', 'team', 'teamLeads'] as const)
                  : (['assignee', 'team', 'teamLeads'] as const)
                ).map((r) => ({ value: r, label: t(`rules.recipients.${r}`) }))}
                value={action.to}
                allowDeselect={false}
                onChange={(value) => update({ to: value })}
              />
            )}
            <Tabs defaultValue="de">
              <Tabs.List>
                <Tabs.Tab value="de">Deutsch</Tabs.Tab>
                <Tabs.Tab value="en">English</Tabs.Tab>
              </Tabs.List>
              {(['De', 'En'] as const).map((language) => (
                <Tabs.Panel key={language} value={language.toLowerCase()} pt={4}>
                  {action.type === 'email' && (
                    <TextInput
                      aria-label={t('rules.subject')}
                      placeholder={t('rules.subject')}
                      mb={4}
                      value={action[`subject${language}`]}
                      error={error(`subject${language}`)}
                      onChange={(e) => update({ [`subject${language}`]: e.currentTarget.value })}
                    />
                  )}
                  <Textarea
                    aria-label={t('rules.text')}
                    autosize
                    minRows={2}
                    value={(action as Record<string, unknown>)[`${text}${language}`] as string}
                    error={error(`${text}${language}`)}
                    onChange={(e) => update({ [`${text}${language}`]: e.currentTarget.value })}
                  />
                </Tabs.Panel>
              ))}
            </Tabs>
          </Stack>
        );
      }
    }
  };
  const fieldOf: Partial<Record<RuleAction['type'], string>> = {
    setStatus: 'status',
    setPriority: 'priority',
    setType: 'type',
    setTeam: 'team',
    setAssignee: 'assignee',
  };
  return (
    <Card withBorder padding="sm" data-testid="actions">
      <Text size="sm" fw={600} mb="xs">
        {t('rules.actions')}
      </Text>
      <Stack gap="xs">
        {actions.map((action, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: actions have no identity but their place
          <Group key={index} align="flex-start" gap="xs" wrap="nowrap" data-testid="action">
            <Select
              aria-label={t('rules.actionType')}
              w={190}
              data={ACTION_TYPES.map((type) => ({ value: type, label: t(`rules.actionTypes.${type}`) }))}
              value={action.type}
              allowDeselect={false}
              onChange={(value) =>
                onChange(
                  actions.map((a, i) =>
                    i === index ? newAction((value ?? 'addTags') as RuleAction['type']) : a,
                  ),
                )
              }
            />
            {valueField(fieldOf[action.type] ?? '', action, index)}
            <ActionIcon
              variant="subtle"
              color="red"
              mt={4}
              aria-label={t('common.delete')}
              onClick={() => onChange(actions.filter((_, i) => i !== index))}
            >
              <IconTrash size={16} />
            </ActionIcon>
          </Group>
        ))}
        {errors.actions && (
          <Text size="sm" c="red" data-testid="actions-error">
            {errors.actions}
          </Text>
        )}
        <Text size="xs" c="dimmed">
          {t('macroAdmin.placeholders')}{' '}
          {
            '{{customer.firstName}} {{customer.name}} {{ticket.number}} {{ticket.subject}} {{agent.name}} {{organization.name}}'
          }
        </Text>
        <Button
          size="xs"
          variant="subtle"
          leftSection={<IconPlus size={14} />}
          w="fit-content"
          onClick={() => onChange([...actions, newAction('addTags')])}
        >
          {t('rules.addAction')}
        </Button>
      </Stack>
    </Card>
  );
}

/** "Test this rule on ticket N": what holds, what would change, when it would be due. Writes nothing. */
function RuleTester({ kind, body }: { kind: Kind; body: () => object }) {
  const { t } = useTranslation();
  const [ticketNumber, setTicketNumber] = useState<number | ''>('');
  const [event, setEvent] = useState<TriggerEvent>('updated');
  const test = useMutation({
    mutationFn: () =>
      api.post<RuleTestResult>('/rules/test', {
        ...(body() as Record<string, unknown>),
        ticketNumber,
        ...(kind === 'trigger' ? { event } : {}),
      }),
    onError: (error) => notifyError(t, error),
  });
  const result = test.data;
  return (
    <Card withBorder padding="sm" bg="var(--mantine-color-gray-0)">
      <Group align="flex-end" gap="xs">
        <NumberInput
          label={t('rules.testOn')}
          placeholder="1042"
          min={1}
          w={140}
          value={ticketNumber}
          onChange={(value) => setTicketNumber(typeof value === 'number' ? value : '')}
        />
        {kind === 'trigger' && (
          <Select
            label={t('rules.asEvent')}
            w={200}
            data={EVENTS.map((e) => ({ value: e, label: t(`rules.events.${e}`) }))}
            value={event}
            allowDeselect={false}
            onChange={(value) => setEvent((value ?? 'updated') as TriggerEvent)}
          />
        )}
        <Button
          variant="light"
          disabled={ticketNumber === ''}
          loading={test.isPending}
          onClick={() => test.mutate()}
        >
          {t('rules.test')}
        </Button>
      </Group>
      {result && (
        <Stack gap={4} mt="sm" data-testid="rule-test-result">
          <Badge color={result.matches ? 'green' : 'gray'}>
            {result.matches
              ? t('rules.wouldFire', { number: result.ticket.number })
              : t('rules.wouldNotFire', { number: result.ticket.number })}
          </Badge>
          {result.conditions.map((c, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the result lists conditions in their order
            <Text key={index} size="xs" c={c.met ? 'green' : 'red'}>
              {c.met ? '✓' : '✗'} {t(`rules.${c.group}`)}: {c.condition.field}{' '}
              {t(`rules.operators.${c.condition.operator}`)} {c.condition.value.join(', ')} —{' '}
              {t('rules.actual')}: {JSON.stringify(c.actual)}
            </Text>
          ))}
          {result.changes.map((c) => (
            <Text key={c.field} size="xs">
              {c.field}: {JSON.stringify(c.from)} → {JSON.stringify(c.to)}
            </Text>
          ))}
          {result.effects.map((e) => (
            <Text key={e} size="xs">
              {e}
            </Text>
          ))}
          {result.due && (
            <Text size="xs">
              {t('rules.dueAt')}: {new Date(result.due).toLocaleString()}
            </Text>
          )}
        </Stack>
      )}
    </Card>
  );
}
