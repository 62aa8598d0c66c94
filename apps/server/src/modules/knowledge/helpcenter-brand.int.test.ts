import { createHash, randomUUID } from 'node:crypto';
import type { Brand, KbSearchResult } from '@keepdesk/contract';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, startTestServer, type TestServer, uniq } from '../../../test/harness';
import { SYSTEM_ACTOR } from '../../platform/events';
import { createBrand } from './brands.service';
import { brands, categories, articles as kbArticles } from './knowledge.tables';
import { listPublicArticles, publicArticleByNumber } from './public.service';
import { searchArticles } from './search.service';
import { articleVector } from './search-document';

let server: TestServer;
let other: Brand;
let defaultBrandId: string;
let defaultCategoryId: string;
let otherCategoryId: string;

beforeAll(async () => {
  server = await startTestServer();
  const db = server.deps.database.db;
  const [fallback] = await db.select().from(brands).where(eq(brands.slug, 'default'));
  defaultBrandId = fallback!.id;
  other = await createBrand(server.deps, SYSTEM_ACTOR, {
    name: `Other ${uniq()}`,
    slug: `other-${uniq()}`,
    defaultLanguage: 'en',
    primaryColor: '#1864ab',
    contactFormEnabled: true,
    maxTicketsPerAddressPerDay: 5,
    widget: {},
  });
  const made = await db
    .insert(categories)
    .values([
      { brandId: defaultBrandId, slug: `general-${uniq()}`, names: { en: 'General' } },
      { brandId: other.id, slug: `shop-${uniq()}`, names: { en: 'Shop' } },
    ])
    .returning();
  defaultCategoryId = made[0]!.id;
  otherCategoryId = made[1]!.id;
});
afterAll(async () => {
  await server?.close();
});

async function makeArticle(input: {
  title: string;
  categoryId: string | null;
  language?: 'de' | 'en';
  visibility?: 'internal' | 'public';
  group?: string;
}) {
  const language = input.language ?? 'en';
  const [row] = await server.deps.database.db
    .insert(kbArticles)
    .values({
      translationGroupId: input.group ?? randomUUID(),
      language,
      title: input.title,
      slug: input.title.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
      bodyHtml: '<p>Some text.</p>',
      bodyText: 'Some text.',
      categoryId: input.categoryId,
      visibility: input.visibility ?? 'public',
      status: 'published',
      publishedAt: new Date(),
      searchVector: articleVector(language, input.title, [], 'Some text.'),
    })
    .returning();
  return row!;
}

const get = (url: string) => server.app.inject({ method: 'GET', url });
const articleUrl = (slug: string, a: { number: number; slug: string; language: string }) =>
  `/hc/${slug}/${a.language}/articles/${a.number}-${a.slug}`;

describe('which brand an article belongs to', () => {
  it('puts an article without a category in the default brand alone, alike in search, pages and the widget', async () => {
    const word = `gnu${uniq().replace(/\d/g, '')}`;
    const loose = await makeArticle({ title: `Loose ${word} notes`, categoryId: null });
    const inDefault = await makeArticle({ title: `General ${word} notes`, categoryId: defaultCategoryId });
    const inOther = await makeArticle({ title: `Shop ${word} notes`, categoryId: otherCategoryId });
    await makeArticle({ title: `Internal ${word} notes`, categoryId: null, visibility: 'internal' });
    const ids = (result: KbSearchResult | Awaited<ReturnType<typeof searchArticles>>) =>
      result.items.map((hit) => hit.id).sort();

    const search = (brandId: string) =>
      searchArticles(server.deps, { text: word, audience: 'public', language: 'en', brandId });
    expect(ids(await search(defaultBrandId))).toEqual([loose.id, inDefault.id].sort());
    expect(ids(await search(other.id))).toEqual([inOther.id]);

    // The widget searches through the public API.
    const widget = await get(`/api/v1/public/kb/search?brand=default&q=${word}&language=en&source=widget`);
    expect(widget.statusCode, widget.body).toBe(200);
    expect(ids(widget.json<KbSearchResult>())).toEqual([loose.id, inDefault.id].sort());
    const otherWidget = await get(`/api/v1/public/kb/search?brand=${other.slug}&q=${word}&source=widget`);
    expect(ids(otherWidget.json<KbSearchResult>())).toEqual([inOther.id]);

    // The help center's own search lists it, and its article page shows it — in the default brand only.
    const page = await get(`/hc/default/en/search?q=${word}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`Loose ${word} notes`);
    expect(page.body).not.toContain(`Shop ${word} notes`);
    expect((await get(articleUrl('default', loose))).statusCode).toBe(200);
    expect((await get(articleUrl(other.slug, loose))).statusCode).toBe(404);
    expect((await get(articleUrl('default', inOther))).statusCode).toBe(404);
    const otherPage = await get(`/hc/${other.slug}/en/search?q=${word}`);
    expect(otherPage.body).toContain(`Shop ${word} notes`);
    expect(otherPage.body).not.toContain(`Loose ${word} notes`);

    // The service reads of public articles follow the same rule.
    expect((await publicArticleByNumber(server.deps, 'default', 'en', loose.number))?.id).toBe(loose.id);
    expect(await publicArticleByNumber(server.deps, other.slug, 'en', loose.number)).toBeNull();
    const listed = (await listPublicArticles(server.deps, 'default', 'en', { limit: 200 })).map((a) => a.id);
    expect(listed).toContain(loose.id);
    expect(listed).not.toContain(inOther.id);
  });

  it("offers a translation only when it is in the page's brand too", async () => {
    const group = randomUUID();
    const english = await makeArticle({ title: `Shipping ${uniq()}`, categoryId: otherCategoryId, group });
    const german = await makeArticle({ title: `Versand ${uniq()}`, categoryId: null, language: 'de', group });

    const page = await get(articleUrl(other.slug, english));
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('hreflang="de" href=');
    // Said in German, to the German reader who wanted the German version.
    expect(page.body).toContain(
      '<p class="muted" lang="de">Diesen Artikel gibt es noch nicht auf Deutsch.</p>',
    );
    const shown = await publicArticleByNumber(server.deps, other.slug, 'en', english.number);
    expect(shown?.translations).toEqual([]);
    const germanPage = await get(articleUrl('default', german));
    expect(germanPage.statusCode).toBe(200);
    expect(germanPage.body).not.toContain('hreflang="en" href=');
  });
});

describe('the help center on the shared page shell', () => {
  it('inlines exactly the style its CSP names, and keeps robots away from search pages only', async () => {
    const article = await makeArticle({ title: `Shell ${uniq()}`, categoryId: defaultCategoryId });
    const res = await get(articleUrl('default', article));
    expect(res.statusCode).toBe(200);
    const css = /<style>([\s\S]*?)<\/style>/.exec(res.body)?.[1] ?? '';
    const hash = `'sha256-${createHash('sha256').update(css).digest('base64')}'`;
    expect(res.headers['content-security-policy']).toContain(`style-src ${hash};`);
    expect(res.body).toContain('<meta name="description" content="Some text.">');
    expect(res.body).not.toContain('name="robots"');
    expect((await get('/hc/default/en/search?q=x')).body).toContain('<meta name="robots" content="noindex">');
  });
});

describe('widget origins of a brand', () => {
  it('refuses an allowed origin that is not scheme, host and port with a 400 naming the field', async () => {
    const lead = await bearerFor(server, 'team_lead');
    const admin = await bearerFor(server, 'admin');
    const url = `/api/v1/kb/brands/${other.id}`;
    const put = (allowedOrigins: string[]) =>
      server.app.inject({
        method: 'PUT',
        url,
        headers: lead.headers,
        payload: { widget: { allowedOrigins } },
      });
    for (const bad of [
      'https://a.example; script-src *',
      'https://a.example;script-src',
      'https://a.example,https://b.example',
      'https://a.example https://b.example',
      'https://a.example/path',
      'ftp://a.example',
      'https://*.example.com',
      'https://a..example',
      "https://a.example'",
    ]) {
      const res = await put(['https://fine.example', bad]);
      expect(res.statusCode, bad).toBe(400);
      expect(res.json<{ errors: { field: string }[] }>().errors.map((e) => e.field)).toContain(
        'widget.allowedOrigins.1',
      );
    }
    const created = await server.app.inject({
      method: 'POST',
      url: '/api/v1/kb/brands',
      headers: admin.headers,
      payload: { name: 'X', slug: `x-${uniq()}`, widget: { allowedOrigins: ['https://a.example/'] } },
    });
    expect(created.statusCode).toBe(400);
    expect(created.body).toContain('widget.allowedOrigins.0');

    const good = await put(['https://shop.example:8443', 'http://localhost:3000']);
    expect(good.statusCode, good.body).toBe(200);
    expect(good.json<Brand>().widget.allowedOrigins).toEqual([
      'https://shop.example:8443',
      'http://localhost:3000',
    ]);
  });

  it('answers with the valid origins of a row stored before the check was strict', async () => {
    const admin = await bearerFor(server, 'admin');
    const db = server.deps.database.db;
    const [row] = await db.select().from(brands).where(eq(brands.id, other.id));
    await db
      .update(brands)
      .set({
        widget: { ...row!.widget, allowedOrigins: ['https://a.example; script-src *', 'https://b.example'] },
      })
      .where(eq(brands.id, other.id));
    const res = await server.app.inject({
      method: 'GET',
      url: `/api/v1/kb/brands/${other.id}`,
      headers: admin.headers,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<Brand>().widget.allowedOrigins).toEqual(['https://b.example']);
  });
});
