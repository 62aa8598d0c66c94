import type { ChurnModelInfo, ChurnModelList } from '@keepdesk/contract';
import { LineChart } from '@mantine/charts';
import { Badge, Box, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { IconChartLine } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { EmptyState } from '../components/EmptyState';
import { PageHeader } from '../components/PageHeader';
import { can, useMe } from '../session';
import { relativeTime } from '../tickets/format';
import { RetentionTabs } from './RetentionTabs';
import { TrainButton } from './RunButtons';
import { driverDirection, featureLabel } from './reasons';

const STATUS_COLOR: Record<ChurnModelInfo['status'], string> = {
  active: 'teal',
  retired: 'gray',
  failed: 'red',
};

/** The churn model behind the list: how well it ranks, what drives it, how honest its probabilities are. */
export function ModelPage() {
  const { t } = useTranslation();
  const me = useMe();
  const models = useQuery({
    queryKey: ['retention', 'models'],
    queryFn: () => api.get<ChurnModelList>('/retention/models'),
  });
  const items = models.data?.items ?? [];
  const active = items.find((model) => model.status === 'active');
  return (
    <>
      <PageHeader title={t('retention.title')} text={t('retention.model.text')} action={<TrainButton />} />
      <RetentionTabs active="model" />
      {models.isSuccess && !active && (
        <Card withBorder padding={0} mb="md">
          <EmptyState
            icon={<IconChartLine size={24} />}
            title={t('retention.empty.noModelTitle')}
            text={
              can(me, 'retention:manage') ? t('retention.model.noModelText') : t('retention.empty.askManager')
            }
          />
        </Card>
      )}
      {active && <ActiveModel model={active} />}
      {items.length > 0 && <Trainings items={items} />}
    </>
  );
}

function ActiveModel({ model }: { model: ChurnModelInfo }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const decimal = new Intl.NumberFormat(language, { maximumFractionDigits: 3 });
  const count = new Intl.NumberFormat(language);
  const largest = Math.max(1e-9, ...model.drivers.map((driver) => driver.importance));
  return (
    <Stack gap="md" mb="md" data-testid="active-model">
      <SimpleGrid cols={{ base: 2, md: 4 }}>
        <Figure label={t('retention.model.model')} value={model.modelName ?? '–'} />
        <Figure
          label={t('retention.model.auc')}
          value={model.auc === null ? '–' : decimal.format(model.auc)}
          hint={t('retention.model.aucHint')}
        />
        <Figure
          label={t('retention.model.rows')}
          value={count.format(model.rows)}
          hint={t('retention.model.positives', { count: model.positives })}
        />
        <Figure
          label={t('retention.model.trainedAt')}
          value={relativeTime(model.trainedAt, language)}
          hint={t('retention.model.horizon', {
            count: model.horizonDays,
            cutoff: new Date(`${model.cutoff.slice(0, 10)}T00:00:00Z`).toLocaleDateString(language, {
              timeZone: 'UTC',
            }),
          })}
        />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Card withBorder padding={0}>
          <Text fw={600} p="md" pb="xs">
            {t('retention.model.drivers')}
          </Text>
          <Table verticalSpacing={6} aria-label={t('retention.model.drivers')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('retention.model.feature')}</Table.Th>
                <Table.Th w="30%">{t('retention.model.importance')}</Table.Th>
                <Table.Th>{t('retention.model.direction')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {model.drivers.map((driver) => (
                <Table.Tr key={driver.feature} data-testid="driver">
                  <Table.Td>{featureLabel(t, driver.feature)}</Table.Td>
                  <Table.Td>
                    <Box
                      h={8}
                      bg="var(--mantine-color-blue-6)"
                      style={{ width: `${(100 * driver.importance) / largest}%`, borderRadius: 4 }}
                      title={decimal.format(driver.importance)}
                    />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{driverDirection(t, driver)}</Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
        <Stack gap="md">
          <Reliability model={model} />
          <Card withBorder padding={0}>
            <Text fw={600} p="md" pb="xs">
              {t('retention.model.candidates')}
            </Text>
            <Table verticalSpacing={6} aria-label={t('retention.model.candidates')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('retention.model.model')}</Table.Th>
                  <Table.Th ta="right">{t('retention.model.auc')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {model.candidates.map((candidate) => (
                  <Table.Tr key={candidate.name}>
                    <Table.Td>
                      <Group gap={6}>
                        {candidate.name}
                        {candidate.name === model.modelName && (
                          <Badge size="xs" color="teal" variant="light">
                            {t('retention.model.chosen')}
                          </Badge>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td ta="right">{decimal.format(candidate.auc)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Card>
        </Stack>
      </SimpleGrid>
    </Stack>
  );
}

/**
 * The reliability curve: per bin of predicted probability, the share that really churned. A calibrated model
 * follows the diagonal.
 */
function Reliability({ model }: { model: ChurnModelInfo }) {
  const { t } = useTranslation();
  const percent = (share: number) => Math.round(share * 1000) / 10;
  const bins = model.reliability
    .filter((bin) => bin.count > 0 && bin.meanPredicted !== null && bin.observedRate !== null)
    .map((bin) => ({
      predicted: percent(bin.meanPredicted!),
      observed: percent(bin.observedRate!),
      ideal: percent(bin.meanPredicted!),
    }));
  const data = [{ predicted: 0, ideal: 0 }, ...bins, { predicted: 100, ideal: 100 }];
  return (
    <Card withBorder padding="md">
      <Text fw={600}>{t('retention.model.reliability')}</Text>
      <Text size="xs" c="dimmed" mb="xs">
        {t('retention.model.reliabilityHint')}
      </Text>
      {bins.length === 0 ? (
        <Text size="sm" c="dimmed">
          –
        </Text>
      ) : (
        <LineChart
          h={220}
          data={data}
          dataKey="predicted"
          connectNulls
          withLegend
          curveType="linear"
          xAxisProps={{ type: 'number', domain: [0, 100] }}
          yAxisProps={{ domain: [0, 100] }}
          xAxisLabel={t('retention.model.predicted')}
          series={[
            { name: 'observed', label: t('retention.model.observed'), color: 'blue.6' },
            { name: 'ideal', label: t('retention.model.ideal'), color: 'gray.5', strokeDasharray: '4 4' },
          ]}
        />
      )}
    </Card>
  );
}

/** Every training, newest first; a failed one says why (the model before it stayed active). */
function Trainings({ items }: { items: ChurnModelInfo[] }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const decimal = new Intl.NumberFormat(language, { maximumFractionDigits: 3 });
  return (
    <Card withBorder padding={0}>
      <Title order={2} size="h5" p="md" pb="xs">
        {t('retention.model.trainings')}
      </Title>
      <Table verticalSpacing={6} aria-label={t('retention.model.trainings')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('retention.model.trainedAt')}</Table.Th>
            <Table.Th>{t('fields.status')}</Table.Th>
            <Table.Th>{t('retention.model.model')}</Table.Th>
            <Table.Th ta="right">{t('retention.model.auc')}</Table.Th>
            <Table.Th ta="right">{t('retention.model.rows')}</Table.Th>
            <Table.Th>{t('retention.model.error')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((model) => (
            <Table.Tr key={model.id} data-testid="training">
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                {new Date(model.trainedAt).toLocaleString(language)}
              </Table.Td>
              <Table.Td>
                <Badge
                  size="sm"
                  variant="light"
                  color={STATUS_COLOR[model.status]}
                  style={{ minWidth: 'max-content' }}
                >
                  {t(`retention.model.status.${model.status}`)}
                </Badge>
              </Table.Td>
              <Table.Td>{model.modelName ?? '–'}</Table.Td>
              <Table.Td ta="right">{model.auc === null ? '–' : decimal.format(model.auc)}</Table.Td>
              <Table.Td ta="right">{new Intl.NumberFormat(language).format(model.rows)}</Table.Td>
              <Table.Td>
                <Text size="sm" c={model.error ? 'red' : 'dimmed'}>
                  {model.error ?? '–'}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}

function Figure({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <Card withBorder padding="sm">
      <Text size="xs" fw={600} tt="uppercase" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="xl">
        {value}
      </Text>
      {hint && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </Card>
  );
}
