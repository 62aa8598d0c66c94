import { z } from 'zod';

const CurrencyCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{3}$/, 'not a three-letter currency code (ISO 4217)')
  .meta({ description: 'ISO 4217 code; default: the currency most orders are in' });

export const LifetimeValueQuery = z.object({
  holdoutWeeks: z.coerce
    .number()
    .int('must be a whole number of weeks')
    .min(1)
    .max(260)
    .default(26)
    .meta({ description: 'Weeks before today held out to check the fit; the calibration period ends then' }),
  currency: CurrencyCode.optional(),
});
export type LifetimeValueQuery = z.infer<typeof LifetimeValueQuery>;

const Fitted = {
  logLikelihood: z.number(),
  converged: z.boolean(),
  iterations: z.number().int(),
};

export const HoldoutComparisonRow = z.object({
  frequency: z.number().int().meta({ description: 'Repeat purchases in the calibration period' }),
  orMore: z.boolean().meta({ description: 'The last row counts this many repeat purchases and more' }),
  customers: z.number().int(),
  actual: z.number().meta({ description: 'Mean purchases per customer in the holdout period' }),
  expected: z.number().meta({ description: 'What BG/NBD expected per customer' }),
});
export type HoldoutComparisonRow = z.infer<typeof HoldoutComparisonRow>;

export const PurchaseModelFit = z.object({
  calibrationEnd: z.string().meta({ description: 'Last day of the calibration period (YYYY-MM-DD)' }),
  bgnbd: z.object({ r: z.number(), alpha: z.number(), a: z.number(), b: z.number(), ...Fitted }),
  gammaGamma: z.object({ p: z.number(), q: z.number(), gamma: z.number(), ...Fitted }).nullable(),
  gammaGammaSkipped: z.string().nullable().meta({ description: 'Why Gamma-Gamma was not fitted' }),
  customers: z.number().int().meta({ description: 'Buyers with a first order in the calibration period' }),
  repeatBuyers: z.number().int(),
  frequencySpendCorrelation: z.number().nullable(),
  holdout: z
    .object({
      weeks: z.number(),
      actual: z.number().meta({ description: 'Purchases in the holdout period' }),
      expected: z.number(),
      byFrequency: z.array(HoldoutComparisonRow),
    })
    .nullable(),
});
export type PurchaseModelFit = z.infer<typeof PurchaseModelFit>;

export const SurvivalPoint = z.object({
  month: z.number().int().meta({ description: 'Months since the subscription started' }),
  cohorts: z.number().int().meta({ description: 'Cohorts observed this long' }),
  actual: z.number().meta({ description: 'Share of those cohorts still subscribed' }),
  expected: z.number().meta({ description: 'Share the sBG model projects, S(month)' }),
});
export type SurvivalPoint = z.infer<typeof SurvivalPoint>;

export const SubscriptionModelFit = z.object({
  alpha: z.number(),
  beta: z.number(),
  ...Fitted,
  cohorts: z.number().int().meta({ description: 'Monthly cohorts (by start month) in the fit' }),
  subscribers: z.number().int(),
  survival: z.array(SurvivalPoint),
});
export type SubscriptionModelFit = z.infer<typeof SubscriptionModelFit>;

export const LifetimeValueReport = z.object({
  currency: z.string(),
  today: z.string(),
  purchases: PurchaseModelFit.nullable().meta({ description: 'BG/NBD and Gamma-Gamma on the orders' }),
  purchasesSkipped: z
    .string()
    .nullable()
    .meta({ description: 'Why there is no order fit, and what it needs' }),
  subscriptions: SubscriptionModelFit.nullable().meta({
    description: 'Shifted-beta-geometric fit on monthly subscription cohorts',
  }),
  subscriptionsSkipped: z.string().nullable(),
});
export type LifetimeValueReport = z.infer<typeof LifetimeValueReport>;

export const AccountLifetimeValue = z.object({
  currency: z.string(),
  historic: z.object({
    orderRevenue: z.number(),
    subscriptionRevenue: z.number().meta({ description: 'MRR × months subscribed to date' }),
    revenue: z.number(),
    orders: z.number().int(),
    averageOrderValue: z.number().nullable(),
    firstPurchaseOn: z.string().nullable(),
    lastPurchaseOn: z.string().nullable(),
  }),
  buyer: z
    .object({
      probabilityAlive: z.number(),
      expectedPurchases: z.number().meta({ description: 'Expected purchases in the next 12 months' }),
      expectedSpend: z.number().nullable().meta({ description: 'Expected spend per purchase (Gamma-Gamma)' }),
      value: z
        .number()
        .nullable()
        .meta({ description: 'Discounted value of the next 12 months (10 % a year)' }),
    })
    .nullable(),
  buyerSkipped: z.string().nullable(),
  subscriber: z
    .object({
      mrr: z.number(),
      monthsSubscribed: z.number().int(),
      expectedRemainingMonths: z
        .number()
        .nullable()
        .meta({ description: 'Discounted expected months still to pay (sBG, 10 % a year)' }),
      value: z.number().nullable().meta({ description: 'MRR × discounted expected remaining months' }),
    })
    .nullable(),
  subscriberSkipped: z.string().nullable(),
});
export type AccountLifetimeValue = z.infer<typeof AccountLifetimeValue>;
