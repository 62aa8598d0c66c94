import {
  FEEDBACK_CATEGORIES,
  FEEDBACK_ITEM_STATUSES,
  type FeedbackItemDetail,
  type FeedbackItemList,
  type UserPage,
} from '@keepdesk/contract';
import {
  Anchor,
  Badge,
  Button,
  Card,
  Drawer,
  Group,
  Modal,
  MultiSelect,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { IconBulb, IconTag } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { EmptyState } from '../components/EmptyState';
import { FormActions } from '../components/FormActions';
import { fieldErrors, notifySaved, notifyUnlessFieldErrors } from '../components/feedback';
import { PageHeader } from '../components/PageHeader';
import { relativeTime } from '../tickets/format';
import { FeedbackTabs } from './FeedbackTabs';

const money = (value: number, language: string) =>
  new Intl.NumberFormat(language, { maximumFractionDigits: 0 }).format(value);

/** Feedback for other teams: what customers ask for, weighed by how many asked and what they are worth. */
export function FeedbackItemsPage() {
  const { t, i18n } = useTranslation();
  const [category, setCategory] = useState<string | null>(null);
  const [sort, setSort] = useState('customers');
  const [sharedOnly, setSharedOnly] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const items = useQuery({
    queryKey: ['feedback-items', category, sort, sharedOnly],
    queryFn: () =>
      api.get<FeedbackItemList>(
        `/feedback-items?${new URLSearchParams({ sort, ...(category ? { category } : {}), ...(sharedOnly ? { shared: 'me' } : {}) }).toString()}`,
      ),
  });
  const list = items.data?.items ?? [];
  return (
    <>
      <PageHeader title={t('feedbackReport.title')} text={t('items.text')} />
      <FeedbackTabs active="items" />
      <Group mb="md">
        <Select
          aria-label={t('items.category')}
          placeholder={t('items.allCategories')}
          clearable
          w={220}
          value={category}
          onChange={setCategory}
          data={FEEDBACK_CATEGORIES.map((c) => ({ value: c, label: t(`items.categories.${c}`) }))}
        />
        <Select
          aria-label={t('items.sort')}
          w={220}
          allowDeselect={false}
          value={sort}
          onChange={(value) => setSort(value ?? 'customers')}
          data={(['customers', 'revenue', 'recent'] as const).map((s) => ({
            value: s,
            label: t(`items.sorts.${s}`),
          }))}
        />
        <Switch
          label={t('items.sharedWithMe')}
          checked={sharedOnly}
          onChange={(e) => setSharedOnly(e.currentTarget.checked)}
        />
      </Group>
      <Card withBorder padding={0}>
        {items.isSuccess && list.length === 0 ? (
          <EmptyState
            icon={<IconBulb size={24} />}
            title={t('items.emptyTitle')}
            text={t('items.emptyText')}
          />
        ) : (
          <Table verticalSpacing="sm" highlightOnHover aria-label={t('items.title')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('items.item')}</Table.Th>
                <Table.Th>{t('items.status')}</Table.Th>
                <Table.Th>{t('items.customers')}</Table.Th>
                <Table.Th>{t('items.revenue')}</Table.Th>
                <Table.Th>{t('items.tracker')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.map((item) => (
                <Table.Tr
                  key={item.id}
                  data-testid="feedback-item"
                  style={{ cursor: 'pointer' }}
                  onClick={() => setOpen(item.id)}
                >
                  <Table.Td>
                    <Text fw={600}>{item.title}</Text>
                    <Group gap={6}>
                      <Badge size="xs" variant="light">
                        {t(`items.categories.${item.category}`)}
                      </Badge>
                      {item.lastLinkedAt && (
                        <Text size="xs" c="dimmed">
                          {relativeTime(item.lastLinkedAt, i18n.language)}
                        </Text>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>{t(`items.statuses.${item.status}`)}</Table.Td>
                  <Table.Td>{item.customers}</Table.Td>
                  <Table.Td>{money(item.revenue, i18n.language)}</Table.Td>
                  <Table.Td>
                    {item.trackerUrl ? (
                      <Anchor
                        href={item.trackerUrl}
                        target="_blank"
                        rel="noreferrer noopener"
                        size="sm"
                        onClick={(e) => e.stopPropagation()}
                      >
                        {item.trackerStatus || t('items.open')}
                      </Anchor>
                    ) : (
                      '–'
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
      {open && <ItemDrawer id={open} onClose={() => setOpen(null)} />}
    </>
  );
}

function ItemDrawer({ id, onClose }: { id: string; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const item = useQuery({
    queryKey: ['feedback-items', id],
    queryFn: () => api.get<FeedbackItemDetail>(`/feedback-items/${id}`),
  });
  const people = useQuery({
    queryKey: ['users', 'all'],
    queryFn: () => api.get<UserPage>('/users?limit=200'),
  });
  const [form, setForm] = useState({
    status: 'new',
    trackerUrl: '',
    trackerStatus: '',
    collaboratorIds: [] as string[],
  });
  useEffect(() => {
    if (item.data) {
      setForm({
        status: item.data.status,
        trackerUrl: item.data.trackerUrl ?? '',
        trackerStatus: item.data.trackerStatus ?? '',
        collaboratorIds: item.data.collaborators.map((c) => c.id),
      });
    }
  }, [item.data]);
  const save = useMutation({
    mutationFn: () =>
      api.patch<FeedbackItemDetail>(`/feedback-items/${id}`, {
        status: form.status,
        trackerUrl: form.trackerUrl || null,
        trackerStatus: form.trackerStatus || null,
        collaboratorIds: form.collaboratorIds,
      }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['feedback-items'] });
      notifySaved(t);
    },
    onError: (error) => notifyUnlessFieldErrors(t, error),
  });
  const errors = fieldErrors(save.error);
  const data = item.data;
  return (
    <Drawer opened onClose={onClose} position="right" size="lg" title={data?.title ?? ''}>
      {data && (
        <Stack data-testid="feedback-item-detail">
          <Text size="sm">
            {t('items.weight', {
              customers: data.customers,
              organizations: data.organizations,
              revenue: money(data.revenue, i18n.language),
            })}
          </Text>
          {data.description && <Text size="sm">{data.description}</Text>}
          <Select
            label={t('items.status')}
            allowDeselect={false}
            value={form.status}
            onChange={(value) => setForm({ ...form, status: value ?? 'new' })}
            data={FEEDBACK_ITEM_STATUSES.map((s) => ({ value: s, label: t(`items.statuses.${s}`) }))}
          />
          <Group grow align="flex-start">
            <TextInput
              label={t('items.trackerUrl')}
              value={form.trackerUrl}
              error={errors.trackerUrl}
              onChange={(e) => setForm({ ...form, trackerUrl: e.currentTarget.value })}
            />
            <TextInput
              label={t('items.trackerStatus')}
              value={form.trackerStatus}
              onChange={(e) => setForm({ ...form, trackerStatus: e.currentTarget.value })}
            />
          </Group>
          <MultiSelect
            label={t('items.collaborators')}
            description={t('items.collaboratorsHelp')}
            searchable
            data={(people.data?.items ?? []).map((u) => ({ value: u.id, label: u.name }))}
            value={form.collaboratorIds}
            onChange={(value) => setForm({ ...form, collaboratorIds: value })}
          />
          <Group justify="flex-end">
            <Button loading={save.isPending} onClick={() => save.mutate()}>
              {t('common.save')}
            </Button>
          </Group>
          <Text fw={600}>{t('items.voices')}</Text>
          {data.recentLinks.map((link) => (
            <Card key={link.id} withBorder padding="xs">
              <Group gap="xs">
                <Text size="sm" fw={600}>
                  {link.contact?.name ?? '–'}
                </Text>
                {link.organization && (
                  <Text size="xs" c="dimmed">
                    {link.organization.name}
                  </Text>
                )}
                {link.ticketId && (
                  <Anchor component={Link} to={`/tickets/${link.ticketId}`} size="xs">
                    {t('themes.ticket')}
                  </Anchor>
                )}
                <Text size="xs" c="dimmed">
                  {relativeTime(link.createdAt, i18n.language)}
                </Text>
              </Group>
              {link.note && <Text size="sm">“{link.note}”</Text>}
            </Card>
          ))}
        </Stack>
      )}
    </Drawer>
  );
}

/** Tags a ticket or a survey answer as feedback for another team: an existing item, or a new one. */
export function TagFeedbackButton({
  source,
  sourceId,
}: {
  source: 'ticket' | 'survey_response';
  sourceId: string;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button
        size="compact-xs"
        variant="subtle"
        leftSection={<IconTag size={14} />}
        onClick={() => setOpen(true)}
      >
        {t('items.tag')}
      </Button>
      {open && <TagModal source={source} sourceId={sourceId} onClose={() => setOpen(false)} />}
    </>
  );
}

function TagModal({
  source,
  sourceId,
  onClose,
}: {
  source: 'ticket' | 'survey_response';
  sourceId: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [category, setCategory] = useState<string>('feature_request');
  const [itemId, setItemId] = useState<string | null>(null);
  const [title, setTitle] = useState('');
  const [note, setNote] = useState('');
  const existing = useQuery({
    queryKey: ['feedback-items', 'pick', category],
    queryFn: () => api.get<FeedbackItemList>(`/feedback-items?category=${category}&sort=recent`),
  });
  const save = useMutation({
    mutationFn: async () => {
      const id = itemId ?? (await api.post<FeedbackItemDetail>('/feedback-items', { title, category })).id;
      return api.post<FeedbackItemDetail>(`/feedback-items/${id}/links`, { source, sourceId, note });
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['feedback-items'] });
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
    <Modal opened onClose={onClose} title={t('items.tag')}>
      <form onSubmit={submit}>
        <Stack>
          <Select
            label={t('items.category')}
            allowDeselect={false}
            value={category}
            onChange={(value) => {
              setCategory(value ?? 'feature_request');
              setItemId(null);
            }}
            data={FEEDBACK_CATEGORIES.map((c) => ({ value: c, label: t(`items.categories.${c}`) }))}
          />
          <Select
            label={t('items.existing')}
            placeholder={t('items.newItem')}
            searchable
            clearable
            value={itemId}
            onChange={setItemId}
            data={(existing.data?.items ?? []).map((i) => ({ value: i.id, label: i.title }))}
          />
          {!itemId && (
            <TextInput
              label={t('items.title_label')}
              required
              value={title}
              error={errors.title}
              onChange={(e) => setTitle(e.currentTarget.value)}
            />
          )}
          <Textarea
            label={t('items.note')}
            autosize
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
          />
          <FormActions onCancel={onClose} saving={save.isPending} />
        </Stack>
      </form>
    </Modal>
  );
}

/** Beside a ticket: the feedback items it was tagged for, and the way to tag it. */
export function TicketFeedbackCard({ ticketId }: { ticketId: string }) {
  const { t } = useTranslation();
  const items = useQuery({
    queryKey: ['feedback-items', 'ticket', ticketId],
    queryFn: () => api.get<FeedbackItemList>(`/feedback-items?ticketId=${ticketId}`),
  });
  const list = items.data?.items ?? [];
  return (
    <Card withBorder padding="sm" data-testid="ticket-feedback">
      <Group justify="space-between" mb={list.length > 0 ? 'xs' : 0}>
        <Text size="xs" fw={600} tt="uppercase" c="dimmed">
          {t('items.cardTitle')}
        </Text>
        <TagFeedbackButton source="ticket" sourceId={ticketId} />
      </Group>
      <Stack gap={4}>
        {list.map((item) => (
          <Group key={item.id} gap="xs" wrap="nowrap">
            <Badge size="xs" variant="light">
              {t(`items.categories.${item.category}`)}
            </Badge>
            <Text size="sm" lineClamp={1}>
              {item.title}
            </Text>
          </Group>
        ))}
      </Stack>
    </Card>
  );
}
