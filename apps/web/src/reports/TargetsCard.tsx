import type { ReportTarget, ReportTargetList, ReportTargetStatus } from '@keepdesk/contract';
import { Anchor, Badge, Card, Group, Progress, Stack, Text, Title } from '@mantine/core';
import { IconTarget } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { api, query } from '../api';
import { EmptyState } from '../components/EmptyState';
import { formatValue } from './format';

/** Status colours: good green, close yellow, bad red, unknown grey. */
const TARGET_STATUS_COLOR: Record<ReportTargetStatus, string> = {
  on_track: 'teal',
  met: 'green',
  at_risk: 'yellow',
  off_track: 'red',
  missed: 'red',
  no_data: 'gray',
};

/** "≥ 90 %", "≤ 1 h" — the target's condition in its unit. */
export function targetCondition(target: ReportTarget, language: string): string {
  const sign = target.comparison === 'at_least' ? '≥' : '≤';
  return `${sign} ${formatValue(target.threshold, target.unit, language)}`;
}

export function TargetStatusBadge({ status, t }: { status: ReportTargetStatus; t: TFunction }) {
  return (
    <Badge color={TARGET_STATUS_COLOR[status]} variant="light" data-testid="target-status">
      {t(`targets.status.${status}`)}
    </Badge>
  );
}

/**
 * The active reporting targets (optionally of one scope, `team:<id>`…) with their progress in the current period:
 * value against the threshold, the forecast for the period's end and the status. `manageLink` (default on)
 * links to the settings page, which shows the card itself without it.
 */
export function TargetsCard({ scope, manageLink = true }: { scope?: string; manageLink?: boolean }) {
  const { t, i18n } = useTranslation();
  const targets = useQuery({
    queryKey: ['report-targets', scope ?? null],
    queryFn: () => api.get<ReportTargetList>(`/reports/targets${query({ scope })}`),
  });
  const items = (targets.data?.items ?? []).filter((target) => target.active);
  return (
    <Card withBorder>
      <Group justify="space-between" mb="sm">
        <Title order={3} size="h4">
          {t('targets.cardTitle')}
        </Title>
        {manageLink && (
          <Anchor component={Link} to="/settings/targets" size="sm">
            {t('targets.manage')}
          </Anchor>
        )}
      </Group>
      {targets.isError && (
        <Text c="dimmed" size="sm">
          {t('targets.loadFailed')}
        </Text>
      )}
      {targets.isSuccess && items.length === 0 && (
        <Stack align="center" gap={0}>
          <EmptyState
            icon={<IconTarget size={24} />}
            title={t('targets.cardEmptyTitle')}
            text={t('targets.cardEmptyText')}
          />
          <Anchor component={Link} to="/settings/targets" size="sm">
            {t('targets.cardEmptyLink')}
          </Anchor>
        </Stack>
      )}
      <Stack gap="md">
        {items.map((target) => (
          <TargetRow key={target.id} target={target} language={i18n.language} t={t} />
        ))}
      </Stack>
    </Card>
  );
}

function TargetRow({ target, language, t }: { target: ReportTarget; language: string; t: TFunction }) {
  const { progress } = target;
  const value = formatValue(progress.value, target.unit, language);
  const filled = progress.ratio === null ? 0 : Math.min(100, Math.max(0, progress.ratio * 100));
  return (
    <Stack gap={4} data-testid="target-row">
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Stack gap={0} style={{ minWidth: 0 }}>
          <Text fw={600} truncate>
            {target.name}
          </Text>
          <Text size="xs" c="dimmed">
            {t(`targets.metric.${target.metric}`)} · {target.scopeLabel ?? t('targets.scopeKind.workspace')} ·{' '}
            {progress.period}
          </Text>
        </Stack>
        <TargetStatusBadge status={progress.status} t={t} />
      </Group>
      <Progress
        value={filled}
        color={TARGET_STATUS_COLOR[progress.status]}
        size="md"
        aria-label={t('targets.progressLabel', { name: target.name })}
      />
      <Group justify="space-between" gap="xs">
        <Text size="sm">
          {t('targets.valueAgainst', { value, condition: targetCondition(target, language) })}
        </Text>
        <Text size="sm" c="dimmed">
          {t('targets.forecast', { value: formatValue(progress.forecast, target.unit, language) })}
        </Text>
      </Group>
    </Stack>
  );
}
