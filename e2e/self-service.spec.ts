import { expect, type Page, test } from '@playwright/test';
import { signIn, unique } from './helpers';
import { caughtMail } from './mail-catcher';

async function csrfOf(page: Page): Promise<string> {
  return page.evaluate(
    async () => ((await (await fetch('/api/v1/me')).json()) as { csrfToken: string }).csrfToken,
  );
}

test('a customer finds nothing in the help center, writes in, and reads the agent’s answer from a suggested article in the portal', async ({
  browser,
}) => {
  const id = unique();
  const email = `robin-${id}@example.com`;
  const subject = `Coffee machine ${id} descaling light stays on`;
  const remedy = `Hold the descale and steam buttons together for five seconds (${id}).`;

  // The team keeps an internal article on it: agents find it, the public help center does not.
  const lead = await browser.newPage();
  await signIn(lead, 'lead@demo.keepdesk.test');
  const headers = { 'x-csrf-token': await csrfOf(lead) };
  const created = await lead.request.post('/api/v1/kb/articles', {
    headers,
    data: {
      title: `Descaling light ${id} stays on after descaling`,
      body: `<p>${remedy}</p>`,
      language: 'en',
      visibility: 'internal',
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const article = (await created.json()) as { id: string };
  const published = await lead.request.post(`/api/v1/kb/articles/${article.id}/status`, {
    headers,
    data: { status: 'published' },
  });
  expect(published.status()).toBe(200);
  await lead.close();

  // The customer searches the help center, finds nothing and writes in through the contact form.
  const customer = await (await browser.newContext({ locale: 'en-US' })).newPage();
  await customer.goto(`/hc/default/en/search?q=${encodeURIComponent(`descaling light ${id}`)}`);
  await expect(customer.getByText('We found no articles for your search.')).toBeVisible();
  await customer.getByRole('link', { name: 'Contact us' }).first().click();
  await customer.getByLabel('Your name').fill('Robin Roast');
  await customer.getByLabel('Your e-mail address').fill(email);
  await customer.getByLabel('Subject').fill(subject);
  await customer
    .getByLabel('How can we help?')
    .fill(`I descaled my coffee machine ${id} but the descaling light stays on.`);
  await customer.waitForTimeout(3_200);
  await customer.getByRole('button', { name: 'Send message' }).click();
  const thanks = customer.getByRole('status');
  await expect(thanks).toContainText(/Your request number is #\d+/);
  const number = Number(/#(\d+)/.exec((await thanks.textContent()) ?? '')?.[1]);
  await expect(customer.getByText(`A confirmation is on its way to ${email}`)).toBeVisible();

  // The confirmation e-mail names the request and the portal, and arrives in the thread of the request.
  const acknowledgement = await caughtMail(
    (m) => JSON.stringify(m.to ?? '').includes(email) && (m.subject ?? '').includes(`[#${number}]`),
  );
  expect(acknowledgement.text).toMatch(/You can follow your request at https?:\/\/\S+\/portal\/login/);

  // The agent opens the ticket, takes the suggested article into the reply and sends it.
  const agent = await browser.newPage();
  await signIn(agent, 'agent@demo.keepdesk.test');
  const found = await agent.request.get(`/api/v1/tickets?number=${number}`);
  const ticket = ((await found.json()) as { items: { id: string }[] }).items[0];
  expect(ticket).toBeTruthy();
  await agent.goto(`/tickets/${ticket!.id}`);
  const suggestion = agent
    .getByTestId('kb-suggestion')
    .filter({ hasText: `Descaling light ${id} stays on after descaling` });
  await expect(suggestion).toBeVisible();
  await suggestion.getByRole('button', { name: 'Insert content' }).click();
  const reply = agent.getByRole('textbox', { name: 'Reply to the customer' });
  await expect(reply).toHaveValue(new RegExp(remedy.replace(/[().]/g, '\\$&')));
  await agent.getByRole('button', { name: 'Send reply' }).click();
  await expect(agent.getByText(remedy).first()).toBeVisible();

  // A good answer becomes a draft article for the public help center.
  await agent.getByRole('button', { name: 'Create article from this answer' }).last().click();
  await expect(agent).toHaveURL(/\/knowledge\/articles\/[0-9a-f-]{36}$/);
  await expect(agent.getByLabel('Title')).toHaveValue(subject);

  // The customer follows the thank-you page to the portal, signs in with the e-mail link and reads the answer.
  await customer.getByRole('link', { name: 'Follow your requests online in the customer portal' }).click();
  await customer.getByLabel('E-mail address').fill(email);
  await customer.getByRole('button', { name: 'Send me a link' }).click();
  const mail = await caughtMail(
    (m) => JSON.stringify(m.to ?? '').includes(email) && /sign-in link/.test(m.subject ?? ''),
  );
  const link = /(\/portal\/auth\?token=[\w%-]+)/.exec(mail.text ?? '')?.[1];
  expect(link).toBeTruthy();
  await customer.goto(link!);
  await customer.getByRole('link', { name: subject }).click();
  await expect(customer.getByText(remedy)).toBeVisible();
  await agent.close();
});
