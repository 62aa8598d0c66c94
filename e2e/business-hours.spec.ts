import { expect, test } from '@playwright/test';
import { signIn, unique } from './helpers';

test('an admin sets up business hours with a lunch break and Bavarian holidays', async ({ page }) => {
  const name = `Munich office ${unique()}`;
  await signIn(page);
  await page.locator('nav').getByRole('link', { name: 'Business hours' }).click();
  await page.getByRole('button', { name: 'Add calendar' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('textbox', { name: 'Name' }).fill(name);
  await dialog.getByRole('combobox', { name: 'Time zone' }).fill('Europe/Ber');
  await page.getByRole('option', { name: 'Europe/Berlin' }).click();
  // Saturday mornings, too.
  await dialog.getByTestId('day-sat').getByRole('button', { name: 'Add hours' }).click();
  await dialog.getByRole('textbox', { name: 'Saturday from' }).fill('09:00');
  await dialog.getByRole('textbox', { name: 'Saturday to' }).fill('12:00');
  await dialog.getByRole('combobox', { name: 'State or region' }).click();
  await page.getByRole('option', { name: 'Bayern' }).click();
  await dialog.getByRole('button', { name: 'Save' }).click();

  const row = page.getByRole('row', { name: new RegExp(name) });
  await expect(row).toContainText('Sat 09:00–12:00');
  await expect(row).toContainText('DE-BY');
  await row.click();
  const days = page.getByTestId('closed-days');
  await expect(days).toContainText(name);
  await days.getByRole('textbox', { name: 'Year' }).fill('2026');
  await expect(days).toContainText('Heilige Drei Könige');
  await days.getByRole('textbox', { name: 'Day off' }).fill('2026-12-24');
  await days.getByRole('textbox', { name: 'Name', exact: true }).fill('Heiligabend');
  await days.getByRole('button', { name: 'Add day' }).click();
  await expect(days.getByRole('row', { name: /Heiligabend/ })).toContainText('Own day');
});
