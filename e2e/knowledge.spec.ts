import { expect, type Page, test } from '@playwright/test';
import { signIn, unique } from './helpers';

const LEAD = 'lead@demo.keepdesk.test';
const AGENT = 'agent@demo.keepdesk.test';

async function csrfOf(page: Page): Promise<string> {
  return page.evaluate(
    async () => ((await (await fetch('/api/v1/me')).json()) as { csrfToken: string }).csrfToken,
  );
}

test('a team lead writes, publishes, edits, compares, restores and translates an article', async ({
  page,
}) => {
  // A long journey through many saves; the default 30 s is tight on a busy machine.
  test.setTimeout(90_000);
  const id = unique();
  // Lena Lead works in German.
  await signIn(page, LEAD);
  await page.getByRole('link', { name: 'Wissen' }).click();
  await expect(page.getByRole('heading', { name: 'Wissensdatenbank' })).toBeVisible();
  await page.getByRole('link', { name: 'Neuer Artikel' }).click();
  await page.getByLabel('Titel').fill(`Reset the router ${id}`);
  await page.getByTestId('kb-body').click();
  await page.keyboard.type('Hold the reset button for ten seconds.');
  await page.getByRole('button', { name: 'Speichern' }).click();
  await expect(page.getByRole('heading', { name: `Reset the router ${id}` })).toBeVisible();
  await expect(page.getByTestId('kb-status')).toHaveText('Entwurf');

  await page.getByRole('button', { name: 'Veröffentlichen' }).click();
  await expect(page.getByTestId('kb-status')).toHaveText('Veröffentlicht');

  // A live edit by a publisher: a new version.
  const body = page.getByTestId('kb-body');
  await body.click();
  await page.keyboard.press('End');
  await page.keyboard.type(' Then wait for the green light.');
  await page.getByRole('button', { name: 'Speichern' }).click();
  await expect(page.getByText('Version 2', { exact: false }).first()).toBeVisible();

  await page.getByRole('tab', { name: 'Versionen' }).click();
  await expect(page.getByTestId('kb-version')).toHaveCount(2);
  const diff = page.getByTestId('kb-diff-body');
  await expect(diff.locator('ins')).toContainText('Then wait for the green light');

  await page.getByTestId('kb-version').filter({ hasText: 'Version 1' }).click();
  await page.getByRole('button', { name: 'Version 1 wiederherstellen' }).click();
  await expect(page.getByTestId('kb-version')).toHaveCount(3);
  await expect(page.getByTestId('kb-version').first()).toContainText('restored version 1');
  await expect(diff.locator('del')).toContainText('Then wait for the green light');

  await page.getByRole('tab', { name: 'Übersetzungen' }).click();
  await page.getByLabel('Titel auf Deutsch').fill(`Router zurücksetzen ${id}`);
  await page.getByRole('button', { name: 'Deutsche Übersetzung anlegen' }).click();
  await expect(page.getByRole('heading', { name: `Router zurücksetzen ${id}` })).toBeVisible();
  await page.getByRole('tab', { name: 'Übersetzungen' }).click();
  await expect(page.getByTestId('kb-translation')).toContainText(`Reset the router ${id}`);

  await page.goto('/knowledge');
  const row = page.getByTestId('kb-article-row').filter({ hasText: `Reset the router ${id}` });
  await expect(row).toBeVisible();
  await expect(row).not.toContainText('DE fehlt');
});

test('an agent acknowledges a new policy, and the lead sees it', async ({ browser }) => {
  const id = unique();
  const lead = await browser.newPage();
  await signIn(lead, LEAD);
  const headers = { 'x-csrf-token': await csrfOf(lead) };
  const created = await lead.request.post('/api/v1/kb/articles', {
    headers,
    data: {
      title: `Refund policy ${id}`,
      body: '<p>Refunds up to 50 € without approval.</p>',
      kind: 'policy',
    },
  });
  expect(created.status()).toBe(201);
  const policy = (await created.json()) as { id: string };
  const published = await lead.request.post(`/api/v1/kb/articles/${policy.id}/status`, {
    headers,
    data: { status: 'published' },
  });
  expect(published.status()).toBe(200);

  const agent = await browser.newPage();
  await signIn(agent, AGENT);
  await expect(agent.getByTestId('kb-pending-count')).toBeVisible();
  await agent.getByRole('link', { name: 'Knowledge' }).click();
  const banner = agent.getByTestId('kb-policy-banner');
  await expect(banner).toContainText(`Refund policy ${id}`);
  const pending = agent.getByTestId('kb-pending-policy').filter({ hasText: `Refund policy ${id}` });
  await pending.getByRole('button', { name: 'I have read version 1' }).click();
  await expect(pending).toHaveCount(0);

  await lead.goto(`/knowledge/articles/${policy.id}`);
  await lead.getByRole('tab', { name: 'Bestätigungen' }).click();
  await expect(lead.getByTestId('kb-acknowledgement').filter({ hasText: 'Aaron Agent' })).toContainText(
    'Bestätigt',
  );
  await expect(lead.getByTestId('kb-acknowledgement').filter({ hasText: 'Anna Agentin' })).toContainText(
    'Offen',
  );
});

test('an agent proposes a fix to a published article, the lead approves it, the help center shows it', async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const id = unique();
  const lead = await browser.newPage();
  await signIn(lead, LEAD);
  const headers = { 'x-csrf-token': await csrfOf(lead) };
  const category = await lead.request.post('/api/v1/kb/categories', {
    headers,
    data: { names: { en: 'Routers' }, slug: `routers-${id}` },
  });
  expect(category.status()).toBe(201);
  const created = await lead.request.post('/api/v1/kb/articles', {
    headers,
    data: {
      title: `Restart the modme ${id}`,
      body: '<p>Pull the plug for ten seconds.</p>',
      visibility: 'public',
      categoryId: ((await category.json()) as { id: string }).id,
    },
  });
  const article = (await created.json()) as { id: string; number: number };
  const published = await lead.request.post(`/api/v1/kb/articles/${article.id}/status`, {
    headers,
    data: { status: 'published' },
  });
  expect(published.status()).toBe(200);

  // Aaron Agent (kb:write only) fixes the typo; the live article waits for a publisher.
  const agent = await browser.newPage();
  await signIn(agent, AGENT);
  await agent.goto(`/knowledge/articles/${article.id}`);
  await agent.getByLabel('Title').fill(`Restart the modem ${id}`);
  await agent.getByRole('button', { name: 'Submit for review' }).click();
  await expect(agent.getByText('Submitted for review', { exact: true })).toBeVisible();
  await expect(agent.getByTestId('kb-revision-banner')).toContainText('Aaron Agent');
  await expect(agent.getByTestId('kb-change-pending')).toBeVisible();
  const visitor = await browser.newPage();
  await visitor.goto(`/hc/default/en/articles/${article.number}`);
  await expect(visitor.getByRole('heading', { level: 1 })).toHaveText(`Restart the modme ${id}`);

  // Lena Lead owns the article: the bell tells her, and the list filter finds every change waiting.
  await lead.goto('/knowledge');
  await lead.getByTestId('notification-bell').click();
  await expect(lead.getByTestId('notification').filter({ hasText: `Restart the modme ${id}` })).toContainText(
    'Aaron Agent hat eine Änderung',
  );
  await lead.keyboard.press('Escape');
  await lead.getByLabel('Artikel suchen').fill(id);
  await lead.getByRole('switch', { name: 'Änderung wartet' }).check({ force: true });
  const row = lead.getByTestId('kb-article-row');
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId('kb-change-pending')).toBeVisible();

  // She reviews the word diff and approves.
  await row.getByRole('link', { name: `Restart the modme ${id}` }).click();
  await lead.getByRole('button', { name: 'Änderungen prüfen' }).click();
  const diff = lead.getByTestId('kb-revision-diff-title');
  await expect(diff.locator('del')).toHaveText('modme');
  await expect(diff.locator('ins')).toHaveText('modem');
  await lead.getByRole('button', { name: 'Freigeben' }).click();
  await expect(lead.getByTestId('kb-revision-banner')).toHaveCount(0);
  await expect(lead.getByRole('heading', { name: `Restart the modem ${id}` })).toBeVisible();
  await expect(lead.getByText('Version 2', { exact: false }).first()).toBeVisible();

  // The help center keeps a rendered page for a few seconds (ADR 0042), then shows the fix.
  await expect(async () => {
    await visitor.reload();
    await expect(visitor.getByRole('heading', { level: 1 })).toHaveText(`Restart the modem ${id}`, {
      timeout: 1_000,
    });
  }).toPass({ timeout: 15_000 });
});
