import type { CreatedTicket, PortalTicketPage, Problem } from '@keepdesk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, startTestServer, type TestServer, uniq } from '../../../test/harness';
import { type Headers, makeOrganization, makeTicket, portalSignIn } from './portal.fixture';

let server: TestServer;
let own: CreatedTicket;
let colleagues: CreatedTicket;
let stranger: CreatedTicket;
let A: Headers;

/**
 * `count` more tickets of the requester (and organisation) of `like`, written in one statement: four at a time
 * share their change time to the microsecond, so the cursor must order ties by id; every third is solved.
 */
async function copyTickets(like: CreatedTicket, count: number) {
  await server.deps.database.query(
    `insert into tickets (subject, status_key, status_category, channel, requester_id, organization_id, updated_at)
     select t.subject || ' #' || g, s.key, s.key, t.channel, t.requester_id, t.organization_id,
            timestamptz '2026-01-01' + (g / 4) * interval '1 minute'
       from tickets t, generate_series(1, $2::int) g,
            lateral (select case when g % 3 = 0 then 'solved' else 'open' end as key) s
      where t.id = $1::uuid`,
    [like.id, count],
  );
}

/** The ids the database holds for `where` (over tickets `t`), to compare the pages against. */
async function idsWhere(where: string, values: unknown[]): Promise<string[]> {
  const { rows } = await server.deps.database.query(`select t.id from tickets t where ${where}`, values);
  return rows.map((row) => String(row.id)).sort();
}

async function getPage(query: string): Promise<PortalTicketPage> {
  const res = await server.app.inject({ method: 'GET', url: `/api/v1/portal/tickets?${query}`, headers: A });
  expect(res.statusCode).toBe(200);
  return res.json<PortalTicketPage>();
}

/** Follows `nextCursor` to the end; every page at most `limit` long, ordered newest change first. */
async function readAll(query: string, limit: number) {
  const items: PortalTicketPage['items'] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page: PortalTicketPage = await getPage(
      `${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    expect(page.items.length).toBeLessThanOrEqual(limit);
    items.push(...page.items);
    cursor = page.nextCursor;
    pages++;
  } while (cursor && pages < 50);
  for (let i = 1; i < items.length; i++) {
    expect(items[i - 1]!.updatedAt >= items[i]!.updatedAt).toBe(true);
  }
  const ids = items.map((item) => item.id);
  expect(new Set(ids).size).toBe(ids.length); // no duplicates
  return { ids: ids.sort(), pages, items };
}

beforeAll(async () => {
  server = await startTestServer();
  const agent = (await bearerFor(server, 'agent')).headers;
  const org = await makeOrganization(server, agent, true);
  const otherOrg = await makeOrganization(server, agent, true);
  own = await makeTicket(server, agent, `own-${uniq()}@${org.domain}`);
  colleagues = await makeTicket(server, agent, `colleague-${uniq()}@${org.domain}`);
  stranger = await makeTicket(server, agent, `stranger-${uniq()}@${otherOrg.domain}`);
  await copyTickets(own, 110);
  await copyTickets(colleagues, 40);
  await copyTickets(stranger, 30);
  A = await portalSignIn(server, own.requester.id);
}, 60_000);
afterAll(async () => {
  await server?.close();
});

describe('portal ticket list paging', () => {
  it('pages through more than 100 own tickets to the end without duplicates or gaps', async () => {
    const expected = await idsWhere('t.requester_id = $1::uuid', [own.requester.id]);
    expect(expected).toHaveLength(111);
    const small = await readAll('scope=mine', 25);
    expect(small.ids).toEqual(expected);
    expect(small.pages).toBe(5);
    const large = await readAll('scope=mine', 100);
    expect(large.ids).toEqual(expected);
    expect(large.pages).toBe(2);
    expect(large.items.every((item) => item.isOwn)).toBe(true);
  });

  it('pages through the sharing organisation’s tickets, and nobody else’s', async () => {
    const expected = await idsWhere('t.organization_id = $1::uuid', [own.organization!.id]);
    expect(expected).toHaveLength(152);
    const all = await readAll('scope=organization', 30);
    expect(all.ids).toEqual(expected);
    expect(all.ids).not.toContain(stranger.id);
    expect(all.items.filter((item) => !item.isOwn)).toHaveLength(41);
  });

  it('pages within a status filter', async () => {
    const solved = await idsWhere(`t.requester_id = $1::uuid and t.status_category in ('solved', 'closed')`, [
      own.requester.id,
    ]);
    expect(solved).toHaveLength(36);
    const closed = await readAll('scope=mine&status=closed', 10);
    expect(closed.ids).toEqual(solved);
    expect(closed.items.every((item) => item.status === 'solved')).toBe(true);
    const open = await readAll('scope=mine&status=open', 10);
    expect(open.ids).toEqual(
      await idsWhere(`t.requester_id = $1::uuid and t.status_category not in ('solved', 'closed')`, [
        own.requester.id,
      ]),
    );
  });

  it('answers a forged cursor or a page size out of range with a 400 naming the field', async () => {
    const forged = [
      'not-a-cursor',
      Buffer.from(JSON.stringify(['yesterday', 'x'])).toString('base64url'),
      Buffer.from(JSON.stringify(['1767225600000000', 'not-a-uuid'])).toString('base64url'),
      Buffer.from(JSON.stringify([{}, own.id])).toString('base64url'),
    ];
    for (const cursor of forged) {
      const res = await server.app.inject({
        method: 'GET',
        url: `/api/v1/portal/tickets?cursor=${encodeURIComponent(cursor)}`,
        headers: A,
      });
      expect(res.statusCode).toBe(400);
      expect(res.json<Problem>().errors?.map((e) => e.field)).toEqual(['cursor']);
    }
    for (const limit of ['0', '101', 'many']) {
      const res = await server.app.inject({
        method: 'GET',
        url: `/api/v1/portal/tickets?limit=${limit}`,
        headers: A,
      });
      expect(res.statusCode).toBe(400);
      expect(JSON.stringify(res.json<Problem>().errors)).toContain('limit');
    }
  });
});
