import type { RetentionGlance } from '@keepdesk/contract';
import { Anchor, Box, Card, Group, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { api, query } from '../api';
import { RiskBadge } from './Badges';
import { formatMoney } from './format';
import { describeReason } from './reasons';

/**
 * Beside a ticket: the customer accounts behind its requester (or the requester's organisation) with their value,
 * churn risk and its strongest reason, so the agent knows who is writing. Nothing at all when there is none.
 * Render it only for users with `customers:read`.
 */
export function RetentionGlanceCard({ contactId }: { contactId: string }) {
  const { t, i18n } = useTranslation();
  const glance = useQuery({
    queryKey: ['retention', 'glance', contactId],
    queryFn: () => api.get<RetentionGlance>(`/retention/glance${query({ contactId })}`),
    // The sidebar is extra: a failure here must not be retried into the agent's way.
    retry: false,
  });
  const items = glance.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <Card withBorder padding="md" data-testid="retention-glance">
      <Text size="xs" fw={600} c="dimmed" tt="uppercase" mb={6}>
        {t('retention.glance.title')}
      </Text>
      <Stack gap="sm">
        {items.map((item) => (
          <Box key={item.account.id} data-testid="glance-account">
            <Group justify="space-between" wrap="nowrap" gap="xs">
              <Anchor
                component={Link}
                to={`/retention/accounts/${item.account.id}`}
                size="sm"
                fw={600}
                truncate
              >
                {item.account.name || item.account.externalId}
              </Anchor>
              <Text size="sm" fw={500} style={{ whiteSpace: 'nowrap' }}>
                {formatMoney(item.value, i18n.language)}
              </Text>
            </Group>
            <Group gap={6} mt={2}>
              <RiskBadge band={item.riskBand} probability={item.probability} size="xs" />
            </Group>
            {item.topReason && (
              <Text size="xs" c="dimmed" mt={2} data-testid="glance-reason">
                {describeReason(t, item.topReason, i18n.language)}
              </Text>
            )}
          </Box>
        ))}
      </Stack>
    </Card>
  );
}
