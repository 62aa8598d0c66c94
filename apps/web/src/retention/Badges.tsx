import type { RiskBand } from '@keepdesk/contract';
import { Badge, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatPercent, formatTrend, healthBandLabel, healthColor, RISK_COLOR, trendColor } from './format';

/** The churn risk: its band as a badge and the probability beside it. */
export function RiskBadge({
  band,
  probability,
  size = 'sm',
}: {
  band: RiskBand | null;
  probability: number | null;
  size?: 'xs' | 'sm' | 'md' | 'lg';
}) {
  const { t, i18n } = useTranslation();
  if (!band) {
    return (
      <Badge variant="outline" color="gray" size={size} style={{ minWidth: 'max-content' }}>
        {t('retention.risk.none')}
      </Badge>
    );
  }
  return (
    <Group gap={6} wrap="nowrap">
      <Badge
        color={RISK_COLOR[band]}
        variant="light"
        size={size}
        data-testid="risk-band"
        style={{ minWidth: 'max-content' }}
      >
        {t(`retention.risk.${band}`)}
      </Badge>
      <Text size="sm" fw={500} data-testid="risk-probability">
        {formatPercent(probability, i18n.language)}
      </Text>
    </Group>
  );
}

/** The health band as a badge with the score. */
export function HealthBadge({ band, score }: { band: string | null; score: number | null }) {
  const { t, i18n } = useTranslation();
  if (!band || score === null) {
    return (
      <Badge variant="outline" color="gray" size="sm" style={{ minWidth: 'max-content' }}>
        {t('retention.health.none')}
      </Badge>
    );
  }
  return (
    <Badge color={healthColor(band)} variant="light" size="sm" style={{ minWidth: 'max-content' }}>
      {healthBandLabel(t, band)} ·{' '}
      {new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 0 }).format(score)}
    </Badge>
  );
}

/** The 30-day change of the health score, ▲ green when it rose, ▼ red when it fell. */
export function HealthTrend({ trend }: { trend: number | null }) {
  const { t, i18n } = useTranslation();
  return (
    <Text
      span
      size="sm"
      c={trendColor(trend)}
      title={t('retention.health.trendHint')}
      style={{ whiteSpace: 'nowrap' }}
    >
      {formatTrend(trend, i18n.language)}
    </Text>
  );
}
