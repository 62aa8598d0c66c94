import type { MacroList, MacroPreview } from '@keepdesk/contract';
import { Badge, Button, Group, Modal, Paper, Select, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { notifyError } from '../components/feedback';

/** Picks a macro, shows what it will write and change, and applies it: fields now, text into the composer. */
export function MacroPicker({
  ticketId,
  onClose,
  onApplied,
}: {
  ticketId: string;
  onClose: () => void;
  onApplied: (text: string, visibility: 'public' | 'internal') => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [macroId, setMacroId] = useState<string | null>(null);
  const macros = useQuery({ queryKey: ['macros'], queryFn: () => api.get<MacroList>('/macros') });
  const preview = useQuery({
    queryKey: ['tickets', ticketId, 'macro-preview', macroId],
    queryFn: () => api.get<MacroPreview>(`/tickets/${ticketId}/macros/${macroId}/preview`),
    enabled: macroId !== null,
  });
  const apply = useMutation({
    mutationFn: () => api.post<MacroPreview>(`/tickets/${ticketId}/macros/${macroId}/apply`, {}),
    onSuccess: async (result) => {
      await queryClient.invalidateQueries({ queryKey: ['tickets', ticketId] });
      onApplied(result.body, result.visibility);
      onClose();
    },
    onError: (error) => notifyError(t, error),
  });
  return (
    <Modal opened onClose={onClose} title={t('macros.title')} size="lg">
      <Stack>
        <Select
          label={t('macros.choose')}
          placeholder={t('macros.search')}
          searchable
          data-autofocus
          nothingFoundMessage={t('macros.none')}
          data={(macros.data?.items ?? []).map((m) => ({
            value: m.id,
            label: m.shared ? m.name : `${m.name} (${t('macros.personal')})`,
          }))}
          value={macroId}
          onChange={setMacroId}
        />
        {preview.data && (
          <Paper withBorder p="sm" data-testid="macro-preview">
            <Group gap={6} mb={6}>
              <Badge size="sm" variant="light">
                {preview.data.visibility === 'internal' ? t('tickets.internalNote') : t('macros.reply')}
              </Badge>
              <Badge size="sm" variant="outline">
                {preview.data.language.toUpperCase()}
              </Badge>
            </Group>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {preview.data.body || t('macros.noText')}
            </Text>
            {preview.data.changes.length > 0 && (
              <Text size="xs" c="dimmed" mt="xs">
                {t('macros.changes', {
                  fields: preview.data.changes
                    .map((c) => t(`tickets.field.${c.field}`, { defaultValue: c.field }))
                    .join(', '),
                })}
              </Text>
            )}
          </Paper>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button disabled={!macroId} loading={apply.isPending} onClick={() => apply.mutate()}>
            {t('macros.apply')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
