import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { IconShieldCheck } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { notifyError } from '../components/feedback';
import { pendingPoliciesQuery } from './parts';

/** Published policies the agent has not yet confirmed at their current version, each with "I have read it". */
export function PolicyBanner() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const pending = useQuery(pendingPoliciesQuery);
  const acknowledge = useMutation({
    mutationFn: (policy: { id: string; version: number }) =>
      api.post(`/kb/policies/${policy.id}/acknowledge`, { version: policy.version }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['kb'] }),
    onError: (error) => notifyError(t, error),
  });
  const items = pending.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <Alert
      color="grape"
      icon={<IconShieldCheck size={18} />}
      title={t('knowledge.policies.pendingTitle', { count: items.length })}
      mb="md"
      data-testid="kb-policy-banner"
    >
      <Stack gap={6}>
        {items.map((policy) => (
          <Group key={policy.id} justify="space-between" wrap="nowrap" data-testid="kb-pending-policy">
            <Text size="sm">
              <Link
                to="/knowledge/articles/$articleId"
                params={{ articleId: policy.id }}
                style={{ color: 'var(--mantine-color-anchor)', fontWeight: 400 }}
              >
                {policy.title}
              </Link>{' '}
              · {t('knowledge.versionN', { version: policy.acknowledgeVersion })}
            </Text>
            <Button
              size="compact-sm"
              color="grape"
              loading={acknowledge.isPending && acknowledge.variables?.id === policy.id}
              onClick={() => acknowledge.mutate({ id: policy.id, version: policy.acknowledgeVersion })}
            >
              {t('knowledge.policies.acknowledge', { version: policy.acknowledgeVersion })}
            </Button>
          </Group>
        ))}
      </Stack>
    </Alert>
  );
}
