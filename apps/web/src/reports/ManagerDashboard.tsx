import { CHANNELS, MANAGER_DASHBOARD, type TeamPage } from '@keepdesk/contract';
import {
  Box,
  Card,
  Group,
  SegmentedControl,
  Select,
  SimpleGrid,
  Skeleton,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconChartBar } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { Navigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { EmptyState } from '../components/EmptyState';
import { PageHeader } from '../components/PageHeader';
import { can, useMe } from '../session';
import { DrilldownDrawer } from './DrilldownDrawer';
import { type DrillTarget, hasData, type Query, useReports, withPair } from './data';
import { ExportMenu } from './ExportMenu';
import { ArrivalsHeatmap } from './Heatmap';
import { MetricWidget } from './MetricWidget';
import {
  type DayRange,
  grainFor,
  PERIOD_PRESETS,
  type PeriodPreset,
  presetRange,
  previousRange,
  todayIn,
} from './periods';
import { ReportsError } from './ReportsError';
import { ReportsNav } from './ReportsNav';
import { TargetsCard } from './TargetsCard';

/**
 * The service manager's dashboard: the twelve KPIs of `MANAGER_DASHBOARD` over a period, each against the
 * previous period of the same length, with trends by team or channel, and the arrivals by weekday and hour.
 */
export function ManagerDashboard() {
  const { t } = useTranslation();
  const me = useMe();
  const timeZone = me.user.timeZone;
  const today = todayIn(timeZone);
  const [preset, setPreset] = useState<PeriodPreset>('last30');
  const [custom, setCustom] = useState<DayRange>(presetRange('last30', today));
  const [team, setTeam] = useState<string | null>(null);
  const [channel, setChannel] = useState<string | null>(null);
  const [groupBy, setGroupBy] = useState<'team' | 'channel'>('team');
  const [drill, setDrill] = useState<DrillTarget | null>(null);
  const teams = useQuery({ queryKey: ['teams'], queryFn: () => api.get<TeamPage>('/teams?limit=200') });

  const range = preset === 'custom' ? custom : presetRange(preset, today);
  const validRange =
    /^\d{4}-\d{2}-\d{2}$/.test(range.from) && /^\d{4}-\d{2}-\d{2}$/.test(range.to) && range.from <= range.to;
  const previous = previousRange(range);
  const grain = grainFor(range);
  const filter =
    [team && `team:${team}`, channel && `channel:${channel}`].filter(Boolean).join(',') || undefined;
  const current: Query[] = MANAGER_DASHBOARD.map(({ metric, stat }) => ({
    metric,
    stat,
    ...range,
    grain,
    groupBy,
    filter,
  }));
  const before: Query[] = MANAGER_DASHBOARD.map(({ metric, stat }) => ({
    metric,
    stat,
    ...previous,
    grain,
    filter,
  }));
  const allowed = can(me, 'reports:read');
  const reports = useReports(allowed && validRange ? [...current, ...before] : []);
  // Hours are kept in UTC by team or channel (one of them); the grid places them in the viewer's zone.
  const hourFilter = team ? `team:${team}` : channel ? `channel:${channel}` : undefined;
  const arrivals = useReports(
    allowed && validRange
      ? [{ metric: 'tickets_created', grain: 'hour', ...range, filter: hourFilter, timeZone: 'UTC' }]
      : [],
  );
  // Without reports:read, "Reports" is the user's own dashboard.
  if (!allowed) return <Navigate to="/reports/me" replace />;
  const loading = (reports.isPending && !reports.isError) || reports.isPlaceholderData;
  const count = MANAGER_DASHBOARD.length;
  const empty =
    !loading && reports.data !== undefined && reports.data.slice(0, count).every((r) => !hasData(r));
  const title = t('reports.manager.title');

  return (
    <>
      <PageHeader
        title={title}
        text={t('reports.manager.text')}
        action={<ExportMenu title={title} queries={current} />}
      />
      <ReportsNav />
      <Card withBorder mb="md" padding="sm">
        <Group gap="sm" align="flex-end" wrap="wrap">
          <Select
            label={t('reports.period.label')}
            value={preset}
            onChange={(value) => value && setPreset(value as PeriodPreset)}
            data={PERIOD_PRESETS.map((p) => ({ value: p, label: t(`reports.period.${p}`) }))}
            allowDeselect={false}
            w={190}
          />
          {preset === 'custom' && (
            <>
              <TextInput
                type="date"
                label={t('reports.period.from')}
                value={custom.from}
                max={custom.to}
                onChange={(e) => setCustom({ ...custom, from: e.currentTarget.value })}
              />
              <TextInput
                type="date"
                label={t('reports.period.to')}
                value={custom.to}
                min={custom.from}
                max={today}
                onChange={(e) => setCustom({ ...custom, to: e.currentTarget.value })}
              />
            </>
          )}
          <Select
            label={t('reports.filter.team')}
            placeholder={t('reports.filter.allTeams')}
            value={team}
            onChange={setTeam}
            clearable
            data={(teams.data?.items ?? []).map((tm) => ({ value: tm.id, label: tm.name }))}
            w={190}
          />
          <Select
            label={t('reports.filter.channel')}
            placeholder={t('reports.filter.allChannels')}
            value={channel}
            onChange={setChannel}
            clearable
            data={CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) }))}
            w={170}
          />
          <div>
            <Text size="sm" fw={500} mb={4} id="reports-group-by">
              {t('reports.groupBy.label')}
            </Text>
            <SegmentedControl
              aria-labelledby="reports-group-by"
              value={groupBy}
              onChange={(value) => setGroupBy(value as 'team' | 'channel')}
              data={[
                { value: 'team', label: t('reports.groupBy.team') },
                { value: 'channel', label: t('reports.groupBy.channel') },
              ]}
            />
          </div>
        </Group>
        <Text size="xs" c="dimmed" mt="xs">
          {t('reports.period.compared', { from: previous.from, to: previous.to })}
        </Text>
      </Card>
      {reports.isError && <ReportsError error={reports.error} onRetry={() => void reports.refetch()} />}
      {empty && (
        <Card withBorder mb="md">
          <EmptyState
            icon={<IconChartBar size={24} />}
            title={t('reports.empty.title')}
            text={t('reports.empty.text')}
          />
        </Card>
      )}
      <SimpleGrid cols={{ base: 1, md: 2, xl: 3 }} spacing="md" mb="md">
        {MANAGER_DASHBOARD.map(({ metric }, i) => {
          const metricTitle = t(`reports.metric.${metric}`);
          return (
            <MetricWidget
              key={metric}
              title={metricTitle}
              report={reports.data?.[i]}
              previous={reports.data?.[count + i]}
              loading={loading}
              exportQueries={[current[i]!]}
              timeZone={timeZone}
              onDrill={({ period, group }) =>
                setDrill({
                  metric,
                  title: metricTitle,
                  ...range,
                  period,
                  filter: group ? withPair(filter, group.dimension, group.key) : filter,
                })
              }
            />
          );
        })}
      </SimpleGrid>
      <Box mb="md">
        <TargetsCard scope={team ? `team:${team}` : undefined} manageLink={can(me, 'reports:manage')} />
      </Box>
      <Card withBorder padding="md">
        <Title order={2} size="h4" mb={4}>
          {t('reports.heatmap.title')}
        </Title>
        <Text size="sm" c="dimmed" mb="sm">
          {t('reports.heatmap.text', { zone: timeZone })}
          {team && channel ? ` ${t('reports.heatmap.oneFilter')}` : ''}
        </Text>
        {arrivals.data?.[0] ? (
          <ArrivalsHeatmap report={arrivals.data[0]} timeZone={timeZone} />
        ) : (
          <Skeleton h={170} />
        )}
      </Card>
      <DrilldownDrawer target={drill} onClose={() => setDrill(null)} />
    </>
  );
}
