import type { AccountRetention } from '@keepdesk/contract';
import { LineChart } from '@mantine/charts';
import { Card, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { signalValue } from './reasons';

/** Churn risk (in %) and health score over time, both on 0–100. */
export function RiskHistory({ history }: { history: AccountRetention['history'] }) {
  const { t, i18n } = useTranslation();
  const day = new Intl.DateTimeFormat(i18n.language, { day: 'numeric', month: 'short', timeZone: 'UTC' });
  const data = history.map((point) => ({
    day: day.format(new Date(`${point.day}T00:00:00Z`)),
    risk: point.probability === null ? null : Math.round(point.probability * 1000) / 10,
    health: point.healthScore === null ? null : Math.round(point.healthScore * 10) / 10,
  }));
  return (
    <Card withBorder padding="md">
      <Text fw={600} mb="xs">
        {t('retention.account.history')}
      </Text>
      {data.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('retention.account.noHistory')}
        </Text>
      ) : (
        <LineChart
          h={220}
          data={data}
          dataKey="day"
          connectNulls
          withLegend
          yAxisProps={{ domain: [0, 100] }}
          series={[
            { name: 'risk', label: t('retention.account.riskPercent'), color: 'red.6' },
            { name: 'health', label: t('retention.account.healthScore'), color: 'teal.6' },
          ]}
        />
      )}
    </Card>
  );
}

/** How the health score is made: each component's value, the points it earns and its weight. */
export function HealthComponents({ components }: { components: AccountRetention['healthComponents'] }) {
  const { t, i18n } = useTranslation();
  const number = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 1 });
  return (
    <Card withBorder padding={0}>
      <Text fw={600} p="md" pb="xs">
        {t('retention.account.components')}
      </Text>
      {components.length === 0 ? (
        <Text size="sm" c="dimmed" px="md" pb="md">
          {t('retention.account.noComponents')}
        </Text>
      ) : (
        <Table verticalSpacing={6} aria-label={t('retention.account.components')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('retention.account.signal')}</Table.Th>
              <Table.Th ta="right">{t('retention.account.value')}</Table.Th>
              <Table.Th ta="right">{t('retention.account.points')}</Table.Th>
              <Table.Th ta="right">{t('retention.account.weight')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {components.map((component) => (
              <Table.Tr key={component.signal}>
                <Table.Td>{t(`retention.signals.${component.signal}`)}</Table.Td>
                <Table.Td ta="right">
                  {signalValue(t, component.signal, component.value, i18n.language)}
                </Table.Td>
                <Table.Td
                  ta="right"
                  c={component.points === null ? 'dimmed' : component.points < 40 ? 'red' : undefined}
                >
                  {component.points === null ? '–' : number.format(component.points)}
                </Table.Td>
                <Table.Td ta="right">{number.format(component.weight)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}
