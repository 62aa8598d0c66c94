import type { CreatedTicket, Problem, SearchResult } from '@keepdesk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, startTestServer, type TestServer, uniq } from '../../../test/harness';

let server: TestServer;
let agent: Awaited<ReturnType<typeof bearerFor>>;
let marker: string;
let invoice: CreatedTicket;
let parcel: CreatedTicket;
let english: CreatedTicket;

beforeAll(async () => {
  server = await startTestServer();
  agent = await bearerFor(server, 'agent');
  marker = `m${uniq().replace(/-/g, '')}`;
  const create = async (subject: string, body: string, email: string, tags: string[] = []) =>
    (
      await server.app.inject({
        method: 'POST',
        url: '/api/v1/tickets',
        headers: agent.headers,
        payload: {
          subject,
          requester: { email, name: 'Anna Beispiel' },
          message: { body },
          tags: [marker, ...tags],
        },
      })
    ).json<CreatedTicket>();
  invoice = await create(
    'Frage zu meiner Rechnung',
    'Guten Tag, die Rechnungen für Oktober wurden doppelt abgebucht. Bitte prüfen Sie das.',
    `anna-${marker}@example.com`,
    ['billing'],
  );
  parcel = await create(
    'Lieferung fehlt',
    'Mein Paket ist nicht angekommen, obwohl die Sendungsverfolgung „zugestellt“ sagt.',
    `bernd-${marker}@example.com`,
  );
  english = await create(
    'Invoices charged twice',
    'Hello, our invoices were charged twice this month. Could you refund one? <script>x</script>',
    `carol-${marker}@example.org`,
    ['billing'],
  );
});
afterAll(async () => {
  await server?.close();
});

const search = async (q: string) => {
  const res = await server.app.inject({
    url: `/api/v1/search?q=${encodeURIComponent(`${q} tag:${marker}`)}`,
    headers: agent.headers,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<SearchResult>();
};

describe('search', () => {
  it('finds German words by their stem, in messages and subjects, ranked and highlighted', async () => {
    const result = await search('Rechnung');
    expect(result.tickets.map((h) => h.ticket.id)).toEqual([invoice.id]);
    expect(result.tickets[0]!.snippet).toContain('<mark>Rechnung');
    expect(result.tickets[0]!.rank).toBeGreaterThan(0);
  });

  it('finds English words by their stem', async () => {
    const result = await search('invoice refunds');
    expect(result.tickets.map((h) => h.ticket.id)).toEqual([english.id]);
    expect(result.tickets[0]!.snippet).not.toContain('<script>');
  });

  it('matches quoted phrases only as phrases', async () => {
    expect((await search('"Sendungsverfolgung zugestellt"')).tickets.map((h) => h.ticket.id)).toEqual([
      parcel.id,
    ]);
    expect((await search('"Paket angekommen"')).tickets).toEqual([]);
  });

  it('applies filters from the query', async () => {
    const billing = await search('tag:billing');
    expect(billing.tickets.map((h) => h.ticket.id).sort()).toEqual([invoice.id, english.id].sort());
    const fromCarol = await search(`from:carol-${marker}`);
    expect(fromCarol.tickets.map((h) => h.ticket.id)).toEqual([english.id]);
    const open = await search('status:solved');
    expect(open.tickets).toEqual([]);
  });

  it('pages through many hits without repeating one', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: SearchResult = (
        await server.app.inject({
          url: `/api/v1/search?q=${encodeURIComponent(`tag:${marker}`)}&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
          headers: agent.headers,
        })
      ).json<SearchResult>();
      seen.push(...page.tickets.map((h) => h.ticket.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(3);
  });

  it('returns matching contacts with the first page', async () => {
    const res = await server.app.inject({
      url: `/api/v1/search?q=${encodeURIComponent(`bernd-${marker}`)}`,
      headers: agent.headers,
    });
    expect(res.json<SearchResult>().contacts.map((c) => c.email)).toEqual([`bernd-${marker}@example.com`]);
  });

  it('answers an empty query with 400 naming the field', async () => {
    const res = await server.app.inject({ url: '/api/v1/search?q=', headers: agent.headers });
    expect(res.statusCode).toBe(400);
    expect(res.json<Problem>().errors?.[0]?.field).toBe('q');
  });
});
