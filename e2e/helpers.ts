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

/** A ticket written in through the API by the signed-in user's session, as a channel would. */
export async function createTicket(
  page: Page,
  data: { subject: string; email: string; name: string; body: string },
): Promise<{ id: string; number: number }> {
  const csrf = await page.evaluate(
    async () => ((await (await fetch('/api/v1/me')).json()) as { csrfToken: string }).csrfToken,
  );
  const res = await page.request.post('/api/v1/tickets', {
    headers: { 'x-csrf-token': csrf },
    data: {
      subject: data.subject,
      requester: { email: data.email, name: data.name },
      message: { body: data.body },
      channel: 'email',
    },
  });
  expect(res.status()).toBe(201);
  return (await res.json()) as { id: string; number: number };
}
