import {
  type MetricCatalogue,
  type MetricName,
  type ReportDelivery,
  type ReportDeliveryList,
  type ReportSchedule,
  type ReportScheduleList,
  SCHEDULE_CONTENTS,
} from '@keepdesk/contract';
import {
  Alert,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  Modal,
  MultiSelect,
  SegmentedControl,
  Select,
  Stack,
  Table,
  TagsInput,
  Text,
  TextInput,
} from '@mantine/core';
import { IconDownload, IconMailForward, IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, query } from '../api';
import { EmptyState } from '../components/EmptyState';
import { fieldErrors, notifyError, notifySaved, notifyUnlessFieldErrors } from '../components/feedback';
import { PageHeader } from '../components/PageHeader';
import { presetRange, todayIn } from '../reports/periods';
import { can, useMe } from '../session';

const FORMATS = ['pdf', 'csv', 'xlsx'] as const;

const when = (iso: string | null, language: string) =>
  iso ? new Date(iso).toLocaleString(language, { dateStyle: 'medium', timeStyle: 'short' }) : '—';

/** Reports mailed after every week, month or quarter, their deliveries, and the management report to download. */
export function ReportSchedulesPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const mayManage = can(me, 'reports:manage');
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<ReportSchedule | 'new' | null>(null);
  const [history, setHistory] = useState<ReportSchedule | null>(null);
  const schedules = useQuery({
    queryKey: ['report-schedules'],
    queryFn: () => api.get<ReportScheduleList>('/reports/schedules'),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['report-schedules'] });
  const sendNow = useMutation({
    mutationFn: (id: string) => api.post(`/reports/schedules/${id}/send`),
    onSuccess: async () => {
      notifySaved(t, t('schedules.sendQueued'));
      await refresh();
    },
    onError: (error) => notifyError(t, error),
  });
  const remove = useMutation({
    mutationFn: (id: string) => api.delete(`/reports/schedules/${id}`),
    onSuccess: refresh,
    onError: (error) => notifyError(t, error),
  });
  const items = schedules.data?.items ?? [];
  return (
    <>
      <PageHeader
        title={t('schedules.title')}
        text={t('schedules.text')}
        action={
          mayManage && (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
              {t('schedules.add')}
            </Button>
          )
        }
      />
      <ManagementDownload />
      <Card withBorder padding={0} mt="md">
        {schedules.isSuccess && items.length === 0 ? (
          <EmptyState
            icon={<IconMailForward size={24} />}
            title={t('schedules.emptyTitle')}
            text={t('schedules.emptyText')}
          />
        ) : (
          <Table verticalSpacing="sm" highlightOnHover aria-label={t('schedules.title')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('schedules.name')}</Table.Th>
                <Table.Th>{t('schedules.frequency')}</Table.Th>
                <Table.Th>{t('schedules.nextRun')}</Table.Th>
                <Table.Th>{t('schedules.lastDelivery')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((schedule) => (
                <Table.Tr key={schedule.id}>
                  <Table.Td>
                    <Text fw={600}>{schedule.name}</Text>
                    <Text size="xs" c="dimmed">
                      {t(`schedules.content_${schedule.content}`)} ·{' '}
                      {schedule.formats.map((f) => f.toUpperCase()).join(', ')} ·{' '}
                      {schedule.recipients.join(', ')}
                    </Text>
                  </Table.Td>
                  <Table.Td>{t(`schedules.frequency_${schedule.frequency}`)}</Table.Td>
                  <Table.Td>
                    {schedule.active ? (
                      when(schedule.nextRunAt, i18n.language)
                    ) : (
                      <Badge color="gray">{t('schedules.paused')}</Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {schedule.lastDelivery ? (
                      <DeliveryStatus delivery={schedule.lastDelivery} />
                    ) : (
                      <Text size="sm" c="dimmed">
                        {t('schedules.neverSent')}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs" justify="flex-end" wrap="nowrap">
                      <Button size="xs" variant="subtle" onClick={() => setHistory(schedule)}>
                        {t('schedules.history')}
                      </Button>
                      {mayManage && (
                        <>
                          <Button
                            size="xs"
                            variant="light"
                            loading={sendNow.isPending && sendNow.variables === schedule.id}
                            onClick={() => sendNow.mutate(schedule.id)}
                          >
                            {t('schedules.sendNow')}
                          </Button>
                          <Button size="xs" variant="light" onClick={() => setEditing(schedule)}>
                            {t('common.edit')}
                          </Button>
                          <Button
                            size="xs"
                            variant="subtle"
                            color="red"
                            onClick={() => {
                              if (window.confirm(t('schedules.confirmDelete', { name: schedule.name }))) {
                                remove.mutate(schedule.id);
                              }
                            }}
                          >
                            {t('schedules.delete')}
                          </Button>
                        </>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
      {editing && (
        <ScheduleModal
          schedule={editing === 'new' ? null : editing}
          defaultZone={me.user.timeZone}
          onClose={() => setEditing(null)}
        />
      )}
      {history && <DeliveriesModal schedule={history} onClose={() => setHistory(null)} />}
    </>
  );
}

/** Sent in green; being sent in blue; waiting for its next attempt in yellow; failed in red with the error, never retried again. */
function DeliveryStatus({ delivery }: { delivery: ReportDelivery }) {
  const { t, i18n } = useTranslation();
  const period = `${delivery.periodFrom} – ${delivery.periodTo}`;
  if (delivery.status === 'sent') {
    return (
      <Stack gap={2}>
        <Badge color="teal">{t('schedules.status_sent')}</Badge>
        <Text size="xs" c="dimmed">
          {period} · {when(delivery.sentAt, i18n.language)}
        </Text>
      </Stack>
    );
  }
  if (delivery.status === 'sending') {
    return (
      <Stack gap={2}>
        <Badge color="blue">{t('schedules.status_sending')}</Badge>
        <Text size="xs" c="dimmed">
          {t('schedules.sendingAttempt', { attempts: delivery.attempts, max: delivery.maxAttempts })}
        </Text>
      </Stack>
    );
  }
  if (delivery.status === 'queued') {
    return (
      <Stack gap={2}>
        <Badge color={delivery.attempts > 0 ? 'yellow' : 'blue'}>{t('schedules.status_queued')}</Badge>
        <Text size="xs" c="dimmed">
          {delivery.attempts > 0
            ? t('schedules.retrying', {
                attempts: delivery.attempts,
                max: delivery.maxAttempts,
                when: when(delivery.nextAttemptAt, i18n.language),
              })
            : period}
        </Text>
        {delivery.lastError && (
          <Text size="xs" c="red">
            {delivery.lastError}
          </Text>
        )}
      </Stack>
    );
  }
  return (
    <Stack gap={2}>
      <Badge color="red">{t('schedules.status_failed')}</Badge>
      <Text size="xs" c="red">
        {delivery.lastError}
      </Text>
      <Text size="xs" c="dimmed">
        {t('schedules.notRetried', { attempts: delivery.attempts, period })}
      </Text>
    </Stack>
  );
}

function DeliveriesModal({ schedule, onClose }: { schedule: ReportSchedule; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const deliveries = useQuery({
    queryKey: ['report-schedules', schedule.id, 'deliveries'],
    queryFn: () => api.get<ReportDeliveryList>(`/reports/schedules/${schedule.id}/deliveries`),
    refetchInterval: 5000,
  });
  const items = deliveries.data?.items ?? [];
  return (
    <Modal opened onClose={onClose} title={t('schedules.historyOf', { name: schedule.name })} size="xl">
      {deliveries.isSuccess && items.length === 0 ? (
        <Text c="dimmed">{t('schedules.noDeliveries')}</Text>
      ) : (
        <Table verticalSpacing="xs" aria-label={t('schedules.history')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('schedules.period')}</Table.Th>
              <Table.Th>{t('schedules.status')}</Table.Th>
              <Table.Th>{t('schedules.created')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((delivery) => (
              <Table.Tr key={delivery.id}>
                <Table.Td>
                  {delivery.periodFrom} – {delivery.periodTo}
                  {delivery.manual && (
                    <Text size="xs" c="dimmed">
                      {t('schedules.manual')}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <DeliveryStatus delivery={delivery} />
                </Table.Td>
                <Table.Td>{when(delivery.createdAt, i18n.language)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Modal>
  );
}

/** The management report for a period, downloaded as PDF or XLSX. */
function ManagementDownload() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const [range, setRange] = useState(() => presetRange('lastMonth', todayIn(me.user.timeZone)));
  const [format, setFormat] = useState<'pdf' | 'xlsx'>('pdf');
  const href = `/api/v1/reports/management${query({ ...range, format, language: i18n.language.startsWith('de') ? 'de' : 'en' })}`;
  const valid = range.from !== '' && range.to !== '' && range.from <= range.to;
  return (
    <Card withBorder>
      <Text fw={600}>{t('schedules.managementTitle')}</Text>
      <Text size="sm" c="dimmed" mb="sm">
        {t('schedules.managementText')}
      </Text>
      <Group align="flex-end">
        <TextInput
          type="date"
          label={t('schedules.from')}
          value={range.from}
          onChange={(e) => setRange({ ...range, from: e.currentTarget.value })}
        />
        <TextInput
          type="date"
          label={t('schedules.to')}
          value={range.to}
          error={valid ? undefined : t('schedules.badRange')}
          onChange={(e) => setRange({ ...range, to: e.currentTarget.value })}
        />
        <SegmentedControl
          value={format}
          onChange={(value) => setFormat(value as 'pdf' | 'xlsx')}
          data={[
            { value: 'pdf', label: 'PDF' },
            { value: 'xlsx', label: 'XLSX' },
          ]}
        />
        <Button
          component="a"
          href={valid ? href : undefined}
          download
          disabled={!valid}
          leftSection={<IconDownload size={16} />}
        >
          {t('schedules.download')}
        </Button>
      </Group>
    </Card>
  );
}

function ScheduleModal({
  schedule,
  defaultZone,
  onClose,
}: {
  schedule: ReportSchedule | null;
  defaultZone: string;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const catalogue = useQuery({
    queryKey: ['reports', 'catalogue'],
    queryFn: () => api.get<MetricCatalogue>('/reports/catalogue'),
  });
  const [form, setForm] = useState({
    name: schedule?.name ?? '',
    recipients: schedule?.recipients ?? [],
    frequency: schedule?.frequency ?? 'weekly',
    content: schedule?.content ?? 'management',
    metrics: (schedule?.queries ?? []).map((q) => q.metric as string),
    formats: schedule?.formats ?? ['pdf'],
    language: schedule?.language ?? (i18n.language.startsWith('de') ? 'de' : 'en'),
    timeZone: schedule?.timeZone ?? defaultZone,
    active: schedule?.active ?? true,
  });
  const set = <K extends keyof typeof form>(key: K, value: (typeof form)[K]) =>
    setForm({ ...form, [key]: value });
  // The retention reports cover whole months or quarters and are PDF or XLSX: the form starts them that way.
  const setContent = (content: typeof form.content) => {
    if (content !== 'retention' && content !== 'churn_analysis') return set('content', content);
    const formats = form.formats.filter((format) => format !== 'csv');
    const monthly = content === 'retention' ? 'monthly' : 'quarterly';
    setForm({
      ...form,
      content,
      frequency: form.frequency === 'weekly' ? monthly : form.frequency,
      formats: formats.length > 0 ? formats : ['pdf'],
    });
  };
  const save = useMutation({
    mutationFn: () => {
      const { metrics, ...rest } = form;
      // Queries already saved keep their grain, grouping and filter; a newly chosen metric reports by day.
      const queries = metrics.map(
        (metric) =>
          schedule?.queries.find((q) => q.metric === metric) ?? {
            metric: metric as MetricName,
            grain: 'day',
          },
      );
      const body = { ...rest, queries: rest.content === 'metrics' ? queries : [] };
      return schedule
        ? api.patch<ReportSchedule>(`/reports/schedules/${schedule.id}`, body)
        : api.post<ReportSchedule>('/reports/schedules', body);
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['report-schedules'] });
      notifySaved(t);
      onClose();
    },
    onError: (error) => notifyUnlessFieldErrors(t, error),
  });
  const errors = fieldErrors(save.error);
  const recipientError = Object.entries(errors).find(([field]) => field.startsWith('recipients'))?.[1];
  const queryError = Object.entries(errors).find(([field]) => field.startsWith('queries'))?.[1];
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const zones = (catalogue.data?.timeZones ?? []).map((z) => z.zone);
  return (
    <Modal opened onClose={onClose} title={schedule ? t('schedules.edit') : t('schedules.add')} size="lg">
      <form onSubmit={submit}>
        <Stack>
          <TextInput
            label={t('schedules.name')}
            required
            value={form.name}
            error={errors.name}
            onChange={(e) => set('name', e.currentTarget.value)}
          />
          <TagsInput
            label={t('schedules.recipients')}
            description={t('schedules.recipientsHint')}
            value={form.recipients}
            error={recipientError}
            splitChars={[',', ' ', ';']}
            onChange={(value) => set('recipients', value)}
          />
          <Group grow align="flex-start">
            <Select
              label={t('schedules.frequency')}
              allowDeselect={false}
              value={form.frequency}
              error={errors.frequency}
              data={(['weekly', 'monthly', 'quarterly'] as const).map((f) => ({
                value: f,
                label: t(`schedules.frequency_${f}`),
              }))}
              onChange={(value) => value && set('frequency', value as typeof form.frequency)}
            />
            <Select
              label={t('schedules.timeZone')}
              allowDeselect={false}
              searchable
              value={form.timeZone}
              error={errors.timeZone}
              data={zones.includes(form.timeZone) ? zones : [form.timeZone, ...zones]}
              onChange={(value) => value && set('timeZone', value)}
            />
          </Group>
          <Select
            label={t('schedules.content')}
            allowDeselect={false}
            value={form.content}
            data={SCHEDULE_CONTENTS.map((c) => ({
              value: c,
              label: t(`schedules.content_${c}`),
            }))}
            description={
              form.content === 'retention' || form.content === 'churn_analysis'
                ? t('schedules.retentionHint')
                : undefined
            }
            onChange={(value) => value && setContent(value as typeof form.content)}
          />
          {form.content === 'metrics' && (
            <MultiSelect
              label={t('schedules.metrics')}
              searchable
              value={form.metrics}
              error={queryError}
              data={(catalogue.data?.metrics ?? []).map((m) => ({
                value: m.name,
                label: t(`schedules.metric.${m.name}`),
              }))}
              onChange={(value) => set('metrics', value)}
            />
          )}
          <Checkbox.Group
            label={t('schedules.formats')}
            value={form.formats}
            error={errors.formats}
            onChange={(value) => set('formats', value as typeof form.formats)}
          >
            <Group mt={4}>
              {FORMATS.map((format) => (
                <Checkbox key={format} value={format} label={format.toUpperCase()} />
              ))}
            </Group>
          </Checkbox.Group>
          <Group grow align="flex-start">
            <Select
              label={t('schedules.language')}
              allowDeselect={false}
              value={form.language}
              data={[
                { value: 'de', label: 'Deutsch' },
                { value: 'en', label: 'English' },
              ]}
              onChange={(value) => value && set('language', value as 'de' | 'en')}
            />
            <Checkbox
              mt="xl"
              label={t('schedules.active')}
              checked={form.active}
              onChange={(e) => set('active', e.currentTarget.checked)}
            />
          </Group>
          {errors['(root)'] && <Alert color="red">{errors['(root)']}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
