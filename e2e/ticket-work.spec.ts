import { expect, test } from '@playwright/test';
import { createTicket, signIn, unique } from './helpers';

test('an agent saves a personal view filtered by a custom field', async ({ page }) => {
  const id = unique();
  await signIn(page, 'agent@demo.keepdesk.test');
  await page.locator('nav').getByRole('link', { name: 'Tickets' }).click();
  await page.getByRole('button', { name: 'New view' }).click();
  const dialog = page.getByRole('dialog', { name: 'New view' });
  await dialog.getByRole('textbox', { name: 'Name' }).fill(`Cloud ${id}`);
  await dialog.getByRole('button', { name: 'Add condition' }).click();
  await dialog.getByRole('combobox', { name: 'Values' }).click();
  await page.getByRole('option', { name: 'Cloud' }).click();
  await dialog.getByRole('button', { name: 'Save' }).click();

  await expect(page.getByRole('heading', { name: `Cloud ${id}` })).toBeVisible();
  const list = page.getByRole('table', { name: 'Tickets' });
  await expect(list).toContainText('Login nicht möglich nach Passwortänderung');
  await expect(list).not.toContainText('App crashes when exporting a report');
  await expect(page.getByRole('link', { name: new RegExp(`Cloud ${id}`) })).toBeVisible();
});

test('an agent merges a duplicate, files an incident under a problem and splits a message off', async ({
  page,
}) => {
  const id = unique();
  await signIn(page, 'agent@demo.keepdesk.test');
  const customer = { email: `lea-${id}@example.com`, name: 'Lea Lang' };
  const problem = await createTicket(page, {
    ...customer,
    subject: `Export bricht ab ${id}`,
    body: 'Der PDF-Export bricht bei großen Berichten ab.',
  });
  const duplicate = await createTicket(page, {
    ...customer,
    subject: `Nochmal: Export ${id}`,
    body: 'Ich schreibe nochmal wegen des Exports. Außerdem: bitte Rechnungsadresse ändern.',
  });
  const incident = await createTicket(page, {
    email: `max-${id}@example.com`,
    name: 'Max Weiß',
    subject: `Export hängt ${id}`,
    body: 'Auch bei uns hängt der Export.',
  });

  await page.goto(`/tickets/${problem.id}`);
  await page.getByRole('button', { name: 'More actions' }).click();
  await page.getByRole('menuitem', { name: 'Merge tickets into this one…' }).click();
  const merge = page.getByRole('dialog');
  await merge.getByRole('combobox', { name: 'Ticket numbers to merge' }).fill(String(duplicate.number));
  await page.keyboard.press('Enter');
  await merge.getByRole('button', { name: 'Merge' }).click();
  await expect(page.getByText('Ich schreibe nochmal wegen des Exports.')).toBeVisible();

  await page.getByRole('button', { name: 'Link ticket' }).click();
  const link = page.getByRole('dialog', { name: 'Link ticket' });
  await link.getByRole('textbox', { name: 'Ticket number' }).fill(`#${incident.number}`);
  await link.getByText('Incident of this problem').click();
  await link.getByRole('button', { name: 'Link ticket' }).click();
  await expect(page.getByTestId('links')).toContainText(`#${incident.number} Export hängt ${id}`);
  await expect(page.getByTestId('links')).toContainText('Incidents of this problem');

  // The duplicate also asked for something else: that message becomes a ticket of its own.
  await page
    .getByTestId('public-message')
    .filter({ hasText: 'Rechnungsadresse' })
    .getByRole('button', { name: 'Split into a new ticket' })
    .click();
  await expect(page.getByText(/New ticket #\d+ created from the message/)).toBeVisible();
  await expect(page.getByRole('heading', { name: new RegExp(`Export bricht ab ${id}`) })).toBeVisible();
  await expect(page.getByText('bitte Rechnungsadresse ändern')).toBeVisible();
  await expect(page.getByTestId('links')).toContainText(`#${problem.number}`);
});

test('an admin adds a dropdown field that agents must fill in before solving', async ({ page }) => {
  const id = unique();
  await signIn(page);
  await page.locator('nav').getByRole('link', { name: 'Ticket fields' }).click();
  await expect(page.getByRole('cell', { name: 'Product product' })).toBeVisible();
  await page.getByRole('button', { name: 'Add field' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add field' });
  await dialog.getByRole('textbox', { name: 'Key' }).fill(`region_${id}`);
  await dialog.getByRole('combobox', { name: 'Type' }).click();
  await page.getByRole('option', { name: 'Dropdown' }).click();
  await dialog.getByRole('textbox', { name: 'Label (English)' }).first().fill(`Region ${id}`);
  await dialog.getByRole('textbox', { name: 'Label (German)' }).first().fill(`Region ${id}`);
  await dialog.getByRole('button', { name: 'Add option' }).click();
  await dialog.getByRole('textbox', { name: 'Value' }).fill('north');
  await dialog.getByRole('textbox', { name: 'Label (English)' }).nth(1).fill('North');
  await dialog.getByRole('textbox', { name: 'Label (German)' }).nth(1).fill('Nord');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('row', { name: new RegExp(`Region ${id}`) })).toContainText('North');
  // Not required by default; switched on here, then off again so other journeys can solve tickets.
  const required = page.getByRole('switch', { name: `Required to solve: Region ${id}` });
  await required.click();
  await expect(required).toBeChecked();
  await page.getByRole('switch', { name: `Active: Region ${id}` }).click();
  await expect(page.getByRole('switch', { name: `Active: Region ${id}` })).not.toBeChecked();
});

test('an admin adds a mailbox for a team and sees that no mail has arrived yet', async ({ page }) => {
  const id = unique();
  await signIn(page);
  await page.locator('nav').getByRole('link', { name: 'Mailboxes' }).click();
  await page.getByRole('button', { name: 'Add mailbox' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add mailbox' });
  await dialog.getByRole('textbox', { name: 'Address' }).fill(`billing-${id}@keepdesk.example`);
  await dialog.getByRole('textbox', { name: 'Sender name' }).fill('Keepdesk Billing');
  await dialog
    .getByRole('textbox', { name: 'Outbound SMTP' })
    .fill('smtp://billing:geheim@mail.keepdesk.example:587');
  await dialog.getByRole('button', { name: 'Save' }).click();
  const row = page.getByRole('row', { name: new RegExp(`billing-${id}@keepdesk.example`) });
  await expect(row).toContainText('No mail received yet');
  await row.getByRole('button', { name: 'Edit' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit mailbox' });
  await expect(
    edit.getByText('smtp://billing:***@mail.keepdesk.example:587', { exact: false }),
  ).toBeVisible();
  await expect(edit.getByRole('textbox', { name: 'Acknowledgement subject' })).toHaveValue(/\{\{number\}\}/);
});
