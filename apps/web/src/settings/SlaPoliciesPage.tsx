import type {
  BusinessCalendarList,
  OrganizationPage,
  SlaPolicy,
  SlaPolicyList,
  SlaTargets,
  TeamPage,
} from '@keepdesk/contract';
import {
  ActionIcon,
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
  TagsInput,
  Text,
  TextInput,
} from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconClockHour4, IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, query } from '../api';
import { ChangeLogCard } from '../components/ChangeLogCard';
import { CustomerConditions, completeCustomerConditions } from '../components/CustomerConditions';
import { EmptyState } from '../components/EmptyState';
import { fieldErrors, notifyError, notifySaved, notifyUnlessFieldErrors } from '../components/feedback';
import { PageHeader } from '../components/PageHeader';

const PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const;
const METRICS = ['firstResponse', 'nextResponse', 'resolution'] as const;
const CHANNELS = ['email', 'web', 'phone', 'api', 'agent', 'social', 'review'] as const;

/** "90 min" → "1 h 30 min": targets read the way managers think of them. */
function duration(
  minutes: number | undefined,
  t: (key: string, o?: Record<string, unknown>) => string,
): string {
  if (!minutes) return '—';
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return [h ? t('slaPolicies.hours', { count: h }) : '', m ? t('slaPolicies.minutes', { count: m }) : '']
    .filter(Boolean)
    .join(' ');
}

/** SLA policies in the order they are tried, with their targets per priority. */
export function SlaPoliciesPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<SlaPolicy | 'new' | null>(null);
  const policies = useQuery({
    queryKey: ['sla-policies'],
    queryFn: () => api.get<SlaPolicyList>('/sla-policies'),
  });
  const items = policies.data?.items ?? [];
  const move = useMutation({
    mutationFn: ({ index, by }: { index: number; by: number }) => {
      const ids = items.map((p) => p.id);
      const [moved] = ids.splice(index, 1);
      ids.splice(index + by, 0, moved!);
      return api.put<SlaPolicyList>('/sla-policies/order', { ids });
    },
    onSuccess: (next) => queryClient.setQueryData(['sla-policies'], next),
    onError: (error) => notifyError(t, error),
  });
  return (
    <>
      <PageHeader
        title={t('slaPolicies.title')}
        text={t('slaPolicies.text')}
        action={
          <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
            {t('slaPolicies.add')}
          </Button>
        }
      />
      <Card withBorder padding={0}>
        {policies.isSuccess && items.length === 0 ? (
          <EmptyState
            icon={<IconClockHour4 size={24} />}
            title={t('slaPolicies.emptyTitle')}
            text={t('slaPolicies.emptyText')}
          />
        ) : (
          <Table verticalSpacing="sm" aria-label={t('slaPolicies.title')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={70} />
                <Table.Th>{t('slaPolicies.name')}</Table.Th>
                {PRIORITIES.map((priority) => (
                  <Table.Th key={priority}>{t(`priority.${priority}`)}</Table.Th>
                ))}
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((policy, index) => (
                <Table.Tr key={policy.id} data-testid="sla-policy">
                  <Table.Td>
                    <Group gap={2} wrap="nowrap">
                      <ActionIcon
                        size="sm"
                        variant="subtle"
                        disabled={index === 0}
                        aria-label={t('slaPolicies.up')}
                        onClick={() => move.mutate({ index, by: -1 })}
                      >
                        <IconArrowUp size={14} />
                      </ActionIcon>
                      <ActionIcon
                        size="sm"
                        variant="subtle"
                        disabled={index === items.length - 1}
                        aria-label={t('slaPolicies.down')}
                        onClick={() => move.mutate({ index, by: 1 })}
                      >
                        <IconArrowDown size={14} />
                      </ActionIcon>
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={6}>
                      <Text fw={600}>{policy.name}</Text>
                      {!policy.active && <Badge color="gray">{t('slaPolicies.inactive')}</Badge>}
                    </Group>
                    <Text size="xs" c="dimmed">
                      {policy.businessTime ? t('slaPolicies.businessTime') : t('slaPolicies.calendarTime')}
                    </Text>
                  </Table.Td>
                  {PRIORITIES.map((priority) => (
                    <Table.Td key={priority}>
                      <Text size="xs">
                        {METRICS.filter((m) => policy.targets[priority][m])
                          .map(
                            (m) =>
                              `${t(`slaPolicies.metricShort.${m}`)} ${duration(policy.targets[priority][m], t)}`,
                          )
                          .join(' · ') || '—'}
                      </Text>
                    </Table.Td>
                  ))}
                  <Table.Td>
                    <Button size="xs" variant="light" onClick={() => setEditing(policy)}>
                      {t('common.edit')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
      <ChangeLogCard entityType="sla_policy" nameOf={(id) => items.find((p) => p.id === id)?.name} />
      {editing && (
        <PolicyModal policy={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />
      )}
    </>
  );
}

type Targets = Record<(typeof PRIORITIES)[number], SlaTargets>;

function PolicyModal({ policy, onClose }: { policy: SlaPolicy | null; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [form, setForm] = useState({
    name: policy?.name ?? '',
    active: policy?.active ?? true,
    priority: policy?.conditions.priority ?? [],
    channel: policy?.conditions.channel ?? [],
    team: (policy?.conditions.team ?? []).filter((id) => id !== 'mine' && id !== 'none'),
    tagsAny: policy?.conditions.tagsAny ?? [],
    organizationId: policy?.conditions.organizationId ?? [],
    customer: policy?.conditions.customer ?? [],
    targets: (policy?.targets ?? { urgent: {}, high: {}, normal: {}, low: {} }) as Targets,
    businessTime: policy?.businessTime ?? true,
    calendarId: policy?.calendarId ?? null,
    pauseOn: policy?.pauseOn ?? ['pending', 'on_hold'],
    atRiskPercent: policy?.atRiskPercent ?? 75,
    escalation: policy?.escalation ?? {
      atRisk: { notify: ['assignee'] as ('assignee' | 'team_lead')[] },
      breach: {
        notify: ['assignee', 'team_lead'] as ('assignee' | 'team_lead')[],
        reassignToLead: false,
        escalationTeamId: null as string | null,
        raisePriority: false,
      },
    },
  });
  const teams = useQuery({
    queryKey: ['teams'],
    queryFn: () => api.get<TeamPage>(`/teams${query({ limit: 200 })}`),
  });
  const calendars = useQuery({
    queryKey: ['calendars'],
    queryFn: () => api.get<BusinessCalendarList>('/calendars'),
  });
  const organizations = useQuery({
    queryKey: ['organizations', 'all'],
    queryFn: () => api.get<OrganizationPage>(`/organizations${query({ limit: 200 })}`),
  });
  const save = useMutation({
    mutationFn: () => {
      // Conditions this form does not show (set through the API) stay as they are.
      const edited = ['priority', 'channel', 'team', 'tagsAny', 'organizationId', 'customer'] as const;
      const kept = Object.fromEntries(
        Object.entries(policy?.conditions ?? {}).filter(
          ([key]) => !(edited as readonly string[]).includes(key),
        ),
      );
      const chosen = { ...form, customer: completeCustomerConditions(form.customer) };
      const conditions = {
        ...kept,
        ...Object.fromEntries(
          edited.filter((key) => chosen[key].length > 0).map((key) => [key, chosen[key]]),
        ),
      };
      const body = {
        name: form.name,
        active: form.active,
        conditions,
        targets: form.targets,
        businessTime: form.businessTime,
        calendarId: form.calendarId,
        pauseOn: form.pauseOn,
        atRiskPercent: form.atRiskPercent,
        escalation: form.escalation,
      };
      return policy
        ? api.patch<SlaPolicy>(`/sla-policies/${policy.id}`, body)
        : api.post<SlaPolicy>('/sla-policies', body);
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['sla-policies'] });
      notifySaved(t);
      onClose();
    },
    onError: (error) => notifyUnlessFieldErrors(t, error),
  });
  const errors = fieldErrors(save.error);
  const setTarget = (
    priority: (typeof PRIORITIES)[number],
    metric: (typeof METRICS)[number],
    minutes: number | undefined,
  ) =>
    setForm({
      ...form,
      targets: { ...form.targets, [priority]: { ...form.targets[priority], [metric]: minutes } },
    });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <Modal opened onClose={onClose} title={policy ? t('slaPolicies.edit') : t('slaPolicies.add')} size="xl">
      <form onSubmit={submit}>
        <Stack>
          <Group grow align="flex-start">
            <TextInput
              label={t('slaPolicies.name')}
              required
              value={form.name}
              error={errors.name}
              onChange={(e) => setForm({ ...form, name: e.currentTarget.value })}
            />
            <Switch
              mt={30}
              label={t('slaPolicies.active')}
              checked={form.active}
              onChange={(e) => setForm({ ...form, active: e.currentTarget.checked })}
            />
          </Group>
          <Text size="sm" fw={500}>
            {t('slaPolicies.appliesTo')}
          </Text>
          <Group grow align="flex-start">
            <MultiSelect
              label={t('tickets.priority')}
              placeholder={t('slaPolicies.any')}
              data={PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }))}
              value={form.priority}
              onChange={(value) => setForm({ ...form, priority: value as typeof form.priority })}
            />
            <MultiSelect
              label={t('slaPolicies.channel')}
              placeholder={t('slaPolicies.any')}
              data={CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`, { defaultValue: c }) }))}
              value={form.channel}
              onChange={(value) => setForm({ ...form, channel: value as typeof form.channel })}
            />
          </Group>
          <Group grow align="flex-start">
            <MultiSelect
              label={t('tickets.team')}
              placeholder={t('slaPolicies.any')}
              data={(teams.data?.items ?? []).map((team) => ({ value: team.id, label: team.name }))}
              value={form.team}
              error={errors['conditions.team']}
              onChange={(value) => setForm({ ...form, team: value })}
            />
            <TagsInput
              label={t('slaPolicies.tags')}
              placeholder={t('slaPolicies.any')}
              value={form.tagsAny}
              onChange={(value) => setForm({ ...form, tagsAny: value })}
            />
          </Group>
          <MultiSelect
            label={t('viewEditor.organization')}
            placeholder={t('slaPolicies.any')}
            searchable
            data={(organizations.data?.items ?? []).map((o) => ({ value: o.id, label: o.name }))}
            value={form.organizationId}
            onChange={(value) => setForm({ ...form, organizationId: value })}
          />
          <CustomerConditions value={form.customer} onChange={(customer) => setForm({ ...form, customer })} />
          <Text size="sm" fw={500}>
            {t('slaPolicies.targets')}
          </Text>
          {errors.targets && (
            <Text size="xs" c="red">
              {errors.targets}
            </Text>
          )}
          <Table aria-label={t('slaPolicies.targets')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th />
                {METRICS.map((metric) => (
                  <Table.Th key={metric}>{t(`slaPolicies.metric.${metric}`)}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {PRIORITIES.map((priority) => (
                <Table.Tr key={priority}>
                  <Table.Td>{t(`priority.${priority}`)}</Table.Td>
                  {METRICS.map((metric) => (
                    <Table.Td key={metric}>
                      <NumberInput
                        size="xs"
                        min={0}
                        suffix=" min"
                        aria-label={`${t(`priority.${priority}`)} ${t(`slaPolicies.metric.${metric}`)}`}
                        value={form.targets[priority][metric] ?? ''}
                        error={errors[`targets.${priority}.${metric}`]}
                        onChange={(value) =>
                          setTarget(priority, metric, typeof value === 'number' ? value : undefined)
                        }
                      />
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Group grow align="flex-start">
            <Switch
              label={t('slaPolicies.businessTime')}
              description={t('slaPolicies.businessTimeHint')}
              checked={form.businessTime}
              onChange={(e) => setForm({ ...form, businessTime: e.currentTarget.checked })}
            />
            <Select
              label={t('slaPolicies.calendar')}
              placeholder={t('slaPolicies.defaultCalendar')}
              clearable
              disabled={!form.businessTime}
              data={(calendars.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
              value={form.calendarId}
              error={errors.calendarId}
              onChange={(value) => setForm({ ...form, calendarId: value })}
            />
          </Group>
          <Group grow align="flex-start">
            <Checkbox.Group
              label={t('slaPolicies.pauseOn')}
              value={form.pauseOn}
              onChange={(value) => setForm({ ...form, pauseOn: value as typeof form.pauseOn })}
            >
              <Group mt={6}>
                <Checkbox value="pending" label={t('status.pending')} />
                <Checkbox value="on_hold" label={t('status.on_hold')} />
              </Group>
            </Checkbox.Group>
            <NumberInput
              label={t('slaPolicies.atRisk')}
              min={1}
              max={99}
              suffix=" %"
              value={form.atRiskPercent}
              error={errors.atRiskPercent}
              onChange={(value) => typeof value === 'number' && setForm({ ...form, atRiskPercent: value })}
            />
          </Group>
          <Text size="sm" fw={500}>
            {t('slaPolicies.escalation')}
          </Text>
          <Group grow align="flex-start">
            <Checkbox.Group
              label={t('slaPolicies.atRiskNotify')}
              value={form.escalation.atRisk.notify}
              onChange={(value) =>
                setForm({
                  ...form,
                  escalation: {
                    ...form.escalation,
                    atRisk: { notify: value as ('assignee' | 'team_lead')[] },
                  },
                })
              }
            >
              <Group mt={6}>
                <Checkbox value="assignee" label={t('slaPolicies.assignee')} />
                <Checkbox value="team_lead" label={t('slaPolicies.teamLead')} />
              </Group>
            </Checkbox.Group>
            <Checkbox.Group
              label={t('slaPolicies.breachNotify')}
              value={form.escalation.breach.notify}
              onChange={(value) =>
                setForm({
                  ...form,
                  escalation: {
                    ...form.escalation,
                    breach: { ...form.escalation.breach, notify: value as ('assignee' | 'team_lead')[] },
                  },
                })
              }
            >
              <Group mt={6}>
                <Checkbox value="assignee" label={t('slaPolicies.assignee')} />
                <Checkbox value="team_lead" label={t('slaPolicies.teamLead')} />
              </Group>
            </Checkbox.Group>
          </Group>
          <Group grow align="flex-start">
            <Stack gap="xs">
              <Switch
                label={t('slaPolicies.reassignToLead')}
                checked={form.escalation.breach.reassignToLead}
                onChange={(e) =>
                  setForm({
                    ...form,
                    escalation: {
                      ...form.escalation,
                      breach: { ...form.escalation.breach, reassignToLead: e.currentTarget.checked },
                    },
                  })
                }
              />
              <Switch
                label={t('slaPolicies.raisePriority')}
                checked={form.escalation.breach.raisePriority}
                onChange={(e) =>
                  setForm({
                    ...form,
                    escalation: {
                      ...form.escalation,
                      breach: { ...form.escalation.breach, raisePriority: e.currentTarget.checked },
                    },
                  })
                }
              />
            </Stack>
            <Select
              label={t('slaPolicies.escalationTeam')}
              placeholder={t('slaPolicies.noEscalationTeam')}
              clearable
              data={(teams.data?.items ?? []).map((team) => ({ value: team.id, label: team.name }))}
              value={form.escalation.breach.escalationTeamId}
              error={errors['escalation.breach.escalationTeamId']}
              onChange={(value) =>
                setForm({
                  ...form,
                  escalation: {
                    ...form.escalation,
                    breach: { ...form.escalation.breach, escalationTeamId: value },
                  },
                })
              }
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
