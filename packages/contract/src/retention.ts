import { z } from 'zod';
import { pageOf } from './common';

/** Risk bands of the churn probability: high from 50 %, medium from 20 %. */
export const RISK_BANDS = ['high', 'medium', 'low'] as const;
export const RiskBand = z.enum(RISK_BANDS);
export type RiskBand = z.infer<typeof RiskBand>;

export const HEALTH_SIGNALS = [
  'churnRisk',
  'usageTrend',
  'usageEvents',
  'openTickets',
  'tickets',
  'complaints',
  'reopened',
  'slaBreaches',
  'csat',
  'nps',
  'daysSinceContact',
  'mrr',
] as const;
export const HealthSignal = z.enum(HEALTH_SIGNALS);
export type HealthSignal = z.infer<typeof HealthSignal>;

/** The churn model's own features (docs/retention.md); usage and attribute columns carry a prefix instead. */
export const CHURN_BASE_FEATURES = [
  'tenure_days',
  'mrr',
  'plan',
  'mrr_change_90d',
  'orders_90d',
  'revenue_90d',
  'orders_365d',
  'days_since_order',
  'usage_30d',
  'usage_trend',
  'open_tickets',
  'tickets_90d',
  'complaints_90d',
  'reopened_90d',
  'sla_breaches_90d',
  'csat_90d',
  'nps',
  'days_since_contact',
] as const;
export type ChurnBaseFeature = (typeof CHURN_BASE_FEATURES)[number];
/** Prefix of the feature of one usage event's count (`usage.report.created`) … */
export const USAGE_FEATURE_PREFIX = 'usage.';
/** … and of one imported attribute (`attr.seats`). */
export const ATTRIBUTE_FEATURE_PREFIX = 'attr.';

export const RiskReason = z
  .object({
    column: z.string().meta({
      description:
        'The feature: tenure_days, mrr, plan, usage_30d, tickets_90d, … (docs/retention.md), usage.<event name> or attr.<attribute>',
    }),
    value: z.string().meta({ description: "The account's value of it ('(blank)' when unknown)" }),
    contribution: z.number().meta({ description: 'Change in log-odds of churn; above 0 raises the risk' }),
  })
  .meta({ id: 'RiskReason' });
export type RiskReason = z.infer<typeof RiskReason>;

export const HealthComponent = z.object({
  signal: HealthSignal,
  weight: z.number().gt(0, 'must be above 0').max(1000),
  bad: z.number().meta({ description: 'The value that earns 0 points' }),
  good: z.number().meta({ description: 'The value that earns 100 points' }),
});
export type HealthComponent = z.infer<typeof HealthComponent>;

export const HealthComponentScore = HealthComponent.extend({
  value: z.number().nullable(),
  points: z.number().nullable(),
});
export type HealthComponentScore = z.infer<typeof HealthComponentScore>;

export const HealthBand = z.object({
  key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'lower-case letters, digits and _'),
  min: z.number().min(0).max(100),
});

export const HealthConfig = z
  .object({
    components: z.array(HealthComponent).min(1).max(HEALTH_SIGNALS.length),
    bands: z.array(HealthBand).min(2).max(6).meta({ description: 'Best band first; the last starts at 0' }),
  })
  .meta({ id: 'HealthConfig' });
export type HealthConfig = z.infer<typeof HealthConfig>;

export const RetentionSettings = z
  .object({
    health: HealthConfig,
    inactiveDays: z.number().int().min(7).max(3650).meta({
      description: 'An account without subscriptions has churned after this many days without an order',
    }),
    horizonDays: z
      .number()
      .int()
      .min(7)
      .max(730)
      .meta({ description: 'The model predicts churn within this many days' }),
    retrainDays: z
      .number()
      .int()
      .min(1)
      .max(365)
      .meta({ description: 'Days after which the model is trained again' }),
  })
  .meta({ id: 'RetentionSettings' });
export type RetentionSettings = z.infer<typeof RetentionSettings>;

const AccountRef = z.object({ id: z.uuid(), externalId: z.string(), name: z.string(), email: z.string() });
const UserRef = z.object({ id: z.uuid(), name: z.string() });

/** An account's risk, value and health as the last scoring left them, with what the list needs beside them. */
export const AccountRisk = z
  .object({
    account: AccountRef,
    owner: UserRef.nullable(),
    probability: z
      .number()
      .nullable()
      .meta({ description: 'Calibrated probability of churn within the horizon' }),
    riskBand: RiskBand.nullable(),
    value: z.number().meta({ description: 'Expected revenue of the next 12 months' }),
    valueAtRisk: z.number().meta({ description: 'probability × value: what the list is ranked by' }),
    healthScore: z.number().nullable(),
    healthBand: z.string().nullable(),
    healthTrend: z.number().nullable().meta({ description: 'Health score now minus 30 days ago' }),
    raising: z.array(RiskReason),
    lowering: z.array(RiskReason),
    lastContactAt: z.iso
      .datetime()
      .nullable()
      .meta({ description: 'The latest public ticket message or logged outreach' }),
    openTickets: z.number().int(),
    scoredAt: z.iso.datetime(),
  })
  .meta({ id: 'AccountRisk' });
export type AccountRisk = z.infer<typeof AccountRisk>;
export const AtRiskPage = pageOf(AccountRisk);
export type AtRiskPage = z.infer<typeof AtRiskPage>;

export const AtRiskQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  riskBand: RiskBand.optional(),
  healthBand: z.string().max(40).optional(),
  owner: z
    .union([z.literal('me'), z.literal('none'), z.uuid()])
    .optional()
    .meta({ description: "A user id, 'me' or 'none'" }),
  q: z.string().max(200).optional().meta({ description: 'Part of a name, e-mail address or external id' }),
});
export type AtRiskQuery = z.infer<typeof AtRiskQuery>;

export const OUTREACH_KINDS = ['call', 'email', 'meeting', 'note'] as const;
export const OUTREACH_OUTCOMES = ['reached', 'no_answer', 'follow_up', 'saved', 'lost'] as const;

export const OutreachBody = z.object({
  kind: z.enum(OUTREACH_KINDS),
  outcome: z.enum(OUTREACH_OUTCOMES),
  note: z.string().trim().max(5000).default(''),
  happenedAt: z.iso
    .datetime({ offset: true })
    .optional()
    .meta({ description: 'When it happened; now when left out; never in the future' }),
});
export type OutreachBody = z.infer<typeof OutreachBody>;

export const Outreach = z
  .object({
    id: z.uuid(),
    kind: z.enum(OUTREACH_KINDS),
    outcome: z.enum(OUTREACH_OUTCOMES),
    note: z.string(),
    happenedAt: z.iso.datetime(),
    user: UserRef.nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Outreach' });
export type Outreach = z.infer<typeof Outreach>;

export const ChurnDriver = z.object({
  feature: z.string(),
  importance: z.number(),
  direction: z.enum(['higher-raises-risk', 'higher-lowers-risk', 'by-level']),
  riskiestLevel: z.string().optional(),
  safestLevel: z.string().optional(),
});

export const ChurnModelInfo = z
  .object({
    id: z.uuid(),
    status: z.enum(['active', 'retired', 'failed']),
    trainedAt: z.iso.datetime(),
    cutoff: z
      .string()
      .meta({ description: 'The day the features were taken; labels are the horizon after it' }),
    horizonDays: z.number().int(),
    rows: z.number().int(),
    positives: z.number().int(),
    error: z.string().nullable().meta({ description: 'Why the training failed (the active model stayed)' }),
    seconds: z.number().nullable(),
    auc: z.number().nullable(),
    accuracy: z.number().nullable(),
    logLoss: z.number().nullable(),
    modelName: z.string().nullable(),
    candidates: z.array(z.object({ name: z.string(), auc: z.number() })),
    drivers: z.array(ChurnDriver),
    reliability: z.array(
      z.object({
        lower: z.number(),
        upper: z.number(),
        count: z.number().int(),
        meanPredicted: z.number().nullable(),
        observedRate: z.number().nullable(),
      }),
    ),
  })
  .meta({ id: 'ChurnModelInfo' });
export type ChurnModelInfo = z.infer<typeof ChurnModelInfo>;
export const ChurnModelList = z.object({ items: z.array(ChurnModelInfo) });
export type ChurnModelList = z.infer<typeof ChurnModelList>;

/** Everything retention knows about one account: risk with all reasons, health components, trend, outreach. */
export const AccountRetention = AccountRisk.extend({
  healthComponents: z.array(HealthComponentScore),
  history: z.array(
    z.object({
      day: z.string(),
      probability: z.number().nullable(),
      healthScore: z.number().nullable(),
      healthBand: z.string().nullable(),
    }),
  ),
  outreach: z.array(Outreach).meta({ description: 'Newest first' }),
  model: z
    .object({
      id: z.uuid(),
      trainedAt: z.iso.datetime(),
      auc: z.number().nullable(),
      modelName: z.string().nullable(),
    })
    .nullable(),
}).meta({ id: 'AccountRetention' });
export type AccountRetention = z.infer<typeof AccountRetention>;

/** What the agent's sidebar shows of the accounts behind a contact. */
export const RetentionGlance = z
  .object({
    items: z.array(
      z.object({
        account: AccountRef,
        value: z.number(),
        probability: z.number().nullable(),
        riskBand: RiskBand.nullable(),
        healthBand: z.string().nullable(),
        topReason: RiskReason.nullable(),
      }),
    ),
  })
  .meta({ id: 'RetentionGlance' });
export type RetentionGlance = z.infer<typeof RetentionGlance>;

export const RetentionGlanceQuery = z.object({ contactId: z.uuid() });

export const ScoringRun = z.object({
  training: z
    .object({
      modelId: z.uuid(),
      status: z.enum(['active', 'failed']),
      error: z.string().nullable(),
      rows: z.number().int(),
      positives: z.number().int(),
      auc: z.number().nullable(),
      seconds: z.number(),
    })
    .nullable(),
  scored: z.number().int(),
  bandDrops: z.number().int(),
  seconds: z.number(),
});
export type ScoringRun = z.infer<typeof ScoringRun>;
