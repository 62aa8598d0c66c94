import type { Delivery } from '@keepdesk/contract';
import { Anchor, Badge, Button, Group, Tooltip, Typography } from '@mantine/core';
import { IconMail, IconMailCheck, IconMailExclamation } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { notifyError } from '../components/feedback';
import { foldQuoted } from './quoted';

/** A message body with the quoted history and signature folded away, one click from the full original. */
export function MessageBody({ html }: { html: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const { visible, folded } = foldQuoted(html);
  return (
    <Typography>
      {/* biome-ignore lint/security/noDangerouslySetInnerHtml: bodies are sanitised on the server (platform/html.ts) before they are stored, and the CSP forbids inline scripts. */}
      <div dangerouslySetInnerHTML={{ __html: open || !folded ? html : visible }} />
      {folded && (
        <Anchor
          component="button"
          size="xs"
          c="dimmed"
          onClick={() => setOpen(!open)}
          data-testid="fold-toggle"
        >
          {open ? t('delivery.hideQuoted') : t('delivery.showQuoted')}
        </Anchor>
      )}
    </Typography>
  );
}

const COLOR: Record<Delivery['status'], string> = {
  queued: 'gray',
  sent: 'teal',
  retrying: 'orange',
  failed: 'red',
};

/** Where the e-mail of a reply stands: sending, sent, retrying (when next) or failed, with a retry. */
export function DeliveryStatus({ ticketId, delivery }: { ticketId: string; delivery: Delivery }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const retry = useMutation({
    mutationFn: () => api.post<Delivery>(`/deliveries/${delivery.id}/retry`, {}),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['tickets', ticketId, 'deliveries'] }),
    onError: (error) => notifyError(t, error),
  });
  const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString(i18n.language) : '');
  const detail =
    delivery.status === 'sent'
      ? t('delivery.sentAt', { to: delivery.to.join(', '), at: when(delivery.sentAt) })
      : delivery.status === 'retrying'
        ? t('delivery.retryingDetail', { error: delivery.lastError ?? '', at: when(delivery.nextAttemptAt) })
        : delivery.status === 'failed'
          ? t('delivery.failedDetail', { error: delivery.lastError ?? '', attempts: delivery.attempts })
          : t('delivery.queuedDetail', { to: delivery.to.join(', ') });
  const Icon =
    delivery.status === 'sent'
      ? IconMailCheck
      : delivery.status === 'queued'
        ? IconMail
        : IconMailExclamation;
  return (
    <Group gap={4} data-testid="delivery" data-status={delivery.status}>
      <Tooltip label={detail} multiline w={320}>
        <Badge size="xs" variant="light" color={COLOR[delivery.status]} leftSection={<Icon size={12} />}>
          {t(`delivery.status.${delivery.status}`)}
        </Badge>
      </Tooltip>
      {(delivery.status === 'failed' || delivery.status === 'retrying') && (
        <Button size="compact-xs" variant="subtle" loading={retry.isPending} onClick={() => retry.mutate()}>
          {t('delivery.retry')}
        </Button>
      )}
    </Group>
  );
}
