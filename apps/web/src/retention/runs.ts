import type { ScoringRun } from '@keepdesk/contract';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../api';
import { notifyError } from '../components/feedback';

/**
 * Trains the churn model (when asked, or when it is due) and scores every account; may take seconds. Says what
 * came of it: the new model's AUC and how many accounts were scored, or why the training failed; when another run
 * is going already (409), says since when, kindly, rather than as an error.
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
    onError: (error) => {
      if (!(error instanceof ApiError && error.problem.code === 'RETENTION_RUN_IN_PROGRESS')) {
        notifyError(t, error);
        return;
      }
      // The detail ends with the ISO time the running one began (when the server could tell).
      const since = /since (\S+)$/.exec(error.problem.detail ?? '')?.[1];
      const time = since
        ? new Intl.DateTimeFormat(i18n.language, { dateStyle: 'short', timeStyle: 'short' }).format(
            new Date(since),
          )
        : null;
      notifications.show({
        color: 'yellow',
        title: t('retention.runs.busyTitle'),
        message: time ? t('retention.runs.busySince', { time }) : t('retention.runs.busy'),
        autoClose: 8000,
      });
    },
  });
}
