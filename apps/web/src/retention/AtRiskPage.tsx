import {
  type AccountRisk,
  type AtRiskPage as AtRiskPageData,
  type ChurnModelList,
  type CustomerAccountPage,
  type RetentionSettings,
  RISK_BANDS,
  type RiskBand,
} from '@keepdesk/contract';
import { Anchor, Button, Card, Code, Group, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedCallback, useHotkeys } from '@mantine/hooks';
import { IconChartLine, IconFilterOff, IconSearch, IconUpload, IconUsers } from '@tabler/icons-react';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { getRouteApi, Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, query } from '../api';
import { EmptyState } from '../components/EmptyState';
import { PageHeader } from '../components/PageHeader';
import { can, useMe } from '../session';
import { relativeTime } from '../tickets/format';
import { HealthBadge, HealthTrend, RiskBadge } from './Badges';
import { formatMoney, healthBandLabel } from './format';
import { RetentionTabs } from './RetentionTabs';
import { ScoreButton, TrainButton } from './RunButtons';
import { describeReason } from './reasons';

const route = getRouteApi('/app/retention');
const DEFAULT_HEALTH_BANDS = ['healthy', 'watch', 'at_risk'];

/** The filters of the list as the address keeps them, so "back" from an account returns to the same list. */
export interface AtRiskSearch {
  riskBand?: RiskBand;
  healthBand?: string;
  owner?: 'me' | 'none';
  q?: string;
}

/** Reads the list's filters from the address, keeping only values it understands. */
export function parseAtRiskSearch(search: Record<string, unknown>): AtRiskSearch {
  const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : undefined);
  const riskBand = RISK_BANDS.find((band) => band === search.riskBand);
  const owner = search.owner === 'me' || search.owner === 'none' ? search.owner : undefined;
  return { riskBand, healthBand: text(search.healthBand), owner, q: text(search.q) };
}

/** The accounts most worth saving first: ranked by value at risk, with the reason and who owns them. */
export function AtRiskPage() {
  const { t } = useTranslation();
  const search = route.useSearch();
  const navigate = useNavigate();
  const setSearch = (next: Partial<AtRiskSearch>) =>
    void navigate({ to: '/retention', search: (previous) => ({ ...previous, ...next }), replace: true });
  const [text, setText] = useState(search.q ?? '');
  // A search the address changed by itself (the navigation link, "clear filters") shows in the box too.
  const [shownQuery, setShownQuery] = useState(search.q);
  if (shownQuery !== search.q) {
    setShownQuery(search.q);
    if ((search.q ?? '') !== text.trim()) setText(search.q ?? '');
  }
  const searchFor = useDebouncedCallback((value: string) => setSearch({ q: value.trim() || undefined }), 300);

  const filtered = Boolean(search.riskBand || search.healthBand || search.owner || search.q);
  const list = useInfiniteQuery({
    queryKey: ['retention', 'at-risk', search],
    queryFn: ({ pageParam }) =>
      api.get<AtRiskPageData>(`/retention/at-risk${query({ ...search, cursor: pageParam, limit: 50 })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const rows = list.data?.pages.flatMap((page) => page.items) ?? [];
  const models = useQuery({
    queryKey: ['retention', 'models'],
    queryFn: () => api.get<ChurnModelList>('/retention/models'),
  });
  const settings = useQuery({
    queryKey: ['retention', 'settings'],
    queryFn: () => api.get<RetentionSettings>('/retention/settings'),
  });
  const healthBands = settings.data?.health.bands.map((band) => band.key) ?? DEFAULT_HEALTH_BANDS;

  // The keyboard selection belongs to the filters it was made under; other filters start at the top.
  const filters = JSON.stringify(search);
  const [selection, setSelection] = useState({ filters: '', index: 0 });
  const selected = selection.filters === filters ? selection.index : 0;
  const setSelected = (next: (index: number) => number) => setSelection({ filters, index: next(selected) });
  const open = (index: number) => {
    const row = rows[index];
    if (row) void navigate({ to: '/retention/accounts/$accountId', params: { accountId: row.account.id } });
  };
  useHotkeys([
    ['j', () => setSelected((i) => Math.min(i + 1, rows.length - 1))],
    ['k', () => setSelected((i) => Math.max(i - 1, 0))],
    ['Enter', () => open(selected)],
  ]);

  return (
    <>
      <PageHeader title={t('retention.title')} text={t('retention.text')} />
      <RetentionTabs active="atRisk" />
      <Group mb="md" gap="sm" align="flex-end">
        <TextInput
          w={260}
          leftSection={<IconSearch size={16} />}
          aria-label={t('retention.filters.search')}
          placeholder={t('retention.filters.search')}
          value={text}
          onChange={(event) => {
            setText(event.currentTarget.value);
            searchFor(event.currentTarget.value);
          }}
        />
        <Select
          w={170}
          clearable
          aria-label={t('retention.filters.riskBand')}
          placeholder={t('retention.filters.riskBand')}
          value={search.riskBand ?? null}
          data={RISK_BANDS.map((band) => ({ value: band, label: t(`retention.risk.${band}`) }))}
          onChange={(value) => setSearch({ riskBand: (value as RiskBand | null) ?? undefined })}
        />
        <Select
          w={170}
          clearable
          aria-label={t('retention.filters.healthBand')}
          placeholder={t('retention.filters.healthBand')}
          value={search.healthBand ?? null}
          data={healthBands.map((band) => ({ value: band, label: healthBandLabel(t, band) }))}
          onChange={(value) => setSearch({ healthBand: value ?? undefined })}
        />
        <Select
          w={170}
          allowDeselect={false}
          aria-label={t('retention.filters.owner')}
          value={search.owner ?? 'all'}
          data={[
            { value: 'all', label: t('retention.filters.ownerAll') },
            { value: 'me', label: t('retention.filters.ownerMe') },
            { value: 'none', label: t('retention.filters.ownerNone') },
          ]}
          onChange={(value) => setSearch({ owner: value === 'me' || value === 'none' ? value : undefined })}
        />
      </Group>
      {models.isSuccess && rows.length > 0 && !models.data.items.some((m) => m.status === 'active') && (
        <Card withBorder padding="sm" mb="md" bg="var(--mantine-color-yellow-light)">
          <Group justify="space-between">
            <Text size="sm">{t('retention.empty.noModelBanner')}</Text>
            <TrainButton />
          </Group>
        </Card>
      )}
      <Card withBorder padding={0}>
        {list.isSuccess && rows.length === 0 ? (
          <ListEmptyState
            filtered={filtered}
            hasModel={models.data?.items.some((m) => m.status === 'active')}
            onClear={() => void navigate({ to: '/retention', search: {}, replace: true })}
          />
        ) : (
          <AtRiskTable rows={rows} selected={selected} onOpen={open} />
        )}
      </Card>
      {list.hasNextPage && (
        <Button
          variant="subtle"
          mt="sm"
          loading={list.isFetchingNextPage}
          onClick={() => void list.fetchNextPage()}
        >
          {t('common.loadMore')}
        </Button>
      )}
      {rows.length > 0 && (
        <Text size="xs" c="dimmed" mt="sm">
          {t('retention.keys')}
        </Text>
      )}
    </>
  );
}

function AtRiskTable({
  rows,
  selected,
  onOpen,
}: {
  rows: AccountRisk[];
  selected: number;
  onOpen: (index: number) => void;
}) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  return (
    <Table.ScrollContainer minWidth={1000}>
      <Table highlightOnHover verticalSpacing="xs" aria-label={t('retention.listLabel')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={40}>#</Table.Th>
            <Table.Th>{t('retention.columns.account')}</Table.Th>
            <Table.Th>{t('retention.columns.risk')}</Table.Th>
            <Table.Th ta="right">{t('retention.columns.value')}</Table.Th>
            <Table.Th ta="right">{t('retention.columns.valueAtRisk')}</Table.Th>
            <Table.Th>{t('retention.columns.health')}</Table.Th>
            <Table.Th>{t('retention.columns.reason')}</Table.Th>
            <Table.Th>{t('retention.columns.lastContact')}</Table.Th>
            <Table.Th ta="right">{t('retention.columns.openTickets')}</Table.Th>
            <Table.Th>{t('retention.columns.owner')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row, index) => {
            const reason = row.raising[0] && describeReason(t, row.raising[0], language);
            return (
              <Table.Tr
                key={row.account.id}
                data-testid="at-risk-row"
                data-value={row.valueAtRisk}
                style={{ cursor: 'pointer' }}
                bg={index === selected ? 'var(--mantine-color-blue-light)' : undefined}
                onClick={() => onOpen(index)}
              >
                <Table.Td c="dimmed">{index + 1}</Table.Td>
                <Table.Td>
                  <Anchor
                    component={Link}
                    to={`/retention/accounts/${row.account.id}`}
                    fw={500}
                    onClick={(event) => event.stopPropagation()}
                  >
                    {row.account.name || row.account.externalId}
                  </Anchor>
                  <Text size="xs" c="dimmed">
                    {row.account.externalId}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <RiskBadge band={row.riskBand} probability={row.probability} />
                </Table.Td>
                <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                  {formatMoney(row.value, language)}
                </Table.Td>
                <Table.Td ta="right" fw={600} style={{ whiteSpace: 'nowrap' }}>
                  {formatMoney(row.valueAtRisk, language)}
                </Table.Td>
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    <HealthBadge band={row.healthBand} score={row.healthScore} />
                    <HealthTrend trend={row.healthTrend} />
                  </Group>
                </Table.Td>
                <Table.Td maw={280}>
                  <Text size="sm" lineClamp={3} title={reason} data-testid="top-reason">
                    {reason ?? '–'}
                  </Text>
                </Table.Td>
                <Table.Td c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                  {row.lastContactAt ? relativeTime(row.lastContactAt, language) : t('retention.never')}
                </Table.Td>
                <Table.Td ta="right">{row.openTickets}</Table.Td>
                <Table.Td>{row.owner?.name ?? <Text c="dimmed">{t('retention.unassigned')}</Text>}</Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/**
 * Why the list is empty, and what helps: import accounts when there are none, train the model when there is no
 * model, score when nothing was scored yet, loosen the filters when they match nothing.
 */
function ListEmptyState({
  filtered,
  hasModel,
  onClear,
}: {
  filtered: boolean;
  hasModel: boolean | undefined;
  onClear: () => void;
}) {
  const { t } = useTranslation();
  const me = useMe();
  const accounts = useQuery({
    queryKey: ['retention', 'any-account'],
    queryFn: () => api.get<CustomerAccountPage>('/customer-accounts?limit=1'),
    enabled: !filtered,
  });
  const mayRun = can(me, 'retention:manage');
  if (filtered) {
    return (
      <Stack align="center" gap={0} pb="xl">
        <EmptyState
          icon={<IconFilterOff size={24} />}
          title={t('retention.empty.noMatchTitle')}
          text={t('retention.empty.noMatchText')}
        />
        <Button variant="light" onClick={onClear}>
          {t('retention.filters.clear')}
        </Button>
      </Stack>
    );
  }
  if (!accounts.isSuccess || hasModel === undefined) return <Text p="md">{t('common.loading')}</Text>;
  if (accounts.data.items.length === 0) {
    return (
      <Stack align="center" gap="xs" pb="xl" data-testid="no-accounts">
        <EmptyState
          icon={<IconUsers size={24} />}
          title={t('retention.empty.noAccountsTitle')}
          text={t('retention.empty.noAccountsText')}
        />
        {can(me, 'customers:write') && (
          <Button component={Link} to="/retention/import" leftSection={<IconUpload size={16} />}>
            {t('customerImport.emptyLink')}
          </Button>
        )}
        <Code block>keepdesk customers import accounts FILE.csv</Code>
        <Text size="sm" c="dimmed" ta="center" maw={480}>
          {t('retention.empty.noAccountsApi')} <Code>POST /api/v1/customer-accounts/bulk</Code>
        </Text>
      </Stack>
    );
  }
  return (
    <Stack align="center" gap={0} pb="xl" data-testid={hasModel ? 'not-scored' : 'no-model'}>
      <EmptyState
        icon={<IconChartLine size={24} />}
        title={t(hasModel ? 'retention.empty.notScoredTitle' : 'retention.empty.noModelTitle')}
        text={
          mayRun
            ? t(hasModel ? 'retention.empty.notScoredText' : 'retention.empty.noModelText')
            : t('retention.empty.askManager')
        }
      />
      {mayRun && (hasModel ? <ScoreButton /> : <TrainButton />)}
    </Stack>
  );
}
