import type { SurveyInvitationList, SurveyResponsePage } from '@keepdesk/contract';
import { Badge, Card, Group, Stack, Switch, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { notifyError } from '../components/feedback';
import { relativeTime } from '../tickets/format';
import { RatingBadge } from './FeedbackPage';

/** Beside a ticket: the surveys it sent (or why not) and the customer's answers with their comments. */
export function SatisfactionCard({ ticketId }: { ticketId: string }) {
  const { t, i18n } = useTranslation();
  const invitations = useQuery({
    queryKey: ['survey_responses', 'invitations', ticketId],
    queryFn: () => api.get<SurveyInvitationList>(`/feedback/invitations?ticketId=${ticketId}`),
  });
  const responses = useQuery({
    queryKey: ['survey_responses', 'ticket', ticketId],
    queryFn: () => api.get<SurveyResponsePage>(`/feedback/responses?ticketId=${ticketId}`),
  });
  const sent = invitations.data?.items ?? [];
  const answers = responses.data?.items ?? [];
  if (sent.length === 0 && answers.length === 0) return null;
  return (
    <Card withBorder padding="sm" data-testid="satisfaction-card">
      <Text size="xs" fw={600} tt="uppercase" c="dimmed" mb="xs">
        {t('satisfaction.title')}
      </Text>
      <Stack gap="xs">
        {answers.map((answer) => (
          <Stack key={answer.id} gap={2}>
            <Group gap="xs">
              <RatingBadge answer={answer} />
              <Text size="xs" c="dimmed">
                {relativeTime(answer.answeredAt, i18n.language)}
              </Text>
            </Group>
            {answer.comment && <Text size="sm">“{answer.comment}”</Text>}
          </Stack>
        ))}
        {sent
          .filter((invitation) => !invitation.answeredAt)
          .map((invitation) => (
            <Group key={invitation.id} gap="xs" justify="space-between" wrap="nowrap">
              <Text size="sm">{invitation.surveyName}</Text>
              <Badge
                size="sm"
                variant="light"
                color={invitation.status === 'skipped' || invitation.status === 'failed' ? 'gray' : 'blue'}
              >
                {invitation.status === 'skipped'
                  ? t(`satisfaction.skipped.${invitation.skipReason ?? 'other'}`, {
                      defaultValue: invitation.skipReason ?? '',
                    })
                  : invitation.status === 'scheduled'
                    ? `${t('satisfaction.status.scheduled')} ${relativeTime(invitation.sendAt, i18n.language)}`
                    : t(`satisfaction.status.${invitation.status}`)}
              </Badge>
            </Group>
          ))}
      </Stack>
    </Card>
  );
}

/** On a contact: whether they get surveys, and the switch to respect their wish. */
export function SurveyConsent({ contactId }: { contactId: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const key = ['contacts', contactId, 'survey-opt-out'];
  const status = useQuery({
    queryKey: key,
    queryFn: () =>
      api.get<{ optedOut: boolean; since: string | null }>(`/contacts/${contactId}/survey-opt-out`),
  });
  const change = useMutation({
    mutationFn: (optedOut: boolean) => api.put(`/contacts/${contactId}/survey-opt-out`, { optedOut }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key }),
    onError: (error) => notifyError(t, error),
  });
  if (!status.data) return null;
  return (
    <Switch
      mt="sm"
      label={t('satisfaction.receivesSurveys')}
      checked={!status.data.optedOut}
      disabled={change.isPending}
      onChange={(e) => change.mutate(!e.currentTarget.checked)}
    />
  );
}
