import type { RetentionCohortCell, RetentionCohorts } from '@keepdesk/contract';
import { Alert, Card, Group, SegmentedControl, Skeleton, Text } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, query } from '../../api';
import { HeatmapGrid, HeatmapLegend, type HeatmapRow } from '../../reports/Heatmap';
import { formatMoney } from '../format';
import {
  COHORT_SHADES,
  cohortShade,
  formatRate,
  formatWholeRate,
  isDarkShade,
  type MetricsSearch,
} from './data';

/**
 * The cohort retention matrix as a heatmap: a row per acquisition month, a column per month since; each cell the
 * share of the cohort still paying (or its revenue against the first month), blank where the month lies ahead.
 */
export function CohortCard({
  search,
  range,
  currency,
  onChange,
}: {
  search: MetricsSearch;
  range: { from: string; to: string };
  currency: string;
  onChange: (next: Partial<MetricsSearch>) => void;
}) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const measure = search.measure ?? 'customers';
  const basis = search.basis ?? 'subscriptions';
  const cohorts = useQuery({
    queryKey: ['retention', 'cohorts', range.from, range.to, basis, measure, currency],
    queryFn: () =>
      api.get<RetentionCohorts>(
        `/retention/cohorts${query({ from: range.from, to: range.to, basis, measure, currency: basis === 'subscriptions' ? currency : undefined })}`,
      ),
    placeholderData: keepPreviousData,
  });
  const data = cohorts.data;
  const columns = data ? Array.from({ length: data.months + 1 }, (_, k) => k) : [];
  const cellOf = (cohort: string, size: number | null, k: number, cell: RetentionCohortCell | null) => {
    if (cell === null || cell.value === null) {
      return { shade: null, label: t('retentionMetrics.cohorts.blank', { cohort, k }) };
    }
    const shade = cohortShade(cell.value);
    return {
      shade,
      isDark: isDarkShade(shade),
      text: formatWholeRate(cell.value, language),
      label: t(size === null ? 'retentionMetrics.cohorts.averageCell' : 'retentionMetrics.cohorts.cell', {
        cohort,
        k,
        value: formatRate(cell.value, language),
        active: cell.active,
        size: size ?? 0,
        revenue: formatMoney(cell.revenue, language, data?.currency ?? currency),
      }),
    };
  };
  const rows: HeatmapRow[] = data
    ? [
        ...data.rows.map((row) => ({
          key: row.cohort,
          header: `${row.cohort} · ${row.size}`,
          cells: columns.map((k) => cellOf(row.cohort, row.size, k, row.cells[k] ?? null)),
        })),
        {
          key: 'average',
          header: t('retentionMetrics.cohorts.average'),
          cells: columns.map((k) =>
            cellOf(t('retentionMetrics.cohorts.average'), null, k, data.average[k] ?? null),
          ),
        },
      ]
    : [];
  return (
    <Card withBorder>
      <Group justify="space-between" align="flex-start" mb="sm">
        <div>
          <Text fw={600}>{t('retentionMetrics.cohorts.title')}</Text>
          <Text size="xs" c="dimmed">
            {t(`retentionMetrics.cohorts.text_${measure}`)}
          </Text>
        </div>
        <Group gap="xs">
          <SegmentedControl
            size="xs"
            aria-label={t('retentionMetrics.cohorts.basis')}
            value={basis}
            onChange={(value) => onChange({ basis: value === 'orders' ? 'orders' : 'subscriptions' })}
            data={[
              { value: 'subscriptions', label: t('retentionMetrics.cohorts.subscriptions') },
              { value: 'orders', label: t('retentionMetrics.cohorts.orders') },
            ]}
          />
          <SegmentedControl
            size="xs"
            aria-label={t('retentionMetrics.cohorts.measure')}
            value={measure}
            onChange={(value) => onChange({ measure: value === 'revenue' ? 'revenue' : 'customers' })}
            data={[
              { value: 'customers', label: t('retentionMetrics.cohorts.customers') },
              { value: 'revenue', label: t('retentionMetrics.cohorts.revenue') },
            ]}
          />
        </Group>
      </Group>
      {cohorts.isError && <Alert color="red">{cohorts.error.message}</Alert>}
      {!data && cohorts.isPending && <Skeleton h={240} />}
      {data?.rows.every((row) => row.size === 0) && (
        <Text c="dimmed" size="sm">
          {t('retentionMetrics.cohorts.empty')}
        </Text>
      )}
      {data?.rows.some((row) => row.size > 0) && (
        <>
          <HeatmapGrid
            label={t('retentionMetrics.cohorts.title')}
            testId="cohort-heatmap"
            cellWidth={44}
            cellHeight={24}
            columns={columns.map((k) => ({
              key: String(k),
              header: t('retentionMetrics.cohorts.monthsSince', { k }),
            }))}
            rows={rows}
          />
          <HeatmapLegend
            title={t('retentionMetrics.cohorts.legend')}
            entries={COHORT_SHADES.map((color, step) => ({
              color,
              label:
                step === COHORT_SHADES.length - 1
                  ? `≥ ${formatWholeRate(step / 10, language)}`
                  : `${formatWholeRate(step / 10, language)}–${formatWholeRate((step + 1) / 10, language)}`,
            }))}
          />
          <Text size="xs" c="dimmed" mt={4}>
            {t('retentionMetrics.cohorts.note', { asOf: data.asOf })}
          </Text>
        </>
      )}
    </Card>
  );
}
