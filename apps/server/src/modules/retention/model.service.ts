import {
  ChurnDataError,
  type ChurnModel,
  type ChurnScore,
  scoreChurn,
  type Transaction,
  trainChurnModel,
} from '@keepdesk/stats';
import { desc, eq, sql } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import { dateOf, rowsOf, uuidArray, withTransaction } from '../../platform/db';
import {
  ATTRIBUTE_PREFIX,
  chooseAttributeKeys,
  chooseUsageNames,
  featureTable,
  ID_COLUMN,
  TARGET_COLUMN,
  USAGE_PREFIX,
  usageTrend,
} from './churn.domain';
import { accountFacts, activeAccounts, dayOf } from './facts.service';
import { DEFAULT_HEALTH_CONFIG, droppedBand, type HealthConfig, healthScore } from './health.domain';
import { addDrop, type RunDrops } from './health-drops.domain';
import { notifyDrops } from './health-drops.service';
import {
  accountRisk,
  accountRiskHistory,
  type ChurnModelSummary,
  churnModels,
  retentionSettings,
} from './retention.tables';
import { withRetentionRunLock } from './run-lock.service';
import { purchaseModels, twelveMonthValue } from './value.service';

const DAY_MS = 86_400_000;
/** Rows written per statement when storing scores. */
const WRITE_BATCH = 1000;

export interface RetentionSettings {
  health: HealthConfig;
  inactiveDays: number;
  horizonDays: number;
  retrainDays: number;
}

/** The settings of a workspace that has never saved its own. */
export const DEFAULT_RETENTION_SETTINGS: RetentionSettings = {
  health: DEFAULT_HEALTH_CONFIG,
  inactiveDays: 90,
  horizonDays: 90,
  retrainDays: 7,
};

export async function retentionSettingsOf(deps: Pick<Deps, 'database'>): Promise<RetentionSettings> {
  const [row] = await deps.database.db.select().from(retentionSettings).where(eq(retentionSettings.id, 1));
  return {
    health: row?.health ?? DEFAULT_RETENTION_SETTINGS.health,
    inactiveDays: row?.inactiveDays ?? DEFAULT_RETENTION_SETTINGS.inactiveDays,
    horizonDays: row?.horizonDays ?? DEFAULT_RETENTION_SETTINGS.horizonDays,
    retrainDays: row?.retrainDays ?? DEFAULT_RETENTION_SETTINGS.retrainDays,
  };
}

export interface TrainingOutcome {
  modelId: string;
  status: 'active' | 'failed';
  error: string | null;
  rows: number;
  positives: number;
  auc: number | null;
  seconds: number;
}

function summaryOf(model: ChurnModel): ChurnModelSummary {
  const evaluation = model.evaluation;
  return {
    auc: evaluation.auc,
    accuracy: evaluation.accuracy,
    logLoss: evaluation.logLoss,
    modelName: evaluation.modelName,
    folds: evaluation.folds,
    candidates: evaluation.candidates.map((c) => ({ name: c.name, auc: c.auc })),
    topDrivers: evaluation.topDrivers,
    reliability: evaluation.reliability,
  };
}

/**
 * Trains the workspace's churn model: the features of the accounts that were customers one horizon ago, labelled
 * by whether they still are. A model that cannot be fitted (too few accounts, one class, no convergence) is kept
 * as failed with its reason, and the active model stays.
 */
export async function trainWorkspaceModel(deps: Deps): Promise<TrainingOutcome> {
  const settings = await retentionSettingsOf(deps);
  const now = deps.now();
  const cutoff = new Date(now.getTime() - settings.horizonDays * DAY_MS);
  const started = performance.now();
  const db = deps.database.db;
  const customersThen = await activeAccounts(db, cutoff, settings.inactiveDays);
  const customersNow = await activeAccounts(db, now, settings.inactiveDays);
  const facts = await accountFacts(db, [...customersThen], cutoff);
  const labels = new Map(facts.map((fact) => [fact.id, !customersNow.has(fact.id)]));
  const positives = [...labels.values()].filter(Boolean).length;
  let model: ChurnModel | null = null;
  let error: string | null = null;
  try {
    if (positives === 0 || positives === facts.length) {
      throw new ChurnDataError(
        `Of the ${facts.length} accounts that were customers on ${dayOf(cutoff)}, ${positives === 0 ? 'none has' : 'all have'} left since: the model learns from both`,
      );
    }
    const columns = { usageNames: chooseUsageNames(facts), attributeKeys: chooseAttributeKeys(facts) };
    const table = featureTable(facts, columns, labels);
    model = trainChurnModel(table, {
      target: TARGET_COLUMN,
      positive: 'yes',
      id: ID_COLUMN,
      seed: 1,
    });
    if (!Number.isFinite(model.evaluation.auc)) throw new ChurnDataError('the model did not converge');
  } catch (failure) {
    if (!(failure instanceof ChurnDataError || failure instanceof RangeError)) throw failure;
    error = failure.message;
    model = null;
  }
  const seconds = (performance.now() - started) / 1000;
  const id = await withTransaction(deps.database, async (tx) => {
    if (model) {
      await tx.update(churnModels).set({ status: 'retired' }).where(eq(churnModels.status, 'active'));
    }
    const [row] = await tx
      .insert(churnModels)
      .values({
        status: model ? 'active' : 'failed',
        trainedAt: now,
        cutoff: dayOf(cutoff),
        horizonDays: settings.horizonDays,
        rows: facts.length,
        positives,
        model,
        summary: model ? summaryOf(model) : null,
        error,
        seconds,
      })
      .returning({ id: churnModels.id });
    return row!.id;
  });
  deps.log.info({ model: id, rows: facts.length, positives, error, seconds }, 'churn model trained');
  return {
    modelId: id,
    status: model ? 'active' : 'failed',
    error,
    rows: facts.length,
    positives,
    auc: model?.evaluation.auc ?? null,
    seconds,
  };
}

export async function activeModel(
  deps: Pick<Deps, 'database'>,
): Promise<{ id: string; model: ChurnModel; trainedAt: Date } | null> {
  const [row] = await deps.database.db
    .select({ id: churnModels.id, model: churnModels.model, trainedAt: churnModels.trainedAt })
    .from(churnModels)
    .where(eq(churnModels.status, 'active'))
    .orderBy(desc(churnModels.trainedAt))
    .limit(1);
  return row?.model ? { id: row.id, model: row.model, trainedAt: row.trainedAt } : null;
}

/** The usage names and attributes a model was trained with, from its columns. */
function columnsOfModel(model: ChurnModel) {
  const names = model.encoder.columns.map((c) => c.column);
  return {
    usageNames: names.filter((n) => n.startsWith(USAGE_PREFIX)).map((n) => n.slice(USAGE_PREFIX.length)),
    attributeKeys: names
      .filter((n) => n.startsWith(ATTRIBUTE_PREFIX))
      .map((n) => n.slice(ATTRIBUTE_PREFIX.length)),
  };
}

export interface ScoringOutcome {
  scored: number;
  withModel: boolean;
  bandDrops: number;
  seconds: number;
}

/** Accounts scored at a time: bounds the memory of facts and reasons. */
const SCORE_CHUNK = 5000;

/**
 * Scores every current customer: the active model's risk with its reasons, the health score and band, and the
 * expected value of the next 12 months; keeps a row of history per account and day, and tells the account's
 * owner when it drops to a worse band — of each drop, or in one digest when many of theirs drop in the run.
 * `chunkSize` (accounts per transaction) is for tests that span several chunks.
 */
export async function scoreWorkspace(
  deps: Deps,
  onProgress?: (done: number, total: number) => void,
  options: { chunkSize?: number } = {},
): Promise<ScoringOutcome> {
  const started = performance.now();
  const settings = await retentionSettingsOf(deps);
  const now = deps.now();
  const today = dayOf(now);
  const db = deps.database.db;
  const active = await activeModel(deps);
  const customers = [...(await activeAccounts(db, now, settings.inactiveDays))].sort();
  const values = await expectedValues(deps, customers, now);
  const columns = active ? columnsOfModel(active.model) : null;
  let bandDrops = 0;
  const runDrops: RunDrops = new Map();
  const chunkSize = options.chunkSize ?? SCORE_CHUNK;
  for (let first = 0; first < customers.length; first += chunkSize) {
    const ids = customers.slice(first, first + chunkSize);
    const facts = await accountFacts(db, ids, now);
    const scores = new Map<string, ChurnScore>();
    if (active && columns) {
      const table = featureTable(facts, columns);
      const scored = scoreChurn(active.model, table, { reasons: 3 });
      for (const [i, score] of scored.entries()) scores.set(facts[i]!.id, score);
    }
    const previous = new Map(
      rowsOf(
        await db.execute(
          sql`select account_id, health_band from account_risk where account_id = any(${uuidArray(ids)})`,
        ),
      ).map((row) => [String(row.account_id), (row.health_band as string | null) ?? null]),
    );
    const rows = facts.map((fact) => {
      const score = scores.get(fact.id);
      const health = healthScore(settings.health, {
        churnRisk: score?.probability ?? null,
        usageTrend: usageTrend(fact),
        usageEvents: Object.values(fact.usage30d).reduce((a, b) => a + b, 0),
        openTickets: fact.openTickets,
        tickets: fact.tickets90d,
        complaints: fact.complaints90d,
        reopened: fact.reopened90d,
        slaBreaches: fact.slaBreaches90d,
        csat: fact.csat90d,
        nps: fact.nps,
        daysSinceContact: fact.daysSinceContact,
        mrr: fact.mrr,
      });
      return {
        accountId: fact.id,
        modelId: score ? active!.id : null,
        probability: score?.probability ?? null,
        raising: score?.raising ?? [],
        lowering: score?.lowering ?? [],
        healthScore: health.score,
        healthBand: health.band,
        healthComponents: health.components,
        value: values.get(fact.id) ?? 0,
        scoredAt: now,
        dropped: droppedBand(settings.health, previous.get(fact.id) ?? null, health.band),
      };
    });
    const dropped = rows.filter((row) => row.dropped);
    bandDrops += dropped.length;
    const owned = await withTransaction(deps.database, async (tx) => {
      const owners =
        dropped.length === 0
          ? []
          : rowsOf(
              await tx.execute(sql`select id, name, owner_id from customer_accounts
                where id = any(${uuidArray(dropped.map((row) => row.accountId))}) and owner_id is not null`),
            );
      for (let i = 0; i < rows.length; i += WRITE_BATCH) {
        const batch = rows.slice(i, i + WRITE_BATCH).map(({ dropped: _, ...row }) => row);
        await tx
          .insert(accountRisk)
          .values(batch)
          .onConflictDoUpdate({
            target: accountRisk.accountId,
            set: {
              modelId: sql`excluded.model_id`,
              probability: sql`excluded.probability`,
              raising: sql`excluded.raising`,
              lowering: sql`excluded.lowering`,
              healthScore: sql`excluded.health_score`,
              healthBand: sql`excluded.health_band`,
              healthComponents: sql`excluded.health_components`,
              value: sql`excluded.value`,
              scoredAt: sql`excluded.scored_at`,
            },
          });
        await tx
          .insert(accountRiskHistory)
          .values(
            batch.map((row) => ({
              accountId: row.accountId,
              day: today,
              probability: row.probability,
              healthScore: row.healthScore,
              healthBand: row.healthBand,
            })),
          )
          .onConflictDoUpdate({
            target: [accountRiskHistory.accountId, accountRiskHistory.day],
            set: {
              probability: sql`excluded.probability`,
              healthScore: sql`excluded.health_score`,
              healthBand: sql`excluded.health_band`,
            },
          });
      }
      return owners;
    });
    // Counted once committed: the owners hear of the whole run at its end, not of each chunk.
    const bandOf = new Map(dropped.map((row) => [row.accountId, row.healthBand]));
    for (const owner of owned) {
      const accountId = String(owner.id);
      addDrop(runDrops, String(owner.owner_id), {
        accountId,
        accountName: String(owner.name),
        from: String(previous.get(accountId)),
        to: String(bandOf.get(accountId)),
      });
    }
    onProgress?.(Math.min(customers.length, first + chunkSize), customers.length);
  }
  await notifyDrops(deps, runDrops);
  // Former customers keep their last health but no longer carry a risk.
  await db.execute(sql`update account_risk set probability = null, raising = '[]', lowering = '[]'
    where scored_at < ${now} and probability is not null`);
  return {
    scored: customers.length,
    withModel: active !== null,
    bandDrops,
    seconds: (performance.now() - started) / 1000,
  };
}

const VALUE_MONTHS = 12;

/**
 * The expected revenue of the next 12 months: MRR × 12 for a paying subscriber; for customers who order, the
 * discounted value BG/NBD and Gamma-Gamma expect from the workspace's order history; their revenue of the last
 * 12 months when there are too few buyers to fit the models or the fit does not converge.
 */
async function expectedValues(
  deps: Deps,
  accountIds: readonly string[],
  now: Date,
): Promise<Map<string, number>> {
  const db = deps.database.db;
  const values = new Map<string, number>();
  const subscribed = rowsOf(
    await db.execute(sql`select account_id, sum(mrr)::float8 as mrr from subscriptions
      where started_on <= ${dayOf(now)}::date and (ended_on is null or ended_on > ${dayOf(now)}::date)
      group by account_id having sum(mrr) > 0`),
  );
  for (const row of subscribed) values.set(String(row.account_id), Number(row.mrr) * VALUE_MONTHS);
  const buyers = new Set(accountIds.filter((id) => !values.has(id)));
  if (buyers.size === 0) return values;
  const orders = rowsOf(
    await db.execute(
      sql`select account_id, ordered_at, amount::float8 as amount from orders where ordered_at <= ${now}`,
    ),
  );
  const transactions: Transaction[] = orders.map((row) => ({
    customerId: String(row.account_id),
    date: dateOf(row.ordered_at).getTime(),
    amount: Number(row.amount),
  }));
  const lastYear = now.getTime() - 365 * DAY_MS;
  const historic = new Map<string, number>();
  for (const t of transactions) {
    if (t.date > lastYear)
      historic.set(String(t.customerId), (historic.get(String(t.customerId)) ?? 0) + t.amount);
  }
  // The same fits as the lifetime-value page and account card (value.service.ts), so the figures agree.
  const models = purchaseModels(
    transactions.map((t) => ({ ...t, date: Math.floor(t.date / DAY_MS) })),
    now,
  );
  let predicted: Map<string, number> | null = null;
  if (models.bgnbd && models.gammaGamma) {
    predicted = new Map();
    for (const [id, customer] of models.customers) {
      if (!buyers.has(id)) continue;
      const value = twelveMonthValue(models, customer);
      if (value !== null) predicted.set(id, value);
    }
  } else {
    deps.log.warn(
      { reason: models.skipped ?? models.spendSkipped },
      "lifetime-value models not fitted to the orders; using last year's revenue",
    );
  }
  for (const id of buyers) values.set(id, predicted?.get(id) ?? historic.get(id) ?? 0);
  return values;
}

export interface RetentionRun {
  training: TrainingOutcome | null;
  scored: number;
  bandDrops: number;
  seconds: number;
}

/** Whether the active model is missing or older than the settings allow. */
export async function trainingDue(deps: Deps): Promise<boolean> {
  const settings = await retentionSettingsOf(deps);
  const active = await activeModel(deps);
  return !active || deps.now().getTime() - active.trainedAt.getTime() >= settings.retrainDays * DAY_MS;
}

/**
 * Trains when asked or due, then scores every account. One run at a time per database: while another is going
 * (in any process) this throws RETENTION_RUN_IN_PROGRESS at once rather than waiting or scoring twice.
 */
export function runRetention(
  deps: Deps,
  options: { train?: boolean } = {},
  onProgress?: (done: number, total: number) => void,
): Promise<RetentionRun> {
  return withRetentionRunLock(deps, async () => {
    const started = performance.now();
    const training = options.train || (await trainingDue(deps)) ? await trainWorkspaceModel(deps) : null;
    const scoring = await scoreWorkspace(deps, onProgress);
    return {
      training,
      scored: scoring.scored,
      bandDrops: scoring.bandDrops,
      seconds: (performance.now() - started) / 1000,
    };
  });
}
