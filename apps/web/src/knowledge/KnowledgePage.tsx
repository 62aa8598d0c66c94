import type { KbArticlePage } from '@keepdesk/contract';
import { Button, Card, Group, Select, Switch, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconBook2, IconChartBar, IconFolders, IconPlus, IconSearch } from '@tabler/icons-react';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, query } from '../api';
import { EmptyState } from '../components/EmptyState';
import { PageHeader } from '../components/PageHeader';
import { can, useMe } from '../session';
import { relativeTime } from '../tickets/format';
import { PolicyBanner } from './PolicyBanner';
import { ArticleBadges, categoriesQuery, nameIn } from './parts';

interface Filters {
  q: string;
  status?: string;
  kind?: string;
  visibility?: string;
  language?: string;
  categoryId?: string;
  missingTranslation?: string;
  needsReview: boolean;
  mine: boolean;
}

/** The knowledge base for agents: every article and policy, filtered, with what needs attention badged. */
export function KnowledgePage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const [filters, setFilters] = useState<Filters>({ q: '', needsReview: false, mine: false });
  const [q] = useDebouncedValue(filters.q.trim(), 300);
  const categories = useQuery(categoriesQuery);
  const params = {
    ...filters,
    q: q || undefined,
    needsReview: filters.needsReview ? 'true' : undefined,
    mine: undefined,
    ownerId: filters.mine ? me.user.id : undefined,
    limit: 50,
  };
  const list = useInfiniteQuery({
    queryKey: ['kb', 'articles', params],
    queryFn: ({ pageParam }) =>
      api.get<KbArticlePage>(`/kb/articles${query({ ...params, cursor: pageParam })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  const set = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, ...patch }));
  const option = (value: string, key: string) => ({ value, label: t(key) });
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
      <Group gap="xs" mb="md" align="flex-end" wrap="wrap">
        <TextInput
          leftSection={<IconSearch size={16} />}
          placeholder={t('knowledge.filters.search')}
          aria-label={t('knowledge.filters.search')}
          value={filters.q}
          onChange={(event) => set({ q: event.currentTarget.value })}
          w={220}
        />
        <Select
          aria-label={t('knowledge.filters.status')}
          placeholder={t('knowledge.filters.status')}
          clearable
          w={150}
          value={filters.status ?? null}
          onChange={(value) => set({ status: value ?? undefined })}
          data={['draft', 'in_review', 'published', 'archived'].map((s) =>
            option(s, `knowledge.status.${s}`),
          )}
        />
        <Select
          aria-label={t('knowledge.filters.kind')}
          placeholder={t('knowledge.filters.kind')}
          clearable
          w={130}
          value={filters.kind ?? null}
          onChange={(value) => set({ kind: value ?? undefined })}
          data={[option('article', 'knowledge.kind.article'), option('policy', 'knowledge.kind.policy')]}
        />
        <Select
          aria-label={t('knowledge.filters.visibility')}
          placeholder={t('knowledge.filters.visibility')}
          clearable
          w={140}
          value={filters.visibility ?? null}
          onChange={(value) => set({ visibility: value ?? undefined })}
          data={[
            option('internal', 'knowledge.visibility.internal'),
            option('public', 'knowledge.visibility.public'),
          ]}
        />
        <Select
          aria-label={t('knowledge.filters.language')}
          placeholder={t('knowledge.filters.language')}
          clearable
          w={120}
          value={filters.language ?? null}
          onChange={(value) => set({ language: value ?? undefined })}
          data={[
            { value: 'de', label: 'Deutsch' },
            { value: 'en', label: 'English' },
          ]}
        />
        <Select
          aria-label={t('knowledge.filters.category')}
          placeholder={t('knowledge.filters.category')}
          clearable
          w={170}
          value={filters.categoryId ?? null}
          onChange={(value) => set({ categoryId: value ?? undefined })}
          data={(categories.data?.items ?? []).map((c) => ({
            value: c.id,
            label: nameIn(c.names, i18n.language),
          }))}
        />
        <Select
          aria-label={t('knowledge.filters.missing')}
          placeholder={t('knowledge.filters.missing')}
          clearable
          w={170}
          value={filters.missingTranslation ?? null}
          onChange={(value) => set({ missingTranslation: value ?? undefined })}
          data={[
            { value: 'de', label: t('knowledge.missingLanguage', { language: 'DE' }) },
            { value: 'en', label: t('knowledge.missingLanguage', { language: 'EN' }) },
          ]}
        />
        <Switch
          label={t('knowledge.filters.mine')}
          checked={filters.mine}
          onChange={(event) => set({ mine: event.currentTarget.checked })}
        />
        <Switch
          label={t('knowledge.needsReview')}
          checked={filters.needsReview}
          onChange={(event) => set({ needsReview: event.currentTarget.checked })}
        />
      </Group>
      <Card withBorder padding={0}>
        {list.isSuccess && items.length === 0 ? (
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
