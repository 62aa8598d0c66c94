import type { Ticket, TicketLinks, TicketPage, TicketRef } from '@keepdesk/contract';
import {
  ActionIcon,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Menu,
  Modal,
  SegmentedControl,
  Stack,
  TagsInput,
  Text,
  TextInput,
} from '@mantine/core';
import { IconDots, IconGitMerge, IconLink, IconUnlink } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, query } from '../api';
import { notifyError, notifySaved } from '../components/feedback';
import { STATUS_COLOR } from './format';

/** Finds a ticket by the number an agent types ("10042" or "#10042"). */
async function ticketByNumber(text: string): Promise<Ticket | null> {
  const number = Number(text.replace(/^#/, '').trim());
  if (!Number.isInteger(number) || number < 1) return null;
  const page = await api.get<TicketPage>(`/tickets${query({ number })}`);
  return page.items[0] ?? null;
}

function Ref({ ticket }: { ticket: TicketRef }) {
  const { t } = useTranslation();
  return (
    <Group gap={6} wrap="nowrap">
      <Anchor component={Link} to={`/tickets/${ticket.id}`} size="sm" truncate>
        #{ticket.number} {ticket.subject}
      </Anchor>
      <Badge size="xs" variant="light" color={STATUS_COLOR[ticket.statusCategory]}>
        {t(`status.${ticket.status}`, { defaultValue: ticket.status })}
      </Badge>
    </Group>
  );
}

/** The problem this ticket belongs to, its incidents and related tickets; links are added and removed here. */
export function LinksCard({ ticket, disabled }: { ticket: Ticket; disabled: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const links = useQuery({
    queryKey: ['tickets', ticket.id, 'links'],
    queryFn: () => api.get<TicketLinks>(`/tickets/${ticket.id}/links`),
  });
  const [adding, setAdding] = useState(false);
  const unlink = useMutation({
    mutationFn: (otherId: string) => api.delete(`/tickets/${ticket.id}/links/${otherId}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['tickets'] }),
    onError: (error) => notifyError(t, error),
  });
  const data = links.data;
  const empty = data && !data.parent && data.children.length === 0 && data.related.length === 0;
  const section = (title: string, items: TicketRef[], removable: boolean) =>
    items.length > 0 && (
      <Stack gap={4}>
        <Text size="xs" c="dimmed">
          {title}
        </Text>
        {items.map((item) => (
          <Group key={item.id} justify="space-between" wrap="nowrap" gap={4}>
            <Ref ticket={item} />
            {removable && !disabled && (
              <ActionIcon
                size="sm"
                variant="subtle"
                color="gray"
                aria-label={t('links.remove', { number: item.number })}
                onClick={() => unlink.mutate(item.id)}
              >
                <IconUnlink size={14} />
              </ActionIcon>
            )}
          </Group>
        ))}
      </Stack>
    );
  return (
    <Card withBorder padding="md" data-testid="links">
      <Group justify="space-between" mb={6}>
        <Text size="xs" fw={600} c="dimmed" tt="uppercase">
          {t('links.title')}
        </Text>
        {!disabled && (
          <Button
            size="compact-xs"
            variant="light"
            leftSection={<IconLink size={14} />}
            onClick={() => setAdding(true)}
          >
            {t('links.add')}
          </Button>
        )}
      </Group>
      {empty && (
        <Text size="sm" c="dimmed">
          {t('links.none')}
        </Text>
      )}
      <Stack gap="xs">
        {data?.parent && section(t('links.parent'), [data.parent], true)}
        {data && section(t('links.children'), data.children, true)}
        {data && section(t('links.related'), data.related, true)}
      </Stack>
      {adding && <LinkModal ticket={ticket} onClose={() => setAdding(false)} />}
    </Card>
  );
}

function LinkModal({ ticket, onClose }: { ticket: Ticket; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [number, setNumber] = useState('');
  const [kind, setKind] = useState<'related' | 'child'>('related');
  const [error, setError] = useState<string | null>(null);
  const link = useMutation({
    mutationFn: async () => {
      const other = await ticketByNumber(number);
      if (!other) throw new Error(t('links.notFound', { number }));
      await api.put(`/tickets/${ticket.id}/links/${other.id}`, { kind });
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['tickets'] });
      notifySaved(t);
      onClose();
    },
    onError: (e) => setError(e.message),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    link.mutate();
  };
  return (
    <Modal opened onClose={onClose} title={t('links.add')}>
      <form onSubmit={submit}>
        <Stack>
          <TextInput
            label={t('links.number')}
            placeholder="#10042"
            required
            data-autofocus
            value={number}
            error={error}
            onChange={(event) => setNumber(event.currentTarget.value)}
          />
          <SegmentedControl
            value={kind}
            onChange={(value) => setKind(value === 'child' ? 'child' : 'related')}
            data={[
              { value: 'related', label: t('links.kindRelated') },
              { value: 'child', label: t('links.kindChild') },
            ]}
          />
          <Text size="xs" c="dimmed">
            {kind === 'child' ? t('links.childHint') : t('links.relatedHint')}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={link.isPending}>
              {t('links.add')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** More actions on a ticket: merge other tickets into it. */
export function TicketMenu({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const [merging, setMerging] = useState(false);
  return (
    <>
      <Menu position="bottom-end" shadow="md">
        <Menu.Target>
          <ActionIcon variant="default" size="lg" aria-label={t('tickets.moreActions')}>
            <IconDots size={18} />
          </ActionIcon>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item leftSection={<IconGitMerge size={16} />} onClick={() => setMerging(true)}>
            {t('merge.action')}
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      {merging && <MergeModal ticket={ticket} onClose={() => setMerging(false)} />}
    </>
  );
}

function MergeModal({ ticket, onClose }: { ticket: Ticket; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [numbers, setNumbers] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const merge = useMutation({
    mutationFn: async () => {
      const sources: Ticket[] = [];
      for (const number of numbers) {
        const found = await ticketByNumber(number);
        if (!found) throw new Error(t('links.notFound', { number }));
        sources.push(found);
      }
      return api.post<Ticket>(`/tickets/${ticket.id}/merge`, { sourceIds: sources.map((s) => s.id) });
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['tickets'] });
      await queryClient.invalidateQueries({ queryKey: ['views'] });
      notifySaved(t, t('merge.done', { count: numbers.length, number: ticket.number }));
      onClose();
    },
    onError: (e) => setError(e.message),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    if (numbers.length > 0) merge.mutate();
  };
  return (
    <Modal opened onClose={onClose} title={t('merge.title', { number: ticket.number })}>
      <form onSubmit={submit}>
        <Stack>
          <Text size="sm">{t('merge.text', { number: ticket.number })}</Text>
          <TagsInput
            label={t('merge.numbers')}
            placeholder="#10042"
            data-autofocus
            value={numbers}
            onChange={setNumbers}
            error={error}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color="orange" loading={merge.isPending} disabled={numbers.length === 0}>
              {t('merge.confirm')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Turns one message into a ticket of its own and opens it. */
export function useSplit(ticketId: string) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (messageId: string) => api.post<Ticket>(`/tickets/${ticketId}/split`, { messageId }),
    onSuccess: async (created) => {
      await queryClient.invalidateQueries({ queryKey: ['tickets'] });
      notifySaved(t, t('split.done', { number: created.number }));
      await navigate({ to: '/tickets/$ticketId', params: { ticketId: created.id } });
    },
    onError: (error) => notifyError(t, error),
  });
}
