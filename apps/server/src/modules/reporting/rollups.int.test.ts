import type { Team, User } from '@keepdesk/contract';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, startTestServer, type TestServer, uniq } from '../../../test/harness';
import { rebuildReports, settleReports } from './rollups.service';

let server: TestServer;
let agents: User[];
let teams: Team[];
let organizations: (string | null)[];

const query = (text: string, values: unknown[] = []) => server.deps.database.query(text, values);

/** Small batches, so that one ticket's events are often split between them. */
const settle = () => settleReports(server.deps, 7);

async function snapshot(): Promise<string[]> {
  const rollups = await query(
    `select zone, metric, dim, bucket, value, n, total, hist::text from report_rollups
      order by zone, metric, dim, bucket, value`,
  );
  return rollups.rows.map((r) => JSON.stringify(r));
}

beforeAll(async () => {
  server = await startTestServer({ isolated: true });
  const manager = await bearerFor(server, 'manager');
  agents = [(await bearerFor(server, 'agent')).user, (await bearerFor(server, 'agent')).user];
  // A second zone with half-hour offsets besides UTC and Berlin.
  await query(`update users set time_zone = 'Asia/Kolkata' where id = $1`, [agents[1]!.id]);
  teams = [];
  for (const name of ['North', 'South']) {
    const response = await server.app.inject({
      method: 'POST',
      url: '/api/v1/teams',
      headers: manager.headers,
      payload: { name: `${name} ${uniq()}` },
    });
    teams.push(response.json<Team>());
  }
  organizations = [null];
  for (const name of ['Acme', 'Globex']) {
    const [row] = (await query(`insert into organizations (name) values ($1) returning id`, [name])).rows;
    organizations.push(String(row!.id));
  }
  await query(`insert into ticket_fields (key, type, label_en, label_de, options) values
    ('reason', 'dropdown', 'Reason', 'Grund', '[]'), ('products', 'multiselect', 'Products', 'Produkte', '[]'),
    ('vip', 'checkbox', 'VIP', 'VIP', '[]'), ('note', 'text', 'Note', 'Notiz', '[]')`);
});
afterAll(async () => {
  await server?.close();
});

const HOUR = 3_600_000;
const T0 = Date.parse('2026-03-27T20:00:00Z'); // across the change to summer time in Berlin (29 March)

/** One thing that happens to a ticket, at an hour offset from T0; `arrival` orders when it reaches the database. */
const step = fc.record({
  hour: fc.integer({ min: 0, max: 96 }),
  arrival: fc.integer({ min: 0, max: 5 }),
  kind: fc.constantFrom(
    'reply',
    'customer',
    'solve',
    'reopen',
    'assign',
    'move',
    'escalate',
    'sla',
    'organization',
    'fields',
    'work',
    'presence',
  ),
  pick: fc.nat(),
});
const ticketSpec = fc.record({
  createdHour: fc.integer({ min: 0, max: 48 }),
  channel: fc.constantFrom('email', 'web', 'phone'),
  tags: fc.subarray(['billing', 'bug', 'vip']),
  byAgent: fc.boolean(),
  steps: fc.array(step, { maxLength: 8 }),
});

describe('rollups kept incrementally', () => {
  it('equal a rebuild from scratch, whatever order and batches the events arrive in', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(ticketSpec, { minLength: 1, maxLength: 4 }), async (specs) => {
        const [contact] = (await query(`insert into contacts (name) values ('Property') returning id`)).rows;
        type Pending = { arrival: number; run: () => Promise<unknown> };
        const pending: Pending[] = [];
        for (const spec of specs) {
          // Microseconds, as PostgreSQL keeps them (a JavaScript date would cut them off).
          const createdAt = new Date(T0 + spec.createdHour * HOUR).toISOString().replace('.000Z', '.000417Z');
          const [row] = (
            await query(
              `insert into tickets (subject, status_key, status_category, channel, requester_id, team_id, tags,
                                    created_at, updated_at)
               values ('Property', 'new', 'new', $1, $2, $3, $4, $5, $5) returning id`,
              [spec.channel, contact!.id, teams[0]!.id, `{${spec.tags.join(',')}}`, createdAt],
            )
          ).rows;
          const id = String(row!.id);
          await query(
            `insert into ticket_messages (ticket_id, visibility, author_kind, body_html, body_text, channel, created_at)
             values ($1, 'public', $2, '', '', $3, $4)`,
            [id, spec.byAgent ? 'agent' : 'contact', spec.channel, createdAt],
          );
          const event = (at: string, kind: string, field: string | null, to: unknown) =>
            query(
              `insert into ticket_events (ticket_id, kind, field, to_value, actor_kind, created_at)
               values ($1, $2, $3, $4::jsonb, 'system', $5)`,
              [id, kind, field, JSON.stringify(to), at],
            );
          pending.push({ arrival: 0, run: () => event(createdAt, 'created', null, { status: 'new' }) });
          for (const s of spec.steps) {
            const at = new Date(T0 + (spec.createdHour + s.hour) * HOUR).toISOString();
            const agent = agents[s.pick % agents.length]!.id;
            const team = teams[s.pick % teams.length]!.id;
            const run = {
              reply: () => event(at, 'replied', null, {}),
              customer: () => event(at, 'customer_replied', null, {}),
              solve: () => event(at, 'changed', 'status', 'solved'),
              reopen: () => event(at, 'changed', 'status', 'open'),
              assign: async () => {
                await query(`update tickets set assignee_id = $2 where id = $1`, [id, agent]);
                await event(at, 'changed', 'assigneeId', agent);
              },
              move: async () => {
                await query(`update tickets set team_id = $2, priority = 'high' where id = $1`, [id, team]);
                await event(at, 'changed', 'teamId', team);
              },
              escalate: () =>
                query(`insert into ticket_escalations (ticket_id, kind) values ($1, 'manual')`, [id]),
              sla: () =>
                query(
                  `insert into ticket_slas (ticket_id, clocks) values ($1, $2::jsonb)
                   on conflict (ticket_id) do update set clocks = excluded.clocks`,
                  [
                    id,
                    JSON.stringify([
                      { metric: 'first_response', stoppedAt: at, dueAt: at, breached: s.pick % 2 === 0 },
                    ]),
                  ],
                ),
              // Changes without a ticket event: the ticket's organisation and fields.
              organization: () =>
                query(`update tickets set organization_id = $2 where id = $1`, [
                  id,
                  organizations[s.pick % organizations.length],
                ]),
              fields: () =>
                query(`update tickets set custom_fields = $2::jsonb where id = $1`, [
                  id,
                  JSON.stringify(
                    s.pick % 5 === 0
                      ? {}
                      : {
                          reason: ['refund', 'bug'][s.pick % 2],
                          products: ['app', 'web', 'api'].filter((_, i) => (s.pick >> i) % 2 === 1),
                          vip: s.pick % 3 === 0,
                          note: 'free text',
                        },
                  ),
                ]),
              // An agent's work on the ticket: a new visit, a longer one, or visits taken back.
              work: () =>
                s.pick % 4 === 0
                  ? query(`delete from ticket_work_sessions where ticket_id = $1 and agent_id = $2`, [
                      id,
                      agent,
                    ])
                  : s.pick % 4 === 1
                    ? query(`update ticket_work_sessions set seconds = seconds + 60 where ticket_id = $1`, [
                        id,
                      ])
                    : query(
                        `insert into ticket_work_sessions (ticket_id, agent_id, started_at, ended_at, seconds)
                         values ($1, $2, $3, $3::timestamptz + interval '1 hour', $4)`,
                        [id, agent, at, 60 + (s.pick % 3000)],
                      ),
              // A stretch of an agent's presence (closed: open ones grow with the clock), or one made longer.
              presence: () =>
                s.pick % 3 === 0
                  ? query(
                      `update agent_presence_intervals set ended_at = ended_at + interval '47 minutes'
                        where user_id = $1`,
                      [agent],
                    )
                  : query(
                      `insert into agent_presence_intervals (user_id, presence, started_at, ended_at)
                       values ($1, $2, $3, $3::timestamptz + make_interval(secs => $4))`,
                      [agent, s.pick % 3 === 1 ? 'online' : 'away', at, 1 + (s.pick % 20_000)],
                    ),
            }[s.kind];
            pending.push({ arrival: s.arrival, run });
          }
        }
        // Events arrive in waves (late ones carry earlier times); the rollups are brought up to date between.
        for (let wave = 0; wave <= 5; wave++) {
          for (const p of pending.filter((p) => p.arrival === wave)) await p.run();
          if (wave % 2 === 1) await settle();
        }
        await settle();
        const incremental = await snapshot();
        await rebuildReports(server.deps, undefined, 3); // pages of three tickets
        await settle();
        expect(await snapshot()).toEqual(incremental);
      }),
      {
        numRuns: 12,
        // One history that surely works, moves organisation and sets fields, then random ones.
        examples: [
          [
            [
              {
                createdHour: 1,
                channel: 'email',
                tags: ['bug'],
                byAgent: false,
                steps: [
                  { hour: 1, arrival: 0, kind: 'work', pick: 2 },
                  { hour: 2, arrival: 1, kind: 'organization', pick: 1 },
                  { hour: 3, arrival: 2, kind: 'fields', pick: 1 },
                  { hour: 4, arrival: 0, kind: 'presence', pick: 1 },
                ],
              },
            ],
          ],
        ],
      },
    );
    // The histories reached the new dimensions and inputs (a text field is never one).
    const kept = (await query(`select distinct metric, dim from report_rollups where zone = 'UTC'`)).rows;
    const pairs = kept.map((r) => `${r.metric}|${r.dim}`);
    expect(pairs).toEqual(
      expect.arrayContaining([
        'work_time|agent',
        'tickets_created|organization',
        'tickets_created|field:reason',
      ]),
    );
    expect(pairs.some((p) => p.endsWith('field:note') || p.startsWith('work_time|team'))).toBe(false);
  }, 120_000);

  it('takes back the contribution of a deleted ticket', async () => {
    const before = await snapshot();
    const [contact] = (await query(`insert into contacts (name) values ('Deleted') returning id`)).rows;
    const [row] = (
      await query(
        `insert into tickets (subject, status_key, status_category, channel, requester_id)
         values ('Gone', 'new', 'new', 'email', $1) returning id`,
        [contact!.id],
      )
    ).rows;
    await query(
      `insert into ticket_events (ticket_id, kind, to_value, actor_kind) values ($1, 'created', '{"status":"new"}', 'system')`,
      [row!.id],
    );
    await settle();
    expect(await snapshot()).not.toEqual(before);
    await query(`delete from tickets where id = $1`, [row!.id]);
    await settle();
    expect(await snapshot()).toEqual(before);
  });

  it('builds the day rows of new time zones from the stored reports, two at once', async () => {
    const zoneRows = async (zone: string) =>
      (
        await query(
          `select metric, dim, value, sum(n)::int as n from report_rollups where zone = $1
                    group by metric, dim, value order by metric, dim, value`,
          [zone],
        )
      ).rows;
    await query(`update users set time_zone = 'America/New_York' where id = $1`, [agents[0]!.id]);
    await query(`update users set time_zone = 'America/Anchorage' where id = $1`, [agents[1]!.id]);
    // Until its rows are made, a zone someone works in is "not ready yet", not an unknown zone.
    const early = await server.app.inject({
      method: 'GET',
      url: '/api/v1/reports/metrics?metric=tickets_created&timeZone=America/Anchorage',
      headers: (await bearerFor(server, 'manager')).headers,
    });
    expect(early.statusCode, early.body).toBe(503);
    await settle();
    const zones = (await query(`select zone, ready_at from report_zones order by zone`)).rows;
    expect(zones.map((z) => [z.zone, z.ready_at !== null])).toEqual(
      [...zones.map((z) => z.zone)].sort().map((zone) => [zone, true]),
    );
    expect(zones.map((z) => z.zone)).toEqual(
      expect.arrayContaining(['America/Anchorage', 'America/New_York']),
    );
    // Every zone counts the same samples; only the days they fall on differ.
    expect(await zoneRows('America/New_York')).toEqual(await zoneRows('UTC'));
    expect(await zoneRows('America/Anchorage')).toEqual(await zoneRows('UTC'));
    const incremental = await snapshot();
    await rebuildReports(server.deps);
    // The rebuild leaves the planner's statistics true to the rows it wrote.
    const [stats] = (
      await query(`select reltuples::bigint as estimated, (select count(*) from report_rollups)::bigint as counted
                     from pg_class where relname = 'report_rollups'`)
    ).rows;
    expect(Number(stats!.estimated)).toBe(Number(stats!.counted));
    await settle();
    expect(await snapshot()).toEqual(incremental);
  });
});
