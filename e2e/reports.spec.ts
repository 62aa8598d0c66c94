import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { signIn } from './helpers';

/**
 * The reporting worker counts the demo's tickets a moment after start and builds the day rows of the users'
 * time zone (Europe/Berlin) within its first half minute.
 */
async function waitForReports(page: Page): Promise<void> {
  await expect
    .poll(
      async () => {
        const res = await page.request.get('/api/v1/reports/catalogue');
        const zones = res.ok()
          ? ((await res.json()) as { timeZones: { zone: string; ready: boolean }[] }).timeZones
          : [];
        return zones.some((z) => z.zone === 'Europe/Berlin' && z.ready);
      },
      { timeout: 60_000, intervals: [1_000] },
    )
    .toBe(true);
}

test('a manager opens the dashboard, drills from first response time to the slowest tickets and exports it', async ({
  page,
}) => {
  test.setTimeout(90_000);
  await signIn(page, 'manager@demo.keepdesk.test');
  await waitForReports(page);

  await page.locator('nav').getByRole('link', { name: 'Berichte', exact: true }).click();
  await expect(page).toHaveURL(/\/reports$/);
  await expect(page.getByRole('heading', { name: 'Berichte' })).toBeVisible();
  const frt = page.getByTestId('widget-first_response_time');
  await expect(frt).toContainText('Erste Antwortzeit (Median)');
  await expect(page.getByTestId('widget-backlog')).toBeVisible();
  await expect(page.getByTestId('arrivals-heatmap')).toBeVisible();

  await frt.getByRole('button', { name: /Erste Antwortzeit \(Median\): .*Tickets anzeigen/ }).click();
  const drawer = page.getByRole('dialog', { name: 'Tickets hinter: Erste Antwortzeit (Median)' });
  const rows = drawer.getByTestId('drilldown-row');
  await expect(rows.first()).toBeVisible();
  const values = await rows.evaluateAll((list) => list.map((row) => Number(row.getAttribute('data-value'))));
  expect(values.length).toBeGreaterThan(0);
  expect(values[0]).toBe(Math.max(...values));
  expect(values).toEqual([...values].sort((a, b) => b - a));

  const first = rows.first().getByRole('link').first();
  const number = (await first.textContent())!.replace('#', '');
  await first.click();
  await expect(page).toHaveURL(/\/tickets\/[0-9a-f-]{36}$/);
  await expect(page.getByText(`#${number}`).first()).toBeVisible();

  // Export of one widget: the server renders the PDF, the browser saves it.
  await page.goBack();
  await expect(frt).toBeVisible();
  await frt.getByRole('button', { name: 'Erste Antwortzeit (Median) exportieren' }).click();
  const download = page.waitForEvent('download');
  await page.getByRole('menuitem', { name: 'PDF' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/\.pdf$/);
  expect(
    readFileSync((await file.path())!)
      .subarray(0, 4)
      .toString('latin1'),
  ).toBe('%PDF');
});

test('an agent sees their own numbers, not the manager dashboard', async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page, 'agent@demo.keepdesk.test');
  await waitForReports(page);
  await page.locator('nav').getByRole('link', { name: 'Reports' }).click();
  await expect(page).toHaveURL(/\/reports\/me$/);
  await expect(page.getByRole('heading', { name: 'My numbers' })).toBeVisible();
  await expect(page.getByTestId('my-queue')).toBeVisible();
  await expect(page.getByTestId('widget-first_response_time')).toBeVisible();
  await expect(page.getByRole('tab', { name: 'Overview' })).toHaveCount(0);
  await expect(page.getByTestId('widget-backlog')).toHaveCount(0);
});
