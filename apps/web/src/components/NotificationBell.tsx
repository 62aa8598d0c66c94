import type { NotificationPage } from '@keepdesk/contract';
import {
  ActionIcon,
  Badge,
  Button,
  Group,
  Indicator,
  Popover,
  ScrollArea,
  Stack,
  Text,
  UnstyledButton,
} from '@mantine/core';
import {
  IconAlarm,
  IconAlertTriangle,
  IconArrowBigUpLines,
  IconAt,
  IconBell,
  IconBolt,
  IconBook2,
  IconBookOff,
  IconBookUpload,
  IconClockExclamation,
  IconGitPullRequest,
  IconHeartBroken,
  IconMessage,
  IconPhoneCall,
  IconTarget,
  IconUserCheck,
} from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { relativeTime } from '../tickets/format';

const ICONS = {
  mention: IconAt,
  assigned: IconUserCheck,
  activity: IconMessage,
  callback_due: IconPhoneCall,
  sla_at_risk: IconClockExclamation,
  sla_breached: IconAlarm,
  escalated: IconArrowBigUpLines,
  rule: IconBolt,
  rule_failed: IconAlertTriangle,
  target_off_track: IconTarget,
  health_dropped: IconHeartBroken,
  health_dropped_many: IconHeartBroken,
  kb_needs_review: IconBook2,
  kb_revision_proposed: IconGitPullRequest,
  kb_revision_approved: IconBookUpload,
  kb_revision_rejected: IconBookOff,
} as const;

/** Mentions, assignments and activity on followed tickets; the count updates live. */
export function NotificationBell() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [opened, setOpened] = useState(false);
  const inbox = useQuery({
    queryKey: ['notifications'],
    queryFn: () => api.get<NotificationPage>('/notifications?limit=20'),
  });
  const markRead = useMutation({
    mutationFn: (body: { ids?: string[]; all?: boolean }) => api.post('/notifications/read', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['notifications'] }),
  });
  const unread = inbox.data?.unread ?? 0;
  const items = inbox.data?.items ?? [];
  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-end" width={360} shadow="md">
      <Popover.Target>
        <Indicator disabled={unread === 0} label={unread > 99 ? '99+' : unread} size={16} offset={4}>
          <ActionIcon
            variant="subtle"
            color="gray"
            size="lg"
            aria-label={t('notifications.open', { count: unread })}
            data-testid="notification-bell"
            onClick={() => setOpened((o) => !o)}
          >
            <IconBell size={20} />
          </ActionIcon>
        </Indicator>
      </Popover.Target>
      <Popover.Dropdown p="xs">
        <Group justify="space-between" mb="xs" px={4}>
          <Text fw={600}>{t('notifications.title')}</Text>
          {unread > 0 && (
            <Button size="compact-xs" variant="subtle" onClick={() => markRead.mutate({ all: true })}>
              {t('notifications.markAllRead')}
            </Button>
          )}
        </Group>
        {items.length === 0 ? (
          <Text size="sm" c="dimmed" p="sm">
            {t('notifications.empty')}
          </Text>
        ) : (
          <ScrollArea.Autosize mah={420}>
            <Stack gap={2}>
              {items.map((item) => {
                const Icon = ICONS[item.kind];
                return (
                  <UnstyledButton
                    key={item.id}
                    p={8}
                    style={{ borderRadius: 6 }}
                    bg={item.readAt ? undefined : 'var(--mantine-color-blue-light)'}
                    data-testid="notification"
                    onClick={() => {
                      setOpened(false);
                      if (!item.readAt) markRead.mutate({ ids: [item.id] });
                      if (item.kind.startsWith('kb_') && item.target) {
                        void navigate({
                          to: '/knowledge/articles/$articleId',
                          params: { articleId: item.target.id },
                        });
                      } else if (item.kind === 'health_dropped_many') {
                        void navigate({ to: '/retention', search: { owner: 'me' } });
                      } else if (item.ticket) {
                        void navigate({ to: '/tickets/$ticketId', params: { ticketId: item.ticket.id } });
                      } else if (item.account) {
                        void navigate({
                          to: '/retention/accounts/$accountId',
                          params: { accountId: item.account.id },
                        });
                      } else {
                        void navigate({ to: '/settings/targets' });
                      }
                    }}
                  >
                    <Group gap={8} wrap="nowrap" align="flex-start">
                      <Icon size={16} style={{ marginTop: 3, flexShrink: 0 }} />
                      <Stack gap={0} style={{ minWidth: 0 }}>
                        <Text size="sm">
                          {t(`notifications.kind.${item.kind}`, {
                            name: item.actor?.name ?? t('tickets.system'),
                            number: item.ticket?.number,
                            target: item.target?.name,
                            account: item.account?.name,
                            // A digest's excerpt is the number of accounts that dropped.
                            count: item.kind === 'health_dropped_many' ? Number(item.excerpt) : undefined,
                          })}
                        </Text>
                        <Text size="xs" c="dimmed" truncate>
                          {item.kind === 'health_dropped_many'
                            ? t('notifications.healthDigestHint')
                            : item.excerpt || item.ticket?.subject}
                        </Text>
                        <Text size="xs" c="dimmed">
                          {relativeTime(item.createdAt, i18n.language)}
                        </Text>
                      </Stack>
                      {!item.readAt && (
                        <Badge size="xs" variant="filled" ml="auto">
                          {t('notifications.new')}
                        </Badge>
                      )}
                    </Group>
                  </UnstyledButton>
                );
              })}
            </Stack>
          </ScrollArea.Autosize>
        )}
      </Popover.Dropdown>
    </Popover>
  );
}
