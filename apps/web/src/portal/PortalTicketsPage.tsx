import { Button, Group, Paper, Stack, Tabs, Text, Title } from '@mantine/core';
import { useQuery, useSuspenseQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../i18n';
import { portalMeQuery, portalTicketsQuery, type Scope } from './portal';
import { PortalStatusBadge } from './StatusBadge';

function TicketList({ scope }: { scope: Scope }) {
  const { t, i18n } = useTranslation();
  const tickets = useQuery(portalTicketsQuery(scope));
  if (tickets.isPending) return null;
  if (tickets.isError) return <Text c="red">{t('portal.loadFailed')}</Text>;
  if (tickets.data.items.length === 0) {
    return (
      <Text c="dimmed" py="lg" data-testid="portal-empty">
        {t('portal.empty')}
      </Text>
    );
  }
  const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <Stack gap="xs" py="sm">
      {tickets.data.items.map((ticket) => (
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
    </Stack>
  );
}

/** The customer's requests: their own, and their organisation's when it shares them. */
export function PortalTicketsPage() {
  const { t } = useTranslation();
  const { data: me } = useSuspenseQuery(portalMeQuery);
  const [scope, setScope] = useState<Scope>('mine');
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
            <TicketList scope="mine" />
          </Tabs.Panel>
          <Tabs.Panel value="organization">
            <TicketList scope="organization" />
          </Tabs.Panel>
        </Tabs>
      ) : (
        <TicketList scope="mine" />
      )}
    </Stack>
  );
}
