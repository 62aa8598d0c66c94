import { Button, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** The foot of a form in a dialog: Delete on the left when there is something to delete, Cancel and Save. */
export function FormActions({
  onCancel,
  saving,
  onDelete,
  deleting,
  submitLabel,
}: {
  onCancel: () => void;
  saving: boolean;
  onDelete?: () => void;
  deleting?: boolean;
  submitLabel?: string;
}) {
  const { t } = useTranslation();
  return (
    <Group justify={onDelete ? 'space-between' : 'flex-end'}>
      {onDelete && (
        <Button variant="subtle" color="red" loading={deleting} onClick={onDelete}>
          {t('common.delete')}
        </Button>
      )}
      <Group>
        <Button variant="default" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
        <Button type="submit" loading={saving}>
          {submitLabel ?? t('common.save')}
        </Button>
      </Group>
    </Group>
  );
}
