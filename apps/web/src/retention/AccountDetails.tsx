import type { CustomerAccount360 } from '@keepdesk/contract';
import { Anchor, Badge, Card, Group, Stack, Table, Text } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { relativeTime } from '../tickets/format';
import { formatMoney } from './format';

const day = (iso: string, language: string) =>
  new Date(`${iso.slice(0, 10)}T00:00:00Z`).toLocaleDateString(language, { timeZone: 'UTC' });

/** Who the customer is: the linked contact and organisation, orders and product usage of the last 30 days. */
export function CustomerCard({ account }: { account: CustomerAccount360 }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const number = new Intl.NumberFormat(language);
  return (
    <Card withBorder padding="md" data-testid="customer-card">
      <Text size="xs" fw={600} c="dimmed" tt="uppercase" mb={6}>
        {t('retention.account.customer')}
      </Text>
      <Stack gap={4}>
        {account.contact ? (
          <Anchor component={Link} to={`/contacts/${account.contact.id}`} fw={600}>
            {account.contact.name}
          </Anchor>
        ) : (
          <Text size="sm" c="dimmed">
            {t('retention.account.noContact')}
          </Text>
        )}
        {account.email && (
          <Text size="sm" c="dimmed">
            {account.email}
          </Text>
        )}
        {account.organization && <Text size="sm">{account.organization.name}</Text>}
        {account.acquiredOn && (
          <Text size="xs" c="dimmed">
            {t('retention.account.customerSince', { date: day(account.acquiredOn, language) })}
          </Text>
        )}
      </Stack>
      <Text size="xs" fw={600} c="dimmed" tt="uppercase" mt="md" mb={6}>
        {t('retention.account.orders')}
      </Text>
      {account.orders.count === 0 ? (
        <Text size="sm" c="dimmed">
          {t('retention.account.noOrders')}
        </Text>
      ) : (
        <Stack gap={2}>
          <Text size="sm">
            {t('retention.account.orderCount', { count: account.orders.count })}
            {account.orders.totals.length > 0 &&
              ` · ${account.orders.totals.map((total) => formatMoney(total.amount, language, total.currency)).join(', ')}`}
          </Text>
          {account.orders.lastOrderedAt && (
            <Text size="xs" c="dimmed">
              {t('retention.account.lastOrder', {
                when: relativeTime(account.orders.lastOrderedAt, language),
              })}
            </Text>
          )}
        </Stack>
      )}
      <Text size="xs" fw={600} c="dimmed" tt="uppercase" mt="md" mb={6}>
        {t('retention.account.usage')}
      </Text>
      {account.usageLast30Days.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('retention.account.noUsage')}
        </Text>
      ) : (
        <Stack gap={2}>
          {account.usageLast30Days.slice(0, 8).map((usage) => (
            <Group key={usage.name} justify="space-between" wrap="nowrap">
              <Text size="sm" truncate>
                {usage.name}
              </Text>
              <Text size="sm" fw={500}>
                {number.format(usage.count)}
              </Text>
            </Group>
          ))}
        </Stack>
      )}
      {Object.keys(account.attributes).length > 0 && (
        <Stack gap={2} mt="md">
          {Object.entries(account.attributes).map(([key, value]) => (
            <Group key={key} gap={6} wrap="nowrap">
              <Text size="xs" c="dimmed">
                {key}
              </Text>
              <Text size="xs" truncate>
                {value === null ? '—' : String(value)}
              </Text>
            </Group>
          ))}
        </Stack>
      )}
    </Card>
  );
}

/** The subscription periods, newest start first, with the running ones marked. */
export function SubscriptionsCard({ account }: { account: CustomerAccount360 }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  return (
    <Card withBorder padding={0}>
      <Group justify="space-between" p="md" pb="xs">
        <Text fw={600}>{t('retention.account.subscriptions')}</Text>
        {account.currentMrr.length > 0 && (
          <Text size="sm" c="dimmed">
            {t('retention.account.currentMrr', {
              mrr: account.currentMrr.map((m) => formatMoney(m.amount, language, m.currency)).join(', '),
            })}
          </Text>
        )}
      </Group>
      {account.subscriptions.length === 0 ? (
        <Text size="sm" c="dimmed" px="md" pb="md">
          {t('retention.account.noSubscriptions')}
        </Text>
      ) : (
        <Table verticalSpacing={6} aria-label={t('retention.account.subscriptions')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('retention.account.plan')}</Table.Th>
              <Table.Th ta="right">{t('retention.account.mrr')}</Table.Th>
              <Table.Th>{t('retention.account.period')}</Table.Th>
              <Table.Th>{t('fields.status')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {account.subscriptions.map((subscription) => (
              <Table.Tr key={subscription.id}>
                <Table.Td>{subscription.plan}</Table.Td>
                <Table.Td ta="right">
                  {formatMoney(subscription.mrr, language, subscription.currency)}
                </Table.Td>
                <Table.Td>
                  {day(subscription.startedOn, language)} –{' '}
                  {subscription.endedOn ? day(subscription.endedOn, language) : ''}
                </Table.Td>
                <Table.Td>
                  {subscription.isActive ? (
                    <Badge color="teal" variant="light" size="sm">
                      {t('retention.account.active')}
                    </Badge>
                  ) : (
                    <Text size="sm" c="dimmed" title={subscription.cancelReason ?? undefined}>
                      {subscription.cancelReason
                        ? t('retention.account.endedBecause', { reason: subscription.cancelReason })
                        : t('retention.account.ended')}
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}
