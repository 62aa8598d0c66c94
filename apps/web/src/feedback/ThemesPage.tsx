import type { ThemeDocumentPage, ThemeRun, ThemeSummary } from '@keepdesk/contract';
import { LineChart } from '@mantine/charts';
import { Anchor, Badge, Button, Card, Drawer, Group, Progress, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconBulb, IconRefresh } from '@tabler/icons-react';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { EmptyState } from '../components/EmptyState';
import { notifyError } from '../components/feedback';
import { PageHeader } from '../components/PageHeader';
import { relativeTime } from '../tickets/format';
import { FeedbackTabs } from './FeedbackTabs';
import { SENTIMENT_COLOR } from './MentionsPage';

const LINE_COLORS = ['blue.6', 'orange.6', 'teal.6', 'grape.6', 'red.6'];

/** What customers talk about: themes of comments, reviews and tickets, their trend and their texts. */
export function ThemesPage() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState<ThemeSummary | null>(null);
  const latest = useQuery({
    queryKey: ['themes', 'latest'],
    queryFn: () => api.get<ThemeRun | undefined>('/feedback/themes/latest'),
    refetchInterval: (query) => (query.state.data?.status === 'running' ? 2000 : false),
  });
  const recompute = useMutation({
    mutationFn: () => api.post<ThemeRun>('/feedback/themes/runs', {}),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['themes'] }),
    onError: (error) => notifyError(t, error),
  });
  const run = latest.data;
  const themes = run?.themes ?? [];
  const top = themes.slice(0, 5);
  const weeks = [...new Set(top.flatMap((theme) => theme.weekly.map((w) => w.week)))].sort();
  const trend = weeks.map((week) => ({
    week,
    ...Object.fromEntries(
      top.map((theme) => [`t${theme.index}`, theme.weekly.find((w) => w.week === week)?.count ?? 0]),
    ),
  }));
  return (
    <>
      <PageHeader
        title={t('feedbackReport.title')}
        text={t('themes.text')}
        action={
          <Button
            variant="light"
            leftSection={<IconRefresh size={16} />}
            loading={recompute.isPending || run?.status === 'running'}
            onClick={() => recompute.mutate()}
          >
            {t('themes.recompute')}
          </Button>
        }
      />
      <FeedbackTabs active="themes" />
      {run && (
        <Text size="sm" c="dimmed" mb="md" data-testid="theme-run">
          {run.status === 'done'
            ? t('themes.runInfo', {
                from: run.from,
                to: run.to,
                documents: run.documents,
                when: relativeTime(run.finishedAt ?? run.createdAt, i18n.language),
              })
            : run.status === 'running'
              ? t('themes.running')
              : t('themes.failed', { error: run.error ?? '' })}
        </Text>
      )}
      {latest.isSuccess && themes.length === 0 ? (
        <Card withBorder>
          <EmptyState
            icon={<IconBulb size={24} />}
            title={t('themes.emptyTitle')}
            text={t('themes.emptyText')}
          />
        </Card>
      ) : (
        <>
          {trend.length > 1 && (
            <Card withBorder padding="md" mb="md">
              <Text fw={600} mb="xs">
                {t('themes.trend')}
              </Text>
              <LineChart
                h={220}
                data={trend}
                dataKey="week"
                withLegend
                series={top.map((theme, i) => ({
                  name: `t${theme.index}`,
                  label: theme.label,
                  color: LINE_COLORS[i]!,
                }))}
              />
            </Card>
          )}
          <SimpleGrid cols={{ base: 1, md: 2, lg: 3 }}>
            {themes.map((theme) => (
              <Card key={theme.index} withBorder padding="md" data-testid="theme">
                <Stack gap={6}>
                  <Group justify="space-between" wrap="nowrap">
                    <Text fw={600}>{theme.label}</Text>
                    <Badge variant="light">{theme.size}</Badge>
                  </Group>
                  <Text size="xs" c="dimmed" lineClamp={2}>
                    {theme.keywords.join(', ')}
                  </Text>
                  <Progress.Root size="md" aria-label={t('themes.sentimentShare')}>
                    <Progress.Section value={100 * theme.negative} color="red" />
                    <Progress.Section value={100 * (1 - theme.negative - theme.positive)} color="gray.4" />
                    <Progress.Section value={100 * theme.positive} color="teal" />
                  </Progress.Root>
                  <Text size="xs" c="dimmed">
                    {t('themes.shares', {
                      negative: Math.round(100 * theme.negative),
                      positive: Math.round(100 * theme.positive),
                    })}
                  </Text>
                  <Button size="xs" variant="subtle" onClick={() => setOpen(theme)}>
                    {t('themes.showTexts')}
                  </Button>
                </Stack>
              </Card>
            ))}
          </SimpleGrid>
        </>
      )}
      {open && run && <ThemeTexts run={run} theme={open} onClose={() => setOpen(null)} />}
    </>
  );
}

function ThemeTexts({ run, theme, onClose }: { run: ThemeRun; theme: ThemeSummary; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const texts = useInfiniteQuery({
    queryKey: ['themes', run.id, theme.index],
    initialPageParam: '',
    queryFn: ({ pageParam }) =>
      api.get<ThemeDocumentPage>(
        `/feedback/themes/runs/${run.id}/themes/${theme.index}/texts?limit=30${pageParam ? `&cursor=${pageParam}` : ''}`,
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = texts.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Drawer opened onClose={onClose} position="right" size="lg" title={theme.label}>
      <Stack gap="sm" data-testid="theme-texts">
        {items.map((item) => (
          <Card key={`${item.source}-${item.sourceId}`} withBorder padding="sm">
            <Group gap="xs" mb={4}>
              <Badge size="xs" variant="outline">
                {t(`themes.sources.${item.source}`)}
              </Badge>
              <Badge size="xs" variant="light" color={SENTIMENT_COLOR[item.sentiment]}>
                {t(`mentions.sentiments.${item.sentiment}`)}
              </Badge>
              <Text size="xs" c="dimmed">
                {relativeTime(item.at, i18n.language)}
              </Text>
              {item.ticketId && (
                <Anchor component={Link} to={`/tickets/${item.ticketId}`} size="xs">
                  {t('themes.ticket')}
                </Anchor>
              )}
            </Group>
            <Text size="sm">{item.excerpt}</Text>
          </Card>
        ))}
        {texts.hasNextPage && (
          <Button
            variant="subtle"
            loading={texts.isFetchingNextPage}
            onClick={() => void texts.fetchNextPage()}
          >
            {t('common.loadMore')}
          </Button>
        )}
      </Stack>
    </Drawer>
  );
}
