import { expect, test } from '@playwright/test';
import { createTicket, signIn, unique } from './helpers';

test('an agent working a ticket that a colleague merges away is told where the work time went', async ({
  page,
}) => {
  const id = unique();
  await signIn(page, 'agent@demo.keepdesk.test');
  const customer = { email: `ida-${id}@example.com`, name: 'Ida Illner' };
  const duplicate = await createTicket(page, { ...customer, subject: `Doppelt ${id}`, body: 'Nochmal.' });
  const survivor = await createTicket(page, { ...customer, subject: `Original ${id}`, body: 'Zuerst.' });

  // The page's clock is driven by the test: the timer sends the agent's work every 30 seconds.
  await page.clock.install();
  await page.goto(`/tickets/${duplicate.id}`);
  await expect(page.getByRole('heading', { name: new RegExp(`Doppelt ${id}`) })).toBeVisible();

  // Meanwhile the duplicate is merged into the original (through the API, as a colleague's browser would).
  const csrf = await page.evaluate(
    async () => ((await (await fetch('/api/v1/me')).json()) as { csrfToken: string }).csrfToken,
  );
  const merged = await page.request.post(`/api/v1/tickets/${survivor.id}/merge`, {
    headers: { 'x-csrf-token': csrf },
    data: { sourceIds: [duplicate.id] },
  });
  expect(merged.status()).toBe(200);

  await page.mouse.move(200, 200);
  await page.clock.runFor(31_000);
  const notice = page.getByTestId('work-moved');
  await expect(notice).toContainText(`merged into #${survivor.number}`);
  await notice.getByRole('link', { name: `Open #${survivor.number}` }).click();
  await expect(page.getByRole('heading', { name: new RegExp(`Original ${id}`) })).toBeVisible();
  await expect(notice).toHaveCount(0); // the survivor itself was not merged
});
