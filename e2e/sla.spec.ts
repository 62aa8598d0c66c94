import { expect, test } from '@playwright/test';
import { createTicket, signIn, unique } from './helpers';

test('a manager sets an SLA for urgent tickets and agents see its countdown', async ({ page }) => {
  const id = unique();
  await signIn(page);
  await page.locator('nav').getByRole('link', { name: 'SLA policies' }).click();
  await page.getByRole('button', { name: 'Add policy' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('textbox', { name: 'Name' }).fill(`Urgent ${id}`);
  await dialog.getByRole('combobox', { name: 'Priority' }).click();
  await page.getByRole('option', { name: 'Urgent' }).click();
  await dialog.getByRole('textbox', { name: 'Urgent First response' }).fill('30');
  await dialog.getByRole('textbox', { name: 'Urgent Resolution' }).fill('240');
  // Calendar time: the journey runs at any hour.
  await dialog.getByRole('switch', { name: 'Business hours' }).uncheck({ force: true });
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('sla-policy').filter({ hasText: `Urgent ${id}` })).toContainText('FR 30 min');

  const subject = `Server down ${id}`;
  const ticket = await createTicket(page, {
    subject,
    email: `ops-${id}@example.com`,
    name: 'Ops Team',
    body: 'Our whole team cannot log in.',
  });
  const csrf = await page.evaluate(
    async () => ((await (await fetch('/api/v1/me')).json()) as { csrfToken: string }).csrfToken,
  );
  await page.request.patch(`/api/v1/tickets/${ticket.id}`, {
    headers: { 'x-csrf-token': csrf },
    data: { priority: 'urgent' },
  });
  await page.goto(`/tickets/${ticket.id}`);
  const badge = page.getByTestId('sla').first();
  await expect(badge).toHaveAttribute('data-state', 'on_track');
  await expect(badge).toContainText('due in 30 minutes');
});
