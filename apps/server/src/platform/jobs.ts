import { createHash } from 'node:crypto';
import PgBoss from 'pg-boss';
import type { z } from 'zod';
import { type DatabaseHandle, LOCK_KEYS } from './db';
import type { Logger } from './logging';

/** A UUID that is the same for the same key: a job sent twice is enqueued once, a retried write reuses its ids. */
export function stableUuid(key: string): string {
  const hex = createHash('sha256').update(key).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A background job: a validated payload and a handler. Modules export these from their `*.jobs.ts`. */
export interface JobDefinition<Schema extends z.ZodType = z.ZodType> {
  name: string;
  payload: Schema;
  handle: (payload: z.output<Schema>, meta: { jobId: string }) => Promise<void>;
  retryLimit?: number;
  /** A cron expression (UTC) for jobs that run on a schedule. */
  cron?: string;
}

export interface SendOptions {
  /** A stable id makes a repeated send a no-op (used by the outbox dispatcher). */
  id?: string;
  startAfterSeconds?: number;
}

/**
 * pg-boss 10 on the same database. On PGlite it runs in-process through `db.executeSql`: statements without
 * parameters go through `exec` (pg-boss sends multi-statement SQL that way), the others through `query`.
 */
export class JobQueue {
  private readonly boss: PgBoss;
  private readonly definitions = new Map<string, JobDefinition>();
  private readonly workerIds = new Map<string, string>();
  private isWorking = false;
  private started = false;
  private closed = false;

  constructor(
    private readonly handle: DatabaseHandle,
    private readonly log: Logger,
  ) {
    this.boss = new PgBoss({
      db: { executeSql: (text, values) => this.executeSql(text, values) },
      schema: 'pgboss',
      supervise: true,
      schedule: true,
      migrate: true,
      retryLimit: 5,
      retryDelay: 5,
      retryBackoff: true,
    });
    this.boss.on('error', (err) => this.log.error({ err }, 'job queue error'));
  }

  private async executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> {
    // After stop, pg-boss may still act once (its cron clock, a completion racing the stop); the database may
    // be closed by then. Such a late call never settles: it neither queries a closed pool nor feeds pg-boss a
    // result it cannot read, and a pending promise keeps no process alive.
    if (this.closed) return new Promise<never>(() => {});
    if (values && values.length > 0) return this.handle.query(text, values);
    const results = await this.handle.exec(text);
    const withRows = results.filter((r) => r.rows.length > 0);
    return withRows[withRows.length - 1] ?? results[results.length - 1] ?? { rows: [] };
  }

  async start(): Promise<void> {
    if (this.started) return;
    // pg-boss creates its schema on first start; two processes doing that at once collide.
    await this.handle.withLock(LOCK_KEYS.jobSchema, () => this.boss.start());
    this.started = true;
  }

  /** Creates the queue (and its schedule) so that jobs can be sent from any process role. */
  async define<Schema extends z.ZodType>(definition: JobDefinition<Schema>): Promise<void> {
    this.definitions.set(definition.name, definition as unknown as JobDefinition);
    // Processes starting together would create the same queue at once, which deadlocks in pg-boss.
    await this.handle.withLock(LOCK_KEYS.jobSchema, async () => {
      if (await this.boss.getQueue(definition.name)) return;
      await this.boss.createQueue(definition.name, {
        name: definition.name,
        retryLimit: definition.retryLimit ?? 5,
        retryDelay: 5,
        retryBackoff: true,
      });
    });
    if (definition.cron) await this.boss.schedule(definition.name, definition.cron, {}, { tz: 'UTC' });
    if (this.isWorking) await this.startWorker(definition as unknown as JobDefinition);
  }

  /** Works every defined queue in this process (role `worker` or `all`), including queues defined later. */
  async work(): Promise<void> {
    this.isWorking = true;
    for (const definition of this.definitions.values()) await this.startWorker(definition);
  }

  private async startWorker(definition: JobDefinition): Promise<void> {
    if (this.workerIds.has(definition.name)) return;
    let workerId: string | undefined;
    workerId = await this.boss.work(
      definition.name,
      { batchSize: 1, pollingIntervalSeconds: 2 },
      async (jobs) => {
        for (const job of jobs) {
          const payload = definition.payload.parse(job.data);
          await definition.handle(payload, { jobId: job.id });
        }
        // pg-boss waits a polling interval after every fetch unless told otherwise: a queue with work waiting
        // would drain one job per interval. After a job, look again at once; an empty fetch then waits.
        if (jobs.length > 0 && workerId) this.boss.notifyWorker(workerId);
      },
    );
    this.workerIds.set(definition.name, workerId);
  }

  async send(name: string, payload: unknown, options: SendOptions = {}): Promise<string | null> {
    const definition = this.definitions.get(name);
    if (!definition) throw new Error(`job ${name} is not defined`);
    const data = definition.payload.parse(payload) as object;
    const id = await this.boss.send(name, data, {
      ...(options.id ? { id: options.id } : {}),
      ...(options.startAfterSeconds ? { startAfter: options.startAfterSeconds } : {}),
    });
    // A worker in this process picks the job up now instead of at its next poll.
    const workerId = this.workerIds.get(name);
    if (workerId && !options.startAfterSeconds) this.boss.notifyWorker(workerId);
    return id;
  }

  /** Many jobs of one queue in one statement; ids already there are skipped, as with `send`. */
  async sendMany(
    name: string,
    jobs: readonly { payload: unknown; id?: string; startAfterSeconds?: number }[],
  ): Promise<void> {
    if (jobs.length === 0) return;
    const definition = this.definitions.get(name);
    if (!definition) throw new Error(`job ${name} is not defined`);
    const now = Date.now();
    await this.boss.insert(
      jobs.map((job) => ({
        name,
        data: definition.payload.parse(job.payload) as object,
        ...(job.id ? { id: job.id } : {}),
        ...(job.startAfterSeconds ? { startAfter: new Date(now + job.startAfterSeconds * 1000) } : {}),
      })),
    );
    const workerId = this.workerIds.get(name);
    if (workerId) this.boss.notifyWorker(workerId);
  }

  async getJob(name: string, id: string): Promise<{ state: string; output: unknown } | null> {
    const job = await this.boss.getJobById(name, id);
    return job ? { state: job.state, output: job.output } : null;
  }

  /** Stops fetching new jobs and waits for running handlers, up to `timeoutMs`. */
  async stop(timeoutMs: number): Promise<void> {
    if (!this.started) return;
    this.started = false;
    this.isWorking = false;
    this.workerIds.clear();
    await this.boss.stop({ graceful: true, wait: true, close: false, timeout: timeoutMs });
    this.closed = true;
  }
}
