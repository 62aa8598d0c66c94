import { Alert, Button } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api';

/** Why the figures did not load (the API's own words), with a way to try again. */
export function ReportsError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <Alert
      color="red"
      icon={<IconAlertTriangle size={18} />}
      title={t('reports.error.title')}
      mb="md"
      role="alert"
    >
      {error instanceof ApiError ? error.message : t('errors.network')}
      <Button variant="light" color="red" size="xs" ml="sm" onClick={onRetry}>
        {t('reports.error.retry')}
      </Button>
    </Alert>
  );
}
