import { expect, type Page, test } from '@playwright/test';
import { signIn, unique } from './helpers';

async function csrfOf(page: Page): Promise<string> {
  return page.evaluate(
    async () => ((await (await fetch('/api/v1/me')).json()) as { csrfToken: string }).csrfToken,
  );
}

test('an urgent ticket is routed to an online agent, counts down its SLA, and on breach goes to the team lead', async ({
  page,
  browser,
}) => {
  // The breach is real: a one-minute target and the sweep that runs every minute.
  test.setTimeout(240_000);
  const id = unique();
  await signIn(page);
  const csrf = await csrfOf(page);
  const post = async (url: string, data: object, method: 'post' | 'put' = 'post') =>
    (await page.request[method](`/api/v1${url}`, { headers: { 'x-csrf-token': csrf }, data })).json();
  const users = (await (await page.request.get('/api/v1/users?limit=50')).json()).items as {
    id: string;
    email: string;
  }[];
  const aaron = users.find((u) => u.email === 'agent@demo.keepdesk.test')!;
  const lena = users.find((u) => u.email === 'lead@demo.keepdesk.test')!;
  const team = await post('/teams', { name: `Urgent desk ${id}` });
  await post(`/teams/${team.id}/members/${aaron.id}`, { isLead: false }, 'put');
  await post(`/teams/${team.id}/members/${lena.id}`, { isLead: true }, 'put');
  await post(`/teams/${team.id}/routing`, { method: 'least_loaded' }, 'put');

  // The manager gives the agent room and a skill on the agents page.
  await page.locator('nav').getByRole('link', { name: 'Agents and skills' }).click();
  await page
    .getByTestId('agent-routing')
    .filter({ hasText: 'Aaron Agent' })
    .getByRole('button', { name: 'Edit' })
    .click();
  const dialog = page.getByRole('dialog', { name: 'Routing for Aaron Agent' });
  await dialog.getByRole('textbox', { name: 'Capacity' }).fill('25');
  await dialog.getByRole('button', { name: 'Add skill' }).click();
  await dialog.getByRole('textbox', { name: 'Skill' }).last().fill(`outage${id}`);
  await dialog.getByRole('button', { name: 'Save' }).click();
  const row = page.getByTestId('agent-routing').filter({ hasText: 'Aaron Agent' });
  await expect(row).toContainText('of 25 open tickets');
  await expect(row).toContainText(`outage${id} 3`);

  const policy = await post('/sla-policies', {
    name: `Urgent desk ${id}`,
    conditions: { team: [team.id], priority: ['urgent'] },
    targets: { urgent: { firstResponse: 1 } },
    businessTime: false,
    escalation: {
      atRisk: { notify: ['assignee'] },
      breach: {
        notify: ['assignee', 'team_lead'],
        reassignToLead: true,
        escalationTeamId: null,
        raisePriority: false,
      },
    },
  });
  const policies = (await (await page.request.get('/api/v1/sla-policies')).json()).items as { id: string }[];
  await post(
    '/sla-policies/order',
    { ids: [policy.id, ...policies.map((p) => p.id).filter((p) => p !== policy.id)] },
    'put',
  );

  const agent = await (await browser.newContext({ locale: 'en-US' })).newPage();
  await signIn(agent, 'agent@demo.keepdesk.test');
  await agent.getByTestId('my-presence').click();
  await agent.getByRole('menuitem', { name: 'Online' }).click();
  await expect(agent.getByTestId('my-presence')).toContainText('Online');

  const ticket = await post('/tickets', {
    subject: `Checkout is down ${id}`,
    requester: { email: `shop-${id}@example.com` },
    message: { body: 'Nobody can pay in our shop.' },
    teamId: team.id,
    priority: 'urgent',
  });
  await agent.goto(`/tickets/${ticket.id}`);
  await expect(agent.getByRole('combobox', { name: 'Assignee' })).toHaveValue('Aaron Agent');
  const badge = agent.getByTestId('sla').first();
  await expect(badge).toHaveAttribute('data-state', /on_track|at_risk/);
  await expect(badge).toContainText(/due in/);

  // Nobody answers: the sweep finds the breach and hands the ticket to the lead.
  await expect
    .poll(
      async () =>
        (
          (await (await page.request.get(`/api/v1/tickets/${ticket.id}`)).json()) as {
            assignee: { id: string } | null;
          }
        ).assignee?.id,
      { timeout: 180_000, intervals: [2_000] },
    )
    .toBe(lena.id);
  await agent.reload();
  await expect(agent.getByTestId('sla').first()).toHaveAttribute('data-state', 'breached');
  await expect(agent.getByRole('combobox', { name: 'Assignee' })).toHaveValue('Lena Lead');

  await agent.getByTestId('my-presence').click();
  await agent.getByRole('menuitem', { name: 'Offline' }).click();
  await expect(agent.getByTestId('my-presence')).toContainText('Offline');
});
