/** Synthetic data for the churn tests: seeded, so every run sees the same rows. */
import type { FeatureMatrix } from './feature-encoder';
import { sigmoid } from './metrics';
import { createRandom } from './random';

/**
 * An XOR-like interaction: churn is likely when x0 and x1 have the same sign, unlikely otherwise, so neither
 * feature alone (nor any linear model) tells anything; x2 … are noise.
 */
export function makeInteractionData(rowCount: number, featureCount: number, seed: number) {
  const random = createRandom(seed);
  const values = new Float64Array(rowCount * featureCount);
  const labels = new Uint8Array(rowCount);
  for (let row = 0; row < rowCount; row++) {
    for (let feature = 0; feature < featureCount; feature++)
      values[row * featureCount + feature] = random() * 2 - 1;
    const sameSign = values[row * featureCount]! * values[row * featureCount + 1]! > 0;
    labels[row] = random() < sigmoid(sameSign ? 2 : -2) ? 1 : 0;
  }
  const matrix: FeatureMatrix = { rowCount, featureCount, values };
  return { matrix, labels };
}

const CONTRACTS = ['Month-to-month', 'One year', 'Two year'] as const;
const CONTRACT_RISK = { 'Month-to-month': 1.2, 'One year': -0.6, 'Two year': -1.8 };

/**
 * A small customer table of string cells like a parsed CSV: month-to-month contracts and short tenure raise
 * churn, region is noise, some tenure cells are blank.
 */
export function makeCustomerTable(rowCount: number, seed: number) {
  const random = createRandom(seed);
  const rows = Array.from({ length: rowCount }, (_, row) => {
    const contract = CONTRACTS[Math.floor(random() * 3)]!;
    const tenure = Math.floor(random() * 72);
    const charges = 20 + random() * 100;
    const region = ['north', 'south', 'east'][Math.floor(random() * 3)]!;
    const logOdds = CONTRACT_RISK[contract] - 0.04 * tenure + 0.01 * (charges - 70);
    return [
      `cust-${row}`,
      contract,
      random() < 0.05 ? ' ' : String(tenure),
      charges.toFixed(2),
      region,
      random() < sigmoid(logOdds) ? 'Yes' : 'No',
    ];
  });
  return { header: ['customerID', 'Contract', 'tenure', 'MonthlyCharges', 'Region', 'Churn'], rows };
}
