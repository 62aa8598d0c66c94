import { type SQL, sql } from 'drizzle-orm';
import type { DatabaseHandle, Executor } from './db';
import { type JobQueue, stableUuid } from './jobs';
import type { Logger } from './logging';
import { BackgroundLoop } from './loop';
import { auditLog, outboxEvents } from './platform.tables';

/** Who did something: a signed-in user, a user through an API token, a rule (trigger or automation), or Keepdesk itself. */
export type Actor =
  | { kind: 'user' | 'token'; userId: string; requestId?: string }
  | { kind: 'system'; userId: null; requestId?: string }
  | { kind: 'rule'; userId: null; requestId?: string; rule: RuleRef };

/** The rule that made a change, as the ticket history shows it. */
export interface RuleRef {
  id: string;
  name: string;
  kind: 'trigger' | 'automation';
}

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

/** Wakes the outbox dispatcher; in a transaction it is delivered at commit. */
export const NOTIFY_OUTBOX = sql`pg_notify(${OUTBOX_CHANNEL}, '')`;

/**
 * The audit row and the outbox event of changes as two CTEs (`audit`, `event`), one per row of `from` (a
 * `from …` clause, or empty for a single change), with `entityId` and `data` as SQL over its columns. For
 * statements that write an entity and its record in one round trip.
 */
export function changeCtes(
  actor: Actor,
  change: { action: string; entityType: string; entityId: SQL; data: SQL; from?: SQL },
): SQL {
  const from = change.from ?? sql``;
  return sql`audit as (
      insert into ${auditLog} (actor_user_id, actor_kind, action, entity_type, entity_id, data, request_id)
      select ${actor.userId}::uuid, ${actor.kind}::text, ${change.action}::text, ${change.entityType}::text,
             (${change.entityId})::text, ${change.data}, ${actor.requestId ?? null}::text ${from}
    ), event as (
      insert into ${outboxEvents} (type, payload)
      select ${change.action}::text, jsonb_build_object('entityType', ${change.entityType}::text,
             'entityId', (${change.entityId})::text, 'actorUserId', ${actor.userId}::uuid, 'data', ${change.data},
             'ruleKind', ${actor.kind === 'rule' ? actor.rule.kind : null}::text) ${from}
    )`;
}

/**
 * Writes the audit row and the outbox event of a change in the caller's transaction, in one round trip.
 * NOTIFY inside a transaction is delivered at commit, so the dispatcher wakes exactly when the event is visible.
 */
export async function recordChange(tx: Executor, actor: Actor, change: Change): Promise<void> {
  const ctes = changeCtes(actor, {
    action: change.action,
    entityType: change.entityType,
    entityId: sql`${change.entityId}::text`,
    data: sql`${JSON.stringify(change.data ?? {})}::jsonb`,
  });
  await tx.execute(sql`with ${ctes} select ${NOTIFY_OUTBOX}`);
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
    /** Set when a trigger or an automation made the change. */
    ruleKind?: 'trigger' | 'automation' | null;
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
  private readonly loop: BackgroundLoop;

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
  ) {
    this.loop = new BackgroundLoop(
      'outbox dispatch',
      async () => (await this.dispatchBatch()) === this.options.batchSize,
      this.options.pollMs,
      log,
    );
  }

  /** Sends each event of `eventType` to the job queue `jobName`. */
  route(eventType: string, jobName: string): void {
    this.routes.set(eventType, [...(this.routes.get(eventType) ?? []), jobName]);
  }

  async start(): Promise<void> {
    this.unlisten = await this.handle.listen(OUTBOX_CHANNEL, () => void this.kick());
    this.loop.start();
  }

  /** Dispatches until nothing is pending; resolves when the current round ends. */
  kick(): Promise<void> {
    return this.loop.kick();
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
    const announce: OutboxEvent[] = [];
    const failed: { id: number; err: unknown }[] = [];
    for (const event of events) {
      try {
        for (const jobName of this.routes.get(event.type) ?? []) {
          await this.jobs.send(
            jobName,
            { eventId: event.id, type: event.type, ...event.payload },
            { id: jobIdFor(event.id, jobName) },
          );
        }
        announce.push(event);
      } catch (err) {
        failed.push({ id: event.id, err });
      }
    }
    // The announcements go out in as few NOTIFYs as their size allows, and are marked done together.
    const done: number[] = [];
    for (const chunk of announcementChunks(announce)) {
      try {
        await this.bus.publish({ topic: 'outbox', data: { events: chunk } });
        done.push(...chunk.map((e) => e.id));
      } catch (err) {
        failed.push(...chunk.map((e) => ({ id: e.id, err })));
      }
    }
    if (done.length > 0) {
      await this.handle.query(
        'update outbox_events set dispatched_at = now(), last_error = null where id = any($1::bigint[])',
        [done],
      );
    }
    for (const { id, err } of failed) {
      this.log.error({ err, eventId: id }, 'outbox event not dispatched; will retry');
      await this.handle
        .query('update outbox_events set last_error = $2 where id = $1', [id, String(err)])
        .catch(() => {});
    }
    return events.length;
  }

  async stop(): Promise<void> {
    await this.unlisten?.();
    await this.loop.stop();
  }
}

/** What the bus carries of an event: ids and kinds only, the receivers load what they may see. */
export interface OutboxAnnouncement {
  id: number;
  type: string;
  entityType: unknown;
  entityId: unknown;
}

const NOTIFY_BUDGET = 7000;

/** Announcements grouped so that each group's NOTIFY payload stays under PostgreSQL's 8,000 bytes. */
function announcementChunks(events: readonly OutboxEvent[]): OutboxAnnouncement[][] {
  const chunks: OutboxAnnouncement[][] = [];
  let current: OutboxAnnouncement[] = [];
  let size = 0;
  for (const event of events) {
    const item = {
      id: event.id,
      type: event.type,
      entityType: event.payload.entityType,
      entityId: event.payload.entityId,
    };
    const bytes = Buffer.byteLength(JSON.stringify(item)) + 1;
    if (current.length > 0 && size + bytes > NOTIFY_BUDGET) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(item);
    size += bytes;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** A UUID-shaped id derived from event and queue, so pg-boss drops a second send of the same pair. */
function jobIdFor(eventId: number, jobName: string): string {
  return stableUuid(`${eventId}:${jobName}`);
}
