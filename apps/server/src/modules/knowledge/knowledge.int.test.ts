import type {
  KbArticle,
  KbArticleDiff,
  KbArticlePage,
  KbArticleVersion,
  KbArticleVersionList,
  KbCategory,
  KbFileList,
  KbSection,
  NotificationPage,
} from '@keepdesk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, startTestServer, type TestServer, uniq } from '../../../test/harness';
import {
  createArticle,
  getArticle,
  listPublicArticles,
  openPublicArticleFile,
  publicArticleByNumber,
  publicCategories,
  seedKnowledgeDemo,
} from '.';
import { remindExpiredArticles } from './verification.service';

let server: TestServer;
let lead: { authorization: string };
let leadId: string;
let agent: { authorization: string };
let agentId: string;

async function call<T>(
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  payload?: object,
  headers: Record<string, string> = lead,
): Promise<{ status: number; body: T }> {
  const res = await server.app.inject({ method, url: `/api/v1${url}`, headers, payload });
  return { status: res.statusCode, body: (res.body ? res.json() : undefined) as T };
}

async function article(overrides: object = {}, headers = lead): Promise<KbArticle> {
  const res = await call<KbArticle>(
    'POST',
    '/kb/articles',
    {
      title: `Reset your password ${uniq()}`,
      body: '<p>Open the settings and click reset.</p>',
      ...overrides,
    },
    headers,
  );
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

beforeAll(async () => {
  server = await startTestServer();
  const l = await bearerFor(server, 'team_lead');
  lead = l.headers;
  leadId = l.user.id;
  const a = await bearerFor(server, 'agent');
  agent = a.headers;
  agentId = a.user.id;
}, 120_000);
afterAll(async () => {
  await server?.close();
});

describe('articles', () => {
  it('creates a draft with a slug, sanitised body, tags and the author as owner', async () => {
    const created = await article({
      title: 'Größe ändern',
      body: '<p onclick="x()">Hi<script>alert(1)</script><img src="x" onerror="alert(1)"></p>',
      tags: ['Billing', ' billing ', 'Plan'],
    });
    expect(created).toMatchObject({
      slug: 'groesse-aendern',
      status: 'draft',
      version: 1,
      tags: ['billing', 'plan'],
      visibility: 'internal',
      owner: { id: leadId },
      missingLanguages: ['de'],
      translations: [],
    });
    expect(created.bodyHtml).not.toMatch(/script|onclick|onerror/);
    expect(created.bodyText).toBe('Hi');
  });

  it('keeps knowledge-base image paths in the body', async () => {
    const id = '0b9a3f5e-1c2d-4e5f-8a9b-0c1d2e3f4a5b';
    const created = await article({ body: `<p>See <img src="/api/v1/kb/files/${id}" alt="x"></p>` });
    expect(created.bodyHtml).toContain(`src="/api/v1/kb/files/${id}"`);
  });

  it('makes a policy internal whatever is asked', async () => {
    const policy = await article({ kind: 'policy', visibility: 'public' });
    expect(policy.visibility).toBe('internal');
  });

  it('finds the article through the search document', async () => {
    const word = `zebra${uniq().replace(/\d/g, '')}`;
    const created = await article({ body: `<p>The ${word} appears here.</p>` });
    const rows = await server.deps.database.query(
      `select id from kb_articles where search_vector @@ plainto_tsquery('simple', $1)`,
      [word],
    );
    expect(rows.rows.map((r) => r.id)).toEqual([created.id]);
  });

  it('walks the workflow; an agent may submit but not publish or edit live', async () => {
    const draft = await article({}, agent);
    const submitted = await call<KbArticle>(
      'POST',
      `/kb/articles/${draft.id}/status`,
      { status: 'in_review' },
      agent,
    );
    expect(submitted.body.status).toBe('in_review');
    const refused = await call('POST', `/kb/articles/${draft.id}/status`, { status: 'published' }, agent);
    expect(refused.status).toBe(403);
    const published = await call<KbArticle>('POST', `/kb/articles/${draft.id}/status`, {
      status: 'published',
    });
    expect(published.body).toMatchObject({ status: 'published' });
    expect(published.body.publishedAt).not.toBeNull();
    // An agent's save of a published article waits for a publisher (revisions.int.test.ts).
    const liveEdit = await call<KbArticle>(
      'PATCH',
      `/kb/articles/${draft.id}`,
      { title: 'Agent edit' },
      agent,
    );
    expect(liveEdit.status).toBe(202);
    expect(liveEdit.body.title).toBe(draft.title);
    const invalid = await call('POST', `/kb/articles/${draft.id}/status`, { status: 'draft' });
    expect(invalid.status).toBe(409);
    const archived = await call<KbArticle>('POST', `/kb/articles/${draft.id}/status`, { status: 'archived' });
    expect(archived.body.status).toBe('archived');
    const outbox = await server.deps.database.query(
      `select type from outbox_events where payload->>'entityId' = $1 order by id`,
      [draft.id],
    );
    expect(outbox.rows.map((r) => r.type)).toEqual([
      'kb_article.created',
      'kb_article.updated',
      'kb_article.published',
      'kb_article.revision_proposed',
      'kb_article.archived',
    ]);
  });

  it('versions content changes, diffs word by word and restores', async () => {
    const created = await article({
      title: 'Invoices',
      body: '<p>Invoices arrive at the start of the month.</p>',
    });
    const edited = await call<KbArticle>('PATCH', `/kb/articles/${created.id}`, {
      body: '<p>Invoices arrive at the end of the month by e-mail.</p>',
      note: 'new billing run',
    });
    expect(edited.body.version).toBe(2);
    const metaOnly = await call<KbArticle>('PATCH', `/kb/articles/${created.id}`, {
      verificationIntervalDays: 90,
    });
    expect(metaOnly.body.version).toBe(2);
    const stale = await call('PATCH', `/kb/articles/${created.id}`, { title: 'x', baseVersion: 1 });
    expect(stale.status).toBe(409);

    const versions = await call<KbArticleVersionList>('GET', `/kb/articles/${created.id}/versions`);
    expect(versions.body.items.map((v) => [v.version, v.note])).toEqual([
      [2, 'new billing run'],
      [1, 'created'],
    ]);
    const v1 = await call<KbArticleVersion>('GET', `/kb/articles/${created.id}/versions/1`);
    expect(v1.body.bodyText).toBe('Invoices arrive at the start of the month.');

    const diff = await call<KbArticleDiff>('GET', `/kb/articles/${created.id}/diff?from=1&to=2`);
    expect(diff.status).toBe(200);
    expect(diff.body.body.filter((s) => s.op === 'delete').map((s) => s.text)).toEqual(['start']);
    expect(diff.body.body.filter((s) => s.op === 'insert').map((s) => s.text.trim())).toEqual([
      'end',
      'by e-mail',
    ]);
    expect(diff.body.title).toEqual([{ op: 'equal', text: 'Invoices' }]);
    const missing = await call('GET', `/kb/articles/${created.id}/diff?from=1&to=9`);
    expect(missing.status).toBe(404);

    const restored = await call<KbArticle>('POST', `/kb/articles/${created.id}/versions/1/restore`);
    expect(restored.body).toMatchObject({
      version: 3,
      bodyText: 'Invoices arrive at the start of the month.',
    });
    const after = await call<KbArticleVersionList>('GET', `/kb/articles/${created.id}/versions`);
    expect(after.body.items[0]).toMatchObject({ version: 3, note: 'restored version 1' });
  });
});

describe('translations', () => {
  it('creates the other language in the same group, refuses a duplicate and filters the missing', async () => {
    const en = await article({ language: 'en', tags: [`t${uniq()}`] });
    const tag = en.tags[0]!;
    const de = await call<KbArticle>('POST', `/kb/articles/${en.id}/translations`, {
      language: 'de',
      title: 'Passwort zurücksetzen',
      body: '<p>Öffne die Einstellungen.</p>',
    });
    expect(de.status).toBe(201);
    expect(de.body).toMatchObject({
      translationGroupId: en.translationGroupId,
      language: 'de',
      slug: 'passwort-zuruecksetzen',
      tags: [tag],
      missingLanguages: [],
      translations: [{ language: 'en', id: en.id, status: 'draft' }],
    });
    const again = await call('POST', `/kb/articles/${en.id}/translations`, {
      language: 'de',
      title: 'Nochmal',
    });
    expect(again.status).toBe(409);
    const reread = await call<KbArticle>('GET', `/kb/articles/${en.id}`);
    expect(reread.body.translations).toEqual([
      { language: 'de', id: de.body.id, title: 'Passwort zurücksetzen', status: 'draft' },
    ]);

    const lonely = await article({ language: 'en' });
    const missingDe = await call<KbArticlePage>(
      'GET',
      '/kb/articles?missingTranslation=de&limit=200&language=en',
    );
    const ids = missingDe.body.items.map((i) => i.id);
    expect(ids).toContain(lonely.id);
    expect(ids).not.toContain(en.id);
  });

  it('pages through a filtered list with a cursor', async () => {
    const owner = await bearerFor(server, 'team_lead');
    for (let i = 0; i < 3; i++) await article({}, owner.headers);
    const first = await call<KbArticlePage>('GET', `/kb/articles?ownerId=${owner.user.id}&limit=2`);
    expect(first.body.items).toHaveLength(2);
    const second = await call<KbArticlePage>(
      'GET',
      `/kb/articles?ownerId=${owner.user.id}&limit=2&cursor=${encodeURIComponent(first.body.nextCursor!)}`,
    );
    expect(second.body.items).toHaveLength(1);
    expect(second.body.nextCursor).toBeNull();
  });
});

describe('verification', () => {
  it('reminds the owner exactly once when expired, and not after a verification', async () => {
    const owner = await bearerFor(server, 'agent');
    const created = await article({ verificationIntervalDays: 30 }, owner.headers);
    expect(created.needsReview).toBe(false);
    expect(Date.parse(created.verificationDueAt!) - Date.parse(created.createdAt)).toBe(30 * 86_400_000);
    const now = new Date();
    // Nothing is due yet.
    await remindExpiredArticles(server.deps, now);
    const inbox = async () =>
      (
        await call<NotificationPage>('GET', '/notifications?limit=50', undefined, owner.headers)
      ).body.items.filter((n) => n.kind === 'kb_needs_review' && n.target?.id === created.id);
    expect(await inbox()).toHaveLength(0);
    const expired = new Date(Date.parse(created.verificationDueAt!) + 3_600_000);
    await remindExpiredArticles(server.deps, expired);
    await remindExpiredArticles(server.deps, expired);
    expect(await inbox()).toHaveLength(1);

    const someoneElse = await call('POST', `/kb/articles/${created.id}/verify`, undefined, agent);
    expect(someoneElse.status).toBe(403);
    const verified = await call<KbArticle>(
      'POST',
      `/kb/articles/${created.id}/verify`,
      undefined,
      owner.headers,
    );
    expect(verified.body.verifiedBy?.id).toBe(owner.user.id);
    const due = Date.parse(verified.body.verificationDueAt!);
    expect(due - Date.parse(verified.body.verifiedAt!)).toBe(30 * 86_400_000);
    await remindExpiredArticles(server.deps, new Date(due - 60_000));
    expect(await inbox()).toHaveLength(1);
    // The verification armed the reminder again for the next expiry.
    await remindExpiredArticles(server.deps, new Date(due + 60_000));
    expect(await inbox()).toHaveLength(2);
  });

  it('shows needsReview once the due date has passed', async () => {
    const created = await article({ verificationIntervalDays: 1 });
    await server.deps.database.query(
      `update kb_articles set verification_due_at = now() - interval '1 hour' where id = $1`,
      [created.id],
    );
    const reread = await call<KbArticle>('GET', `/kb/articles/${created.id}`);
    expect(reread.body.needsReview).toBe(true);
    const listed = await call<KbArticlePage>(
      'GET',
      `/kb/articles?needsReview=true&ownerId=${leadId}&limit=200`,
    );
    expect(listed.body.items.map((i) => i.id)).toContain(created.id);
  });
});

describe('categories, files and public reads', () => {
  it('places a public article in a section, serves its image publicly once published', async () => {
    const slug = `billing-${uniq()}`;
    const category = await call<KbCategory>('POST', '/kb/categories', {
      names: { en: 'Billing', de: 'Rechnungen' },
      slug,
    });
    expect(category.status, JSON.stringify(category.body)).toBe(201);
    const duplicate = await call('POST', '/kb/categories', { names: { en: 'Billing' }, slug });
    expect(duplicate.status).toBe(409);
    const refused = await call('POST', '/kb/categories', { names: { en: 'X' } }, agent);
    expect(refused.status).toBe(403);
    const section = await call<KbSection>('POST', '/kb/sections', {
      categoryId: category.body.id,
      names: { en: 'Invoices' },
    });
    expect(section.body.slug).toBe('invoices');

    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
      'base64',
    );
    const boundary = `----kb${uniq()}`;
    const multipart = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="dot.png"\r\nContent-Type: image/png\r\n\r\n`,
      ),
      png,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const upload = await server.app.inject({
      method: 'POST',
      url: '/api/v1/kb/files',
      headers: { ...agent, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: multipart,
    });
    expect(upload.statusCode, upload.body).toBe(201);
    const file = upload.json<KbFileList>().items[0]!;
    expect(file.contentType).toBe('image/png');

    const created = await article({
      visibility: 'public',
      sectionId: section.body.id,
      body: `<p>Your invoice</p><img src="${file.url}">`,
    });
    expect(created.categoryId).toBe(category.body.id);
    expect(await openPublicArticleFile(server.deps, file.id)).toBeNull();
    expect(await publicArticleByNumber(server.deps, 'default', 'en', created.number)).toBeNull();

    await call('POST', `/kb/articles/${created.id}/status`, { status: 'published' });
    const publicFile = await openPublicArticleFile(server.deps, file.id);
    expect(publicFile?.contentType).toBe('image/png');
    expect(publicFile?.content.equals(png)).toBe(true);
    const shown = await publicArticleByNumber(server.deps, 'default', 'en', created.number);
    expect(shown?.bodyHtml).toContain(`/hc/files/${file.id}`);
    expect(await publicArticleByNumber(server.deps, 'default', 'de', created.number)).toBeNull();
    const listed = await listPublicArticles(server.deps, 'default', 'en', { sectionId: section.body.id });
    expect(listed.map((a) => a.id)).toEqual([created.id]);
    const tree = await publicCategories(server.deps, 'default', 'de');
    expect(tree.find((c) => c.id === category.body.id)).toMatchObject({
      name: 'Rechnungen',
      sections: [{ id: section.body.id, name: 'Invoices' }],
    });
    // Another module's way in: a draft made in its own name, read back.
    const fromAnswer = await createArticle(
      server.deps,
      { kind: 'user', userId: agentId },
      {
        title: 'From an answer',
        body: 'Plain text answer\n\nSecond paragraph',
        language: 'en',
        kind: 'article',
        visibility: 'public',
        categoryId: null,
        sectionId: null,
        tags: [],
        verificationIntervalDays: null,
      },
    );
    expect((await getArticle(server.deps, fromAnswer.id)).bodyHtml).toBe(
      '<p>Plain text answer</p><p>Second paragraph</p>',
    );

    const agentFetch = await server.app.inject({ method: 'GET', url: file.url, headers: agent });
    expect(agentFetch.statusCode).toBe(200);
    expect(agentFetch.headers['content-type']).toBe('image/png');

    const deleted = await call('DELETE', `/kb/categories/${category.body.id}`);
    expect(deleted.status).toBe(204);
    const orphan = await call<KbArticle>('GET', `/kb/articles/${created.id}`);
    expect(orphan.body).toMatchObject({ categoryId: null, sectionId: null });
  });

  it('refuses a section of another category', async () => {
    const a = await call<KbCategory>('POST', '/kb/categories', { names: { en: `A ${uniq()}` } });
    const b = await call<KbCategory>('POST', '/kb/categories', { names: { en: `B ${uniq()}` } });
    const section = await call<KbSection>('POST', '/kb/sections', {
      categoryId: b.body.id,
      names: { en: 'S' },
    });
    const res = await call<{ errors: { field: string }[] }>('POST', '/kb/articles', {
      title: 'Misplaced',
      categoryId: a.body.id,
      sectionId: section.body.id,
    });
    expect(res.status).toBe(400);
    expect(res.body.errors[0]?.field).toBe('sectionId');
  });
});

describe('demo', () => {
  it('seeds articles, a translation, an expired article and a policy once', async () => {
    const first = await seedKnowledgeDemo(server.deps, { lead: leadId, agent: agentId });
    const again = await seedKnowledgeDemo(server.deps, { lead: leadId, agent: agentId });
    // The shared test database may have been seeded by the other run of this file.
    expect(again).toBe(false);
    if (!first) return;
    const expired = await call<KbArticlePage>('GET', `/kb/articles?needsReview=true&ownerId=${agentId}`);
    expect(expired.body.items.map((i) => i.title)).toEqual(['Refunds above 100 euros']);
    const pending = await call<{ items: { title: string }[] }>('GET', '/kb/policies/mine', undefined, agent);
    expect(pending.body.items.map((i) => i.title)).toContain('Data protection when answering customers');
    const german = await call<KbArticlePage>('GET', '/kb/articles?language=de&q=Passwort&status=published');
    expect(german.body.items[0]).toMatchObject({ status: 'published', missingLanguages: [] });
  });
});
