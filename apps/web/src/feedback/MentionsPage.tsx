import type { IngestResult, Mention, MentionPage } from '@keepdesk/contract';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  FileButton,
  Group,
  List,
  Modal,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { IconSpeakerphone, IconUpload } from '@tabler/icons-react';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { EmptyState } from '../components/EmptyState';
import { FormActions } from '../components/FormActions';
import { fieldErrors, notifyError, notifyUnlessFieldErrors } from '../components/feedback';
import { PageHeader } from '../components/PageHeader';
import { relativeTime } from '../tickets/format';
import { FeedbackTabs } from './FeedbackTabs';

/** The colour of a sentiment wherever it shows. */
export const SENTIMENT_COLOR = { positive: 'teal', neutral: 'gray', negative: 'red' } as const;
const STATUSES = ['new', 'triaged', 'replied', 'ignored'] as const;

/** Reviews and social posts: triage them, answer them, see the complaints they opened. */
export function MentionsPage() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<string | null>(null);
  const [sentiment, setSentiment] = useState<string | null>(null);
  const [replying, setReplying] = useState<Mention | null>(null);
  const [imported, setImported] = useState<IngestResult | null>(null);
  const mentions = useInfiniteQuery({
    queryKey: ['mentions', status, sentiment],
    initialPageParam: '',
    queryFn: ({ pageParam }) =>
      api.get<MentionPage>(
        `/mentions?${new URLSearchParams({
          limit: '25',
          ...(status ? { status } : {}),
          ...(sentiment ? { sentiment } : {}),
          ...(pageParam ? { cursor: pageParam } : {}),
        }).toString()}`,
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const update = useMutation({
    mutationFn: ({ id, status }: { id: string; status: string }) =>
      api.patch<Mention>(`/mentions/${id}`, { status }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['mentions'] }),
    onError: (error) => notifyError(t, error),
  });
  const upload = useMutation({
    // The file travels as it is, typed as CSV whatever the browser thinks a .csv file is.
    mutationFn: async (file: File) =>
      api.post<IngestResult>('/mentions/import', new Blob([await file.text()], { type: 'text/csv' })),
    onSuccess: async (result) => {
      setImported(result);
      await queryClient.invalidateQueries({ queryKey: ['mentions'] });
    },
    onError: (error) => notifyError(t, error),
  });
  const items = mentions.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <PageHeader
        title={t('feedbackReport.title')}
        text={t('mentions.text')}
        action={
          <FileButton onChange={(file) => file && upload.mutate(file)} accept=".csv,text/csv">
            {(props) => (
              <Button
                {...props}
                variant="light"
                leftSection={<IconUpload size={16} />}
                loading={upload.isPending}
              >
                {t('mentions.import')}
              </Button>
            )}
          </FileButton>
        }
      />
      <FeedbackTabs active="mentions" />
      {imported && (
        <Alert
          mb="md"
          color={imported.errors.length > 0 ? 'orange' : 'teal'}
          withCloseButton
          onClose={() => setImported(null)}
          title={t('mentions.imported', {
            imported: imported.imported,
            duplicates: imported.duplicates,
            complaints: imported.complaints,
          })}
          data-testid="import-result"
        >
          {imported.errors.length > 0 && (
            <List size="sm">
              {imported.errors.map((error) => (
                <List.Item key={`${error.line}-${error.message}`}>
                  {t('mentions.lineError', { line: error.line, message: error.message })}
                </List.Item>
              ))}
            </List>
          )}
        </Alert>
      )}
      <Group mb="md">
        <Select
          aria-label={t('mentions.status')}
          placeholder={t('mentions.allStatuses')}
          clearable
          w={200}
          value={status}
          onChange={setStatus}
          data={STATUSES.map((s) => ({ value: s, label: t(`mentions.statuses.${s}`) }))}
        />
        <Select
          aria-label={t('mentions.sentiment')}
          placeholder={t('mentions.allSentiments')}
          clearable
          w={200}
          value={sentiment}
          onChange={setSentiment}
          data={(['negative', 'neutral', 'positive'] as const).map((s) => ({
            value: s,
            label: t(`mentions.sentiments.${s}`),
          }))}
        />
      </Group>
      <Card withBorder padding={0}>
        {mentions.isSuccess && items.length === 0 ? (
          <EmptyState
            icon={<IconSpeakerphone size={24} />}
            title={t('mentions.emptyTitle')}
            text={t('mentions.emptyText')}
          />
        ) : (
          <Stack gap={0}>
            {items.map((mention) => (
              <Stack
                key={mention.id}
                gap={4}
                px="md"
                py="sm"
                style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}
                data-testid="mention"
              >
                <Group justify="space-between" wrap="nowrap" align="flex-start">
                  <Group gap="xs">
                    <Badge variant="outline">{mention.source}</Badge>
                    {mention.rating !== null && (
                      <Text c="yellow.8" aria-label={t('mentions.stars', { count: mention.rating })}>
                        {'★'.repeat(mention.rating)}
                        <Text span c="gray.4">
                          {'★'.repeat(5 - mention.rating)}
                        </Text>
                      </Text>
                    )}
                    <Badge variant="light" color={SENTIMENT_COLOR[mention.sentiment]}>
                      {t(`mentions.sentiments.${mention.sentiment}`)}
                    </Badge>
                    <Text size="sm" fw={600}>
                      {mention.author}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {relativeTime(mention.postedAt, i18n.language)}
                    </Text>
                  </Group>
                  <Select
                    size="xs"
                    w={150}
                    aria-label={t('mentions.statusOf', { author: mention.author })}
                    allowDeselect={false}
                    value={mention.status}
                    onChange={(value) => value && update.mutate({ id: mention.id, status: value })}
                    data={STATUSES.map((s) => ({ value: s, label: t(`mentions.statuses.${s}`) }))}
                  />
                </Group>
                {mention.text && <Text size="sm">{mention.text}</Text>}
                <Group gap="md">
                  {mention.url && (
                    <Anchor href={mention.url} target="_blank" rel="noreferrer noopener" size="xs">
                      {t('mentions.open')}
                    </Anchor>
                  )}
                  {mention.contact && (
                    <Anchor component={Link} to={`/contacts/${mention.contact.id}`} size="xs">
                      {mention.contact.name}
                    </Anchor>
                  )}
                  {mention.ticket && (
                    <Anchor component={Link} to={`/tickets/${mention.ticket.id}`} size="xs">
                      {t('mentions.complaintTicket', { number: mention.ticket.number })}
                    </Anchor>
                  )}
                  <Button size="compact-xs" variant="subtle" onClick={() => setReplying(mention)}>
                    {t('mentions.recordReply')}
                  </Button>
                </Group>
                {mention.replies.map((reply) => (
                  <Text
                    key={reply.id}
                    size="xs"
                    c="dimmed"
                    pl="md"
                    style={{ borderLeft: '2px solid var(--mantine-color-blue-3)' }}
                  >
                    {reply.by?.name ?? ''} · {relativeTime(reply.at, i18n.language)}: {reply.text}
                  </Text>
                ))}
              </Stack>
            ))}
            {mentions.hasNextPage && (
              <Button
                variant="subtle"
                m="sm"
                loading={mentions.isFetchingNextPage}
                onClick={() => void mentions.fetchNextPage()}
              >
                {t('common.loadMore')}
              </Button>
            )}
          </Stack>
        )}
      </Card>
      {replying && <ReplyModal mention={replying} onClose={() => setReplying(null)} />}
    </>
  );
}

function ReplyModal({ mention, onClose }: { mention: Mention; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [text, setText] = useState('');
  const [url, setUrl] = useState('');
  const save = useMutation({
    mutationFn: () => api.post<Mention>(`/mentions/${mention.id}/replies`, { text, ...(url ? { url } : {}) }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['mentions'] });
      onClose();
    },
    onError: (error) => notifyUnlessFieldErrors(t, error),
  });
  const errors = fieldErrors(save.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <Modal opened onClose={onClose} title={t('mentions.recordReply')}>
      <form onSubmit={submit}>
        <Stack>
          <Text size="sm" c="dimmed">
            {t('mentions.replyHelp', { source: mention.source })}
          </Text>
          <Textarea
            label={t('mentions.replyText')}
            required
            autosize
            minRows={3}
            value={text}
            error={errors.text}
            onChange={(e) => setText(e.currentTarget.value)}
          />
          <TextInput
            label={t('mentions.replyUrl')}
            value={url}
            error={errors.url}
            onChange={(e) => setUrl(e.currentTarget.value)}
          />
          <FormActions onCancel={onClose} saving={save.isPending} />
        </Stack>
      </form>
    </Modal>
  );
}
