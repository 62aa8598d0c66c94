import type { HealthSignal, RetentionSettings } from '@keepdesk/contract';
import {
  ActionIcon,
  Alert,
  Button,
  Card,
  Group,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { type FormEvent, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { fieldErrors, notifySaved, notifyUnlessFieldErrors } from '../components/feedback';
import { PageHeader } from '../components/PageHeader';
import {
  newComponent,
  type SettingsDraft,
  settingsOf,
  signalChoices,
  signalStep,
  withNewBand,
} from './retention-settings';

const MAX_BANDS = 6;

/** Health score components and bands, and the churn model's day settings (docs/retention.md). */
export function RetentionSettingsPage() {
  const { t } = useTranslation();
  const settings = useQuery({
    queryKey: ['retention', 'settings'],
    queryFn: () => api.get<RetentionSettings>('/retention/settings'),
  });
  return (
    <>
      <PageHeader title={t('retentionSettings.title')} text={t('retentionSettings.text')} />
      {settings.data ? (
        <SettingsForm initial={settings.data} />
      ) : (
        <Text c="dimmed">{t('common.loading')}</Text>
      )}
    </>
  );
}

function SettingsForm({ initial }: { initial: RetentionSettings }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<SettingsDraft>(initial);
  const save = useMutation({
    mutationFn: () => api.put<RetentionSettings>('/retention/settings', settingsOf(draft)),
    onSuccess: (saved) => {
      queryClient.setQueryData(['retention', 'settings'], saved);
      void queryClient.invalidateQueries({ queryKey: ['retention'] });
      setDraft(saved);
      notifySaved(t);
    },
    onError: (error) => notifyUnlessFieldErrors(t, error),
  });
  const reset = useMutation({
    mutationFn: () => api.get<RetentionSettings>('/retention/settings/defaults'),
    onSuccess: (defaults) => {
      save.reset();
      setDraft(defaults);
      notifications.show({ color: 'blue', message: t('retentionSettings.resetDone') });
    },
    onError: (error) => notifyUnlessFieldErrors(t, error),
  });
  const errors = fieldErrors(save.error);
  const health = draft.health;
  const setHealth = (next: Partial<SettingsDraft['health']>) =>
    setDraft({ ...draft, health: { ...health, ...next } });
  const setComponent = (index: number, next: Partial<SettingsDraft['health']['components'][number]>) =>
    setHealth({ components: health.components.map((c, i) => (i === index ? { ...c, ...next } : c)) });
  const setBand = (index: number, next: Partial<SettingsDraft['health']['bands'][number]>) =>
    setHealth({ bands: health.bands.map((b, i) => (i === index ? { ...b, ...next } : b)) });
  const added = newComponent(health.components);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };

  return (
    <form onSubmit={submit}>
      <Stack>
        {Object.keys(errors).length > 0 && (
          <Alert color="red" data-testid="settings-errors">
            {t('retentionSettings.fixErrors')}
            {['health.components', 'health.bands'].map(
              (field) => errors[field] && <Text key={field} size="sm">{`${field}: ${errors[field]}`}</Text>,
            )}
          </Alert>
        )}
        <Section title={t('retentionSettings.componentsTitle')} text={t('retentionSettings.componentsText')}>
          <Table.ScrollContainer minWidth={760}>
            <Table verticalSpacing="xs" aria-label={t('retentionSettings.componentsTitle')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('retentionSettings.signal')}</Table.Th>
                  <Table.Th w={110}>{t('retentionSettings.weight')}</Table.Th>
                  <Table.Th w={140}>{t('retentionSettings.bad')}</Table.Th>
                  <Table.Th w={140}>{t('retentionSettings.good')}</Table.Th>
                  <Table.Th w={40} />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {health.components.map((component, index) => {
                  const at = `health.components.${index}`;
                  const label = t(`retention.signals.${component.signal}`);
                  const step = signalStep(component.signal);
                  return (
                    <Table.Tr key={component.signal} data-testid="health-component">
                      <Table.Td>
                        <Select
                          aria-label={t('retentionSettings.signal')}
                          allowDeselect={false}
                          data={signalChoices(health.components, index).map((signal) => ({
                            value: signal,
                            label: t(`retention.signals.${signal}`),
                          }))}
                          value={component.signal}
                          error={errors[`${at}.signal`]}
                          onChange={(value) =>
                            value && setComponent(index, { signal: value as HealthSignal })
                          }
                        />
                        <Text size="xs" c="dimmed" mt={4}>
                          {t(`retentionSettings.signalHelp.${component.signal}`)}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <NumberInput
                          aria-label={`${t('retentionSettings.weight')}: ${label}`}
                          min={0}
                          value={component.weight}
                          error={errors[`${at}.weight`]}
                          onChange={(value) => setComponent(index, { weight: value })}
                        />
                      </Table.Td>
                      <Table.Td>
                        <NumberInput
                          aria-label={`${t('retentionSettings.bad')}: ${label}`}
                          step={step}
                          decimalScale={3}
                          value={component.bad}
                          error={errors[`${at}.bad`]}
                          onChange={(value) => setComponent(index, { bad: value })}
                        />
                      </Table.Td>
                      <Table.Td>
                        <NumberInput
                          aria-label={`${t('retentionSettings.good')}: ${label}`}
                          step={step}
                          decimalScale={3}
                          value={component.good}
                          error={errors[`${at}.good`]}
                          onChange={(value) => setComponent(index, { good: value })}
                        />
                      </Table.Td>
                      <Table.Td>
                        <RemoveButton
                          t={t}
                          label={label}
                          disabled={health.components.length <= 1}
                          onClick={() =>
                            setHealth({ components: health.components.filter((_, i) => i !== index) })
                          }
                        />
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Group>
            <Button
              variant="light"
              leftSection={<IconPlus size={16} />}
              disabled={!added}
              onClick={() => added && setHealth({ components: [...health.components, added] })}
            >
              {t('retentionSettings.addComponent')}
            </Button>
            {!added && (
              <Text size="sm" c="dimmed">
                {t('retentionSettings.allSignalsUsed')}
              </Text>
            )}
          </Group>
        </Section>

        <Section title={t('retentionSettings.bandsTitle')} text={t('retentionSettings.bandsText')}>
          <Stack gap="xs" maw={560}>
            {health.bands.map((band, index) => {
              const at = `health.bands.${index}`;
              return (
                // biome-ignore lint/suspicious/noArrayIndexKey: bands are edited in place, their keys change as typed
                <Group key={index} align="flex-start" wrap="nowrap" data-testid="health-band">
                  <TextInput
                    flex={1}
                    label={index === 0 ? t('retentionSettings.bandKey') : undefined}
                    description={index === 0 ? t('retentionSettings.bandKeyHelp') : undefined}
                    aria-label={`${t('retentionSettings.bandKey')} ${index + 1}`}
                    value={band.key}
                    error={errors[`${at}.key`]}
                    onChange={(event) => setBand(index, { key: event.currentTarget.value.toLowerCase() })}
                  />
                  <NumberInput
                    w={170}
                    label={index === 0 ? t('retentionSettings.bandMin') : undefined}
                    description={index === 0 ? '0–100' : undefined}
                    aria-label={`${t('retentionSettings.bandMin')} ${index + 1}`}
                    min={0}
                    max={100}
                    value={band.min}
                    error={errors[`${at}.min`]}
                    onChange={(value) => setBand(index, { min: value })}
                  />
                  <RemoveButton
                    t={t}
                    label={band.key}
                    mt={index === 0 ? 50 : 4}
                    disabled={health.bands.length <= 2}
                    onClick={() => setHealth({ bands: health.bands.filter((_, i) => i !== index) })}
                  />
                </Group>
              );
            })}
          </Stack>
          <Group>
            <Button
              variant="light"
              leftSection={<IconPlus size={16} />}
              disabled={health.bands.length >= MAX_BANDS}
              onClick={() => setHealth({ bands: withNewBand(health.bands) })}
            >
              {t('retentionSettings.addBand')}
            </Button>
          </Group>
        </Section>

        <Section title={t('retentionSettings.modelTitle')}>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            {(['inactiveDays', 'horizonDays', 'retrainDays'] as const).map((key) => (
              <NumberInput
                key={key}
                label={t(`retentionSettings.${key}`)}
                description={t(`retentionSettings.${key}Help`)}
                min={1}
                allowDecimal={false}
                value={draft[key]}
                error={errors[key]}
                onChange={(value) => setDraft({ ...draft, [key]: value })}
              />
            ))}
          </SimpleGrid>
        </Section>

        <Group justify="space-between">
          <Button variant="default" loading={reset.isPending} onClick={() => reset.mutate()}>
            {t('retentionSettings.reset')}
          </Button>
          <Button type="submit" loading={save.isPending}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function Section({ title, text, children }: { title: string; text?: string; children: ReactNode }) {
  return (
    <Card withBorder>
      <Stack gap="sm">
        <div>
          <Title order={2} size="h4">
            {title}
          </Title>
          {text && (
            <Text size="sm" c="dimmed">
              {text}
            </Text>
          )}
        </div>
        {children}
      </Stack>
    </Card>
  );
}

function RemoveButton({
  t,
  label,
  disabled,
  onClick,
  mt,
}: {
  t: TFunction;
  label: string;
  disabled: boolean;
  onClick: () => void;
  mt?: number;
}) {
  return (
    <ActionIcon
      variant="subtle"
      color="red"
      mt={mt}
      disabled={disabled}
      aria-label={`${t('retentionSettings.remove')}: ${label}`}
      onClick={onClick}
    >
      <IconTrash size={16} />
    </ActionIcon>
  );
}
