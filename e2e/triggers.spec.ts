import { expect, test } from '@playwright/test';
import { createTicket, signIn, unique } from './helpers';

test('a manager writes a trigger, tries it on a ticket, and the next matching ticket is tagged by it', async ({
  page,
}) => {
  const id = unique();
  const name = `Refunds to billing ${id}`;
  await signIn(page);
  const first = await createTicket(page, {
    subject: `Refund please ${id}`,
    email: `lena-${id}@example.com`,
    name: 'Lena Berg',
    body: 'I was charged twice.',
  });
  await page.locator('nav').getByRole('link', { name: 'Triggers' }).click();
  await page.getByRole('button', { name: 'New trigger' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('textbox', { name: 'Name' }).fill(name);

  await dialog.getByRole('button', { name: 'Add condition' }).first().click();
  const condition = dialog.getByTestId('condition');
  await condition.getByRole('combobox', { name: 'Field' }).click();
  await page.getByRole('option', { name: 'Subject' }).click();
  await condition.getByRole('combobox', { name: 'Value' }).fill(`refund please ${id}`);
  await condition.getByRole('combobox', { name: 'Value' }).press('Enter');

  await dialog.getByRole('button', { name: 'Add action' }).click();
  const action = dialog.getByTestId('action');
  await action.getByRole('combobox', { name: 'Value' }).fill('billing');
  await action.getByRole('combobox', { name: 'Value' }).press('Enter');

  // The dry run on the ticket that is already there: it would fire and add the tag; nothing changes yet.
  await dialog.getByRole('textbox', { name: 'Test on ticket #' }).fill(String(first.number));
  await dialog.getByRole('combobox', { name: 'As if' }).click();
  await page.getByRole('option', { name: 'Ticket created' }).click();
  await dialog.getByRole('button', { name: 'Test', exact: true }).click();
  const result = dialog.getByTestId('rule-test-result');
  await expect(result).toContainText(`Would fire on #${first.number}`);
  await expect(result).toContainText('tags: [] → ["billing"]');

  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('rule').filter({ hasText: name })).toContainText('Ticket created');

  const second = await createTicket(page, {
    subject: `Refund please ${id} again`,
    email: `lena-${id}@example.com`,
    name: 'Lena Berg',
    body: 'Still charged twice.',
  });
  await expect
    .poll(
      async () =>
        ((await (await page.request.get(`/api/v1/tickets/${second.id}`)).json()) as { tags: string[] }).tags,
    )
    .toEqual(['billing']);
  const untouched = (await (await page.request.get(`/api/v1/tickets/${first.id}`)).json()) as {
    tags: string[];
  };
  expect(untouched.tags).toEqual([]);

  await page.goto(`/tickets/${second.id}`);
  await page.getByRole('tab', { name: 'History' }).click();
  await expect(page.getByText(`Rule “${name}”`).first()).toBeVisible();

  await page.goto('/settings/triggers');
  await page.getByRole('tab', { name: 'Change log' }).click();
  await expect(page.getByTestId('change-log-entry').first()).toContainText(`${name} created`);
});
