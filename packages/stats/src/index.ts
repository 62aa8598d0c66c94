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
export { quantile, type Summary, summarize } from './summary';
