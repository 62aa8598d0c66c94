import type { MrrMovement, RetentionMetrics } from '@keepdesk/contract';
import {
  Alert,
  Card,
  Code,
  Group,
  SegmentedControl,
  Select,
  Skeleton,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { IconChartHistogram } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, query } from '../../api';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';
import { can, useMe } from '../../session';
import { RetentionTabs } from '../RetentionTabs';
import { CohortCard } from './CohortCard';
import type { MetricsSearch } from './data';
import { KpiCards } from './KpiCards';
import { MovementDrawer } from './MovementDrawer';
import { MovementsCard } from './MovementsCard';
import { ReasonsCard } from './ReasonsCard';
import { ReportDownloads } from './ReportDownloads';

const route = getRouteApi('/app/retention/metrics');
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** A movement of one period to list the accounts of. */
export interface DrillTarget {
  period: string;
  movement: MrrMovement;
}

/**
 * Churn and retention per month or quarter (docs/metrics.md): the latest period against the one before, where MRR
 * came from and went, the rates, why customers left, and how each month's new customers stayed.
 */
export function RetentionMetricsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const search = route.useSearch();
  const navigate = useNavigate();
  const setSearch = (next: Partial<MetricsSearch>) =>
    void navigate({
      to: '/retention/metrics',
      search: (previous) => ({ ...previous, ...next }),
      replace: true,
    });
  const [drill, setDrill] = useState<DrillTarget | null>(null);
  const period = search.period ?? 'month';
  const allowed = can(me, 'reports:read');
  const metrics = useQuery({
    queryKey: ['retention', 'metrics', period, search.from, search.to, search.currency],
    queryFn: () =>
      api.get<RetentionMetrics>(
        `/retention/metrics${query({ period, from: search.from, to: search.to, currency: search.currency })}`,
      ),
    placeholderData: keepPreviousData,
    enabled: allowed,
  });
  const data = metrics.data;
  const header = (
    <>
      <PageHeader
        title={t('retentionMetrics.title')}
        text={t('retentionMetrics.text')}
        action={data && data.subscriptions > 0 && <ReportDownloads search={{ ...search, period }} />}
      />
      <RetentionTabs active="metrics" />
    </>
  );
  if (!allowed) {
    return (
      <>
        {header}
        <Alert color="yellow">{t('retentionMetrics.noPermission')}</Alert>
      </>
    );
  }
  if (data && data.currencies.length === 0) {
    return (
      <>
        {header}
        <Card withBorder>
          <Stack align="center" gap="xs">
            <EmptyState
              icon={<IconChartHistogram size={24} />}
              title={t('retentionMetrics.empty.title')}
              text={t('retentionMetrics.empty.text')}
            />
            <Code block>keepdesk customers import subscriptions FILE.csv</Code>
            <Text size="sm" c="dimmed" ta="center" maw={480}>
              {t('retentionMetrics.empty.api')} <Code>POST /api/v1/subscriptions/bulk</Code>
            </Text>
          </Stack>
        </Card>
      </>
    );
  }
  const badRange = search.from !== undefined && search.to !== undefined && search.from > search.to;
  return (
    <>
      {header}
      <Card withBorder mb="md" padding="sm">
        <Group gap="sm" align="flex-end" wrap="wrap">
          <SegmentedControl
            aria-label={t('retentionMetrics.filters.period')}
            value={period}
            onChange={(value) => setSearch({ period: value === 'quarter' ? 'quarter' : 'month' })}
            data={[
              { value: 'month', label: t('retentionMetrics.filters.months') },
              { value: 'quarter', label: t('retentionMetrics.filters.quarters') },
            ]}
          />
          <MonthInput
            label={t('retentionMetrics.filters.from')}
            value={search.from ?? data?.from ?? ''}
            onChange={(from) => setSearch({ from })}
          />
          <MonthInput
            label={t('retentionMetrics.filters.to')}
            value={search.to ?? data?.to ?? ''}
            error={badRange ? t('retentionMetrics.filters.badRange') : undefined}
            onChange={(to) => setSearch({ to })}
          />
          {data && data.currencies.length > 1 && (
            <Select
              w={120}
              label={t('retentionMetrics.filters.currency')}
              allowDeselect={false}
              value={data.currency}
              data={data.currencies.map((entry) => entry.currency)}
              onChange={(currency) => currency && setSearch({ currency })}
            />
          )}
        </Group>
        {data && data.excludedSubscriptions > 0 && (
          <Text size="xs" c="dimmed" mt="xs" data-testid="excluded-subscriptions">
            {t('retentionMetrics.excluded', { count: data.excludedSubscriptions, currency: data.currency })}
          </Text>
        )}
      </Card>
      {metrics.isError && <Alert color="red">{metrics.error.message}</Alert>}
      {!data && metrics.isPending && <Skeleton h={400} />}
      {data && (
        <Stack gap="md">
          <KpiCards metrics={data} />
          <MovementsCard metrics={data} onDrill={setDrill} />
          <ReasonsCard metrics={data} />
          <CohortCard
            search={search}
            range={{ from: data.from, to: data.to }}
            currency={data.currency}
            onChange={setSearch}
          />
        </Stack>
      )}
      {drill && data && (
        <MovementDrawer target={drill} currency={data.currency} onClose={() => setDrill(null)} />
      )}
    </>
  );
}

/**
 * A month as `YYYY-MM`: the browser's month picker where it has one, text elsewhere; a change counts once it is a
 * whole month (or empty: the default).
 */
function MonthInput({
  label,
  value,
  error,
  onChange,
}: {
  label: string;
  value: string;
  error?: string;
  onChange: (month: string | undefined) => void;
}) {
  return (
    <TextInput
      key={value}
      type="month"
      w={160}
      label={label}
      defaultValue={value}
      error={error}
      placeholder="YYYY-MM"
      onChange={(event) => {
        const month = event.currentTarget.value;
        if (month === '' || MONTH.test(month)) onChange(month || undefined);
      }}
    />
  );
}
