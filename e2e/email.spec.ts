import { expect, test } from '@playwright/test';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { signIn, unique } from './helpers';
import { caughtMail, LISTENER_PORT } from './mail-catcher';

const SUPPORT = 'support@demo.keepdesk.test';

/** The customer's mail program: a real SMTP conversation with Keepdesk's listener. */
async function customerSends(mail: SendMailOptions) {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: LISTENER_PORT, ignoreTLS: true });
  try {
    const info = await transport.sendMail(mail);
    expect(info.response).toMatch(/^250/);
  } finally {
    transport.close();
  }
}

test('a customer e-mail arrives, the agent replies, and the customer answer lands in the same ticket', async ({
  page,
}) => {
  const id = unique();
  const customer = `erika-${id}@example.com`;
  const subject = `Rechnung doppelt abgebucht ${id}`;
  await customerSends({
    from: `Erika Muster <${customer}>`,
    to: SUPPORT,
    subject,
    text: 'Guten Tag, meine Rechnung wurde zweimal abgebucht. Können Sie das prüfen?',
    attachments: [{ filename: 'Kontoauszug.txt', content: 'Abbuchung 49,90 EUR (2x)' }],
  });
  // The customer gets an acknowledgement with the ticket number.
  const ack = await caughtMail((m) => m.to !== undefined && JSON.stringify(m.to).includes(customer));
  const number = /\[#(\d+)\]/.exec(ack.subject ?? '')?.[1];
  expect(number).toBeTruthy();

  await signIn(page, 'agent@demo.keepdesk.test');
  await page.locator('nav').getByRole('link', { name: 'Tickets' }).click();
  await page.getByRole('link', { name: /Unassigned/ }).click();
  await page.getByRole('row', { name: new RegExp(subject) }).click();
  await expect(page.getByRole('heading', { name: new RegExp(subject) })).toBeVisible();
  await expect(page.getByText('meine Rechnung wurde zweimal abgebucht')).toBeVisible();
  await expect(page.getByTestId('attachments').first()).toContainText('Kontoauszug.txt');

  await page.keyboard.press('r');
  await page
    .getByRole('textbox', { name: 'Reply to the customer' })
    .fill('Hallo Frau Muster, wir haben die doppelte Abbuchung storniert.');
  await page.getByRole('textbox', { name: 'Reply to the customer' }).focus();
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('public-message').last()).toContainText('doppelte Abbuchung storniert');
  // The reply leaves as an e-mail, and the message says it was sent.
  await expect(page.getByTestId('delivery').last()).toHaveAttribute('data-status', 'sent');
  await expect(page.getByTestId('delivery').last()).toContainText('E-mailed');
  const reply = await caughtMail((m) => m.subject === `Re: [#${number}] ${subject}`);
  expect(reply.text).toContain('doppelte Abbuchung storniert');
  expect(reply.from?.value[0]?.address).toBe(SUPPORT);

  // The customer answers from their mail program; it threads by In-Reply-To and shows up live.
  await customerSends({
    from: `Erika Muster <${customer}>`,
    to: SUPPORT,
    subject: `AW: ${reply.subject}`,
    inReplyTo: reply.messageId,
    references: [reply.messageId!],
    html: `<p>Vielen Dank, das ging schnell!</p><p>Am 2. Dezember schrieb Keepdesk Demo Support:</p><blockquote>${reply.html}</blockquote>`,
  });
  const answer = page.getByTestId('public-message').last();
  await expect(answer).toContainText('Vielen Dank, das ging schnell!');
  // The quoted reply is folded away, one click from the full message.
  await expect(answer).not.toContainText('doppelte Abbuchung storniert');
  await answer.getByTestId('fold-toggle').click();
  await expect(answer).toContainText('doppelte Abbuchung storniert');
  await expect(page.getByTestId('public-message')).toHaveCount(3);
});

test('an admin finds a message marked as spam in held mail and turns it into a ticket', async ({ page }) => {
  const subject = `Angebot prüfen ${unique()}`;
  await customerSends({
    from: `Hans Berger <hans-${unique()}@example.com>`,
    to: SUPPORT,
    subject,
    text: 'Bitte schicken Sie mir ein Angebot für 20 Lizenzen.',
    headers: { 'X-Spam-Flag': 'YES', 'X-Spam-Status': 'Yes, score=6.2' },
  });
  await signIn(page);
  await page.locator('nav').getByRole('link', { name: 'Held mail' }).click();
  await page.locator('.mantine-SegmentedControl-root').getByText('Spam', { exact: true }).click();
  const row = page.getByTestId('held-mail').filter({ hasText: subject });
  await expect(row).toContainText('marked as spam');
  await row.getByRole('button', { name: 'Not spam – make it a ticket' }).click();
  await expect(page.getByRole('heading', { name: new RegExp(subject) })).toBeVisible();
  await expect(page.getByText('Bitte schicken Sie mir ein Angebot für 20 Lizenzen.')).toBeVisible();
});
