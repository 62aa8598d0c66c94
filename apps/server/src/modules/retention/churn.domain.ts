/**
 * The workspace's churn model sees each account as one row of features known at a moment: its subscription and
 * orders, its product usage, what support knows about it, and the attributes it was imported with. The label is
 * whether an account active at the moment had left by the end of the horizon after it.
 */
import { ATTRIBUTE_FEATURE_PREFIX, CHURN_BASE_FEATURES, USAGE_FEATURE_PREFIX } from '@keepdesk/contract';
import type { ChurnTable } from '@keepdesk/stats';

/** What is known about an account at a moment (its cutoff), as the service reads it from the database. */
export interface AccountFacts {
  id: string;
  tenureDays: number | null;
  mrr: number;
  plan: string | null;
  /** MRR now minus MRR 90 days before. */
  mrrChange90d: number;
  orders90d: number;
  revenue90d: number;
  orders365d: number;
  daysSinceOrder: number | null;
  /** Usage events counted in the last 30 days, by event name. */
  usage30d: Record<string, number>;
  /** All usage events counted in the 30 days before those. */
  usagePrevious30d: number;
  openTickets: number;
  tickets90d: number;
  complaints90d: number;
  reopened90d: number;
  slaBreaches90d: number;
  csat90d: number | null;
  nps: number | null;
  daysSinceContact: number | null;
  attributes: Record<string, unknown>;
}

export const ID_COLUMN = 'account';
export const TARGET_COLUMN = 'churned';
export const USAGE_PREFIX = USAGE_FEATURE_PREFIX;
export const ATTRIBUTE_PREFIX = ATTRIBUTE_FEATURE_PREFIX;
/** The features every account has, in the order of the table. */
export const BASE_FEATURES = CHURN_BASE_FEATURES;

/** Most usage names and attributes that become features of their own. */
export const MAX_USAGE_FEATURES = 10;
export const MAX_ATTRIBUTE_FEATURES = 20;

/** Total usage in the last 30 days. */
export function usageTotal(facts: AccountFacts): number {
  let total = 0;
  for (const count of Object.values(facts.usage30d)) total += count;
  return total;
}

/**
 * The relative change of usage: (last 30 days − the 30 before) / the 30 before; +1 when usage started from
 * nothing, null when there was none in either period.
 */
export function usageTrend(facts: AccountFacts): number | null {
  const now = usageTotal(facts);
  const before = facts.usagePrevious30d;
  if (before === 0) return now === 0 ? null : 1;
  return (now - before) / before;
}

/** The usage names seen for most accounts, most common first (ties by name), at most `max`. */
export function chooseUsageNames(facts: readonly AccountFacts[], max = MAX_USAGE_FEATURES): string[] {
  const accounts = new Map<string, number>();
  for (const fact of facts) {
    for (const [name, count] of Object.entries(fact.usage30d)) {
      if (count > 0) accounts.set(name, (accounts.get(name) ?? 0) + 1);
    }
  }
  return [...accounts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, max)
    .map(([name]) => name);
}

/**
 * Attributes worth a feature: numbers, booleans and strings that at least 5 % of accounts have, and that are not
 * identifiers (a string attribute with a different value on nearly every account tells the model nothing). Most
 * common first, at most `max`.
 */
export function chooseAttributeKeys(facts: readonly AccountFacts[], max = MAX_ATTRIBUTE_FEATURES): string[] {
  const present = new Map<string, number>();
  const distinct = new Map<string, Set<string>>();
  for (const fact of facts) {
    for (const [key, value] of Object.entries(fact.attributes)) {
      if (value === null || value === undefined || value === '' || typeof value === 'object') continue;
      present.set(key, (present.get(key) ?? 0) + 1);
      if (typeof value === 'string') {
        const values = distinct.get(key) ?? new Set<string>();
        distinct.set(key, values);
        values.add(value);
      }
    }
  }
  const minimum = Math.max(1, Math.ceil(facts.length * 0.05));
  return [...present]
    .filter(([key, count]) => {
      if (count < minimum) return false;
      const values = distinct.get(key);
      return !values || values.size < Math.max(2, 0.9 * count);
    })
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, max)
    .map(([key]) => key);
}

export interface FeatureColumns {
  usageNames: readonly string[];
  attributeKeys: readonly string[];
}

/** The header of the feature table: id, base features, usage and attribute columns, and the target when labelled. */
export function featureHeader(columns: FeatureColumns, labelled: boolean): string[] {
  return [
    ID_COLUMN,
    ...BASE_FEATURES,
    ...columns.usageNames.map((name) => USAGE_PREFIX + name),
    ...columns.attributeKeys.map((key) => ATTRIBUTE_PREFIX + key),
    ...(labelled ? [TARGET_COLUMN] : []),
  ];
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return String(value);
}

/**
 * The accounts as a table for `packages/stats`: blanks where a value is unknown; the target (`yes`/`no`) when
 * labels are given — an account without a label is left out.
 */
export function featureTable(
  facts: readonly AccountFacts[],
  columns: FeatureColumns,
  labels?: ReadonlyMap<string, boolean>,
): ChurnTable {
  const rows: string[][] = [];
  for (const fact of facts) {
    const label = labels?.get(fact.id);
    if (labels && label === undefined) continue;
    const row = [
      fact.id,
      cell(fact.tenureDays),
      cell(fact.mrr),
      cell(fact.plan),
      cell(fact.mrrChange90d),
      cell(fact.orders90d),
      cell(fact.revenue90d),
      cell(fact.orders365d),
      cell(fact.daysSinceOrder),
      cell(usageTotal(fact)),
      cell(usageTrend(fact)),
      cell(fact.openTickets),
      cell(fact.tickets90d),
      cell(fact.complaints90d),
      cell(fact.reopened90d),
      cell(fact.slaBreaches90d),
      cell(fact.csat90d),
      cell(fact.nps),
      cell(fact.daysSinceContact),
      ...columns.usageNames.map((name) => cell(fact.usage30d[name] ?? 0)),
      ...columns.attributeKeys.map((key) => cell(fact.attributes[key])),
    ];
    if (labels) row.push(label ? 'yes' : 'no');
    rows.push(row);
  }
  return { header: featureHeader(columns, labels !== undefined), rows };
}
