import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test/harness';
import { seedTickets } from './seed';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ isolated: true });
});
afterAll(async () => {
  await server?.close();
});

describe('volume seeding', () => {
  it('adds tickets with messages, customers and search documents, reporting progress', async () => {
    const progress: number[] = [];
    const result = await seedTickets(server.deps.database, {
      tickets: 250,
      messagesPerTicket: 2,
      batchSize: 100,
      onProgress: (done) => progress.push(done),
    });
    expect(result).toEqual({ tickets: 250 });
    expect(progress).toEqual([100, 200, 250]);
    const { rows } = await server.deps.database.query(`
      select count(*)::int as tickets,
             count(distinct number)::int as numbers,
             count(*) filter (where search_vector is null)::int as unindexed,
             count(distinct language)::int as languages,
             count(distinct status_category)::int as categories,
             (select count(*)::int from ticket_messages) as messages,
             (select count(*)::int from tickets t where not exists (
                select 1 from contact_identities ci where ci.contact_id = t.requester_id)) as without_address
        from tickets`);
    expect(rows[0]).toEqual({
      tickets: 250,
      numbers: 250,
      unindexed: 0,
      languages: 2,
      categories: 6,
      messages: 500,
      without_address: 0,
    });
    const history = await server.deps.database.query(`
      select count(*) filter (where kind = 'created')::int as created,
             count(distinct ticket_id) filter (where kind = 'replied')::int as replied,
             (select count(*)::int from tickets where status_category <> 'new') as answered
        from ticket_events`);
    expect(history.rows[0]).toMatchObject({ created: 250 });
    expect(history.rows[0]!.replied).toBe(history.rows[0]!.answered);
    const found = await server.deps.database.query(
      `select count(*)::int as n from ticket_messages where search_vector @@ websearch_to_tsquery('german', 'Bestellungen')`,
    );
    expect(Number(found.rows[0]?.n)).toBeGreaterThan(0);
  });
});
