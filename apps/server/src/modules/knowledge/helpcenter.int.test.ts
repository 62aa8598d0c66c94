import { randomUUID } from 'node:crypto';
import type { Brand } from '@keepdesk/contract';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, startTestServer, type TestServer, uniq } from '../../../test/harness';
import { rowsOf } from '../../platform/db';
import { SYSTEM_ACTOR } from '../../platform/events';
import { sanitizeMessage } from '../../platform/html';
import { contactIdentities } from '../customers';
import { tickets } from '../tickets';
import { createBrand } from './brands.service';
import { signFormStart } from './contact.domain';
import { contactFormSecret, submitContactRequest } from './contact.service';
import {
  type ArticleStatus,
  articleFiles,
  articles,
  articleViews,
  articleVotes,
  categories,
  sections,
} from './knowledge.tables';
import { articleVector } from './search-document';
import { flushArticleViews } from './views.service';

let server: TestServer;
let brand: Brand;
let categorySlug: string;
let sectionId: string;
let categoryId: string;

beforeAll(async () => {
  server = await startTestServer();
  brand = await createBrand(server.deps, SYSTEM_ACTOR, {
    name: `Acme ${uniq()}`,
    slug: `acme-${uniq()}`,
    defaultLanguage: 'en',
    primaryColor: '#1864ab',
    contactFormEnabled: true,
    maxTicketsPerAddressPerDay: 5,
    widget: {},
  });
  categorySlug = `account-${uniq()}`;
  const [category] = await server.deps.database.db
    .insert(categories)
    .values({ brandId: brand.id, slug: categorySlug, names: { en: 'Account', de: 'Konto' } })
    .returning();
  categoryId = category!.id;
  const [section] = await server.deps.database.db
    .insert(sections)
    .values({ categoryId, slug: 'login', names: { en: 'Signing in', de: 'Anmelden' } })
    .returning();
  sectionId = section!.id;
});
afterAll(async () => {
  await server?.close();
});

async function makeArticle(input: {
  title: string;
  body: string;
  language?: 'de' | 'en';
  status?: ArticleStatus;
  visibility?: 'internal' | 'public';
  group?: string;
  slug?: string;
}) {
  const language = input.language ?? 'en';
  const body = sanitizeMessage(input.body);
  const [row] = await server.deps.database.db
    .insert(articles)
    .values({
      translationGroupId: input.group ?? randomUUID(),
      language,
      title: input.title,
      slug: input.slug ?? input.title.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
      bodyHtml: body.html,
      bodyText: body.text,
      categoryId,
      sectionId,
      visibility: input.visibility ?? 'public',
      status: input.status ?? 'published',
      publishedAt: new Date(),
      searchVector: articleVector(language, input.title, [], body.text),
    })
    .returning();
  return row!;
}

const hc = (path = '') => `/hc/${brand.slug}${path}`;
const get = (url: string, headers: Record<string, string> = {}) =>
  server.app.inject({ method: 'GET', url, headers });

function multipart(fields: Record<string, string>, files: { name: string; data: Buffer }[] = []) {
  const boundary = `----kd${uniq()}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  }
  for (const file of files) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="attachments"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      file.data,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

async function startedToken(ageMs = 10_000) {
  return signFormStart(await contactFormSecret(server.deps), Date.now() - ageMs);
}

async function postContact(
  fields: Record<string, string>,
  options: { ip?: string; files?: { name: string; data: Buffer }[] } = {},
) {
  const body = multipart({ started: await startedToken(), ...fields }, options.files);
  return server.app.inject({
    method: 'POST',
    url: hc('/en/contact'),
    payload: body.payload,
    headers: body.headers,
    remoteAddress: options.ip ?? `10.1.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
  });
}

async function webTicketsOf(email: string) {
  return rowsOf(
    await server.deps.database.db.execute(sql`
      select t.id, t.number, t.message_count from ${tickets} t
      join ${contactIdentities} ci on ci.contact_id = t.requester_id and ci.kind = 'email'
      where ci.value = ${email.toLowerCase()} and t.channel = 'web'`),
  );
}

describe('help center pages', () => {
  it('redirects /hc/{brand} to the language of the browser', async () => {
    const res = await get(hc(), { 'accept-language': 'de-DE,de;q=0.9,en;q=0.5' });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(hc('/de'));
  });

  it('renders a complete home page with categories, sections and articles', async () => {
    const article = await makeArticle({
      title: `Reset your password ${uniq()}`,
      body: '<p>Steps to reset.</p>',
    });
    const res = await get(hc('/en'));
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(res.body).toContain(`<title>How can we help? – ${brand.name}</title>`);
    expect(res.body).toContain(`<link rel="canonical" href="${server.deps.config.baseUrl}${hc('/en')}">`);
    expect(res.body).toContain(`hreflang="de" href="${server.deps.config.baseUrl}${hc('/de')}"`);
    expect(res.body).toContain('Signing in');
    expect(res.body).toContain(`/articles/${article.number}-${article.slug}`);
    expect(res.body).toContain('href="#main"');
    expect(res.headers['content-security-policy']).toMatch(/default-src 'none'; style-src 'sha256-/);
    expect(res.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(Buffer.byteLength(res.body)).toBeLessThan(20_000);
    const german = await get(hc('/de'));
    expect(german.body).toContain('<html lang="de">');
    expect(german.body).toContain('Anmelden');
  });

  it('renders an article with breadcrumbs, translation links, ETag and a sanitised body', async () => {
    const group = randomUUID();
    const en = await makeArticle({
      title: 'Change your e-mail',
      slug: `change-email-${uniq()}`,
      body: '<p>Open settings.</p><script>window.hacked=1</script><img src="x" onerror="alert(1)"><p>Done.</p>',
      group,
    });
    const de = await makeArticle({
      title: 'E-Mail ändern',
      slug: `email-aendern-${uniq()}`,
      body: '<p>Einstellungen öffnen.</p>',
      language: 'de',
      group,
    });
    const url = hc(`/en/articles/${en.number}-${en.slug}`);
    const res = await get(url);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h1>Change your e-mail</h1>');
    expect(res.body).toContain('Open settings.');
    expect(res.body).not.toMatch(/<script/i);
    expect(res.body).not.toContain('onerror');
    expect(res.body).not.toContain('window.hacked');
    expect(res.body).toContain(`<link rel="canonical" href="${server.deps.config.baseUrl}${url}">`);
    expect(res.body).toContain(
      `hreflang="de" href="${server.deps.config.baseUrl}${hc(`/de/articles/${de.number}-${de.slug}`)}"`,
    );
    expect(res.body).toContain(`<a href="${hc(`/en/categories/${categorySlug}`)}">Account</a>`);
    expect(res.body).toContain('Was this article helpful?');
    expect(res.headers['cache-control']).toBe('public, max-age=60');
    const etag = String(res.headers.etag);
    expect(etag).toMatch(/^".+"$/);
    const again = await get(url, { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it('links the other language home when an article has no translation', async () => {
    const only = await makeArticle({ title: 'Only English', slug: `only-${uniq()}`, body: '<p>x</p>' });
    const res = await get(hc(`/en/articles/${only.number}-${only.slug}`));
    expect(res.body).toContain(`<a href="${hc('/de')}" hreflang="de" lang="de">Deutsch</a>`);
    expect(res.body).not.toContain('<link rel="alternate" hreflang="de"');
    expect(res.body).toContain('nicht auf Deutsch');
  });

  it('moves an old slug or the wrong language permanently to the current address', async () => {
    const article = await makeArticle({ title: 'Renamed', slug: `renamed-${uniq()}`, body: '<p>x</p>' });
    const current = hc(`/en/articles/${article.number}-${article.slug}`);
    const old = await get(hc(`/en/articles/${article.number}-old-title`));
    expect(old.statusCode).toBe(301);
    expect(old.headers.location).toBe(current);
    const bare = await get(hc(`/de/articles/${article.number}`));
    expect(bare.statusCode).toBe(301);
    expect(bare.headers.location).toBe(current);
  });

  it('answers 404 in the page language for internal, draft, archived and unknown articles', async () => {
    const internal = await makeArticle({
      title: 'Internal',
      body: `<p>secret-${uniq()}</p>`,
      visibility: 'internal',
    });
    const draft = await makeArticle({ title: 'Draft', body: `<p>soon-${uniq()}</p>`, status: 'draft' });
    const archived = await makeArticle({
      title: 'Archived',
      body: `<p>old-${uniq()}</p>`,
      status: 'archived',
    });
    for (const a of [internal, draft, archived]) {
      const res = await get(hc(`/de/articles/${a.number}-${a.slug}`));
      expect(res.statusCode).toBe(404);
      expect(res.body).toContain('<html lang="de">');
      expect(res.body).toContain('Seite nicht gefunden');
      expect(res.body).not.toContain(a.bodyText);
    }
    expect((await get(hc('/en/articles/99999999-nothing'))).statusCode).toBe(404);
    expect((await get(hc('/fr'))).statusCode).toBe(404);
    expect((await get('/hc/no-such-brand/en')).statusCode).toBe(404);
  });

  it('searches the published public articles and shows an empty state with the contact form', async () => {
    const word = `zebra${uniq().replace(/\d/g, 'x')}`;
    const hit = await makeArticle({ title: `Export ${word}`, body: `<p>How to export ${word} data.</p>` });
    await makeArticle({ title: `Internal ${word}`, body: '<p>x</p>', visibility: 'internal' });
    const res = await get(hc(`/en/search?q=${word}`));
    expect(res.statusCode).toBe(200);
    // Results lead through the click redirect, never with tracking on the article's own address.
    expect(res.body).toMatch(new RegExp(`href="${hc('/en/search/')}\\d+/open/${hit.number}" rel="nofollow"`));
    expect(res.body).not.toContain(`/articles/${hit.number}-${hit.slug}`);
    expect(res.body).not.toContain(`Internal ${word}`);
    const none = await get(hc('/en/search?q=qqqqqqqqqqqqqqqqq'));
    expect(none.body).toContain('We found no articles');
    expect(none.body).toContain(`href="${hc('/en/contact')}"`);
    const xss = await get(hc(`/en/search?q=${encodeURIComponent('<script>alert(1)</script>')}`));
    expect(xss.body).not.toContain('<script>alert(1)');
  });

  it('serves files of public articles only', async () => {
    const open = await makeArticle({ title: 'With file', body: '<p>x</p>' });
    const closed = await makeArticle({ title: 'Internal file', body: '<p>x</p>', visibility: 'internal' });
    const key = await server.deps.storage.put(Buffer.from('hello file'));
    const [publicFile, internalFile] = await server.deps.database.db
      .insert(articleFiles)
      .values([
        {
          articleId: open.id,
          fileName: 'guide.txt',
          contentType: 'text/plain',
          size: 10,
          sha256: 'x',
          storageKey: key,
        },
        {
          articleId: closed.id,
          fileName: 'secret.txt',
          contentType: 'text/plain',
          size: 10,
          sha256: 'x',
          storageKey: key,
        },
      ])
      .returning();
    const res = await get(`/hc/files/${publicFile!.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('hello file');
    expect(res.headers['content-disposition']).toContain('attachment');
    expect((await get(`/hc/files/${internalFile!.id}`)).statusCode).toBe(404);
    expect((await get(`/hc/files/${randomUUID()}`)).statusCode).toBe(404);
  });
});

describe('views and votes', () => {
  it('counts views in memory and writes them on flush', async () => {
    const article = await makeArticle({ title: 'Counted', slug: `counted-${uniq()}`, body: '<p>x</p>' });
    for (let i = 0; i < 3; i++) await get(hc(`/en/articles/${article.number}-${article.slug}`));
    const db = server.deps.database.db;
    const before = await db.select().from(articleViews).where(eq(articleViews.articleId, article.id));
    expect(before).toEqual([]);
    await flushArticleViews(server.deps);
    const after = await db.select().from(articleViews).where(eq(articleViews.articleId, article.id));
    expect(after).toMatchObject([{ source: 'helpcenter', views: 3 }]);
    const [row] = await db
      .select({ viewCount: articles.viewCount })
      .from(articles)
      .where(eq(articles.id, article.id));
    expect(row!.viewCount).toBe(3);
  });

  it('replaces a second vote of the same browser and keeps the counters', async () => {
    const article = await makeArticle({ title: 'Voted', slug: `voted-${uniq()}`, body: '<p>x</p>' });
    const url = hc(`/en/articles/${article.number}-${article.slug}/vote`);
    const first = await server.app.inject({
      method: 'POST',
      url,
      payload: 'helpful=yes&comment=',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toContain('?voted=1');
    const cookie = first.cookies.find((c) => c.name === 'kd_hc_voter')!;
    expect(cookie.httpOnly).toBe(true);
    const second = await server.app.inject({
      method: 'POST',
      url,
      payload: `helpful=no&comment=${encodeURIComponent('Missing a screenshot')}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `kd_hc_voter=${cookie.value}` },
    });
    expect(second.statusCode).toBe(303);
    await server.app.inject({
      method: 'POST',
      url,
      payload: 'helpful=yes',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const db = server.deps.database.db;
    const votes = await db.select().from(articleVotes).where(eq(articleVotes.articleId, article.id));
    expect(votes).toHaveLength(2);
    expect(votes.find((v) => !v.helpful)?.comment).toBe('Missing a screenshot');
    const [counts] = await db
      .select({ helpful: articles.helpfulCount, notHelpful: articles.notHelpfulCount })
      .from(articles)
      .where(eq(articles.id, article.id));
    expect(counts).toEqual({ helpful: 1, notHelpful: 1 });
    const thanks = await get(String(first.headers.location));
    expect(thanks.body).toContain('Thank you for your feedback!');
  });
});

describe('contact form', () => {
  it('shows a form with labels, a hidden honeypot and a signed start time', async () => {
    const res = await get(hc('/de/contact'));
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<label for="email">');
    expect(res.body).toMatch(/name="started" value="\d+\.[\w-]{22}"/);
    expect(res.body).toContain('<div class="hp" aria-hidden="true">');
    expect(res.body).toContain('enctype="multipart/form-data"');
  });

  it('creates a web ticket with its attachment and says the ticket number', async () => {
    const email = `anna-${uniq()}@example.com`;
    const res = await postContact(
      { name: 'Anna', email, subject: 'Invoice missing', message: 'Where is my invoice?', website: '' },
      { files: [{ name: 'invoice.txt', data: Buffer.from('invoice 42') }] },
    );
    expect(res.statusCode, res.body).toBe(200);
    const [ticket] = await webTicketsOf(email);
    expect(ticket).toBeDefined();
    expect(res.body).toContain(`#${ticket!.number}`);
    const files = rowsOf(
      await server.deps.database.db.execute(
        sql`select file_name from attachments where ticket_id = ${ticket!.id}`,
      ),
    );
    expect(files.map((f) => f.file_name)).toEqual(['invoice.txt']);
  });

  it('shows what was typed escaped when the form has a problem', async () => {
    const res = await postContact({
      email: 'not-an-address',
      subject: '<script>alert(1)</script>',
      message: 'x',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(res.body).not.toContain('<script>alert(1)');
    expect(res.body).toContain('aria-invalid="true" aria-describedby="email-problem"');
  });

  it('answers a filled honeypot or a too fast post with thanks and creates nothing', async () => {
    const email = `bot-${uniq()}@example.com`;
    const trap = await postContact({
      email,
      subject: 'Buy',
      message: 'spam',
      website: 'http://spam.example',
    });
    expect(trap.statusCode).toBe(200);
    expect(trap.body).toContain('Thank you');
    const body = multipart({
      started: signFormStart(await contactFormSecret(server.deps), Date.now()),
      email,
      subject: 'Buy',
      message: 'spam',
    });
    const fast = await server.app.inject({
      method: 'POST',
      url: hc('/en/contact'),
      payload: body.payload,
      headers: body.headers,
    });
    expect(fast.statusCode).toBe(200);
    expect(await webTicketsOf(email)).toEqual([]);
  });

  it('slows one client down with 429 and Retry-After', async () => {
    const ip = `10.9.${Math.floor(Math.random() * 250)}.7`;
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof postContact>> | undefined;
    for (let i = 0; i < 6; i++) {
      last = await postContact(
        { email: `flood${i}-${uniq()}@example.com`, subject: 'Hi', message: 'Hello' },
        { ip },
      );
      statuses.push(last.statusCode);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    expect(last!.body).toContain('Please wait a moment');
  });

  it('never opens more than the daily cap for one address, even with 20 at once', async () => {
    const capped = await createBrand(server.deps, SYSTEM_ACTOR, {
      name: 'Capped',
      slug: `capped-${uniq()}`,
      defaultLanguage: 'en',
      primaryColor: '#1864ab',
      contactFormEnabled: true,
      maxTicketsPerAddressPerDay: 3,
      widget: {},
    });
    const email = `flood-${uniq()}@example.com`;
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        submitContactRequest(server.deps, {
          brandSlug: capped.slug,
          language: 'en',
          name: 'Flood',
          email,
          subject: `Request ${i}`,
          message: `Message ${i}`,
          files: [],
          ip: `10.20.0.${i}`,
          source: 'helpcenter',
        }),
      ),
    );
    const rejected = results.filter((r) => r.status === 'rejected');
    expect(rejected.map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
    const opened = await webTicketsOf(email);
    expect(opened).toHaveLength(3);
    const fulfilled = results.map((r) => (r as PromiseFulfilledResult<{ appended: boolean }>).value);
    expect(fulfilled.filter((r) => !r.appended)).toHaveLength(3);
    // Nothing lost: 3 first messages and 17 added to the latest ticket.
    expect(opened.reduce((sum, t) => sum + Number(t.message_count), 0)).toBe(20);
  });
});

describe('brand settings API', () => {
  it('lists brands, lets a team lead change one and keeps agents out', async () => {
    const lead = await bearerFor(server, 'team_lead');
    const agent = await bearerFor(server, 'agent');
    const list = await server.app.inject({ method: 'GET', url: '/api/v1/kb/brands', headers: agent.headers });
    expect(list.statusCode).toBe(200);
    expect(list.json<{ items: Brand[] }>().items.map((b) => b.slug)).toContain(brand.slug);
    const url = `/api/v1/kb/brands/${brand.id}`;
    const denied = await server.app.inject({
      method: 'PUT',
      url,
      headers: agent.headers,
      payload: { name: 'x' },
    });
    expect(denied.statusCode).toBe(403);
    const changed = await server.app.inject({
      method: 'PUT',
      url,
      headers: lead.headers,
      payload: { maxTicketsPerAddressPerDay: 7, widget: { position: 'bottom-left' } },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json<Brand>()).toMatchObject({
      maxTicketsPerAddressPerDay: 7,
      widget: { position: 'bottom-left', enabled: true },
      helpCenterUrl: `${server.deps.config.baseUrl}/hc/${brand.slug}`,
    });
    const bad = await server.app.inject({
      method: 'PUT',
      url,
      headers: lead.headers,
      payload: { primaryColor: 'red' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('primaryColor');
    const create = await server.app.inject({
      method: 'POST',
      url: '/api/v1/kb/brands',
      headers: lead.headers,
      payload: { name: 'New', slug: `new-${uniq()}` },
    });
    expect(create.statusCode).toBe(403);
    const admin = await bearerFor(server, 'admin');
    const slug = `new-${uniq()}`;
    const created = await server.app.inject({
      method: 'POST',
      url: '/api/v1/kb/brands',
      headers: admin.headers,
      payload: { name: 'New', slug },
    });
    expect(created.statusCode, created.body).toBe(201);
    const taken = await server.app.inject({
      method: 'POST',
      url: '/api/v1/kb/brands',
      headers: admin.headers,
      payload: { name: 'Again', slug },
    });
    expect(taken.statusCode).toBe(409);
  });
});
