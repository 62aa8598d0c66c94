import type { LifetimeValueReport, PurchaseModelFit, SubscriptionModelFit } from '@keepdesk/contract';
import { BarChart, LineChart } from '@mantine/charts';
import {
  Alert,
  Card,
  Code,
  Group,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { IconCoins } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, query } from '../../api';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';
import { can, useMe } from '../../session';
import { formatPercent } from '../format';
import { RetentionTabs } from '../RetentionTabs';

const HOLDOUT_WEEKS = ['13', '26', '39', '52'];

const formatNumber = (value: number, language: string, digits = 3) =>
  new Intl.NumberFormat(language, { maximumSignificantDigits: digits }).format(value);

/**
 * How the lifetime-value models fit the workspace: BG/NBD and Gamma-Gamma on the orders, checked against the
 * weeks held out, and the shifted-beta-geometric model on the monthly subscription cohorts.
 */
export function LifetimeValuePage() {
  const { t } = useTranslation();
  const me = useMe();
  const [holdoutWeeks, setHoldoutWeeks] = useState('26');
  const allowed = can(me, 'reports:read');
  const report = useQuery({
    queryKey: ['retention', 'lifetime-value', holdoutWeeks],
    queryFn: () => api.get<LifetimeValueReport>(`/retention/lifetime-value${query({ holdoutWeeks })}`),
    placeholderData: keepPreviousData,
    enabled: allowed,
  });
  const data = report.data;
  return (
    <>
      <PageHeader title={t('lifetimeValue.title')} text={t('lifetimeValue.text')} />
      <RetentionTabs active="value" />
      {!allowed ? (
        <Alert color="yellow">{t('lifetimeValue.noPermission')}</Alert>
      ) : !data ? (
        <Skeleton h={300} />
      ) : (
        <Stack gap="md">
          <Card withBorder>
            <Group justify="space-between" align="flex-end" mb="sm">
              <Title order={2} size="h4">
                {t('lifetimeValue.purchases.title')}
              </Title>
              <Select
                w={200}
                label={t('lifetimeValue.purchases.holdout')}
                allowDeselect={false}
                value={holdoutWeeks}
                data={HOLDOUT_WEEKS.map((weeks) => ({
                  value: weeks,
                  label: t('lifetimeValue.purchases.weeks', { count: Number(weeks) }),
                }))}
                onChange={(value) => value && setHoldoutWeeks(value)}
              />
            </Group>
            {data.purchases ? (
              <PurchaseFit fit={data.purchases} />
            ) : (
              <NoData
                title={t('lifetimeValue.purchases.empty')}
                reason={data.purchasesSkipped}
                command="keepdesk customers import orders FILE.csv"
                endpoint="POST /api/v1/orders/bulk"
              />
            )}
          </Card>
          <Card withBorder>
            <Title order={2} size="h4" mb="sm">
              {t('lifetimeValue.subscriptions.title')}
            </Title>
            {data.subscriptions ? (
              <SubscriptionFit fit={data.subscriptions} />
            ) : (
              <NoData
                title={t('lifetimeValue.subscriptions.empty')}
                reason={data.subscriptionsSkipped}
                command="keepdesk customers import subscriptions FILE.csv"
                endpoint="POST /api/v1/subscriptions/bulk"
              />
            )}
          </Card>
        </Stack>
      )}
    </>
  );
}

function NoData(props: { title: string; reason: string | null; command: string; endpoint: string }) {
  const { t } = useTranslation();
  return (
    <Stack align="center" gap="xs">
      <EmptyState icon={<IconCoins size={24} />} title={props.title} text={props.reason ?? ''} />
      <Text size="sm" c="dimmed">
        {t('lifetimeValue.importHint')}
      </Text>
      <Code block>{props.command}</Code>
      <Text size="sm" c="dimmed" ta="center" maw={480}>
        {t('lifetimeValue.apiHint')} <Code>{props.endpoint}</Code>
      </Text>
    </Stack>
  );
}

function Parameters({ rows }: { rows: [string, number | string][] }) {
  return (
    <Table withTableBorder fz="sm">
      <Table.Tbody>
        {rows.map(([name, value]) => (
          <Table.Tr key={name}>
            <Table.Th w="50%">{name}</Table.Th>
            <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
              {value}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function PurchaseFit({ fit }: { fit: PurchaseModelFit }) {
  const { t, i18n } = useTranslation();
  const n = (value: number) => formatNumber(value, i18n.language);
  const chart = (fit.holdout?.byFrequency ?? []).map((row) => ({
    frequency: row.orMore ? `${row.frequency}+` : String(row.frequency),
    actual: row.actual,
    expected: row.expected,
  }));
  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        {t('lifetimeValue.purchases.summary', {
          customers: fit.customers,
          repeat: fit.repeatBuyers,
          end: fit.calibrationEnd,
        })}
      </Text>
      {!(fit.bgnbd.converged && (fit.gammaGamma?.converged ?? true)) && (
        <Alert color="yellow">{t('lifetimeValue.notConverged')}</Alert>
      )}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Stack gap={4}>
          <Text fw={600} size="sm">
            {t('lifetimeValue.purchases.bgnbd')}
          </Text>
          <Parameters
            rows={[
              ['r', n(fit.bgnbd.r)],
              ['α', n(fit.bgnbd.alpha)],
              ['a', n(fit.bgnbd.a)],
              ['b', n(fit.bgnbd.b)],
              [t('lifetimeValue.logLikelihood'), n(fit.bgnbd.logLikelihood)],
            ]}
          />
        </Stack>
        <Stack gap={4}>
          <Text fw={600} size="sm">
            {t('lifetimeValue.purchases.gammaGamma')}
          </Text>
          {fit.gammaGamma ? (
            <Parameters
              rows={[
                ['p', n(fit.gammaGamma.p)],
                ['q', n(fit.gammaGamma.q)],
                ['γ', n(fit.gammaGamma.gamma)],
                [t('lifetimeValue.logLikelihood'), n(fit.gammaGamma.logLikelihood)],
              ]}
            />
          ) : (
            <Text size="sm" c="dimmed">
              {fit.gammaGammaSkipped}
            </Text>
          )}
        </Stack>
      </SimpleGrid>
      {fit.holdout && (
        <>
          <Text fw={600} size="sm" mt="sm">
            {t('lifetimeValue.purchases.holdoutTitle', {
              actual: fit.holdout.actual,
              expected: n(fit.holdout.expected),
            })}
          </Text>
          <BarChart
            h={240}
            data={chart}
            dataKey="frequency"
            withLegend
            xAxisLabel={t('lifetimeValue.purchases.frequency')}
            yAxisLabel={t('lifetimeValue.purchases.perCustomer')}
            series={[
              { name: 'actual', label: t('lifetimeValue.actual'), color: 'blue.6' },
              { name: 'expected', label: t('lifetimeValue.expected'), color: 'gray.5' },
            ]}
          />
        </>
      )}
    </Stack>
  );
}

function SubscriptionFit({ fit }: { fit: SubscriptionModelFit }) {
  const { t, i18n } = useTranslation();
  const n = (value: number) => formatNumber(value, i18n.language);
  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        {t('lifetimeValue.subscriptions.summary', { subscribers: fit.subscribers, cohorts: fit.cohorts })}
      </Text>
      {!fit.converged && <Alert color="yellow">{t('lifetimeValue.notConverged')}</Alert>}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Parameters
          rows={[
            ['α', n(fit.alpha)],
            ['β', n(fit.beta)],
            [t('lifetimeValue.logLikelihood'), n(fit.logLikelihood)],
          ]}
        />
        <LineChart
          h={240}
          data={fit.survival.map((point) => ({
            ...point,
            actual: point.actual * 100,
            expected: point.expected * 100,
          }))}
          dataKey="month"
          withLegend
          curveType="linear"
          xAxisLabel={t('lifetimeValue.subscriptions.month')}
          yAxisProps={{ domain: [0, 100] }}
          valueFormatter={(value) => formatPercent(value / 100, i18n.language)}
          series={[
            { name: 'actual', label: t('lifetimeValue.subscriptions.actual'), color: 'blue.6' },
            {
              name: 'expected',
              label: t('lifetimeValue.subscriptions.expected'),
              color: 'gray.5',
              strokeDasharray: '4 4',
            },
          ]}
        />
      </SimpleGrid>
    </Stack>
  );
}
