/**
 * Lifetime-value fits from files: a transaction log or a per-customer summary, read from CSV with every bad row
 * reported by its line, summarised as the "buy till you die" models need it, and fitted (BG/NBD for how often
 * customers buy and whether they are still alive, Gamma-Gamma for how much they spend). What
 * `keepdesk clv fit` prints.
 */
import {
  type BgNbdFit,
  bgNbdConditionalExpectedPurchases,
  type CustomerPurchaseSummary,
  fitBgNbd,
  fitGammaGamma,
  type GammaGammaFit,
  summarizePurchases,
  type Transaction,
} from '@keepdesk/stats';
import { DateTime } from 'luxon';
import type { CsvTable } from '../../platform/csv';
import { fieldError } from '../../platform/errors';
import { parseTimeCell } from '../customers';

export interface RowProblem {
  line: number;
  message: string;
}

/** A customer as the models read them: repeat purchases, recency, age, mean repeat spend, holdout purchases. */
export interface CustomerHistory {
  frequency: number;
  recency: number;
  age: number;
  monetaryValue?: number;
  holdoutFrequency?: number;
}

/** Fewer customers than this give no fit worth printing (four parameters). */
export const MIN_CUSTOMERS = 10;
/** Gamma-Gamma needs repeat buyers with a spend; fewer than this and it is left out. */
const MIN_REPEAT_BUYERS = 10;
/** Repeat purchases in the calibration period up to which the holdout comparison has a row of its own. */
const COMPARISON_ROWS = 7;

const DAY = 86_400_000;

function columnIndex(table: CsvTable, name: string, option: string): number {
  const index = table.header.findIndex((h) => h.trim() === name);
  if (index < 0) {
    throw fieldError(
      option,
      `no column "${name}"; the file has ${table.header.map((h) => `"${h}"`).join(', ')}`,
    );
  }
  return index;
}

/** A day (UTC day number) from a cell: ISO 8601 by default, or in `format` (luxon tokens, e.g. yyyyMMdd). */
function dayOfCell(text: string, format: string | undefined): number | string {
  const value = text.trim();
  if (value === '') return 'the date is empty';
  const parsed = parseTimeCell(value, format);
  if (!parsed.isValid) return `"${value}" is not a date${format ? ` in the format ${format}` : ''}`;
  return Math.floor(parsed.toMillis() / DAY);
}

/** An amount: digits with a decimal point or (German) comma; thousands separators are not read. */
function amountOfCell(text: string): number | string {
  const value = text.trim();
  if (!/^[+-]?(\d+([.,]\d*)?|[.,]\d+)$/.test(value)) return `"${value}" is not an amount`;
  const amount = Number(value.replace(',', '.'));
  if (amount < 0) return `the amount ${value} is negative (refunds are not purchases)`;
  return amount;
}

export interface TransactionColumns {
  customer: string;
  date: string;
  amount: string;
  /** luxon format of the dates, when they are not ISO 8601 or SQL. */
  dateFormat?: string;
}

/**
 * The purchases of a transaction log, dates as UTC day numbers; rows with a missing customer, an unreadable or
 * future date or a bad amount are reported by line and left out. A missing column is an error.
 */
export function transactionsOfCsv(
  table: CsvTable,
  columns: TransactionColumns,
  today: number,
): { transactions: Transaction[]; problems: RowProblem[] } {
  const customer = columnIndex(table, columns.customer, '--customer-col');
  const date = columnIndex(table, columns.date, '--date-col');
  const amount = columnIndex(table, columns.amount, '--amount-col');
  const problems: RowProblem[] = [...table.errors];
  const transactions: Transaction[] = [];
  for (const record of table.records) {
    const customerId = (record.cells[customer] ?? '').trim();
    const day = dayOfCell(record.cells[date] ?? '', columns.dateFormat);
    const value = amountOfCell(record.cells[amount] ?? '');
    const problem =
      customerId === ''
        ? 'the customer is empty'
        : typeof day === 'string'
          ? day
          : day > today
            ? `the date ${record.cells[date]!.trim()} is in the future`
            : typeof value === 'string'
              ? value
              : null;
    if (problem) problems.push({ line: record.line, message: problem });
    else transactions.push({ customerId, date: day as number, amount: value as number });
  }
  return { transactions, problems };
}

const SUMMARY_COLUMNS = {
  frequency: ['frequency', 'x'],
  recency: ['recency', 't_x'],
  age: ['T', 'age'],
  monetaryValue: ['monetary_value', 'monetary', 'zbar'],
} as const;

/**
 * Customers of a summary file (`frequency,recency,T[,monetary_value]`, or Hardie's `x,t_x,T,zbar`): each row
 * checked (whole frequency ≥ 0, 0 ≤ recency ≤ T, spend ≥ 0), bad ones reported by line.
 */
export function historiesOfSummaryCsv(table: CsvTable): {
  customers: CustomerHistory[];
  problems: RowProblem[];
} {
  const find = (names: readonly string[]) => table.header.findIndex((h) => names.includes(h.trim()));
  const index = {
    frequency: find(SUMMARY_COLUMNS.frequency),
    recency: find(SUMMARY_COLUMNS.recency),
    age: find(SUMMARY_COLUMNS.age),
    monetaryValue: find(SUMMARY_COLUMNS.monetaryValue),
  };
  const missing = (['frequency', 'recency', 'age'] as const).filter((k) => index[k] < 0);
  if (missing.length > 0) {
    throw fieldError(
      '--summary',
      `the file needs the columns frequency, recency and T (optionally monetary_value); ${missing
        .map((k) => SUMMARY_COLUMNS[k][0])
        .join(', ')} missing in ${table.header.map((h) => `"${h}"`).join(', ')}`,
    );
  }
  const problems: RowProblem[] = [...table.errors];
  const customers: CustomerHistory[] = [];
  for (const record of table.records) {
    const number = (i: number) => {
      const text = (record.cells[i] ?? '').trim();
      return text === '' ? Number.NaN : Number(text);
    };
    const history: CustomerHistory = {
      frequency: number(index.frequency),
      recency: number(index.recency),
      age: number(index.age),
      ...(index.monetaryValue >= 0 ? { monetaryValue: number(index.monetaryValue) } : {}),
    };
    const problem = !(Number.isInteger(history.frequency) && history.frequency >= 0)
      ? 'frequency must be a whole number ≥ 0'
      : !(history.age >= 0 && Number.isFinite(history.age))
        ? 'T must be a number ≥ 0'
        : !(history.recency >= 0 && history.recency <= history.age)
          ? 'recency must be between 0 and T'
          : history.frequency === 0 && history.recency !== 0
            ? 'recency must be 0 without repeat purchases'
            : history.monetaryValue !== undefined && !(history.monetaryValue >= 0)
              ? 'monetary_value must be a number ≥ 0'
              : null;
    if (problem) problems.push({ line: record.line, message: problem });
    else customers.push(history);
  }
  return { customers, problems };
}

export interface PurchasePeriods {
  /** Last day (UTC day number) of the calibration period. */
  calibrationEnd: number;
  /** Last day of the holdout period; by default the last purchase day when one lies after the calibration. */
  holdoutEnd?: number;
  timeUnit: 'day' | 'week';
}

/** The customers of a transaction log at the end of its calibration period, with their holdout purchases. */
export function historiesOfTransactions(
  transactions: readonly Transaction[],
  periods: PurchasePeriods,
): { customers: CustomerHistory[]; firstSeenInHoldout: number; holdoutDuration: number | null } {
  const last = transactions.reduce((max, t) => Math.max(max, t.date), Number.NEGATIVE_INFINITY);
  const holdoutEnd = periods.holdoutEnd ?? (last > periods.calibrationEnd ? last : undefined);
  if (holdoutEnd !== undefined && holdoutEnd <= periods.calibrationEnd) {
    throw fieldError('--holdout-end', 'must be after --calibration-end');
  }
  const later = holdoutEnd === undefined ? [] : transactions.filter((t) => t.date > holdoutEnd);
  if (later.length > 0) {
    throw fieldError(
      '--holdout-end',
      `${later.length} purchases lie after it; give a later end or leave them out`,
    );
  }
  const summary = summarizePurchases(transactions, {
    calibrationEnd: periods.calibrationEnd,
    ...(holdoutEnd !== undefined ? { holdoutEnd } : {}),
    dateUnit: 'day-number',
    timeUnit: periods.timeUnit,
  });
  return {
    customers: summary.customers.map((c: CustomerPurchaseSummary) => ({
      frequency: c.frequency,
      recency: c.recency,
      age: c.age,
      monetaryValue: c.monetaryValue,
      ...(c.holdoutFrequency !== undefined ? { holdoutFrequency: c.holdoutFrequency } : {}),
    })),
    firstSeenInHoldout: summary.customersFirstSeenInHoldout.length,
    holdoutDuration: summary.holdoutDuration ?? null,
  };
}

export interface HoldoutRow {
  /** Repeat purchases in the calibration period (the last row holds this many and more). */
  frequency: number;
  orMore: boolean;
  customers: number;
  /** Mean purchases per customer in the holdout period: what happened and what the model expected. */
  actual: number;
  expected: number;
}

export interface ClvFitReport {
  bgnbd: Pick<BgNbdFit, 'r' | 'alpha' | 'a' | 'b' | 'logLikelihood' | 'converged' | 'iterations'>;
  gammaGamma: Pick<GammaGammaFit, 'p' | 'q' | 'gamma' | 'logLikelihood' | 'converged' | 'iterations'> | null;
  /** Why Gamma-Gamma was left out, when it was. */
  gammaGammaSkipped: string | null;
  customers: number;
  repeatBuyers: number;
  /** Pearson correlation of repeat purchases and mean spend among repeat buyers; Gamma-Gamma assumes ~0. */
  frequencySpendCorrelation: number | null;
  /** Calibration against holdout: purchases per customer by calibration frequency, observed and expected. */
  holdout: { duration: number; actual: number; expected: number; byFrequency: HoldoutRow[] } | null;
}

const rounded = (value: number, digits = 6) => Number(value.toPrecision(digits));

function correlation(xs: readonly number[], ys: readonly number[]): number | null {
  const n = xs.length;
  if (n < 3) return null;
  const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / n;
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
    syy += (ys[i]! - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : null;
}

/** Fits BG/NBD (and Gamma-Gamma where spends are known) and compares the fit with the holdout period. */
export function fitLifetimeValue(
  customers: readonly CustomerHistory[],
  holdoutDuration: number | null,
): ClvFitReport {
  if (customers.length < MIN_CUSTOMERS) {
    throw fieldError('customers', `${customers.length} found; at least ${MIN_CUSTOMERS} are needed to fit`);
  }
  const bgnbd = fitBgNbd(customers);
  const repeat = customers.filter(
    (c) => c.frequency > 0 && c.monetaryValue !== undefined && c.monetaryValue > 0,
  );
  let gammaGamma: ClvFitReport['gammaGamma'] = null;
  let gammaGammaSkipped: string | null = null;
  if (customers.every((c) => c.monetaryValue === undefined)) gammaGammaSkipped = 'the file has no spend';
  else if (repeat.length < MIN_REPEAT_BUYERS) {
    gammaGammaSkipped = `${repeat.length} repeat buyers with a spend; at least ${MIN_REPEAT_BUYERS} are needed`;
  } else {
    const fit = fitGammaGamma(
      repeat.map((c) => ({ frequency: c.frequency, monetaryValue: c.monetaryValue! })),
    );
    gammaGamma = {
      p: rounded(fit.p),
      q: rounded(fit.q),
      gamma: rounded(fit.gamma),
      logLikelihood: rounded(fit.logLikelihood, 8),
      converged: fit.converged,
      iterations: fit.iterations,
    };
  }
  let holdout: ClvFitReport['holdout'] = null;
  if (holdoutDuration !== null) {
    const rows = Array.from({ length: COMPARISON_ROWS + 1 }, (_, frequency) => ({
      frequency,
      orMore: frequency === COMPARISON_ROWS,
      customers: 0,
      actual: 0,
      expected: 0,
    }));
    let actual = 0;
    let expected = 0;
    for (const customer of customers) {
      const row = rows[Math.min(customer.frequency, COMPARISON_ROWS)]!;
      const predicted = bgNbdConditionalExpectedPurchases(bgnbd, customer, holdoutDuration);
      row.customers++;
      row.actual += customer.holdoutFrequency ?? 0;
      row.expected += predicted;
      actual += customer.holdoutFrequency ?? 0;
      expected += predicted;
    }
    holdout = {
      duration: rounded(holdoutDuration),
      actual,
      expected: rounded(expected),
      byFrequency: rows
        .filter((row) => row.customers > 0)
        .map((row) => ({
          ...row,
          actual: rounded(row.actual / row.customers, 4),
          expected: rounded(row.expected / row.customers, 4),
        })),
    };
  }
  return {
    bgnbd: {
      r: rounded(bgnbd.r),
      alpha: rounded(bgnbd.alpha),
      a: rounded(bgnbd.a),
      b: rounded(bgnbd.b),
      logLikelihood: rounded(bgnbd.logLikelihood, 8),
      converged: bgnbd.converged,
      iterations: bgnbd.iterations,
    },
    gammaGamma,
    gammaGammaSkipped,
    customers: customers.length,
    repeatBuyers: customers.filter((c) => c.frequency > 0).length,
    frequencySpendCorrelation: (() => {
      const value = correlation(
        repeat.map((c) => c.frequency),
        repeat.map((c) => c.monetaryValue!),
      );
      return value === null ? null : rounded(value, 4);
    })(),
    holdout,
  };
}

/** A UTC day number of an ISO day (YYYY-MM-DD), or an error naming the option. */
export function dayOfOption(text: string, option: string): number {
  const parsed = DateTime.fromISO(text, { zone: 'UTC' });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || !parsed.isValid) {
    throw fieldError(option, `"${text}" is not a day (YYYY-MM-DD)`);
  }
  return Math.floor(parsed.toMillis() / DAY);
}
