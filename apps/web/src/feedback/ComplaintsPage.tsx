import {
  COMPENSATION_KINDS,
  COMPLAINT_OUTCOMES,
  type Complaint,
  type ComplaintRegister,
  type Ticket,
} from '@keepdesk/contract';
import {
  Anchor,
  Autocomplete,
  Badge,
  Button,
  Card,
  Group,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { IconMoodSad } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { EmptyState } from '../components/EmptyState';
import { fieldErrors, notifySaved, notifyUnlessFieldErrors } from '../components/feedback';
import { PageHeader } from '../components/PageHeader';
import { relativeTime, STATUS_COLOR } from '../tickets/format';
import { FeedbackTabs } from './FeedbackTabs';

function money(value: number, currency: string, language: string): string {
  return new Intl.NumberFormat(language, { style: 'currency', currency }).format(value);
}

/** The complaints register: every complaint with its category, outcome, compensation and time to resolution. */
export function ComplaintsPage() {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState<string | null>(null);
  const register = useQuery({
    queryKey: ['tickets', 'complaints', open],
    queryFn: () =>
      api.get<ComplaintRegister>(
        `/complaints?${new URLSearchParams({ limit: '100', ...(open ? { open } : {}) }).toString()}`,
      ),
  });
  const summary = register.data?.summary;
  const items = register.data?.items ?? [];
  return (
    <>
      <PageHeader title={t('feedbackReport.title')} text={t('complaints.text')} />
      <FeedbackTabs active="complaints" />
      <SimpleGrid cols={{ base: 1, md: 4 }} mb="md">
        <Card withBorder padding="md">
          <Text size="xs" fw={600} tt="uppercase" c="dimmed">
            {t('complaints.total')}
          </Text>
          <Title order={2}>{summary?.total ?? 0}</Title>
          <Text size="sm" c="dimmed">
            {t('complaints.openCount', { count: summary?.open ?? 0 })}
          </Text>
        </Card>
        <Card withBorder padding="md">
          <Text size="xs" fw={600} tt="uppercase" c="dimmed">
            {t('complaints.medianResolution')}
          </Text>
          <Title order={2}>
            {summary?.medianHoursToResolution == null
              ? '–'
              : t('complaints.hours', { count: summary.medianHoursToResolution })}
          </Title>
        </Card>
        <Card withBorder padding="md">
          <Text size="xs" fw={600} tt="uppercase" c="dimmed">
            {t('complaints.topCategories')}
          </Text>
          <Stack gap={0}>
            {(summary?.byCategory ?? []).slice(0, 3).map((c) => (
              <Text key={c.category} size="sm">
                {c.category || t('complaints.uncategorised')}: {c.count}
              </Text>
            ))}
          </Stack>
        </Card>
        <Card withBorder padding="md">
          <Text size="xs" fw={600} tt="uppercase" c="dimmed">
            {t('complaints.compensation')}
          </Text>
          <Stack gap={0}>
            {(summary?.compensation ?? []).length === 0 ? (
              <Text size="sm" c="dimmed">
                –
              </Text>
            ) : (
              summary!.compensation.map((c) => (
                <Text key={c.currency} size="sm">
                  {money(c.total, c.currency, i18n.language)}
                </Text>
              ))
            )}
          </Stack>
        </Card>
      </SimpleGrid>
      <Group mb="md">
        <Select
          aria-label={t('complaints.show')}
          w={200}
          placeholder={t('complaints.all')}
          clearable
          value={open}
          onChange={setOpen}
          data={[
            { value: 'true', label: t('complaints.onlyOpen') },
            { value: 'false', label: t('complaints.onlyClosed') },
          ]}
        />
      </Group>
      <Card withBorder padding={0}>
        {register.isSuccess && items.length === 0 ? (
          <EmptyState
            icon={<IconMoodSad size={24} />}
            title={t('complaints.emptyTitle')}
            text={t('complaints.emptyText')}
          />
        ) : (
          <Table verticalSpacing="xs" highlightOnHover aria-label={t('complaints.register')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>#</Table.Th>
                <Table.Th>{t('tickets.subject')}</Table.Th>
                <Table.Th>{t('complaints.category')}</Table.Th>
                <Table.Th>{t('fields.status')}</Table.Th>
                <Table.Th>{t('complaints.outcome')}</Table.Th>
                <Table.Th>{t('complaints.compensation')}</Table.Th>
                <Table.Th>{t('complaints.resolvedIn')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((complaint) => (
                <Table.Tr key={complaint.ticketId} data-testid="complaint">
                  <Table.Td c="dimmed">#{complaint.number}</Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/tickets/${complaint.ticketId}`}>
                      {complaint.subject}
                    </Anchor>
                    <Text size="xs" c="dimmed">
                      {complaint.requester.name} · {t(`channel.${complaint.channel}`)} ·{' '}
                      {relativeTime(complaint.createdAt, i18n.language)}
                    </Text>
                  </Table.Td>
                  <Table.Td>{complaint.category || '–'}</Table.Td>
                  <Table.Td>
                    <Badge
                      variant="light"
                      color={STATUS_COLOR[complaint.statusCategory as keyof typeof STATUS_COLOR]}
                    >
                      {t(`status.${complaint.statusCategory}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    {complaint.outcome ? t(`complaints.outcomes.${complaint.outcome}`) : '–'}
                  </Table.Td>
                  <Table.Td>
                    {complaint.compensationKind === 'none'
                      ? '–'
                      : `${t(`complaints.kinds.${complaint.compensationKind}`)}${
                          complaint.compensationValue === null
                            ? ''
                            : ` ${money(complaint.compensationValue, complaint.currency, i18n.language)}`
                        }`}
                  </Table.Td>
                  <Table.Td>
                    {complaint.hoursToResolution === null
                      ? '–'
                      : t('complaints.hours', { count: complaint.hoursToResolution })}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
    </>
  );
}

/** Beside a complaint ticket: its register entry, to fill in while working it. */
export function ComplaintCard({ ticket, disabled }: { ticket: Ticket; disabled: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const key = ['tickets', ticket.id, 'complaint'];
  const complaint = useQuery({
    queryKey: key,
    queryFn: () => api.get<Complaint>(`/tickets/${ticket.id}/complaint`),
    enabled: ticket.type === 'complaint',
  });
  const categories = useQuery({
    queryKey: ['tickets', 'complaints', 'categories'],
    queryFn: () => api.get<ComplaintRegister>('/complaints?limit=1'),
    enabled: ticket.type === 'complaint',
  });
  const [form, setForm] = useState<Complaint | null>(null);
  useEffect(() => {
    if (complaint.data) setForm(complaint.data);
  }, [complaint.data]);
  const save = useMutation({
    mutationFn: () =>
      api.put<Complaint>(`/tickets/${ticket.id}/complaint`, {
        category: form!.category,
        rootCause: form!.rootCause,
        resolution: form!.resolution,
        compensationKind: form!.compensationKind,
        compensationValue: form!.compensationValue,
        currency: form!.currency,
        outcome: form!.outcome,
      }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: key });
      notifySaved(t);
    },
    onError: (error) => notifyUnlessFieldErrors(t, error),
  });
  if (ticket.type !== 'complaint' || !form) return null;
  const errors = fieldErrors(save.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <Card withBorder padding="sm" data-testid="complaint-card">
      <Text size="xs" fw={600} tt="uppercase" c="dimmed" mb="xs">
        {t('complaints.card')}
      </Text>
      <form onSubmit={submit}>
        <Stack gap="xs">
          <Autocomplete
            label={t('complaints.category')}
            size="xs"
            disabled={disabled}
            value={form.category}
            error={errors.category}
            data={(categories.data?.summary.byCategory ?? []).map((c) => c.category).filter(Boolean)}
            onChange={(value) => setForm({ ...form, category: value })}
          />
          <Textarea
            label={t('complaints.rootCause')}
            size="xs"
            autosize
            disabled={disabled}
            value={form.rootCause}
            onChange={(e) => setForm({ ...form, rootCause: e.currentTarget.value })}
          />
          <Textarea
            label={t('complaints.resolution')}
            size="xs"
            autosize
            disabled={disabled}
            value={form.resolution}
            onChange={(e) => setForm({ ...form, resolution: e.currentTarget.value })}
          />
          <Group grow>
            <Select
              label={t('complaints.compensation')}
              size="xs"
              disabled={disabled}
              allowDeselect={false}
              value={form.compensationKind}
              data={COMPENSATION_KINDS.map((k) => ({ value: k, label: t(`complaints.kinds.${k}`) }))}
              onChange={(value) =>
                setForm({ ...form, compensationKind: (value ?? 'none') as Complaint['compensationKind'] })
              }
            />
            <NumberInput
              label={`${t('complaints.value')} (${form.currency})`}
              size="xs"
              min={0}
              decimalScale={2}
              disabled={disabled || form.compensationKind === 'none'}
              value={form.compensationValue ?? ''}
              error={errors.compensationValue}
              onChange={(value) =>
                setForm({ ...form, compensationValue: value === '' ? null : Number(value) })
              }
            />
          </Group>
          <Select
            label={t('complaints.outcome')}
            size="xs"
            clearable
            disabled={disabled}
            value={form.outcome}
            data={COMPLAINT_OUTCOMES.map((o) => ({ value: o, label: t(`complaints.outcomes.${o}`) }))}
            onChange={(value) => setForm({ ...form, outcome: value as Complaint['outcome'] })}
          />
          <Button type="submit" size="xs" variant="light" loading={save.isPending} disabled={disabled}>
            {t('common.save')}
          </Button>
        </Stack>
      </form>
    </Card>
  );
}
