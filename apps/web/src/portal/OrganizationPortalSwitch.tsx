import type { Organization } from '@keepdesk/contract';
import { Switch } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { notifyError } from '../components/feedback';

/** Whether the organisation's contacts see each other's tickets in the customer portal. */
export function OrganizationPortalSwitch({
  organizationId,
  canEdit,
}: {
  organizationId: string;
  canEdit: boolean;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const organization = useQuery({
    queryKey: ['organizations', organizationId],
    queryFn: () => api.get<Organization>(`/organizations/${organizationId}`),
  });
  const save = useMutation({
    mutationFn: (portalSharesTickets: boolean) =>
      api.patch<Organization>(`/organizations/${organizationId}`, { portalSharesTickets }),
    onSuccess: (updated) => queryClient.setQueryData(['organizations', organizationId], updated),
    onError: (error) => notifyError(t, error),
  });
  if (!organization.data) return null;
  return (
    <Switch
      size="xs"
      label={t('portal.sharesTickets')}
      checked={organization.data.portalSharesTickets}
      disabled={!canEdit || save.isPending}
      onChange={(event) => save.mutate(event.currentTarget.checked)}
      data-testid="organization-portal-sharing"
    />
  );
}
