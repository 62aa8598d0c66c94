import type { Pulse, PulseList, PulseQuestion, PulseResults, TeamPage } from '@keepdesk/contract';
import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Modal,
  MultiSelect,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { IconHeartbeat, IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { EmptyState } from '../components/EmptyState';
import { FormActions } from '../components/FormActions';
import { fieldErrors, notifyError, notifySaved, notifyUnlessFieldErrors } from '../components/feedback';
import { PageHeader } from '../components/PageHeader';
import { can, useMe } from '../session';
import { relativeTime } from '../tickets/format';

/** The questions a new pulse starts with: eNPS and four statements on the things that wear support teams down. */
const DEFAULT_QUESTIONS: PulseQuestion[] = [
  {
    id: 'enps',
    kind: 'enps',
    textEn: 'How likely are you to recommend this team as a place to work?',
    textDe: 'Wie wahrscheinlich würden Sie dieses Team als Arbeitsplatz weiterempfehlen?',
  },
  {
    id: 'workload',
    kind: 'agree',
    textEn: 'My workload is manageable.',
    textDe: 'Meine Arbeitslast ist gut zu bewältigen.',
  },
  {
    id: 'tools',
    kind: 'agree',
    textEn: 'I have the tools and knowledge I need.',
    textDe: 'Ich habe die Werkzeuge und das Wissen, die ich brauche.',
  },
  {
    id: 'support',
    kind: 'agree',
    textEn: 'I get help when a case is difficult.',
    textDe: 'Ich bekomme Hilfe, wenn ein Fall schwierig ist.',
  },
  {
    id: 'growth',
    kind: 'agree',
    textEn: 'I am learning and growing here.',
    textDe: 'Ich lerne hier dazu und entwickle mich weiter.',
  },
];

/** Employee pulse: anonymous eNPS and statements for the support team, results from five answers on. */
export function PulsePage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const [creating, setCreating] = useState(false);
  const [showing, setShowing] = useState<Pulse | null>(null);
  const pulses = useQuery({ queryKey: ['pulses'], queryFn: () => api.get<PulseList>('/pulse-surveys') });
  const items = pulses.data?.items ?? [];
  return (
    <>
      <PageHeader
        title={t('pulse.title')}
        text={t('pulse.text')}
        action={
          can(me, 'tickets:admin') && (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
              {t('pulse.add')}
            </Button>
          )
        }
      />
      <Card withBorder padding={0}>
        {pulses.isSuccess && items.length === 0 ? (
          <EmptyState
            icon={<IconHeartbeat size={24} />}
            title={t('pulse.emptyTitle')}
            text={t('pulse.emptyText')}
          />
        ) : (
          <Table verticalSpacing="sm" highlightOnHover aria-label={t('pulse.title')}>
            <Table.Tbody>
              {items.map((pulse) => (
                <Table.Tr key={pulse.id} data-testid="pulse">
                  <Table.Td>
                    <Group gap="xs">
                      <Text fw={600}>{pulse.name}</Text>
                      <Badge size="sm" variant="light" color={pulse.status === 'open' ? 'teal' : 'gray'}>
                        {t(`pulse.status.${pulse.status}`)}
                      </Badge>
                    </Group>
                    <Text size="xs" c="dimmed">
                      {relativeTime(pulse.createdAt, i18n.language)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {t('pulse.answered', { answered: pulse.answered, invited: pulse.invited })}
                  </Table.Td>
                  <Table.Td w={120}>
                    <Button size="xs" variant="light" onClick={() => setShowing(pulse)}>
                      {t('pulse.results')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
      {creating && <CreatePulseModal onClose={() => setCreating(false)} />}
      {showing && <ResultsModal pulse={showing} onClose={() => setShowing(null)} />}
    </>
  );
}

function CreatePulseModal({ onClose }: { onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [teamIds, setTeamIds] = useState<string[]>([]);
  const teams = useQuery({ queryKey: ['teams'], queryFn: () => api.get<TeamPage>('/teams?limit=200') });
  const save = useMutation({
    mutationFn: () => api.post<Pulse>('/pulse-surveys', { name, questions: DEFAULT_QUESTIONS, teamIds }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['pulses'] });
      notifySaved(t);
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
    <Modal opened onClose={onClose} title={t('pulse.add')} size="lg">
      <form onSubmit={submit}>
        <Stack>
          <TextInput
            label={t('pulse.name')}
            required
            value={name}
            error={errors.name}
            onChange={(e) => setName(e.currentTarget.value)}
          />
          <MultiSelect
            label={t('pulse.teams')}
            description={t('pulse.teamsHelp')}
            data={(teams.data?.items ?? []).map((team) => ({ value: team.id, label: team.name }))}
            value={teamIds}
            onChange={setTeamIds}
          />
          <Text size="sm" fw={600}>
            {t('pulse.questions')}
          </Text>
          <Stack gap={4}>
            {DEFAULT_QUESTIONS.map((q) => (
              <Text key={q.id} size="sm">
                {q.kind === 'enps' ? '0–10' : '1–5'} · {i18n.language === 'de' ? q.textDe : q.textEn}
              </Text>
            ))}
          </Stack>
          <Alert color="blue">{t('pulse.anonymous')}</Alert>
          <FormActions onCancel={onClose} saving={save.isPending} submitLabel={t('pulse.open')} />
        </Stack>
      </form>
    </Modal>
  );
}

function ResultsModal({ pulse, onClose }: { pulse: Pulse; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const queryClient = useQueryClient();
  const results = useQuery({
    queryKey: ['pulses', pulse.id, 'results'],
    queryFn: () => api.get<PulseResults>(`/pulse-surveys/${pulse.id}/results`),
  });
  const close = useMutation({
    mutationFn: () => api.post<Pulse>(`/pulse-surveys/${pulse.id}/close`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['pulses'] }),
    onError: (error) => notifyError(t, error),
  });
  const data = results.data;
  const text = (id: string) => {
    const question = pulse.questions.find((q) => q.id === id);
    return question ? (i18n.language === 'de' ? question.textDe : question.textEn) : id;
  };
  const groups = data ? [{ ...data.overall, label: t('pulse.overall') }, ...data.teams] : [];
  return (
    <Modal opened onClose={onClose} title={pulse.name} size="xl">
      <Stack data-testid="pulse-results">
        {data?.pulse.status === 'open' && <Alert color="blue">{t('pulse.afterClose')}</Alert>}
        {groups.map((group) => (
          <Card key={group.key ?? 'all'} withBorder padding="sm">
            <Group justify="space-between" mb="xs">
              <Text fw={600}>{group.label}</Text>
              <Text size="sm" c="dimmed">
                {t('pulse.answers', { count: group.answers })}
              </Text>
            </Group>
            {group.hidden ? (
              <Text size="sm" c="dimmed">
                {t('pulse.tooFew', { minimum: data?.minimumGroup ?? 5 })}
              </Text>
            ) : (
              <Table verticalSpacing={4}>
                <Table.Tbody>
                  {group.questions.map((q) => (
                    <Table.Tr key={q.id}>
                      <Table.Td>{text(q.id)}</Table.Td>
                      <Table.Td fw={600} w={90}>
                        {q.score === null
                          ? '–'
                          : q.kind === 'enps'
                            ? `${q.score > 0 ? '+' : ''}${Math.round(q.score)}`
                            : q.score.toFixed(1)}
                      </Table.Td>
                      <Table.Td w={200}>
                        <Text size="xs" c="dimmed">
                          {q.low === null || q.high === null
                            ? ''
                            : t('pulse.interval', {
                                low: q.kind === 'enps' ? Math.round(q.low) : q.low.toFixed(1),
                                high: q.kind === 'enps' ? Math.round(q.high) : q.high.toFixed(1),
                              })}
                          {q.favourable === null
                            ? ''
                            : ` · ${t('pulse.favourable', { share: Math.round(100 * q.favourable) })}`}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
            {group.comments.length > 0 && (
              <Stack gap={2} mt="xs">
                {group.comments.map((comment) => (
                  <Text key={comment} size="sm">
                    “{comment}”
                  </Text>
                ))}
              </Stack>
            )}
          </Card>
        ))}
        {pulse.status === 'open' && can(me, 'tickets:admin') && (
          <Group justify="flex-end">
            <Button variant="light" color="red" loading={close.isPending} onClick={() => close.mutate()}>
              {t('pulse.close')}
            </Button>
          </Group>
        )}
      </Stack>
    </Modal>
  );
}

/** On the home page: the pulse surveys waiting for this person, answered in a minute. */
export function MyPulse() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const mine = useQuery({
    queryKey: ['pulses', 'mine'],
    queryFn: () => api.get<PulseList>('/pulse-surveys/mine'),
  });
  const pulse = mine.data?.items[0];
  const [answers, setAnswers] = useState<Record<string, number>>({});
  const [comment, setComment] = useState('');
  const send = useMutation({
    mutationFn: () => api.post(`/pulse-surveys/${pulse!.id}/answers`, { answers, comment }),
    onSuccess: async () => {
      setAnswers({});
      setComment('');
      await queryClient.invalidateQueries({ queryKey: ['pulses'] });
      notifySaved(t);
    },
    onError: (error) => notifyUnlessFieldErrors(t, error),
  });
  if (!pulse) return null;
  const complete = pulse.questions.every((q) => answers[q.id] !== undefined);
  return (
    <Card withBorder padding="md" mt="md" data-testid="my-pulse">
      <Group gap="xs" mb="xs">
        <IconHeartbeat size={18} />
        <Text fw={600}>{pulse.name}</Text>
      </Group>
      <Text size="sm" c="dimmed" mb="sm">
        {t('pulse.anonymous')}
      </Text>
      <Stack gap="sm">
        {pulse.questions.map((q) => (
          <Stack key={q.id} gap={4}>
            <Text size="sm" id={`pulse-${q.id}`}>
              {i18n.language === 'de' ? q.textDe : q.textEn}
            </Text>
            <SegmentedControl
              aria-labelledby={`pulse-${q.id}`}
              value={answers[q.id] === undefined ? '' : String(answers[q.id])}
              onChange={(value) => setAnswers({ ...answers, [q.id]: Number(value) })}
              data={Array.from({ length: q.kind === 'enps' ? 11 : 5 }, (_, i) =>
                String(q.kind === 'enps' ? i : i + 1),
              )}
            />
          </Stack>
        ))}
        <Textarea
          label={t('pulse.comment')}
          autosize
          value={comment}
          onChange={(e) => setComment(e.currentTarget.value)}
        />
        <Group justify="flex-end">
          <Button disabled={!complete} loading={send.isPending} onClick={() => send.mutate()}>
            {t('pulse.send')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
