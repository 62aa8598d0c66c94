import { expect, test } from '@playwright/test';
import { signIn, unique } from './helpers';

test('an admin creates a user and a team and puts the user into the team', async ({ page }) => {
  const id = unique();
  const name = `Jana Neu ${id}`;
  const email = `jana.${id}@example.com`;
  const team = `Billing ${id}`;
  await signIn(page);

  await page.getByRole('link', { name: 'Users' }).click();
  await page.getByRole('button', { name: 'Add user' }).click();
  const userDialog = page.getByRole('dialog', { name: 'Add user' });
  await userDialog.getByLabel('E-mail').fill(email);
  await userDialog.getByLabel('Name').fill(name);
  await userDialog.getByRole('textbox', { name: 'Password' }).fill('a-long-password-1');
  await userDialog.getByRole('button', { name: 'Save' }).click();
  await expect(userDialog).toBeHidden();
  await page.getByLabel('Search by name or e-mail').fill(id);
  await expect(page.getByRole('row', { name: new RegExp(name) })).toContainText(email);

  await page.getByRole('link', { name: 'Teams' }).click();
  await page.getByRole('button', { name: 'Add team' }).click();
  const teamDialog = page.getByRole('dialog', { name: 'Add team' });
  await teamDialog.getByLabel('Name').fill(team);
  await teamDialog.getByLabel('Description').fill('Invoices and refunds');
  await teamDialog.getByRole('button', { name: 'Create' }).click();

  const drawer = page.getByRole('dialog', { name: team });
  await expect(drawer).toBeVisible();
  await expect(drawer.getByText('This team has no members yet.')).toBeVisible();
  await drawer.getByRole('combobox', { name: 'Add a member' }).fill(id);
  await page.getByRole('option', { name: new RegExp(name) }).click();
  await drawer.getByRole('button', { name: 'Add to team' }).click();
  await expect(drawer.getByRole('cell', { name: new RegExp(email) })).toBeVisible();
  await page.keyboard.press('Escape');

  await expect(page.getByRole('row', { name: new RegExp(team) })).toContainText('1');
});
