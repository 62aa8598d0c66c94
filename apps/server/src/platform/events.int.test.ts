import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startTestServer, TEST_DB, type TestServer } from '../../test/harness';
import { type DatabaseHandle, openDatabase, withTransaction } from './db';
import { type BusMessage, EventBus, OutboxDispatcher, recordChange, SYSTEM_ACTOR } from './events';
import { JobQueue } from './jobs';
import { createLogger } from './logging';

let server: TestServer;
beforeAll(async () => {
  // Own database: the dispatcher routes below exist only in this server.
  server = await startTestServer({ isolated: true });
});
afterAll(async () => {
  await server?.close();
});

const log = createLogger('silent');
const waitUntil = async (condition: () => boolean, timeoutMs = 10_000) => {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
};

describe('audit log and outbox', () => {
  it('writes neither audit row nor event when the transaction fails', async () => {
    const entityId = `rollback-${Date.now()}`;
    await expect(
      withTransaction(server.deps.database, async (tx) => {
        await recordChange(tx, SYSTEM_ACTOR, { action: 'thing.created', entityType: 'thing', entityId });
        throw new Error('boom after the write');
      }),
    ).rejects.toThrow('boom');
    const { rows: audit } = await server.deps.database.query('select 1 from audit_log where entity_id = $1', [
      entityId,
    ]);
    const { rows: events } = await server.deps.database.query(
      "select 1 from outbox_events where payload->>'entityId' = $1",
      [entityId],
    );
    expect(audit).toHaveLength(0);
    expect(events).toHaveLength(0);
  });

  it('delivers each committed event to its job exactly once and marks it dispatched', async () => {
    const received: { eventId: number; entityId: string }[] = [];
    const jobName = `test-outbox-${Date.now()}`;
    await server.deps.jobs.define({
      name: jobName,
      payload: z.object({ eventId: z.number(), entityId: z.string() }).loose(),
      handle: async (payload) => {
        received.push(payload);
      },
    });
    server.deps.outbox.route('thing.shipped', jobName);
    await server.deps.jobs.work();
    const ids = ['t1', 't2', 't3'].map((id) => `${id}-${Date.now()}`);
    for (const entityId of ids) {
      await withTransaction(server.deps.database, (tx) =>
        recordChange(tx, SYSTEM_ACTOR, { action: 'thing.shipped', entityType: 'thing', entityId }),
      );
    }
    await waitUntil(() => received.length >= 3);
    // A second dispatcher run (another process, a retry) must not send anything again.
    await server.deps.outbox.kick();
    await new Promise((r) => setTimeout(r, 1500));
    expect(received.map((r) => r.entityId).sort()).toEqual([...ids].sort());
    const { rows } = await server.deps.database.query(
      "select count(*)::int as pending from outbox_events where type = 'thing.shipped' and dispatched_at is null",
    );
    expect(rows[0]?.pending).toBe(0);
  });

  it('publishes bus messages from a transaction only when it commits', async () => {
    const topic = `topic-${Date.now()}`;
    const seen: BusMessage[] = [];
    const unsubscribe = server.deps.bus.subscribe((m) => m.topic === topic && seen.push(m));
    await withTransaction(server.deps.database, (tx) =>
      server.deps.bus.publish({ topic, data: { n: 1 } }, tx),
    );
    await expect(
      withTransaction(server.deps.database, async (tx) => {
        await server.deps.bus.publish({ topic, data: { n: 2 } }, tx);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow();
    await server.deps.bus.publish({ topic, data: { n: 3 } });
    await waitUntil(() => seen.length >= 2);
    await new Promise((r) => setTimeout(r, 200));
    unsubscribe();
    expect(seen.map((m) => m.data.n)).toEqual([1, 3]);
  });
});

describe.runIf(TEST_DB === 'postgres')('across processes on PostgreSQL', () => {
  let other: DatabaseHandle;
  beforeAll(async () => {
    if (!server.databaseUrl) throw new Error('isolated PostgreSQL database expected');
    other = await openDatabase({ kind: 'postgres', url: server.databaseUrl });
  });
  afterAll(async () => {
    await other?.close();
  });

  it('carries a bus message from one connection set to another', async () => {
    const bus = new EventBus(other, log);
    await bus.start();
    const seen: BusMessage[] = [];
    bus.subscribe((m) => seen.push(m));
    await server.deps.bus.publish({ topic: 'cross', data: { from: 'first' } });
    await waitUntil(() => seen.some((m) => m.topic === 'cross'));
    await bus.stop();
    expect(seen.find((m) => m.topic === 'cross')?.data).toEqual({ from: 'first' });
  });

  it('lets two dispatchers race over one outbox without sending an event twice', async () => {
    const jobs = new JobQueue(other, log);
    await jobs.start();
    const jobName = `test-race-${Date.now()}`;
    const definition = {
      name: jobName,
      payload: z.object({ entityId: z.string() }).loose(),
      handle: async () => {},
    };
    await jobs.define(definition);
    await server.deps.jobs.define(definition);
    const second = new OutboxDispatcher(other, jobs, new EventBus(other, log), log);
    second.route('race.event', jobName);
    server.deps.outbox.route('race.event', jobName);
    for (let i = 0; i < 40; i++) {
      await withTransaction(server.deps.database, (tx) =>
        recordChange(tx, SYSTEM_ACTOR, { action: 'race.event', entityType: 'race', entityId: `r${i}` }),
      );
    }
    await second.start();
    await Promise.all([second.kick(), server.deps.outbox.kick()]);
    await second.stop();
    await jobs.stop(1000);
    const { rows } = await other.query(`select count(*)::int as n from pgboss.job where name = $1`, [
      jobName,
    ]);
    expect(rows[0]?.n).toBe(40);
  });
});
