import { expect, test } from '@playwright/test';
import { createTicket, signIn, unique } from './helpers';

test('an agent takes an unassigned ticket, notes, replies and sets it pending', async ({ page, browser }) => {
  // A customer writes in through the API (as the e-mail channel will).
  const id = unique();
  await signIn(page, 'agent@demo.keepdesk.test');
  const subject = `Paket nicht angekommen ${id}`;
  await createTicket(page, {
    subject,
    email: `erika-${id}@example.com`,
    name: 'Erika Muster',
    body: 'Mein Paket ist seit einer Woche unterwegs. Können Sie nachsehen?',
  });

  await page.locator('nav').getByRole('link', { name: 'Tickets' }).click();
  await page.getByRole('link', { name: /Unassigned/ }).click();
  await page.getByRole('row', { name: new RegExp(subject) }).click();
  await expect(page.getByRole('heading', { name: new RegExp(subject) })).toBeVisible();
  await expect(page.getByText('Mein Paket ist seit einer Woche unterwegs.')).toBeVisible();

  // A colleague has the same ticket open in another browser.
  const colleague = await (await browser.newContext({ locale: 'en-US' })).newPage();
  await signIn(colleague, 'agent2@demo.keepdesk.test');
  await colleague.goto(page.url());
  await expect(colleague.getByText('Mein Paket ist seit einer Woche unterwegs.')).toBeVisible();
  await expect(colleague.getByTestId('presence')).toContainText('Aaron Agent');

  await page.keyboard.press('a'); // take it
  await expect(page.getByRole('combobox', { name: 'Assignee' })).toHaveValue('Aaron Agent');
  await expect(page.getByText('Open', { exact: true }).first()).toBeVisible();

  // An internal note calls a colleague in with an @mention picked from the list.
  await page.keyboard.press('n');
  const note = page.getByRole('textbox', { name: 'Internal note' });
  await note.pressSequentially('@Ann');
  await page.getByRole('option', { name: '@Anna Agentin' }).click();
  await note.pressSequentially('kannst du beim Versand nachfragen?');
  await expect(note).toHaveValue('@Anna Agentin kannst du beim Versand nachfragen?');
  await page.getByRole('button', { name: 'Add note' }).click();
  await expect(page.getByTestId('internal-note')).toContainText('kannst du beim Versand nachfragen?');
  await expect(page.getByTestId('followers')).toContainText('Anna Agentin');
  // The colleague is notified live.
  await colleague.getByTestId('notification-bell').click();
  await expect(colleague.getByTestId('notification').first()).toContainText('Aaron Agent hat Sie in #');
  await colleague.keyboard.press('Escape');

  // The custom field "Product" is set beside status and priority.
  await page.getByRole('combobox', { name: 'Product' }).click();
  await page.getByRole('option', { name: 'Cloud' }).click();
  await expect(page.getByRole('combobox', { name: 'Product' })).toHaveValue('Cloud');

  await page.keyboard.press('r');
  await page
    .getByRole('textbox', { name: 'Reply to the customer' })
    .fill('Hallo Frau Muster, wir haben beim Versand nachgefragt.');
  await page.locator('input[type=file]').setInputFiles({
    name: 'Sendungsverfolgung.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('Sendung 00340434161094042557: in Zustellung'),
  });
  await expect(page.getByTestId('pending-attachments')).toContainText('Sendungsverfolgung.txt');
  await page.getByRole('textbox', { name: 'Reply to the customer' }).focus();
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('public-message').last()).toContainText('wir haben beim Versand nachgefragt');
  await expect(page.getByTestId('attachments').last()).toContainText('Sendungsverfolgung.txt');
  // …and sees the reply and the new owner without reloading.
  await expect(colleague.getByTestId('public-message').last()).toContainText(
    'wir haben beim Versand nachgefragt',
  );
  await expect(colleague.getByRole('combobox', { name: 'Bearbeitung' })).toHaveValue('Aaron Agent');

  // The reply leaves as an e-mail to the customer.
  await expect(page.getByTestId('delivery').last()).toHaveAttribute('data-status', 'sent');

  await page.locator('body').click({ position: { x: 5, y: 300 } });
  await page.keyboard.press('s');
  await page.getByRole('option', { name: 'Pending' }).click();
  await expect(page.getByRole('combobox', { name: 'Status' })).toHaveValue('Pending');

  await page.getByRole('tab', { name: 'History' }).click();
  await expect(page.getByText('Status: open → pending')).toBeVisible();

  await page.getByRole('link', { name: '← Tickets' }).click();
  await page.getByRole('link', { name: /^Pending/ }).click();
  await expect(page.getByRole('row', { name: new RegExp(subject) })).toBeVisible();
});

test('an agent finds a ticket by a word from the conversation', async ({ page }) => {
  await signIn(page, 'agent@demo.keepdesk.test');
  await page.keyboard.press('/');
  await page
    .getByRole('searchbox', { name: 'Search' })
    .or(page.getByRole('textbox', { name: 'Search' }))
    .fill('Abbuchung');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/search\?q=Abbuchung/);
  const hit = page.getByTestId('search-hit').filter({ hasText: 'Rechnung Oktober doppelt abgebucht' });
  await expect(hit).toBeVisible();
  await expect(hit.locator('mark').first()).toBeVisible();
  await hit.getByRole('link').click();
  await expect(page.getByRole('heading', { name: /Rechnung Oktober doppelt abgebucht/ })).toBeVisible();

  // The customer's page lists their tickets from every channel.
  await page.getByRole('link', { name: 'Katrin Weber' }).click();
  await expect(page.getByRole('heading', { name: 'Katrin Weber' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Tickets of this customer' })).toContainText(
    'Rechnung Oktober doppelt abgebucht',
  );
  await expect(page.getByText('Müller Maschinenbau GmbH')).toBeVisible();
});

test('a team lead changes several tickets at once and takes the next one', async ({ page }) => {
  await signIn(page, 'lead@demo.keepdesk.test');
  await page.locator('nav').getByRole('link', { name: 'Tickets' }).click();
  await page.getByRole('link', { name: /Alle offenen/ }).click();
  const first = page.getByRole('checkbox', { name: /^#\d+ auswählen$/ }).nth(0);
  const second = page.getByRole('checkbox', { name: /^#\d+ auswählen$/ }).nth(1);
  await first.check();
  await second.check();
  const bar = page.getByTestId('bulk-bar');
  await expect(bar).toContainText('2 Tickets ausgewählt');
  await bar.getByRole('textbox', { name: 'Schlagwort hinzufügen' }).fill('bulk-test');
  await page.keyboard.press('Enter');
  await expect(page.getByText('2 geändert, 0 nicht änderbar')).toBeVisible();
  await expect(bar).toBeHidden();

  // The demo tickets belong to no team yet, so nothing waits in the lead's team.
  await page.getByRole('button', { name: 'Nächstes übernehmen' }).click();
  await expect(page.getByText('In Ihren Teams wartet nichts.')).toBeVisible();
});
