import type { Ticket } from '@keepdesk/contract';
import { Badge, Tooltip } from '@mantine/core';
import { IconClock } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { relativeTime } from './format';

const COLOR = { on_track: 'teal', at_risk: 'orange', breached: 'red', paused: 'gray', met: 'green' } as const;

/** The current time, renewed every 30 s: countdowns move without a reload. */
function useNow(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/** The ticket's SLA: its state, read against the clock in the browser, and when the next target is due. */
export function SlaBadge({ sla, compact = false }: { sla: Ticket['sla']; compact?: boolean }) {
  const { t, i18n } = useTranslation();
  const now = useNow();
  if (!sla) return null;
  const running = sla.state === 'on_track' || sla.state === 'at_risk';
  const due = sla.dueAt ? new Date(sla.dueAt) : null;
  const atRisk = sla.atRiskAt ? new Date(sla.atRiskAt) : null;
  const state =
    running && due && now >= due ? 'breached' : running && atRisk && now >= atRisk ? 'at_risk' : sla.state;
  const when = sla.dueAt ? relativeTime(sla.dueAt, i18n.language) : null;
  const detail = when ? (due && now >= due ? t('sla.overdue', { when }) : t('sla.dueIn', { when })) : null;
  return (
    <Tooltip label={detail ?? t(`sla.state.${state}`)} disabled={!detail}>
      <Badge
        color={COLOR[state]}
        variant={state === 'breached' ? 'filled' : 'light'}
        leftSection={<IconClock size={12} />}
        data-testid="sla"
        data-state={state}
      >
        {compact || !detail ? t(`sla.state.${state}`) : `${t(`sla.state.${state}`)} · ${detail}`}
      </Badge>
    </Tooltip>
  );
}
