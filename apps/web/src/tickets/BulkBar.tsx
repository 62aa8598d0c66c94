import type { BulkResult, TicketStatusList } from '@keepdesk/contract';
import { Button, Card, Group, Progress, Select, Stack, Text, TextInput } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { notifyError, notifySaved } from '../components/feedback';
import { currentLanguage } from '../i18n';

const CHUNK = 100;
const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;

/** Changes the selected tickets in chunks, with a progress bar and a report of what could not change. */
export function BulkBar({ ids, myUserId, onDone }: { ids: string[]; myUserId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const statuses = useQuery({
    queryKey: ['ticket-statuses'],
    queryFn: () => api.get<TicketStatusList>('/ticket-statuses'),
  });
  const [status, setStatus] = useState<string | null>(null);
  const [priority, setPriority] = useState<string | null>(null);
  const [tag, setTag] = useState('');
  const [done, setDone] = useState<number | null>(null);
  const [report, setReport] = useState<BulkResult | null>(null);

  const apply = async (changes: Record<string, unknown>) => {
    const total: BulkResult = { updated: 0, unchanged: 0, failed: [] };
    setDone(0);
    setReport(null);
    try {
      for (let i = 0; i < ids.length; i += CHUNK) {
        const result = await api.post<BulkResult>('/tickets/bulk', { ids: ids.slice(i, i + CHUNK), changes });
        total.updated += result.updated;
        total.unchanged += result.unchanged;
        total.failed.push(...result.failed);
        setDone(Math.min(i + CHUNK, ids.length));
      }
      setReport(total);
      notifySaved(t, t('bulk.done', { updated: total.updated, failed: total.failed.length }));
      await queryClient.invalidateQueries({ queryKey: ['views'] });
      if (total.failed.length === 0) onDone();
    } catch (error) {
      notifyError(t, error);
    } finally {
      setDone(null);
    }
  };

  const german = currentLanguage() === 'de';
  return (
    <Card withBorder padding="sm" bg="var(--mantine-color-blue-light)" data-testid="bulk-bar">
      <Stack gap="xs">
        <Group gap="sm" align="flex-end">
          <Text size="sm" fw={600}>
            {t('bulk.selected', { count: ids.length })}
          </Text>
          <Button size="xs" variant="default" onClick={() => void apply({ assigneeId: myUserId })}>
            {t('bulk.assignToMe')}
          </Button>
          <Select
            size="xs"
            w={160}
            placeholder={t('fields.status')}
            aria-label={t('bulk.setStatus')}
            value={status}
            onChange={(value) => {
              setStatus(value);
              if (value) void apply({ status: value });
            }}
            data={(statuses.data?.items ?? []).map((s) => ({
              value: s.key,
              label: german ? s.nameDe : s.nameEn,
            }))}
          />
          <Select
            size="xs"
            w={140}
            placeholder={t('tickets.priority')}
            aria-label={t('bulk.setPriority')}
            value={priority}
            onChange={(value) => {
              setPriority(value);
              if (value) void apply({ priority: value });
            }}
            data={PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }))}
          />
          <TextInput
            size="xs"
            w={140}
            placeholder={t('bulk.tag')}
            aria-label={t('bulk.addTag')}
            value={tag}
            onChange={(event) => setTag(event.currentTarget.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && tag.trim()) void apply({ addTags: [tag.trim()] });
            }}
          />
          <Button size="xs" variant="subtle" onClick={onDone}>
            {t('common.cancel')}
          </Button>
        </Group>
        {done !== null && (
          <Progress value={(done / ids.length) * 100} animated aria-label={t('bulk.progress')} />
        )}
        {report && report.failed.length > 0 && (
          <Text size="sm" c="red">
            {t('bulk.failed', { count: report.failed.length })}:{' '}
            {report.failed.map((f) => f.message).join('; ')}
          </Text>
        )}
      </Stack>
    </Card>
  );
}
