import {
  ATTRIBUTE_FEATURE_PREFIX as ATTRIBUTE_PREFIX,
  CHURN_BASE_FEATURES as BASE_FEATURES,
  type ChurnBaseFeature as BaseFeature,
  type ChurnModelInfo,
  type HealthSignal,
  type RiskReason,
  USAGE_FEATURE_PREFIX as USAGE_PREFIX,
} from '@keepdesk/contract';
import type { TFunction } from 'i18next';
import { formatMoney, formatPercent } from './format';

/** How the server writes a value it does not know. */
const BLANK = '(blank)';

/** How each base feature's value reads: days, money, a share, a signed change or a plain count. */
const FEATURE_KIND: Record<
  BaseFeature,
  'days' | 'money' | 'moneyChange' | 'share' | 'change' | 'count' | 'text'
> = {
  tenure_days: 'days',
  mrr: 'money',
  plan: 'text',
  mrr_change_90d: 'moneyChange',
  orders_90d: 'count',
  revenue_90d: 'money',
  orders_365d: 'count',
  days_since_order: 'days',
  usage_30d: 'count',
  usage_trend: 'change',
  open_tickets: 'count',
  tickets_90d: 'count',
  complaints_90d: 'count',
  reopened_90d: 'count',
  sla_breaches_90d: 'count',
  csat_90d: 'share',
  nps: 'count',
  days_since_contact: 'days',
};

function isBaseFeature(column: string): column is BaseFeature {
  return (BASE_FEATURES as readonly string[]).includes(column);
}

/** A feature in words: "Open tickets", "Usage: exports (30 days)", an attribute by its key. */
export function featureLabel(t: TFunction, column: string): string {
  if (column.startsWith(USAGE_PREFIX)) {
    return t('retention.features.usageOf', { name: column.slice(USAGE_PREFIX.length) });
  }
  if (column.startsWith(ATTRIBUTE_PREFIX)) return column.slice(ATTRIBUTE_PREFIX.length);
  if (isBaseFeature(column)) return t(`retention.features.${column}`);
  return column;
}

/** An account's value of a feature as people read it: "4", "120 days", "€49", "−35%", "unknown". */
export function featureValue(t: TFunction, column: string, value: string, language: string): string {
  if (value === BLANK || value.trim() === '') return t('retention.values.unknown');
  const number = Number(value);
  if (!isBaseFeature(column)) {
    if (value === 'true') return t('common.yes');
    if (value === 'false') return t('common.no');
    return Number.isFinite(number) ? new Intl.NumberFormat(language).format(number) : value;
  }
  const kind = FEATURE_KIND[column];
  if (kind === 'text' || !Number.isFinite(number)) return value;
  switch (kind) {
    case 'days':
      return t('retention.values.days', { count: Math.round(number) });
    case 'money':
      return formatMoney(number, language);
    case 'moneyChange':
      return (number > 0 ? '+' : '') + formatMoney(number, language);
    case 'share':
      return formatPercent(number, language);
    case 'change':
      return formatPercent(number, language, true);
    case 'count':
      return new Intl.NumberFormat(language, { maximumFractionDigits: 1 }).format(number);
  }
}

/** Whether a reason pushes the churn risk up or down, in words. */
export function reasonEffect(t: TFunction, contribution: number): string {
  return contribution > 0 ? t('retention.reasons.raises') : t('retention.reasons.lowers');
}

/** One reason as a sentence: "Open tickets: 4 — raises risk". */
export function describeReason(t: TFunction, reason: RiskReason, language: string): string {
  return t('retention.reasons.sentence', {
    feature: featureLabel(t, reason.column),
    value: featureValue(t, reason.column, reason.value, language),
    effect: reasonEffect(t, reason.contribution),
  });
}

/** A global driver's direction: "the higher, the riskier", or its riskiest and safest levels. */
export function driverDirection(t: TFunction, driver: ChurnModelInfo['drivers'][number]): string {
  if (driver.direction === 'higher-raises-risk') return t('retention.model.higherRaises');
  if (driver.direction === 'higher-lowers-risk') return t('retention.model.higherLowers');
  if (driver.riskiestLevel === undefined) return t('retention.model.byLevel');
  return t('retention.model.levels', {
    riskiest: driver.riskiestLevel === BLANK ? t('retention.values.unknown') : driver.riskiestLevel,
    safest:
      driver.safestLevel === undefined || driver.safestLevel === BLANK
        ? t('retention.values.unknown')
        : driver.safestLevel,
  });
}

/** A health component's raw value as people read it, by the signal it comes from. */
export function signalValue(
  t: TFunction,
  signal: HealthSignal,
  value: number | null,
  language: string,
): string {
  if (value === null) return t('retention.values.unknown');
  switch (signal) {
    case 'churnRisk':
    case 'csat':
      return formatPercent(value, language);
    case 'usageTrend':
      return formatPercent(value, language, true);
    case 'mrr':
      return formatMoney(value, language);
    case 'daysSinceContact':
      return t('retention.values.days', { count: Math.round(value) });
    default:
      return new Intl.NumberFormat(language, { maximumFractionDigits: 1 }).format(value);
  }
}
