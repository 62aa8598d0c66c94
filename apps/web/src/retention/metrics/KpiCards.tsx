import type { RetentionMetrics } from '@keepdesk/contract';
import { Card, Group, SimpleGrid, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatMoney } from '../format';
import { formatChange, formatPoints, formatRate, type Kpi, kpisOf } from './data';

/** The latest period against the one before: customer churn rate, GRR, NRR and MRR. */
export function KpiCards({ metrics }: { metrics: RetentionMetrics }) {
  const { t } = useTranslation();
  const latest = metrics.periods[metrics.periods.length - 1];
  const previous = metrics.periods[metrics.periods.length - 2];
  return (
    <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
      {kpisOf(metrics.periods).map((kpi) => (
        <KpiCard
          key={kpi.key}
          kpi={kpi}
          currency={metrics.currency}
          period={
            latest ? `${latest.period}${latest.isComplete ? '' : ` (${t('retentionMetrics.toDate')})`}` : '–'
          }
          previousPeriod={previous?.period ?? null}
        />
      ))}
    </SimpleGrid>
  );
}

function KpiCard({
  kpi,
  currency,
  period,
  previousPeriod,
}: {
  kpi: Kpi;
  currency: string;
  period: string;
  previousPeriod: string | null;
}) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const show = (value: number | null) =>
    kpi.key === 'mrr'
      ? value === null
        ? '–'
        : formatMoney(value, language, currency)
      : formatRate(value, language);
  const change =
    kpi.change === null
      ? null
      : kpi.key === 'mrr'
        ? formatChange(kpi.change, language)
        : formatPoints(kpi.change, language);
  return (
    <Card withBorder padding="md" data-testid={`kpi-${kpi.key}`}>
      <Text size="sm" c="dimmed">
        {t(`retentionMetrics.kpi.${kpi.key}`)}
      </Text>
      <Group gap="xs" align="baseline">
        <Text fz={28} fw={700}>
          {show(kpi.value)}
        </Text>
        {change && (
          <Text size="sm" fw={600} c={kpi.isBetter === null ? 'dimmed' : kpi.isBetter ? 'teal' : 'red'}>
            {change}
          </Text>
        )}
      </Group>
      <Text size="xs" c="dimmed">
        {previousPeriod
          ? t('retentionMetrics.kpi.versus', { period, previousPeriod, value: show(kpi.previous) })
          : period}
      </Text>
    </Card>
  );
}
