import type { KbAnalytics } from '@keepdesk/contract';
import { BarChart } from '@mantine/charts';
import { Badge, Card, Group, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, query } from '../api';
import { PageHeader } from '../components/PageHeader';
import { relativeTime } from '../tickets/format';

/** The day `days` ago and today (UTC days, as the API counts them). */
function rangeOf(days: number): { from: string; to: string } {
  const day = (date: Date) => date.toISOString().slice(0, 10);
  return { from: day(new Date(Date.now() - (days - 1) * 86_400_000)), to: day(new Date()) };
}

const percent = (value: number | null) => (value === null ? '–' : `${Math.round(value * 100)} %`);

function Figure({ label, value, hint }: { label: string; value: string | number; hint?: string }) {
  return (
    <Card withBorder padding="md">
      <Text size="xs" fw={600} tt="uppercase" c="dimmed">
        {label}
      </Text>
      <Title order={2} size="h1">
        {value}
      </Title>
      {hint && (
        <Text size="sm" c="dimmed">
          {hint}
        </Text>
      )}
    </Card>
  );
}

function Empty() {
  const { t } = useTranslation();
  return (
    <Text size="sm" c="dimmed">
      {t('kbSearch.analytics.empty')}
    </Text>
  );
}

/** What readers search for and find: top queries, knowledge gaps, views over time and helpfulness. */
export function KnowledgeAnalyticsPage() {
  const { t, i18n } = useTranslation();
  const [days, setDays] = useState('30');
  const range = rangeOf(Number(days));
  const analytics = useQuery({
    queryKey: ['kb', 'analytics', range],
    queryFn: () => api.get<KbAnalytics>(`/kb/analytics${query(range)}`),
  });
  const data = analytics.data;
  return (
    <>
      <PageHeader
        title={t('kbSearch.analytics.title')}
        text={t('kbSearch.analytics.text')}
        action={
          <Select
            aria-label={t('kbSearch.analytics.period')}
            w={180}
            allowDeselect={false}
            value={days}
            onChange={(value) => setDays(value ?? '30')}
            data={['7', '30', '90', '365'].map((d) => ({
              value: d,
              label: t('kbSearch.analytics.lastDays', { count: Number(d) }),
            }))}
          />
        }
      />
      {!data ? (
        <Text c="dimmed">{t('common.loading')}</Text>
      ) : (
        <Stack gap="md">
          <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
            <Figure label={t('kbSearch.analytics.searches')} value={data.totals.searches} />
            <Figure
              label={t('kbSearch.analytics.noResult')}
              value={data.totals.noResultSearches}
              hint={percent(
                data.totals.searches ? data.totals.noResultSearches / data.totals.searches : null,
              )}
            />
            <Figure
              label={t('kbSearch.analytics.clickThrough')}
              value={percent(data.totals.clickThroughRate)}
            />
            <Figure
              label={t('kbSearch.analytics.views')}
              value={data.totals.views}
              hint={t('kbSearch.analytics.helpfulHint', {
                ratio: percent(data.totals.helpfulRatio),
                count: data.totals.helpfulVotes + data.totals.notHelpfulVotes,
              })}
            />
          </SimpleGrid>
          <Card withBorder padding="md">
            <Text fw={600} mb="xs">
              {t('kbSearch.analytics.viewsOverTime')}
            </Text>
            <BarChart
              h={200}
              data={data.viewsByDay}
              dataKey="day"
              series={[{ name: 'views', label: t('kbSearch.analytics.views'), color: 'blue.6' }]}
            />
          </Card>
          <SimpleGrid cols={{ base: 1, lg: 2 }}>
            <Card withBorder padding="md" data-testid="kb-top-queries">
              <Text fw={600} mb="xs">
                {t('kbSearch.analytics.topQueries')}
              </Text>
              {data.topQueries.length === 0 ? (
                <Empty />
              ) : (
                <Table striped>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('kbSearch.analytics.query')}</Table.Th>
                      <Table.Th ta="right">{t('kbSearch.analytics.count')}</Table.Th>
                      <Table.Th ta="right">{t('kbSearch.analytics.averageResults')}</Table.Th>
                      <Table.Th ta="right">{t('kbSearch.analytics.clickThrough')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data.topQueries.map((row) => (
                      <Table.Tr key={row.query}>
                        <Table.Td>{row.query}</Table.Td>
                        <Table.Td ta="right">{row.count}</Table.Td>
                        <Table.Td ta="right">{row.averageResults}</Table.Td>
                        <Table.Td ta="right">{percent(row.clickThroughRate)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
            </Card>
            <Card withBorder padding="md" data-testid="kb-gaps">
              <Text fw={600}>{t('kbSearch.analytics.gaps')}</Text>
              <Text size="sm" c="dimmed" mb="xs">
                {t('kbSearch.analytics.gapsText')}
              </Text>
              {data.gaps.length === 0 ? (
                <Empty />
              ) : (
                <Table striped>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('kbSearch.analytics.query')}</Table.Th>
                      <Table.Th ta="right">{t('kbSearch.analytics.count')}</Table.Th>
                      <Table.Th>{t('kbSearch.analytics.lastSeen')}</Table.Th>
                      <Table.Th>{t('kbSearch.analytics.languages')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data.gaps.map((row) => (
                      <Table.Tr key={row.query}>
                        <Table.Td>{row.query}</Table.Td>
                        <Table.Td ta="right">{row.count}</Table.Td>
                        <Table.Td>{relativeTime(row.lastSeenAt, i18n.language)}</Table.Td>
                        <Table.Td>{row.languages.map((l) => l.toUpperCase()).join(', ')}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
            </Card>
            <Card withBorder padding="md">
              <Text fw={600} mb="xs">
                {t('kbSearch.analytics.topArticles')}
              </Text>
              {data.topArticles.length === 0 ? (
                <Empty />
              ) : (
                <Table striped>
                  <Table.Tbody>
                    {data.topArticles.map((row) => (
                      <Table.Tr key={row.id}>
                        <Table.Td>
                          {row.title}{' '}
                          <Badge size="xs" variant="outline">
                            {row.language.toUpperCase()}
                          </Badge>
                        </Table.Td>
                        <Table.Td ta="right">
                          {t('kbSearch.analytics.viewCount', { count: row.views })}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
            </Card>
            <Card withBorder padding="md" data-testid="kb-helpfulness">
              <Text fw={600} mb="xs">
                {t('kbSearch.analytics.helpfulness')}
              </Text>
              {data.helpfulness.length === 0 ? (
                <Empty />
              ) : (
                <Stack gap="sm">
                  {data.helpfulness.map((row) => (
                    <Stack key={row.id} gap={2}>
                      <Group justify="space-between" wrap="nowrap">
                        <Text size="sm" fw={600}>
                          {row.title}
                        </Text>
                        <Badge color={row.ratio >= 0.7 ? 'teal' : row.ratio >= 0.4 ? 'yellow' : 'red'}>
                          {percent(row.ratio)}
                        </Badge>
                      </Group>
                      <Text size="xs" c="dimmed">
                        {t('kbSearch.analytics.votes', { helpful: row.helpful, notHelpful: row.notHelpful })}
                      </Text>
                      {row.recentComments.map((comment) => (
                        <Text key={`${comment.at}-${comment.comment}`} size="sm">
                          {comment.helpful ? '👍' : '👎'} “{comment.comment}”
                        </Text>
                      ))}
                    </Stack>
                  ))}
                </Stack>
              )}
            </Card>
          </SimpleGrid>
        </Stack>
      )}
    </>
  );
}
