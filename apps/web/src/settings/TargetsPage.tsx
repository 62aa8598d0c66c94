import type {
  CreateReportTargetBody,
  MetricCatalogue,
  MetricName,
  ReportStat,
  ReportTarget,
  ReportTargetList,
  TeamPage,
} from '@keepdesk/contract';
import { CHANNELS, reportUnit } from '@keepdesk/contract';
import {
  Badge,
  Button,
  Card,
  Group,
  Modal,
  NumberInput,
  SegmentedControl,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { IconPlus, IconTarget } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { EmptyState } from '../components/EmptyState';
import { fieldErrors, notifyError, notifySaved, notifyUnlessFieldErrors } from '../components/feedback';
import { PageHeader } from '../components/PageHeader';
import { TargetStatusBadge, TargetsCard, targetCondition } from '../reports/TargetsCard';
import { useColleagues } from '../tickets/colleagues';

type ScopeKind = 'workspace' | 'team' | 'agent' | 'channel';

/** Reporting targets: a metric held against a threshold every week, month or quarter, with off-track alerts. */
export function TargetsPage() {
  const { t, i18n } = useTranslation();
  const [editing, setEditing] = useState<ReportTarget | 'new' | null>(null);
  const targets = useQuery({
    queryKey: ['report-targets', null],
    queryFn: () => api.get<ReportTargetList>('/reports/targets'),
  });
  const items = targets.data?.items ?? [];
  return (
    <>
      <PageHeader
        title={t('targets.title')}
        text={t('targets.text')}
        action={
          <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
            {t('targets.add')}
          </Button>
        }
      />
      <Card withBorder padding={0}>
        {targets.isSuccess && items.length === 0 ? (
          <EmptyState
            icon={<IconTarget size={24} />}
            title={t('targets.emptyTitle')}
            text={t('targets.emptyText')}
          />
        ) : (
          <Table verticalSpacing="sm" highlightOnHover aria-label={t('targets.title')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('targets.name')}</Table.Th>
                <Table.Th>{t('targets.condition')}</Table.Th>
                <Table.Th>{t('targets.scope')}</Table.Th>
                <Table.Th>{t('targets.owner')}</Table.Th>
                <Table.Th>{t('targets.statusLabel')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((target) => (
                <Table.Tr key={target.id} data-testid="target">
                  <Table.Td>
                    <Text fw={600}>{target.name}</Text>
                    <Text size="xs" c="dimmed">
                      {t(`targets.metric.${target.metric}`)} · {t(`targets.stat.${target.stat}`)} ·{' '}
                      {t(`targets.period.${target.period}`)}
                    </Text>
                  </Table.Td>
                  <Table.Td>{targetCondition(target, i18n.language)}</Table.Td>
                  <Table.Td>{target.scopeLabel ?? t('targets.scopeKind.workspace')}</Table.Td>
                  <Table.Td>{target.owner.name}</Table.Td>
                  <Table.Td>
                    {target.active ? (
                      <TargetStatusBadge status={target.progress.status} t={t} />
                    ) : (
                      <Badge color="gray" variant="outline">
                        {t('targets.inactive')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Button size="xs" variant="light" onClick={() => setEditing(target)}>
                      {t('common.edit')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
      {items.some((target) => target.active) && (
        <Stack mt="lg">
          <TargetsCard manageLink={false} />
        </Stack>
      )}
      {editing && (
        <TargetModal target={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />
      )}
    </>
  );
}

function scopeParts(scope: string | null): { kind: ScopeKind; value: string | null } {
  if (!scope) return { kind: 'workspace', value: null };
  const colon = scope.indexOf(':');
  return { kind: scope.slice(0, colon) as ScopeKind, value: scope.slice(colon + 1) };
}

function TargetModal({ target, onClose }: { target: ReportTarget | null; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const catalogue = useQuery({
    queryKey: ['report-catalogue'],
    queryFn: () => api.get<MetricCatalogue>('/reports/catalogue'),
  });
  const teams = useQuery({ queryKey: ['teams'], queryFn: () => api.get<TeamPage>('/teams?limit=200') });
  const colleagues = useColleagues();
  const initialScope = scopeParts(target?.scope ?? null);
  const [form, setForm] = useState({
    name: target?.name ?? '',
    metric: (target?.metric ?? 'csat') as MetricName,
    stat: (target?.stat ?? 'rate') as ReportStat,
    comparison: target?.comparison ?? ('at_least' as const),
    threshold: target?.threshold ?? 90,
    scopeKind: initialScope.kind,
    scopeValue: initialScope.value,
    period: target?.period ?? ('month' as const),
    ownerId: target?.owner.id ?? null,
    active: target?.active ?? true,
  });
  const metrics = catalogue.data?.metrics ?? [];
  const definition = metrics.find((m) => m.name === form.metric);
  const unit = definition ? reportUnit(form.metric, definition.kind, form.stat as ReportStat) : 'number';
  const save = useMutation({
    mutationFn: () => {
      const body: CreateReportTargetBody = {
        name: form.name,
        metric: form.metric,
        stat: form.stat,
        comparison: form.comparison,
        threshold: form.threshold,
        scope: form.scopeKind === 'workspace' ? null : `${form.scopeKind}:${form.scopeValue ?? ''}`,
        period: form.period,
        active: form.active,
        ...(form.ownerId ? { ownerId: form.ownerId } : {}),
      };
      return target
        ? api.patch<ReportTarget>(`/reports/targets/${target.id}`, body)
        : api.post<ReportTarget>('/reports/targets', body);
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['report-targets'] });
      notifySaved(t);
      onClose();
    },
    onError: (error) => notifyUnlessFieldErrors(t, error),
  });
  const remove = useMutation({
    mutationFn: () => api.delete(`/reports/targets/${target!.id}`),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['report-targets'] });
      onClose();
    },
    onError: (error) => notifyError(t, error),
  });
  const errors = fieldErrors(save.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const scopeOptions =
    form.scopeKind === 'team'
      ? (teams.data?.items ?? []).map((team) => ({ value: team.id, label: team.name }))
      : form.scopeKind === 'agent'
        ? colleagues.map((user) => ({ value: user.id, label: user.name }))
        : CHANNELS.map((channel) => ({ value: channel, label: t(`channel.${channel}`) }));
  return (
    <Modal opened onClose={onClose} title={target ? t('targets.edit') : t('targets.add')} size="lg">
      <form onSubmit={submit}>
        <Stack>
          <TextInput
            label={t('targets.name')}
            placeholder={t('targets.namePlaceholder')}
            required
            value={form.name}
            error={errors.name}
            onChange={(e) => setForm({ ...form, name: e.currentTarget.value })}
          />
          <Group grow align="flex-start">
            <Select
              label={t('targets.metricLabel')}
              searchable
              data={metrics.map((m) => ({ value: m.name, label: t(`targets.metric.${m.name}`) }))}
              value={form.metric}
              error={errors.metric}
              onChange={(value) => {
                const next = metrics.find((m) => m.name === value);
                if (next) setForm({ ...form, metric: next.name, stat: next.defaultStat });
              }}
            />
            <Select
              label={t('targets.statLabel')}
              data={(definition?.stats ?? [form.stat]).map((s) => ({
                value: s,
                label: t(`targets.stat.${s}`),
              }))}
              value={form.stat}
              error={errors.stat}
              onChange={(value) => value && setForm({ ...form, stat: value as ReportStat })}
            />
          </Group>
          <Group grow align="flex-end">
            <SegmentedControl
              value={form.comparison}
              onChange={(value) => setForm({ ...form, comparison: value as 'at_least' | 'at_most' })}
              data={[
                { value: 'at_least', label: t('targets.comparison.at_least') },
                { value: 'at_most', label: t('targets.comparison.at_most') },
              ]}
            />
            <NumberInput
              label={t('targets.threshold')}
              decimalScale={2}
              value={form.threshold}
              error={errors.threshold}
              rightSection={
                unit === 'number' ? undefined : (
                  <Text size="xs" c="dimmed" pr={6}>
                    {t(`targets.unit.${unit}`)}
                  </Text>
                )
              }
              rightSectionWidth={80}
              onChange={(value) => setForm({ ...form, threshold: Number(value) || 0 })}
            />
          </Group>
          <Group grow align="flex-start">
            <Select
              label={t('targets.scope')}
              data={(['workspace', 'team', 'agent', 'channel'] as const).map((kind) => ({
                value: kind,
                label: t(`targets.scopeKind.${kind}`),
              }))}
              value={form.scopeKind}
              onChange={(value) =>
                value && setForm({ ...form, scopeKind: value as ScopeKind, scopeValue: null })
              }
            />
            {form.scopeKind !== 'workspace' && (
              <Select
                label={t(`targets.scopeKind.${form.scopeKind}`)}
                searchable
                required
                data={scopeOptions}
                value={form.scopeValue}
                error={errors.scope}
                onChange={(value) => setForm({ ...form, scopeValue: value })}
              />
            )}
          </Group>
          <Group grow align="flex-start">
            <Select
              label={t('targets.periodLabel')}
              data={(['week', 'month', 'quarter'] as const).map((p) => ({
                value: p,
                label: t(`targets.period.${p}`),
              }))}
              value={form.period}
              error={errors.period}
              onChange={(value) =>
                value && setForm({ ...form, period: value as 'week' | 'month' | 'quarter' })
              }
            />
            <Select
              label={t('targets.owner')}
              description={t('targets.ownerHelp')}
              searchable
              clearable
              placeholder={t('targets.ownerMe')}
              data={colleagues.map((user) => ({ value: user.id, label: user.name }))}
              value={form.ownerId}
              error={errors.ownerId}
              onChange={(value) => setForm({ ...form, ownerId: value })}
            />
          </Group>
          <Switch
            label={t('targets.activeLabel')}
            checked={form.active}
            onChange={(e) => setForm({ ...form, active: e.currentTarget.checked })}
          />
          <Group justify="space-between">
            {target ? (
              <Button color="red" variant="subtle" loading={remove.isPending} onClick={() => remove.mutate()}>
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
