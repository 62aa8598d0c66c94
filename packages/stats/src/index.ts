export {
  type CsatAnswer,
  type CsatScale,
  ces,
  csat,
  type Interval,
  nps,
  responseRate,
  tCritical95,
  wilson,
} from './feedback';
export { quantile, type Summary, summarize } from './summary';
