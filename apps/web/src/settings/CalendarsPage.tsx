import type {
  BusinessCalendar,
  BusinessCalendarList,
  CalendarDayList,
  HolidayRegions,
  IcsImportResult,
  Week,
} from '@keepdesk/contract';
import {
  ActionIcon,
  Badge,
  Button,
  Card,
  Checkbox,
  FileButton,
  Group,
  Modal,
  NumberInput,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconCalendarTime, IconCopy, IconPlus, IconTrash, IconUpload } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, query } from '../api';
import { ChangeLogCard } from '../components/ChangeLogCard';
import { EmptyState } from '../components/EmptyState';
import { fieldErrors, notifyError, notifySaved, notifyUnlessFieldErrors } from '../components/feedback';
import { PageHeader } from '../components/PageHeader';
import { timeZones } from '../timezones';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const OFFICE = [
  { start: '08:00', end: '12:00' },
  { start: '13:00', end: '17:00' },
];
const DEFAULT_WEEK: Week = {
  mon: OFFICE,
  tue: OFFICE,
  wed: OFFICE,
  thu: OFFICE,
  fri: OFFICE,
  sat: [],
  sun: [],
};

/** Business hours: calendars with working hours, breaks, a time zone and the days they are closed. */
export function CalendarsPage() {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<BusinessCalendar | 'new' | null>(null);
  const [showing, setShowing] = useState<string | null>(null);
  const calendars = useQuery({
    queryKey: ['calendars'],
    queryFn: () => api.get<BusinessCalendarList>('/calendars'),
  });
  const items = calendars.data?.items ?? [];
  const shown = items.find((c) => c.id === showing) ?? items.find((c) => c.isDefault) ?? items[0];
  return (
    <>
      <PageHeader
        title={t('calendars.title')}
        text={t('calendars.text')}
        action={
          <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
            {t('calendars.add')}
          </Button>
        }
      />
      <Card withBorder padding={0}>
        {calendars.isSuccess && items.length === 0 ? (
          <EmptyState
            icon={<IconCalendarTime size={24} />}
            title={t('calendars.emptyTitle')}
            text={t('calendars.emptyText')}
          />
        ) : (
          <Table verticalSpacing="sm" highlightOnHover aria-label={t('calendars.title')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('calendars.name')}</Table.Th>
                <Table.Th>{t('calendars.hours')}</Table.Th>
                <Table.Th>{t('calendars.holidays')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((calendar) => (
                <Table.Tr
                  key={calendar.id}
                  onClick={() => setShowing(calendar.id)}
                  style={{ cursor: 'pointer' }}
                >
                  <Table.Td>
                    <Group gap={6}>
                      <Text fw={600}>{calendar.name}</Text>
                      {calendar.isDefault && <Badge size="sm">{t('calendars.default')}</Badge>}
                    </Group>
                    <Text size="xs" c="dimmed">
                      {calendar.timeZone}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{summarizeWeek(calendar.week, t)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      {calendar.holidayCountry
                        ? `${calendar.holidayCountry}${calendar.holidayRegion ? `-${calendar.holidayRegion}` : ''}`
                        : '—'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Button
                      size="xs"
                      variant="light"
                      onClick={(event) => {
                        event.stopPropagation();
                        setEditing(calendar);
                      }}
                    >
                      {t('common.edit')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
      {shown && <ClosedDays calendar={shown} />}
      <ChangeLogCard entityType="calendar" nameOf={(id) => items.find((c) => c.id === id)?.name} />
      {editing && (
        <CalendarModal calendar={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />
      )}
    </>
  );
}

function summarizeWeek(week: Week, t: (key: string) => string): string {
  return DAYS.filter((day) => week[day].length > 0)
    .map((day) => `${t(`calendars.day.${day}`)} ${week[day].map((i) => `${i.start}–${i.end}`).join(', ')}`)
    .join(' · ');
}

function CalendarModal({ calendar, onClose }: { calendar: BusinessCalendar | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [form, setForm] = useState({
    name: calendar?.name ?? '',
    timeZone: calendar?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
    week: calendar?.week ?? DEFAULT_WEEK,
    holidayCountry: (calendar ? calendar.holidayCountry : 'DE') as string | null,
    holidayRegion: calendar?.holidayRegion ?? (null as string | null),
    isDefault: calendar?.isDefault ?? false,
  });
  const regions = useQuery({
    queryKey: ['holiday-regions', i18n.language],
    queryFn: () =>
      api.get<HolidayRegions>(`/holiday-regions${query({ language: i18n.language === 'de' ? 'de' : 'en' })}`),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const country = regions.data?.items.find((c) => c.country === form.holidayCountry);
  const save = useMutation({
    mutationFn: () =>
      calendar
        ? api.patch<BusinessCalendar>(`/calendars/${calendar.id}`, form)
        : api.post<BusinessCalendar>('/calendars', form),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['calendars'] });
      notifySaved(t);
      onClose();
    },
    onError: (error) => notifyUnlessFieldErrors(t, error),
  });
  const errors = fieldErrors(save.error);
  const setDay = (day: (typeof DAYS)[number], intervals: Week['mon']) =>
    setForm({ ...form, week: { ...form.week, [day]: intervals } });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <Modal opened onClose={onClose} title={calendar ? t('calendars.edit') : t('calendars.add')} size="lg">
      <form onSubmit={submit}>
        <Stack>
          <Group grow align="flex-start">
            <TextInput
              label={t('calendars.name')}
              required
              value={form.name}
              error={errors.name}
              onChange={(e) => setForm({ ...form, name: e.currentTarget.value })}
            />
            <Select
              label={t('calendars.timeZone')}
              searchable
              data={timeZones()}
              value={form.timeZone}
              error={errors.timeZone}
              onChange={(value) => value && setForm({ ...form, timeZone: value })}
            />
          </Group>
          <Stack gap={6}>
            <Group justify="space-between">
              <Text size="sm" fw={500}>
                {t('calendars.hours')}
              </Text>
              <Button
                size="compact-xs"
                variant="subtle"
                leftSection={<IconCopy size={14} />}
                onClick={() =>
                  setForm({
                    ...form,
                    week: {
                      ...form.week,
                      tue: form.week.mon,
                      wed: form.week.mon,
                      thu: form.week.mon,
                      fri: form.week.mon,
                    },
                  })
                }
              >
                {t('calendars.copyMonday')}
              </Button>
            </Group>
            {errors.week && (
              <Text size="xs" c="red">
                {errors.week}
              </Text>
            )}
            {DAYS.map((day) => (
              <Group key={day} gap="xs" align="flex-start" wrap="nowrap" data-testid={`day-${day}`}>
                <Text size="sm" w={90} pt={6}>
                  {t(`calendars.dayLong.${day}`)}
                </Text>
                <Stack gap={4} style={{ flex: 1 }}>
                  {form.week[day].length === 0 && (
                    <Text size="sm" c="dimmed" pt={6}>
                      {t('calendars.closed')}
                    </Text>
                  )}
                  {form.week[day].map((interval, index) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: hours of a day have no identity but their place, and are edited in place
                    <Group key={`${day}-${index}`} gap={6} wrap="nowrap">
                      <TextInput
                        type="time"
                        size="xs"
                        aria-label={`${t(`calendars.dayLong.${day}`)} ${t('calendars.from')}`}
                        value={interval.start}
                        error={errors[`week.${day}.${index}.start`]}
                        onChange={(e) =>
                          setDay(
                            day,
                            form.week[day].map((item, i) =>
                              i === index ? { ...item, start: e.currentTarget.value } : item,
                            ),
                          )
                        }
                      />
                      <Text size="sm">–</Text>
                      <TextInput
                        type="time"
                        size="xs"
                        aria-label={`${t(`calendars.dayLong.${day}`)} ${t('calendars.to')}`}
                        value={interval.end === '24:00' ? '23:59' : interval.end}
                        error={
                          errors[`week.${day}.${index}.end`] ??
                          (index === 0 ? errors[`week.${day}`] : undefined)
                        }
                        onChange={(e) =>
                          setDay(
                            day,
                            form.week[day].map((item, i) =>
                              i === index
                                ? {
                                    ...item,
                                    end: e.currentTarget.value === '23:59' ? '24:00' : e.currentTarget.value,
                                  }
                                : item,
                            ),
                          )
                        }
                      />
                      <ActionIcon
                        variant="subtle"
                        color="gray"
                        aria-label={t('calendars.removeHours')}
                        onClick={() =>
                          setDay(
                            day,
                            form.week[day].filter((_, i) => i !== index),
                          )
                        }
                      >
                        <IconTrash size={14} />
                      </ActionIcon>
                    </Group>
                  ))}
                </Stack>
                <Button
                  size="compact-xs"
                  variant="subtle"
                  mt={4}
                  onClick={() => {
                    const last = form.week[day].at(-1);
                    setDay(day, [
                      ...form.week[day],
                      last
                        ? { start: last.end === '24:00' ? '23:00' : last.end, end: '24:00' }
                        : { start: '09:00', end: '17:00' },
                    ]);
                  }}
                >
                  {t('calendars.addHours')}
                </Button>
              </Group>
            ))}
          </Stack>
          <Group grow align="flex-start">
            <Select
              label={t('calendars.country')}
              searchable
              clearable
              data={(regions.data?.items ?? []).map((c) => ({ value: c.country, label: c.name }))}
              value={form.holidayCountry}
              error={errors.holidayCountry}
              onChange={(value) => setForm({ ...form, holidayCountry: value, holidayRegion: null })}
            />
            <Select
              label={t('calendars.region')}
              searchable
              clearable
              disabled={!country || country.regions.length === 0}
              data={(country?.regions ?? []).map((r) => ({ value: r.code, label: r.name }))}
              value={form.holidayRegion}
              error={errors.holidayRegion}
              onChange={(value) => setForm({ ...form, holidayRegion: value })}
            />
          </Group>
          <Checkbox
            label={t('calendars.makeDefault')}
            checked={form.isDefault}
            disabled={calendar?.isDefault}
            onChange={(e) => setForm({ ...form, isDefault: e.currentTarget.checked })}
          />
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

function ClosedDays({ calendar }: { calendar: BusinessCalendar }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [year, setYear] = useState<number>(new Date().getFullYear());
  const [date, setDate] = useState('');
  const [name, setName] = useState('');
  const key = ['calendars', calendar.id, 'days', year];
  const days = useQuery({
    queryKey: key,
    queryFn: () => api.get<CalendarDayList>(`/calendars/${calendar.id}/days?year=${year}`),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['calendars', calendar.id, 'days'] });
  const add = useMutation({
    mutationFn: () => api.post<CalendarDayList>(`/calendars/${calendar.id}/days`, { date, name }),
    onSuccess: async () => {
      setDate('');
      setName('');
      await refresh();
    },
    onError: (error) => notifyUnlessFieldErrors(t, error),
  });
  const remove = useMutation({
    mutationFn: (day: string) => api.delete(`/calendars/${calendar.id}/days/${day}`),
    onSuccess: refresh,
    onError: (error) => notifyError(t, error),
  });
  const importIcs = useMutation({
    mutationFn: async (file: File) =>
      api.postText<IcsImportResult>(`/calendars/${calendar.id}/import`, await file.text(), 'text/calendar'),
    onSuccess: async (result) => {
      await refresh();
      notifySaved(t, t('calendars.imported', { added: result.added, skipped: result.skipped.length }));
    },
    onError: (error) => notifyError(t, error),
  });
  return (
    <Card withBorder mt="md" data-testid="closed-days">
      <Group justify="space-between" mb="sm">
        <Title order={3} size="h5">
          {t('calendars.closedDays', { name: calendar.name })}
        </Title>
        <Group gap="xs">
          <NumberInput
            size="xs"
            w={90}
            aria-label={t('calendars.year')}
            value={year}
            min={1970}
            max={2100}
            onChange={(value) => typeof value === 'number' && setYear(value)}
          />
          <FileButton accept=".ics,text/calendar" onChange={(file) => file && importIcs.mutate(file)}>
            {(props) => (
              <Button
                {...props}
                size="xs"
                variant="light"
                leftSection={<IconUpload size={14} />}
                loading={importIcs.isPending}
              >
                {t('calendars.importIcs')}
              </Button>
            )}
          </FileButton>
        </Group>
      </Group>
      <Table aria-label={t('calendars.closedDays', { name: calendar.name })}>
        <Table.Tbody>
          {(days.data?.items ?? []).map((day) => (
            <Table.Tr key={`${day.date}-${day.source}`}>
              <Table.Td w={160}>
                {new Date(`${day.date}T12:00:00`).toLocaleDateString(i18n.language, {
                  weekday: 'short',
                  day: 'numeric',
                  month: 'short',
                })}
              </Table.Td>
              <Table.Td>{day.name}</Table.Td>
              <Table.Td>
                <Badge size="sm" variant="light" color={day.source === 'public' ? 'blue' : 'grape'}>
                  {t(`calendars.source.${day.source}`)}
                </Badge>
              </Table.Td>
              <Table.Td w={40}>
                {day.source === 'custom' && (
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    aria-label={t('calendars.removeDay')}
                    onClick={() => remove.mutate(day.date)}
                  >
                    <IconTrash size={14} />
                  </ActionIcon>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          add.mutate();
        }}
      >
        <Group mt="sm" align="flex-end">
          <TextInput
            type="date"
            label={t('calendars.dayOff')}
            required
            value={date}
            error={fieldErrors(add.error).date}
            onChange={(e) => setDate(e.currentTarget.value)}
          />
          <TextInput
            label={t('calendars.dayName')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
          />
          <Button type="submit" variant="light" loading={add.isPending}>
            {t('calendars.addDay')}
          </Button>
        </Group>
      </form>
    </Card>
  );
}
