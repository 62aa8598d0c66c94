#!/usr/bin/env node
// Runs the browser journeys in Debian's Chromium, or says in one line why they are skipped.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) {
  // CI installs Chromium and sets this, so a missing browser fails there instead of skipping.
  if (process.env.KEEPDESK_REQUIRE_BROWSER === '1') {
    process.stderr.write(`Browser journeys cannot run: ${CHROMIUM} not found\n`);
    process.exit(1);
  }
  process.stderr.write(
    `Browser journeys skipped: ${CHROMIUM} not found (install it with: apt-get install -y chromium)\n`,
  );
  process.exit(0);
}
const result = spawnSync('npx', ['playwright', 'test', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
