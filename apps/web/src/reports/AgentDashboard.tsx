import type { MetricName } from '@keepdesk/contract';
import { Card, SimpleGrid, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../components/PageHeader';
import { useMe } from '../session';
import { DrilldownDrawer } from './DrilldownDrawer';
import { type DrillTarget, type Query, useReports } from './data';
import { MetricWidget } from './MetricWidget';
import { presetRange, previousRange, todayIn } from './periods';
import { StatusCounts, useLiveQueue } from './QueueCards';
import { ReportsError } from './ReportsError';
import { ReportsNav } from './ReportsNav';

const MINE: { metric: MetricName; stat: 'median' | 'rate' | 'count' }[] = [
  { metric: 'first_response_time', stat: 'median' },
  { metric: 'resolution_time', stat: 'median' },
  { metric: 'csat', stat: 'rate' },
  { metric: 'tickets_solved', stat: 'count' },
];
const ME = 'agent:me';

/** An agent's own numbers: their open queue, and the last 30 days against the 30 before. */
export function AgentDashboard() {
  const { t } = useTranslation();
  const me = useMe();
  const timeZone = me.user.timeZone;
  const range = presetRange('last30', todayIn(timeZone));
  const previous = previousRange(range);
  const [drill, setDrill] = useState<DrillTarget | null>(null);
  const queue = useLiveQueue(ME);
  const current: Query[] = MINE.map(({ metric, stat }) => ({ metric, stat, ...range, filter: ME }));
  const before: Query[] = MINE.map(({ metric, stat }) => ({ metric, stat, ...previous, filter: ME }));
  const reports = useReports([...current, ...before]);
  const loading = reports.isPending && !reports.isError;
  return (
    <>
      <PageHeader title={t('reports.me.title')} text={t('reports.me.text')} />
      <ReportsNav />
      <Card withBorder padding="md" mb="md" data-testid="my-queue">
        <Title order={2} size="h4" mb="sm">
          {t('reports.me.queue')}
        </Title>
        <StatusCounts queue={queue.data} loading={queue.isPending} />
      </Card>
      {reports.isError && <ReportsError error={reports.error} onRetry={() => void reports.refetch()} />}
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        {MINE.map(({ metric }, i) => {
          const title = t(`reports.metric.${metric}`);
          return (
            <MetricWidget
              key={metric}
              title={title}
              report={reports.data?.[i]}
              previous={reports.data?.[MINE.length + i]}
              loading={loading}
              exportQueries={[current[i]!]}
              timeZone={timeZone}
              onDrill={({ period }) => setDrill({ metric, title, ...range, period, filter: ME })}
            />
          );
        })}
      </SimpleGrid>
      <DrilldownDrawer target={drill} onClose={() => setDrill(null)} />
    </>
  );
}
