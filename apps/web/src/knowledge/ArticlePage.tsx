import type { CreateKbArticleBody, KbArticle, KbArticleStatus } from '@keepdesk/contract';
import {
  Button,
  Card,
  Grid,
  Group,
  NumberInput,
  SegmentedControl,
  Select,
  Stack,
  Tabs,
  TagsInput,
  Text,
  TextInput,
} from '@mantine/core';
import { IconCircleCheck } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { fieldErrors, notifyError, notifySaved, notifyUnlessFieldErrors } from '../components/feedback';
import { PageHeader } from '../components/PageHeader';
import { can, useMe } from '../session';
import { useColleagues } from '../tickets/colleagues';
import { AcknowledgementsPanel, TranslationsPanel } from './ArticlePanels';
import { ArticleBadges, categoriesQuery, nameIn } from './parts';
import { RevisionBanner, useRevision } from './RevisionPanel';
import { RichTextEditor } from './RichTextEditor';
import { VersionsPanel } from './VersionsPanel';

type Draft = Omit<CreateKbArticleBody, 'ownerId'> & { ownerId: string | null };

const EMPTY: Draft = {
  title: '',
  body: '',
  language: 'en',
  kind: 'article',
  visibility: 'internal',
  categoryId: null,
  sectionId: null,
  tags: [],
  ownerId: null,
  verificationIntervalDays: null,
};

/** The moves an editor offers, and which permission each needs (the server holds the same table). */
const MOVES: Record<KbArticleStatus, { to: KbArticleStatus; needs: string; key: string }[]> = {
  draft: [
    { to: 'in_review', needs: 'kb:write', key: 'submit' },
    { to: 'published', needs: 'kb:publish', key: 'publish' },
  ],
  in_review: [
    { to: 'published', needs: 'kb:publish', key: 'publish' },
    { to: 'draft', needs: 'kb:write', key: 'backToDraft' },
  ],
  published: [{ to: 'archived', needs: 'kb:publish', key: 'archive' }],
  archived: [
    { to: 'published', needs: 'kb:publish', key: 'republish' },
    { to: 'draft', needs: 'kb:publish', key: 'backToDraft' },
  ],
};

function draftOf(article: KbArticle): Draft {
  return {
    title: article.title,
    body: article.bodyHtml,
    language: article.language,
    kind: article.kind,
    visibility: article.visibility,
    categoryId: article.categoryId,
    sectionId: article.sectionId,
    tags: article.tags,
    ownerId: article.owner?.id ?? null,
    verificationIntervalDays: article.verificationIntervalDays,
  };
}

export function NewArticlePage() {
  return <ArticleEditor article={null} />;
}

export function ArticlePage() {
  const { articleId } = useParams({ from: '/app/knowledge/articles/$articleId' });
  const article = useQuery({
    queryKey: ['kb', 'article', articleId],
    queryFn: () => api.get<KbArticle>(`/kb/articles/${articleId}`),
  });
  if (!article.data) return null;
  return <ArticleEditor key={`${article.data.id}`} article={article.data} />;
}

/** Title, rich-text body and the article's settings; status moves, verification, versions and translations. */
function ArticleEditor({ article }: { article: KbArticle | null }) {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const colleagues = useColleagues();
  const categories = useQuery(categoriesQuery);
  const [draft, setDraft] = useState<Draft>(article ? draftOf(article) : { ...EMPTY, ownerId: me.user.id });
  const [errors, setErrors] = useState<Record<string, string>>({});
  // A published article: publishers edit it live, authors propose a change to it (ADR 0045).
  const mode = !article
    ? 'live'
    : article.status === 'published' && can(me, 'kb:publish')
      ? 'live'
      : !can(me, 'kb:write')
        ? 'readOnly'
        : article.status === 'published'
          ? 'propose'
          : 'live';
  // An author continues the pending proposal, whoever started it, rather than the live text.
  const revision = useRevision(article);
  const proposal = mode === 'propose' ? revision.data : undefined;
  useEffect(() => {
    if (article) setDraft(draftOf(article));
  }, [article]);
  useEffect(() => {
    if (proposal)
      setDraft((d) => ({ ...d, title: proposal.title, body: proposal.bodyHtml, tags: proposal.tags }));
  }, [proposal]);
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const refresh = (saved: KbArticle) => {
    queryClient.setQueryData(['kb', 'article', saved.id], saved);
    void queryClient.invalidateQueries({ queryKey: ['kb'] });
  };
  const save = useMutation({
    mutationFn: async () => {
      const { language, ...rest } = draft;
      if (article && mode === 'propose') {
        const { title, body, tags } = draft;
        // A proposal is answered 202, whose body the api client drops: read the article back.
        await api.patch(`/kb/articles/${article.id}`, {
          title,
          body,
          tags,
          baseVersion: article.version,
          baseRevision: proposal?.revision ?? null,
        });
        return api.get<KbArticle>(`/kb/articles/${article.id}`);
      }
      return article
        ? api.patch<KbArticle>(`/kb/articles/${article.id}`, { ...rest, baseVersion: article.version })
        : api.post<KbArticle>('/kb/articles', { ...rest, language });
    },
    onSuccess: (saved) => {
      setErrors({});
      refresh(saved);
      notifySaved(
        t,
        mode === 'propose' && saved.pendingRevision ? t('knowledge.revision.submitted') : undefined,
      );
      if (!article) void navigate({ to: '/knowledge/articles/$articleId', params: { articleId: saved.id } });
    },
    onError: (error) => {
      setErrors(fieldErrors(error));
      // A proposal's conflicts (baseRevision, baseVersion) have no field on the form to show them.
      if (mode === 'propose') notifyError(t, error);
      else notifyUnlessFieldErrors(t, error);
    },
  });
  const move = useMutation({
    mutationFn: (to: KbArticleStatus) =>
      api.post<KbArticle>(`/kb/articles/${article!.id}/status`, { status: to }),
    onSuccess: refresh,
    onError: (error) => notifyError(t, error),
  });
  const verify = useMutation({
    mutationFn: () => api.post<KbArticle>(`/kb/articles/${article!.id}/verify`),
    onSuccess: refresh,
    onError: (error) => notifyError(t, error),
  });
  const category = categories.data?.items.find((c) => c.id === draft.categoryId);
  const canSave = mode !== 'readOnly';
  // Settings of a published article stay with publishers; a proposal carries title, text and tags only.
  const settingsLocked = mode === 'propose';
  const editor = (
    <Grid>
      <Grid.Col span={{ base: 12, md: 8 }}>
        <Stack>
          <TextInput
            label={t('knowledge.fields.title')}
            value={draft.title}
            error={errors.title}
            onChange={(event) => set({ title: event.currentTarget.value })}
            required
          />
          <RichTextEditor
            label={t('knowledge.fields.body')}
            value={draft.body}
            onChange={(body) => set({ body })}
          />
          <Group>
            <Button onClick={() => save.mutate()} loading={save.isPending} disabled={!canSave}>
              {t(mode === 'propose' ? 'knowledge.revision.submit' : 'knowledge.save')}
            </Button>
            {article?.status === 'published' && mode !== 'live' && (
              <Text size="sm" c="dimmed">
                {t(mode === 'propose' ? 'knowledge.revision.proposeHint' : 'knowledge.publishedReadOnly')}
              </Text>
            )}
          </Group>
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 4 }}>
        <Stack>
          {!article && (
            <SegmentedControl
              aria-label={t('knowledge.fields.language')}
              value={draft.language}
              onChange={(language) => set({ language: language as Draft['language'] })}
              data={[
                { value: 'en', label: 'English' },
                { value: 'de', label: 'Deutsch' },
              ]}
            />
          )}
          <Select
            label={t('knowledge.fields.kind')}
            disabled={settingsLocked}
            value={draft.kind}
            allowDeselect={false}
            onChange={(kind) => set({ kind: (kind ?? 'article') as Draft['kind'] })}
            data={[
              { value: 'article', label: t('knowledge.kind.article') },
              { value: 'policy', label: t('knowledge.kind.policy') },
            ]}
          />
          <Select
            label={t('knowledge.fields.visibility')}
            value={draft.kind === 'policy' ? 'internal' : draft.visibility}
            disabled={draft.kind === 'policy' || settingsLocked}
            allowDeselect={false}
            onChange={(visibility) => set({ visibility: (visibility ?? 'internal') as Draft['visibility'] })}
            data={[
              { value: 'internal', label: t('knowledge.visibility.internal') },
              { value: 'public', label: t('knowledge.visibility.public') },
            ]}
          />
          <Select
            label={t('knowledge.fields.category')}
            disabled={settingsLocked}
            clearable
            value={draft.categoryId}
            error={errors.categoryId}
            onChange={(categoryId) => set({ categoryId, sectionId: null })}
            data={(categories.data?.items ?? []).map((c) => ({
              value: c.id,
              label: nameIn(c.names, i18n.language),
            }))}
          />
          <Select
            label={t('knowledge.fields.section')}
            clearable
            disabled={!category || settingsLocked}
            value={draft.sectionId}
            error={errors.sectionId}
            onChange={(sectionId) => set({ sectionId })}
            data={(category?.sections ?? []).map((s) => ({
              value: s.id,
              label: nameIn(s.names, i18n.language),
            }))}
          />
          <TagsInput
            label={t('knowledge.fields.tags')}
            value={draft.tags}
            onChange={(tags) => set({ tags })}
          />
          <Select
            label={t('knowledge.fields.owner')}
            disabled={settingsLocked}
            clearable
            searchable
            value={draft.ownerId}
            error={errors.ownerId}
            onChange={(ownerId) => set({ ownerId })}
            data={colleagues.map((c) => ({ value: c.id, label: c.name }))}
          />
          <NumberInput
            label={t('knowledge.fields.interval')}
            disabled={settingsLocked}
            description={t('knowledge.fields.intervalHint')}
            min={1}
            max={3650}
            value={draft.verificationIntervalDays ?? ''}
            error={errors.verificationIntervalDays}
            onChange={(value) => set({ verificationIntervalDays: value === '' ? null : Number(value) })}
          />
        </Stack>
      </Grid.Col>
    </Grid>
  );
  if (!article) {
    return (
      <>
        <PageHeader title={t('knowledge.new')} />
        {editor}
      </>
    );
  }
  const isOwner = article.owner?.id === me.user.id;
  return (
    <>
      <PageHeader
        title={article.title}
        text={`#${article.number} · ${article.language.toUpperCase()} · ${t('knowledge.versionN', { version: article.version })}`}
        action={
          <Group gap="xs">
            {MOVES[article.status]
              .filter((m) => can(me, m.needs))
              .map((m) => (
                <Button
                  key={m.to}
                  variant={m.to === 'published' ? 'filled' : 'default'}
                  loading={move.isPending && move.variables === m.to}
                  onClick={() => move.mutate(m.to)}
                >
                  {t(`knowledge.moves.${m.key}`)}
                </Button>
              ))}
            {(isOwner || can(me, 'kb:publish')) && (
              <Button
                variant="light"
                color="teal"
                leftSection={<IconCircleCheck size={16} />}
                loading={verify.isPending}
                onClick={() => verify.mutate()}
              >
                {t('knowledge.verify')}
              </Button>
            )}
          </Group>
        }
      />
      <Card withBorder mb="md" padding="sm">
        <Group justify="space-between">
          <ArticleBadges article={article} />
          <Text size="sm" c="dimmed">
            {article.verificationDueAt
              ? t('knowledge.dueOn', {
                  date: new Date(article.verificationDueAt).toLocaleDateString(i18n.language),
                })
              : t('knowledge.noVerification')}
          </Text>
        </Group>
      </Card>
      <RevisionBanner article={article} onDecided={refresh} />
      <Tabs defaultValue="edit" keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="edit">{t('knowledge.tabs.edit')}</Tabs.Tab>
          <Tabs.Tab value="versions">{t('knowledge.tabs.versions')}</Tabs.Tab>
          <Tabs.Tab value="translations">{t('knowledge.tabs.translations')}</Tabs.Tab>
          {article.kind === 'policy' && can(me, 'kb:publish') && (
            <Tabs.Tab value="acknowledgements">{t('knowledge.tabs.acknowledgements')}</Tabs.Tab>
          )}
        </Tabs.List>
        <Tabs.Panel value="edit">{editor}</Tabs.Panel>
        <Tabs.Panel value="versions">
          <VersionsPanel article={article} onRestored={refresh} />
        </Tabs.Panel>
        <Tabs.Panel value="translations">
          <TranslationsPanel article={article} />
        </Tabs.Panel>
        <Tabs.Panel value="acknowledgements">
          <AcknowledgementsPanel article={article} />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
