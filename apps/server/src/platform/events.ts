import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { DatabaseHandle, Executor } from './db';
import type { JobQueue } from './jobs';
import type { Logger } from './logging';
import { auditLog, outboxEvents } from './platform.tables';

/** Who did something: a signed-in user, a user through an API token, or Keepdesk itself. */
export type Actor =
  | { kind: 'user' | 'token'; userId: string; requestId?: string }
  | { kind: 'system'; userId: null; requestId?: string };

export const SYSTEM_ACTOR: Actor = { kind: 'system', userId: null };

export interface Change {
  /** `<entity>.<verb>`, e.g. `user.created`; also the outbox event type. */
  action: string;
  entityType: string;
  entityId: string;
  /** What changed (from → to), kept in the audit row and the event. Never secrets. */
  data?: Record<string, unknown>;
}

const OUTBOX_CHANNEL = 'keepdesk_outbox';

/**
 * Writes the audit row and the outbox event of a change in the caller's transaction. NOTIFY inside a
 * transaction is delivered at commit, so the dispatcher wakes exactly when the event becomes visible.
 */
export async function recordChange(tx: Executor, actor: Actor, change: Change): Promise<void> {
  const data = change.data ?? {};
  await tx.insert(auditLog).values({
    actorUserId: actor.userId,
    actorKind: actor.kind,
    action: change.action,
    entityType: change.entityType,
    entityId: change.entityId,
    data,
    requestId: actor.requestId ?? null,
  });
  await tx.insert(outboxEvents).values({
    type: change.action,
    payload: { entityType: change.entityType, entityId: change.entityId, actorUserId: actor.userId, data },
  });
  await tx.execute(sql`select pg_notify(${OUTBOX_CHANNEL}, '')`);
}

export interface BusMessage {
  topic: string;
  data: Record<string, unknown>;
}

/**
 * Publish/subscribe between all Keepdesk processes on one database through LISTEN/NOTIFY. Messages are small
 * (NOTIFY payloads stop at 8,000 bytes): send ids and let the receiver load the rest.
 */
export class EventBus {
  private static readonly CHANNEL = 'keepdesk_bus';
  private readonly handlers = new Set<(message: BusMessage) => void>();
  private unlisten: (() => Promise<void>) | undefined;

  constructor(
    private readonly handle: DatabaseHandle,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    this.unlisten ??= await this.handle.listen(EventBus.CHANNEL, (payload) => {
      let message: BusMessage;
      try {
        message = JSON.parse(payload) as BusMessage;
      } catch (err) {
        this.log.warn({ err }, 'ignored a malformed bus message');
        return;
      }
      for (const handler of this.handlers) handler(message);
    });
  }

  subscribe(handler: (message: BusMessage) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  /** Publishes now, or at commit when `executor` is an open transaction. */
  async publish(message: BusMessage, executor?: Executor): Promise<void> {
    const payload = JSON.stringify(message);
    if (Buffer.byteLength(payload) > 7900) throw new Error(`bus message on ${message.topic} is too large`);
    if (executor) await executor.execute(sql`select pg_notify(${EventBus.CHANNEL}, ${payload})`);
    else await this.handle.query('select pg_notify($1, $2)', [EventBus.CHANNEL, payload]);
  }

  async stop(): Promise<void> {
    await this.unlisten?.();
    this.unlisten = undefined;
    this.handlers.clear();
  }
}

export interface OutboxEvent {
  id: number;
  type: string;
  payload: {
    entityType: string;
    entityId: string;
    actorUserId: string | null;
    data: Record<string, unknown>;
  };
}

/**
 * Moves committed outbox events to their consumers: a job per subscribed queue (with an id derived from the
 * event, so a retried dispatch never enqueues twice) and a bus message for live views. At-least-once: a
 * process that dies between claim and mark leaves the claim to expire, and another dispatcher takes over.
 */
export class OutboxDispatcher {
  private readonly routes = new Map<string, string[]>();
  private unlisten: (() => Promise<void>) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private rerun = false;
  private stopped = true;

  constructor(
    private readonly handle: DatabaseHandle,
    private readonly jobs: JobQueue,
    private readonly bus: EventBus,
    private readonly log: Logger,
    private readonly options: { pollMs: number; batchSize: number; claimSeconds: number } = {
      pollMs: 2000,
      batchSize: 200,
      claimSeconds: 30,
    },
  ) {}

  /** Sends each event of `eventType` to the job queue `jobName`. */
  route(eventType: string, jobName: string): void {
    this.routes.set(eventType, [...(this.routes.get(eventType) ?? []), jobName]);
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.unlisten = await this.handle.listen(OUTBOX_CHANNEL, () => void this.kick());
    this.timer = setInterval(() => void this.kick(), this.options.pollMs);
    this.timer.unref();
    void this.kick();
  }

  /** Dispatches until nothing is pending; resolves when the current round ends. */
  kick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.rerun = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.rerun = false;
          while (!this.stopped && (await this.dispatchBatch()) === this.options.batchSize) {}
        } while (this.rerun && !this.stopped);
      } catch (err) {
        this.log.error({ err }, 'outbox dispatch failed; will retry');
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private async dispatchBatch(): Promise<number> {
    const claimed = await this.handle.query(
      `update outbox_events set claimed_until = now() + make_interval(secs => $2)
        where id in (select id from outbox_events
                      where dispatched_at is null and (claimed_until is null or claimed_until < now())
                      order by id limit $1 for update skip locked)
        returning id, type, payload`,
      [this.options.batchSize, this.options.claimSeconds],
    );
    const events = (claimed.rows as unknown as OutboxEvent[]).map((e) => ({ ...e, id: Number(e.id) }));
    events.sort((a, b) => a.id - b.id);
    for (const event of events) {
      try {
        for (const jobName of this.routes.get(event.type) ?? []) {
          await this.jobs.send(
            jobName,
            { eventId: event.id, type: event.type, ...event.payload },
            {
              id: jobIdFor(event.id, jobName),
            },
          );
        }
        await this.bus.publish({
          topic: 'outbox',
          data: {
            id: event.id,
            type: event.type,
            entityType: event.payload.entityType,
            entityId: event.payload.entityId,
          },
        });
        await this.handle.query(
          'update outbox_events set dispatched_at = now(), last_error = null where id = $1',
          [event.id],
        );
      } catch (err) {
        this.log.error({ err, eventId: event.id }, 'outbox event not dispatched; will retry');
        await this.handle
          .query('update outbox_events set last_error = $2 where id = $1', [event.id, String(err)])
          .catch(() => {});
      }
    }
    return events.length;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.unlisten?.();
    await this.running;
  }
}

/** A UUID-shaped id derived from event and queue, so pg-boss drops a second send of the same pair. */
function jobIdFor(eventId: number, jobName: string): string {
  const hex = createHash('sha256').update(`${eventId}:${jobName}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
