import type { SearchResult } from '@keepdesk/contract';
import { Anchor, Badge, Button, Card, Group, Stack, Text, Title, Typography } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { api, query } from '../api';
import { EmptyState } from '../components/EmptyState';
import { relativeTime, STATUS_COLOR } from './format';

const route = getRouteApi('/app/search');

/** Search results: tickets ranked with a highlighted snippet, and the contacts that match. */
export function SearchPage() {
  const { t, i18n } = useTranslation();
  const { q } = route.useSearch();
  const results = useInfiniteQuery({
    queryKey: ['search', q],
    queryFn: ({ pageParam }) => api.get<SearchResult>(`/search${query({ q, cursor: pageParam, limit: 25 })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    enabled: Boolean(q),
  });
  const hits = results.data?.pages.flatMap((p) => p.tickets) ?? [];
  const contacts = results.data?.pages[0]?.contacts ?? [];
  return (
    <Stack maw={900}>
      <Title order={1} size="h3">
        {t('search.resultsFor', { q })}
      </Title>
      <Text size="xs" c="dimmed">
        {t('search.syntax')}
      </Text>
      {contacts.length > 0 && (
        <Group gap="xs">
          <Text size="sm" fw={600}>
            {t('search.contacts')}:
          </Text>
          {contacts.map((contact) => (
            <Badge key={contact.id} variant="light" size="lg" tt="none">
              {contact.name || contact.email} {contact.organization ? `· ${contact.organization.name}` : ''}
            </Badge>
          ))}
        </Group>
      )}
      {hits.length === 0 && !results.isPending ? (
        <EmptyState icon={<IconSearch />} title={t('search.emptyTitle')} text={t('search.emptyText')} />
      ) : (
        hits.map((hit) => (
          <Card key={hit.ticket.id} withBorder padding="md" data-testid="search-hit">
            <Group justify="space-between" mb={4}>
              <Anchor component={Link} to={`/tickets/${hit.ticket.id}`} fw={600}>
                #{hit.ticket.number} {hit.ticket.subject}
              </Anchor>
              <Badge color={STATUS_COLOR[hit.ticket.statusCategory]} variant="light">
                {t(`status.${hit.ticket.status}`, { defaultValue: hit.ticket.status })}
              </Badge>
            </Group>
            <Typography>
              {/* biome-ignore lint/security/noDangerouslySetInnerHtml: the server escapes the snippet and adds only <mark>. */}
              <Text size="sm" dangerouslySetInnerHTML={{ __html: hit.snippet }} />
            </Typography>
            <Text size="xs" c="dimmed" mt={4}>
              {hit.ticket.requester.name} · {relativeTime(hit.ticket.updatedAt, i18n.language)}
            </Text>
          </Card>
        ))
      )}
      {results.hasNextPage && (
        <Button
          variant="subtle"
          w="fit-content"
          loading={results.isFetchingNextPage}
          onClick={() => results.fetchNextPage()}
        >
          {t('common.loadMore')}
        </Button>
      )}
    </Stack>
  );
}
