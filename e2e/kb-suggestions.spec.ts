import { expect, type Page, test } from '@playwright/test';
import { createTicket, signIn, unique } from './helpers';

async function csrfOf(page: Page): Promise<string> {
  return page.evaluate(
    async () => ((await (await fetch('/api/v1/me')).json()) as { csrfToken: string }).csrfToken,
  );
}

test('an agent finds a suggested article beside a ticket and puts its link and text into the reply', async ({
  page,
}) => {
  const id = unique();
  await signIn(page);
  const headers = { 'x-csrf-token': await csrfOf(page) };
  const created = await page.request.post('/api/v1/kb/articles', {
    headers,
    data: {
      title: `Recalibrating the flux sensor ${id}`,
      body: `<p>Hold the flux sensor button for ten seconds until the light blinks ${id}.</p>`,
      language: 'en',
      visibility: 'public',
    },
  });
  expect(created.status()).toBe(201);
  const article = (await created.json()) as { id: string };
  const published = await page.request.post(`/api/v1/kb/articles/${article.id}/status`, {
    headers,
    data: { status: 'published' },
  });
  expect(published.status()).toBe(200);

  const ticket = await createTicket(page, {
    subject: `Flux sensor shows wrong values ${id}`,
    email: `sam-${id}@example.com`,
    name: 'Sam Carter',
    body: 'Since yesterday the flux sensor shows wrong values. How do I recalibrate it?',
  });
  await page.goto(`/tickets/${ticket.id}`);
  const card = page.getByTestId('kb-suggestions');
  const suggestion = card
    .getByTestId('kb-suggestion')
    .filter({ hasText: `Recalibrating the flux sensor ${id}` });
  await expect(suggestion).toBeVisible();
  await suggestion.getByRole('button', { name: 'Insert content' }).click();
  const reply = page.getByRole('textbox', { name: 'Reply to the customer' });
  await expect(reply).toHaveValue(
    new RegExp(`Hold the flux sensor button for ten seconds until the light blinks ${id}`),
  );
  await suggestion.getByRole('button', { name: 'Insert link' }).click();
  await expect(reply).toHaveValue(/\/hc\/default\/en\/articles\/\d+-recalibrating-the-flux-sensor/);

  // The card's own search box: other words, other articles.
  await card.getByRole('textbox', { name: 'Search articles' }).fill('qqqnothingmatches');
  await expect(card.getByText('No matching articles')).toBeVisible();

  await page.goto('/knowledge');
  await page.getByRole('link', { name: 'Knowledge analytics' }).click();
  await expect(page.getByRole('heading', { name: 'Knowledge analytics' })).toBeVisible();
  await expect(page.getByTestId('kb-gaps')).toContainText('qqqnothingmatches');
});
