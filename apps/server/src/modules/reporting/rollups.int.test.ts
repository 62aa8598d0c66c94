import type { Team, User } from '@keepdesk/contract';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, startTestServer, type TestServer, uniq } from '../../../test/harness';
import { rebuildReports, settleReports } from './rollups.service';

let server: TestServer;
let agents: User[];
let teams: Team[];

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
  kind: fc.constantFrom('reply', 'customer', 'solve', 'reopen', 'assign', 'move', 'escalate', 'sla'),
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
      { numRuns: 12 },
    );
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
    await settle();
    expect(await snapshot()).toEqual(incremental);
  });
});
