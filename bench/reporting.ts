import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { MANAGER_DASHBOARD, type MetricQuery, type MetricReport } from '@keepdesk/contract';
import { summarize } from '@keepdesk/stats';
import pg from 'pg';
import type { KeepdeskUnderTest } from './keepdesk';
import { type BenchResult, keepdesk, latencies, progress, round } from './lib';

const DASHBOARD_DAYS = 90;
const SAMPLES = 60;
const REFERENCE_RUNS = 10;

/** Teams and agents the seeded tickets are spread over, made before the seed so that reports have groups. */
export async function seedPeople(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`
      insert into teams (name) select 'Team ' || g from generate_series(1, 8) g;
      insert into users (email, name, role_key, time_zone)
      select 'agent' || g || '@bench.keepdesk.test', 'Agent ' || g, 'agent', 'UTC' from generate_series(1, 24) g;
      insert into team_memberships (team_id, user_id)
      select t.id, u.id from (select id, row_number() over (order by id) - 1 as n from teams) t
        join (select id, row_number() over (order by id) - 1 as n from users where email like '%@bench.keepdesk.test') u
          on u.n % 8 = t.n;`);
  } finally {
    await client.end();
  }
}

async function managerToken(k: KeepdeskUnderTest): Promise<string> {
  const email = 'manager@bench.keepdesk.test';
  const base = ['--database-url', k.databaseUrl];
  await keepdesk([
    'user',
    'create',
    ...base,
    '--email',
    email,
    '--name',
    'Manager',
    '--role',
    'manager',
    '--password',
    'bench-password-123',
  ]);
  return (await keepdesk(['token', 'create', ...base, '--user', email, '--name', 'dashboard'])).trim();
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The manager dashboard of the last 90 days by team, in UTC, as the web app asks for it. */
function dashboardQueries(): MetricQuery[] {
  const to = new Date();
  const from = new Date(to.getTime() - (DASHBOARD_DAYS - 1) * 86_400_000);
  return MANAGER_DASHBOARD.map((widget) => ({
    ...widget,
    from: isoDay(from),
    to: isoDay(to),
    grain: 'day',
    groupBy: 'team',
    timeZone: 'UTC',
  }));
}

async function batch(k: KeepdeskUnderTest, token: string, queries: MetricQuery[]): Promise<MetricReport[]> {
  const res = await fetch(`${k.baseUrl}/api/v1/reports/batch`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ queries }),
  });
  if (!res.ok) throw new Error(`POST /reports/batch: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { reports: MetricReport[] }).reports;
}

/** The raw rows the dashboard's metrics come from, as CSV files PostgreSQL writes (statuses as categories). */
const EXPORTS: Record<string, { select: string; columns: Record<string, string> }> = {
  tickets: {
    columns: { id: 'UUID', team_id: 'UUID', created_at: 'TIMESTAMP' },
    select: `select id, team_id, created_at at time zone 'UTC' as created_at from tickets`,
  },
  events: {
    columns: {
      ticket_id: 'UUID',
      seq: 'BIGINT',
      kind: 'VARCHAR',
      category: 'VARCHAR',
      created_at: 'TIMESTAMP',
    },
    select: `
    select e.ticket_id, e.id as seq, case when e.kind = 'replied' then 'reply' else 'status' end as kind,
           coalesce(s.category, e.to_value #>> '{status}', e.to_value #>> '{}') as category,
           e.created_at at time zone 'UTC' as created_at
      from ticket_events e
      left join ticket_statuses s on s.key = coalesce(e.to_value #>> '{status}', e.to_value #>> '{}')
     where e.kind in ('created', 'replied') or (e.kind = 'changed' and e.field = 'status')`,
  },
  sla: {
    columns: { ticket_id: 'UUID', at: 'TIMESTAMP', met: 'BOOLEAN' },
    select: `
    select t.ticket_id, coalesce(c->>'stoppedAt', c->>'dueAt')::timestamptz at time zone 'UTC' as at,
           not coalesce((c->>'breached')::boolean, false) as met
      from ticket_slas t, jsonb_array_elements(t.clocks) c
     where c->>'stoppedAt' is not null or ((c->>'breached')::boolean and c->>'dueAt' is not null)`,
  },
  escalations: {
    columns: { ticket_id: 'UUID' },
    select: `select distinct ticket_id from ticket_escalations where kind in ('breach', 'manual')`,
  },
  answers: {
    columns: {
      team_id: 'UUID',
      kind: 'VARCHAR',
      score: 'INTEGER',
      rating: 'VARCHAR',
      answered_at: 'TIMESTAMP',
    },
    select: `
    select i.team_id, s.kind, r.score, r.rating, r.answered_at at time zone 'UTC' as answered_at
      from survey_responses r join survey_invitations i on i.id = r.invitation_id join surveys s on s.id = i.survey_id`,
  },
};

/**
 * The twelve widgets as DuckDB SQL over the raw rows, by UTC day and team, with the definitions of
 * docs/metrics.md: each a scan of the tickets and their history, as a query engine without rollups must do.
 */
function referenceQueries(from: string, to: string): string[] {
  const inRange = (column: string) =>
    `${column} >= '${from}'::timestamp and ${column} < '${to}'::timestamp + interval 1 day`;
  const history = `
    with st as (
      select ticket_id, created_at, category,
             lag(category) over (partition by ticket_id order by created_at, seq) as prev
        from events where kind = 'status'),
    solves as (select ticket_id, created_at from st
                where category in ('solved', 'closed') and (prev is null or prev not in ('solved', 'closed'))),
    reopens as (select ticket_id, created_at from st
                 where prev in ('solved', 'closed') and category not in ('solved', 'closed')),
    now_solved as (select ticket_id from st group by ticket_id
                    having arg_max(category, created_at) in ('solved', 'closed')),
    last_solve as (select s.ticket_id, max(s.created_at) as at from solves s
                     join now_solved n using (ticket_id) group by s.ticket_id),
    replies as (select ticket_id, count(*) as n, min(created_at) as first from events
                 where kind = 'reply' group by ticket_id),
    reopened as (select distinct ticket_id from reopens)`;
  const day = (column: string) => `date_trunc('day', ${column})`;
  return [
    `select ${day('created_at')} d, team_id, count(*) from tickets where ${inRange('created_at')} group by all`,
    `${history} select ${day('s.created_at')} d, t.team_id, count(*) from solves s join tickets t on t.id = s.ticket_id
       where ${inRange('s.created_at')} group by all`,
    `${history}, moves as (
       select created_at as at, id as ticket_id, 1 as delta from tickets
       union all select created_at, ticket_id, -1 from solves
       union all select created_at, ticket_id, 1 from reopens),
     daily as (select ${day('m.at')} d, t.team_id, sum(delta) as delta from moves m join tickets t on t.id = m.ticket_id
                group by all)
     select * from (select d, team_id, sum(delta) over (partition by team_id order by d) as backlog from daily)
      where ${inRange('d')}`,
    `${history} select ${day('r.first')} d, t.team_id, median(epoch(r.first - t.created_at) / 60)
       from replies r join tickets t on t.id = r.ticket_id where ${inRange('r.first')} group by all`,
    `${history} select ${day('l.at')} d, t.team_id, median(epoch(l.at - t.created_at) / 60)
       from last_solve l join tickets t on t.id = l.ticket_id where ${inRange('l.at')} group by all`,
    `${history} select ${day('l.at')} d, t.team_id,
            100 * avg(case when coalesce(r.n, 0) = 1 and o.ticket_id is null then 1 else 0 end)
       from last_solve l join tickets t on t.id = l.ticket_id left join replies r on r.ticket_id = l.ticket_id
       left join reopened o on o.ticket_id = l.ticket_id where ${inRange('l.at')} group by all`,
    `${history} select ${day('t.created_at')} d, t.team_id, 100 * avg(case when n.ticket_id is null then 0 else 1 end)
       from tickets t left join now_solved n on n.ticket_id = t.id where ${inRange('t.created_at')} group by all`,
    `${history} select ${day('l.at')} d, t.team_id, 100 * avg(case when o.ticket_id is null then 0 else 1 end)
       from last_solve l join tickets t on t.id = l.ticket_id left join reopened o on o.ticket_id = l.ticket_id
      where ${inRange('l.at')} group by all`,
    `select ${day('s.at')} d, t.team_id, 100 * avg(case when s.met then 1 else 0 end)
       from sla s join tickets t on t.id = s.ticket_id where ${inRange('s.at')} group by all`,
    `select ${day('t.created_at')} d, t.team_id, 100 * avg(case when e.ticket_id is null then 0 else 1 end)
       from tickets t left join escalations e on e.ticket_id = t.id where ${inRange('t.created_at')} group by all`,
    `select ${day('answered_at')} d, team_id, 100 * avg(case when rating = 'satisfied' then 1 else 0 end)
       from answers where kind = 'csat' and ${inRange('answered_at')} group by all`,
    `select ${day('answered_at')} d, team_id,
            100 * avg(case when score >= 9 then 1 when score <= 6 then -1 else 0 end)
       from answers where kind = 'nps' and ${inRange('answered_at')} group by all`,
  ];
}

/** Exports the raw rows with COPY (PostgreSQL writes the files) and loads them into DuckDB's columnar tables. */
async function duckdbWithRawRows(databaseUrl: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'keepdesk-duckdb-'));
  chmodSync(dir, 0o777);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const instance = await DuckDBInstance.create(':memory:');
  const duck = await instance.connect();
  try {
    for (const [table, { select, columns }] of Object.entries(EXPORTS)) {
      const file = path.join(dir, `${table}.csv`);
      await client.query(`copy (${select}) to '${file}' with (format csv, header)`);
      const types = Object.entries(columns).map(([name, type]) => `'${name}': '${type}'`);
      await duck.run(
        `create table ${table} as select * from read_csv('${file}', header = true, columns = {${types.join(', ')}})`,
      );
    }
  } finally {
    await client.end();
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    duck,
    close: () => {
      duck.closeSync();
      instance.closeSync();
    },
  };
}

/**
 * `dashboard.manager.p95`: p95 of the manager dashboard (twelve metrics, 90 days, by team, one
 * `POST /api/v1/reports/batch`) at 1,000,000 tickets, read from the rollups; reference: the same twelve
 * aggregates computed by DuckDB over the raw tickets and their history, exported and loaded into its columnar
 * tables before timing (a full scan per query; p95 of ten runs of all twelve).
 */
export async function dashboardManager(k: KeepdeskUnderTest): Promise<BenchResult> {
  const token = await managerToken(k).catch(() => managerTokenAgain(k));
  const queries = dashboardQueries();
  const first = await batch(k, token, queries);
  progress(`dashboard.manager.p95: ${SAMPLES} dashboards of ${queries.length} metrics`);
  const timings = await latencies(async () => {
    await batch(k, token, queries);
  }, SAMPLES);
  progress('dashboard.manager.p95: exporting the raw rows into DuckDB');
  const { duck, close } = await duckdbWithRawRows(k.databaseUrl);
  try {
    const sqls = referenceQueries(queries[0]!.from!, queries[0]!.to!);
    // The two must agree on what they count: tickets created in the range.
    const counted = await duck.runAndReadAll(`select sum("count_star()")::int from (${sqls[0]})`);
    const duckCreated = Number(counted.getRows()[0]![0]);
    if (duckCreated !== first[0]!.total.value) {
      throw new Error(
        `tickets created in the range: keepdesk ${first[0]!.total.value}, DuckDB ${duckCreated}`,
      );
    }
    const reference = await latencies(
      async () => {
        for (const text of sqls) await duck.runAndReadAll(text);
      },
      REFERENCE_RUNS,
      1,
    );
    const value = round(summarize(timings).p95, 1);
    const referenceP95 = round(summarize(reference).p95, 1);
    return {
      id: 'dashboard.manager.p95',
      value,
      unit: 'ms',
      reference: { name: 'the same aggregates by DuckDB over the raw rows (p95)', value: referenceP95 },
      ratio: round(value / referenceP95, 3),
    };
  } finally {
    close();
  }
}

const BURST_TICKETS = 2_000;
const EVENTS_PER_TICKET = 5;

/**
 * `rollup.lag`: seconds from the commit of a burst of 10,000 ticket events (2,000 new tickets, each created,
 * assigned, answered, solved and closed, written in SQL as an import would) until
 * `GET /api/v1/reports/metrics` shows all of them solved; reference: the seconds the burst took to write.
 */
export async function rollupLag(k: KeepdeskUnderTest): Promise<BenchResult> {
  const token = await managerToken(k).catch(() => managerTokenAgain(k));
  const client = new pg.Client({ connectionString: k.databaseUrl });
  await client.connect();
  const today = isoDay(new Date());
  const solvedByApi = async () => {
    const search = new URLSearchParams({
      metric: 'tickets_solved',
      from: today,
      to: today,
      filter: 'channel:api',
      timeZone: 'UTC',
    });
    const res = await fetch(`${k.baseUrl}/api/v1/reports/metrics?${search}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (!res.ok) throw new Error(`GET /reports/metrics: ${res.status} ${await res.text()}`);
    return Number(((await res.json()) as MetricReport).total.value ?? 0);
  };
  try {
    const before = await solvedByApi();
    progress(`rollup.lag: ${BURST_TICKETS * EVENTS_PER_TICKET} events in one burst`);
    const started = performance.now();
    await client.query(`
      with contact as (insert into contacts (name) values ('Burst') returning id),
      agent as (select id from users where role_key = 'agent' order by id limit 1),
      made as (
        insert into tickets (subject, status_key, status_category, channel, requester_id, assignee_id, created_at,
                             solved_at, closed_at)
        select 'Burst ' || g, 'closed', 'closed', 'api', contact.id, agent.id, now() - interval '10 minutes',
               now() - interval '2 minutes', now() - interval '1 minute'
          from generate_series(1, ${BURST_TICKETS}) g, contact, agent
        returning id, assignee_id, created_at)
      insert into ticket_events (ticket_id, kind, field, from_value, to_value, actor_kind, created_at)
      select id, 'created', null, null, '{"status":"new"}'::jsonb, 'system', created_at from made
      union all select id, 'changed', 'assigneeId', 'null'::jsonb, to_jsonb(assignee_id::text), 'system',
                       created_at + interval '1 minute' from made
      union all select id, 'replied', null, null, '{}'::jsonb, 'user', created_at + interval '5 minutes' from made
      union all select id, 'changed', 'status', '"new"'::jsonb, '"solved"'::jsonb, 'user',
                       created_at + interval '8 minutes' from made
      union all select id, 'changed', 'status', '"solved"'::jsonb, '"closed"'::jsonb, 'system',
                       created_at + interval '9 minutes' from made`);
    const written = performance.now();
    for (;;) {
      if ((await solvedByApi()) >= before + BURST_TICKETS) break;
      if (performance.now() - written > 120_000) throw new Error('the burst did not show within two minutes');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const lag = (performance.now() - written) / 1000;
    const write = (written - started) / 1000;
    return {
      id: 'rollup.lag',
      value: round(lag, 2),
      unit: 's',
      reference: { name: 'writing the burst (one statement)', value: round(write, 2) },
      ratio: round(lag / write, 2),
    };
  } finally {
    await client.end();
  }
}

/** The manager made by `dashboard.manager.p95` in the same run gets a second token. */
async function managerTokenAgain(k: KeepdeskUnderTest): Promise<string> {
  const base = ['--database-url', k.databaseUrl];
  return (
    await keepdesk(['token', 'create', ...base, '--user', 'manager@bench.keepdesk.test', '--name', 'lag'])
  ).trim();
}
