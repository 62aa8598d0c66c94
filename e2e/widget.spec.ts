import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, type Frame, type Page, test } from '@playwright/test';
import { signIn, unique } from './helpers';

/**
 * A customer's site on another origin embeds the widget with one script tag, under a strict CSP (no inline
 * code or styles, no connect-src) and with hostile CSS; the visitor searches, writes in, and chats live with
 * an agent.
 */
// Resets everything, hides every iframe: the loader's element styles must win anyway.
const HOST_CSS = `
* { all: unset !important; }
iframe { display: none !important; width: 0 !important; height: 0 !important; position: static !important;
  opacity: 0 !important; visibility: hidden !important; }
body { display: block !important; font-family: serif !important; }
`;

const hostPage = (keepdesk: string) => `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Acme Shop</title><link rel="stylesheet" href="/host.css"></head>
<body>
<h1>Acme Shop</h1>
<p>Welcome to our shop.</p>
<script src="${keepdesk}/widget.js" data-brand="default" data-language="en" async></script>
</body>
</html>`;

/**
 * The customer's site on its own port (another origin than Keepdesk). `/strict`: exactly the two sources the
 * docs ask for; `/`: the same plus the site's own stylesheet.
 */
async function startHost(keepdesk: string): Promise<{ url: string; close(): Promise<void> }> {
  const host: Server = createServer((req, res) => {
    const strict = req.url === '/strict';
    const csp = `default-src 'none'; script-src ${keepdesk}; frame-src ${keepdesk}${strict ? '' : "; style-src 'self'"}`;
    if (req.url === '/host.css') {
      res.writeHead(200, { 'content-type': 'text/css', 'content-security-policy': csp }).end(HOST_CSS);
    } else {
      const html = hostPage(keepdesk);
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp })
        .end(strict ? html.replace('<link rel="stylesheet" href="/host.css">', '') : html);
    }
  });
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(host.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => host.close(() => resolve())),
  };
}

/** Records CSP violations in every frame of the page, from before its first script runs (this checker has no DOM types). */
const WATCH_VIOLATIONS = `window.__violations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__violations.push(event.violatedDirective + ' ' + event.blockedURI);
});`;
const violations = (frame: Page | Frame) => frame.evaluate<string[]>('window.__violations');
const pwned = (frame: Page | Frame) => frame.evaluate<number | undefined>('window.__pwned');

test('a visitor on a strict-CSP site searches, writes in and chats live with an agent', async ({
  page,
  browser,
  baseURL,
}) => {
  const id = unique();
  const host = await startHost(baseURL!);
  await page.addInitScript(WATCH_VIOLATIONS);
  await page.goto(host.url);

  // The launcher shows in the corner although the host CSS hides every iframe.
  const frameElement = page.locator('iframe[src*="/widget/frame"]');
  await expect(frameElement).toBeVisible();
  const closed = (await frameElement.boundingBox())!;
  expect(closed.width).toBeGreaterThan(60);
  expect(closed.width).toBeLessThan(100);
  const widget = page.frameLocator('iframe[src*="/widget/frame"]');
  await widget.getByRole('button', { name: 'Open help and contact' }).click();
  await expect(widget.getByRole('tab', { name: 'Search help' })).toHaveAttribute('aria-selected', 'true');
  await expect.poll(async () => (await frameElement.boundingBox())!.width).toBeGreaterThan(300);

  // No article matches: the empty state leads to the contact form.
  await widget.getByRole('searchbox', { name: 'Search the help center' }).fill(`zzqx${id}`);
  await widget.getByRole('searchbox', { name: 'Search the help center' }).press('Enter');
  await expect(widget.getByText(`No articles found for “zzqx${id}”.`)).toBeVisible();
  await widget.getByRole('button', { name: 'Write to us instead' }).click();
  await expect(widget.getByRole('tab', { name: 'Contact us' })).toHaveAttribute('aria-selected', 'true');

  // The contact form: a missing field is named, then the request goes out.
  await widget.getByRole('button', { name: 'Send' }).click();
  await expect(widget.getByText('Please fill in this field.').first()).toBeVisible();
  await widget.getByRole('textbox', { name: 'Your name' }).fill('Wanda Widget');
  await widget.getByRole('textbox', { name: 'Your e-mail address' }).fill(`wanda-${id}@example.com`);
  await widget.getByRole('textbox', { name: 'How can we help?' }).fill(`Where is my order ${id}?`);
  await widget.getByRole('button', { name: 'Send' }).click();
  await expect(widget.getByRole('tab', { name: 'Conversation' })).toHaveAttribute('aria-selected', 'true');
  const status = widget.locator('#kd-conv-status');
  await expect(status).toContainText(/Request #\d+/);
  const number = Number(/#(\d+)/.exec((await status.textContent()) ?? '')?.[1]);
  await expect(widget.getByText(`Where is my order ${id}?`)).toBeVisible();

  // The agent finds the web ticket and answers; the reply appears in the widget without a reload.
  const agent = await browser.newPage();
  await signIn(agent, 'agent@demo.keepdesk.test');
  const csrf = await agent.evaluate(
    async () => ((await (await fetch('/api/v1/me')).json()) as { csrfToken: string }).csrfToken,
  );
  const found = await agent.request.get(`/api/v1/tickets?number=${number}`);
  const ticket = ((await found.json()) as { items: { id: string; channel: string }[] }).items[0]!;
  expect(ticket.channel).toBe('web');
  const reply = await agent.request.post(`/api/v1/tickets/${ticket.id}/messages`, {
    headers: { 'x-csrf-token': csrf },
    data: { body: `It ships today, ${id}.`, visibility: 'public' },
  });
  expect(reply.status()).toBe(201);
  await agent.request.post(`/api/v1/tickets/${ticket.id}/messages`, {
    headers: { 'x-csrf-token': csrf },
    data: { body: `Internal: VIP ${id}`, visibility: 'internal' },
  });
  await expect(widget.getByText(`It ships today, ${id}.`)).toBeVisible();

  // The visitor answers, once with markup that must stay text everywhere.
  const attack = '<img src=x onerror="window.__pwned=1">';
  for (const text of [`Thanks! ${id}`, attack]) {
    await widget.getByRole('textbox', { name: 'Your message' }).fill(text);
    await widget.getByRole('button', { name: 'Send' }).click();
    await expect(widget.getByText(text, { exact: true })).toBeVisible();
  }
  await expect(widget.getByText(`Internal: VIP ${id}`)).toHaveCount(0);

  // The agent sees both messages in the ticket, the markup as text.
  await agent.goto(`/tickets/${ticket.id}`);
  await expect(agent.getByText(`Thanks! ${id}`)).toBeVisible();
  await expect(agent.getByText(attack)).toBeVisible();
  expect(await pwned(agent)).toBeUndefined();

  // Nothing ran, and neither the host page nor the frame broke a CSP rule.
  const frame = page.frames().find((f) => f.url().includes('/widget/frame'))!;
  expect(await pwned(page)).toBeUndefined();
  expect(await pwned(frame)).toBeUndefined();
  expect(await violations(page)).toEqual([]);
  expect(await violations(frame)).toEqual([]);
  // The watcher itself works: an inline style attribute on the host is a violation it reports.
  await page.evaluate("document.body.setAttribute('style', 'color: red')");
  await expect.poll(() => violations(page)).toEqual([expect.stringContaining('style-src')]);

  // After a reload the conversation is still there (the frame's own storage), closed by Escape.
  await page.reload();
  await widget.getByRole('button', { name: 'Open help and contact' }).click();
  await expect(widget.getByRole('tab', { name: 'Conversation' })).toHaveAttribute('aria-selected', 'true');
  await expect(widget.getByText(`It ships today, ${id}.`)).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(widget.getByRole('button', { name: 'Open help and contact' })).toBeVisible();
  await agent.close();
  await host.close();
});

/** Searches after which an article was opened, from the knowledge analytics of today (UTC). */
async function clickedSearches(agent: Page): Promise<number> {
  const today = new Date().toISOString().slice(0, 10);
  const res = await agent.request.get(`/api/v1/kb/analytics?from=${today}&to=${today}`);
  expect(res.status()).toBe(200);
  const { totals } = (await res.json()) as { totals: { searches: number; clickThroughRate: number | null } };
  return Math.round((totals.clickThroughRate ?? 0) * totals.searches);
}

test('the widget needs nothing but script-src and frame-src for Keepdesk', async ({
  page,
  browser,
  baseURL,
}) => {
  const host = await startHost(baseURL!);
  await page.addInitScript(WATCH_VIOLATIONS);
  await page.goto(`${host.url}/strict`);
  const widget = page.frameLocator('iframe[src*="/widget/frame"]');
  await widget.getByRole('button', { name: 'Open help and contact' }).click();
  // Arrow keys move between the tabs (Conversation is hidden until the visitor writes in).
  await widget.getByRole('tab', { name: 'Search help' }).press('ArrowRight');
  await expect(widget.getByRole('tab', { name: 'Contact us' })).toHaveAttribute('aria-selected', 'true');
  await expect(widget.getByRole('tab', { name: 'Contact us' })).toBeFocused();
  await widget.getByRole('tab', { name: 'Contact us' }).press('ArrowRight');
  await expect(widget.getByRole('tab', { name: 'Search help' })).toHaveAttribute('aria-selected', 'true');
  await widget.getByRole('searchbox', { name: 'Search the help center' }).fill('password');
  await widget.getByRole('button', { name: 'Search' }).click();
  await expect(widget.getByRole('status').first()).not.toBeEmpty();

  // Opening a result opens the article in a new tab and counts the click in the knowledge analytics.
  const agent = await browser.newPage();
  await signIn(agent, 'lead@demo.keepdesk.test');
  const before = await clickedSearches(agent);
  const reported = page.waitForResponse((res) => /\/public\/kb\/search\/\d+\/click$/.test(res.url()));
  const opened = page.waitForEvent('popup');
  await widget.getByRole('link', { name: 'Reset your password', exact: true }).click();
  expect((await reported).status()).toBe(204);
  const article = await opened;
  await expect(article.getByRole('heading', { level: 1 })).toHaveText('Reset your password');
  await expect.poll(() => clickedSearches(agent)).toBe(before + 1);

  const frame = page.frames().find((f) => f.url().includes('/widget/frame'))!;
  expect(await violations(page)).toEqual([]);
  expect(await violations(frame)).toEqual([]);
  await agent.close();
  await host.close();
});
