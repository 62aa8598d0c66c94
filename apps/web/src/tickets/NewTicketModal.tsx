import type { CreatedTicket } from '@keepdesk/contract';
import { Button, Group, Modal, Select, Stack, Textarea, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { fieldErrors, notifySaved, notifyUnlessFieldErrors } from '../components/feedback';

const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;

/** A ticket an agent records for a customer (a call, a walk-in, a chat elsewhere). */
export function NewTicketModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [priority, setPriority] = useState<string>('normal');
  const [channel, setChannel] = useState<string>('phone');
  const create = useMutation({
    mutationFn: () =>
      api.post<CreatedTicket>('/tickets', {
        subject,
        requester: { email, name: name || undefined },
        message: { body },
        priority,
        channel,
      }),
    onSuccess: async (ticket) => {
      await queryClient.invalidateQueries({ queryKey: ['views'] });
      notifySaved(t, t('tickets.created', { number: ticket.number }));
      onClose();
      await navigate({ to: '/tickets/$ticketId', params: { ticketId: ticket.id } });
    },
    onError: (error) => notifyUnlessFieldErrors(t, error),
  });
  const errors = fieldErrors(create.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <Modal opened onClose={onClose} title={t('tickets.new')} size="lg">
      <form onSubmit={submit}>
        <Stack>
          <Group grow>
            <TextInput
              label={t('tickets.requesterEmail')}
              type="email"
              required
              data-autofocus
              value={email}
              error={errors['requester.email']}
              onChange={(event) => setEmail(event.currentTarget.value)}
            />
            <TextInput
              label={t('tickets.requesterName')}
              value={name}
              onChange={(event) => setName(event.currentTarget.value)}
            />
          </Group>
          <TextInput
            label={t('tickets.subject')}
            required
            value={subject}
            error={errors.subject}
            onChange={(event) => setSubject(event.currentTarget.value)}
          />
          <Textarea
            label={t('tickets.message')}
            required
            autosize
            minRows={4}
            value={body}
            error={errors['message.body']}
            onChange={(event) => setBody(event.currentTarget.value)}
          />
          <Group grow>
            <Select
              label={t('tickets.priority')}
              value={priority}
              allowDeselect={false}
              onChange={(value) => setPriority(value ?? 'normal')}
              data={PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }))}
            />
            <Select
              label={t('tickets.channel')}
              value={channel}
              allowDeselect={false}
              onChange={(value) => setChannel(value ?? 'phone')}
              data={['phone', 'email', 'web', 'social', 'review', 'agent'].map((c) => ({
                value: c,
                label: t(`channel.${c}`),
              }))}
            />
          </Group>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('common.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
