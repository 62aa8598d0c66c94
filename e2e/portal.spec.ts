import { type APIRequestContext, expect, request, test } from '@playwright/test';
import { DEMO_PASSWORD, unique } from './helpers';
import { caughtMail } from './mail-catcher';

/** The agent works through the API in a browser context of their own, so no cookie crosses to the customer. */
async function agentApi(baseURL: string): Promise<{ api: APIRequestContext; csrf: string }> {
  const api = await request.newContext({ baseURL });
  const res = await api.post('/api/v1/auth/login', {
    data: { email: 'agent@demo.keepdesk.test', password: DEMO_PASSWORD },
  });
  expect(res.status()).toBe(200);
  return { api, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
}

test('a customer signs in by e-mail link, sees a reply arrive live, answers with a file and closes the ticket', async ({
  page,
  browser,
  baseURL,
}) => {
  const id = unique();
  const email = `kim-${id}@example.com`;
  const subject = `Drucker druckt nicht ${id}`;
  const secret = `Interne Notiz ${id}: Kunde ist ungeduldig`;
  const { api, csrf } = await agentApi(baseURL!);
  const headers = { 'x-csrf-token': csrf };
  const created = await api.post('/api/v1/tickets', {
    headers,
    data: {
      subject,
      requester: { email, name: 'Kim Kunde' },
      message: { body: 'Mein Drucker druckt nicht.' },
    },
  });
  expect(created.status()).toBe(201);
  const ticket = (await created.json()) as { id: string };
  // Two later requests of the same customer: with pages of two (below), the first one is on the second page.
  for (const n of [2, 3]) {
    const later = await api.post('/api/v1/tickets', {
      headers,
      data: { subject: `Weitere Frage ${n} ${id}`, requester: { email }, message: { body: 'Noch etwas.' } },
    });
    expect(later.status()).toBe(201);
  }
  await page.route(
    (url) => url.pathname === '/api/v1/portal/tickets',
    (route) =>
      route.continue({
        url: route
          .request()
          .url()
          .replace(/limit=\d+/, 'limit=2'),
      }),
  );

  // The customer asks for a link on the server-rendered page and gets the same answer as anybody would.
  await page.goto('/portal/login?lang=en');
  await page.getByLabel('E-mail address').fill(email);
  await page.getByRole('button', { name: 'Send me a link' }).click();
  await expect(page.getByText('If this address has requests with us, a link is on its way')).toBeVisible();
  const mail = await caughtMail(
    (m) => JSON.stringify(m.to ?? '').includes(email) && /sign-in link/.test(m.subject ?? ''),
  );
  const link = /(\/portal\/auth\?token=[\w%-]+)/.exec(mail.text ?? '')?.[1];
  expect(link).toBeTruthy();

  await page.goto(link!);
  await expect(page).toHaveURL(/\/portal$/);
  await expect(page.getByTestId('portal-ticket-row')).toHaveCount(2);
  await expect(page.getByRole('link', { name: subject })).toHaveCount(0);
  await page.getByTestId('portal-more').click();
  await expect(page.getByTestId('portal-ticket-row')).toHaveCount(3);
  await expect(page.getByTestId('portal-more')).toHaveCount(0);
  await page.getByRole('link', { name: subject }).click();
  await expect(page.getByText('Mein Drucker druckt nicht.')).toBeVisible();

  // The agent writes an internal note, a public reply and sets the ticket to pending: the page follows live.
  expect(
    (
      await api.post(`/api/v1/tickets/${ticket.id}/messages`, {
        headers,
        data: { body: secret, visibility: 'internal' },
      })
    ).status(),
  ).toBe(201);
  expect(
    (
      await api.post(`/api/v1/tickets/${ticket.id}/messages`, {
        headers,
        data: { body: 'Bitte starten Sie den Drucker neu.', visibility: 'public' },
      })
    ).status(),
  ).toBe(201);
  expect(
    (await api.patch(`/api/v1/tickets/${ticket.id}`, { headers, data: { status: 'pending' } })).status(),
  ).toBe(200);
  await expect(page.getByText('Bitte starten Sie den Drucker neu.')).toBeVisible();
  await expect(page.getByTestId('portal-status')).toHaveAttribute('data-status', 'pending');
  await expect(page.getByText(secret)).toHaveCount(0);

  // The customer answers with a screenshot, then marks the request solved.
  await page
    .getByTestId('portal-reply-text')
    .fill(
      'Neustart hat geholfen, danke! <script>globalThis.pwned=1</script><img src=x onerror="globalThis.pwned=2">',
    );
  await page.locator('input[type="file"]').setInputFiles({
    name: 'beleg.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('Druckprotokoll: OK'),
  });
  await page.getByTestId('portal-reply-send').click();
  await expect(page.getByTestId('portal-message').last()).toContainText('Neustart hat geholfen');
  await expect(page.getByTestId('portal-message').last()).toContainText('beleg.txt');
  expect(await page.evaluate(() => (globalThis as { pwned?: number }).pwned)).toBeUndefined();
  await expect(page.getByTestId('portal-status')).toHaveAttribute('data-status', 'open');
  await page.getByTestId('portal-close').click();
  await expect(page.getByTestId('portal-status')).toHaveAttribute('data-status', 'solved');

  // The list filtered to solved requests shows just this one.
  await page.goto('/portal');
  await page.getByTestId('portal-status-filter').getByText('Solved').click();
  await expect(page.getByTestId('portal-ticket-row')).toHaveCount(1);
  await expect(page.getByTestId('portal-ticket-row')).toContainText(subject);

  // The agent sees the customer's answer with its file.
  const messages = (await (await api.get(`/api/v1/tickets/${ticket.id}/messages`)).json()) as {
    items: { bodyText: string; attachments: { fileName: string }[] }[];
  };
  const answer = messages.items.find((m) => m.bodyText.includes('Neustart hat geholfen'));
  expect(answer?.attachments.map((a) => a.fileName)).toEqual(['beleg.txt']);

  // The same link a second time: the friendly page, with the form for a new one.
  const other = await browser.newPage();
  await other.goto(link!);
  await expect(
    other.getByRole('heading', { name: 'This link has expired or was already used' }),
  ).toBeVisible();
  await expect(other.getByRole('button', { name: 'Send me a link' })).toBeVisible();
  await other.close();
  await api.dispose();
});
