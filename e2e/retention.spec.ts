import { expect, type Page, test } from '@playwright/test';
import { createTicket, signIn, unique } from './helpers';

const RITA = 'retention@demo.keepdesk.test';

interface AccountRef {
  id: string;
  name: string;
  contact: { id: string; name: string } | null;
}

/** The demo's churn model scores the demo accounts shortly after start; the journeys wait for the scores. */
async function waitForScores(page: Page): Promise<void> {
  await expect
    .poll(
      async () => {
        const res = await page.request.get('/api/v1/retention/at-risk?limit=1');
        return res.ok() ? ((await res.json()) as { items: unknown[] }).items.length : 0;
      },
      { timeout: 60_000, intervals: [1_000] },
    )
    .toBeGreaterThan(0);
}

test('the retention specialist opens the top account at risk, reads why and logs a call', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const note = `Talked about the renewal ${unique()}`;
  await signIn(page, RITA);
  await waitForScores(page);

  await page.locator('nav').getByRole('link', { name: 'Retention' }).click();
  await expect(page).toHaveURL(/\/retention$/);
  await expect(page.getByRole('heading', { name: 'Retention' })).toBeVisible();

  // Ranked by value at risk, highest first; the first account shows its risk band and why.
  const rows = page.getByTestId('at-risk-row');
  await expect(rows.first()).toBeVisible();
  const values = await rows.evaluateAll((list) => list.map((row) => Number(row.getAttribute('data-value'))));
  expect(values.length).toBeGreaterThan(1);
  expect(values).toEqual([...values].sort((a, b) => b - a));
  const top = rows.first();
  await expect(top.getByTestId('risk-band')).toHaveText(/^(High|Medium|Low)$/);
  await expect(top.getByTestId('risk-probability')).toHaveText(/\d%$/);
  await expect(top.getByTestId('top-reason')).toContainText(' — raises risk');
  const name = (await top.getByRole('link').textContent())!.trim();

  // A search that matches nothing says so and offers to clear the filters.
  const searchBox = page.getByRole('textbox', { name: 'Search name, e-mail, ID' });
  await searchBox.fill('no-such-customer-xyz');
  await expect(page).toHaveURL(/q=no-such-customer-xyz/);
  await expect(page.getByText('No account matches these filters')).toBeVisible();
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(searchBox).toHaveValue('');
  await expect(rows.first()).toContainText(name);

  // The keyboard opens it: j and k move, Enter opens.
  await page.getByRole('heading', { name: 'Retention' }).click();
  await page.keyboard.press('j');
  await page.keyboard.press('k');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/retention\/accounts\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { name })).toBeVisible();

  const why = page.getByTestId('why-at-risk');
  await expect(why).toContainText('Why at risk');
  await expect(why.getByTestId('reason-raising').first()).toContainText('raises risk');

  // A call that reached the customer, with a note: it shows in the log at once and after a reload.
  await page.getByRole('combobox', { name: 'Outcome' }).click();
  await page.getByRole('option', { name: 'Reached' }).click();
  await page.getByRole('textbox', { name: 'Note' }).fill(note);
  await page.getByRole('button', { name: 'Log call' }).click();
  await expect(page.getByText('Outreach logged')).toBeVisible();
  const logged = page.getByTestId('outreach').filter({ hasText: note });
  await expect(logged).toContainText('Call');
  await expect(logged).toContainText('Reached');
  await expect(logged).toContainText('Rita Retention');
  await expect(page.getByRole('textbox', { name: 'Note' })).toHaveValue('');

  await page.reload();
  await expect(page.getByTestId('outreach').first()).toContainText(note);

  // Back on the list, the account's last contact is now.
  await page.getByRole('link', { name: '← Retention' }).click();
  const row = page.getByTestId('at-risk-row').filter({ hasText: name });
  await expect(row).toContainText(/now|second|minute/);
});

test("an agent sees the customer's value and risk beside a ticket, and nothing for a stranger", async ({
  page,
}) => {
  test.setTimeout(90_000);
  await signIn(page, 'agent@demo.keepdesk.test');
  await waitForScores(page);

  // A demo ticket whose requester has a customer account (the demo links them by e-mail address).
  const accounts = (await (await page.request.get('/api/v1/customer-accounts?limit=200')).json()) as {
    items: AccountRef[];
  };
  let found: { account: AccountRef; ticketId: string } | undefined;
  for (const account of accounts.items.filter((a) => a.contact)) {
    const res = await page.request.get(`/api/v1/tickets?requesterId=${account.contact!.id}&limit=1`);
    const ticket = ((await res.json()) as { items: { id: string }[] }).items[0];
    if (ticket) {
      found = { account, ticketId: ticket.id };
      break;
    }
  }
  expect(found, 'a demo ticket from a customer with an account').toBeDefined();

  await page.goto(`/tickets/${found!.ticketId}`);
  const glance = page.getByTestId('retention-glance');
  await expect(glance).toContainText('Customer value and risk');
  const card = glance.getByTestId('glance-account').filter({ hasText: found!.account.name });
  await expect(card.getByTestId('risk-band')).toHaveText(/^(High|Medium|Low)$/);
  await expect(card).toContainText('€');
  await card.getByRole('link', { name: found!.account.name }).click();
  await expect(page).toHaveURL(`/retention/accounts/${found!.account.id}`);
  await expect(page.getByTestId('why-at-risk')).toBeVisible();

  // A requester without an account gets no card at all.
  const stranger = await createTicket(page, {
    subject: `Question ${unique()}`,
    email: `stranger-${unique()}@example.com`,
    name: 'Sandra Stranger',
    body: 'Do you ship to Austria?',
  });
  const answered = page.waitForResponse((res) => res.url().includes('/api/v1/retention/glance'));
  await page.goto(`/tickets/${stranger.id}`);
  expect((await answered).status()).toBe(200);
  await expect(page.getByText('Sandra Stranger').first()).toBeVisible();
  await expect(page.getByTestId('retention-glance')).toHaveCount(0);
});

test('the retention specialist reads how well the lifetime-value models fit and what one customer is worth', async ({
  page,
}) => {
  test.setTimeout(90_000);
  await signIn(page, RITA);
  await waitForScores(page);
  await page.goto('/retention');
  await page.getByRole('tab', { name: 'Lifetime value' }).click();
  await expect(page).toHaveURL(/\/retention\/value/);
  await expect(page.getByText('BG/NBD: how often customers buy and whether they still do')).toBeVisible();
  await expect(page.getByText('Log-likelihood').first()).toBeVisible();
  await expect(page.getByText(/^Held-out weeks: \d+ orders placed, [\d.,]+ expected$/)).toBeVisible();
  await expect(page.getByText('Subscriptions: shifted-beta-geometric model')).toBeVisible();

  const list = await page.request.get('/api/v1/retention/at-risk?limit=1');
  const [top] = ((await list.json()) as { items: { account: AccountRef }[] }).items;
  await page.goto(`/retention/accounts/${top!.account.id}`);
  await expect(page.getByText('Revenue to date')).toBeVisible();
});
