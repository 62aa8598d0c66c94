import type {
  KbArticle,
  KbArticlePage,
  KbArticleRevision,
  KbArticleVersionList,
  KbCategory,
  KbSearchResult,
  NotificationPage,
} from '@keepdesk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, startTestServer, type TestServer, uniq } from '../../../test/harness';
import { publicArticleByNumber } from '.';

let server: TestServer;
let lead: { authorization: string };
let agent: { authorization: string };
let agentId: string;
let otherAgent: { authorization: string };
let otherAgentId: string;
let lead2: { authorization: string };
let thirdAgent: { authorization: string };
let stranger: { authorization: string };
let reader: { authorization: string };
let categoryId: string;

type Headers = Record<string, string>;

async function call<T>(
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  payload?: object,
  headers: Headers = lead,
): Promise<{ status: number; body: T }> {
  const res = await server.app.inject({ method, url: `/api/v1${url}`, headers, payload });
  return { status: res.statusCode, body: (res.body ? res.json() : undefined) as T };
}

/** A word no other article has: letters only, so the search stems it as one token. */
function word(): string {
  return `zq${[...uniq()].map((c) => String.fromCharCode(97 + (Number.parseInt(c, 16) % 26))).join('')}`;
}

/** A public article in the default brand's help center, published by the lead. */
async function publishedArticle(title = `Reset the router ${uniq()}`): Promise<KbArticle> {
  const created = await call<KbArticle>('POST', '/kb/articles', {
    title,
    body: '<p>Hold the reset button for ten seconds.</p>',
    visibility: 'public',
    categoryId,
    tags: ['router'],
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const published = await call<KbArticle>('POST', `/kb/articles/${created.body.id}/status`, {
    status: 'published',
  });
  expect(published.status).toBe(200);
  return published.body;
}

async function publicSearch(text: string): Promise<string[]> {
  const res = await call<KbSearchResult>('GET', `/public/kb/search?brand=default&q=${text}`, undefined, {});
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items.map((hit) => hit.id);
}

async function notificationsOf(headers: Headers, articleId: string) {
  const page = await call<NotificationPage>('GET', '/notifications?limit=50', undefined, headers);
  return page.body.items.filter((n) => n.target?.id === articleId);
}

beforeAll(async () => {
  server = await startTestServer();
  lead = (await bearerFor(server, 'team_lead')).headers;
  const a = await bearerFor(server, 'agent');
  agent = a.headers;
  agentId = a.user.id;
  const b = await bearerFor(server, 'agent');
  otherAgent = b.headers;
  otherAgentId = b.user.id;
  lead2 = (await bearerFor(server, 'team_lead')).headers;
  thirdAgent = (await bearerFor(server, 'agent')).headers;
  stranger = (await bearerFor(server, 'agent')).headers;
  reader = (await bearerFor(server, 'collaborator')).headers;
  const category = await call<KbCategory>('POST', '/kb/categories', {
    names: { en: 'Devices' },
    slug: `devices-${uniq()}`,
  });
  expect(category.status).toBe(201);
  categoryId = category.body.id;
}, 120_000);
afterAll(async () => {
  await server?.close();
});

describe('pending revisions of published articles', () => {
  it('keeps the live article and the help center unchanged until a publisher approves', async () => {
    const live = await publishedArticle();
    const fresh = word();
    const proposed = await call<KbArticle>(
      'PATCH',
      `/kb/articles/${live.id}`,
      {
        title: `${live.title} (fixed)`,
        body: `<p>Hold the reset button for ${fresh} seconds.</p>`,
        tags: ['router', 'reset'],
        note: 'typo',
        baseVersion: live.version,
        baseRevision: null,
      },
      agent,
    );
    expect(proposed.status, JSON.stringify(proposed.body)).toBe(202);
    expect(proposed.body).toMatchObject({ title: live.title, version: 1, tags: ['router'] });
    expect(proposed.body.pendingRevision).toMatchObject({
      revision: 1,
      baseVersion: 1,
      proposedBy: { id: agentId },
    });

    const read = await call<KbArticle>('GET', `/kb/articles/${live.id}`);
    expect(read.body.bodyText).toContain('ten seconds');
    const shown = await publicArticleByNumber(server.deps, 'default', 'en', live.number);
    expect(shown?.title).toBe(live.title);
    expect(shown?.bodyHtml).not.toContain(fresh);
    expect(await publicSearch(fresh)).toEqual([]);
    const page = await server.app.inject({ method: 'GET', url: `/hc/default/en/articles/${live.number}` });
    expect(page.body).not.toContain(fresh);

    const revision = await call<KbArticleRevision>(
      'GET',
      `/kb/articles/${live.id}/revision`,
      undefined,
      agent,
    );
    expect(revision.status).toBe(200);
    expect(revision.body).toMatchObject({ revision: 1, liveVersion: 1, isStale: false, note: 'typo' });
    expect(revision.body.diff.body).toEqual([
      { op: 'equal', text: 'Hold the reset button for ' },
      { op: 'delete', text: 'ten' },
      { op: 'insert', text: fresh },
      { op: 'equal', text: ' seconds.' },
    ]);
    expect(revision.body.diff.title.filter((s) => s.op === 'insert').map((s) => s.text.trim())).toEqual([
      '(fixed)',
    ]);

    const approved = await call<KbArticle>('POST', `/kb/articles/${live.id}/revision/approve`, {
      revision: 1,
    });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body).toMatchObject({
      title: `${live.title} (fixed)`,
      version: 2,
      tags: ['router', 'reset'],
      status: 'published',
      pendingRevision: null,
    });
    const versions = await call<KbArticleVersionList>('GET', `/kb/articles/${live.id}/versions`);
    expect(versions.body.items[0]).toMatchObject({ version: 2, note: 'typo', author: { id: agentId } });
    expect((await publicArticleByNumber(server.deps, 'default', 'en', live.number))?.bodyHtml).toContain(
      fresh,
    );
    expect(await publicSearch(fresh)).toEqual([live.id]);
    expect((await call('GET', `/kb/articles/${live.id}/revision`)).status).toBe(404);
    const told = await notificationsOf(agent, live.id);
    expect(told.map((n) => n.kind)).toEqual(['kb_revision_approved']);
  });

  it('rejects: the live article stays, the revision goes, the author reads the note', async () => {
    const live = await publishedArticle();
    const proposed = await call('PATCH', `/kb/articles/${live.id}`, { title: 'Something else' }, agent);
    expect(proposed.status).toBe(202);
    const rejected = await call<KbArticle>('POST', `/kb/articles/${live.id}/revision/reject`, {
      note: 'The title is right as it is',
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ title: live.title, version: 1, pendingRevision: null });
    expect((await call('GET', `/kb/articles/${live.id}/revision`)).status).toBe(404);
    const versions = await call<KbArticleVersionList>('GET', `/kb/articles/${live.id}/versions`);
    expect(versions.body.items).toHaveLength(1);
    const told = await notificationsOf(agent, live.id);
    expect(told).toMatchObject([{ kind: 'kb_revision_rejected', excerpt: 'The title is right as it is' }]);
    const outbox = await server.deps.database.query(
      `select type from outbox_events where payload->>'entityId' = $1 and type like 'kb_article.revision%' order by id`,
      [live.id],
    );
    expect(outbox.rows.map((r) => r.type)).toEqual([
      'kb_article.revision_proposed',
      'kb_article.revision_rejected',
    ]);
  });

  it('lets only publishers decide, and keeps the settings of a published article with them', async () => {
    const live = await publishedArticle();
    await call('PATCH', `/kb/articles/${live.id}`, { title: 'Agent title' }, agent);
    const approve = await call('POST', `/kb/articles/${live.id}/revision/approve`, { revision: 1 }, agent);
    expect(approve.status).toBe(403);
    const reject = await call('POST', `/kb/articles/${live.id}/revision/reject`, {}, agent);
    expect(reject.status).toBe(403);
    const settings = await call<{ errors: { field: string }[] }>(
      'PATCH',
      `/kb/articles/${live.id}`,
      { title: 'Agent title', visibility: 'internal', categoryId },
      agent,
    );
    expect(settings.status).toBe(403);
    expect(settings.body.errors.map((e) => e.field)).toEqual(['visibility']);
    expect((await call<KbArticle>('GET', `/kb/articles/${live.id}`)).body).toMatchObject({
      title: live.title,
      visibility: 'public',
    });
  });

  it('gives a second author the same revision to build on, and 409 for a stale one', async () => {
    const live = await publishedArticle();
    const first = await call<KbArticle>('PATCH', `/kb/articles/${live.id}`, { title: 'First fix' }, agent);
    expect(first.body.pendingRevision?.revision).toBe(1);
    // The second author edited what they saw: the live text, not the proposal made meanwhile.
    const blind = await call<{ errors: { field: string }[] }>(
      'PATCH',
      `/kb/articles/${live.id}`,
      { body: '<p>Second fix</p>', baseRevision: null },
      otherAgent,
    );
    expect(blind.status).toBe(409);
    expect(blind.body.errors[0]?.field).toBe('baseRevision');
    const second = await call<KbArticle>(
      'PATCH',
      `/kb/articles/${live.id}`,
      { body: '<p>Second fix</p>', baseRevision: 1 },
      otherAgent,
    );
    expect(second.status).toBe(202);
    expect(second.body.pendingRevision).toMatchObject({
      revision: 2,
      proposedBy: { id: agentId },
      updatedBy: { id: otherAgentId },
    });
    const revision = await call<KbArticleRevision>('GET', `/kb/articles/${live.id}/revision`);
    expect(revision.body).toMatchObject({ title: 'First fix', bodyText: 'Second fix' });
    // The publisher reviewed revision 1; the author saved again since.
    const stale = await call('POST', `/kb/articles/${live.id}/revision/approve`, { revision: 1 });
    expect(stale.status).toBe(409);
    // A publisher's own edit stays live; the proposal then shows as made against an older version.
    const liveEdit = await call<KbArticle>('PATCH', `/kb/articles/${live.id}`, { tags: ['router', 'wifi'] });
    expect(liveEdit.status).toBe(200);
    expect(liveEdit.body).toMatchObject({ version: 2, tags: ['router', 'wifi'] });
    const after = await call<KbArticleRevision>('GET', `/kb/articles/${live.id}/revision`);
    expect(after.body).toMatchObject({ isStale: true, baseVersion: 1, liveVersion: 2 });
    const approved = await call<KbArticle>('POST', `/kb/articles/${live.id}/revision/approve`, {
      revision: 2,
    });
    expect(approved.body).toMatchObject({ title: 'First fix', bodyText: 'Second fix', version: 3 });
    expect((await notificationsOf(otherAgent, live.id)).map((n) => n.kind)).toEqual(['kb_revision_approved']);
  });

  it('withdraws a proposal saved back to the live text; drafts stay open to authors', async () => {
    const live = await publishedArticle();
    await call('PATCH', `/kb/articles/${live.id}`, { title: 'Changed' }, agent);
    const back = await call<KbArticle>('PATCH', `/kb/articles/${live.id}`, { title: live.title }, agent);
    expect(back.status).toBe(200);
    expect(back.body.pendingRevision).toBeNull();
    const draft = await call<KbArticle>('POST', '/kb/articles', { title: `Draft ${uniq()}` }, agent);
    const edited = await call<KbArticle>(
      'PATCH',
      `/kb/articles/${draft.body.id}`,
      { title: 'Edited' },
      agent,
    );
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ title: 'Edited', version: 2, pendingRevision: null });
  });

  it('answers bad input with 400 naming the field, and 404 without a pending revision', async () => {
    const live = await publishedArticle();
    const garbage = await call<{ errors: { field: string }[] }>(
      'PATCH',
      `/kb/articles/${live.id}`,
      { title: 42, baseRevision: 'one' },
      agent,
    );
    expect(garbage.status).toBe(400);
    expect(garbage.body.errors.map((e) => e.field).sort()).toEqual(['baseRevision', 'title']);
    const noRevision = await call('POST', `/kb/articles/${live.id}/revision/approve`, { revision: 1 });
    expect(noRevision.status).toBe(404);
    await call('PATCH', `/kb/articles/${live.id}`, { title: 'Fix' }, agent);
    const badApproval = await call<{ errors: { field: string }[] }>(
      'POST',
      `/kb/articles/${live.id}/revision/approve`,
      { revision: 'latest' },
    );
    expect(badApproval.status).toBe(400);
    expect(badApproval.body.errors.map((e) => e.field)).toEqual(['revision']);
    const longNote = await call<{ errors: { field: string }[] }>(
      'POST',
      `/kb/articles/${live.id}/revision/reject`,
      { note: 'x'.repeat(501) },
    );
    expect(longNote.status).toBe(400);
    expect(longNote.body.errors.map((e) => e.field)).toEqual(['note']);
  });

  it('tells the owner once when a change is first proposed, not on the saves that follow', async () => {
    const live = await publishedArticle();
    await call('PATCH', `/kb/articles/${live.id}`, { title: 'Fix one', note: 'a typo' }, agent);
    await call('PATCH', `/kb/articles/${live.id}`, { title: 'Fix two', baseRevision: 1 }, agent);
    await call('PATCH', `/kb/articles/${live.id}`, { title: 'Fix three', baseRevision: 2 }, otherAgent);
    const told = await notificationsOf(lead, live.id);
    expect(told).toMatchObject([
      {
        kind: 'kb_revision_proposed',
        actor: { id: agentId },
        excerpt: 'a typo',
        target: { name: live.title },
      },
    ]);
    // Another publisher is not bothered while the owner may publish.
    expect(await notificationsOf(lead2, live.id)).toEqual([]);
    // Withdrawn and proposed anew: that is a new proposal, announced again.
    await call('PATCH', `/kb/articles/${live.id}`, { title: live.title }, otherAgent);
    await call('PATCH', `/kb/articles/${live.id}`, { title: 'Fix four' }, otherAgent);
    expect((await notificationsOf(lead, live.id)).map((n) => n.kind)).toEqual([
      'kb_revision_proposed',
      'kb_revision_proposed',
    ]);
  });

  it('tells the user who last published the article when its owner may not publish', async () => {
    const created = await call<KbArticle>('POST', '/kb/articles', {
      title: `Owned by an agent ${uniq()}`,
      body: '<p>Text</p>',
      ownerId: agentId,
    });
    expect(created.status).toBe(201);
    const published = await call(
      'POST',
      `/kb/articles/${created.body.id}/status`,
      { status: 'published' },
      lead2,
    );
    expect(published.status).toBe(200);
    const proposed = await call('PATCH', `/kb/articles/${created.body.id}`, { title: 'Better' }, otherAgent);
    expect(proposed.status).toBe(202);
    expect((await notificationsOf(lead2, created.body.id)).map((n) => n.kind)).toEqual([
      'kb_revision_proposed',
    ]);
    expect(await notificationsOf(lead, created.body.id)).toEqual([]);
    expect(await notificationsOf(agent, created.body.id)).toEqual([]);
  });

  it('filters the list to articles with a pending change', async () => {
    const tag = word();
    const waiting = await publishedArticle(`Waiting ${tag}`);
    const quiet = await publishedArticle(`Quiet ${tag}`);
    await call('PATCH', `/kb/articles/${waiting.id}`, { body: '<p>Better text</p>' }, agent);
    const list = async (pending: string) => {
      const page = await call<KbArticlePage>('GET', `/kb/articles?q=${tag}&pendingRevision=${pending}`);
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      return page.body.items.map((item) => item.id);
    };
    expect(await list('true')).toEqual([waiting.id]);
    expect(await list('false')).toEqual([quiet.id]);
    const bad = await call<{ errors: { field: string }[] }>('GET', '/kb/articles?pendingRevision=yes');
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e) => e.field)).toEqual(['pendingRevision']);
  });

  it('lets the authors who saved a proposal and publishers withdraw it, nobody else', async () => {
    const live = await publishedArticle();
    const url = `/kb/articles/${live.id}/revision`;
    expect((await call('DELETE', url, undefined, agent)).status).toBe(404);
    await call('PATCH', `/kb/articles/${live.id}`, { title: 'One' }, agent);
    await call('PATCH', `/kb/articles/${live.id}`, { title: 'Two', baseRevision: 1 }, otherAgent);
    await call('PATCH', `/kb/articles/${live.id}`, { title: 'Three', baseRevision: 2 }, thirdAgent);
    expect((await call('DELETE', url, undefined, stranger)).status).toBe(403);
    expect((await call('DELETE', url, undefined, reader)).status).toBe(403);
    const stale = await call<{ errors: { field: string }[] }>(
      'DELETE',
      `${url}?revision=2`,
      undefined,
      agent,
    );
    expect(stale.status).toBe(409);
    expect(stale.body.errors[0]?.field).toBe('revision');
    const bad = await call<{ errors: { field: string }[] }>(
      'DELETE',
      `${url}?revision=two`,
      undefined,
      agent,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e) => e.field)).toEqual(['revision']);
    // otherAgent neither started it nor saved it last, but saved it in between.
    const withdrawn = await call<KbArticle>('DELETE', `${url}?revision=3`, undefined, otherAgent);
    expect(withdrawn.status, JSON.stringify(withdrawn.body)).toBe(200);
    expect(withdrawn.body).toMatchObject({ title: live.title, version: 1, pendingRevision: null });
    expect((await call('GET', url)).status).toBe(404);
    // A new proposal is a new start: saving the old one gives no say over it.
    await call('PATCH', `/kb/articles/${live.id}`, { title: 'Four' }, agent);
    await call('PATCH', `/kb/articles/${live.id}`, { title: 'Five', baseRevision: 1 }, thirdAgent);
    expect((await call('DELETE', url, undefined, otherAgent)).status).toBe(403);
    expect((await call<KbArticle>('DELETE', url, undefined, lead2)).status).toBe(200);
    const outbox = await server.deps.database.query(
      `select type from outbox_events where payload->>'entityId' = $1 and type = 'kb_article.revision_withdrawn'`,
      [live.id],
    );
    expect(outbox.rows).toHaveLength(2);
    // Withdrawing tells no one; the lead heard of the two proposals only.
    expect((await notificationsOf(agent, live.id)).map((n) => n.kind)).toEqual([]);
    expect((await notificationsOf(lead, live.id)).map((n) => n.kind)).toEqual([
      'kb_revision_proposed',
      'kb_revision_proposed',
    ]);
  });

  it("turns an author's restore of an old version into a proposal the publisher hears of", async () => {
    const live = await publishedArticle();
    const edited = await call<KbArticle>('PATCH', `/kb/articles/${live.id}`, { title: 'Live title v2' });
    expect(edited.body.version).toBe(2);
    const restored = await call<KbArticle>(
      'POST',
      `/kb/articles/${live.id}/versions/1/restore`,
      undefined,
      agent,
    );
    expect(restored.status, JSON.stringify(restored.body)).toBe(202);
    expect(restored.body).toMatchObject({ title: 'Live title v2', version: 2 });
    expect(restored.body.pendingRevision).toMatchObject({
      revision: 1,
      baseVersion: 2,
      proposedBy: { id: agentId },
    });
    const revision = await call<KbArticleRevision>('GET', `/kb/articles/${live.id}/revision`);
    expect(revision.body).toMatchObject({ title: live.title, note: 'restored version 1' });
    expect(await notificationsOf(lead, live.id)).toMatchObject([
      { kind: 'kb_revision_proposed', excerpt: 'restored version 1' },
    ]);
    const approved = await call<KbArticle>('POST', `/kb/articles/${live.id}/revision/approve`, {
      revision: 1,
    });
    expect(approved.body).toMatchObject({ title: live.title, version: 3 });
  });
});
