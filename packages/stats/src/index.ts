export { quantile, type Summary, summarize } from './summary';
