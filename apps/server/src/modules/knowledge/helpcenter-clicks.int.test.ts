import { randomUUID } from 'node:crypto';
import type { Brand, KbAnalytics, KbSearchResult } from '@keepdesk/contract';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, startTestServer, type TestServer, uniq } from '../../../test/harness';
import { rowsOf } from '../../platform/db';
import { SYSTEM_ACTOR } from '../../platform/events';
import { createBrand } from './brands.service';
import { type ArticleStatus, articles, categories } from './knowledge.tables';
import { articleVector } from './search-document';

let server: TestServer;
let agent: { headers: { authorization: string } };
let brand: Brand;
let otherBrand: Brand;
let categoryId: string;

// A database of its own: the analytics count every search, so only this file's may be in it.
beforeAll(async () => {
  server = await startTestServer({ isolated: true });
  agent = await bearerFor(server, 'agent');
  const settings = {
    defaultLanguage: 'en' as const,
    primaryColor: '#1864ab',
    contactFormEnabled: true,
    maxTicketsPerAddressPerDay: 5,
    widget: {},
  };
  brand = await createBrand(server.deps, SYSTEM_ACTOR, { name: 'Acme', slug: `acme-${uniq()}`, ...settings });
  otherBrand = await createBrand(server.deps, SYSTEM_ACTOR, {
    name: 'Other',
    slug: `other-${uniq()}`,
    ...settings,
  });
  const [category] = await server.deps.database.db
    .insert(categories)
    .values({ brandId: brand.id, slug: `account-${uniq()}`, names: { en: 'Account', de: 'Konto' } })
    .returning();
  categoryId = category!.id;
});
afterAll(async () => {
  await server?.close();
});

async function makeArticle(input: {
  title: string;
  status?: ArticleStatus;
  visibility?: 'internal' | 'public';
}) {
  const body = `<p>${input.title}</p>`;
  const [row] = await server.deps.database.db
    .insert(articles)
    .values({
      translationGroupId: randomUUID(),
      language: 'en',
      title: input.title,
      slug: input.title.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
      bodyHtml: body,
      bodyText: input.title,
      categoryId,
      visibility: input.visibility ?? 'public',
      status: input.status ?? 'published',
      publishedAt: new Date(),
      searchVector: articleVector('en', input.title, [], input.title),
    })
    .returning();
  return row!;
}

const hc = (path: string) => `/hc/${brand.slug}${path}`;
const get = (url: string, headers: Record<string, string> = {}) =>
  server.app.inject({ method: 'GET', url, headers });
const canonical = (a: { number: number; slug: string }) => hc(`/en/articles/${a.number}-${a.slug}`);

/** The help center's search page for `text`, and the result links it shows. */
async function searchPage(text: string) {
  const res = await get(hc(`/en/search?q=${encodeURIComponent(text)}`));
  expect(res.statusCode).toBe(200);
  const links = [...res.body.matchAll(/<h2><a href="([^"]+)" rel="nofollow">/g)].map((m) => m[1]!);
  return { res, links };
}

async function clickedArticleOf(queryId: number): Promise<string | null> {
  const [row] = rowsOf(
    await server.deps.database.db.execute(
      sql`select clicked_article_id from kb_search_queries where id = ${queryId}`,
    ),
  );
  return (row?.clicked_article_id as string | null | undefined) ?? null;
}

async function latestQueryId(): Promise<number> {
  const [row] = rowsOf(
    await server.deps.database.db.execute(sql`select max(id) as id from kb_search_queries`),
  );
  return Number(row?.id);
}

describe('help center search clicks', () => {
  it('counts the article opened from a result once in the analytics and lands on its canonical address', async () => {
    const word = `okapi${uniq().replace(/\d/g, 'k')}`;
    const first = await makeArticle({ title: `Export ${word} reports` });
    const second = await makeArticle({ title: `Import ${word} reports` });

    const { res, links } = await searchPage(word);
    const queryId = await latestQueryId();
    expect(res.headers['cache-control']).toBe('no-store');
    expect(links).toHaveLength(2);
    const firstLink = hc(`/en/search/${queryId}/open/${first.number}`);
    expect(links).toContain(firstLink);
    expect(res.body).not.toContain(`href="${canonical(first)}"`);

    const opened = await get(firstLink);
    expect(opened.statusCode).toBe(303);
    expect(opened.headers.location).toBe(canonical(first));
    expect(opened.headers['cache-control']).toBe('no-store');
    expect(await clickedArticleOf(queryId)).toBe(first.id);
    const page = await get(String(opened.headers.location));
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('public, max-age=60');

    // Back and again, then the other result: the search keeps its first click.
    expect((await get(firstLink)).statusCode).toBe(303);
    const other = await get(hc(`/en/search/${queryId}/open/${second.number}`));
    expect(other.statusCode).toBe(303);
    expect(other.headers.location).toBe(canonical(second));
    expect(await clickedArticleOf(queryId)).toBe(first.id);

    const today = server.deps.now().toISOString().slice(0, 10);
    const analytics = await get(`/api/v1/kb/analytics?from=${today}&to=${today}`, agent.headers);
    expect(analytics.statusCode, analytics.body).toBe(200);
    const row = analytics.json<KbAnalytics>().topQueries.find((q) => q.query === `${word}`);
    expect(row).toEqual({ query: word, count: 1, averageResults: 2, clickThroughRate: 1 });
  });

  it('still leads to the article with a bogus, old or foreign search, and records nothing', async () => {
    const word = `tapir${uniq().replace(/\d/g, 't')}`;
    const article = await makeArticle({ title: `Pair the ${word} scanner` });
    // A search of another brand (through the public API) must not count a click on this brand's article.
    const foreign = await get(
      `/api/v1/public/kb/search?brand=${otherBrand.slug}&q=${word}&language=en&source=widget`,
    );
    const foreignId = foreign.json<KbSearchResult>().queryId!;
    expect(foreignId).toEqual(expect.any(Number));
    await searchPage(word);
    const oldId = await latestQueryId();
    await server.deps.database.db.execute(
      sql`update kb_search_queries set at = now() - interval '2 days' where id = ${oldId}`,
    );
    for (const queryId of [
      'abc',
      '0',
      '-1',
      '99999999999',
      '123456789012345678901234',
      String(foreignId),
      String(oldId),
    ]) {
      const res = await get(hc(`/en/search/${queryId}/open/${article.number}`));
      expect(res.statusCode, queryId).toBe(303);
      expect(res.headers.location).toBe(canonical(article));
      expect(res.headers['cache-control']).toBe('no-store');
    }
    // The wrong language in the link still ends on the article's own address.
    const german = await get(hc(`/de/search/${oldId}/open/${article.number}`));
    expect(german.headers.location).toBe(canonical(article));
    expect(await clickedArticleOf(foreignId)).toBeNull();
    expect(await clickedArticleOf(oldId)).toBeNull();
  });

  it('answers 404 for an internal, draft or unknown article and records nothing', async () => {
    const word = `quagga${uniq().replace(/\d/g, 'q')}`;
    const about = await makeArticle({ title: `About ${word}` });
    const internal = await makeArticle({ title: `Internal ${word}`, visibility: 'internal' });
    const draft = await makeArticle({ title: `Draft ${word}`, status: 'draft' });
    const { links } = await searchPage(word);
    expect(links).toHaveLength(1);
    const queryId = await latestQueryId();
    for (const number of [String(internal.number), String(draft.number), '99999999', 'nothing']) {
      const res = await get(hc(`/en/search/${queryId}/open/${number}`));
      expect(res.statusCode, number).toBe(404);
      expect(res.body).toContain('Page not found');
    }
    // Another brand's help center does not open this brand's article either.
    const elsewhere = await get(`/hc/${otherBrand.slug}/en/search/${queryId}/open/${about.number}`);
    expect(elsewhere.statusCode).toBe(404);
    expect(await clickedArticleOf(queryId)).toBeNull();

    // The public click API (the widget's) does not count an internal article on a public search either.
    const click = await server.app.inject({
      method: 'POST',
      url: `/api/v1/public/kb/search/${queryId}/click`,
      payload: { articleId: internal.id },
    });
    expect(click.statusCode).toBe(204);
    expect(await clickedArticleOf(queryId)).toBeNull();
  });
});
