import { expect, test } from '@playwright/test';
import { ADMIN, signIn, unique } from './helpers';

test('an admin creates an API token, calls the API with it and revokes it', async ({ page, request }) => {
  const name = `CRM sync ${unique()}`;
  await signIn(page);
  await page.getByRole('link', { name: 'API tokens' }).click();
  await page.getByRole('button', { name: 'Create token' }).click();
  await page.getByLabel('Token name').fill(name);
  await page.getByRole('button', { name: 'Create', exact: true }).click();

  const token = ((await page.getByTestId('new-token').textContent()) ?? '').trim();
  expect(token.length).toBeGreaterThan(20);
  await page.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByRole('row', { name: new RegExp(name) })).toContainText('Active');

  const headers = { authorization: `Bearer ${token}` };
  const me = await request.get('/api/v1/me', { headers });
  expect(me.status()).toBe(200);
  expect((await me.json()).user.email).toBe(ADMIN.email);

  await page.getByRole('button', { name: `Revoke token ${name}` }).click();
  await page.getByRole('dialog', { name: 'Revoke token' }).getByRole('button', { name: 'Revoke' }).click();
  await expect(page.getByRole('row', { name: new RegExp(name) })).toContainText('Revoked');

  const after = await request.get('/api/v1/me', { headers });
  expect(after.status()).toBe(401);
  expect(after.headers()['content-type']).toContain('application/problem+json');
});
