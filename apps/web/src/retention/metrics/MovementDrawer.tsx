import type { MovementAccounts } from '@keepdesk/contract';
import { Alert, Drawer, Skeleton, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { api, query } from '../../api';
import { formatMoney } from '../format';
import type { DrillTarget } from './RetentionMetricsPage';

/** The accounts behind one MRR movement of a month or quarter, largest change first, each linking to its page. */
export function MovementDrawer({
  target,
  currency,
  onClose,
}: {
  target: DrillTarget;
  currency: string;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const isQuarter = target.period.includes('Q');
  const accounts = useQuery({
    queryKey: ['retention', 'movements', target.period, target.movement, currency],
    queryFn: () =>
      api.get<MovementAccounts>(
        `/retention/movements${query({
          [isQuarter ? 'quarter' : 'month']: target.period,
          movement: target.movement,
          currency,
        })}`,
      ),
  });
  const money = (value: number) => formatMoney(value, language, currency);
  const data = accounts.data;
  const isChurn = target.movement === 'churned';
  return (
    <Drawer
      opened
      onClose={onClose}
      position="right"
      size="xl"
      title={t('retentionMetrics.drill.title', {
        movement: t(`retentionMetrics.movement.${target.movement}`),
        period: target.period,
      })}
    >
      {accounts.isError && <Alert color="red">{accounts.error.message}</Alert>}
      {accounts.isPending && <Skeleton h={200} />}
      {data && (
        <>
          <Text size="sm" c="dimmed" mb="sm">
            {t('retentionMetrics.drill.summary', { count: data.total, mrr: money(data.mrr) })}
            {data.items.length < data.total &&
              ` ${t('retentionMetrics.drill.more', { shown: data.items.length, total: data.total })}`}
          </Text>
          <Table
            verticalSpacing={6}
            aria-label={t('retentionMetrics.drill.accounts')}
            data-testid="movement-accounts"
          >
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('retentionMetrics.drill.account')}</Table.Th>
                <Table.Th ta="right">{t('retentionMetrics.drill.before')}</Table.Th>
                <Table.Th ta="right">{t('retentionMetrics.drill.after')}</Table.Th>
                <Table.Th ta="right">{t('retentionMetrics.drill.change')}</Table.Th>
                {isChurn && <Table.Th>{t('retentionMetrics.drill.reason')}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.items.map((item) => (
                <Table.Tr key={item.accountId}>
                  <Table.Td>
                    <Link
                      to="/retention/accounts/$accountId"
                      params={{ accountId: item.accountId }}
                      style={{
                        color: 'var(--mantine-color-anchor)',
                        fontSize: 'var(--mantine-font-size-sm)',
                      }}
                    >
                      {item.name || item.externalId}
                    </Link>
                    <Text size="xs" c="dimmed">
                      {item.externalId}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right">{money(item.before)}</Table.Td>
                  <Table.Td ta="right">{money(item.after)}</Table.Td>
                  <Table.Td ta="right" c={item.after >= item.before ? 'teal' : 'red'}>
                    {`${item.after >= item.before ? '+' : '−'}${money(Math.abs(item.after - item.before))}`}
                  </Table.Td>
                  {isChurn && (
                    <Table.Td>
                      {item.reason ?? (
                        <Text size="sm" c="dimmed" span>
                          {t('retentionMetrics.reasons.none')}
                        </Text>
                      )}
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
    </Drawer>
  );
}
