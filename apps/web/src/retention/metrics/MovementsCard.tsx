import { MRR_MOVEMENTS, type MrrMovement, type RetentionMetrics } from '@keepdesk/contract';
import { CompositeChart } from '@mantine/charts';
import { Badge, Card, ScrollArea, Table, Text, UnstyledButton } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatMoney } from '../format';
import { formatRate, LOSSES, MOVEMENT_COLORS, movementRows } from './data';
import type { DrillTarget } from './RetentionMetricsPage';

/** A number that opens the accounts behind it. */
function DrillButton({ label, onClick, children }: { label: string; onClick: () => void; children: string }) {
  return (
    <UnstyledButton
      onClick={onClick}
      aria-label={label}
      title={label}
      style={{ textDecoration: 'underline dotted' }}
    >
      <Text size="sm" span>
        {children}
      </Text>
    </UnstyledButton>
  );
}

/**
 * Where MRR came from and went, period by period: gains stacked above the axis, losses below, the MRR at the end
 * as a line; below, the same as numbers and the rates. Every bar segment and movement number opens its accounts.
 */
export function MovementsCard({
  metrics,
  onDrill,
}: {
  metrics: RetentionMetrics;
  onDrill: (target: DrillTarget) => void;
}) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const money = (value: number) => formatMoney(value, language, metrics.currency);
  const drillLabel = (movement: MrrMovement, period: string) =>
    t('retentionMetrics.drill.open', { movement: t(`retentionMetrics.movement.${movement}`), period });
  const periodLabel = (period: RetentionMetrics['periods'][number]) =>
    period.isComplete ? period.period : `${period.period} (${t('retentionMetrics.toDate')})`;
  return (
    <Card withBorder>
      <Text fw={600}>{t('retentionMetrics.chart.title')}</Text>
      <Text size="xs" c="dimmed" mb="sm">
        {t('retentionMetrics.chart.hint')}
      </Text>
      <CompositeChart
        h={300}
        data={movementRows(metrics.periods)}
        dataKey="period"
        withLegend
        withRightYAxis
        rightYAxisLabel={t('retentionMetrics.movement.ending')}
        valueFormatter={money}
        composedChartProps={{ stackOffset: 'sign' }}
        series={[
          ...MRR_MOVEMENTS.map((movement) => ({
            name: movement,
            label: t(`retentionMetrics.movement.${movement}`),
            color: MOVEMENT_COLORS[movement],
            type: 'bar' as const,
          })),
          {
            name: 'ending',
            label: t('retentionMetrics.movement.ending'),
            color: 'gray.7',
            type: 'line' as const,
            yAxisId: 'right',
          },
        ]}
        barProps={(series) => ({
          stackId: 'mrr',
          cursor: 'pointer',
          onClick: (entry: { payload?: { period?: string } }) => {
            const period = entry.payload?.period;
            if (period) onDrill({ period, movement: series.name as MrrMovement });
          },
        })}
      />
      <Text fw={600} mt="lg" mb="xs">
        {t('retentionMetrics.movementsTable.title')}
      </Text>
      <ScrollArea>
        <Table verticalSpacing={6} aria-label={t('retentionMetrics.movementsTable.title')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('retentionMetrics.columns.period')}</Table.Th>
              <Table.Th ta="right">{t('retentionMetrics.movement.starting')}</Table.Th>
              {MRR_MOVEMENTS.map((movement) => (
                <Table.Th key={movement} ta="right">
                  {t(`retentionMetrics.movement.${movement}`)}
                </Table.Th>
              ))}
              <Table.Th ta="right">{t('retentionMetrics.movement.ending')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {metrics.periods.map((period) => (
              <Table.Tr key={period.period}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{periodLabel(period)}</Table.Td>
                <Table.Td ta="right">{money(period.mrr.starting)}</Table.Td>
                {MRR_MOVEMENTS.map((movement) => (
                  <Table.Td key={movement} ta="right">
                    {period.mrr[movement] === 0 ? (
                      <Text size="sm" c="dimmed" span>
                        {money(0)}
                      </Text>
                    ) : (
                      <DrillButton
                        label={drillLabel(movement, period.period)}
                        onClick={() => onDrill({ period: period.period, movement })}
                      >
                        {`${LOSSES.has(movement) ? '−' : '+'}${money(period.mrr[movement])}`}
                      </DrillButton>
                    )}
                  </Table.Td>
                ))}
                <Table.Td ta="right" fw={600}>
                  {money(period.mrr.ending)}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea>
      <Text fw={600} mt="lg" mb="xs">
        {t('retentionMetrics.ratesTable.title')}
      </Text>
      <ScrollArea>
        <Table
          verticalSpacing={6}
          aria-label={t('retentionMetrics.ratesTable.title')}
          data-testid="rates-table"
        >
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('retentionMetrics.columns.period')}</Table.Th>
              <Table.Th ta="right">{t('retentionMetrics.columns.startingCustomers')}</Table.Th>
              <Table.Th ta="right">{t('retentionMetrics.columns.newCustomers')}</Table.Th>
              <Table.Th ta="right">{t('retentionMetrics.columns.churnedCustomers')}</Table.Th>
              <Table.Th ta="right">{t('retentionMetrics.columns.endingCustomers')}</Table.Th>
              <Table.Th ta="right">{t('retentionMetrics.columns.customerChurnRate')}</Table.Th>
              <Table.Th ta="right">{t('retentionMetrics.columns.customerRetentionRate')}</Table.Th>
              <Table.Th ta="right">{t('retentionMetrics.columns.grossRevenueChurnRate')}</Table.Th>
              <Table.Th ta="right">{t('retentionMetrics.columns.grossRevenueRetention')}</Table.Th>
              <Table.Th ta="right">{t('retentionMetrics.columns.netRevenueRetention')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {metrics.periods.map((period) => (
              <Table.Tr key={period.period}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  {period.period}
                  {!period.isComplete && (
                    <Badge ml={6} size="xs" variant="light" color="gray">
                      {t('retentionMetrics.toDate')}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td ta="right">{period.customers.starting}</Table.Td>
                <Table.Td ta="right">{period.customers.new + period.customers.reactivated}</Table.Td>
                <Table.Td ta="right">
                  {period.customers.churned === 0 ? (
                    0
                  ) : (
                    <DrillButton
                      label={drillLabel('churned', period.period)}
                      onClick={() => onDrill({ period: period.period, movement: 'churned' })}
                    >
                      {String(period.customers.churned)}
                    </DrillButton>
                  )}
                </Table.Td>
                <Table.Td ta="right">{period.customers.ending}</Table.Td>
                <Table.Td ta="right">{formatRate(period.customerChurnRate, language)}</Table.Td>
                <Table.Td ta="right">{formatRate(period.customerRetentionRate, language)}</Table.Td>
                <Table.Td ta="right">{formatRate(period.grossRevenueChurnRate, language)}</Table.Td>
                <Table.Td ta="right">{formatRate(period.grossRevenueRetention, language)}</Table.Td>
                <Table.Td ta="right">{formatRate(period.netRevenueRetention, language)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea>
    </Card>
  );
}
