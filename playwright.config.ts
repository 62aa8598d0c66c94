import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { CATCHER_PORT, LISTENER_PORT } from './e2e/mail-catcher';

/**
 * Browser journeys in Debian's Chromium against a real Keepdesk: the web app is built, then the server
 * starts on a fresh embedded database with the demo workspace. Nothing is downloaded.
 */
const PORT = 3917;
const dataDir = mkdtempSync(path.join(tmpdir(), 'keepdesk-e2e-'));
/** `KEEPDESK_TEST_REPORTS=DIR` (set by `.ci/run`) also writes DIR/playwright.json for the CI summary. */
const reports = process.env.KEEPDESK_TEST_REPORTS;

export default defineConfig({
  testDir: 'e2e',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  workers: 1,
  retries: 0,
  forbidOnly: true,
  reporter: reports ? [['list'], ['json', { outputFile: `${reports}/playwright.json` }]] : 'list',
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    locale: 'en-US',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  // Outbound mail goes to a real SMTP server the journeys read (e2e/mail-catcher.ts); inbound mail comes in
  // through Keepdesk's own SMTP listener.
  globalSetup: './e2e/mail-catcher.ts',
  webServer: {
    command: `npm run -s build -w @keepdesk/web && node apps/server/bin/keepdesk.mjs start --demo --data-dir ${dataDir} --port ${PORT} --smtp-port ${LISTENER_PORT}`,
    url: `http://127.0.0.1:${PORT}/readyz`,
    env: {
      KEEPDESK_LOG_LEVEL: 'warn',
      KEEPDESK_AUTH_RATE_LIMIT: '1000',
      // Every journey comes from 127.0.0.1: one client to the per-client limit, which its own tests cover.
      KEEPDESK_RATE_LIMIT: '100000',
      KEEPDESK_MAIL_TRANSPORT: 'smtp',
      KEEPDESK_SMTP_URL: `smtp://127.0.0.1:${CATCHER_PORT}`,
      KEEPDESK_MAIL_RETRY_SECONDS: '2',
    },
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
