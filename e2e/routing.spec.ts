import { expect, type Page, test } from '@playwright/test';
import { signIn, unique } from './helpers';

async function csrfOf(page: Page): Promise<string> {
  return page.evaluate(
    async () => ((await (await fetch('/api/v1/me')).json()) as { csrfToken: string }).csrfToken,
  );
}

test('a lead turns on least-loaded routing and an online agent gets the next ticket by itself', async ({
  page,
  browser,
}) => {
  const id = unique();
  const team = `Second level ${id}`;
  await signIn(page);
  let csrf = await csrfOf(page);
  const created = await (
    await page.request.post('/api/v1/teams', { headers: { 'x-csrf-token': csrf }, data: { name: team } })
  ).json();
  const users = await page.request.get('/api/v1/users?q=agent%40demo&limit=5');
  expect(users.status(), await users.text()).toBe(200);
  const me = await users.json();
  const aaron = me.items.find((u: { email: string }) => u.email === 'agent@demo.keepdesk.test');
  await page.request.put(`/api/v1/teams/${created.id}/members/${aaron.id}`, {
    headers: { 'x-csrf-token': csrf },
    data: { isLead: false },
  });

  await page.locator('nav').getByRole('link', { name: 'Teams' }).click();
  await page.getByRole('row', { name: new RegExp(team) }).click();
  const drawer = page.getByRole('dialog', { name: team });
  await drawer.getByRole('combobox', { name: 'Routing' }).click();
  await page.getByRole('option', { name: 'Least loaded' }).click();
  await expect(drawer.getByRole('combobox', { name: 'Routing' })).toHaveValue('Least loaded');

  // The agent says they are online.
  const agent = await (await browser.newContext({ locale: 'en-US' })).newPage();
  await signIn(agent, 'agent@demo.keepdesk.test');
  await agent.getByTestId('my-presence').click();
  await agent.getByRole('menuitem', { name: 'Online' }).click();
  await expect(agent.getByTestId('my-presence')).toContainText('Online');

  // A customer writes to the team: the ticket finds the agent without anyone assigning it.
  csrf = await csrfOf(page);
  const subject = `Routed request ${id}`;
  const ticket = await (
    await page.request.post('/api/v1/tickets', {
      headers: { 'x-csrf-token': csrf },
      data: {
        subject,
        requester: { email: `routed-${id}@example.com` },
        message: { body: 'Please help, the export stopped working.' },
        teamId: created.id,
      },
    })
  ).json();
  await agent.goto(`/tickets/${ticket.id}`);
  await expect(agent.getByRole('combobox', { name: 'Assignee' })).toHaveValue('Aaron Agent');
  await agent.getByTestId('my-presence').click();
  await agent.getByRole('menuitem', { name: 'Offline' }).click();
  await expect(agent.getByTestId('my-presence')).toContainText('Offline');
});
