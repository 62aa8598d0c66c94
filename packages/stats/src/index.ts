export * from './churn';
export * from './clv';
export {
  type CsatAnswer,
  type CsatScale,
  ces,
  cesOfMoments,
  csat,
  type Interval,
  type NpsCounts,
  nps,
  npsOfCounts,
  responseRate,
  tCritical95,
  wilson,
} from './feedback';
export { addHistogram, bucketOf, bucketRange, HISTOGRAM_BUCKETS, histogramQuantile } from './histogram';
export * from './retention';
export { quantile, type Summary, summarize } from './summary';
export { type Sentiment, sentimentOf, tokens } from './text/sentiment';
export { findThemes, type Theme, type ThemeDocument, type ThemeOptions } from './text/themes';
