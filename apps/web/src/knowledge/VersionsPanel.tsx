import type { KbArticle, KbArticleDiff, KbArticleVersionList, KbDiffSegment } from '@keepdesk/contract';
import { Badge, Button, Card, Grid, Group, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { notifyError, notifySaved } from '../components/feedback';
import { can, useMe } from '../session';
import { relativeTime } from '../tickets/format';

const SEGMENT_STYLE = {
  insert: {
    background: 'var(--mantine-color-green-1)',
    color: 'var(--mantine-color-green-9)',
    textDecoration: 'none',
  },
  delete: { background: 'var(--mantine-color-red-1)', color: 'var(--mantine-color-red-9)' },
} as const;

/** Inserted words green, deleted ones red and struck through; keyed by their place in the text. */
export function Segments({ segments, testId }: { segments: KbDiffSegment[]; testId: string }) {
  let offset = 0;
  const keyed = segments.map((segment) => {
    const key = `${segment.op}-${offset}`;
    offset += segment.text.length;
    return { ...segment, key };
  });
  return (
    <Text component="div" style={{ whiteSpace: 'pre-wrap', lineHeight: 1.6 }} data-testid={testId}>
      {keyed.map((segment) =>
        segment.op === 'equal' ? (
          <span key={segment.key}>{segment.text}</span>
        ) : segment.op === 'insert' ? (
          <ins key={segment.key} data-op="insert" style={SEGMENT_STYLE.insert}>
            {segment.text}
          </ins>
        ) : (
          <del key={segment.key} data-op="delete" style={SEGMENT_STYLE.delete}>
            {segment.text}
          </del>
        ),
      )}
    </Text>
  );
}

/** Every saved version; choosing one shows what changed against the one before, and can bring it back. */
export function VersionsPanel({
  article,
  onRestored,
}: {
  article: KbArticle;
  onRestored: (a: KbArticle) => void;
}) {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const [selected, setSelected] = useState(article.version);
  const versions = useQuery({
    queryKey: ['kb', 'article', article.id, 'versions', article.version],
    queryFn: () => api.get<KbArticleVersionList>(`/kb/articles/${article.id}/versions`),
  });
  const from = Math.max(1, selected - 1);
  const diff = useQuery({
    queryKey: ['kb', 'article', article.id, 'diff', from, selected],
    queryFn: () => api.get<KbArticleDiff>(`/kb/articles/${article.id}/diff?from=${from}&to=${selected}`),
  });
  const restore = useMutation({
    mutationFn: (version: number) =>
      api.post<KbArticle>(`/kb/articles/${article.id}/versions/${version}/restore`),
    onSuccess: (restored, version) => {
      setSelected(restored.version);
      if (proposes && restored.pendingRevision) {
        notifySaved(t, t('knowledge.revision.restoreProposed', { version }));
      }
      onRestored(restored);
    },
    onError: (error) => notifyError(t, error),
  });
  // On a published article an author's restore becomes its pending revision (ADR 0045), so it says "propose".
  const proposes = article.status === 'published' && !can(me, 'kb:publish');
  const mayRestore = can(me, 'kb:write');
  return (
    <Grid>
      <Grid.Col span={{ base: 12, md: 4 }}>
        <Stack gap={4}>
          {(versions.data?.items ?? []).map((version) => (
            <UnstyledButton
              key={version.version}
              p="xs"
              data-testid="kb-version"
              onClick={() => setSelected(version.version)}
              style={{
                borderRadius: 6,
                background: version.version === selected ? 'var(--mantine-color-blue-light)' : undefined,
              }}
            >
              <Group justify="space-between" wrap="nowrap">
                <Text fw={600}>{t('knowledge.versionN', { version: version.version })}</Text>
                {version.version === article.version && <Badge size="xs">{t('knowledge.current')}</Badge>}
              </Group>
              <Text size="xs" c="dimmed">
                {version.author?.name ?? '—'} · {relativeTime(version.createdAt, i18n.language)}
              </Text>
              {version.note && <Text size="xs">{version.note}</Text>}
            </UnstyledButton>
          ))}
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 8 }}>
        <Card withBorder>
          <Group justify="space-between" mb="sm">
            <Text fw={600}>{t('knowledge.diffTitle', { from, to: selected })}</Text>
            {selected !== article.version && mayRestore && (
              <Button
                size="xs"
                variant="light"
                loading={restore.isPending}
                onClick={() => restore.mutate(selected)}
              >
                {t(proposes ? 'knowledge.proposeRestore' : 'knowledge.restore', { version: selected })}
              </Button>
            )}
          </Group>
          {diff.data && (
            <Stack gap="xs">
              <Title order={4}>
                <Segments segments={diff.data.title} testId="kb-diff-title" />
              </Title>
              <Segments segments={diff.data.body} testId="kb-diff-body" />
            </Stack>
          )}
        </Card>
      </Grid.Col>
    </Grid>
  );
}
