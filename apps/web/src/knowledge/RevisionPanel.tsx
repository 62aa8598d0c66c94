import type { KbArticle, KbArticleRevision } from '@keepdesk/contract';
import { Alert, Button, Group, Modal, Stack, Text, Textarea, Title } from '@mantine/core';
import { IconGitPullRequest } from '@tabler/icons-react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { notifyError, notifySaved } from '../components/feedback';
import { can, useMe } from '../session';
import { relativeTime } from '../tickets/format';
import { Segments } from './VersionsPanel';

/** The pending revision of a published article, with its content and diff (ADR 0045). */
export function useRevision(article: KbArticle | null) {
  const pending = article?.pendingRevision;
  return useQuery({
    queryKey: ['kb', 'article', article?.id, 'revision', pending?.revision],
    queryFn: () => api.get<KbArticleRevision>(`/kb/articles/${article?.id}/revision`),
    enabled: Boolean(pending),
  });
}

/**
 * "A change is pending": who proposed it and when; publishers open the diff and approve or reject it, its
 * authors may withdraw it. The live article shown below stays as it is until then.
 */
export function RevisionBanner({
  article,
  onDecided,
}: {
  article: KbArticle;
  onDecided: (a: KbArticle) => void;
}) {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const [opened, setOpened] = useState(false);
  const [note, setNote] = useState('');
  const revision = useRevision(article);
  const decide = useMutation({
    mutationFn: (decision: 'approve' | 'reject') =>
      api.post<KbArticle>(
        `/kb/articles/${article.id}/revision/${decision}`,
        decision === 'approve'
          ? { revision: revision.data?.revision }
          : { revision: revision.data?.revision, note: note || undefined },
      ),
    onSuccess: (decided, decision) => {
      setOpened(false);
      setNote('');
      notifySaved(t, t(`knowledge.revision.${decision === 'approve' ? 'approved' : 'rejected'}`));
      onDecided(decided);
    },
    onError: (error) => notifyError(t, error),
  });
  const withdraw = useMutation({
    mutationFn: () =>
      api.delete<KbArticle>(
        `/kb/articles/${article.id}/revision?revision=${article.pendingRevision?.revision ?? ''}`,
      ),
    onSuccess: (withdrawn) => {
      notifySaved(t, t('knowledge.revision.withdrawn'));
      onDecided(withdrawn);
    },
    onError: (error) => notifyError(t, error),
  });
  const pending = article.pendingRevision;
  if (!pending) return null;
  const isPublisher = can(me, 'kb:publish');
  // The authors take their proposal back; a publisher rejects it instead, which tells the authors why.
  const isAuthor = [pending.proposedBy?.id, pending.updatedBy?.id].includes(me.user.id);
  const data = revision.data;
  return (
    <Alert
      color="yellow"
      icon={<IconGitPullRequest size={18} />}
      title={t('knowledge.revision.title')}
      mb="md"
      data-testid="kb-revision-banner"
    >
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Stack gap={2}>
          <Text size="sm">
            {t('knowledge.revision.by', {
              name: pending.updatedBy?.name ?? pending.proposedBy?.name ?? '—',
              when: relativeTime(pending.updatedAt, i18n.language),
            })}
          </Text>
          <Text size="sm" c="dimmed">
            {t(isPublisher ? 'knowledge.revision.publisherHint' : 'knowledge.revision.authorHint')}
          </Text>
        </Stack>
        <Group gap="xs" wrap="nowrap">
          {isAuthor && (
            <Button
              size="compact-sm"
              variant="default"
              loading={withdraw.isPending}
              onClick={() => {
                if (window.confirm(t('knowledge.revision.withdrawConfirm'))) withdraw.mutate();
              }}
            >
              {t('knowledge.revision.withdraw')}
            </Button>
          )}
          {isPublisher && (
            <Button size="compact-sm" color="yellow" onClick={() => setOpened(true)}>
              {t('knowledge.revision.review')}
            </Button>
          )}
        </Group>
      </Group>
      <Modal
        opened={opened}
        onClose={() => setOpened(false)}
        title={t('knowledge.revision.review')}
        size="xl"
      >
        {data && (
          <Stack gap="sm" data-testid="kb-revision-diff">
            {data.isStale && (
              <Alert color="orange" p="xs">
                {t('knowledge.revision.stale', { base: data.baseVersion, live: data.liveVersion })}
              </Alert>
            )}
            {data.note && <Text size="sm">{data.note}</Text>}
            <Title order={4}>
              <Segments segments={data.diff.title} testId="kb-revision-diff-title" />
            </Title>
            <Segments segments={data.diff.body} testId="kb-revision-diff-body" />
            {data.diff.tags.some((segment) => segment.op !== 'equal') && (
              <Group gap={4}>
                <Text size="sm" fw={600}>
                  {t('knowledge.fields.tags')}:
                </Text>
                <Segments segments={data.diff.tags} testId="kb-revision-diff-tags" />
              </Group>
            )}
            <Textarea
              label={t('knowledge.revision.note')}
              value={note}
              maxLength={500}
              onChange={(event) => setNote(event.currentTarget.value)}
            />
            <Group justify="flex-end">
              <Button
                variant="default"
                color="red"
                loading={decide.isPending && decide.variables === 'reject'}
                onClick={() => decide.mutate('reject')}
              >
                {t('knowledge.revision.reject')}
              </Button>
              <Button
                loading={decide.isPending && decide.variables === 'approve'}
                onClick={() => decide.mutate('approve')}
              >
                {t('knowledge.revision.approve')}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Alert>
  );
}
