import { expect, type Page, test } from '@playwright/test';
import { signIn, unique } from './helpers';

const LEAD = 'lead@demo.keepdesk.test';
const AGENT = 'agent@demo.keepdesk.test';

async function csrfOf(page: Page): Promise<string> {
  return page.evaluate(
    async () => ((await (await fetch('/api/v1/me')).json()) as { csrfToken: string }).csrfToken,
  );
}

async function choose(page: Page, combobox: string, option: string): Promise<void> {
  await page.getByRole('combobox', { name: combobox }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

test('an agent filters the knowledge base by owner and section and sees a colleague publish into it', async ({
  browser,
}) => {
  test.setTimeout(60_000);
  const id = unique();
  const leadContext = await browser.newContext();
  const agentContext = await browser.newContext();
  const lead = await leadContext.newPage();
  const agent = await agentContext.newPage();

  // Lena Lead (German) sets up a category with a section.
  await signIn(lead, LEAD);
  const headers = { 'x-csrf-token': await csrfOf(lead) };
  const category = await lead.request.post('/api/v1/kb/categories', {
    headers,
    data: { names: { en: `Shipping ${id}`, de: `Versand ${id}` } },
  });
  expect(category.status()).toBe(201);
  const categoryId = ((await category.json()) as { id: string }).id;
  const section = await lead.request.post('/api/v1/kb/sections', {
    headers,
    data: { categoryId, names: { en: `Returns ${id}`, de: `Rücksendungen ${id}` } },
  });
  expect(section.status()).toBe(201);
  const sectionId = ((await section.json()) as { id: string }).id;

  // Aaron Agent (English) narrows the list to Lena's published articles in that section: nothing yet.
  await signIn(agent, AGENT);
  await agent.goto('/knowledge');
  await expect(agent.getByRole('combobox', { name: 'Section' })).toBeDisabled();
  await choose(agent, 'Owner', 'Lena Lead');
  await choose(agent, 'Category', `Shipping ${id}`);
  await choose(agent, 'Section', `Returns ${id}`);
  await choose(agent, 'Status', 'Published');
  await expect(agent.getByText('No article matches these filters')).toBeVisible();

  // Lena writes a draft there and publishes it in her browser.
  const title = `Return label lost ${id}`;
  const created = await lead.request.post('/api/v1/kb/articles', {
    headers,
    data: { title, body: '<p>Send a new label.</p>', sectionId },
  });
  expect(created.status()).toBe(201);
  const articleId = ((await created.json()) as { id: string }).id;
  await lead.goto(`/knowledge/articles/${articleId}`);
  await lead.getByRole('button', { name: 'Veröffentlichen' }).click();
  await expect(lead.getByTestId('kb-status').first()).toHaveText('Veröffentlicht');

  // Aaron's list shows it without a reload.
  const row = agent.getByTestId('kb-article-row').filter({ hasText: title });
  await expect(row).toBeVisible();
  await expect(agent.getByTestId('kb-article-row')).toHaveCount(1);

  // "Mine" is Aaron himself, who owns nothing there; clearing the filters brings everything back.
  await choose(agent, 'Owner', 'Mine');
  await expect(agent.getByText('No article matches these filters')).toBeVisible();
  await agent.getByRole('button', { name: 'Clear filters' }).click();
  await expect(agent.getByRole('combobox', { name: 'Owner' })).toHaveValue('');
  await expect(agent.getByRole('combobox', { name: 'Section' })).toBeDisabled();
  await expect(row).toBeVisible();

  await leadContext.close();
  await agentContext.close();
});
