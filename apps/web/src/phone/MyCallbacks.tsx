import type { CallbackList } from '@keepdesk/contract';
import { Anchor, Badge, Card, Group, Stack, Text, Title } from '@mantine/core';
import { IconPhoneCall } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../api';

/** The callbacks the signed-in agent promised, by due time (overdue first). */
export function MyCallbacks() {
  const { t, i18n } = useTranslation();
  const callbacks = useQuery({
    queryKey: ['callbacks', 'mine'],
    queryFn: () => api.get<CallbackList>('/callbacks?assignee=me&limit=20'),
  });
  const items = callbacks.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <Card withBorder mt="md" data-testid="my-callbacks">
      <Title order={3} size="h5" mb="xs">
        {t('phone.myCallbacks')}
      </Title>
      <Stack gap={6}>
        {items.map((callback) => (
          <Group key={callback.id} gap="xs" wrap="nowrap">
            <IconPhoneCall size={16} />
            <Text size="sm" fw={600}>
              {callback.phone}
            </Text>
            {callback.ticket && (
              <Anchor component={Link} to={`/tickets/${callback.ticket.id}`} size="sm" lineClamp={1}>
                #{callback.ticket.number} {callback.ticket.subject}
              </Anchor>
            )}
            <Text size="xs" c="dimmed">
              {new Date(callback.dueAt).toLocaleString(i18n.language)}
            </Text>
            {callback.overdue && (
              <Badge size="xs" color="red">
                {t('phone.overdue')}
              </Badge>
            )}
          </Group>
        ))}
      </Stack>
    </Card>
  );
}
