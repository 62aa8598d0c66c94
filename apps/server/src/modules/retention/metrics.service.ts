/**
 * Churn and retention metrics of the workspace: subscriptions and orders are read with one query each, in one
 * currency, and computed by packages/stats (docs/metrics.md, "Retention"); the API, the page and the retention
 * reports all read them here.
 */
import {
  MOVEMENT_ACCOUNTS_LIMIT,
  type MovementAccounts,
  type MovementAccountsQuery,
  type RetentionCohortQuery,
  type RetentionCohorts,
  type RetentionMetrics,
  type RetentionMetricsQuery,
  type RetentionPeriodKind,
} from '@keepdesk/contract';
import {
  type CohortMatrix,
  cohortRetention,
  type OrderEvent,
  orderCohortRetention,
  RetentionInputError,
  type RetentionPeriod,
  retentionRates,
} from '@keepdesk/stats';
import { sql } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import { type Executor, rowsOf, uuidArray } from '../../platform/db';
import { fieldError } from '../../platform/errors';
import {
  monthIndexOf,
  monthOfIndex,
  monthOfMoment,
  monthsOfQuarter,
  type PlanPeriod,
  presentCohortCell,
  presentPeriod,
  resolveMonths,
  shiftMonth,
  sumReasons,
} from './metrics.domain';

/** Which currency the figures are in, and what was left out. */
export interface CurrencyScope {
  currency: string;
  currencies: { currency: string; subscriptions: number }[];
  excludedSubscriptions: number;
}

/** The currency asked for, else the one most subscriptions (or, for orders, most orders) are in. */
async function currencyScope(
  db: Executor,
  table: 'subscriptions' | 'orders',
  asked: string | undefined,
): Promise<CurrencyScope & { counted: number }> {
  const rows = rowsOf(
    await db.execute(
      table === 'subscriptions'
        ? sql`select currency, count(*)::int as n from subscriptions group by currency order by n desc, currency`
        : sql`select currency, count(*)::int as n from orders group by currency order by n desc, currency`,
    ),
  );
  const currencies = rows.map((row) => ({ currency: String(row.currency), subscriptions: Number(row.n) }));
  const currency = asked ?? currencies[0]?.currency ?? 'EUR';
  const total = currencies.reduce((sum, entry) => sum + entry.subscriptions, 0);
  const counted = currencies.find((entry) => entry.currency === currency)?.subscriptions ?? 0;
  return { currency, currencies, excludedSubscriptions: total - counted, counted };
}

/**
 * The subscription periods in `currency` that started by `untilDay`, in one query. Earlier periods stay: they
 * decide whether an account coming back is new or reactivated.
 */
export async function loadSubscriptions(
  db: Executor,
  currency: string,
  untilDay: string,
): Promise<PlanPeriod[]> {
  const rows = rowsOf(
    await db.execute(sql`
      select account_id::text as account, mrr::float8 as mrr, plan, cancel_reason,
             to_char(started_on, 'YYYY-MM-DD') as started_on, to_char(ended_on, 'YYYY-MM-DD') as ended_on
        from subscriptions
       where currency = ${currency} and started_on <= ${untilDay}::date`),
  );
  return rows.map((row) => ({
    account: row.account as string,
    mrr: row.mrr as number,
    plan: row.plan as string,
    startedOn: row.started_on as string,
    endedOn: (row.ended_on as string | null) ?? null,
    cancelReason: (row.cancel_reason as string | null) ?? null,
  }));
}

async function loadOrders(db: Executor, currency: string, untilDay: string): Promise<OrderEvent[]> {
  const rows = rowsOf(
    await db.execute(sql`
      select account_id::text as account, amount::float8 as amount,
             to_char(ordered_at at time zone 'UTC', 'YYYY-MM-DD') as day
        from orders
       where currency = ${currency} and ordered_at < (${untilDay}::date + 1)::timestamp at time zone 'UTC'`),
  );
  return rows.map((row) => ({
    account: row.account as string,
    date: row.day as string,
    amount: row.amount as number,
  }));
}

/** The acquisition days imports gave (`acquired_on_given`), of accounts with rows in the currency. */
export async function givenAcquisitions(
  db: Executor,
  basis: 'subscriptions' | 'orders',
  currency: string,
): Promise<Map<string, string>> {
  const own =
    basis === 'subscriptions'
      ? sql`exists (select 1 from subscriptions s where s.account_id = a.id and s.currency = ${currency})`
      : sql`exists (select 1 from orders o where o.account_id = a.id and o.currency = ${currency})`;
  const rows = rowsOf(
    await db.execute(sql`
      select a.id::text as account, to_char(a.acquired_on, 'YYYY-MM-DD') as acquired_on
        from customer_accounts a
       where a.acquired_on_given and a.acquired_on is not null and ${own}`),
  );
  return new Map(rows.map((row) => [row.account as string, row.acquired_on as string]));
}

/** Runs a packages/stats computation; its input errors name the field, so they become a 400 on it. */
export function computed<T>(compute: () => T): T {
  try {
    return compute();
  } catch (error) {
    if (error instanceof RetentionInputError)
      throw fieldError(error.field, error.message.replace(`${error.field}: `, ''));
    throw error;
  }
}

/** The last day of a month, 'YYYY-MM-DD'. */
export function lastDayOf(month: string): string {
  const year = Number(month.slice(0, 4));
  const monthOfYear = Number(month.slice(5, 7));
  return `${month}-${String(new Date(Date.UTC(year, monthOfYear, 0)).getUTCDate()).padStart(2, '0')}`;
}

/** Default range of the metrics: the 12 months up to `to` (four quarters when `to` ends a quarter). */
const TWELVE_MONTHS = (to: string) => shiftMonth(to, -11);

export interface RatesInput {
  from: string;
  to: string;
  period: RetentionPeriodKind;
  currency?: string;
  listAccounts?: boolean;
}

/** Rates per period for a resolved range, with the subscriptions they were computed from. */
export async function ratesOfRange(
  deps: Deps,
  input: RatesInput,
): Promise<{
  scope: CurrencyScope & { counted: number };
  periods: RetentionPeriod[];
  subscriptions: PlanPeriod[];
}> {
  const db = deps.database.db;
  const scope = await currencyScope(db, 'subscriptions', input.currency);
  const subscriptions = await loadSubscriptions(db, scope.currency, lastDayOf(input.to));
  const periods = computed(() =>
    retentionRates(subscriptions, {
      from: input.from,
      to: input.to,
      period: input.period,
      listAccounts: input.listAccounts ?? false,
    }),
  );
  return { scope, periods, subscriptions };
}

/** GET /retention/metrics: MRR movements, customer counts and rates per month or quarter. */
export async function retentionMetrics(deps: Deps, query: RetentionMetricsQuery): Promise<RetentionMetrics> {
  const range = computed(() => resolveMonths(query, deps.now(), TWELVE_MONTHS));
  const { scope, periods } = await ratesOfRange(deps, {
    ...range,
    period: query.period,
    currency: query.currency,
  });
  const presented = periods.map(presentPeriod);
  return {
    ...range,
    period: query.period,
    currency: scope.currency,
    currencies: scope.currencies,
    excludedSubscriptions: scope.excludedSubscriptions,
    subscriptions: scope.counted,
    periods: presented,
    churnReasons: sumReasons(presented.map((period) => period.churnReasons)),
  };
}

export interface CohortInput {
  from: string;
  to: string;
  asOf: string;
  basis: 'subscriptions' | 'orders';
  currency?: string;
}

/** The cohort matrix of a resolved range, as packages/stats returns it, with its currency. */
export async function cohortsOfRange(
  deps: Deps,
  input: CohortInput,
): Promise<{ scope: CurrencyScope; matrix: CohortMatrix }> {
  const db = deps.database.db;
  const scope = await currencyScope(db, input.basis, input.currency);
  const untilDay = lastDayOf(input.asOf);
  const acquiredOn = await givenAcquisitions(db, input.basis, scope.currency);
  const options = { asOf: input.asOf, from: input.from, to: input.to, acquiredOn };
  if (input.basis === 'subscriptions') {
    const subscriptions = await loadSubscriptions(db, scope.currency, untilDay);
    return { scope, matrix: computed(() => cohortRetention(subscriptions, options)) };
  }
  const orders = await loadOrders(db, scope.currency, untilDay);
  return { scope, matrix: computed(() => orderCohortRetention(orders, options)) };
}

/** GET /retention/cohorts: the cohort matrix by acquisition month, filled up to the current month. */
export async function retentionCohorts(deps: Deps, query: RetentionCohortQuery): Promise<RetentionCohorts> {
  const asOf = monthOfMoment(deps.now());
  const range = computed(() =>
    resolveMonths({ from: query.from, to: query.to ?? asOf, period: 'month' }, deps.now(), TWELVE_MONTHS),
  );
  const { scope, matrix } = await cohortsOfRange(deps, {
    ...range,
    asOf,
    basis: query.basis,
    currency: query.currency,
  });
  return {
    ...range,
    asOf,
    basis: query.basis,
    measure: query.measure,
    currency: scope.currency,
    currencies: scope.currencies,
    excludedSubscriptions: scope.excludedSubscriptions,
    months: matrix.months,
    rows: matrix.rows.map((row) => ({
      cohort: row.cohort,
      size: row.size,
      cells: row.cells.map((cell) => presentCohortCell(cell, query.measure)),
    })),
    average: matrix.average.map((cell) => presentCohortCell(cell, query.measure)),
    accountsWithoutCohort: matrix.accountsWithoutCohort,
  };
}

/** Names of the accounts with these ids, in one query. */
export async function accountNames(
  db: Executor,
  ids: readonly string[],
): Promise<Map<string, { externalId: string; name: string }>> {
  if (ids.length === 0) return new Map();
  const rows = rowsOf(
    await db.execute(
      sql`select id::text as id, external_id, name from customer_accounts where id = any(${uuidArray(ids)})`,
    ),
  );
  return new Map(
    rows.map((row) => [row.id as string, { externalId: String(row.external_id), name: String(row.name) }]),
  );
}

/** GET /retention/movements: the accounts behind one movement of one month or quarter, largest change first. */
export async function movementAccounts(deps: Deps, query: MovementAccountsQuery): Promise<MovementAccounts> {
  if ((query.month === undefined) === (query.quarter === undefined)) {
    throw fieldError(query.month === undefined ? 'month' : 'quarter', 'give either month or quarter');
  }
  const current = monthOfMoment(deps.now());
  const months = query.quarter ? monthsOfQuarter(query.quarter) : { from: query.month!, to: query.month! };
  const field = query.quarter ? 'quarter' : 'month';
  if (months.from > current) throw fieldError(field, `must not be after the current month (${current})`);
  // A quarter not over yet is measured to date.
  const to = monthOfIndex(Math.min(monthIndexOf(months.to), monthIndexOf(current)));
  const { scope, periods } = await ratesOfRange(deps, {
    from: months.from,
    to,
    period: query.quarter ? 'quarter' : 'month',
    currency: query.currency,
    listAccounts: true,
  });
  const period = periods[0]!;
  const moves = period.accounts[query.movement];
  const listed = moves.slice(0, MOVEMENT_ACCOUNTS_LIMIT);
  const names = await accountNames(
    deps.database.db,
    listed.map((move) => move.account),
  );
  return {
    period: period.period,
    movement: query.movement,
    currency: scope.currency,
    total: moves.length,
    mrr: period[query.movement],
    items: listed.map((move) => ({
      accountId: move.account,
      externalId: names.get(move.account)?.externalId ?? '',
      name: names.get(move.account)?.name ?? '',
      before: move.before,
      after: move.after,
      reason: 'reason' in move ? (move.reason as string | null) : null,
    })),
  };
}
