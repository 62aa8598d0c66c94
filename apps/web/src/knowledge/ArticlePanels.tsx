import type { KbAcknowledgementList, KbArticle } from '@keepdesk/contract';
import { Badge, Button, Card, Group, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { notifyError } from '../components/feedback';
import { can, useMe } from '../session';
import { StatusBadge } from './parts';

const LANGUAGE_NAME = { de: 'Deutsch', en: 'English' } as const;

/** The article's other languages, and a button to start each missing one. */
export function TranslationsPanel({ article }: { article: KbArticle }) {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [title, setTitle] = useState('');
  const create = useMutation({
    mutationFn: (language: 'de' | 'en') =>
      api.post<KbArticle>(`/kb/articles/${article.id}/translations`, {
        language,
        title: title.trim() || article.title,
        body: article.bodyHtml,
      }),
    onSuccess: (created) => {
      void queryClient.invalidateQueries({ queryKey: ['kb'] });
      void navigate({ to: '/knowledge/articles/$articleId', params: { articleId: created.id } });
    },
    onError: (error) => notifyError(t, error),
  });
  return (
    <Stack>
      {article.translations.length === 0 && <Text c="dimmed">{t('knowledge.translations.none')}</Text>}
      {article.translations.map((translation) => (
        <Group key={translation.id} data-testid="kb-translation">
          <Badge variant="outline">{translation.language.toUpperCase()}</Badge>
          <Link
            to="/knowledge/articles/$articleId"
            params={{ articleId: translation.id }}
            style={{ color: 'var(--mantine-color-anchor)', fontWeight: 400 }}
          >
            {translation.title}
          </Link>
          <StatusBadge status={translation.status} />
        </Group>
      ))}
      {can(me, 'kb:write') &&
        article.missingLanguages.map((language) => (
          <Card key={language} withBorder>
            <Stack gap="xs">
              <TextInput
                label={t('knowledge.translations.title', { language: LANGUAGE_NAME[language] })}
                placeholder={article.title}
                value={title}
                onChange={(event) => setTitle(event.currentTarget.value)}
              />
              <Group>
                <Button loading={create.isPending} onClick={() => create.mutate(language)}>
                  {t(`knowledge.translations.create_${language}`)}
                </Button>
                <Text size="sm" c="dimmed">
                  {t('knowledge.translations.hint')}
                </Text>
              </Group>
            </Stack>
          </Card>
        ))}
    </Stack>
  );
}

/** For leads: which agents confirmed the policy's current version. */
export function AcknowledgementsPanel({ article }: { article: KbArticle }) {
  const { t, i18n } = useTranslation();
  const list = useQuery({
    queryKey: ['kb', 'article', article.id, 'acknowledgements', article.acknowledgeVersion],
    queryFn: () => api.get<KbAcknowledgementList>(`/kb/policies/${article.id}/acknowledgements`),
  });
  const items = list.data?.items ?? [];
  const done = items.filter((i) => i.acknowledged).length;
  if (article.acknowledgeVersion === null)
    return <Text c="dimmed">{t('knowledge.policies.notPublished')}</Text>;
  return (
    <Stack>
      <Text>
        {t('knowledge.policies.progress', { done, total: items.length, version: article.acknowledgeVersion })}
      </Text>
      <Table aria-label={t('knowledge.tabs.acknowledgements')}>
        <Table.Tbody>
          {items.map((item) => (
            <Table.Tr key={item.user.id} data-testid="kb-acknowledgement">
              <Table.Td>{item.user.name}</Table.Td>
              <Table.Td>
                {item.acknowledged ? (
                  <Badge color="teal" variant="light">
                    {t('knowledge.policies.acknowledgedOn', {
                      date: new Date(item.acknowledgedAt!).toLocaleDateString(i18n.language),
                    })}
                  </Badge>
                ) : (
                  <Badge color="gray" variant="light">
                    {t('knowledge.policies.open')}
                  </Badge>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
