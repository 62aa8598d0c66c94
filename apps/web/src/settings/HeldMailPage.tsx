import type { EmailBlock, EmailBlockList, HeldEmail, HeldEmailList } from '@keepdesk/contract';
import {
  ActionIcon,
  Badge,
  Button,
  Card,
  Group,
  SegmentedControl,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { IconDownload, IconInboxOff, IconShieldOff, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, query } from '../api';
import { EmptyState } from '../components/EmptyState';
import { fieldErrors, notifyError, notifySaved, notifyUnlessFieldErrors } from '../components/feedback';
import { PageHeader } from '../components/PageHeader';
import { formatBytes, relativeTime } from '../tickets/format';

const KINDS = ['all', 'quarantined', 'spam', 'blocked', 'bounce'] as const;
const KIND_COLOR: Record<HeldEmail['kind'], string> = {
  quarantined: 'red',
  spam: 'orange',
  blocked: 'gray',
  bounce: 'grape',
};

/** Mail that did not become a ticket (quarantine, spam, blocked senders, stray bounces) and the block list. */
export function HeldMailPage() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [kind, setKind] = useState<(typeof KINDS)[number]>('all');
  const held = useQuery({
    queryKey: ['held-mail', kind],
    queryFn: () =>
      api.get<HeldEmailList>(
        `/channels/email/held${query({ kind: kind === 'all' ? undefined : kind, limit: 200 })}`,
      ),
  });
  const release = useMutation({
    mutationFn: (id: string) =>
      api.post<{ ticketId: string | null }>(`/channels/email/inbound/${id}/release`, {}),
    onSuccess: async (result) => {
      await queryClient.invalidateQueries({ queryKey: ['held-mail'] });
      notifySaved(t, t('heldMail.released'));
      if (result.ticketId)
        await navigate({ to: '/tickets/$ticketId', params: { ticketId: result.ticketId } });
    },
    onError: (error) => notifyError(t, error),
  });
  const items = held.data?.items ?? [];
  return (
    <>
      <PageHeader title={t('heldMail.title')} text={t('heldMail.text')} />
      <Stack>
        <SegmentedControl
          value={kind}
          onChange={(value) => setKind(value as (typeof KINDS)[number])}
          data={KINDS.map((value) => ({ value, label: t(`heldMail.kind.${value}`) }))}
          aria-label={t('heldMail.filter')}
        />
        <Card withBorder padding={0}>
          {held.isSuccess && items.length === 0 ? (
            <EmptyState
              icon={<IconInboxOff size={24} />}
              title={t('heldMail.emptyTitle')}
              text={t('heldMail.emptyText')}
            />
          ) : (
            <Table verticalSpacing="sm" highlightOnHover aria-label={t('heldMail.title')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('heldMail.message')}</Table.Th>
                  <Table.Th>{t('heldMail.reason')}</Table.Th>
                  <Table.Th>{t('heldMail.received')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((item) => (
                  <Table.Tr key={item.id} data-testid="held-mail">
                    <Table.Td>
                      <Group gap={6}>
                        <Badge size="sm" color={KIND_COLOR[item.kind]}>
                          {t(`heldMail.kind.${item.kind}`)}
                        </Badge>
                        <Text fw={600} size="sm">
                          {item.subject || t('heldMail.noSubject')}
                        </Text>
                      </Group>
                      <Text size="xs" c="dimmed">
                        {item.from ?? t('heldMail.noSender')}
                        {item.mailbox ? ` → ${item.mailbox}` : ''} · {formatBytes(item.size)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{item.problem}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{relativeTime(item.receivedAt, i18n.language)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4} wrap="nowrap">
                        <Tooltip label={t('heldMail.download')}>
                          <ActionIcon
                            component="a"
                            href={item.rawUrl}
                            download={`${item.id}.eml`}
                            variant="subtle"
                            aria-label={t('heldMail.download')}
                          >
                            <IconDownload size={16} />
                          </ActionIcon>
                        </Tooltip>
                        {(item.kind === 'spam' || item.kind === 'blocked') && (
                          <Button
                            size="xs"
                            variant="light"
                            loading={release.isPending && release.variables === item.id}
                            onClick={() => release.mutate(item.id)}
                          >
                            {t('heldMail.release')}
                          </Button>
                        )}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Card>
        <BlockList />
      </Stack>
    </>
  );
}

function BlockList() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [pattern, setPattern] = useState('');
  const [reason, setReason] = useState('');
  const blocks = useQuery({
    queryKey: ['email-blocks'],
    queryFn: () => api.get<EmailBlockList>('/email-blocks'),
  });
  const add = useMutation({
    mutationFn: () => api.post<EmailBlock>('/email-blocks', { pattern, reason }),
    onSuccess: async () => {
      setPattern('');
      setReason('');
      await queryClient.invalidateQueries({ queryKey: ['email-blocks'] });
      notifySaved(t);
    },
    onError: (error) => notifyUnlessFieldErrors(t, error),
  });
  const remove = useMutation({
    mutationFn: (id: string) => api.delete(`/email-blocks/${id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['email-blocks'] }),
    onError: (error) => notifyError(t, error),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate();
  };
  return (
    <Card withBorder>
      <Title order={4}>{t('heldMail.blocksTitle')}</Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('heldMail.blocksText')}
      </Text>
      <form onSubmit={submit}>
        <Group align="flex-start">
          <TextInput
            label={t('heldMail.pattern')}
            placeholder="spam@example.com, example.com"
            required
            value={pattern}
            error={fieldErrors(add.error).pattern}
            onChange={(e) => setPattern(e.currentTarget.value)}
          />
          <TextInput
            label={t('heldMail.blockReason')}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
          />
          <Button type="submit" mt={24} leftSection={<IconShieldOff size={16} />} loading={add.isPending}>
            {t('heldMail.block')}
          </Button>
        </Group>
      </form>
      {(blocks.data?.items.length ?? 0) > 0 && (
        <Table mt="md" aria-label={t('heldMail.blocksTitle')}>
          <Table.Tbody>
            {blocks.data?.items.map((block) => (
              <Table.Tr key={block.id}>
                <Table.Td>
                  <Text fw={600} size="sm">
                    {block.pattern}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" c="dimmed">
                    {block.reason}
                  </Text>
                </Table.Td>
                <Table.Td w={40}>
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    aria-label={t('heldMail.unblock', { pattern: block.pattern })}
                    onClick={() => remove.mutate(block.id)}
                  >
                    <IconTrash size={16} />
                  </ActionIcon>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {blocks.isSuccess && blocks.data.items.length === 0 && (
        <Text size="sm" c="dimmed" mt="sm">
          {t('heldMail.noBlocks')}
        </Text>
      )}
    </Card>
  );
}
