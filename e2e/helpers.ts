import { expect, type Page } from '@playwright/test';

export const DEMO_PASSWORD = 'keepdesk-demo';
export const ADMIN = { email: 'admin@demo.keepdesk.test', name: 'Alex Admin' };

/** A suffix that keeps names of one run apart from earlier runs on the same database. */
export function unique(): string {
  return Math.random().toString(36).slice(2, 8);
}

export async function signIn(page: Page, email = ADMIN.email, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('E-mail').fill(email);
  await page.getByRole('textbox', { name: 'Password' }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('user-menu')).toBeVisible();
}
