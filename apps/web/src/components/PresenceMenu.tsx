import type { AgentRouting } from '@keepdesk/contract';
import { Badge, Menu, UnstyledButton } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { notifyError } from './feedback';

const COLOR = { online: 'teal', away: 'yellow', offline: 'gray' } as const;
type Presence = keyof typeof COLOR;

/** The agent's presence: only online agents get tickets routed to them. */
export function PresenceMenu() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const mine = useQuery({
    queryKey: ['me', 'presence'],
    queryFn: () => api.get<AgentRouting>('/me/presence'),
  });
  const set = useMutation({
    mutationFn: (presence: Presence) => api.put<AgentRouting>('/me/presence', { presence }),
    onSuccess: (next) => queryClient.setQueryData(['me', 'presence'], next),
    onError: (error) => notifyError(t, error),
  });
  const presence = (mine.data?.presence ?? 'offline') as Presence;
  return (
    <Menu position="bottom-end" width={180} shadow="md">
      <Menu.Target>
        <UnstyledButton aria-label={t('availability.label')} data-testid="my-presence">
          <Badge color={COLOR[presence]} variant="dot" size="lg">
            {t(`availability.${presence}`)}
          </Badge>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        {(Object.keys(COLOR) as Presence[]).map((option) => (
          <Menu.Item key={option} onClick={() => set.mutate(option)} disabled={option === presence}>
            <Badge color={COLOR[option]} variant="dot">
              {t(`availability.${option}`)}
            </Badge>
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
