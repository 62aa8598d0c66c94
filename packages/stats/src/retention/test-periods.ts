import type { SubscriptionPeriod } from './input';

/** A subscription period for tests: account, MRR, first day, end day (null while it runs), cancel reason. */
export function period(
  account: string,
  mrr: number,
  startedOn: string,
  endedOn: string | null = null,
  cancelReason: string | null = null,
): SubscriptionPeriod {
  return { account, mrr, startedOn, endedOn, cancelReason };
}

/**
 * Worked example (docs/metrics.md). End of December 2023: A 100, E 120, H 40 = 260 from 3 customers. January:
 * B new 200, H churned 40 → 420. February: A upgrades 100 → 150, C comes back with 90 on the last day → 560.
 * March: B cancels on the 31st, D starts on the 31st → 410. April: E downgrades 120 → 70 → 360.
 */
export const EXAMPLE: SubscriptionPeriod[] = [
  period('A', 100, '2023-11-15', '2024-02-10'),
  period('A', 150, '2024-02-10'),
  period('B', 200, '2024-01-05', '2024-03-31', 'price'),
  period('C', 80, '2023-06-01', '2023-09-01', 'budget'),
  period('C', 90, '2024-02-29'),
  period('D', 50, '2024-03-31'),
  period('E', 120, '2023-12-01', '2024-04-01'),
  period('E', 70, '2024-04-01'),
  period('F', 0, '2024-01-01'),
  period('G', 60, '2024-01-10', '2024-01-25', 'trial only'),
  period('H', 40, '2023-12-31', '2024-01-01'),
];
