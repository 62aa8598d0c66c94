import type { PortalMessage, PortalTicket } from '@keepdesk/contract';
import { Anchor, Button, FileInput, Group, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { notifyError } from '../components/feedback';
import { MessageBody } from '../tickets/MessageExtras';
import { portalTicketQuery } from './portal';
import { PortalStatusBadge } from './StatusBadge';

function Message({ message }: { message: PortalMessage }) {
  const { t, i18n } = useTranslation();
  const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <Paper
      withBorder
      p="sm"
      bg={message.authorKind === 'agent' ? 'var(--mantine-color-blue-0)' : undefined}
      data-testid="portal-message"
    >
      <Group justify="space-between" mb={4}>
        <Text size="sm" fw={600}>
          {message.isOwn ? t('portal.you') : message.authorName || t('portal.team')}
        </Text>
        <Text size="xs" c="dimmed">
          {date.format(new Date(message.createdAt))}
        </Text>
      </Group>
      <MessageBody html={message.bodyHtml} />
      {message.attachments.length > 0 && (
        <Group gap="xs" mt="xs">
          {message.attachments.map((file) => (
            <Anchor key={file.id} href={file.url} download={file.fileName} size="sm">
              📎 {file.fileName}
            </Anchor>
          ))}
        </Group>
      )}
    </Paper>
  );
}

function ReplyBox({ ticket }: { ticket: PortalTicket }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [text, setText] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const send = useMutation({
    mutationFn: () => {
      const form = new FormData();
      form.append('text', text);
      for (const file of files) form.append('file', file, file.name);
      return api.post<PortalTicket>(`/portal/tickets/${ticket.id}/replies`, form);
    },
    onSuccess: async (updated) => {
      setText('');
      setFiles([]);
      // The live event of the reply comes before its files are stored: a reload it started may still be under
      // way and would overwrite this answer with the ticket as it was without them.
      const { queryKey } = portalTicketQuery(ticket.id);
      await queryClient.cancelQueries({ queryKey });
      queryClient.setQueryData(queryKey, updated);
      void queryClient.invalidateQueries({ queryKey: ['portal', 'tickets'] });
    },
    onError: (error) => notifyError(t, error),
  });
  return (
    <Stack gap="xs">
      <Textarea
        label={t('portal.reply')}
        autosize
        minRows={3}
        value={text}
        onChange={(event) => setText(event.currentTarget.value)}
        data-testid="portal-reply-text"
      />
      <FileInput
        label={t('portal.files')}
        multiple
        clearable
        value={files}
        onChange={setFiles}
        data-testid="portal-reply-files"
      />
      <Group>
        <Button
          onClick={() => send.mutate()}
          loading={send.isPending}
          disabled={!text.trim() && files.length === 0}
          data-testid="portal-reply-send"
        >
          {t('portal.send')}
        </Button>
      </Group>
    </Stack>
  );
}

/** One request: the public conversation, the reply box, and "mark as solved". Changes arrive live. */
export function PortalTicketPage() {
  const { t } = useTranslation();
  const { ticketId } = useParams({ from: '/portal/tickets/$ticketId' });
  const queryClient = useQueryClient();
  const ticket = useQuery(portalTicketQuery(ticketId));
  const close = useMutation({
    mutationFn: () => api.post<PortalTicket>(`/portal/tickets/${ticketId}/close`),
    onSuccess: (updated) => {
      queryClient.setQueryData(portalTicketQuery(ticketId).queryKey, updated);
      void queryClient.invalidateQueries({ queryKey: ['portal', 'tickets'] });
    },
    onError: (error) => notifyError(t, error),
  });
  if (ticket.isPending) return null;
  if (ticket.isError) {
    return (
      <Stack>
        <Text>{t('portal.notFound')}</Text>
        <Anchor component={Link} to="/portal">
          {t('portal.back')}
        </Anchor>
      </Stack>
    );
  }
  const data = ticket.data;
  return (
    <Stack>
      <Anchor component={Link} to="/portal" size="sm">
        ← {t('portal.back')}
      </Anchor>
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Title order={2} size="h3">
          {data.subject}{' '}
          <Text span c="dimmed">
            #{data.number}
          </Text>
        </Title>
        <PortalStatusBadge status={data.status} />
      </Group>
      <Stack gap="sm">
        {data.messages.map((message) => (
          <Message key={message.id} message={message} />
        ))}
      </Stack>
      {data.canReply ? <ReplyBox ticket={data} /> : <Text c="dimmed">{t('portal.closedNote')}</Text>}
      {data.canClose && (
        <Group>
          <Button
            variant="default"
            onClick={() => close.mutate()}
            loading={close.isPending}
            data-testid="portal-close"
          >
            {t('portal.close')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
