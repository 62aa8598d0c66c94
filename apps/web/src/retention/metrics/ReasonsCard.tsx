import type { RetentionMetrics } from '@keepdesk/contract';
import { Card, Progress, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatMoney } from '../format';
import { formatRate } from './data';

/** Why customers left in the range: cancel reasons of the churned, by accounts and their MRR. */
export function ReasonsCard({ metrics }: { metrics: RetentionMetrics }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const churned = metrics.churnReasons.reduce((sum, reason) => sum + reason.accounts, 0);
  return (
    <Card withBorder padding={0}>
      <Text fw={600} p="md" pb="xs">
        {t('retentionMetrics.reasons.title')}
      </Text>
      {churned === 0 ? (
        <Text c="dimmed" size="sm" px="md" pb="md">
          {t('retentionMetrics.reasons.empty')}
        </Text>
      ) : (
        <Table
          verticalSpacing={6}
          aria-label={t('retentionMetrics.reasons.title')}
          data-testid="churn-reasons"
        >
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('retentionMetrics.reasons.reason')}</Table.Th>
              <Table.Th ta="right">{t('retentionMetrics.reasons.accounts')}</Table.Th>
              <Table.Th ta="right">{t('retentionMetrics.reasons.mrr')}</Table.Th>
              <Table.Th w="30%">{t('retentionMetrics.reasons.share')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {metrics.churnReasons.map((reason) => (
              <Table.Tr key={reason.reason ?? ''}>
                <Table.Td>
                  {reason.reason ?? (
                    <Text size="sm" c="dimmed" span>
                      {t('retentionMetrics.reasons.none')}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td ta="right">{reason.accounts}</Table.Td>
                <Table.Td ta="right">{formatMoney(reason.mrr, language, metrics.currency)}</Table.Td>
                <Table.Td>
                  <Progress
                    value={(100 * reason.accounts) / churned}
                    aria-label={formatRate(reason.accounts / churned, language)}
                    title={formatRate(reason.accounts / churned, language)}
                  />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}
