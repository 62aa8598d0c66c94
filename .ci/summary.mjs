// Sums the vitest and Playwright JSON reports into the closing "N passed, N failed" line.
import { existsSync, readFileSync } from 'node:fs';

const [dir, failedStagesArg] = process.argv.slice(2);
let passed = 0;
let failed = Number(failedStagesArg ?? 0);
const read = (file) =>
  existsSync(`${dir}/${file}`) ? JSON.parse(readFileSync(`${dir}/${file}`, 'utf8')) : null;

const vitest = read('vitest.json');
if (vitest) {
  passed += vitest.numPassedTests;
  failed += vitest.numFailedTests;
}
const playwright = read('playwright.json');
if (playwright) {
  passed += playwright.stats.expected + playwright.stats.flaky;
  failed += playwright.stats.unexpected;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
