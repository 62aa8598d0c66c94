import type { KbArticlePage } from '@keepdesk/contract';
import { Button, Card, Group, Table, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconBook2, IconChartBar, IconFolders, IconPlus } from '@tabler/icons-react';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, query } from '../api';
import { EmptyState } from '../components/EmptyState';
import { PageHeader } from '../components/PageHeader';
import { can, useMe } from '../session';
import { relativeTime } from '../tickets/format';
import { FilterBar, NoMatch } from './FilterBar';
import { articleQuery, type Filters, isFiltered, NO_FILTERS } from './list-filters';
import { PolicyBanner } from './PolicyBanner';
import { ArticleBadges, categoriesQuery } from './parts';

/**
 * The knowledge base for agents: every article and policy, filtered, with what needs attention badged. It
 * refreshes itself when anyone changes an article (`kb_article` live events, see ../live.ts).
 */
export function KnowledgePage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [q] = useDebouncedValue(filters.q.trim(), 300);
  const categories = useQuery(categoriesQuery);
  const params = { ...articleQuery(filters, q, me.user.id), limit: 50 };
  const list = useInfiniteQuery({
    queryKey: ['kb', 'articles', params],
    queryFn: ({ pageParam }) =>
      api.get<KbArticlePage>(`/kb/articles${query({ ...params, cursor: pageParam })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  const set = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, ...patch }));
  return (
    <>
      <PageHeader
        title={t('knowledge.title')}
        text={t('knowledge.text')}
        action={
          <Group gap="xs">
            <Button
              component={Link}
              to="/knowledge/analytics"
              variant="default"
              leftSection={<IconChartBar size={16} />}
            >
              {t('kbSearch.analytics.title')}
            </Button>
            {can(me, 'kb:publish') && (
              <Button
                component={Link}
                to="/knowledge/categories"
                variant="default"
                leftSection={<IconFolders size={16} />}
              >
                {t('knowledge.categories.title')}
              </Button>
            )}
            {can(me, 'kb:write') && (
              <Button component={Link} to="/knowledge/new" leftSection={<IconPlus size={16} />}>
                {t('knowledge.new')}
              </Button>
            )}
          </Group>
        }
      />
      <PolicyBanner />
      <FilterBar
        filters={filters}
        onChange={set}
        categories={categories.data?.items ?? []}
        myUserId={me.user.id}
      />
      <Card withBorder padding={0}>
        {list.isSuccess && items.length === 0 && isFiltered(filters) ? (
          <NoMatch onClear={() => setFilters(NO_FILTERS)} />
        ) : list.isSuccess && items.length === 0 ? (
          <EmptyState
            icon={<IconBook2 size={24} />}
            title={t('knowledge.emptyTitle')}
            text={t('knowledge.emptyText')}
          />
        ) : (
          <Table verticalSpacing="sm" highlightOnHover aria-label={t('knowledge.title')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('knowledge.fields.title')}</Table.Th>
                <Table.Th>{t('knowledge.fields.language')}</Table.Th>
                <Table.Th>{t('knowledge.fields.owner')}</Table.Th>
                <Table.Th>{t('knowledge.fields.updated')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((article) => (
                <Table.Tr key={article.id} data-testid="kb-article-row">
                  <Table.Td>
                    <Link
                      to="/knowledge/articles/$articleId"
                      params={{ articleId: article.id }}
                      style={{ color: 'var(--mantine-color-anchor)', fontWeight: 500 }}
                    >
                      {article.title}
                    </Link>
                    <ArticleBadges article={article} />
                  </Table.Td>
                  <Table.Td>{article.language.toUpperCase()}</Table.Td>
                  <Table.Td>{article.owner?.name ?? '—'}</Table.Td>
                  <Table.Td>
                    <Text size="sm" c="dimmed">
                      {relativeTime(article.updatedAt, i18n.language)}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
      {list.hasNextPage && (
        <Group justify="center" mt="md">
          <Button
            variant="default"
            loading={list.isFetchingNextPage}
            onClick={() => void list.fetchNextPage()}
          >
            {t('knowledge.more')}
          </Button>
        </Group>
      )}
    </>
  );
}
