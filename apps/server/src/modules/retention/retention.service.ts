import type {
  AccountRetention,
  AccountRisk,
  AtRiskPage,
  AtRiskQuery,
  ChurnModelInfo,
  ChurnModelList,
  Outreach,
  OutreachBody,
  RetentionGlance,
  RetentionSettings,
  RiskBand,
} from '@keepdesk/contract';
import { type SQL, sql } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import { dateOf, type Executor, rowsOf, withTransaction } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { type Actor, recordChange } from '../../platform/events';
import { decodeCursor, likePattern, toPage } from '../../platform/pagination';
import { healthConfigProblems, healthTrend } from './health.domain';
import { retentionSettingsOf } from './model.service';
import { churnModels, outreach, retentionSettings } from './retention.tables';
import { supportSignals } from './signals.service';

const DAY_MS = 86_400_000;
/** How far back the health trend looks. */
const TREND_DAYS = 30;

/** High from 50 %, medium from 20 % (docs/retention.md). */
export function riskBandOf(probability: number | null): RiskBand | null {
  if (probability === null) return null;
  if (probability >= 0.5) return 'high';
  if (probability >= 0.2) return 'medium';
  return 'low';
}

const VALUE_AT_RISK = sql`(coalesce(r.probability, 0) * r.value)`;

/** The risk rows with what a list shows beside them; `where` filters, the order is by value at risk. */
async function riskRows(
  db: Executor,
  now: Date,
  where: SQL[],
  limit: number,
): Promise<Record<string, unknown>[]> {
  const trendDay = new Date(now.getTime() - TREND_DAYS * DAY_MS).toISOString().slice(0, 10);
  return rowsOf(
    await db.execute(sql`
      select a.id, a.external_id, a.name, a.email, a.contact_id, a.organization_id,
             u.id as owner_id, u.name as owner_name,
             r.probability, r.value, ${VALUE_AT_RISK}::float8 as value_at_risk, r.health_score, r.health_band,
             r.raising, r.lowering, r.scored_at, r.health_components,
             (select h.health_score from account_risk_history h
               where h.account_id = a.id and h.day <= ${trendDay}::date order by h.day desc limit 1) as health_before,
             (select max(o.happened_at) from retention_outreach o where o.account_id = a.id) as last_outreach
        from account_risk r
        join customer_accounts a on a.id = r.account_id
        left join users u on u.id = a.owner_id
       where ${sql.join(where.length > 0 ? where : [sql`true`], sql` and `)}
       order by ${VALUE_AT_RISK} desc, a.id
       limit ${limit}`),
  );
}

/** Open tickets and last contact of the listed accounts (support signals, plus logged outreach). */
async function presentRisks(
  db: Executor,
  rows: Record<string, unknown>[],
  now: Date,
): Promise<AccountRisk[]> {
  const signals = await supportSignals(
    db,
    rows.map((row) => ({
      key: String(row.id),
      contactId: (row.contact_id as string | null) ?? null,
      organizationId: (row.organization_id as string | null) ?? null,
    })),
    { asOf: now, days: 90 },
  );
  return rows.map((row) => {
    const support = signals.get(String(row.id));
    const outreachAt = row.last_outreach ? dateOf(row.last_outreach) : null;
    const ticketAt = support?.lastContactAt ?? null;
    const latest = Math.max(outreachAt?.getTime() ?? 0, ticketAt?.getTime() ?? 0);
    const lastContact = latest > 0 ? new Date(latest) : null;
    const probability = row.probability === null ? null : Number(row.probability);
    const healthScore = row.health_score === null ? null : Number(row.health_score);
    return {
      account: {
        id: String(row.id),
        externalId: String(row.external_id),
        name: String(row.name),
        email: String(row.email),
      },
      owner: row.owner_id ? { id: String(row.owner_id), name: String(row.owner_name) } : null,
      probability,
      riskBand: riskBandOf(probability),
      value: Number(row.value),
      valueAtRisk: Number(row.value_at_risk),
      healthScore,
      healthBand: (row.health_band as string | null) ?? null,
      healthTrend: healthTrend(healthScore, row.health_before === null ? null : Number(row.health_before)),
      raising: (row.raising as AccountRisk['raising']) ?? [],
      lowering: (row.lowering as AccountRisk['lowering']) ?? [],
      lastContactAt: lastContact ? lastContact.toISOString() : null,
      openTickets: support?.openTickets ?? 0,
      scoredAt: dateOf(row.scored_at).toISOString(),
    };
  });
}

const BAND_SQL: Record<RiskBand, SQL> = {
  high: sql`r.probability >= 0.5`,
  medium: sql`r.probability >= 0.2 and r.probability < 0.5`,
  low: sql`r.probability < 0.2`,
};

/** Current customers ranked by risk × expected value, with reasons, last contact, open tickets and owner. */
export async function listAtRisk(deps: Deps, userId: string, query: AtRiskQuery): Promise<AtRiskPage> {
  const where: SQL[] = [sql`r.probability is not null`];
  if (query.riskBand) where.push(BAND_SQL[query.riskBand]);
  if (query.healthBand) where.push(sql`r.health_band = ${query.healthBand}`);
  if (query.owner === 'me') where.push(sql`a.owner_id = ${userId}`);
  else if (query.owner === 'none') where.push(sql`a.owner_id is null`);
  else if (query.owner) where.push(sql`a.owner_id = ${query.owner}`);
  if (query.q) {
    const pattern = likePattern(query.q);
    where.push(sql`(a.name ilike ${pattern} or a.email ilike ${pattern} or a.external_id ilike ${pattern})`);
  }
  if (query.cursor) {
    const [value, id] = decodeCursor(query.cursor, 2);
    where.push(
      sql`(${VALUE_AT_RISK} < ${Number(value)} or (${VALUE_AT_RISK} = ${Number(value)} and a.id > ${String(id)}))`,
    );
  }
  const now = deps.now();
  const rows = await riskRows(deps.database.db, now, where, query.limit + 1);
  const page = toPage(
    rows,
    query.limit,
    (row) => row,
    (row) => [Number(row.value_at_risk), String(row.id)],
  );
  return { items: await presentRisks(deps.database.db, page.items, now), nextCursor: page.nextCursor };
}

async function assertAccount(db: Executor, accountId: string): Promise<void> {
  const found = rowsOf(await db.execute(sql`select 1 from customer_accounts where id = ${accountId}`));
  if (found.length === 0) throw notFound('customer account', accountId);
}

function presentOutreach(row: Record<string, unknown>): Outreach {
  return {
    id: String(row.id),
    kind: row.kind as Outreach['kind'],
    outcome: row.outcome as Outreach['outcome'],
    note: String(row.note),
    happenedAt: dateOf(row.happened_at).toISOString(),
    user: row.user_id ? { id: String(row.user_id), name: String(row.user_name) } : null,
    createdAt: dateOf(row.created_at).toISOString(),
  };
}

/** Everything retention knows of one account; an account never scored has no risk yet. */
export async function accountRetention(deps: Deps, accountId: string): Promise<AccountRetention> {
  const db = deps.database.db;
  await assertAccount(db, accountId);
  const now = deps.now();
  const [row] = await riskRows(db, now, [sql`a.id = ${accountId}`], 1);
  const outreachRows = rowsOf(
    await db.execute(sql`select o.*, u.name as user_name from retention_outreach o
      left join users u on u.id = o.user_id where o.account_id = ${accountId}
      order by o.happened_at desc, o.created_at desc limit 100`),
  );
  const history = rowsOf(
    await db.execute(sql`select day::text as day, probability, health_score, health_band from account_risk_history
      where account_id = ${accountId} and day > ${new Date(now.getTime() - 365 * DAY_MS).toISOString().slice(0, 10)}::date
      order by day`),
  ).map((h) => ({
    day: String(h.day),
    probability: h.probability === null ? null : Number(h.probability),
    healthScore: h.health_score === null ? null : Number(h.health_score),
    healthBand: (h.health_band as string | null) ?? null,
  }));
  const models = rowsOf(
    await db.execute(sql`select m.id, m.trained_at, m.summary from account_risk r join churn_models m on m.id = r.model_id
      where r.account_id = ${accountId}`),
  );
  const model = models[0]
    ? {
        id: String(models[0].id),
        trainedAt: dateOf(models[0].trained_at).toISOString(),
        auc: (models[0].summary as { auc?: number } | null)?.auc ?? null,
        modelName: (models[0].summary as { modelName?: string } | null)?.modelName ?? null,
      }
    : null;
  let risk: AccountRisk;
  let components: AccountRetention['healthComponents'] = [];
  if (row) {
    [risk] = (await presentRisks(db, [row], now)) as [AccountRisk];
    components = (row.health_components as AccountRetention['healthComponents']) ?? [];
  } else {
    const [account] = rowsOf(
      await db.execute(sql`select a.*, u.name as owner_name from customer_accounts a
        left join users u on u.id = a.owner_id where a.id = ${accountId}`),
    );
    const [unscored] = await presentRisks(
      db,
      [
        {
          ...account,
          owner_id: account!.owner_id,
          probability: null,
          value: 0,
          value_at_risk: 0,
          health_score: null,
          health_band: null,
          raising: [],
          lowering: [],
          scored_at: now,
          health_before: null,
          last_outreach: outreachRows[0]?.happened_at ?? null,
        },
      ],
      now,
    );
    risk = unscored!;
  }
  return {
    ...risk,
    healthComponents: components,
    history,
    outreach: outreachRows.map(presentOutreach),
    model,
  };
}

/** Logs a call, e-mail, meeting or note with an account, with its outcome. */
export async function logOutreach(
  deps: Deps,
  actor: Actor,
  accountId: string,
  body: OutreachBody,
): Promise<Outreach> {
  const now = deps.now();
  const happenedAt = body.happenedAt ? new Date(body.happenedAt) : now;
  if (happenedAt.getTime() > now.getTime() + 60_000) {
    throw new AppError('VALIDATION_FAILED', {
      message: 'happenedAt is in the future',
      errors: [{ field: 'happenedAt', message: 'is in the future' }],
    });
  }
  return withTransaction(deps.database, async (tx) => {
    await assertAccount(tx, accountId);
    const [row] = await tx
      .insert(outreach)
      .values({
        accountId,
        userId: actor.userId,
        kind: body.kind,
        outcome: body.outcome,
        note: body.note,
        happenedAt,
      })
      .returning();
    await recordChange(tx, actor, {
      action: 'account.outreach_logged',
      entityType: 'customer_account',
      entityId: accountId,
      data: { kind: body.kind, outcome: body.outcome },
    });
    const [user] = actor.userId
      ? rowsOf(await tx.execute(sql`select name from users where id = ${actor.userId}`))
      : [];
    return presentOutreach({
      id: row!.id,
      kind: row!.kind,
      outcome: row!.outcome,
      note: row!.note,
      happened_at: row!.happenedAt,
      created_at: row!.createdAt,
      user_id: row!.userId,
      user_name: user?.name ?? '',
    });
  });
}

/** The accounts of a contact (directly, or through its organisation) as the agent's sidebar shows them. */
export async function retentionGlance(deps: Deps, contactId: string): Promise<RetentionGlance> {
  const rows = await riskRows(
    deps.database.db,
    deps.now(),
    [
      sql`(a.contact_id = ${contactId} or a.organization_id = (select organization_id from contacts where id = ${contactId}))`,
    ],
    10,
  );
  return {
    items: rows.map((row) => {
      const probability = row.probability === null ? null : Number(row.probability);
      const raising = (row.raising as AccountRisk['raising']) ?? [];
      return {
        account: {
          id: String(row.id),
          externalId: String(row.external_id),
          name: String(row.name),
          email: String(row.email),
        },
        value: Number(row.value),
        probability,
        riskBand: riskBandOf(probability),
        healthBand: (row.health_band as string | null) ?? null,
        topReason: raising[0] ?? null,
      };
    }),
  };
}

export async function listChurnModels(deps: Deps): Promise<ChurnModelList> {
  const rows = await deps.database.db
    .select({
      id: churnModels.id,
      status: churnModels.status,
      trainedAt: churnModels.trainedAt,
      cutoff: churnModels.cutoff,
      horizonDays: churnModels.horizonDays,
      rows: churnModels.rows,
      positives: churnModels.positives,
      error: churnModels.error,
      seconds: churnModels.seconds,
      summary: churnModels.summary,
    })
    .from(churnModels)
    .orderBy(sql`${churnModels.trainedAt} desc`)
    .limit(20);
  return {
    items: rows.map(
      (row): ChurnModelInfo => ({
        id: row.id,
        status: row.status,
        trainedAt: row.trainedAt.toISOString(),
        cutoff: row.cutoff,
        horizonDays: row.horizonDays,
        rows: row.rows,
        positives: row.positives,
        error: row.error,
        seconds: row.seconds,
        auc: row.summary?.auc ?? null,
        accuracy: row.summary?.accuracy ?? null,
        logLoss: row.summary?.logLoss ?? null,
        modelName: row.summary?.modelName ?? null,
        candidates: row.summary?.candidates ?? [],
        drivers: row.summary?.topDrivers ?? [],
        reliability: row.summary?.reliability ?? [],
      }),
    ),
  };
}

export function getRetentionSettings(deps: Deps): Promise<RetentionSettings> {
  return retentionSettingsOf(deps);
}

export async function putRetentionSettings(
  deps: Deps,
  actor: Actor,
  body: RetentionSettings,
): Promise<RetentionSettings> {
  const problems = healthConfigProblems(body.health);
  if (problems.length > 0) {
    throw new AppError('VALIDATION_FAILED', {
      message: problems.map((p) => `health.${p.field}: ${p.message}`).join('; '),
      errors: problems.map((p) => ({ field: `health.${p.field}`, message: p.message })),
    });
  }
  await withTransaction(deps.database, async (tx) => {
    await tx
      .insert(retentionSettings)
      .values({ id: 1, ...body, updatedAt: deps.now() })
      .onConflictDoUpdate({ target: retentionSettings.id, set: { ...body, updatedAt: deps.now() } });
    await recordChange(tx, actor, {
      action: 'retention.settings_updated',
      entityType: 'retention_settings',
      entityId: '1',
      data: { inactiveDays: body.inactiveDays, horizonDays: body.horizonDays, retrainDays: body.retrainDays },
    });
  });
  return retentionSettingsOf(deps);
}
