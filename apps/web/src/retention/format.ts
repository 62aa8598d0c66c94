import type { RiskBand } from '@keepdesk/contract';
import type { TFunction } from 'i18next';

/** Account values are kept in the workspace's currency; the import defaults to EUR. */
const CURRENCY = 'EUR';

export const RISK_COLOR: Record<RiskBand, string> = { high: 'red', medium: 'orange', low: 'teal' };

/** The built-in health bands' colours; a band the team named itself is grey. */
const HEALTH_COLOR: Record<string, string> = { healthy: 'teal', watch: 'yellow', at_risk: 'red' };

export function healthColor(band: string | null): string {
  return (band && HEALTH_COLOR[band]) || 'gray';
}

/** A health band's name: the built-in ones translated, the team's own shown as they were named. */
export function healthBandLabel(t: TFunction, band: string): string {
  return t(`retention.healthBands.${band}`, { defaultValue: band.replaceAll('_', ' ') });
}

/** "€12,400" / "12.400 €": whole units unless the amount is small. */
export function formatMoney(value: number, language: string, currency = CURRENCY): string {
  return new Intl.NumberFormat(language, {
    style: 'currency',
    currency,
    maximumFractionDigits: Math.abs(value) < 100 ? 2 : 0,
  }).format(value);
}

/** A share of 0–1 as a percentage: "42%" / "42 %"; "–" when unknown. */
export function formatPercent(share: number | null, language: string, signed = false): string {
  if (share === null || !Number.isFinite(share)) return '–';
  return new Intl.NumberFormat(language, {
    style: 'percent',
    maximumFractionDigits: Math.abs(share) < 0.1 && share !== 0 ? 1 : 0,
    signDisplay: signed ? 'exceptZero' : 'auto',
  }).format(share);
}

/** The change of the health score over 30 days: "▲ 5", "▼ 12", "± 0"; "–" when not known. */
export function formatTrend(trend: number | null, language: string): string {
  if (trend === null || !Number.isFinite(trend)) return '–';
  const size = new Intl.NumberFormat(language, { maximumFractionDigits: 0 }).format(Math.abs(trend));
  if (Math.round(trend) === 0) return `± ${size}`;
  return `${trend > 0 ? '▲' : '▼'} ${size}`;
}

/** Green when health rose, red when it fell. */
export function trendColor(trend: number | null): string {
  if (trend === null || Math.round(trend) === 0) return 'dimmed';
  return trend > 0 ? 'teal' : 'red';
}
