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
  const card = page.getByTestId('sla-card');
  await expect(card).toContainText(`SLA · Urgent ${id}`);
  await expect(card).toContainText('First response');

  // The agent cannot solve it and hands it to the second level with a note.
  await card.getByRole('button', { name: 'Escalate' }).click();
  const escalate = page.getByRole('dialog');
  await escalate.getByRole('combobox', { name: 'To a department (team)' }).click();
  await page.getByRole('option', { name: 'Retention' }).click();
  await escalate.getByRole('textbox', { name: 'Reason' }).fill('Contract question for retention');
  await escalate.getByRole('textbox', { name: 'Hand-over note' }).fill('Customer threatens to cancel.');
  await escalate.getByRole('button', { name: 'Escalate' }).click();
  await expect(card.getByTestId('escalations')).toContainText(
    'Escalated to Retention: Contract question for retention',
  );
  await expect(page.getByTestId('internal-note').last()).toContainText('Customer threatens to cancel.');
  await expect(page.getByRole('combobox', { name: 'Team' })).toHaveValue('Retention');
});
