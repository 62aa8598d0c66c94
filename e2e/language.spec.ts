import { expect, test } from '@playwright/test';
import { signIn } from './helpers';

test('a user switches to German and keeps it after a reload', async ({ page }) => {
  await signIn(page, 'agent@demo.keepdesk.test');
  await expect(page.getByRole('link', { name: 'Profile' })).toBeVisible();

  await page.getByTestId('user-menu').click();
  const saved = page.waitForResponse(
    (res) => res.url().endsWith('/api/v1/me') && res.request().method() === 'PATCH',
  );
  await page.getByRole('menuitem', { name: 'Deutsch' }).click();
  expect((await saved).status()).toBe(200);
  await expect(page.getByRole('link', { name: 'Profil' })).toBeVisible();
  await expect(page.getByText('Einstellungen')).toBeVisible();

  await page.reload();
  await expect(page.getByRole('link', { name: 'Profil' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');

  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitem', { name: 'English' }).click();
  await expect(page.getByRole('link', { name: 'Profile' })).toBeVisible();
});
