import type { Ticket, TicketPage, View, ViewList } from '@keepdesk/contract';
import {
  ActionIcon,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  NavLink,
  ScrollArea,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { IconInbox, IconPencil, IconPlayerPlay, IconPlus } from '@tabler/icons-react';
import { useInfiniteQuery, useMutation, useQuery } from '@tanstack/react-query';
import { getRouteApi, Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, query } from '../api';
import { EmptyState } from '../components/EmptyState';
import { notifyError, notifySaved } from '../components/feedback';
import { can, useMe } from '../session';
import { BulkBar } from './BulkBar';
import { PRIORITY_COLOR, relativeTime, STATUS_COLOR } from './format';
import { NewTicketModal } from './NewTicketModal';
import { SlaBadge } from './SlaBadge';
import { ViewEditor } from './ViewEditor';

const route = getRouteApi('/app/tickets');

/** A view's name in the interface language: default views are translated, own views keep their name. */
export function useViewName() {
  const { t } = useTranslation();
  return (view: View) =>
    view.builtIn ? t(`views.builtIn.${view.builtIn}`, { defaultValue: view.name }) : view.name;
}

/** The agent's queue: views on the left with live counts, the chosen view's tickets on the right. */
export function TicketsPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const { view: viewId } = route.useSearch();
  const viewName = useViewName();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<View | 'new' | null>(null);
  const canShare = can(me, 'tickets:admin');
  const [checked, setChecked] = useState<Set<string>>(new Set());
  const takeNext = useMutation({
    mutationFn: () => api.post<Ticket | undefined>('/tickets/take-next'),
    onSuccess: async (ticket) => {
      if (!ticket) {
        notifySaved(t, t('tickets.nothingWaiting'));
        return;
      }
      await navigate({ to: '/tickets/$ticketId', params: { ticketId: ticket.id } });
    },
    onError: (error) => notifyError(t, error),
  });
  const views = useQuery({
    queryKey: ['views'],
    queryFn: () => api.get<ViewList>('/views'),
    refetchInterval: 30_000,
  });
  const current = views.data?.items.find((v) => v.id === viewId) ?? views.data?.items[0];
  const tickets = useInfiniteQuery({
    queryKey: ['views', current?.id, 'tickets'],
    queryFn: ({ pageParam }) =>
      api.get<TicketPage>(`/views/${current?.id}/tickets${query({ cursor: pageParam, limit: 50 })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    enabled: Boolean(current),
  });
  const rows = tickets.data?.pages.flatMap((p) => p.items) ?? [];
  // The keyboard selection belongs to the view it was made in; another view starts at the top.
  const [selection, setSelection] = useState({ view: '', index: 0 });
  const selected = selection.view === current?.id ? selection.index : 0;
  const setSelected = (next: (index: number) => number) =>
    setSelection({ view: current?.id ?? '', index: next(selected) });

  const open = (index: number) => {
    const ticket = rows[index];
    if (ticket) void navigate({ to: '/tickets/$ticketId', params: { ticketId: ticket.id } });
  };
  useHotkeys([
    ['j', () => setSelected((i) => Math.min(i + 1, rows.length - 1))],
    ['k', () => setSelected((i) => Math.max(i - 1, 0))],
    ['Enter', () => open(selected)],
    ['c', () => setCreating(true)],
  ]);

  return (
    <Group align="flex-start" gap="lg" wrap="nowrap">
      <Card withBorder padding="xs" w={250} style={{ flexShrink: 0 }}>
        <Group justify="space-between" px="sm" py={4}>
          <Text size="xs" fw={600} c="dimmed" tt="uppercase">
            {t('views.title')}
          </Text>
          <ActionIcon
            size="sm"
            variant="subtle"
            aria-label={t('viewEditor.create')}
            onClick={() => setEditing('new')}
          >
            <IconPlus size={14} />
          </ActionIcon>
        </Group>
        <ScrollArea.Autosize mah="70vh">
          {views.isPending && <Skeleton h={120} />}
          {views.data?.items.map((view) => (
            <NavLink
              key={view.id}
              label={viewName(view)}
              active={view.id === current?.id}
              renderRoot={(props) => <Link {...props} to="/tickets" search={{ view: view.id }} />}
              rightSection={
                <Badge size="sm" variant={view.id === current?.id ? 'filled' : 'light'} color="gray">
                  {view.countCapped ? `${view.count}+` : view.count}
                </Badge>
              }
            />
          ))}
        </ScrollArea.Autosize>
      </Card>
      <Stack gap="sm" style={{ flex: 1, minWidth: 0 }}>
        <Group justify="space-between">
          <Group gap={6}>
            <Title order={1} size="h3">
              {current ? viewName(current) : t('nav.tickets')}
            </Title>
            {current &&
              !current.builtIn &&
              (current.ownerId === me.user.id || (current.shared && canShare)) && (
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  aria-label={t('viewEditor.edit')}
                  onClick={() => setEditing(current)}
                >
                  <IconPencil size={16} />
                </ActionIcon>
              )}
          </Group>
          {can(me, 'tickets:write') && (
            <Group gap="xs">
              <Button
                variant="light"
                leftSection={<IconPlayerPlay size={16} />}
                loading={takeNext.isPending}
                onClick={() => takeNext.mutate()}
              >
                {t('tickets.takeNext')}
              </Button>
              <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
                {t('tickets.new')}
              </Button>
            </Group>
          )}
        </Group>
        {checked.size > 0 && (
          <BulkBar ids={[...checked]} myUserId={me.user.id} onDone={() => setChecked(new Set())} />
        )}
        <Card withBorder padding={0}>
          {rows.length === 0 && !tickets.isPending ? (
            <EmptyState icon={<IconInbox />} title={t('tickets.emptyTitle')} text={t('tickets.emptyText')} />
          ) : (
            <Table
              highlightOnHover
              verticalSpacing="xs"
              horizontalSpacing="md"
              aria-label={t('tickets.listLabel')}
            >
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={40}>
                    <Checkbox
                      aria-label={t('bulk.selectAll')}
                      checked={rows.length > 0 && rows.every((r) => checked.has(r.id))}
                      onChange={(event) =>
                        setChecked(event.currentTarget.checked ? new Set(rows.map((r) => r.id)) : new Set())
                      }
                    />
                  </Table.Th>
                  <Table.Th w={80}>#</Table.Th>
                  <Table.Th>{t('tickets.subject')}</Table.Th>
                  <Table.Th>{t('tickets.requester')}</Table.Th>
                  <Table.Th>{t('fields.status')}</Table.Th>
                  <Table.Th>{t('tickets.priority')}</Table.Th>
                  <Table.Th>{t('tickets.assignee')}</Table.Th>
                  <Table.Th>{t('tickets.updated')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((ticket, index) => (
                  <Table.Tr
                    key={ticket.id}
                    style={{ cursor: 'pointer' }}
                    bg={index === selected ? 'var(--mantine-color-blue-light)' : undefined}
                    onClick={() => open(index)}
                  >
                    <Table.Td onClick={(event) => event.stopPropagation()}>
                      <Checkbox
                        aria-label={t('bulk.select', { number: ticket.number })}
                        checked={checked.has(ticket.id)}
                        onChange={(event) => {
                          const next = new Set(checked);
                          if (event.currentTarget.checked) next.add(ticket.id);
                          else next.delete(ticket.id);
                          setChecked(next);
                        }}
                      />
                    </Table.Td>
                    <Table.Td c="dimmed">#{ticket.number}</Table.Td>
                    <Table.Td fw={500}>{ticket.subject}</Table.Td>
                    <Table.Td>
                      <Text size="sm">{ticket.requester.name}</Text>
                      {ticket.organization && (
                        <Text size="xs" c="dimmed">
                          {ticket.organization.name}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td style={{ minWidth: 120 }}>
                      <Group gap={4} wrap="nowrap">
                        <Badge color={STATUS_COLOR[ticket.statusCategory]} variant="light">
                          {t(`status.${ticket.status}`, { defaultValue: ticket.status })}
                        </Badge>
                        <SlaBadge sla={ticket.sla} compact />
                      </Group>
                    </Table.Td>
                    <Table.Td style={{ minWidth: 120 }}>
                      <Badge color={PRIORITY_COLOR[ticket.priority]} variant="dot">
                        {t(`priority.${ticket.priority}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{ticket.assignee?.name ?? <Text c="dimmed">—</Text>}</Table.Td>
                    <Table.Td c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                      {relativeTime(ticket.updatedAt, i18n.language)}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Card>
        {tickets.hasNextPage && (
          <Button
            variant="subtle"
            w="fit-content"
            loading={tickets.isFetchingNextPage}
            onClick={() => tickets.fetchNextPage()}
          >
            {t('common.loadMore')}
          </Button>
        )}
        <Text size="xs" c="dimmed">
          {t('tickets.keys')}
        </Text>
      </Stack>
      {creating && <NewTicketModal onClose={() => setCreating(false)} />}
      {editing && (
        <ViewEditor
          view={editing === 'new' ? null : editing}
          canShare={canShare}
          onClose={() => setEditing(null)}
        />
      )}
    </Group>
  );
}
