import { CreateSlaPolicyBody } from '@keepdesk/contract';
import { summarize } from '@keepdesk/stats';
import pg from 'pg';
import type { Deps } from '../apps/server/src/platform/context';
import { type KeepdeskInProcess, startKeepdeskInProcess } from './in-process';
import { type BenchResult, latencies, progress, round } from './lib';

/**
 * 1,000,000 tickets, 100,000 of them open with a running clock; the sweep runs every minute, and in each minute
 * `crossing / sweeps` clocks turn at risk and as many pass their due time. Earlier ones were escalated before.
 */
const VOLUME = { tickets: 1_000_000, running: 100_000, batch: 100_000 };
const SWEEPS = 5;
const MINUTE = 60_000;
const MIX = { crossing: 1500, atRiskBefore: 5000, breachedBefore: 5000 };
/** How long before the due time a clock turns at risk: 25 % of a 1-hour (urgent) or 8-hour target. */
const LEAD_MINUTES = { urgent: 15, other: 120 };

/** The two candidate queries of `sweepSla`, with the same conditions, order and batch size, in bare SQL. */
const CANDIDATES = {
  atRisk: {
    index: 'tickets_sla_at_risk_running_idx',
    sql: `select id, number, subject, priority, team_id, assignee_id, sla_due_at, sla_policy_id from tickets t
           where sla_status = 'running' and sla_at_risk_at <= $1 and sla_due_at > $1
             and not exists (select 1 from ticket_escalations e
                              where e.ticket_id = t.id and e.kind = 'at_risk' and e.due_at = t.sla_due_at)
           order by sla_at_risk_at limit 500`,
  },
  breach: {
    index: 'tickets_sla_due_running_idx',
    sql: `select id, number, subject, priority, team_id, assignee_id, sla_due_at, sla_policy_id from tickets t
           where sla_status = 'running' and sla_due_at <= $1
             and not exists (select 1 from ticket_escalations e
                              where e.ticket_id = t.id and e.kind = 'breach' and e.due_at = t.sla_due_at)
           order by sla_due_at limit 500`,
  },
};

/** Two policies through the service: urgent tickets go to the team lead on breach, the others notify. */
async function createPolicies(deps: Deps): Promise<{ urgent: string; standard: string }> {
  const { SYSTEM_ACTOR } = await import('../apps/server/src/platform/events');
  const { createPolicy } = await import('../apps/server/src/modules/sla/policies.service');
  const urgent = await createPolicy(
    deps,
    SYSTEM_ACTOR,
    CreateSlaPolicyBody.parse({
      name: 'Urgent',
      conditions: { priority: ['urgent'] },
      targets: { urgent: { firstResponse: 60 } },
      businessTime: false,
      escalation: { breach: { notify: ['assignee', 'team_lead'], reassignToLead: true } },
    }),
  );
  const standard = await createPolicy(
    deps,
    SYSTEM_ACTOR,
    CreateSlaPolicyBody.parse({
      name: 'Standard',
      targets: { high: { firstResponse: 480 }, normal: { firstResponse: 480 }, low: { firstResponse: 480 } },
      businessTime: false,
    }),
  );
  return { urgent: urgent.id, standard: standard.id };
}

/**
 * The volume, in SQL (`keepdesk seed` also writes messages and search documents, which the sweep never reads):
 * ten teams of a lead and nine agents, 20,000 customers, and the tickets by number `g` —
 * running clocks first (g ≤ 100,000): turning at risk during the sweeps, turning breached during the sweeps, at
 * risk and escalated before, breached and escalated before, and the rest not yet at risk; then open tickets
 * breached earlier, pending ones with paused clocks, and solved and closed ones (met, breached, or no SLA).
 */
async function generateVolume(admin: pg.Pool, policies: { urgent: string; standard: string }, start: Date) {
  await admin.query(`
    insert into teams (name) select 'SLA team ' || g from generate_series(1, 10) g;
    insert into users (email, name, role_key)
    select 'sla-' || g || '@bench.keepdesk.test', 'SLA agent ' || g, case when g % 10 = 0 then 'team_lead' else 'agent' end
      from generate_series(0, 99) g;
    create table bench_agents as
    select (row_number() over (order by email) - 1)::int as n, id from users where email like 'sla-%@bench.keepdesk.test';
    create table bench_teams as select (row_number() over (order by name) - 1)::int as n, id from teams;
    insert into team_memberships (team_id, user_id, is_lead)
    select t.id, a.id, a.n % 10 = 0 from bench_agents a join bench_teams t on t.n = a.n / 10;
    insert into contacts (name) select 'SLA customer ' || g from generate_series(1, 20000) g;
    create table bench_contacts as select (row_number() over (order by id) - 1)::int as n, id from contacts;
  `);
  const window = `${(SWEEPS * MINUTE) / 1000} seconds`;
  for (let from = 1; from <= VOLUME.tickets; from += VOLUME.batch) {
    const to = Math.min(from + VOLUME.batch - 1, VOLUME.tickets);
    await admin.query(
      `insert into tickets (subject, status_key, status_category, priority, channel, requester_id, assignee_id, team_id,
                            created_at, updated_at, solved_at, closed_at, sla_policy_id, sla_status, sla_due_at, sla_at_risk_at)
       select 'SLA ticket ' || g, s.status, s.status, p.priority, 'email', c.id,
              case when s.status <> 'new' then a.id end, t.id, s.created, s.created + interval '1 hour',
              case when s.status in ('solved', 'closed') then s.created + interval '1 day' end,
              case when s.status = 'closed' then s.created + interval '4 days' end,
              case when s.sla is not null then case when p.priority = 'urgent' then $2::uuid else $3::uuid end end,
              s.sla, d.due, d.due - p.lead
         from generate_series($4::int, $5::int) g
         cross join lateral (
           select (array['low','normal','normal','normal','high','urgent'])[1 + g % 6] as priority,
                  case when g % 6 = 5 then interval '${LEAD_MINUTES.urgent} minutes'
                       else interval '${LEAD_MINUTES.other} minutes' end as lead
         ) p
         cross join lateral (
           select case when g <= ${VOLUME.running} then case when g % 5 = 0 then 'new' else 'open' end
                       when g <= 110000 then 'open' when g <= 170000 then 'pending' when g <= 180000 then 'on_hold'
                       when g % 4 = 0 then 'solved' else 'closed' end as status,
                  case when g <= ${VOLUME.running} then 'running' when g <= 110000 then 'breached'
                       when g <= 180000 then 'paused' when g % 10 < 3 then null
                       when g % 10 = 3 then 'breached' else 'met' end as sla,
                  $1::timestamptz - interval '2 hours' - random() * interval '730 days' as created
         ) s
         cross join lateral (
           select case
             when g <= ${MIX.crossing} then $1::timestamptz + p.lead + g * interval '${window}' / ${MIX.crossing}
             when g <= ${2 * MIX.crossing} then $1::timestamptz + (g - ${MIX.crossing}) * interval '${window}' / ${MIX.crossing}
             when g <= ${2 * MIX.crossing + MIX.atRiskBefore}
               then $1::timestamptz + interval '${window}' + random() * (p.lead - interval '${window}')
             when g <= ${2 * MIX.crossing + MIX.atRiskBefore + MIX.breachedBefore}
               then $1::timestamptz - interval '1 minute' - random() * interval '3 days'
             when g <= ${VOLUME.running}
               then $1::timestamptz + interval '${window}' + p.lead + interval '1 minute' + random() * interval '5 days'
           end as due
         ) d
         join bench_contacts c on c.n = g % 20000
         join bench_agents a on a.n = g % 100
         join bench_teams t on t.n = (g % 100) / 10`,
      [start, policies.urgent, policies.standard, from, to],
    );
    progress(`sla.sweep: ${to.toLocaleString('en')} tickets`);
  }
  // What earlier sweeps recorded: at risk for all but the clocks turning at risk now, breach for those breached.
  await admin.query(
    `insert into ticket_escalations (ticket_id, kind, due_at, reason, from_team_id, created_at)
     select id, 'at_risk', sla_due_at, 'SLA target at risk', team_id, sla_at_risk_at from tickets
      where sla_status = 'running' and sla_at_risk_at <= $1
     union all
     select id, 'breach', sla_due_at, 'SLA target breached', team_id, sla_due_at from tickets
      where sla_status = 'running' and sla_due_at <= $1`,
    [start],
  );
  await admin.query('drop table bench_agents, bench_teams, bench_contacts');
  progress('sla.sweep: vacuum analyze');
  await admin.query('vacuum analyze');
}

/** Fails unless both candidate queries walk their partial index over running clocks; returns the plans. */
async function assertIndexUse(admin: pg.Pool, at: Date): Promise<string> {
  const plans: string[] = [];
  for (const [name, candidate] of Object.entries(CANDIDATES)) {
    const { rows } = await admin.query(`explain ${candidate.sql}`, [at]);
    const plan = rows.map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN']).join('\n');
    if (!plan.includes(candidate.index)) {
      throw new Error(`sla.sweep: the ${name} candidates do not use ${candidate.index}:\n${plan}`);
    }
    plans.push(`${name}:\n${plan}`);
  }
  return plans.join('\n');
}

/**
 * `sla.sweep`: the time of one `sweepSla` at 1,000,000 tickets with 100,000 running clocks, the median of five
 * sweeps a minute apart (on the sweep's clock), each finding 300 clocks newly at risk and 300 newly breached;
 * reference: the sweep's two candidate queries alone, in bare SQL through `pg` at the same moments.
 */
export async function slaSweep(): Promise<BenchResult> {
  let keepdesk: KeepdeskInProcess | undefined;
  let admin: pg.Pool | undefined;
  try {
    keepdesk = await startKeepdeskInProcess();
    const { deps } = keepdesk;
    admin = new pg.Pool({ connectionString: keepdesk.databaseUrl, max: 2 });
    const pool = admin;
    const started = performance.now();
    const start = new Date(Math.floor(Date.now() / MINUTE) * MINUTE);
    progress(`sla.sweep: generating ${VOLUME.tickets.toLocaleString('en')} tickets`);
    await generateVolume(pool, await createPolicies(deps), start);
    progress(`sla.sweep: volume generated in ${round((performance.now() - started) / 1000, 0)} s`);
    const { sweepSla } = await import('../apps/server/src/modules/sla/escalations.service');
    const sweepAt = (at: Date) => sweepSla({ ...deps, now: () => at });
    const before = await sweepAt(start);
    if (before.atRisk + before.breached > 0) {
      throw new Error(`sla.sweep: the generated escalations are incomplete (${JSON.stringify(before)})`);
    }
    const plans = await assertIndexUse(pool, new Date(start.getTime() + MINUTE));
    const sweeps: number[] = [];
    const queries: number[] = [];
    for (let i = 1; i <= SWEEPS; i++) {
      const at = new Date(start.getTime() + i * MINUTE);
      const bare = await latencies(
        async () => {
          await pool.query(CANDIDATES.atRisk.sql, [at]);
          await pool.query(CANDIDATES.breach.sql, [at]);
        },
        5,
        1,
      );
      queries.push(summarize(bare).p50);
      const sweepStarted = performance.now();
      const found = await sweepAt(at);
      sweeps.push(performance.now() - sweepStarted);
      const expected = MIX.crossing / SWEEPS;
      if (found.atRisk !== expected || found.breached !== expected) {
        throw new Error(
          `sla.sweep: sweep ${i} escalated ${JSON.stringify(found)}, expected ${expected} of each`,
        );
      }
      progress(
        `sla.sweep: sweep ${i}: ${round(sweeps[i - 1]!, 0)} ms, candidate queries ${round(queries[i - 1]!, 1)} ms`,
      );
    }
    if (process.env.KEEPDESK_BENCH_PLANS) process.stderr.write(`${plans}\n`);
    const value = summarize(sweeps).p50;
    const reference = summarize(queries).p50;
    return {
      id: 'sla.sweep',
      value: round(value, 0),
      unit: 'ms',
      reference: { name: 'the two candidate queries alone through pg', value: round(reference, 1) },
      ratio: round(reference / value, 3),
    };
  } finally {
    await admin?.end();
    await keepdesk?.stop();
  }
}
