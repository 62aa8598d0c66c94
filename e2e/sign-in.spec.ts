import { expect, test } from '@playwright/test';
import { ADMIN, DEMO_PASSWORD, signIn } from './helpers';

test('an agent signs in, sees the shell and signs out', async ({ page }) => {
  await page.goto('/settings/teams');
  await expect(page).toHaveURL(/\/login\?redirect=/);
  await page.getByLabel('E-mail').fill(ADMIN.email);
  await page.getByRole('textbox', { name: 'Password' }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();

  await expect(page).toHaveURL(/\/settings\/teams$/);
  await expect(page.getByTestId('user-menu')).toContainText(ADMIN.name);
  await expect(page.getByRole('link', { name: 'API tokens' })).toBeVisible();

  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto('/');
  await expect(page).toHaveURL(/\/login/);
});

test('a wrong password gets the generic message', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('E-mail').fill(ADMIN.email);
  await page.getByRole('textbox', { name: 'Password' }).fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('E-mail or password is wrong.');
});

test('a collaborator sees only the areas a collaborator may use', async ({ page }) => {
  await signIn(page, 'sales@demo.keepdesk.test');
  await expect(page.getByRole('link', { name: 'Teams' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Roles' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'API tokens' })).toHaveCount(0);
});

test('someone who forgot the password gets a neutral confirmation', async ({ page }) => {
  await page.goto('/login');
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await page.getByLabel('E-mail').fill('nobody@example.com');
  await page.getByRole('button', { name: 'Send link' }).click();
  await expect(page.getByRole('status')).toContainText('If an account exists for this address');
});
