import type { Call } from '@keepdesk/contract';
import { ActionIcon, Anchor, Badge, Button, Card, Group, Stack, Text } from '@mantine/core';
import { IconPhoneIncoming, IconPhoneOutgoing, IconX } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { notifyError } from '../components/feedback';
import { useCallPops } from '../live';
import { relativeTime } from '../tickets/format';

/** The customer of a call the agent just took, with their open tickets; one click says which one it is about. */
export function CallPopups() {
  const { callIds, dismiss } = useCallPops();
  if (callIds.length === 0) return null;
  return (
    <Stack
      gap="sm"
      style={{ position: 'fixed', left: 16, bottom: 16, width: 360, zIndex: 300 }}
      data-testid="call-popups"
    >
      {callIds.map((id) => (
        <CallCard key={id} callId={id} onClose={() => dismiss(id)} />
      ))}
    </Stack>
  );
}

function CallCard({ callId, onClose }: { callId: string; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const call = useQuery({ queryKey: ['calls', callId], queryFn: () => api.get<Call>(`/calls/${callId}`) });
  const choose = useMutation({
    mutationFn: (ticketId: string) => api.patch<Call>(`/calls/${callId}`, { ticketId }),
    onSuccess: (next) => queryClient.setQueryData(['calls', callId], next),
    onError: (error) => notifyError(t, error),
  });
  const data = call.data;
  const Icon = data?.direction === 'outbound' ? IconPhoneOutgoing : IconPhoneIncoming;
  return (
    <Card
      withBorder
      shadow="lg"
      padding="md"
      data-testid="call-popup"
      role="dialog"
      aria-label={t('phone.popupTitle')}
    >
      <Group justify="space-between" mb="xs" wrap="nowrap">
        <Group gap={8} wrap="nowrap">
          <Icon size={18} />
          <Text fw={700}>{t('phone.popupTitle')}</Text>
          {data && <Badge variant="light">{t(`phone.status.${data.status}`)}</Badge>}
        </Group>
        <ActionIcon variant="subtle" color="gray" aria-label={t('common.close')} onClick={onClose}>
          <IconX size={16} />
        </ActionIcon>
      </Group>
      {data && (
        <Stack gap={6}>
          <Text size="sm">{data.customerNumber}</Text>
          {data.contact ? (
            <div>
              <Anchor component={Link} to={`/contacts/${data.contact.id}`} fw={600}>
                {data.contact.name || data.customerNumber}
              </Anchor>
              {data.contact.organization && (
                <Text size="sm" c="dimmed">
                  {data.contact.organization}
                </Text>
              )}
              {data.contact.emails[0] && (
                <Text size="xs" c="dimmed">
                  {data.contact.emails[0]}
                </Text>
              )}
            </div>
          ) : (
            <Text size="sm" c="dimmed">
              {t('phone.unknownCaller')}
            </Text>
          )}
          <Text size="xs" fw={600} tt="uppercase" c="dimmed" mt={4}>
            {t('phone.openTickets')}
          </Text>
          {data.openTickets.length === 0 && (
            <Text size="sm" c="dimmed">
              {t('phone.noOpenTickets')}
            </Text>
          )}
          {data.openTickets.map((ticket) => (
            <Group key={ticket.id} justify="space-between" wrap="nowrap" gap="xs">
              <div style={{ minWidth: 0 }}>
                <Anchor component={Link} to={`/tickets/${ticket.id}`} size="sm" lineClamp={1}>
                  #{ticket.number} {ticket.subject}
                </Anchor>
                <Text size="xs" c="dimmed">
                  {relativeTime(ticket.updatedAt, i18n.language)}
                </Text>
              </div>
              {data.ticketId === ticket.id ? (
                <Badge color="teal" variant="light">
                  {t('phone.chosen')}
                </Badge>
              ) : (
                <Button
                  size="compact-xs"
                  variant="light"
                  disabled={data.status === 'ended' || data.status === 'missed'}
                  onClick={() => choose.mutate(ticket.id)}
                >
                  {t('phone.choose')}
                </Button>
              )}
            </Group>
          ))}
          <Text size="xs" c="dimmed" mt={4}>
            {data.ticketId ? t('phone.willLog') : t('phone.willOpen')}
          </Text>
        </Stack>
      )}
    </Card>
  );
}
