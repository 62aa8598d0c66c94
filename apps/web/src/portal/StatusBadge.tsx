import type { PortalStatus } from '@keepdesk/contract';
import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';

const COLOR: Record<PortalStatus, string> = {
  open: 'blue',
  pending: 'orange',
  solved: 'teal',
  closed: 'gray',
};

export function PortalStatusBadge({ status }: { status: PortalStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={COLOR[status]} variant="light" data-testid="portal-status" data-status={status}>
      {t(`portal.status.${status}`)}
    </Badge>
  );
}
