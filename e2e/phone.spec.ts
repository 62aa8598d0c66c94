import { expect, type Page, test } from '@playwright/test';
import { signIn, unique } from './helpers';

/** A call event as the PBX sends it (here through the agent's session; a PBX uses an API token). */
async function pbx(page: Page, event: Record<string, unknown>) {
  const csrf = await page.evaluate(
    async () => ((await (await fetch('/api/v1/me')).json()) as { csrfToken: string }).csrfToken,
  );
  const res = await page.request.post('/api/v1/channels/phone/events', {
    headers: { 'x-csrf-token': csrf },
    data: event,
  });
  expect(res.status(), await res.text()).toBe(200);
  return res.json();
}

test('an incoming call pops the customer to the agent who takes it and is logged on the ticket', async ({
  page,
}) => {
  const id = unique();
  const phone = `+49 30 ${Math.floor(1_000_000 + Math.random() * 8_999_999)}`;
  await signIn(page, 'agent@demo.keepdesk.test');
  const csrf = await page.evaluate(
    async () => ((await (await fetch('/api/v1/me')).json()) as { csrfToken: string }).csrfToken,
  );
  const contact = await (
    await page.request.post('/api/v1/contacts', {
      headers: { 'x-csrf-token': csrf },
      data: {
        name: `Peter Caller ${id}`,
        phones: [phone],
        emails: [`peter-${id}@example.com`],
        language: 'en',
      },
    })
  ).json();
  const subject = `Invoice shows the wrong address ${id}`;
  await page.request.post('/api/v1/tickets', {
    headers: { 'x-csrf-token': csrf },
    data: {
      subject,
      requester: { id: contact.id },
      message: { body: 'The invoice address is wrong, please fix it.' },
    },
  });

  const call = { callId: `pbx-${id}`, direction: 'inbound', from: phone, to: '+49 30 5555' };
  await pbx(page, { ...call, event: 'ringing' });
  await pbx(page, { ...call, event: 'answered', agent: 'agent@demo.keepdesk.test' });

  const popup = page.getByTestId('call-popup');
  await expect(popup).toContainText(`Peter Caller ${id}`);
  await expect(popup).toContainText(subject);
  await popup.getByRole('button', { name: 'About this' }).click();
  await expect(popup).toContainText('This call');

  await pbx(page, {
    ...call,
    event: 'ended',
    durationSeconds: 125,
    notes: 'Address corrected while on the phone',
  });
  await popup.getByRole('link', { name: new RegExp(subject) }).click();
  const note = page.getByTestId('internal-note').last();
  await expect(note).toContainText('Inbound call');
  await expect(note).toContainText('Duration: 2:05');
  await expect(note).toContainText('Address corrected while on the phone');
  await popup.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByTestId('call-popups')).toHaveCount(0);

  // The customer wants a call back tomorrow.
  const card = page.getByTestId('phone-card');
  await card.getByRole('button', { name: 'Call back' }).click();
  await page.getByRole('textbox', { name: 'Phone number' }).fill(phone);
  await page.getByRole('textbox', { name: 'Note' }).fill('After 2 pm');
  await page.getByRole('dialog').getByRole('button', { name: 'Call back' }).click();
  await expect(card.getByTestId('callback')).toContainText('After 2 pm');
  await page.locator('nav').getByRole('link', { name: 'Home' }).click();
  await expect(page.getByTestId('my-callbacks')).toContainText(subject);
});
