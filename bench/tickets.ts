import { summarize } from '@keepdesk/stats';
import pg from 'pg';
import type { KeepdeskUnderTest } from './keepdesk';
import {
  type BenchResult,
  Child,
  freePort,
  keepdesk,
  latencies,
  peakRssMb,
  progress,
  requestsPerSecond,
  round,
  waitForUrl,
} from './lib';
import { seedPeople } from './reporting';

const LOAD = { connections: 20, warmUpSeconds: 3, seconds: 10 };
export const VOLUME = {
  tickets: Number(process.env.KEEPDESK_BENCH_TICKETS ?? 1_000_000),
  messagesPerTicket: 3,
};
const SAMPLES = 100;

const ticketBody = JSON.stringify({
  subject: 'Rechnung doppelt abgebucht',
  requester: { email: 'bench-customer@example.com', name: 'Bench Kunde' },
  message: { body: 'Guten Tag, die Rechnung für Oktober wurde doppelt abgebucht. Bitte prüfen Sie das.' },
  channel: 'email',
});

/**
 * `ticket.create.http`: tickets/s created through the API with a first message (requester lookup, ticket,
 * message, history, audit row and outbox event in one transaction), against a bare Fastify route that
 * inserts one row with `pg` on the same database, under the same load.
 */
export async function ticketCreate(k: KeepdeskUnderTest): Promise<BenchResult> {
  const headers = { authorization: `Bearer ${k.token}`, 'content-type': 'application/json' };
  progress(`ticket.create.http: keepdesk under load (${LOAD.connections} connections, ${LOAD.seconds} s)`);
  const value = await requestsPerSecond(`${k.baseUrl}/api/v1/tickets`, headers, {
    ...LOAD,
    method: 'POST',
    body: ticketBody,
  });
  const port = await freePort();
  const reference = new Child(process.execPath, [
    '--import',
    'tsx',
    'bench/insert-server.ts',
    String(port),
    k.databaseUrl,
  ]);
  try {
    await waitForUrl(`http://127.0.0.1:${port}/healthz`, 30_000);
    progress('ticket.create.http: bare Fastify + pg insert under the same load');
    const referenceValue = await requestsPerSecond(`http://127.0.0.1:${port}/insert`, headers, {
      ...LOAD,
      method: 'POST',
      body: ticketBody,
    });
    return {
      id: 'ticket.create.http',
      value: round(value, 0),
      unit: 'tickets/s',
      reference: { name: 'bare Fastify route inserting one row with pg', value: round(referenceValue, 0) },
      ratio: round(value / referenceValue, 3),
    };
  } finally {
    await reference.stop();
  }
}

/** Fills the database with the benchmark volume (once per run). */
export async function seedVolume(k: KeepdeskUnderTest): Promise<void> {
  if ((await ticketCount(k.databaseUrl)) >= VOLUME.tickets) {
    progress(`the kept database holds ${VOLUME.tickets} tickets and their reports already`);
    return;
  }
  await seedPeople(k.databaseUrl);
  progress(`seeding ${VOLUME.tickets} tickets with ${VOLUME.tickets * VOLUME.messagesPerTicket} messages`);
  await keepdesk([
    'seed',
    '--database-url',
    k.databaseUrl,
    '--tickets',
    String(VOLUME.tickets),
    '--messages-per-ticket',
    String(VOLUME.messagesPerTicket),
  ]);
  // The seed writes each ticket's history; the reports are built from it at once rather than by the server's
  // worker during the measurements that follow.
  progress('building the reports of the seeded tickets');
  await keepdesk(['report', 'rebuild', '--database-url', k.databaseUrl]);
}

async function ticketCount(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return Number((await client.query('select count(*)::int as n from tickets')).rows[0].n);
  } finally {
    await client.end();
  }
}

async function get(url: string, token: string): Promise<unknown> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

async function p95(call: () => Promise<void>): Promise<number> {
  return summarize(await latencies(call, SAMPLES)).p95;
}

/**
 * `ticket.list.p95` and `ticket.list.filtered.p95`: p95 time of the first page (50) of "All open" and of a
 * view with three filters, at 1,000,000 tickets; reference: the same page's SQL through `pg` directly.
 */
export async function ticketList(k: KeepdeskUnderTest): Promise<BenchResult[]> {
  const views = (await get(`${k.baseUrl}/api/v1/views`, k.token)) as {
    items: { id: string; builtIn: string | null }[];
  };
  const allOpen = views.items.find((v) => v.builtIn === 'all_open')!;
  const created = await fetch(`${k.baseUrl}/api/v1/views`, {
    method: 'POST',
    headers: { authorization: `Bearer ${k.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'Urgent billing',
      filter: {
        statusCategory: ['open', 'pending'],
        priority: ['high', 'urgent'],
        tagsAny: ['billing', 'refund'],
      },
    }),
  });
  const filtered = (await created.json()) as { id: string };
  const pool = new pg.Pool({ connectionString: k.databaseUrl, max: 2 });
  try {
    const results: BenchResult[] = [];
    const cases = [
      {
        id: 'ticket.list.p95',
        view: allOpen.id,
        sql: `select * from tickets where status_category in ('new','open') order by updated_at desc nulls last, id desc nulls last limit 51`,
      },
      {
        id: 'ticket.list.filtered.p95',
        view: filtered.id,
        sql: `select * from tickets where status_category in ('open','pending') and priority in ('high','urgent')
               and tags && array['billing','refund'] order by updated_at desc nulls last, id desc nulls last limit 51`,
      },
    ];
    for (const c of cases) {
      progress(`${c.id}: ${SAMPLES} first pages through the API and through pg`);
      const value = await p95(async () => {
        await get(`${k.baseUrl}/api/v1/views/${c.view}/tickets?limit=50`, k.token);
      });
      const reference = await p95(async () => {
        await pool.query(c.sql);
      });
      results.push({
        id: c.id,
        value: round(value, 1),
        unit: 'ms',
        reference: { name: 'the same page as one SQL query through pg', value: round(reference, 1) },
        ratio: round(reference / value, 3),
      });
    }
    return results;
  } finally {
    await pool.end();
  }
}

const QUERIES = [
  'Rechnung doppelt',
  'password reset',
  'Lieferung nicht angekommen',
  'refund missing',
  'Gutschein',
];

/**
 * `search.p95`: p95 time of a first page of search results (ranked, with snippets) at 1,000,000 tickets and
 * 3,000,000 messages; reference: the bare full-text match on messages through `pg` (first 25 ids).
 */
export async function searchLatency(k: KeepdeskUnderTest): Promise<BenchResult> {
  const pool = new pg.Pool({ connectionString: k.databaseUrl, max: 2 });
  let i = 0;
  try {
    progress(`search.p95: ${SAMPLES} searches through the API and through pg`);
    const value = await p95(async () => {
      const q = QUERIES[i++ % QUERIES.length]!;
      await get(`${k.baseUrl}/api/v1/search?q=${encodeURIComponent(q)}&limit=25`, k.token);
    });
    const reference = await p95(async () => {
      const q = QUERIES[i++ % QUERIES.length]!;
      await pool.query(
        `select ticket_id from ticket_messages where search_vector @@ websearch_to_tsquery('german', $1) limit 25`,
        [q],
      );
    });
    return {
      id: 'search.p95',
      value: round(value, 1),
      unit: 'ms',
      reference: { name: 'bare full-text match on messages through pg, 25 ids', value: round(reference, 1) },
      ratio: round(reference / value, 3),
    };
  } finally {
    await pool.end();
  }
}

/** `server.rss`: the Keepdesk process's peak memory over the run; reference: a bare Node.js process. */
export function serverMemory(k: KeepdeskUnderTest): BenchResult {
  const value = peakRssMb(k.pid);
  const reference = process.memoryUsage().rss / 1024 / 1024;
  return {
    id: 'server.rss',
    value: round(value, 0),
    unit: 'MB',
    reference: { name: 'this benchmark runner (a Node.js process)', value: round(reference, 0) },
    ratio: round(reference / value, 3),
  };
}
