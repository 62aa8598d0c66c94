import { expect, test } from '@playwright/test';
import { signIn, unique } from './helpers';

test('a manager sets a monthly resolution-time target and sees its progress and status', async ({ page }) => {
  const name = `Resolve within a day ${unique()}`;
  await signIn(page);
  await page.locator('nav').getByRole('link', { name: 'Targets' }).click();
  await page.getByRole('button', { name: 'Add target' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('textbox', { name: 'Name' }).fill(name);
  await dialog.getByRole('combobox', { name: 'Metric' }).click();
  await page.getByRole('option', { name: 'Resolution time', exact: true }).click();
  await expect(dialog.getByRole('combobox', { name: 'Statistic' })).toHaveValue('Median');
  await dialog.getByText('At most').click();
  await dialog.getByRole('textbox', { name: 'Threshold' }).fill('1440');
  await dialog.getByRole('button', { name: 'Save' }).click();

  const row = page.getByRole('row', { name: new RegExp(name) });
  await expect(row).toContainText('≤ 24 h');
  await expect(row).toContainText('Whole workspace');
  await expect(row.getByTestId('target-status')).toBeVisible();
  // The card beside the list: a progress bar with value, threshold and forecast.
  const card = page.getByTestId('target-row').filter({ hasText: name });
  // The demo has no solved tickets this month yet: the bar is empty and the status says so.
  await expect(card.getByRole('progressbar', { name: `Progress of ${name}` })).toHaveAttribute(
    'aria-valuenow',
    '0',
  );
  await expect(card).toContainText('Not enough data');
  await expect(card).toContainText('target ≤ 24 h');
  await expect(card).toContainText('Forecast:');

  // A percent over 100 is refused beside the field.
  await row.getByRole('button', { name: 'Edit' }).click();
  await dialog.getByRole('combobox', { name: 'Metric' }).click();
  await page.getByRole('option', { name: 'CSAT' }).click();
  await dialog.getByRole('textbox', { name: 'Threshold' }).fill('120');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toContainText('a percent lies from 0 to 100');
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByRole('row', { name: new RegExp(name) })).toHaveCount(0);
});
