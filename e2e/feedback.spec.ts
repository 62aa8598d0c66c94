import { expect, test } from '@playwright/test';
import { createTicket, signIn, unique } from './helpers';
import { caughtMail } from './mail-catcher';

test('a solved ticket is rated good from the e-mail with a comment; agent and team lead see it', async ({
  browser,
}) => {
  const id = unique();
  const email = `happy-${id}@example.com`;

  // The manager lets the CSAT survey go out at once instead of an hour after solving.
  const manager = await browser.newPage();
  await signIn(manager, 'manager@demo.keepdesk.test');
  await manager.goto('/settings/surveys');
  await manager
    .getByTestId('survey')
    .filter({ hasText: 'Satisfaction after a solved ticket' })
    .getByRole('button')
    .click();
  const dialog = manager.getByRole('dialog');
  await dialog.getByRole('textbox', { name: 'Minuten nach dem Lösen' }).fill('0');
  await dialog.getByRole('button', { name: 'Speichern' }).click();
  await expect(
    manager.getByTestId('survey').filter({ hasText: 'Satisfaction after a solved ticket' }),
  ).toContainText('0 Minuten nach dem Lösen');
  await manager.close();

  // The agent solves the customer's ticket.
  const agent = await browser.newPage();
  await signIn(agent, 'agent@demo.keepdesk.test');
  const ticket = await createTicket(agent, {
    email,
    name: 'Zoe Happy',
    subject: `Password reset ${id}`,
    body: 'I cannot get into my account since this morning. Could you please help me?',
  });
  await agent.goto(`/tickets/${ticket.id}`);
  await agent.getByRole('button', { name: 'Take it' }).click();
  await expect(agent.getByRole('combobox', { name: 'Assignee' })).toHaveValue('Aaron Agent');
  await agent.getByRole('combobox', { name: 'Product' }).click();
  await agent.getByRole('option', { name: 'Cloud' }).click();
  await expect(agent.getByRole('combobox', { name: 'Product' })).toHaveValue('Cloud');
  await agent.getByRole('combobox', { name: 'Status' }).click();
  await agent.getByRole('option', { name: 'Solved' }).click();
  await expect(agent.getByRole('combobox', { name: 'Status' })).toHaveValue('Solved');

  // The customer clicks "good" in the survey e-mail, on a phone, without an account.
  const mail = await caughtMail(
    (m) => JSON.stringify(m.to).includes(email) && /How did we do/.test(m.subject ?? ''),
  );
  const good = /(http\S+\/survey\/\S+\?score=good)/.exec(mail.text ?? '')?.[1];
  expect(good).toBeTruthy();
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-US' });
  const customer = await phone.newPage();
  await customer.goto(new URL(good!).pathname + new URL(good!).search);
  await expect(customer.getByRole('heading', { name: 'Thank you for your feedback.' })).toBeVisible();
  await customer
    .getByRole('textbox', { name: 'Would you like to tell us more?' })
    .fill(`Quick and friendly ${id}`);
  await customer.getByRole('button', { name: 'Send comment' }).click();
  await expect(customer.getByText('Thank you, we received your comment.')).toBeVisible();
  // Opening the link again records nothing twice.
  await customer.goto(new URL(good!).pathname + new URL(good!).search);
  await expect(customer.getByRole('heading', { name: 'You have already answered' })).toBeVisible();
  await phone.close();

  // The agent sees the rating and the comment beside the ticket (live).
  const card = agent.getByTestId('satisfaction-card');
  await expect(card.getByTestId('rating')).toHaveText('CSAT · Good');
  await expect(card).toContainText(`Quick and friendly ${id}`);

  // The team lead sees it on the feedback page (in German), with the score and its interval. Her account is on
  // Berlin time while her browser is on Samoa's: the page counts days in her account's zone, so an answer given
  // after midnight in Berlin (still yesterday in Samoa) is in her period.
  const leadContext = await browser.newContext({ timezoneId: 'Pacific/Pago_Pago' });
  const lead = await leadContext.newPage();
  await signIn(lead, 'lead@demo.keepdesk.test');
  await lead.locator('nav').getByRole('link', { name: 'Feedback' }).click();
  await expect(lead.getByRole('heading', { name: 'Feedback' })).toBeVisible();
  await expect(lead.getByTestId('score-card')).toContainText('%');
  const answer = lead.getByTestId('survey-answer').filter({ hasText: `Quick and friendly ${id}` });
  await expect(answer).toContainText('Zoe Happy');
  await expect(answer).toContainText(`#${ticket.number}`);
  await expect(answer.getByTestId('rating')).toHaveText('CSAT · Gut');
  await expect(lead.getByTestId('score-groups')).toContainText('Aaron Agent');
  await leadContext.close();
});

test('a one-star review from the webhook becomes a complaint that lands in the register', async ({
  page,
}) => {
  const id = unique();
  await signIn(page, 'agent@demo.keepdesk.test');
  const csrf = await page.evaluate(
    async () => ((await (await fetch('/api/v1/me')).json()) as { csrfToken: string }).csrfToken,
  );
  const res = await page.request.post('/api/v1/channels/mentions', {
    headers: { 'x-csrf-token': csrf },
    data: {
      source: 'trustpilot',
      externalId: `tp-${id}`,
      author: `Rolf Review ${id}`,
      rating: 1,
      text: 'The parcel arrived broken and nobody answers my e-mails. Very disappointing.',
      url: `https://reviews.example/tp-${id}`,
    },
  });
  expect(await res.json()).toMatchObject({ imported: 1, complaints: 1 });

  await page.locator('nav').getByRole('link', { name: 'Feedback' }).click();
  await page.getByRole('tab', { name: 'Reviews & social' }).click();
  const mention = page.getByTestId('mention').filter({ hasText: `Rolf Review ${id}` });
  await expect(mention).toContainText('Negative');
  await expect(mention.getByRole('combobox')).toHaveValue('Triaged');
  await mention.getByRole('link', { name: /Complaint #\d+/ }).click();

  const card = page.getByTestId('complaint-card');
  await expect(card).toBeVisible();
  await card.getByRole('combobox', { name: 'Category' }).fill('Shipping damage');
  await card.getByRole('textbox', { name: 'Root cause' }).fill('Carrier dropped the parcel');
  await card.getByRole('combobox', { name: 'Compensation' }).click();
  await page.getByRole('option', { name: 'Voucher' }).click();
  await card.getByRole('textbox', { name: 'Value (EUR)' }).fill('15');
  await card.getByRole('combobox', { name: 'Outcome' }).click();
  await page.getByRole('option', { name: 'Upheld', exact: true }).click();
  await card.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Saved')).toBeVisible();

  // The agent passes it on to the product team as feedback.
  await page.getByTestId('ticket-feedback').getByRole('button', { name: 'Tag feedback' }).click();
  const tag = page.getByRole('dialog', { name: 'Tag feedback' });
  await tag.getByRole('combobox', { name: 'Kind' }).click();
  await page.getByRole('option', { name: 'Usability' }).click();
  await tag.getByRole('textbox', { name: 'Title of the new item' }).fill(`Sturdier packaging ${id}`);
  await tag.getByRole('textbox', { name: /In the customer's words/ }).fill('The parcel arrived broken');
  await tag.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('ticket-feedback')).toContainText(`Sturdier packaging ${id}`);
  await page.goto('/feedback/items');
  const item = page.getByTestId('feedback-item').filter({ hasText: `Sturdier packaging ${id}` });
  await expect(item).toContainText('Usability');
  await item.click();
  await expect(page.getByTestId('feedback-item-detail')).toContainText('The parcel arrived broken');

  // What customers talk about is computed on request (and every night).
  await page.goto('/feedback/themes');
  await page.getByRole('button', { name: 'Recompute' }).click();
  await expect(page.getByTestId('theme-run')).toContainText('texts from', { timeout: 20_000 });

  await page.goto('/feedback/complaints');
  const row = page.getByTestId('complaint').filter({ hasText: `Rolf Review ${id}` });
  await expect(row).toContainText('Shipping damage');
  await expect(row).toContainText('Upheld');
  await expect(row).toContainText('Voucher €15.00');
});
