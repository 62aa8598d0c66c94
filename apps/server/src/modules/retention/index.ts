/** Retention analytics: customer lifetime value, churn and retention. */
export {
  dayOfOption,
  fitLifetimeValue,
  historiesOfSummaryCsv,
  historiesOfTransactions,
  transactionsOfCsv,
} from './clv.files';
