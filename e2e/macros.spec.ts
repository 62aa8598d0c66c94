import { expect, test } from '@playwright/test';
import { createTicket, signIn, unique } from './helpers';

test('an agent answers with a macro: preview, fields set, text in the reply in the customer language', async ({
  page,
}) => {
  const id = unique();
  const name = `Refund done ${id}`;
  await signIn(page);
  await page.locator('nav').getByRole('link', { name: 'Macros' }).click();
  await page.getByRole('button', { name: 'Add macro' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('textbox', { name: 'Name' }).fill(name);
  await dialog
    .getByRole('textbox', { name: 'Text' })
    .fill('Hallo {{customer.firstName}}, die Erstattung zu #{{ticket.number}} ist unterwegs.');
  await dialog.getByRole('tab', { name: 'English' }).click();
  await dialog
    .getByRole('textbox', { name: 'Text' })
    .fill('Hello {{customer.firstName}}, the refund for #{{ticket.number}} is on its way.');
  await dialog.getByRole('combobox', { name: 'Set status' }).click();
  await page.getByRole('option', { name: 'Pending' }).click();
  await dialog.getByRole('checkbox', { name: 'Share with everyone' }).check();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('macro').filter({ hasText: name })).toContainText('Shared');

  const ticket = await createTicket(page, {
    subject: `Erstattung ${id}`,
    email: `jana-${id}@example.com`,
    name: 'Jana Schmidt',
    body: 'Guten Tag, wann bekomme ich mein Geld zurück? Vielen Dank für Ihre Hilfe.',
  });
  await page.goto(`/tickets/${ticket.id}`);
  await expect(page.getByRole('heading', { name: new RegExp(`Erstattung ${id}`) })).toBeVisible();
  await page.locator('body').click({ position: { x: 5, y: 300 } });
  await page.keyboard.press('m');
  const picker = page.getByRole('dialog', { name: 'Apply a macro' });
  await picker.getByRole('combobox', { name: 'Macro' }).fill(name);
  await page.getByRole('option', { name }).click();
  await expect(picker.getByTestId('macro-preview')).toContainText(
    `Hallo Jana, die Erstattung zu #${ticket.number} ist unterwegs.`,
  );
  await picker.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByRole('textbox', { name: 'Reply to the customer' })).toHaveValue(
    `Hallo Jana, die Erstattung zu #${ticket.number} ist unterwegs.`,
  );
  await expect(page.getByRole('combobox', { name: 'Status' })).toHaveValue('Pending');
});
