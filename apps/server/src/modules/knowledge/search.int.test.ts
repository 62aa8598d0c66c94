import { randomUUID } from 'node:crypto';
import type { KbAnalytics, KbSearchResult, KbSuggestionList, Ticket } from '@keepdesk/contract';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, startTestServer, type TestServer, uniq } from '../../../test/harness';
import { SYSTEM_ACTOR } from '../../platform/events';
import { addCustomerMessage } from '../tickets';
import {
  type ArticleStatus,
  articles,
  articleViews,
  articleVotes,
  brands,
  categories,
} from './knowledge.tables';
import { searchArticles } from './search.service';
import { articleVector } from './search-document';

let server: TestServer;
let agent: { headers: { authorization: string } };
let brandId: string;
let categoryId: string;
let otherCategoryId: string;

// A database of its own: the lexicon, the logged queries and the analytics counts are this file's alone.
beforeAll(async () => {
  server = await startTestServer({ isolated: true });
  agent = await bearerFor(server, 'agent');
  const [brand] = await server.deps.database.db
    .insert(brands)
    .values({
      slug: 'default',
      name: 'Default',
      widget: {
        enabled: true,
        primaryColor: '#1864ab',
        textColor: '#ffffff',
        position: 'bottom-right',
        language: 'auto',
        allowedOrigins: [],
      },
    })
    .onConflictDoNothing()
    .returning();
  brandId = brand?.id ?? (await server.deps.database.db.select().from(brands))[0]!.id;
  const made = await server.deps.database.db
    .insert(categories)
    .values([
      { brandId, slug: `account-${uniq()}`, names: { en: 'Account' } },
      { brandId, slug: `billing-${uniq()}`, names: { en: 'Billing' } },
    ])
    .returning();
  categoryId = made[0]!.id;
  otherCategoryId = made[1]!.id;
});
afterAll(async () => {
  await server?.close();
});

interface ArticleInput {
  title: string;
  body: string;
  language?: 'de' | 'en';
  status?: ArticleStatus;
  visibility?: 'internal' | 'public';
  categoryId?: string | null;
  tags?: string[];
  translationGroupId?: string;
}

/** An article as the article service writes it: the search document computed with `articleVector`. */
async function makeArticle(input: ArticleInput) {
  const language = input.language ?? 'en';
  const tags = input.tags ?? [];
  const [row] = await server.deps.database.db
    .insert(articles)
    .values({
      translationGroupId: input.translationGroupId ?? randomUUID(),
      language,
      title: input.title,
      slug: input.title.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
      bodyHtml: `<p>${input.body}</p>`,
      bodyText: input.body,
      tags,
      categoryId: input.categoryId === undefined ? categoryId : input.categoryId,
      visibility: input.visibility ?? 'public',
      status: input.status ?? 'published',
      searchVector: articleVector(language, input.title, tags, input.body),
    })
    .returning();
  return row!;
}

const search = (text: string, rest: Partial<Parameters<typeof searchArticles>[1]> = {}) =>
  searchArticles(server.deps, { text, audience: 'agent', ...rest });
const ids = (result: { items: { id: string }[] }) => result.items.map((hit) => hit.id);

describe('knowledge search', () => {
  it('finds German plurals for a singular query through German stemming', async () => {
    const article = await makeArticle({
      language: 'de',
      title: 'Passwörter sicher verwalten',
      body: 'Alle Passwörter Ihres Teams lassen sich in den Einstellungen zurücksetzen.',
    });
    await makeArticle({ language: 'en', title: 'Invoices', body: 'Nothing about credentials here.' });
    const result = await search('passwort', { language: 'de' });
    expect(ids(result)).toEqual([article.id]);
    expect(result.correctedText).toBeNull();
    expect(result.items[0]?.excerpt).toContain('Passwörter');
  });

  it('finds English inflections through English stemming', async () => {
    const article = await makeArticle({
      title: 'Exporting reports',
      body: 'Every report exports to spreadsheets; scheduled exports arrive each Monday.',
    });
    const result = await search('export report', { language: 'en' });
    expect(ids(result)).toContain(article.id);
    // The German stemmer does not reach English articles when German is asked for.
    expect(ids(await search('export report', { language: 'de' }))).not.toContain(article.id);
  });

  it('corrects a misspelt word against the lexicon and says what it searched for', async () => {
    const article = await makeArticle({
      title: 'Resetting a forgotten password',
      body: 'Open the sign-in page and choose forgot password.',
    });
    const result = await search('pasword', { language: 'en' });
    expect(result.correctedText).toBe('password');
    expect(ids(result)).toContain(article.id);
    const phrase = await search('forgoten pasword');
    expect(phrase.correctedText).toBe('forgotten password');
    expect(ids(phrase)).toContain(article.id);
    // A word nobody wrote stays a miss.
    const nothing = await search('qxzvyk');
    expect(nothing).toMatchObject({ items: [], total: 0, correctedText: null });
  });

  it('keeps the typo lexicon in step with article edits, so removed words are no longer suggested', async () => {
    const article = await makeArticle({
      title: 'Zeppelin mooring',
      body: 'Mooring the zeppelin at the mast.',
    });
    expect((await search('zepelin')).correctedText).toBe('zeppelin');
    await server.deps.database.db
      .update(articles)
      .set({ status: 'archived' })
      .where(eq(articles.id, article.id));
    expect((await search('zepelin')).correctedText).toBeNull();
  });

  it('filters by category, visibility and language', async () => {
    const word = `gizmo${uniq().replace(/\d/g, '')}`;
    const inCategory = await makeArticle({ title: `Setting up the ${word}`, body: 'Plug it in.' });
    const elsewhere = await makeArticle({
      title: `Paying for the ${word}`,
      body: 'Invoices monthly.',
      categoryId: otherCategoryId,
    });
    const internal = await makeArticle({
      title: `Repairing the ${word}`,
      body: 'Agents only.',
      visibility: 'internal',
    });
    const german = await makeArticle({
      language: 'de',
      title: `Das ${word} einrichten`,
      body: 'Einstecken.',
    });
    expect(ids(await search(word)).sort()).toEqual(
      [inCategory.id, elsewhere.id, internal.id, german.id].sort(),
    );
    expect(ids(await search(word, { categoryId: otherCategoryId }))).toEqual([elsewhere.id]);
    expect(ids(await search(word, { visibility: 'internal' }))).toEqual([internal.id]);
    expect(ids(await search(word, { language: 'de' }))).toEqual([german.id]);
    const page = await search(word, { limit: 2, offset: 2 });
    expect(page.total).toBe(4);
    expect(page.items).toHaveLength(2);
  });

  it('never shows internal, draft or archived articles to the public; agents see drafts after published', async () => {
    const word = `wombat${uniq().replace(/\d/g, '')}`;
    const published = await makeArticle({ title: `Feeding the ${word}`, body: 'Carrots.' });
    const internal = await makeArticle({ title: `The ${word} roster`, body: 'x', visibility: 'internal' });
    const draft = await makeArticle({ title: `The ${word} draft`, body: 'x', status: 'draft' });
    const archived = await makeArticle({ title: `The old ${word}`, body: 'x', status: 'archived' });
    const uncategorised = await makeArticle({ title: `A ${word} aside`, body: 'x', categoryId: null });
    const publicResult = await searchArticles(server.deps, { text: word, audience: 'public', brandId });
    // An article without a category belongs to the default brand (this file's brand) — docs/help-center.md.
    expect(ids(publicResult).sort()).toEqual([published.id, uncategorised.id].sort());
    const agentResult = await search(word);
    expect(ids(agentResult)).not.toContain(archived.id);
    expect(ids(agentResult).slice(-1)).toEqual([draft.id]);
    expect(ids(agentResult)).toEqual(expect.arrayContaining([published.id, internal.id, uncategorised.id]));
    // Corrections for the public come only from public words: the internal article's word is not offered.
    await makeArticle({ title: 'Quarterly xylophonist schedule', body: 'x', visibility: 'internal' });
    expect((await search('xylophonst')).correctedText).toBe('xylophonist');
    const publicTypo = await searchArticles(server.deps, { text: 'xylophonst', audience: 'public' });
    expect(publicTypo).toMatchObject({ items: [], total: 0, correctedText: null });
  });

  it('ranks a title match above a body match', async () => {
    const word = `quokka${uniq().replace(/\d/g, '')}`;
    const inBody = await makeArticle({
      title: 'Animal care handbook',
      body: `Our ${word} needs shade. The ${word} eats leaves. Every ${word} sleeps at noon.`,
    });
    const inTitle = await makeArticle({ title: `Caring for a ${word}`, body: 'Shade and leaves.' });
    const result = await search(word);
    expect(ids(result)).toEqual([inTitle.id, inBody.id]);
    expect(result.items[0]!.score).toBeGreaterThan(result.items[1]!.score);
  });
});

describe('relevance of broad queries', () => {
  it('ranks the best title match first even when hundreds of helpful, recent articles also match', async () => {
    const word = `lantern${uniq().replace(/\d/g, '')}`;
    const best = await makeArticle({
      title: `${word} guide`,
      body: `Everything about the ${word}: fitting a ${word}, cleaning a ${word}.`,
      tags: [word],
    });
    // Old and voted unhelpful: every cheap order (helpfulness, recency) puts it last.
    await server.deps.database.db
      .update(articles)
      .set({ notHelpfulCount: 9, updatedAt: new Date('2019-01-01T00:00:00Z') })
      .where(eq(articles.id, best.id));
    const others = Array.from({ length: 260 }, (_, i) => {
      const title = `Shelf ${i} with one ${word} among many other things`;
      const body = `Item ${i} of the warehouse inventory, counted every quarter.`;
      return {
        translationGroupId: randomUUID(),
        language: 'en' as const,
        title,
        slug: `shelf-${i}-${uniq()}`,
        bodyHtml: `<p>${body}</p>`,
        bodyText: body,
        categoryId,
        visibility: 'public' as const,
        status: 'published' as const,
        helpfulCount: 50,
        searchVector: articleVector('en', title, [], body),
      };
    });
    await server.deps.database.db.insert(articles).values(others);
    for (const audience of ['agent', 'public'] as const) {
      const result = await searchArticles(server.deps, { text: word, audience, language: 'en' });
      expect(result.items[0]?.id).toBe(best.id);
      expect(result).toMatchObject({ total: 261, totalCapped: false });
    }
  });

  it('leaves out a title match whose body has a word the query excludes', async () => {
    const word = `beacon${uniq().replace(/\d/g, '')}`;
    const kept = await makeArticle({ title: `${word} setup`, body: 'Mount it on the wall.' });
    await makeArticle({ title: `${word} pairing`, body: 'Pair it with the printer first.' });
    expect(ids(await search(`${word} -printer`, { language: 'en' }))).toEqual([kept.id]);
  });
});

describe('search API and analytics', () => {
  it('logs searches, records clicks and reports top queries, gaps, views and votes with counts', async () => {
    const refund = await makeArticle({ title: 'Refund policy', body: 'Refunds are paid within 14 days.' });
    const other = await makeArticle({ title: 'Refund exceptions', body: 'Gift cards are not refunded.' });
    const get = (url: string, headers: Record<string, string> = agent.headers) =>
      server.app.inject({ method: 'GET', url: `/api/v1${url}`, headers });
    const first = await get('/public/kb/search?brand=default&q=Refund&language=en&source=widget', {});
    expect(first.statusCode, first.body).toBe(200);
    const found = first.json<KbSearchResult>();
    expect(found.items.map((hit) => hit.id)).toEqual(expect.arrayContaining([refund.id, other.id]));
    expect(found.queryId).toEqual(expect.any(Number));
    const click = await server.app.inject({
      method: 'POST',
      url: `/api/v1/public/kb/search/${found.queryId}/click`,
      payload: { articleId: refund.id },
    });
    expect(click.statusCode, click.body).toBe(204);
    expect((await get('/public/kb/search?q=refund%20&source=helpcenter', {})).statusCode).toBe(200);
    expect((await get('/kb/search?q=refund')).json<KbSearchResult>().total).toBe(2);
    for (const q of ['teleport device', 'Teleport  device', 'teleportation']) {
      expect((await get(`/public/kb/search?q=${encodeURIComponent(q)}&language=de`, {})).statusCode).toBe(
        200,
      );
    }
    expect((await get('/public/kb/search?brand=nope&q=refund', {})).statusCode).toBe(404);
    expect((await get('/kb/search?q=refund', {})).statusCode).toBe(401);
    const bad = await get('/kb/search?q=');
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ errors: { field: string }[] }>().errors[0]?.field).toContain('q');

    const today = server.deps.now().toISOString().slice(0, 10);
    const db = server.deps.database.db;
    await db.insert(articleViews).values([
      { articleId: refund.id, day: today, source: 'helpcenter', views: 7 },
      { articleId: refund.id, day: today, source: 'widget', views: 3 },
      { articleId: other.id, day: today, source: 'helpcenter', views: 4 },
    ]);
    await db.insert(articleVotes).values([
      { articleId: refund.id, helpful: true, source: 'helpcenter', voterKey: 'a' },
      { articleId: refund.id, helpful: true, source: 'helpcenter', voterKey: 'b', comment: 'Clear, thanks' },
      { articleId: refund.id, helpful: false, source: 'widget', voterKey: 'c', comment: 'Too short' },
    ]);

    const res = await get(`/kb/analytics?from=${today}&to=${today}`);
    expect(res.statusCode, res.body).toBe(200);
    const analytics = res.json<KbAnalytics>();
    expect(analytics.topQueries[0]).toEqual({
      query: 'refund',
      count: 3,
      averageResults: 2,
      clickThroughRate: 0.333,
    });
    expect(analytics.gaps).toEqual([
      { query: 'teleport device', count: 2, lastSeenAt: expect.any(String), languages: ['de'] },
      { query: 'teleportation', count: 1, lastSeenAt: expect.any(String), languages: ['de'] },
    ]);
    expect(analytics.topArticles.slice(0, 2)).toMatchObject([
      { id: refund.id, views: 10 },
      { id: other.id, views: 4 },
    ]);
    expect(analytics.viewsByDay).toEqual([{ day: today, views: 14 }]);
    expect(analytics.helpfulness[0]).toMatchObject({
      id: refund.id,
      helpful: 2,
      notHelpful: 1,
      ratio: 0.667,
    });
    expect(analytics.helpfulness[0]?.recentComments.map((c) => c.comment).sort()).toEqual([
      'Clear, thanks',
      'Too short',
    ]);
    expect(analytics.totals).toMatchObject({
      noResultSearches: 3,
      views: 14,
      helpfulVotes: 2,
      notHelpfulVotes: 1,
      helpfulRatio: 0.667,
    });
    expect(analytics.totals.searches).toBeGreaterThanOrEqual(6);
    const reversed = await get(`/kb/analytics?from=${today}&to=2000-01-01`);
    expect(reversed.statusCode).toBe(400);
  });
});

describe('suggestions for a ticket', () => {
  it("suggests the matching article in the ticket's language, with its public URL", async () => {
    const group = randomUUID();
    const english = await makeArticle({
      title: 'Two-factor authentication codes',
      body: 'If your authenticator app shows wrong codes, sync the clock of your phone.',
      translationGroupId: group,
    });
    const german = await makeArticle({
      language: 'de',
      title: 'Codes der Zwei-Faktor-Authentifizierung',
      body: 'Zeigt Ihre Authenticator-App falsche Codes, stellen Sie die Uhr Ihres Telefons neu.',
      translationGroupId: group,
    });
    await makeArticle({ title: 'Changing your billing address', body: 'Billing address under settings.' });
    const created = await server.app.inject({
      method: 'POST',
      url: '/api/v1/tickets',
      headers: agent.headers,
      payload: {
        subject: 'Authenticator Codes falsch',
        requester: { email: `kunde-${uniq()}@example.test` },
        message: { body: 'Ich kann mich nicht anmelden, die Codes werden abgelehnt.' },
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const ticket = created.json<Ticket>();
    expect(ticket.language).toBe('de');
    await addCustomerMessage(server.deps, SYSTEM_ACTOR, ticket.id, {
      contactId: ticket.requester.id,
      body: 'Die Authenticator App zeigt immer falsche Codes an.',
      channel: 'email',
    });
    const res = await server.app.inject({
      method: 'GET',
      url: `/api/v1/tickets/${ticket.id}/kb-suggestions`,
      headers: agent.headers,
    });
    expect(res.statusCode, res.body).toBe(200);
    const list = res.json<KbSuggestionList>();
    expect(list.language).toBe('de');
    expect(list.items[0]).toMatchObject({
      id: german.id,
      language: 'de',
      publicUrl: `/hc/default/de/articles/${german.number}-${german.slug}`,
      bodyText: expect.stringContaining('Authenticator-App'),
    });
    expect(list.items.map((item) => item.id)).not.toContain(english.id);
    // The agent's own words replace the ticket text.
    const own = await server.app.inject({
      method: 'GET',
      url: `/api/v1/tickets/${ticket.id}/kb-suggestions?q=billing%20address`,
      headers: agent.headers,
    });
    expect(own.json<KbSuggestionList>().items[0]?.title).toBe('Changing your billing address');
    const missing = await server.app.inject({
      method: 'GET',
      url: `/api/v1/tickets/${randomUUID()}/kb-suggestions`,
      headers: agent.headers,
    });
    expect(missing.statusCode).toBe(404);
  });
});
