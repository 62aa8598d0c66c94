import type { KbArticle, KbSuggestionList, Message, Ticket } from '@keepdesk/contract';
import { Anchor, Badge, Button, Card, Group, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconBook2 } from '@tabler/icons-react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useRouter } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, query } from '../api';
import { notifyError } from '../components/feedback';

/**
 * Beside a ticket: articles that fit its subject and the customer's latest messages (or the agent's own words),
 * in the ticket's language when translated; each can go into the reply as a link or as its text.
 */
export function SuggestionsCard({
  ticketId,
  onInsert,
  disabled,
}: {
  ticketId: string;
  onInsert: (text: string) => void;
  disabled: boolean;
}) {
  const { t } = useTranslation();
  const [words, setWords] = useState('');
  const [q] = useDebouncedValue(words.trim(), 300);
  const suggestions = useQuery({
    queryKey: ['tickets', ticketId, 'kb-suggestions', q],
    queryFn: () =>
      api.get<KbSuggestionList>(
        `/tickets/${ticketId}/kb-suggestions${query({ q: q || undefined, limit: 5 })}`,
      ),
  });
  const items = suggestions.data?.items ?? [];
  return (
    <Card withBorder padding="sm" data-testid="kb-suggestions">
      <Group gap={6} mb="xs">
        <IconBook2 size={14} />
        <Text size="xs" fw={600} tt="uppercase" c="dimmed">
          {t('kbSearch.suggestions.title')}
        </Text>
      </Group>
      <TextInput
        size="xs"
        mb="xs"
        placeholder={t('kbSearch.suggestions.search')}
        aria-label={t('kbSearch.suggestions.search')}
        value={words}
        onChange={(event) => setWords(event.currentTarget.value)}
      />
      <Stack gap="sm">
        {suggestions.isSuccess && items.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('kbSearch.suggestions.none')}
          </Text>
        )}
        {items.map((item) => (
          <Stack key={item.id} gap={2} data-testid="kb-suggestion">
            <Group gap={4} wrap="nowrap" justify="space-between">
              <Text size="sm" fw={600} lineClamp={2}>
                {item.title}
              </Text>
              <Badge size="xs" variant="outline">
                {item.language.toUpperCase()}
              </Badge>
            </Group>
            <Text size="xs" c="dimmed" lineClamp={3}>
              {item.excerpt}
            </Text>
            {!disabled && (
              <Group gap={4}>
                {item.publicUrl && (
                  <Button
                    size="compact-xs"
                    variant="light"
                    onClick={() => onInsert(`${item.title}: ${window.location.origin}${item.publicUrl}`)}
                  >
                    {t('kbSearch.suggestions.insertLink')}
                  </Button>
                )}
                <Button size="compact-xs" variant="light" onClick={() => onInsert(item.bodyText)}>
                  {t('kbSearch.suggestions.insertContent')}
                </Button>
              </Group>
            )}
            {!item.publicUrl && (
              <Text size="xs" c="dimmed">
                {t('kbSearch.suggestions.internalOnly')}
              </Text>
            )}
          </Stack>
        ))}
      </Stack>
    </Card>
  );
}

/** On an agent's public answer: a draft article from it (title: the ticket's subject), opened for editing. */
export function CreateArticleFromAnswer({ ticket, message }: { ticket: Ticket; message: Message }) {
  const { t } = useTranslation();
  const router = useRouter();
  const create = useMutation({
    mutationFn: () =>
      api.post<KbArticle>('/kb/articles', {
        title: ticket.subject,
        body: message.bodyHtml,
        language: ticket.language === 'de' ? 'de' : 'en',
      }),
    onSuccess: (article) => router.history.push(`/knowledge/articles/${article.id}`),
    onError: (error) => notifyError(t, error),
  });
  return (
    <Anchor
      component="button"
      type="button"
      size="xs"
      onClick={() => create.mutate()}
      disabled={create.isPending}
    >
      {t('kbSearch.createFromAnswer')}
    </Anchor>
  );
}
