import type { Problem, ScoringRun } from '@keepdesk/contract';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runKeepdesk } from '../../../test/cli';
import { bearerFor, makeUser, startTestServer, TEST_DB, type TestServer } from '../../../test/harness';
import type { Deps } from '../../platform/context';
import { type DatabaseHandle, openDatabase } from '../../platform/db';
import { AppError } from '../../platform/errors';
import { runRetention, scoreWorkspace } from './model.service';
import { retentionJob } from './retention.jobs';
import { withRetentionRunLock } from './run-lock.service';

const DAY_MS = 86_400_000;
const ACCOUNTS = 60;
/**
 * How many of the accounts that drop (every third) each owner has: at and below the digest limit of 3 an owner
 * hears of each, above it of all of them in one digest.
 */
const OWNER_DROPS = [1, 3, 4, 12] as const;
const OWNERS = OWNER_DROPS.length;

let server: TestServer;
let rita: { authorization: string };
/** Another process on the same database (PostgreSQL: a pool of its own); on PGlite, this process again. */
let other: Deps;
let otherHandle: DatabaseHandle | null = null;
/** The owners, in the order of OWNER_DROPS. */
const ownerIds: string[] = [];

const dayOf = (date: Date) => date.toISOString().slice(0, 10);

async function post(url: string, payload: object) {
  return server.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: rita, payload });
}

/** Accounts that pay since a year ago, a third of them without use lately. */
async function seedCustomers() {
  const now = server.deps.now().getTime();
  const ago = (days: number) => new Date(now - days * DAY_MS);
  const accounts = [];
  const subscriptions = [];
  const usage = [];
  for (let i = 0; i < ACCOUNTS; i++) {
    accounts.push({ externalId: `lock-${i}`, name: `Kunde ${i}`, attributes: { seats: 2 + (i % 9) } });
    subscriptions.push({
      externalId: `lock-sub-${i}`,
      account: `lock-${i}`,
      plan: 'pro',
      mrr: 40 + (i % 6) * 25,
      startedOn: dayOf(ago(380 + i)),
      endedOn: null,
    });
    for (let week = 0; week < 8; week++) {
      // Every third stopped using the product a month ago: its usage trend makes it one to watch.
      if (i % 3 === 0 && week < 5) continue;
      usage.push({
        account: `lock-${i}`,
        name: 'report.created',
        occurredAt: ago(1 + week * 7).toISOString(),
        count: 3 + (i % 7),
      });
    }
  }
  for (const [url, rows] of [
    ['/customer-accounts/bulk', accounts],
    ['/subscriptions/bulk', subscriptions],
    ['/usage-events/bulk', usage],
  ] as const) {
    const res = await post(url, { rows });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ errors: unknown[] }>().errors).toEqual([]);
  }
  // The dropping accounts go to the owners in turn until each has its number; the others take turns.
  const owned: string[][] = OWNER_DROPS.map(() => []);
  const due = [...OWNER_DROPS];
  for (let i = 0; i < ACCOUNTS; i++) {
    const owner = i % 3 === 0 ? due.findIndex((n) => n > 0) : i % OWNERS;
    if (i % 3 === 0) due[owner]! -= 1;
    owned[owner]!.push(`lock-${i}`);
  }
  for (const externalIds of owned) {
    const owner = await makeUser(server, { role: 'retention_specialist' });
    ownerIds.push(owner.id);
    await server.deps.database.query(
      'update customer_accounts set owner_id = $1 where external_id = any($2::text[])',
      [owner.id, externalIds],
    );
  }
}

/** As if every account had been healthy at the last scoring: the next run tells of each one that is not. */
async function pretendAllHealthy(): Promise<void> {
  await server.deps.database.query("update account_risk set health_band = 'healthy'");
}

/** Each owner's band-drop notifications since `since`: how many of each account, and the digests' counts. */
async function dropNotices(since: Date): Promise<{ each: number; digests: string[] }[]> {
  const { rows } = await server.deps.database.query(
    `select user_id, kind, excerpt from notifications
      where kind in ('health_dropped', 'health_dropped_many') and created_at >= $1`,
    [since],
  );
  return ownerIds.map((id) => {
    const mine = rows.filter((row) => row.user_id === id);
    return {
      each: mine.filter((row) => row.kind === 'health_dropped').length,
      digests: mine.filter((row) => row.kind === 'health_dropped_many').map((row) => String(row.excerpt)),
    };
  });
}

/** What the owners of OWNER_DROPS hear of one run: each drop up to 3, one digest with their number above. */
const TOLD_ONCE = [
  { each: 1, digests: [] },
  { each: 3, digests: [] },
  { each: 0, digests: ['4'] },
  { each: 0, digests: ['12'] },
];

/** The owned accounts now in a worse band than healthy (one run tells their owners of each), and their owners. */
async function drops(): Promise<{ accounts: number; owners: number }> {
  const { rows } = await server.deps.database.query(
    `select count(*)::int as accounts, count(distinct a.owner_id)::int as owners
      from account_risk r join customer_accounts a on a.id = r.account_id
      where r.health_band <> 'healthy' and a.owner_id is not null`,
  );
  return { accounts: Number(rows[0]?.accounts), owners: Number(rows[0]?.owners) };
}

/**
 * A run of the other process that holds the lock until `finish` is called: what a person's second request meets
 * while a long run is going, without a race against how long a run takes.
 */
async function holdRun(): Promise<{ finish: () => Promise<void> }> {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let held!: () => void;
  const holding = new Promise<void>((resolve) => {
    held = resolve;
  });
  const run = withRetentionRunLock(other, async () => {
    held();
    await gate;
  });
  await Promise.race([holding, run]);
  return {
    finish: async () => {
      release();
      await run;
    },
  };
}

function isRefusal(error: unknown): boolean {
  return error instanceof AppError && error.code === 'RETENTION_RUN_IN_PROGRESS';
}

beforeAll(async () => {
  // A database of its own: a run scores every account of the workspace.
  server = await startTestServer({ isolated: true });
  const specialist = await bearerFor(server, 'retention_specialist');
  rita = specialist.headers;
  await seedCustomers();
  if (TEST_DB === 'postgres') {
    otherHandle = await openDatabase({ kind: 'postgres', url: server.databaseUrl! });
    other = { ...server.deps, database: otherHandle };
  } else {
    other = server.deps;
  }
  // The first scoring: every account gets its band.
  await runRetention(server.deps);
}, 120_000);
afterAll(async () => {
  await otherHandle?.close();
  await server?.close();
});

describe('one retention run at a time', () => {
  it('runs one of two started at once and refuses the other; band drops are told once', async () => {
    await pretendAllHealthy();
    const before = new Date();
    const outcomes = await Promise.allSettled([runRetention(server.deps), runRetention(other)]);
    const done = outcomes.filter((o) => o.status === 'fulfilled').map((o) => o.value);
    const refused = outcomes.filter((o) => o.status === 'rejected').map((o) => o.reason as unknown);
    expect(done).toHaveLength(1);
    expect(refused.filter(isRefusal)).toHaveLength(1);
    expect(done[0]!.bandDrops).toBe(ACCOUNTS / 3);
    // Every owner has dropped accounts and hears of them once: of each, or in one digest when many.
    expect(await drops()).toEqual({ accounts: ACCOUNTS / 3, owners: OWNERS });
    expect(await dropNotices(before)).toEqual(TOLD_ONCE);
    const history = await server.deps.database.db.execute(
      sql`select count(*)::int as n from account_risk_history where day = ${dayOf(server.deps.now())}::date`,
    );
    expect(Number((history as unknown as { rows: { n: number }[] }).rows[0]!.n)).toBe(ACCOUNTS);
  });

  it("counts an owner's drops over the whole run, not per chunk of accounts", async () => {
    await pretendAllHealthy();
    const before = new Date();
    // One account per transaction: no chunk holds more than one drop of anybody.
    const run = await scoreWorkspace(server.deps, undefined, { chunkSize: 1 });
    expect(run.bandDrops).toBe(ACCOUNTS / 3);
    expect(await dropNotices(before)).toEqual(TOLD_ONCE);
  });

  it('answers a run asked for meanwhile with 409 problem+json saying since when', async () => {
    const running = await holdRun();
    const res = await post('/retention/runs', {});
    await running.finish();
    expect(res.statusCode, res.body).toBe(409);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = res.json<Problem>();
    expect(problem.code).toBe('RETENTION_RUN_IN_PROGRESS');
    const since = /^a retention run is already in progress since (\S+)$/.exec(problem.detail ?? '')?.[1];
    expect(since, problem.detail).toBeDefined();
    expect(Math.abs(new Date(since!).getTime() - Date.now())).toBeLessThan(120_000);
    // Once it has finished, the next one runs.
    const after = await post('/retention/runs', {});
    expect(after.statusCode, after.body).toBe(200);
    expect(after.json<ScoringRun>().scored).toBe(ACCOUNTS);
  });

  it('lets the nightly job skip, with a log line, while another run is going', async () => {
    const info = vi.spyOn(server.deps.log, 'info');
    const running = await holdRun();
    try {
      await expect(retentionJob(server.deps).handle({}, { jobId: 'test' })).resolves.toBeUndefined();
      expect(info).toHaveBeenCalledWith(
        expect.objectContaining({ reason: expect.stringMatching(/already in progress since/) }),
        'retention run skipped',
      );
      expect(info).not.toHaveBeenCalledWith(expect.anything(), 'retention scored');
    } finally {
      await running.finish();
      info.mockRestore();
    }
  });

  it.runIf(TEST_DB === 'postgres')(
    'makes the CLI say so and exit non-zero while another process holds the run',
    async () => {
      const running = await holdRun();
      try {
        const { code, stderr } = await runKeepdesk(['churn', 'score', '--database-url', server.databaseUrl!]);
        expect(stderr).toMatch(/keepdesk churn score: a retention run is already in progress since \d{4}-/);
        expect(code).toBe(1);
      } finally {
        await running.finish();
      }
    },
    60_000,
  );
});
