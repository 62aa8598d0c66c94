import type { Escalation, EscalationList, TeamPage, Ticket, TicketSla } from '@keepdesk/contract';
import {
  Badge,
  Button,
  Card,
  Group,
  Modal,
  Select,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
  Timeline,
} from '@mantine/core';
import { IconArrowBigUpLines } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, query } from '../api';
import { fieldErrors, notifySaved, notifyUnlessFieldErrors } from '../components/feedback';
import { useColleagues } from './colleagues';
import { relativeTime } from './format';

const COLOR = { on_track: 'teal', at_risk: 'orange', breached: 'red', paused: 'gray', met: 'green' } as const;

/** The ticket's SLA clocks and escalations, and the way to escalate it by hand. */
export function SlaCard({ ticket, disabled }: { ticket: Ticket; disabled: boolean }) {
  const { t, i18n } = useTranslation();
  const [escalating, setEscalating] = useState(false);
  const sla = useQuery({
    queryKey: ['tickets', ticket.id, 'sla'],
    queryFn: () => api.get<TicketSla>(`/tickets/${ticket.id}/sla`),
  });
  const escalations = useQuery({
    queryKey: ['tickets', ticket.id, 'escalations'],
    queryFn: () => api.get<EscalationList>(`/tickets/${ticket.id}/escalations`),
  });
  const clocks = sla.data?.clocks ?? [];
  const history = escalations.data?.items ?? [];
  return (
    <Card withBorder padding="sm" data-testid="sla-card">
      <Group justify="space-between" mb={clocks.length + history.length > 0 ? 'xs' : 0}>
        <Text size="xs" fw={600} tt="uppercase" c="dimmed">
          {sla.data?.policy ? `${t('sla.title')} · ${sla.data.policy.name}` : t('sla.title')}
        </Text>
        <Button
          size="compact-xs"
          variant="subtle"
          leftSection={<IconArrowBigUpLines size={14} />}
          disabled={disabled}
          onClick={() => setEscalating(true)}
        >
          {t('escalation.action')}
        </Button>
      </Group>
      <Stack gap={4}>
        {clocks.map((clock) => (
          <Group key={`${clock.metric}-${clock.startedAt}`} justify="space-between" wrap="nowrap">
            <Text size="sm">{t(`sla.metric.${clock.metric}`)}</Text>
            <Group gap={4} wrap="nowrap">
              {clock.dueAt && !clock.stoppedAt && (
                <Text size="xs" c="dimmed">
                  {relativeTime(clock.dueAt, i18n.language)}
                </Text>
              )}
              <Badge size="sm" variant="light" color={COLOR[clock.state]}>
                {t(`sla.state.${clock.state}`)}
              </Badge>
            </Group>
          </Group>
        ))}
        {history.length > 0 && (
          <Timeline bulletSize={10} lineWidth={1} mt="xs" data-testid="escalations">
            {history.map((item) => (
              <Timeline.Item key={item.id} title={<Text size="sm">{describe(t, item)}</Text>}>
                <Text size="xs" c="dimmed">
                  {item.by?.name ?? t('tickets.system')} · {relativeTime(item.createdAt, i18n.language)}
                </Text>
              </Timeline.Item>
            ))}
          </Timeline>
        )}
      </Stack>
      {escalating && <EscalateModal ticket={ticket} onClose={() => setEscalating(false)} />}
    </Card>
  );
}

function describe(t: (key: string, options?: Record<string, unknown>) => string, item: Escalation): string {
  if (item.kind !== 'manual') return t(`escalation.kind.${item.kind}`);
  const to = [item.toTeam?.name, item.toUser?.name].filter(Boolean).join(' · ');
  return `${t('escalation.kind.manual', { to })}: ${item.reason}`;
}

function EscalateModal({ ticket, onClose }: { ticket: Ticket; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const people = useColleagues();
  const teams = useQuery({
    queryKey: ['teams'],
    queryFn: () => api.get<TeamPage>(`/teams${query({ limit: 200 })}`),
  });
  const [form, setForm] = useState({
    toTeamId: null as string | null,
    toUserId: null as string | null,
    reason: '',
    note: '',
    raisePriority: false,
  });
  const save = useMutation({
    mutationFn: () => api.post<Escalation>(`/tickets/${ticket.id}/escalations`, form),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['tickets', ticket.id] });
      notifySaved(t, t('escalation.done'));
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
    <Modal opened onClose={onClose} title={t('escalation.title', { number: ticket.number })}>
      <form onSubmit={submit}>
        <Stack>
          <Select
            label={t('escalation.toTeam')}
            description={t('escalation.toTeamHint')}
            clearable
            searchable
            data={(teams.data?.items ?? []).map((team) => ({ value: team.id, label: team.name }))}
            value={form.toTeamId}
            error={errors.toTeamId}
            onChange={(value) => setForm({ ...form, toTeamId: value })}
          />
          <Select
            label={t('escalation.toUser')}
            description={t('escalation.toUserHint')}
            clearable
            searchable
            data={people.map((p) => ({ value: p.id, label: p.name }))}
            value={form.toUserId}
            error={errors.toUserId ?? errors.assigneeId}
            onChange={(value) => setForm({ ...form, toUserId: value })}
          />
          <TextInput
            label={t('escalation.reason')}
            required
            value={form.reason}
            error={errors.reason}
            onChange={(e) => setForm({ ...form, reason: e.currentTarget.value })}
          />
          <Textarea
            label={t('escalation.note')}
            autosize
            minRows={3}
            value={form.note}
            onChange={(e) => setForm({ ...form, note: e.currentTarget.value })}
          />
          <Switch
            label={t('escalation.raisePriority')}
            checked={form.raisePriority}
            onChange={(e) => setForm({ ...form, raisePriority: e.currentTarget.checked })}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color="orange" loading={save.isPending}>
              {t('escalation.action')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
