/**
 * Customer lifetime value in the product: the workspace's fit report (BG/NBD and Gamma-Gamma on the orders,
 * checked against a holdout period; shifted-beta-geometric on monthly subscription cohorts) and one account's
 * historic and predicted value. The fits are kept per process for a few minutes, keyed by day and currency.
 */
import type { AccountLifetimeValue, LifetimeValueQuery, LifetimeValueReport } from '@keepdesk/contract';
import {
  type BgNbdFit,
  bgNbdConditionalExpectedPurchases,
  bgNbdProbabilityAlive,
  type CustomerPurchaseSummary,
  customerLifetimeValue,
  fitBgNbd,
  fitGammaGamma,
  type GammaGammaFit,
  historicValue,
  minimizePositive,
  type ShiftedBetaGeometricParameters,
  shiftedBetaGeometricLogLikelihood,
  shiftedBetaGeometricSurvival,
  subscriptionRevenueToDate,
  summarizePurchases,
  type Transaction,
} from '@keepdesk/stats';
import { sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Deps } from '../../platform/context';
import { dateOf, rowsOf } from '../../platform/db';
import { notFound } from '../../platform/errors';
import { fitLifetimeValue, historiesOfTransactions, MIN_CUSTOMERS } from './clv.files';

const DAY_MS = 86_400_000;
/** As model.service.ts values the at-risk list: 12 months, 10 % a year, BG/NBD fitted in weeks. */
const VALUE_MONTHS = 12;
const ANNUAL_DISCOUNT_RATE = 0.1;
const MIN_BUYERS_FOR_MODEL = 50;
const MIN_REPEAT_BUYERS = MIN_BUYERS_FOR_MODEL / 5;
/** Subscribers observed at least one whole month needed for the sBG fit. */
const MIN_SUBSCRIBERS = 10;
/** Months since start up to which cohorts are fitted and charted. */
const MAX_MONTHS = 36;
/** Fits are reused this long within a process (and never across days). */
const CACHE_MS = 5 * 60_000;

const cache = new WeakMap<Deps, Map<string, { at: number; value: unknown }>>();

async function cached<T>(deps: Deps, key: string, compute: () => Promise<T>): Promise<T> {
  const entries = cache.get(deps) ?? new Map<string, { at: number; value: unknown }>();
  cache.set(deps, entries);
  const hit = entries.get(key);
  const now = Date.now();
  if (hit && now - hit.at < CACHE_MS) return hit.value as T;
  const value = await compute();
  entries.set(key, { at: now, value });
  return value;
}

const isoDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
const rounded = (value: number, digits = 6) => Number(value.toPrecision(digits));

/** The currency asked for, else the one most orders and subscriptions are in. */
async function currencyOf(deps: Deps, asked: string | undefined): Promise<string> {
  if (asked) return asked;
  const [row] = rowsOf(
    await deps.database.db.execute(sql`select currency, count(*)::int as n from (
      select currency from orders union all select currency from subscriptions) rows
      group by currency order by n desc, currency limit 1`),
  );
  return row ? String(row.currency) : 'EUR';
}

async function loadTransactions(deps: Deps, currency: string, now: Date): Promise<Transaction[]> {
  const rows = rowsOf(
    await deps.database.db.execute(sql`select account_id::text as account, ordered_at, amount::float8 as amount
      from orders where currency = ${currency} and ordered_at <= ${now}`),
  );
  return rows.map((row) => ({
    customerId: String(row.account),
    date: Math.floor(dateOf(row.ordered_at).getTime() / DAY_MS),
    amount: Number(row.amount),
  }));
}

/** One account's paid time: first start, and the last end (null while any subscription runs). */
interface Lifetime {
  account: string;
  startedOn: string;
  endedOn: string | null;
}

async function loadLifetimes(deps: Deps, currency: string, today: string): Promise<Lifetime[]> {
  const rows = rowsOf(
    await deps.database.db.execute(sql`select account_id::text as account,
        to_char(min(started_on), 'YYYY-MM-DD') as started_on,
        case when bool_or(ended_on is null or ended_on > ${today}::date) then null
             else to_char(max(ended_on), 'YYYY-MM-DD') end as ended_on
      from subscriptions where currency = ${currency} and mrr > 0 and started_on <= ${today}::date
      group by account_id`),
  );
  return rows.map((row) => ({
    account: String(row.account),
    startedOn: String(row.started_on),
    endedOn: (row.ended_on as string | null) ?? null,
  }));
}

const monthIndex = (day: string) => Number(day.slice(0, 4)) * 12 + Number(day.slice(5, 7)) - 1;
const plusMonths = (day: string, months: number) =>
  DateTime.fromISO(day, { zone: 'UTC' }).plus({ months }).toISODate()!;

/**
 * Monthly cohorts by start month: survivors[k] = accounts still paying k months after their own start. A cohort
 * is observed for the whole months all its accounts have had by today (at most MAX_MONTHS).
 */
export function subscriptionCohorts(lifetimes: readonly Lifetime[], today: string): number[][] {
  const byMonth = new Map<number, Lifetime[]>();
  for (const lifetime of lifetimes) {
    const month = monthIndex(lifetime.startedOn);
    byMonth.set(month, [...(byMonth.get(month) ?? []), lifetime]);
  }
  const cohorts: number[][] = [];
  for (const [month, members] of [...byMonth].sort((a, b) => a[0] - b[0])) {
    const observed = Math.min(MAX_MONTHS, monthIndex(today) - month - 1);
    if (observed < 1) continue;
    const survivors = Array.from({ length: observed + 1 }, () => 0);
    survivors[0] = members.length;
    for (const member of members) {
      for (let k = 1; k <= observed; k++) {
        if (member.endedOn !== null && member.endedOn <= plusMonths(member.startedOn, k)) break;
        survivors[k]!++;
      }
    }
    cohorts.push(survivors);
  }
  return cohorts;
}

type SubscriptionFit = NonNullable<LifetimeValueReport['subscriptions']>;

/** sBG on all cohorts at once: the sum of their log-likelihoods (Fader & Hardie 2007, eq. 7) maximised. */
export function fitSubscriptionCohorts(cohorts: readonly number[][]): SubscriptionFit | string {
  const subscribers = cohorts.reduce((sum, c) => sum + c[0]!, 0);
  if (subscribers < MIN_SUBSCRIBERS) {
    return `${subscribers} subscribers have been subscribed a whole month; at least ${MIN_SUBSCRIBERS} are needed`;
  }
  if (cohorts.every((c) => c[c.length - 1] === c[0])) {
    return 'no subscriber has cancelled yet; the model learns how long customers stay from cancellations';
  }
  const logLikelihood = (p: ShiftedBetaGeometricParameters) =>
    cohorts.reduce((sum, survivors) => sum + shiftedBetaGeometricLogLikelihood(p, survivors), 0);
  const result = minimizePositive(([alpha, beta]) => -logLikelihood({ alpha: alpha!, beta: beta! }), [1, 1]);
  const parameters = { alpha: result.point[0]!, beta: result.point[1]! };
  const longest = Math.max(...cohorts.map((c) => c.length - 1));
  const survival = Array.from({ length: longest + 1 }, (_, month) => {
    const observed = cohorts.filter((c) => c.length > month);
    const alive = observed.reduce((sum, c) => sum + c[month]!, 0);
    const size = observed.reduce((sum, c) => sum + c[0]!, 0);
    return {
      month,
      cohorts: observed.length,
      actual: rounded(alive / size, 4),
      expected: rounded(shiftedBetaGeometricSurvival(parameters, month), 4),
    };
  });
  return {
    alpha: rounded(parameters.alpha),
    beta: rounded(parameters.beta),
    logLikelihood: rounded(-result.value, 8),
    converged: result.converged,
    iterations: result.iterations,
    cohorts: cohorts.length,
    subscribers,
    survival,
  };
}

async function subscriptionFit(deps: Deps, currency: string, today: string) {
  return cached(deps, `sbg|${today}|${currency}`, async () => {
    const lifetimes = await loadLifetimes(deps, currency, today);
    const fit = fitSubscriptionCohorts(subscriptionCohorts(lifetimes, today));
    return { lifetimes, fit };
  });
}

function purchaseFit(
  transactions: readonly Transaction[],
  todayDay: number,
  holdoutWeeks: number,
): LifetimeValueReport['purchases'] | string {
  const calibrationEnd = todayDay - holdoutWeeks * 7;
  const buyers = new Set(transactions.filter((t) => t.date <= calibrationEnd).map((t) => t.customerId));
  if (buyers.size < MIN_CUSTOMERS) {
    return `${buyers.size} customers ordered by ${isoDay(calibrationEnd)} (${holdoutWeeks} weeks before today); at least ${MIN_CUSTOMERS} are needed`;
  }
  const { customers, holdoutDuration } = historiesOfTransactions(transactions, {
    calibrationEnd,
    holdoutEnd: todayDay,
    timeUnit: 'week',
  });
  try {
    const { holdout, ...report } = fitLifetimeValue(customers, holdoutDuration);
    return {
      calibrationEnd: isoDay(calibrationEnd),
      ...report,
      holdout: holdout && {
        weeks: holdout.duration,
        actual: holdout.actual,
        expected: holdout.expected,
        byFrequency: holdout.byFrequency,
      },
    };
  } catch (failure) {
    if (failure instanceof RangeError) return `the models could not be fitted: ${failure.message}`;
    throw failure;
  }
}

/** The workspace's lifetime-value fit report (GET /retention/lifetime-value). */
export async function lifetimeValueReport(
  deps: Deps,
  query: LifetimeValueQuery,
): Promise<LifetimeValueReport> {
  const now = deps.now();
  const today = now.toISOString().slice(0, 10);
  const currency = await currencyOf(deps, query.currency);
  const purchases = await cached(deps, `bgnbd|${today}|${currency}|${query.holdoutWeeks}`, async () =>
    purchaseFit(
      await loadTransactions(deps, currency, now),
      Math.floor(now.getTime() / DAY_MS),
      query.holdoutWeeks,
    ),
  );
  const { fit } = await subscriptionFit(deps, currency, today);
  return {
    currency,
    today,
    purchases: typeof purchases === 'string' ? null : purchases,
    purchasesSkipped: typeof purchases === 'string' ? purchases : null,
    subscriptions: typeof fit === 'string' ? null : fit,
    subscriptionsSkipped: typeof fit === 'string' ? fit : null,
  };
}

export interface PurchaseModels {
  customers: Map<string, CustomerPurchaseSummary>;
  bgnbd: BgNbdFit | null;
  gammaGamma: GammaGammaFit | null;
  skipped: string | null;
  spendSkipped: string | null;
}

/** BG/NBD and Gamma-Gamma on every order to date, with the thresholds model.service.ts values accounts by. */
export function purchaseModels(transactions: readonly Transaction[], now: Date): PurchaseModels {
  const summary = summarizePurchases(transactions, {
    calibrationEnd: Math.floor(now.getTime() / DAY_MS),
    dateUnit: 'day-number',
    timeUnit: 'week',
  });
  const customers = new Map(summary.customers.map((c) => [String(c.customerId), c]));
  const repeat = summary.customers.filter((c) => c.frequency > 0 && c.monetaryValue > 0);
  const models: PurchaseModels = {
    customers,
    bgnbd: null,
    gammaGamma: null,
    skipped: null,
    spendSkipped: `${repeat.length} customers ordered more than once; at least ${MIN_REPEAT_BUYERS} are needed to model the spend`,
  };
  if (summary.customers.length < MIN_BUYERS_FOR_MODEL) {
    models.skipped = `${summary.customers.length} customers have ordered; at least ${MIN_BUYERS_FOR_MODEL} are needed`;
    return models;
  }
  try {
    const bgnbd = fitBgNbd(summary.customers);
    if (!bgnbd.converged) models.skipped = 'the purchase model did not converge';
    else models.bgnbd = bgnbd;
    if (repeat.length >= MIN_REPEAT_BUYERS) {
      const spend = fitGammaGamma(repeat);
      models.spendSkipped = spend.converged ? null : 'the spend model did not converge';
      if (spend.converged) models.gammaGamma = spend;
    }
  } catch (failure) {
    if (!(failure instanceof RangeError)) throw failure;
    models.skipped = `the purchase model could not be fitted: ${failure.message}`;
  }
  return models;
}

/** The discounted value of a customer's next 12 months; null when the models are missing or it is not finite. */
export function twelveMonthValue(models: PurchaseModels, customer: CustomerPurchaseSummary): number | null {
  if (!models.bgnbd || !models.gammaGamma) return null;
  const { value } = customerLifetimeValue(models.bgnbd, models.gammaGamma, customer, {
    months: VALUE_MONTHS,
    annualDiscountRate: ANNUAL_DISCOUNT_RATE,
    timeUnit: 'week',
  });
  return Number.isFinite(value) ? value : null;
}

/**
 * Σₖ S(n + k)/S(n) ÷ (1 + d)ᵏ for k ≥ 1: the discounted months a subscriber of n whole months is still expected
 * to pay, at a monthly rate d equivalent to the yearly one. Summed until the terms vanish.
 */
export function discountedRemainingMonths(
  parameters: ShiftedBetaGeometricParameters,
  months: number,
): number {
  const monthly = (1 + ANNUAL_DISCOUNT_RATE) ** (1 / 12) - 1;
  const { alpha, beta } = parameters;
  let survival = 1;
  let total = 0;
  for (let k = 1; k <= 6000; k++) {
    const t = months + k;
    survival *= (beta + t - 1) / (alpha + beta + t - 1);
    const term = survival / (1 + monthly) ** k;
    total += term;
    if (term < 1e-9) break;
  }
  return total;
}

/** One account's historic and predicted value (GET /customer-accounts/:id/lifetime-value). */
export async function accountLifetimeValue(deps: Deps, accountId: string): Promise<AccountLifetimeValue> {
  const db = deps.database.db;
  const found = rowsOf(await db.execute(sql`select id from customer_accounts where id = ${accountId}`));
  if (found.length === 0) throw notFound('customer account', accountId);
  const now = deps.now();
  const today = now.toISOString().slice(0, 10);
  const currency = await currencyOf(deps, undefined);
  const models = await cached(deps, `models|${today}|${currency}`, async () =>
    purchaseModels(await loadTransactions(deps, currency, now), now),
  );
  const ownOrders = rowsOf(
    await db.execute(sql`select to_char(ordered_at at time zone 'UTC', 'YYYY-MM-DD') as day, amount::float8 as amount
      from orders where account_id = ${accountId} and currency = ${currency} and ordered_at <= ${now}`),
  ).map((row) => ({ account: accountId, date: String(row.day), amount: Number(row.amount) }));
  const periods = rowsOf(
    await db.execute(sql`select mrr::float8 as mrr, to_char(started_on, 'YYYY-MM-DD') as started_on,
        to_char(ended_on, 'YYYY-MM-DD') as ended_on
      from subscriptions where account_id = ${accountId} and currency = ${currency}`),
  ).map((row) => ({
    account: accountId,
    mrr: Number(row.mrr),
    startedOn: String(row.started_on),
    endedOn: (row.ended_on as string | null) ?? null,
  }));
  const [orders] = historicValue(ownOrders);
  const [subscription] = subscriptionRevenueToDate(periods, { asOf: today });
  const orderRevenue = orders?.revenue ?? 0;
  const subscriptionRevenue = subscription?.revenue ?? 0;

  let buyer: AccountLifetimeValue['buyer'] = null;
  let buyerSkipped: string | null = null;
  const customer = models.customers.get(accountId);
  if (!customer) buyerSkipped = 'no orders';
  else if (!models.bgnbd) buyerSkipped = models.skipped;
  else if (models.gammaGamma) {
    const value = customerLifetimeValue(models.bgnbd, models.gammaGamma, customer, {
      months: VALUE_MONTHS,
      annualDiscountRate: ANNUAL_DISCOUNT_RATE,
      timeUnit: 'week',
    });
    buyer = {
      probabilityAlive: rounded(bgNbdProbabilityAlive(models.bgnbd, customer), 4),
      expectedPurchases: rounded(value.expectedPurchases, 4),
      expectedSpend: Math.round(value.expectedSpend * 100) / 100,
      value: Math.round(value.value * 100) / 100,
    };
  } else {
    buyer = {
      probabilityAlive: rounded(bgNbdProbabilityAlive(models.bgnbd, customer), 4),
      expectedPurchases: rounded(
        bgNbdConditionalExpectedPurchases(models.bgnbd, customer, (365.2425 / 7) * (VALUE_MONTHS / 12)),
        4,
      ),
      expectedSpend: null,
      value: null,
    };
    buyerSkipped = models.spendSkipped;
  }

  let subscriber: AccountLifetimeValue['subscriber'] = null;
  let subscriberSkipped: string | null = null;
  if (!subscription || subscription.mrr <= 0) subscriberSkipped = 'no running paid subscription';
  else {
    const { fit } = await subscriptionFit(deps, currency, today);
    const months = Math.max(0, monthsBetween(subscription.firstStartedOn, today));
    const remaining = typeof fit === 'string' ? null : discountedRemainingMonths(fit, months);
    if (typeof fit === 'string') subscriberSkipped = fit;
    subscriber = {
      mrr: subscription.mrr,
      monthsSubscribed: months,
      expectedRemainingMonths: remaining === null ? null : rounded(remaining, 4),
      value: remaining === null ? null : Math.round(subscription.mrr * remaining * 100) / 100,
    };
  }
  return {
    currency,
    historic: {
      orderRevenue,
      subscriptionRevenue,
      revenue: Math.round((orderRevenue + subscriptionRevenue) * 100) / 100,
      orders: orders?.orders ?? 0,
      averageOrderValue: orders ? Math.round(orders.averageOrderValue * 100) / 100 : null,
      firstPurchaseOn: earliest([orders?.firstOrderOn, subscription?.firstStartedOn]),
      lastPurchaseOn: orders?.lastOrderOn ?? null,
    },
    buyer,
    buyerSkipped,
    subscriber,
    subscriberSkipped,
  };
}

function monthsBetween(from: string, to: string): number {
  return Math.floor(
    DateTime.fromISO(to, { zone: 'UTC' }).diff(DateTime.fromISO(from, { zone: 'UTC' }), 'months').months,
  );
}

function earliest(days: (string | undefined)[]): string | null {
  return days.filter((day): day is string => day !== undefined).sort()[0] ?? null;
}
