/** Customer-lifetime-value models: BG/NBD, Gamma-Gamma, shifted-beta-geometric, and what they need. */
export {
  type BgNbdFit,
  type BgNbdFitOptions,
  type BgNbdParameters,
  bgNbdConditionalExpectedPurchases,
  bgNbdExpectedPurchases,
  bgNbdLogLikelihood,
  bgNbdProbabilityAlive,
  fitBgNbd,
  type PurchaseHistory,
  type WeightedPurchaseHistory,
} from './bgnbd';
export {
  type CustomerPurchaseSummary,
  type PurchaseSummary,
  type PurchaseSummaryOptions,
  summarizePurchases,
  type Transaction,
} from './customer-summary';
export {
  fitGammaGamma,
  type GammaGammaFit,
  type GammaGammaFitOptions,
  type GammaGammaParameters,
  gammaGammaExpectedSpend,
  gammaGammaLogLikelihood,
  type SpendHistory,
} from './gamma-gamma';
export {
  customerLifetimeValue,
  type LifetimeValue,
  type LifetimeValueCustomer,
  type LifetimeValueOptions,
} from './lifetime-value';
export { type MinimizeOptions, type MinimizeResult, minimizeNelderMead, minimizePositive } from './optimize';
export {
  fitShiftedBetaGeometric,
  type ShiftedBetaGeometricFit,
  type ShiftedBetaGeometricFitOptions,
  type ShiftedBetaGeometricParameters,
  shiftedBetaGeometricChurnProbability,
  shiftedBetaGeometricDiscountedExpectedLifetime,
  shiftedBetaGeometricExpectedLifetime,
  shiftedBetaGeometricLogLikelihood,
  shiftedBetaGeometricRetentionRate,
  shiftedBetaGeometricSurvival,
} from './shifted-beta-geometric';
export {
  type HypergeometricOptions,
  hypergeometric2F1,
  logAddExp,
  logBeta,
  logGamma,
  logHypergeometric2F1,
  type SignedLog,
} from './special';
