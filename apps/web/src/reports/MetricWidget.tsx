import { METRIC_BETTER, type MetricReport } from '@keepdesk/contract';
import { BarChart, LineChart } from '@mantine/charts';
import { Badge, Card, Group, Skeleton, Stack, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { IconArrowDownRight, IconArrowRight, IconArrowUpRight } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { chartRows, hasData, type Query, seriesName } from './data';
import { ExportMenu } from './ExportMenu';
import { formatPeriod, formatTick, formatValue } from './format';
import { changeOf } from './periods';

const COLORS = [
  'blue.6',
  'teal.6',
  'orange.6',
  'grape.6',
  'red.6',
  'cyan.6',
  'lime.7',
  'pink.6',
  'indigo.6',
  'yellow.7',
];

/** The change against the previous period: arrow, percent, green when good for this metric, red when bad. */
function ChangeBadge({ report, previous }: { report: MetricReport; previous: MetricReport | undefined }) {
  const { t, i18n } = useTranslation();
  const change = changeOf(report.total.value, previous?.total.value ?? null, METRIC_BETTER[report.metric]);
  if (!change) {
    return (
      <Text size="xs" c="dimmed">
        {t('reports.change.none')}
      </Text>
    );
  }
  const Icon =
    change.direction === 'up'
      ? IconArrowUpRight
      : change.direction === 'down'
        ? IconArrowDownRight
        : IconArrowRight;
  const color = change.good === null ? 'gray' : change.good ? 'teal' : 'red';
  const percent = new Intl.NumberFormat(i18n.language, {
    maximumFractionDigits: 0,
    signDisplay: 'exceptZero',
  }).format(change.percent);
  const before = formatValue(previous?.total.value ?? null, report.unit, i18n.language);
  return (
    <Tooltip label={t('reports.change.before', { value: before })}>
      <Badge
        variant="light"
        color={color}
        leftSection={<Icon size={14} />}
        aria-label={t('reports.change.aria', { percent, value: before })}
      >
        {percent} %
      </Badge>
    </Tooltip>
  );
}

/**
 * One metric: the number over the period (a button that lists the tickets behind it), the change against the
 * previous period, and the trend by group; a click on the chart lists the tickets of that period.
 */
export function MetricWidget({
  title,
  report,
  previous,
  loading,
  exportQueries,
  onDrill,
  timeZone,
}: {
  title: string;
  report: MetricReport | undefined;
  previous?: MetricReport;
  loading: boolean;
  exportQueries: Query[];
  onDrill: (narrow: { period?: string; group?: { dimension: string; key: string | null } }) => void;
  timeZone: string;
}) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const testId = `widget-${report?.metric ?? 'loading'}`;
  if (!report && !loading) return null;
  if (loading || !report) {
    return (
      <Card withBorder padding="md" aria-busy="true">
        <Skeleton h={14} w="50%" mb="sm" />
        <Skeleton h={32} w="40%" mb="md" />
        <Skeleton h={160} />
      </Card>
    );
  }
  const value = formatValue(report.total.value, report.unit, language);
  // A group without a value (no team, no channel) is "none"; channels read in the interface language.
  const groupLabel = (s: MetricReport['series'][number]) =>
    s.key === null
      ? t('reports.none')
      : report.groupBy === 'channel'
        ? t(`channel.${s.key}`, { defaultValue: s.label })
        : s.label;
  const rows = chartRows(report);
  const startOf = new Map(rows.map((row) => [String(row.period), String(row.start)]));
  const series = report.series.slice(0, COLORS.length).map((s, i) => ({
    name: seriesName(report, s),
    label: report.groupBy ? groupLabel(s) : title,
    color: COLORS[i]!,
  }));
  const common = {
    h: 180,
    data: rows,
    dataKey: 'period',
    series,
    withLegend: report.groupBy !== null && series.length > 1,
    valueFormatter: (v: number) => formatValue(v, report.unit, language),
    yAxisProps: {
      tickFormatter: (v: number) => formatTick(v, report.unit, language),
      width: 64,
      allowDecimals: report.unit !== 'tickets',
    },
    xAxisProps: {
      tickFormatter: (p: string) => formatPeriod(startOf.get(p) ?? p, report.grain, language, timeZone),
    },
    yAxisLabel: t(`reports.unit.${report.unit}`),
    tooltipProps: {
      labelFormatter: (p: unknown) =>
        formatPeriod(startOf.get(String(p)) ?? String(p), report.grain, language, timeZone),
    },
  };
  const onChartClick = (state: { activeLabel?: unknown }) => {
    if (state.activeLabel !== undefined && state.activeLabel !== null)
      onDrill({ period: String(state.activeLabel) });
  };
  return (
    <Card withBorder padding="md" data-testid={testId}>
      <Group justify="space-between" align="flex-start" wrap="nowrap" mb={4}>
        <Text size="sm" fw={600} c="dimmed">
          {title}
        </Text>
        <ExportMenu title={title} queries={exportQueries} compact />
      </Group>
      <Group gap="sm" align="center" mb="sm">
        <UnstyledButton
          onClick={() => onDrill({})}
          aria-label={t('reports.widget.drill', { metric: title, value })}
          data-testid="widget-value"
        >
          <Text fz={28} fw={700} lh={1.1}>
            {value}
          </Text>
        </UnstyledButton>
        <ChangeBadge report={report} previous={previous} />
      </Group>
      {!hasData(report) ? (
        <Text size="sm" c="dimmed" py="xl" ta="center">
          {t('reports.widget.empty')}
        </Text>
      ) : (
        <Stack gap={6} style={{ cursor: 'pointer' }} data-testid="widget-chart">
          {report.unit === 'tickets' ? (
            <BarChart
              {...common}
              type={report.groupBy ? 'stacked' : 'default'}
              barChartProps={{ onClick: onChartClick }}
            />
          ) : (
            <LineChart
              {...common}
              connectNulls
              curveType="monotone"
              lineChartProps={{ onClick: onChartClick }}
            />
          )}
          {report.groupBy && (
            <Group gap={6}>
              {report.series.slice(0, 8).map((s) => (
                <UnstyledButton
                  key={s.key ?? 'none'}
                  onClick={() => onDrill({ group: { dimension: report.groupBy!, key: s.key } })}
                  aria-label={t('reports.widget.drillGroup', {
                    group: groupLabel(s),
                    value: formatValue(s.total.value, report.unit, language),
                  })}
                >
                  <Badge variant="outline" color="gray" tt="none">
                    {groupLabel(s)}: {formatValue(s.total.value, report.unit, language)}
                  </Badge>
                </UnstyledButton>
              ))}
            </Group>
          )}
        </Stack>
      )}
    </Card>
  );
}
