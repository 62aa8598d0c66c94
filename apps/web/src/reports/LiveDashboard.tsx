import type { AgentRoutingList, MetricName, TeamPage } from '@keepdesk/contract';
import {
  Badge,
  Box,
  Card,
  Group,
  Progress,
  Select,
  SimpleGrid,
  Skeleton,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { IconChartBar, IconUsers } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { EmptyState } from '../components/EmptyState';
import { PageHeader } from '../components/PageHeader';
import { can, useMe } from '../session';
import { DrilldownDrawer } from './DrilldownDrawer';
import { type DrillTarget, useReports } from './data';
import { formatValue } from './format';
import { todayIn } from './periods';
import { SlaRisk, StatusCounts, useLiveQueue } from './QueueCards';
import { ReportsNav } from './ReportsNav';
import { TargetsCard } from './TargetsCard';

const TODAY: { metric: MetricName; stat: 'count' | 'median' }[] = [
  { metric: 'tickets_created', stat: 'count' },
  { metric: 'tickets_solved', stat: 'count' },
  { metric: 'first_response_time', stat: 'median' },
];
const PRESENCE_COLOR = { online: 'teal', away: 'yellow', offline: 'gray' } as const;
const REFRESH_MS = 30_000;

/** Agents with their presence and load (open tickets against capacity), busiest online agents first. */
function AgentsLoad() {
  const { t } = useTranslation();
  const agents = useQuery({
    queryKey: ['reports', 'live', 'agents'],
    queryFn: () => api.get<AgentRoutingList>('/routing/agents'),
    refetchInterval: REFRESH_MS,
  });
  if (agents.isPending) return <Skeleton h={120} />;
  const items = [...(agents.data?.items ?? [])].sort(
    (a, b) => Number(b.presence === 'online') - Number(a.presence === 'online') || b.load - a.load,
  );
  if (items.length === 0) {
    return (
      <EmptyState
        icon={<IconUsers size={24} />}
        title={t('reports.agents.emptyTitle')}
        text={t('reports.agents.emptyText')}
      />
    );
  }
  const online = items.filter((a) => a.presence === 'online').length;
  return (
    <>
      <Text size="sm" c="dimmed" mb="xs">
        {t('reports.agents.online', { count: online })}
      </Text>
      <Table data-testid="agents-load">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('reports.agents.name')}</Table.Th>
            <Table.Th>{t('reports.agents.presence')}</Table.Th>
            <Table.Th>{t('reports.agents.load')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((agent) => {
            const share = agent.capacity > 0 ? Math.min(100, (100 * agent.load) / agent.capacity) : 0;
            return (
              <Table.Tr key={agent.user.id}>
                <Table.Td>{agent.user.name}</Table.Td>
                <Table.Td>
                  <Badge variant="light" color={PRESENCE_COLOR[agent.presence]}>
                    {t(`reports.agents.state.${agent.presence}`)}
                  </Badge>
                </Table.Td>
                <Table.Td miw={180}>
                  <Group gap="xs" wrap="nowrap">
                    <Progress
                      value={share}
                      color={share >= 100 ? 'red' : share >= 80 ? 'orange' : 'blue'}
                      w={100}
                      aria-label={t('reports.agents.loadAria', {
                        load: agent.load,
                        capacity: agent.capacity,
                      })}
                    />
                    <Text size="sm">
                      {agent.load} / {agent.capacity}
                    </Text>
                  </Group>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </>
  );
}

/** The team lead's live view: the queue by status and SLA risk, agents and their load, and today's numbers. */
export function LiveDashboard() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const [team, setTeam] = useState<string | null>(null);
  const [drill, setDrill] = useState<DrillTarget | null>(null);
  const teams = useQuery({ queryKey: ['teams'], queryFn: () => api.get<TeamPage>('/teams?limit=200') });
  const filter = team ? `team:${team}` : undefined;
  const queue = useLiveQueue(filter);
  const today = todayIn(me.user.timeZone);
  const numbers = useReports(
    TODAY.map(({ metric, stat }) => ({ metric, stat, from: today, to: today, filter })),
    { refetchInterval: REFRESH_MS },
  );
  if (!can(me, 'reports:read')) {
    return (
      <EmptyState
        icon={<IconChartBar size={24} />}
        title={t('reports.forbidden.title')}
        text={t('reports.forbidden.text')}
      />
    );
  }
  return (
    <>
      <PageHeader
        title={t('reports.live.title')}
        text={t('reports.live.text')}
        action={
          <Select
            aria-label={t('reports.filter.team')}
            placeholder={t('reports.filter.allTeams')}
            value={team}
            onChange={setTeam}
            clearable
            data={(teams.data?.items ?? []).map((tm) => ({ value: tm.id, label: tm.name }))}
            w={220}
          />
        }
      />
      <ReportsNav />
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md" mb="md">
        {TODAY.map(({ metric }, i) => {
          const report = numbers.data?.[i];
          const title = t(`reports.live.today.${metric}`);
          const value = report ? formatValue(report.total.value, report.unit, i18n.language) : '';
          return (
            <Card
              key={metric}
              withBorder
              padding="md"
              component="button"
              type="button"
              style={{ textAlign: 'left', cursor: 'pointer' }}
              aria-label={t('reports.widget.drill', { metric: title, value })}
              onClick={() => setDrill({ metric, title, from: today, to: today, filter })}
            >
              <Text size="sm" fw={600} c="dimmed">
                {title}
              </Text>
              {report ? (
                <Text fz={28} fw={700}>
                  {value}
                </Text>
              ) : (
                <Skeleton h={32} w="50%" mt={4} />
              )}
            </Card>
          );
        })}
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <Card withBorder padding="md">
          <Title order={2} size="h4" mb="sm">
            {t('reports.live.byStatus')}
          </Title>
          <StatusCounts queue={queue.data} loading={queue.isPending} />
          <Title order={2} size="h4" my="sm">
            {t('reports.live.bySla')}
          </Title>
          <SlaRisk queue={queue.data} loading={queue.isPending} />
          {queue.data && (
            <Text size="xs" c="dimmed" mt="sm">
              {t('reports.live.updated', {
                at: new Intl.DateTimeFormat(i18n.language, { timeStyle: 'medium' }).format(
                  new Date(queue.data.at),
                ),
              })}
            </Text>
          )}
        </Card>
        <Card withBorder padding="md">
          <Title order={2} size="h4" mb="sm">
            {t('reports.agents.title')}
          </Title>
          <AgentsLoad />
        </Card>
      </SimpleGrid>
      <Box mt="md">
        <TargetsCard scope={filter} manageLink={can(me, 'reports:manage')} />
      </Box>
      <DrilldownDrawer target={drill} onClose={() => setDrill(null)} />
    </>
  );
}
