import type { AccountRetention, CustomerAccount360 } from '@keepdesk/contract';
import { Anchor, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../api';
import { can, useMe } from '../session';
import { CustomerCard, SubscriptionsCard } from './AccountDetails';
import { HealthComponents, RiskHistory } from './AccountHealth';
import { HealthBadge, HealthTrend, RiskBadge } from './Badges';
import { formatMoney } from './format';
import { OutreachCard } from './OutreachCard';
import { AccountValueCard } from './value/AccountValueCard';
import { WhyAtRisk } from './WhyAtRisk';

const route = getRouteApi('/app/retention/accounts/$accountId');

/** One account as the retention specialist works it: why it is at risk, its health, the customer, outreach. */
export function AccountPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const { accountId } = route.useParams();
  const retention = useQuery({
    queryKey: ['retention', 'account', accountId],
    queryFn: () => api.get<AccountRetention>(`/customer-accounts/${accountId}/retention`),
  });
  const account = useQuery({
    queryKey: ['retention', 'account', accountId, '360'],
    queryFn: () => api.get<CustomerAccount360>(`/customer-accounts/${accountId}`),
  });
  if (retention.error instanceof ApiError && retention.error.status === 404) {
    return <Text c="dimmed">{t('retention.account.notFound')}</Text>;
  }
  const data = retention.data;
  if (!data) return <Text c="dimmed">{t('common.loading')}</Text>;
  const language = i18n.language;
  return (
    <Stack gap="md">
      <Stack gap={4}>
        <Anchor component={Link} to="/retention" size="sm">
          ← {t('retention.title')}
        </Anchor>
        <Group gap="xs" align="baseline">
          <Title order={1} size="h2">
            {data.account.name || data.account.externalId}
          </Title>
          <Text c="dimmed">{data.account.externalId}</Text>
        </Group>
        <Text size="sm" c="dimmed">
          {t('retention.account.owner')}: {data.owner?.name ?? t('retention.unassigned')}
        </Text>
      </Stack>
      <SimpleGrid cols={{ base: 2, md: 4 }}>
        <Figure label={t('retention.columns.risk')}>
          <RiskBadge band={data.riskBand} probability={data.probability} size="lg" />
        </Figure>
        <Figure label={t('retention.columns.value')}>
          <Text fw={700} size="xl">
            {formatMoney(data.value, language)}
          </Text>
        </Figure>
        <Figure label={t('retention.columns.valueAtRisk')}>
          <Text fw={700} size="xl" c={data.riskBand === 'high' ? 'red' : undefined}>
            {formatMoney(data.valueAtRisk, language)}
          </Text>
        </Figure>
        <Figure label={t('retention.columns.health')}>
          <Group gap={6}>
            <HealthBadge band={data.healthBand} score={data.healthScore} />
            <HealthTrend trend={data.healthTrend} />
          </Group>
        </Figure>
      </SimpleGrid>
      <Group align="flex-start" gap="lg" wrap="nowrap">
        <Stack style={{ flex: 1, minWidth: 0 }} gap="md">
          <WhyAtRisk retention={data} />
          <RiskHistory history={data.history} />
          <HealthComponents components={data.healthComponents} />
          {account.data && <SubscriptionsCard account={account.data} />}
        </Stack>
        <Stack w={340} style={{ flexShrink: 0 }} gap="md">
          <OutreachCard
            accountId={accountId}
            outreach={data.outreach}
            mayWrite={can(me, 'customers:write')}
          />
          <AccountValueCard accountId={accountId} />
          {account.data && <CustomerCard account={account.data} />}
        </Stack>
      </Group>
    </Stack>
  );
}

function Figure({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Card withBorder padding="sm">
      <Text size="xs" fw={600} tt="uppercase" c="dimmed" mb={4}>
        {label}
      </Text>
      {children}
    </Card>
  );
}
