import type { Deps } from '../apps/server/src/platform/context';
import { startKeepdeskInProcess } from './in-process';
import { type BenchResult, progress, round } from './lib';

/** 100 active triggers, 2,000 measured updates after 200 warm-up ones, 8 callers at once (as job workers). */
const TRIGGERS = { count: 100, tickets: 400, updates: 2000, warmUp: 200, callers: 8 };

/**
 * A realistic rule set: most triggers look at fields these updates never match (a tag, a customer segment,
 * a custom field, a word in the subject), a few fire: one on every change to urgent, one on every change
 * away from it. None loops (the set is saved through the service, which would refuse it).
 */
async function createTriggers(deps: Deps): Promise<void> {
  const { SYSTEM_ACTOR } = await import('../apps/server/src/platform/events');
  const { createTrigger } = await import('../apps/server/src/modules/automations/rules.service');
  const firing = [
    {
      name: 'Urgent is hot',
      conditions: { all: [{ field: 'priority', operator: 'changedTo', value: ['urgent'] }], any: [] },
      actions: [{ type: 'addTags', value: ['hot'] }],
    },
    {
      name: 'No longer urgent',
      conditions: { all: [{ field: 'priority', operator: 'changedFrom', value: ['urgent'] }], any: [] },
      actions: [{ type: 'removeTags', value: ['hot'] }],
    },
  ];
  const quiet = Array.from({ length: TRIGGERS.count - firing.length }, (_, i) => {
    const kinds = [
      { field: 'tags', operator: 'includes', value: [`never-${i}`] },
      { field: 'customer.attributes.segment', operator: 'is', value: [`segment-${i}`] },
      { field: 'customFields.plan', operator: 'is', value: [`plan-${i}`] },
      { field: 'subject', operator: 'contains', value: [`nothing-like-${i}`] },
    ];
    return {
      name: `Quiet ${i}`,
      conditions: {
        all: [kinds[i % kinds.length]!, { field: 'priority', operator: 'is', value: ['high', 'urgent'] }],
        any: [],
      },
      actions: [
        { type: 'addTags', value: [`quiet-${i}`] },
        { type: 'setTeam', value: null },
      ],
    };
  });
  for (const rule of [...quiet.slice(0, 50), ...firing, ...quiet.slice(50)]) {
    await createTrigger(deps, SYSTEM_ACTOR, {
      ...rule,
      events: ['updated'],
      description: '',
      active: true,
    } as never);
  }
}

/**
 * Updates/s where each update is followed by what the trigger job does for it (`runTriggers` on its event),
 * `TRIGGERS.callers` at a time: the priority of a ticket goes round normal → high → urgent → low.
 */
async function updatesPerSecond(
  deps: Deps,
  ticketIds: readonly string[],
  offset: number,
): Promise<{ perSecond: number; firing: number }> {
  const { SYSTEM_ACTOR } = await import('../apps/server/src/platform/events');
  const { updateTicket } = await import('../apps/server/src/modules/tickets');
  const { runTriggers } = await import('../apps/server/src/modules/automations/triggers.service');
  const cycle = ['normal', 'high', 'urgent', 'low'] as const;
  let firing = 0;
  const update = async (n: number) => {
    const id = ticketIds[n % ticketIds.length]!;
    const round = Math.floor(n / ticketIds.length);
    const from = cycle[round % cycle.length]!;
    const to = cycle[(round + 1) % cycle.length]!;
    if (from === 'urgent' || to === 'urgent') firing++;
    await updateTicket(deps, SYSTEM_ACTOR, id, { priority: to });
    await runTriggers(deps, {
      eventId: offset + n,
      type: 'ticket.updated',
      entityId: id,
      data: { priority: { from, to } },
    });
  };
  const run = async (from: number, count: number) => {
    let next = from;
    const caller = async () => {
      while (next < from + count) await update(next++);
    };
    await Promise.all(Array.from({ length: TRIGGERS.callers }, caller));
  };
  // Each ticket is updated in turn, so callers never wait on each other's row locks.
  await run(0, TRIGGERS.warmUp);
  const started = performance.now();
  await run(TRIGGERS.warmUp, TRIGGERS.updates);
  return { perSecond: TRIGGERS.updates / ((performance.now() - started) / 1000), firing };
}

async function ticketsFor(deps: Deps, key: string): Promise<string[]> {
  const { rows } = await deps.database.query(
    `with requester as (insert into contacts (name, attributes) values ($1, '{"segment":"gold"}') returning id)
     insert into tickets (subject, status_key, status_category, priority, channel, requester_id, custom_fields)
     select 'Trigger bench ' || g, 'open', 'open', 'normal', 'email', requester.id, '{"plan":"pro"}'
       from generate_series(1, $2::int) g, requester
     returning id`,
    [`Trigger requester ${key}`, TRIGGERS.tickets],
  );
  return (rows as { id: string }[]).map((r) => r.id);
}

/**
 * `trigger.eval`: ticket updates/s through the service, each followed by its trigger run, with 100 active
 * triggers (two of which fire: on changes to and from urgent, half of the updates); reference: the same updates with no
 * triggers, in the same process on the same database.
 */
export async function triggerEval(): Promise<BenchResult[]> {
  const keepdesk = await startKeepdeskInProcess();
  try {
    const { deps } = keepdesk;
    progress('trigger.eval: reference, 2,000 updates without triggers');
    const reference = (await updatesPerSecond(deps, await ticketsFor(deps, 'reference'), 1_000_000))
      .perSecond;
    progress(`trigger.eval: ${TRIGGERS.count} triggers`);
    await createTriggers(deps);
    progress('trigger.eval: 2,000 updates with 100 triggers');
    const ids = await ticketsFor(deps, 'triggers');
    const { perSecond: value, firing } = await updatesPerSecond(deps, ids, 2_000_000);
    const { rows } = await deps.database.query(
      `select count(*)::int as runs, count(*) filter (where outcome = 'failed')::int as failed from rule_runs`,
    );
    const { runs, failed } = rows[0] as { runs: number; failed: number };
    const expected = firing;
    if (failed > 0 || runs !== expected) {
      throw new Error(`trigger.eval: ${runs} trigger runs (${failed} failed), expected ${expected}`);
    }
    return [
      {
        id: 'trigger.eval',
        value: round(value, 1),
        unit: 'updates/s',
        reference: { name: 'the same updates without triggers', value: round(reference, 1) },
        ratio: round(value / reference, 3),
      },
    ];
  } finally {
    await keepdesk.stop();
  }
}
