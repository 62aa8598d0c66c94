import {
  CHANNELS,
  type FeedbackSettings,
  type OrganizationPage,
  type Survey,
  type SurveyKind,
  type SurveyList,
  type SurveyTexts,
} from '@keepdesk/contract';
import {
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  Modal,
  MultiSelect,
  NumberInput,
  Select,
  Stack,
  Switch,
  Table,
  Tabs,
  TagsInput,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { IconMoodSmile, IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { ChangeLogCard } from '../components/ChangeLogCard';
import { EmptyState } from '../components/EmptyState';
import { FormActions } from '../components/FormActions';
import { fieldErrors, notifyError, notifySaved, notifyUnlessFieldErrors } from '../components/feedback';
import { PageHeader } from '../components/PageHeader';
import { relativeTime } from '../tickets/format';

const TEXT_FIELDS = ['subject', 'intro', 'question', 'commentPrompt', 'thanks'] as const;

/** Settings → Surveys: CSAT and CES after solved tickets, relationship NPS, and the throttle window. */
export function SurveysPage() {
  const { t, i18n } = useTranslation();
  const [editing, setEditing] = useState<Survey | SurveyKind | null>(null);
  const surveys = useQuery({ queryKey: ['surveys'], queryFn: () => api.get<SurveyList>('/surveys') });
  const items = surveys.data?.items ?? [];
  return (
    <>
      <PageHeader
        title={t('surveys.title')}
        text={t('surveys.text')}
        action={
          <Group gap="xs">
            {(['csat', 'ces', 'nps'] as const).map((kind) => (
              <Button
                key={kind}
                variant={kind === 'csat' ? 'filled' : 'light'}
                leftSection={<IconPlus size={16} />}
                onClick={() => setEditing(kind)}
              >
                {t(`surveys.add.${kind}`)}
              </Button>
            ))}
          </Group>
        }
      />
      <ThrottleCard />
      <Card withBorder padding={0} mt="md">
        {surveys.isSuccess && items.length === 0 ? (
          <EmptyState
            icon={<IconMoodSmile size={24} />}
            title={t('surveys.emptyTitle')}
            text={t('surveys.emptyText')}
          />
        ) : (
          <Table verticalSpacing="sm" highlightOnHover aria-label={t('surveys.title')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('surveys.name')}</Table.Th>
                <Table.Th>{t('surveys.when')}</Table.Th>
                <Table.Th>{t('surveys.sent')}</Table.Th>
                <Table.Th>{t('surveys.answered')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((survey) => (
                <Table.Tr key={survey.id} data-testid="survey">
                  <Table.Td>
                    <Group gap={6}>
                      <Text fw={600}>{survey.name}</Text>
                      <Badge size="sm" variant="light">
                        {t(`surveys.kind.${survey.kind}`)}
                      </Badge>
                      {!survey.active && (
                        <Badge size="sm" variant="light" color="gray">
                          {t('surveys.inactive')}
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      {survey.kind === 'nps'
                        ? t('surveys.everyDays', { count: survey.everyDays ?? 0 }) +
                          (survey.active && survey.nextRunAt
                            ? ` · ${t('surveys.nextRun')} ${relativeTime(survey.nextRunAt, i18n.language)}`
                            : '')
                        : t('surveys.afterSolve', { count: survey.delayMinutes })}
                    </Text>
                  </Table.Td>
                  <Table.Td>{survey.sent}</Table.Td>
                  <Table.Td>
                    {survey.answered}
                    {survey.sent > 0 && (
                      <Text span size="xs" c="dimmed">
                        {' '}
                        ({Math.round((100 * survey.answered) / survey.sent)} %)
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td w={90}>
                    <Button size="xs" variant="light" onClick={() => setEditing(survey)}>
                      {t('common.edit')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
      <ChangeLogCard entityType="survey" nameOf={(id) => items.find((s) => s.id === id)?.name} />
      {editing && (
        <SurveyModal
          survey={typeof editing === 'string' ? null : editing}
          kind={typeof editing === 'string' ? editing : editing.kind}
          onClose={() => setEditing(null)}
        />
      )}
    </>
  );
}

function ThrottleCard() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const settings = useQuery({
    queryKey: ['feedback', 'settings'],
    queryFn: () => api.get<FeedbackSettings>('/feedback/settings'),
  });
  const [days, setDays] = useState<number | string>('');
  const [stars, setStars] = useState<number | string>('');
  useEffect(() => {
    if (settings.data) {
      setDays(settings.data.throttleDays);
      setStars(settings.data.complaintRatingMax);
    }
  }, [settings.data]);
  const [revenueAttribute, setRevenueAttribute] = useState('mrr');
  const [recipients, setRecipients] = useState<string[]>([]);
  useEffect(() => {
    if (settings.data) {
      setRevenueAttribute(settings.data.revenueAttribute);
      setRecipients(settings.data.digestRecipients);
    }
  }, [settings.data]);
  const save = useMutation({
    mutationFn: () =>
      api.put<FeedbackSettings>('/feedback/settings', {
        throttleDays: Number(days),
        complaintRatingMax: Number(stars),
        revenueAttribute,
        digestRecipients: recipients,
      }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['feedback', 'settings'] });
      notifySaved(t);
    },
    onError: (error) => notifyError(t, error),
  });
  return (
    <Card withBorder padding="md">
      <Group align="flex-end">
        <NumberInput
          label={t('surveys.throttle')}
          description={t('surveys.throttleHelp')}
          min={0}
          max={365}
          w={320}
          value={days}
          onChange={setDays}
        />
        <NumberInput
          label={t('surveys.complaintRatingMax')}
          description={t('surveys.complaintRatingMaxHelp')}
          min={0}
          max={5}
          w={320}
          value={stars}
          onChange={setStars}
        />
        <TextInput
          label={t('surveys.revenueAttribute')}
          description={t('surveys.revenueAttributeHelp')}
          w={320}
          value={revenueAttribute}
          onChange={(e) => setRevenueAttribute(e.currentTarget.value)}
        />
        <TagsInput
          label={t('surveys.digestRecipients')}
          description={t('surveys.digestRecipientsHelp')}
          w={420}
          value={recipients}
          onChange={setRecipients}
        />
        <Button variant="light" loading={save.isPending} onClick={() => save.mutate()}>
          {t('common.save')}
        </Button>
      </Group>
    </Card>
  );
}

type Form = {
  name: string;
  active: boolean;
  scale: '1-5' | 'good-bad';
  delayMinutes: number | string;
  channels: string[];
  everyDays: number | string;
  organizationIds: string[];
  askComment: boolean;
  followUp: boolean;
  expiresAfterDays: number | string;
  texts: { en: SurveyTexts; de: SurveyTexts };
};

function SurveyModal({
  survey,
  kind,
  onClose,
}: {
  survey: Survey | null;
  kind: SurveyKind;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const defaults = useQuery({
    queryKey: ['surveys', 'defaults', kind],
    queryFn: () => api.get<{ en: SurveyTexts; de: SurveyTexts }>(`/surveys/defaults?kind=${kind}`),
    enabled: !survey,
  });
  const organizations = useQuery({
    queryKey: ['organizations', 'all'],
    queryFn: () => api.get<OrganizationPage>('/organizations?limit=200'),
    enabled: kind === 'nps',
  });
  const [form, setForm] = useState<Form | null>(
    survey
      ? {
          name: survey.name,
          active: survey.active,
          scale: survey.scale ?? 'good-bad',
          delayMinutes: survey.delayMinutes,
          channels: survey.channels,
          everyDays: survey.everyDays ?? 90,
          organizationIds: survey.audience.organizationIds,
          askComment: survey.askComment,
          followUp: survey.followUp,
          expiresAfterDays: survey.expiresAfterDays,
          texts: survey.texts,
        }
      : null,
  );
  useEffect(() => {
    if (!form && defaults.data) {
      setForm({
        name: '',
        active: true,
        scale: 'good-bad',
        delayMinutes: 60,
        channels: [],
        everyDays: 90,
        organizationIds: [],
        askComment: true,
        followUp: kind !== 'ces',
        expiresAfterDays: 14,
        texts: defaults.data,
      });
    }
  }, [defaults.data, form, kind]);
  const save = useMutation({
    mutationFn: () => {
      const f = form!;
      const body = {
        name: f.name,
        active: f.active,
        delayMinutes: Number(f.delayMinutes),
        channels: f.channels,
        askComment: f.askComment,
        followUp: f.followUp,
        expiresAfterDays: Number(f.expiresAfterDays),
        texts: f.texts,
        ...(kind === 'csat' ? { scale: f.scale } : {}),
        ...(kind === 'nps'
          ? { everyDays: Number(f.everyDays), audience: { organizationIds: f.organizationIds, customer: [] } }
          : {}),
      };
      return survey
        ? api.patch<Survey>(`/surveys/${survey.id}`, body)
        : api.post<Survey>('/surveys', { ...body, kind });
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['surveys'] });
      notifySaved(t);
      onClose();
    },
    onError: (error) => notifyUnlessFieldErrors(t, error),
  });
  const remove = useMutation({
    mutationFn: () => api.delete(`/surveys/${survey!.id}`),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['surveys'] });
      onClose();
    },
    onError: (error) => notifyError(t, error),
  });
  const errors = fieldErrors(save.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const title = survey ? t('surveys.edit') : t(`surveys.add.${kind}`);
  return (
    <Modal opened onClose={onClose} title={title} size="lg">
      {form && (
        <form onSubmit={submit}>
          <Stack>
            <TextInput
              label={t('surveys.name')}
              required
              value={form.name}
              error={errors.name}
              onChange={(e) => setForm({ ...form, name: e.currentTarget.value })}
            />
            <Switch
              label={t('surveys.active')}
              checked={form.active}
              onChange={(e) => setForm({ ...form, active: e.currentTarget.checked })}
            />
            {kind === 'csat' && (
              <Select
                label={t('surveys.scale')}
                data={[
                  { value: 'good-bad', label: t('surveys.scales.good-bad') },
                  { value: '1-5', label: t('surveys.scales.1-5') },
                ]}
                value={form.scale}
                allowDeselect={false}
                onChange={(value) => setForm({ ...form, scale: (value ?? 'good-bad') as Form['scale'] })}
              />
            )}
            {kind === 'nps' ? (
              <Group grow align="flex-start">
                <NumberInput
                  label={t('surveys.everyDaysLabel')}
                  min={1}
                  max={730}
                  value={form.everyDays}
                  error={errors.everyDays}
                  onChange={(value) => setForm({ ...form, everyDays: value })}
                />
                <MultiSelect
                  label={t('surveys.audience')}
                  description={t('surveys.audienceHelp')}
                  searchable
                  data={(organizations.data?.items ?? []).map((o) => ({ value: o.id, label: o.name }))}
                  value={form.organizationIds}
                  onChange={(value) => setForm({ ...form, organizationIds: value })}
                />
              </Group>
            ) : (
              <Group grow align="flex-start">
                <NumberInput
                  label={t('surveys.delay')}
                  min={0}
                  max={43200}
                  value={form.delayMinutes}
                  error={errors.delayMinutes}
                  onChange={(value) => setForm({ ...form, delayMinutes: value })}
                />
                <MultiSelect
                  label={t('surveys.channels')}
                  description={t('surveys.channelsHelp')}
                  data={CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) }))}
                  value={form.channels}
                  onChange={(value) => setForm({ ...form, channels: value })}
                />
              </Group>
            )}
            <Group grow>
              <NumberInput
                label={t('surveys.expires')}
                min={1}
                max={365}
                value={form.expiresAfterDays}
                onChange={(value) => setForm({ ...form, expiresAfterDays: value })}
              />
            </Group>
            <Checkbox
              label={t('surveys.askComment')}
              checked={form.askComment}
              onChange={(e) => setForm({ ...form, askComment: e.currentTarget.checked })}
            />
            <Checkbox
              label={t(`surveys.followUp.${kind}`)}
              checked={form.followUp}
              onChange={(e) => setForm({ ...form, followUp: e.currentTarget.checked })}
            />
            <Tabs defaultValue="de">
              <Tabs.List>
                <Tabs.Tab value="de">Deutsch</Tabs.Tab>
                <Tabs.Tab value="en">English</Tabs.Tab>
              </Tabs.List>
              {(['de', 'en'] as const).map((language) => (
                <Tabs.Panel key={language} value={language} pt="xs">
                  <Stack gap="xs">
                    {TEXT_FIELDS.map((field) => {
                      const Input = field === 'intro' || field === 'thanks' ? Textarea : TextInput;
                      return (
                        <Input
                          key={field}
                          label={t(`surveys.texts.${field}`)}
                          value={form.texts[language][field]}
                          error={errors[`texts.${language}.${field}`]}
                          onChange={(e) =>
                            setForm({
                              ...form,
                              texts: {
                                ...form.texts,
                                [language]: { ...form.texts[language], [field]: e.currentTarget.value },
                              },
                            })
                          }
                        />
                      );
                    })}
                  </Stack>
                </Tabs.Panel>
              ))}
            </Tabs>
            <Text size="xs" c="dimmed">
              {t('surveys.placeholders')} {'{{name}} {{number}} {{subject}}'}
            </Text>
            <FormActions
              onCancel={onClose}
              saving={save.isPending}
              onDelete={survey ? () => remove.mutate() : undefined}
              deleting={remove.isPending}
            />
          </Stack>
        </form>
      )}
    </Modal>
  );
}
