import type { AccountRetention, RiskReason } from '@keepdesk/contract';
import { Box, Button, Card, Group, SimpleGrid, Stack, Text, Tooltip } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { featureLabel, featureValue, reasonEffect } from './reasons';

/** Reasons shown before "show all": the strongest ones tell the story. */
const FIRST_REASONS = 6;

const bySize = (a: RiskReason, b: RiskReason) => Math.abs(b.contribution) - Math.abs(a.contribution);

/**
 * What raises and what lowers this account's churn risk, as bars whose length is the reason's share of the
 * change in log-odds: red raises, green lowers.
 */
export function WhyAtRisk({ retention }: { retention: AccountRetention }) {
  const { t, i18n } = useTranslation();
  const [all, setAll] = useState(false);
  const raising = [...retention.raising].sort(bySize);
  const lowering = [...retention.lowering].sort(bySize);
  const largest = Math.max(1e-9, ...[...raising, ...lowering].map((reason) => Math.abs(reason.contribution)));
  const more = raising.length > FIRST_REASONS || lowering.length > FIRST_REASONS;
  const shown = (reasons: RiskReason[]) => (all ? reasons : reasons.slice(0, FIRST_REASONS));
  const model = retention.model;
  return (
    <Card withBorder padding="md" data-testid="why-at-risk">
      <Text fw={600} mb="sm">
        {t('retention.account.why')}
      </Text>
      {raising.length === 0 && lowering.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('retention.account.noReasons')}
        </Text>
      ) : (
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="xl">
          <ReasonList
            title={t('retention.account.raising')}
            reasons={shown(raising)}
            largest={largest}
            color="red"
            testId="reason-raising"
            language={i18n.language}
          />
          <ReasonList
            title={t('retention.account.lowering')}
            reasons={shown(lowering)}
            largest={largest}
            color="teal"
            testId="reason-lowering"
            language={i18n.language}
          />
        </SimpleGrid>
      )}
      <Group justify="space-between" mt="sm">
        <Text size="xs" c="dimmed">
          {model
            ? t('retention.account.modelNote', {
                model: model.modelName ?? '–',
                auc:
                  model.auc === null
                    ? '–'
                    : new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 3 }).format(model.auc),
                date: new Date(model.trainedAt).toLocaleDateString(i18n.language),
              })
            : t('retention.account.noModel')}
        </Text>
        {more && (
          <Button size="compact-xs" variant="subtle" onClick={() => setAll(!all)}>
            {all ? t('retention.account.fewerReasons') : t('retention.account.allReasons')}
          </Button>
        )}
      </Group>
    </Card>
  );
}

function ReasonList({
  title,
  reasons,
  largest,
  color,
  testId,
  language,
}: {
  title: string;
  reasons: RiskReason[];
  largest: number;
  color: 'red' | 'teal';
  testId: string;
  language: string;
}) {
  const { t } = useTranslation();
  const number = new Intl.NumberFormat(language, { maximumFractionDigits: 2, signDisplay: 'exceptZero' });
  return (
    <Stack gap="xs">
      <Text size="xs" fw={600} c="dimmed" tt="uppercase">
        {title}
      </Text>
      {reasons.length === 0 && (
        <Text size="sm" c="dimmed">
          –
        </Text>
      )}
      {reasons.map((reason) => {
        const label = featureLabel(t, reason.column);
        const value = featureValue(t, reason.column, reason.value, language);
        return (
          <Box key={reason.column} data-testid={testId}>
            <Group justify="space-between" gap="xs" wrap="nowrap">
              <Text size="sm" truncate>
                {label}: <b>{value}</b>
              </Text>
              <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                {reasonEffect(t, reason.contribution)}
              </Text>
            </Group>
            <Tooltip
              label={t('retention.account.contribution', { value: number.format(reason.contribution) })}
            >
              <Box
                h={8}
                mt={2}
                bg={`var(--mantine-color-${color}-6)`}
                style={{
                  width: `${Math.max(2, (100 * Math.abs(reason.contribution)) / largest)}%`,
                  borderRadius: 4,
                }}
                role="img"
                aria-label={`${label}: ${value}`}
              />
            </Tooltip>
          </Box>
        );
      })}
    </Stack>
  );
}
