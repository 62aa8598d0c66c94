import { Button } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { can, useMe } from '../session';
import { useScoringRun } from './runs';

/** "Train the model now", for those who may run the model. */
export function TrainButton() {
  const { t } = useTranslation();
  const me = useMe();
  const run = useScoringRun();
  if (!can(me, 'retention:manage')) return null;
  return (
    <Button loading={run.isPending} onClick={() => run.mutate(true)}>
      {t('retention.runs.train')}
    </Button>
  );
}

/** "Score now": scores every account with the model there is. */
export function ScoreButton() {
  const { t } = useTranslation();
  const run = useScoringRun();
  return (
    <Button loading={run.isPending} onClick={() => run.mutate(false)}>
      {t('retention.runs.score')}
    </Button>
  );
}
