import type { AccountLifetimeValue } from '@keepdesk/contract';
import { Card, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { formatMoney, formatPercent } from '../format';

/** One figure with the sentence that says what it means. */
function Line({ label, value, hint }: { label: string; value: ReactNode; hint: string }) {
  return (
    <Stack gap={0}>
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm">{label}</Text>
        <Text size="sm" fw={600} style={{ fontVariantNumeric: 'tabular-nums' }}>
          {value}
        </Text>
      </Group>
      <Text size="xs" c="dimmed">
        {hint}
      </Text>
    </Stack>
  );
}

/** An account's lifetime value: what it has brought in so far, and what the models expect of it. */
export function AccountValueCard({ accountId }: { accountId: string }) {
  const { t, i18n } = useTranslation();
  const value = useQuery({
    queryKey: ['retention', 'account', accountId, 'lifetime-value'],
    queryFn: () => api.get<AccountLifetimeValue>(`/customer-accounts/${accountId}/lifetime-value`),
  });
  const data = value.data;
  if (!data) return null;
  const money = (amount: number) => formatMoney(amount, i18n.language, data.currency);
  const { historic, buyer, subscriber } = data;
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="sm">
        {t('lifetimeValue.account.title')}
      </Title>
      <Stack gap="sm">
        <Line
          label={t('lifetimeValue.account.revenue')}
          value={money(historic.revenue)}
          hint={t('lifetimeValue.account.revenueHint', {
            orders: money(historic.orderRevenue),
            subscriptions: money(historic.subscriptionRevenue),
          })}
        />
        {historic.orders > 0 && (
          <Line
            label={t('lifetimeValue.account.orders', { count: historic.orders })}
            value={money(historic.averageOrderValue ?? 0)}
            hint={t('lifetimeValue.account.ordersHint', {
              first: historic.firstPurchaseOn,
              last: historic.lastPurchaseOn,
            })}
          />
        )}
        {buyer && (
          <>
            <Line
              label={t('lifetimeValue.account.alive')}
              value={formatPercent(buyer.probabilityAlive, i18n.language)}
              hint={t('lifetimeValue.account.aliveHint')}
            />
            <Line
              label={t('lifetimeValue.account.purchases')}
              value={buyer.expectedPurchases.toLocaleString(i18n.language, { maximumFractionDigits: 1 })}
              hint={t('lifetimeValue.account.purchasesHint')}
            />
            {buyer.value !== null && buyer.expectedSpend !== null && (
              <Line
                label={t('lifetimeValue.account.buyerValue')}
                value={money(buyer.value)}
                hint={t('lifetimeValue.account.buyerValueHint', { spend: money(buyer.expectedSpend) })}
              />
            )}
          </>
        )}
        {subscriber && subscriber.value !== null && subscriber.expectedRemainingMonths !== null && (
          <Line
            label={t('lifetimeValue.account.subscriberValue')}
            value={money(subscriber.value)}
            hint={t('lifetimeValue.account.subscriberValueHint', {
              mrr: money(subscriber.mrr),
              months: subscriber.expectedRemainingMonths.toLocaleString(i18n.language, {
                maximumFractionDigits: 1,
              }),
            })}
          />
        )}
        {[data.buyerSkipped, data.subscriberSkipped]
          .filter(
            (reason) =>
              reason !== null && reason !== 'no orders' && reason !== 'no running paid subscription',
          )
          .map((reason) => (
            <Text key={reason} size="xs" c="dimmed">
              {t('lifetimeValue.account.notPredicted', { reason })}
            </Text>
          ))}
      </Stack>
    </Card>
  );
}
