import { expect, type Page, test } from '@playwright/test';
import { signIn, unique } from './helpers';

/** Calls the API with the signed-in session of `page`; fails the test on an unexpected status. */
async function api<T>(
  page: Page,
  method: 'POST' | 'PUT',
  path: string,
  data: object,
  status = 201,
): Promise<T> {
  const csrf = await page.evaluate(
    async () => ((await (await fetch('/api/v1/me')).json()) as { csrfToken: string }).csrfToken,
  );
  const res = await page.request.fetch(`/api/v1${path}`, { method, headers: { 'x-csrf-token': csrf }, data });
  expect(res.status(), await res.text()).toBe(status);
  return (await res.json()) as T;
}

test('a visitor searches the help center, reads an article in both languages and writes in', async ({
  browser,
}) => {
  const id = unique();
  const word = `quokka${id.replace(/\d/g, 'q')}`;

  // An editor publishes an English article with a German translation; its body tries to run script.
  const editor = await browser.newPage();
  await signIn(editor);
  const category = await api<{ id: string }>(editor, 'POST', '/kb/categories', {
    names: { en: `Account ${id}`, de: `Konto ${id}` },
  });
  const section = await api<{ id: string }>(editor, 'POST', '/kb/sections', {
    categoryId: category.id,
    names: { en: 'Signing in', de: 'Anmelden' },
  });
  const article = await api<{ id: string }>(editor, 'POST', '/kb/articles', {
    title: `Reset your ${word} password`,
    body: `<p>Choose “Forgot password” on the ${word} sign-in page.</p><img src="x" onerror="window.__pwned = 1; alert(1)"><script>window.__pwned = 2; alert(2)</script>`,
    language: 'en',
    visibility: 'public',
    categoryId: category.id,
    sectionId: section.id,
  });
  await api(editor, 'POST', `/kb/articles/${article.id}/status`, { status: 'published' }, 200);
  const german = await api<{ id: string }>(editor, 'POST', `/kb/articles/${article.id}/translations`, {
    language: 'de',
    title: `${word}-Passwort zurücksetzen`,
    body: '<p>Wählen Sie „Passwort vergessen“.</p>',
  });
  await api(editor, 'POST', `/kb/articles/${german.id}/status`, { status: 'published' }, 200);
  await editor.close();

  // The visitor has no account; any dialog would mean a script of the article ran.
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  const dialogs: string[] = [];
  page.on('dialog', async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  await page.goto('/hc');
  await expect(page).toHaveURL(/\/hc\/default\/en$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('How can we help?');
  await page.getByRole('searchbox', { name: 'Search the help center' }).fill(word);
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByRole('status')).toHaveText('1 result');
  // The result link counts the click and lands (303) on the article's own address, free of tracking.
  await expect(page.getByRole('link', { name: `Reset your ${word} password` })).toHaveAttribute(
    'href',
    /\/hc\/default\/en\/search\/\d+\/open\/\d+$/,
  );
  await page.getByRole('link', { name: `Reset your ${word} password` }).click();
  await expect(page).toHaveURL(new RegExp(`/hc/default/en/articles/\\d+-reset-your-${word}-password$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Reset your ${word} password`);
  await expect(page.locator('article')).toContainText('Forgot password');
  expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();

  // Keyboard: the skip link is the first stop and leads to the content.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();

  await page.getByRole('navigation', { name: 'Language' }).getByRole('link', { name: 'Deutsch' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${word}-Passwort zurücksetzen`);

  await page.getByRole('button', { name: 'Ja' }).click();
  await expect(page.getByRole('status')).toHaveText('Vielen Dank für Ihre Rückmeldung!');

  // Nothing found for another question: the contact form.
  await page.goto('/hc/default/en/search?q=teleporter+warranty');
  await page.getByRole('link', { name: 'Contact us' }).first().click();
  await page.getByLabel('Your name').fill('Quinn Visitor');
  await page.getByLabel('Your e-mail address').fill(`quinn-${id}@example.com`);
  await page.getByLabel('Subject').fill('Teleporter <script>alert(3)</script> warranty');
  await page.getByLabel('How can we help?').fill('My teleporter broke. Is it covered?');
  await page.getByLabel(/Attachments/).setInputFiles({
    name: 'receipt.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('receipt 42'),
  });
  // A person takes a few seconds; a post within three seconds of opening the form counts as a bot.
  await page.waitForTimeout(3_200);
  await page.getByRole('button', { name: 'Send message' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Thank you, we received your message');
  await expect(page.getByRole('status')).toContainText(/Your request number is #\d+/);
  expect(dialogs).toEqual([]);
  await context.close();
});
