import type { Callback, CallbackList, Ticket } from '@keepdesk/contract';
import {
  Badge,
  Button,
  Card,
  Group,
  Modal,
  NumberInput,
  SegmentedControl,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { IconPhone, IconPhoneCall } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { fieldErrors, notifySaved, notifyUnlessFieldErrors } from '../components/feedback';
import { useMe } from '../session';

/** Calls on the ticket's side: log one by hand, promise a call back, and see the callbacks still to make. */
export function PhoneCard({ ticket, disabled }: { ticket: Ticket; disabled: boolean }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [dialog, setDialog] = useState<'log' | 'callback' | null>(null);
  const callbacks = useQuery({
    queryKey: ['tickets', ticket.id, 'callbacks'],
    queryFn: () => api.get<CallbackList>(`/callbacks?ticketId=${ticket.id}`),
  });
  const done = useMutation({
    mutationFn: (id: string) => api.patch<Callback>(`/callbacks/${id}`, { status: 'done' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['tickets', ticket.id] }),
  });
  const open = callbacks.data?.items ?? [];
  return (
    <Card withBorder padding="sm" data-testid="phone-card">
      <Group justify="space-between" mb={open.length > 0 ? 'xs' : 0}>
        <Text size="xs" fw={600} tt="uppercase" c="dimmed">
          {t('phone.title')}
        </Text>
        <Group gap={4}>
          <Button size="compact-xs" variant="subtle" disabled={disabled} onClick={() => setDialog('log')}>
            {t('phone.logCall')}
          </Button>
          <Button
            size="compact-xs"
            variant="subtle"
            disabled={disabled}
            onClick={() => setDialog('callback')}
          >
            {t('phone.requestCallback')}
          </Button>
        </Group>
      </Group>
      <Stack gap={6}>
        {open.map((callback) => (
          <Group key={callback.id} justify="space-between" wrap="nowrap" data-testid="callback">
            <div>
              <Group gap={6}>
                <IconPhoneCall size={14} />
                <Text size="sm">{callback.phone}</Text>
                {callback.overdue && (
                  <Badge size="xs" color="red">
                    {t('phone.overdue')}
                  </Badge>
                )}
              </Group>
              <Text size="xs" c="dimmed">
                {new Date(callback.dueAt).toLocaleString(i18n.language)}
                {callback.assignee ? ` · ${callback.assignee.name}` : ''}
                {callback.note ? ` · ${callback.note}` : ''}
              </Text>
            </div>
            <Button size="compact-xs" variant="light" onClick={() => done.mutate(callback.id)}>
              {t('phone.done')}
            </Button>
          </Group>
        ))}
      </Stack>
      {dialog === 'log' && <LogCallModal ticket={ticket} onClose={() => setDialog(null)} />}
      {dialog === 'callback' && <CallbackModal ticket={ticket} onClose={() => setDialog(null)} />}
    </Card>
  );
}

function LogCallModal({ ticket, onClose }: { ticket: Ticket; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [direction, setDirection] = useState<'inbound' | 'outbound'>('outbound');
  const [number, setNumber] = useState('');
  const [minutes, setMinutes] = useState<number | string>(0);
  const [seconds, setSeconds] = useState<number | string>(0);
  const [notes, setNotes] = useState('');
  const save = useMutation({
    mutationFn: () =>
      api.post(`/tickets/${ticket.id}/calls`, {
        direction,
        number,
        durationSeconds: Number(minutes) * 60 + Number(seconds),
        notes,
      }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['tickets', ticket.id] });
      notifySaved(t, t('phone.logged'));
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
    <Modal opened onClose={onClose} title={t('phone.logCall')}>
      <form onSubmit={submit}>
        <Stack>
          <SegmentedControl
            value={direction}
            onChange={(value) => setDirection(value as 'inbound' | 'outbound')}
            data={[
              { value: 'outbound', label: t('phone.outbound') },
              { value: 'inbound', label: t('phone.inbound') },
            ]}
          />
          <TextInput
            label={t('phone.number')}
            leftSection={<IconPhone size={16} />}
            required
            value={number}
            error={errors.number}
            onChange={(e) => setNumber(e.currentTarget.value)}
          />
          <Group grow>
            <NumberInput
              label={t('phone.minutes')}
              min={0}
              max={1440}
              value={minutes}
              onChange={setMinutes}
            />
            <NumberInput label={t('phone.seconds')} min={0} max={59} value={seconds} onChange={setSeconds} />
          </Group>
          <Textarea
            label={t('phone.notes')}
            autosize
            minRows={2}
            value={notes}
            onChange={(e) => setNotes(e.currentTarget.value)}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('phone.logCall')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** `YYYY-MM-DDTHH:mm` in the browser's time zone, for a datetime-local input. */
function localInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function CallbackModal({ ticket, onClose }: { ticket: Ticket; onClose: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const queryClient = useQueryClient();
  const [phone, setPhone] = useState('');
  const [due, setDue] = useState(localInput(new Date(Date.now() + 60 * 60_000)));
  const [note, setNote] = useState('');
  const save = useMutation({
    mutationFn: () =>
      api.post<Callback>(`/tickets/${ticket.id}/callbacks`, {
        phone,
        dueAt: new Date(due).toISOString(),
        note,
        assigneeId: me.user.id,
      }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['tickets', ticket.id] });
      notifySaved(t, t('phone.callbackSaved'));
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
    <Modal opened onClose={onClose} title={t('phone.requestCallback')}>
      <form onSubmit={submit}>
        <Stack>
          <TextInput
            label={t('phone.number')}
            leftSection={<IconPhone size={16} />}
            required
            value={phone}
            error={errors.phone}
            onChange={(e) => setPhone(e.currentTarget.value)}
          />
          <TextInput
            type="datetime-local"
            label={t('phone.due')}
            required
            value={due}
            error={errors.dueAt}
            onChange={(e) => setDue(e.currentTarget.value)}
          />
          <TextInput label={t('phone.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
          <Text size="xs" c="dimmed">
            {t('phone.callbackHint')}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('phone.requestCallback')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
