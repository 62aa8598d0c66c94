import { expect, test } from '@playwright/test';
import { signIn, unique } from './helpers';

const RITA = 'retention@demo.keepdesk.test';

test('the retention specialist checks a CSV file of accounts, sees the bad row by line, and imports it', async ({
  page,
}) => {
  const id = unique().toUpperCase();
  // The ID column is named in German, so it must be mapped; line 3 has an e-mail that is not one.
  const csv = [
    'Kundennummer,name,email,plan_tier',
    `E2E-${id}-1,Alpha GmbH,alpha@example.com,gold`,
    `E2E-${id}-2,Beta AG,not-an-address,silver`,
    `E2E-${id}-3,Gamma KG,,bronze`,
    '',
  ].join('\n');
  await signIn(page, RITA);
  await page.goto('/retention');
  await page.getByRole('tab', { name: 'Import' }).click();
  await expect(page).toHaveURL(/\/retention\/import$/);
  await expect(page.getByRole('heading', { name: 'Import customer data' })).toBeVisible();

  await page
    .locator('input[type="file"]')
    .setInputFiles({ name: 'accounts.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
  await expect(page.getByTestId('csv-header')).toContainText('Kundennummer');
  await expect(page.getByRole('combobox', { name: 'email', exact: true })).toHaveValue('email');

  // Without a column for the required ID the check is refused, naming the field.
  await expect(page.getByTestId('missing-required')).toContainText('Column missing for "external_id"');
  await page.getByRole('button', { name: 'Check (dry run)' }).click();
  await expect(page.getByTestId('import-problem')).toContainText('Column missing for "external_id"');
  await expect(page.getByTestId('import-problem')).toContainText('no column "external_id"');

  await page.getByRole('combobox', { name: 'external_id', exact: true }).click();
  await page.getByRole('option', { name: 'Kundennummer' }).click();
  await expect(page.getByTestId('import-problem')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Import', exact: true })).toBeDisabled();

  await page.getByRole('button', { name: 'Check (dry run)' }).click();
  const check = page.getByTestId('import-check');
  await expect(check).toContainText('nothing has been written yet');
  await expect(check.getByTestId('import-rows')).toHaveText('3');
  await expect(check.getByTestId('import-created')).toHaveText('2');
  await expect(check.getByTestId('import-bad')).toHaveText('1');
  await expect(check.getByTestId('preview-row')).toHaveCount(2);
  await expect(check.getByTestId('preview-row').first()).toContainText(`E2E-${id}-1`);
  await expect(check.getByTestId('preview-row').first()).toContainText('"plan_tier":"gold"');
  const bad = check.getByTestId('import-error');
  await expect(bad).toHaveCount(1);
  await expect(bad.locator('td').nth(0)).toHaveText('3');
  await expect(bad.locator('td').nth(1)).toHaveText('email');

  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const result = page.getByTestId('import-result');
  await expect(result).toContainText('Imported');
  await expect(result.getByTestId('import-created')).toHaveText('2');
  await expect(result.getByTestId('import-updated')).toHaveText('0');
  await expect(result.getByTestId('import-error')).toContainText('Invalid email address');

  const res = await page.request.get(`/api/v1/customer-accounts?q=E2E-${id}`);
  const names = ((await res.json()) as { items: { name: string }[] }).items.map((a) => a.name).sort();
  expect(names).toEqual(['Alpha GmbH', 'Gamma KG']);
});

test('the retention specialist changes a health weight, keeps it, and is told about a bad band order', async ({
  page,
}) => {
  await signIn(page, RITA);
  const original = await (await page.request.get('/api/v1/retention/settings')).json();
  try {
    await expect(page.locator('nav').getByRole('link', { name: 'Health scores' })).toBeVisible();
    await page.goto('/retention');
    await page.getByRole('link', { name: 'Health score settings' }).click();
    await expect(page).toHaveURL(/\/settings\/retention$/);
    await expect(page.getByRole('heading', { name: 'Retention settings' })).toBeVisible();

    const weight = page.getByRole('textbox', { name: 'Weight: Churn risk' });
    await weight.fill('35');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByText('Saved')).toBeVisible();
    await page.reload();
    await expect(page.getByRole('textbox', { name: 'Weight: Churn risk' })).toHaveValue('35');

    // The second band may not start above the first.
    const second = page.getByRole('textbox', { name: 'Minimum score 2' });
    await second.fill('95');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByTestId('settings-errors')).toBeVisible();
    await expect(page.getByTestId('health-band').nth(1)).toContainText('must be below the band before it');

    // The defaults come from the server; they are kept only once saved.
    await page.getByRole('button', { name: 'Reset to defaults' }).click();
    await expect(page.getByRole('textbox', { name: 'Weight: Churn risk' })).toHaveValue('40');
    await expect(page.getByRole('textbox', { name: 'Minimum score 2' })).toHaveValue('40');
  } finally {
    const csrf = await page.evaluate(
      async () => ((await (await fetch('/api/v1/me')).json()) as { csrfToken: string }).csrfToken,
    );
    await page.request.put('/api/v1/retention/settings', {
      headers: { 'x-csrf-token': csrf },
      data: original,
    });
  }
});
