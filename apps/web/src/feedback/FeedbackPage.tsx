import type {
  Rating,
  ScoreGroup,
  ScoreReport,
  SurveyKind,
  SurveyResponse,
  SurveyResponsePage,
} from '@keepdesk/contract';
import { LineChart } from '@mantine/charts';
import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Progress,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { IconMessageCircle } from '@tabler/icons-react';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { EmptyState } from '../components/EmptyState';
import { PageHeader } from '../components/PageHeader';
import { lastDays, todayIn } from '../reports/periods';
import { useMe } from '../session';
import { relativeTime } from '../tickets/format';
import { TagFeedbackButton } from './FeedbackItemsPage';
import { FeedbackTabs } from './FeedbackTabs';

const RATING_COLOR: Record<Rating, string> = {
  satisfied: 'teal',
  unsatisfied: 'red',
  promoter: 'teal',
  passive: 'yellow',
  detractor: 'red',
};

const GROUPS = ['agent', 'team', 'channel', 'organization'] as const;

/** A score as people read it: CSAT in %, NPS as a signed whole number, CES with one decimal. */
export function formatScore(kind: SurveyKind, value: number | null): string {
  if (value === null) return '–';
  if (kind === 'csat') return `${Math.round(value)} %`;
  if (kind === 'nps') return `${value > 0 ? '+' : ''}${Math.round(value)}`;
  return value.toFixed(1);
}

/** Feedback: CSAT, NPS and CES with their 95 % intervals, by period and by agent, team, channel, organisation. */
export function FeedbackPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const [kind, setKind] = useState<SurveyKind>('csat');
  const [days, setDays] = useState('30');
  const [groupBy, setGroupBy] = useState<(typeof GROUPS)[number]>('agent');
  const [withComment, setWithComment] = useState(false);
  const zone = me.user.timeZone;
  // Days in the user's time zone, as the API counts them (not the browser's: they differ around midnight).
  const range = lastDays(Number(days), todayIn(zone));
  const params = (extra: Record<string, string>) =>
    new URLSearchParams({ kind, ...range, timeZone: zone, ...extra }).toString();
  const overall = useQuery({
    queryKey: ['survey_responses', 'scores', kind, range, 'none'],
    queryFn: () => api.get<ScoreReport>(`/feedback/scores?${params({ groupBy: 'none' })}`),
  });
  const trend = useQuery({
    queryKey: ['survey_responses', 'scores', kind, range, 'trend'],
    queryFn: () =>
      api.get<ScoreReport>(`/feedback/scores?${params({ groupBy: Number(days) > 31 ? 'week' : 'day' })}`),
  });
  const grouped = useQuery({
    queryKey: ['survey_responses', 'scores', kind, range, groupBy],
    queryFn: () => api.get<ScoreReport>(`/feedback/scores?${params({ groupBy })}`),
  });
  const responses = useInfiniteQuery({
    queryKey: ['survey_responses', 'list', kind, range, withComment],
    initialPageParam: '',
    queryFn: ({ pageParam }) =>
      api.get<SurveyResponsePage>(
        `/feedback/responses?${new URLSearchParams({
          kind,
          ...range,
          timeZone: zone,
          limit: '25',
          ...(withComment ? { withComment: 'true' } : {}),
          ...(pageParam ? { cursor: pageParam } : {}),
        }).toString()}`,
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const total = overall.data?.groups[0];
  const answers = responses.data?.pages.flatMap((p) => p.items) ?? [];
  const trendData = (trend.data?.groups ?? []).map((g) => ({
    period: g.key ?? '',
    score: g.score === null ? null : Math.round(g.score * 10) / 10,
    low: g.low === null ? null : Math.round(g.low * 10) / 10,
    high: g.high === null ? null : Math.round(g.high * 10) / 10,
  }));
  return (
    <>
      <PageHeader title={t('feedbackReport.title')} text={t('feedbackReport.text')} />
      <FeedbackTabs active="surveys" />
      <Group mb="md" gap="md">
        <SegmentedControl
          value={kind}
          onChange={(value) => setKind(value as SurveyKind)}
          data={(['csat', 'nps', 'ces'] as const).map((k) => ({ value: k, label: t(`surveys.kind.${k}`) }))}
          aria-label={t('feedbackReport.kind')}
        />
        <Select
          aria-label={t('feedbackReport.period')}
          w={180}
          allowDeselect={false}
          value={days}
          onChange={(value) => setDays(value ?? '30')}
          data={['7', '30', '90', '365'].map((d) => ({
            value: d,
            label: t('feedbackReport.lastDays', { count: Number(d) }),
          }))}
        />
      </Group>
      <SimpleGrid cols={{ base: 1, md: 3 }} mb="md">
        <Card withBorder padding="md" data-testid="score-card">
          <Text size="xs" fw={600} tt="uppercase" c="dimmed">
            {t(`surveys.kind.${kind}`)}
          </Text>
          <Title order={2} size="h1">
            {formatScore(kind, total?.score ?? null)}
          </Title>
          <Text size="sm" c="dimmed">
            {total && total.low !== null
              ? t('feedbackReport.interval', {
                  low: formatScore(kind, total.low),
                  high: formatScore(kind, total.high),
                })
              : t('feedbackReport.noInterval')}
          </Text>
        </Card>
        <Card withBorder padding="md">
          <Text size="xs" fw={600} tt="uppercase" c="dimmed">
            {t('feedbackReport.answers')}
          </Text>
          <Title order={2} size="h1">
            {total?.answers ?? 0}
          </Title>
          <Text size="sm" c="dimmed">
            {kind === 'nps' && total
              ? t('feedbackReport.npsSplit', {
                  promoters: total.promoters ?? 0,
                  passives: total.passives ?? 0,
                  detractors: total.detractors ?? 0,
                })
              : kind === 'csat' && total
                ? t('feedbackReport.satisfied', { count: total.satisfied ?? 0 })
                : ''}
          </Text>
        </Card>
        <Card withBorder padding="md">
          <Text size="xs" fw={600} tt="uppercase" c="dimmed">
            {t('feedbackReport.responseRate')}
          </Text>
          <Title order={2} size="h1">
            {total?.responseRate.estimate == null
              ? '–'
              : `${Math.round(100 * total.responseRate.estimate)} %`}
          </Title>
          <Text size="sm" c="dimmed">
            {t('feedbackReport.sent', { count: total?.sent ?? 0 })}
          </Text>
        </Card>
      </SimpleGrid>
      <Card withBorder padding="md" mb="md">
        <Text fw={600} mb="xs">
          {t('feedbackReport.trend')}
        </Text>
        {trendData.length === 0 ? (
          <Text c="dimmed" size="sm">
            {t('feedbackReport.noAnswersYet')}
          </Text>
        ) : (
          <LineChart
            h={220}
            data={trendData}
            dataKey="period"
            connectNulls
            withLegend
            series={[
              { name: 'score', label: t(`surveys.kind.${kind}`), color: 'blue.6' },
              { name: 'low', label: t('feedbackReport.low'), color: 'gray.4', strokeDasharray: '4 4' },
              { name: 'high', label: t('feedbackReport.high'), color: 'gray.4', strokeDasharray: '4 4' },
            ]}
            yAxisProps={
              kind === 'csat'
                ? { domain: [0, 100] }
                : kind === 'nps'
                  ? { domain: [-100, 100] }
                  : { domain: [1, 7] }
            }
          />
        )}
      </Card>
      <Card withBorder padding={0} mb="md">
        <Group p="md" justify="space-between">
          <Text fw={600}>{t('feedbackReport.byGroup')}</Text>
          <SegmentedControl
            size="xs"
            value={groupBy}
            onChange={(value) => setGroupBy(value as (typeof GROUPS)[number])}
            data={GROUPS.map((g) => ({ value: g, label: t(`feedbackReport.groups.${g}`) }))}
          />
        </Group>
        <GroupTable kind={kind} groupBy={groupBy} groups={grouped.data?.groups ?? []} />
      </Card>
      <Card withBorder padding={0}>
        <Group p="md" justify="space-between">
          <Text fw={600}>{t('feedbackReport.latest')}</Text>
          <Switch
            label={t('feedbackReport.onlyComments')}
            checked={withComment}
            onChange={(e) => setWithComment(e.currentTarget.checked)}
          />
        </Group>
        {responses.isSuccess && answers.length === 0 ? (
          <EmptyState
            icon={<IconMessageCircle size={24} />}
            title={t('feedbackReport.emptyTitle')}
            text={t('feedbackReport.emptyText')}
          />
        ) : (
          <Stack gap={0}>
            {answers.map((answer) => (
              <AnswerRow key={answer.id} answer={answer} language={i18n.language} />
            ))}
            {responses.hasNextPage && (
              <Button
                variant="subtle"
                m="sm"
                loading={responses.isFetchingNextPage}
                onClick={() => void responses.fetchNextPage()}
              >
                {t('common.loadMore')}
              </Button>
            )}
          </Stack>
        )}
      </Card>
    </>
  );
}

function GroupTable({ kind, groupBy, groups }: { kind: SurveyKind; groupBy: string; groups: ScoreGroup[] }) {
  const { t } = useTranslation();
  if (groups.length === 0) {
    return (
      <Text c="dimmed" size="sm" p="md">
        {t('feedbackReport.noAnswersYet')}
      </Text>
    );
  }
  const [min, max] = kind === 'csat' ? [0, 100] : kind === 'nps' ? [-100, 100] : [1, 7];
  const position = (value: number) => (100 * (value - min)) / (max - min);
  return (
    <Table verticalSpacing="xs" aria-label={t('feedbackReport.byGroup')} data-testid="score-groups">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t(`feedbackReport.groups.${groupBy}`)}</Table.Th>
          <Table.Th>{t('feedbackReport.answers')}</Table.Th>
          <Table.Th>{t(`surveys.kind.${kind}`)}</Table.Th>
          <Table.Th w="35%">{t('feedbackReport.intervalShort')}</Table.Th>
          <Table.Th>{t('feedbackReport.responseRate')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {groups.map((group) => (
          <Table.Tr key={group.key ?? 'none'}>
            <Table.Td>
              {group.key === null
                ? t('feedbackReport.none')
                : groupBy === 'channel'
                  ? t(`channel.${group.label}`)
                  : group.label}
            </Table.Td>
            <Table.Td>{group.answers}</Table.Td>
            <Table.Td fw={600}>{formatScore(kind, group.score)}</Table.Td>
            <Table.Td>
              {group.low !== null && group.high !== null ? (
                <Tooltip label={`${formatScore(kind, group.low)} – ${formatScore(kind, group.high)}`}>
                  <Progress.Root
                    size="lg"
                    aria-label={`${formatScore(kind, group.low)} – ${formatScore(kind, group.high)}`}
                  >
                    <Progress.Section value={position(group.low)} color="transparent" />
                    <Progress.Section
                      value={position(group.high) - position(group.low)}
                      color={group.answers < 10 ? 'gray' : 'blue'}
                    />
                  </Progress.Root>
                </Tooltip>
              ) : (
                <Text size="xs" c="dimmed">
                  {t('feedbackReport.noInterval')}
                </Text>
              )}
            </Table.Td>
            <Table.Td>
              {group.responseRate.estimate === null
                ? '–'
                : `${Math.round(100 * group.responseRate.estimate)} %`}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** One answer: its rating, the comment, and who and what it concerns. */
export function AnswerRow({ answer, language }: { answer: SurveyResponse; language: string }) {
  const { t } = useTranslation();
  return (
    <Stack
      gap={2}
      px="md"
      py="sm"
      style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}
      data-testid="survey-answer"
    >
      <Group gap="xs">
        <RatingBadge answer={answer} />
        <Text size="sm" fw={600}>
          {answer.contact?.name || t('feedbackReport.unknownContact')}
        </Text>
        {answer.organization && (
          <Text size="sm" c="dimmed">
            {answer.organization.name}
          </Text>
        )}
        <Text size="xs" c="dimmed">
          {relativeTime(answer.answeredAt, language)}
        </Text>
      </Group>
      {answer.comment && <Text size="sm">“{answer.comment}”</Text>}
      <Group gap="xs">
        {answer.ticket && (
          <Anchor component={Link} to={`/tickets/${answer.ticket.id}`} size="xs">
            #{answer.ticket.number} {answer.ticket.subject}
          </Anchor>
        )}
        {answer.agent && (
          <Text size="xs" c="dimmed">
            {answer.agent.name}
          </Text>
        )}
        {answer.team && (
          <Text size="xs" c="dimmed">
            · {answer.team.name}
          </Text>
        )}
        <TagFeedbackButton source="survey_response" sourceId={answer.id} />
        {answer.followUpTicketId && (
          <Anchor component={Link} to={`/tickets/${answer.followUpTicketId}`} size="xs">
            {t('feedbackReport.followUp')}
          </Anchor>
        )}
      </Group>
    </Stack>
  );
}

export function RatingBadge({ answer }: { answer: SurveyResponse }) {
  const { t } = useTranslation();
  const label =
    answer.scale === 'good-bad'
      ? t(answer.score === 1 ? 'feedbackReport.good' : 'feedbackReport.bad')
      : `${answer.score} / ${answer.scale.split('-')[1]}`;
  return (
    <Badge variant="light" color={answer.rating ? RATING_COLOR[answer.rating] : 'blue'} data-testid="rating">
      {t(`surveys.kind.${answer.kind}`)} · {label}
    </Badge>
  );
}
