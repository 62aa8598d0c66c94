import type { LiveQueue } from '@keepdesk/contract';
import { Badge, Card, Group, SimpleGrid, Skeleton, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, query } from '../api';
import { STATUS_COLOR } from '../tickets/format';

/** The open queue now (`GET /reports/live`), refreshed by live ticket changes and every 30 seconds. */
export function useLiveQueue(filter: string | undefined) {
  return useQuery({
    queryKey: ['reports', 'live', filter ?? ''],
    queryFn: () => api.get<LiveQueue>(`/reports/live${query({ filter })}`),
    refetchInterval: 30_000,
  });
}

function Stat({
  label,
  value,
  color,
  testId,
}: {
  label: string;
  value: number;
  color: string;
  testId?: string;
}) {
  return (
    <Card withBorder padding="sm" data-testid={testId} aria-label={`${label}: ${value}`}>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase">
        {label}
      </Text>
      <Group gap={6} align="baseline">
        <Text fz={26} fw={700} c={color}>
          {value}
        </Text>
      </Group>
    </Card>
  );
}

/** Open tickets by status, each a count with its status colour. */
export function StatusCounts({ queue, loading }: { queue: LiveQueue | undefined; loading: boolean }) {
  const { t } = useTranslation();
  if (loading || !queue) return <Skeleton h={72} />;
  if (queue.byStatus.length === 0) {
    return (
      <Text c="dimmed" size="sm">
        {t('reports.queue.empty')}
      </Text>
    );
  }
  return (
    <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm" data-testid="queue-by-status">
      {queue.byStatus.map((s) => (
        <Card
          key={s.status}
          withBorder
          padding="sm"
          aria-label={`${t(`status.${s.status}`, { defaultValue: s.status })}: ${s.count}`}
        >
          <Badge variant="light" color={STATUS_COLOR[s.category as keyof typeof STATUS_COLOR] ?? 'gray'}>
            {t(`status.${s.status}`, { defaultValue: s.status })}
          </Badge>
          <Text fz={26} fw={700}>
            {s.count}
          </Text>
        </Card>
      ))}
    </SimpleGrid>
  );
}

/** Open tickets by SLA risk, the escalated and the unassigned. */
export function SlaRisk({ queue, loading }: { queue: LiveQueue | undefined; loading: boolean }) {
  const { t } = useTranslation();
  if (loading || !queue) return <Skeleton h={72} />;
  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm" data-testid="queue-by-sla">
        <Stat label={t('reports.sla.breached')} value={queue.bySla.breached} color="red" />
        <Stat label={t('reports.sla.dueSoon')} value={queue.bySla.dueSoon} color="orange" />
        <Stat label={t('reports.sla.ok')} value={queue.bySla.ok} color="teal" />
        <Stat label={t('reports.sla.none')} value={queue.bySla.none} color="gray" />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
        <Stat
          label={t('reports.queue.escalated')}
          value={queue.escalated}
          color="red"
          testId="queue-escalated"
        />
        <Stat label={t('reports.queue.unassigned')} value={queue.unassigned} color="blue" />
      </SimpleGrid>
    </Stack>
  );
}
