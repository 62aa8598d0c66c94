import { Button, Group, Paper, SegmentedControl, Stack, Tabs, Text, Title } from '@mantine/core';
import { useInfiniteQuery, useSuspenseQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../i18n';
import { portalMeQuery, portalTicketsQuery, type Scope, type StatusFilter } from './portal';
import { PortalStatusBadge } from './StatusBadge';

function TicketList({ scope, status }: { scope: Scope; status: StatusFilter }) {
  const { t, i18n } = useTranslation();
  const tickets = useInfiniteQuery(portalTicketsQuery(scope, status));
  if (tickets.isPending) return null;
  if (tickets.isError) return <Text c="red">{t('portal.loadFailed')}</Text>;
  // A ticket that changed between two pages could come twice; it is shown once.
  const items = [
    ...new Map(
      tickets.data.pages.flatMap((page) => page.items).map((ticket) => [ticket.id, ticket]),
    ).values(),
  ];
  if (items.length === 0) {
    return (
      <Text c="dimmed" py="lg" data-testid="portal-empty">
        {t(status === 'all' ? 'portal.empty' : 'portal.emptyFiltered')}
      </Text>
    );
  }
  const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <Stack gap="xs" py="sm">
      {items.map((ticket) => (
        <Paper key={ticket.id} withBorder p="sm" data-testid="portal-ticket-row">
          <Group justify="space-between" wrap="nowrap">
            <Stack gap={2}>
              <Link
                to="/portal/tickets/$ticketId"
                params={{ ticketId: ticket.id }}
                style={{ color: 'var(--mantine-color-anchor)', fontWeight: 600 }}
              >
                {ticket.subject}
              </Link>
              <Text size="xs" c="dimmed">
                #{ticket.number} · {t('portal.updated', { date: date.format(new Date(ticket.updatedAt)) })}
                {!ticket.isOwn && ` · ${t('portal.askedBy', { name: ticket.requesterName })}`}
              </Text>
            </Stack>
            <PortalStatusBadge status={ticket.status} />
          </Group>
        </Paper>
      ))}
      {tickets.hasNextPage && (
        <Button
          variant="subtle"
          loading={tickets.isFetchingNextPage}
          onClick={() => void tickets.fetchNextPage()}
          data-testid="portal-more"
        >
          {t('portal.showMore')}
        </Button>
      )}
    </Stack>
  );
}

/** The customer's requests: their own, and their organisation's when it shares them. */
export function PortalTicketsPage() {
  const { t } = useTranslation();
  const { data: me } = useSuspenseQuery(portalMeQuery);
  const [scope, setScope] = useState<Scope>('mine');
  const [status, setStatus] = useState<StatusFilter>('all');
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2} size="h3">
          {t('portal.requests')}
        </Title>
        <Button component="a" href={`/hc/default/${currentLanguage()}/contact`} variant="light">
          {t('portal.newRequest')}
        </Button>
      </Group>
      <SegmentedControl
        value={status}
        onChange={(value) => setStatus(value === 'open' || value === 'closed' ? value : 'all')}
        data={[
          { value: 'all', label: t('portal.filter.all') },
          { value: 'open', label: t('portal.filter.open') },
          { value: 'closed', label: t('portal.filter.closed') },
        ]}
        aria-label={t('portal.filter.label')}
        data-testid="portal-status-filter"
        style={{ alignSelf: 'flex-start' }}
      />
      {me?.sharesOrganizationTickets ? (
        <Tabs
          value={scope}
          onChange={(value) => setScope(value === 'organization' ? 'organization' : 'mine')}
        >
          <Tabs.List>
            <Tabs.Tab value="mine">{t('portal.mine')}</Tabs.Tab>
            <Tabs.Tab value="organization">
              {t('portal.organization', { name: me.organization?.name ?? '' })}
            </Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="mine">
            <TicketList scope="mine" status={status} />
          </Tabs.Panel>
          <Tabs.Panel value="organization">
            <TicketList scope="organization" status={status} />
          </Tabs.Panel>
        </Tabs>
      ) : (
        <TicketList scope="mine" status={status} />
      )}
    </Stack>
  );
}
