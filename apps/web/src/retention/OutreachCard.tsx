import { OUTREACH_KINDS, OUTREACH_OUTCOMES, type Outreach, type OutreachBody } from '@keepdesk/contract';
import {
  Badge,
  Box,
  Button,
  Card,
  Group,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Textarea,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { fieldErrors, notifySaved, notifyUnlessFieldErrors } from '../components/feedback';
import { relativeTime } from '../tickets/format';

type Kind = OutreachBody['kind'];
type Outcome = OutreachBody['outcome'];

const OUTCOME_COLOR: Record<Outcome, string> = {
  reached: 'blue',
  no_answer: 'gray',
  follow_up: 'yellow',
  saved: 'teal',
  lost: 'red',
};

/** The retention team's contacts with the account: a form to log one, and the log, newest first. */
export function OutreachCard({
  accountId,
  outreach,
  mayWrite,
}: {
  accountId: string;
  outreach: Outreach[];
  mayWrite: boolean;
}) {
  const { t, i18n } = useTranslation();
  return (
    <Card withBorder padding="md">
      <Text fw={600} mb="sm">
        {t('retention.outreach.title')}
      </Text>
      {mayWrite && <OutreachForm accountId={accountId} />}
      <Stack gap="sm" mt={mayWrite ? 'md' : 0} data-testid="outreach-log">
        {outreach.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('retention.outreach.empty')}
          </Text>
        ) : (
          outreach.map((entry) => (
            <Box key={entry.id} data-testid="outreach">
              <Group gap={6}>
                <Badge size="sm" variant="outline" color="gray">
                  {t(`retention.outreach.kinds.${entry.kind}`)}
                </Badge>
                <Badge size="sm" variant="light" color={OUTCOME_COLOR[entry.outcome]}>
                  {t(`retention.outreach.outcomes.${entry.outcome}`)}
                </Badge>
              </Group>
              {entry.note && (
                <Text size="sm" mt={4} style={{ whiteSpace: 'pre-wrap' }}>
                  {entry.note}
                </Text>
              )}
              <Text size="xs" c="dimmed">
                {entry.user?.name ?? t('tickets.system')} · {relativeTime(entry.happenedAt, i18n.language)}
              </Text>
            </Box>
          ))
        )}
      </Stack>
    </Card>
  );
}

function OutreachForm({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<Kind>('call');
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [note, setNote] = useState('');
  const log = useMutation({
    mutationFn: (body: OutreachBody) => api.post<Outreach>(`/customer-accounts/${accountId}/outreach`, body),
    onSuccess: async () => {
      setNote('');
      setOutcome(null);
      await queryClient.invalidateQueries({ queryKey: ['retention'] });
      notifySaved(t, t('retention.outreach.logged'));
    },
    onError: (error) => notifyUnlessFieldErrors(t, error),
  });
  const errors = fieldErrors(log.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (outcome) log.mutate({ kind, outcome, note: note.trim() });
  };
  return (
    <form onSubmit={submit} aria-label={t('retention.outreach.form')}>
      <Stack gap="xs">
        <SegmentedControl
          size="xs"
          fullWidth
          value={kind}
          onChange={(value) => setKind(value as Kind)}
          data={OUTREACH_KINDS.map((k) => ({ value: k, label: t(`retention.outreach.kinds.${k}`) }))}
        />
        <Select
          size="xs"
          label={t('retention.outreach.outcome')}
          placeholder={t('retention.outreach.chooseOutcome')}
          value={outcome}
          error={errors.outcome}
          allowDeselect={false}
          data={OUTREACH_OUTCOMES.map((o) => ({ value: o, label: t(`retention.outreach.outcomes.${o}`) }))}
          onChange={(value) => setOutcome(value as Outcome | null)}
        />
        <Textarea
          size="xs"
          label={t('retention.outreach.note')}
          autosize
          minRows={2}
          maxRows={8}
          maxLength={5000}
          value={note}
          error={errors.note}
          onChange={(event) => setNote(event.currentTarget.value)}
        />
        <Button type="submit" size="xs" loading={log.isPending} disabled={!outcome}>
          {t(`retention.outreach.log.${kind}`)}
        </Button>
      </Stack>
    </form>
  );
}
