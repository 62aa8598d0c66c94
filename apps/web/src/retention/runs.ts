import type { ScoringRun } from '@keepdesk/contract';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { notifyError } from '../components/feedback';

/**
 * Trains the churn model (when asked, or when it is due) and scores every account; may take seconds. Says what
 * came of it: the new model's AUC and how many accounts were scored, or why the training failed.
 */
export function useScoringRun() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (train: boolean) => api.post<ScoringRun>('/retention/runs', { train }),
    onSuccess: async (run) => {
      await queryClient.invalidateQueries({ queryKey: ['retention'] });
      const training = run.training;
      if (training?.status === 'failed') {
        notifications.show({
          color: 'red',
          title: t('retention.runs.failed'),
          message: training.error ?? t('errors.title'),
          autoClose: false,
        });
        return;
      }
      const scored = t('retention.runs.scored', { count: run.scored });
      const auc =
        training?.auc == null
          ? ''
          : `${t('retention.runs.trained', {
              auc: new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 3 }).format(training.auc),
            })} `;
      notifications.show({ color: 'teal', message: `${auc}${scored}`, autoClose: 5000 });
    },
    onError: (error) => notifyError(t, error),
  });
}
