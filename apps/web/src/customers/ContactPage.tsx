import type { Contact, TicketPage } from '@keepdesk/contract';
import { Anchor, Badge, Card, Code, Group, Stack, Table, Text, Title } from '@mantine/core';
import { IconInbox } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { api, query } from '../api';
import { EmptyState } from '../components/EmptyState';
import { SurveyConsent } from '../feedback/SatisfactionCard';
import { OrganizationPortalSwitch } from '../portal/OrganizationPortalSwitch';
import { can, useMe } from '../session';
import { relativeTime, STATUS_COLOR } from '../tickets/format';

const route = getRouteApi('/app/contacts/$contactId');

/** A customer with every ticket they ever opened, on any channel. */
export function ContactPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const { contactId } = route.useParams();
  const contact = useQuery({
    queryKey: ['contacts', contactId],
    queryFn: () => api.get<Contact>(`/contacts/${contactId}`),
  });
  const tickets = useQuery({
    queryKey: ['tickets', 'requester', contactId],
    queryFn: () => api.get<TicketPage>(`/tickets${query({ requesterId: contactId, limit: 100 })}`),
  });
  const data = contact.data;
  if (!data) return <Text c="dimmed">{t('common.loading')}</Text>;
  const attributes = Object.entries(data.attributes);
  return (
    <Group align="flex-start" gap="lg" wrap="nowrap">
      <Stack style={{ flex: 1, minWidth: 0 }}>
        <Title order={1} size="h3">
          {data.name || data.emails[0]}
        </Title>
        <Card withBorder padding={0}>
          {(tickets.data?.items ?? []).length === 0 ? (
            <EmptyState
              icon={<IconInbox />}
              title={t('contact.noTickets')}
              text={t('contact.noTicketsText')}
            />
          ) : (
            <Table
              highlightOnHover
              verticalSpacing="xs"
              horizontalSpacing="md"
              aria-label={t('contact.tickets')}
            >
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={80}>#</Table.Th>
                  <Table.Th>{t('tickets.subject')}</Table.Th>
                  <Table.Th>{t('tickets.channel')}</Table.Th>
                  <Table.Th>{t('fields.status')}</Table.Th>
                  <Table.Th>{t('tickets.updated')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {tickets.data?.items.map((ticket) => (
                  <Table.Tr key={ticket.id}>
                    <Table.Td c="dimmed">#{ticket.number}</Table.Td>
                    <Table.Td>
                      <Anchor component={Link} to={`/tickets/${ticket.id}`}>
                        {ticket.subject}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{t(`channel.${ticket.channel}`)}</Table.Td>
                    <Table.Td style={{ minWidth: 120 }}>
                      <Badge color={STATUS_COLOR[ticket.statusCategory]} variant="light">
                        {t(`status.${ticket.status}`, { defaultValue: ticket.status })}
                      </Badge>
                    </Table.Td>
                    <Table.Td c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                      {relativeTime(ticket.updatedAt, i18n.language)}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Card>
      </Stack>
      <Card withBorder padding="md" w={300} style={{ flexShrink: 0 }}>
        <Stack gap="xs">
          <Text size="xs" fw={600} c="dimmed" tt="uppercase">
            {t('contact.details')}
          </Text>
          {data.emails.map((email) => (
            <Text key={email} size="sm">
              {email}
            </Text>
          ))}
          {data.phones.map((phone) => (
            <Text key={phone} size="sm">
              {phone}
            </Text>
          ))}
          {data.organization && <Text size="sm">{data.organization.name}</Text>}
          {data.organization && (
            <OrganizationPortalSwitch
              organizationId={data.organization.id}
              canEdit={can(me, 'customers:write')}
            />
          )}
          <Text size="sm" c="dimmed">
            {t('fields.language')}: {data.language === 'de' ? 'Deutsch' : 'English'}
          </Text>
          {data.notes && <Text size="sm">{data.notes}</Text>}
          <SurveyConsent contactId={data.id} />
          {attributes.length > 0 && (
            <>
              <Text size="xs" fw={600} c="dimmed" tt="uppercase" mt="sm">
                {t('contact.attributes')}
              </Text>
              {attributes.map(([key, value]) => (
                <Group key={key} justify="space-between" gap="xs">
                  <Text size="sm">{key}</Text>
                  <Code>{String(value)}</Code>
                </Group>
              ))}
            </>
          )}
        </Stack>
      </Card>
    </Group>
  );
}
