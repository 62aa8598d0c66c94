import type { FastifyReply, FastifyRequest } from 'fastify';
import type { BusMessage, EventBus, OutboxAnnouncement } from './events';
import { type App, type Principal, principalOf } from './http';

/** What a browser receives on its live stream. Ids only: the browser loads what it may see. */
export type LiveEvent =
  | { type: 'change'; entityType: string; entityId: string; action: string }
  | { type: 'presence'; ticketId: string; userId: string; name: string; state: PresenceState; at: string }
  | { type: 'notification'; userId: string }
  | { type: 'call'; userId: string; callId: string };

export type PresenceState = 'viewing' | 'typing' | 'left';

export type ChangeEvent = Extract<LiveEvent, { type: 'change' }>;

/**
 * An agent's browser (`principal`), or a portal customer's (`contactId`): a customer hears only the `change`
 * events the customer audience lets through, and nothing else (no presence, no personal topics).
 */
type Client =
  | { principal: Principal; contactId?: undefined; reply: FastifyReply }
  | { principal: null; contactId: string; reply: FastifyReply };
type CustomerClient = Extract<Client, { principal: null }>;

/**
 * For each change (in order), the contacts among `contactIds` that may see it. Asked once per bus message for
 * every customer connected to this process, so its cost does not grow with the number of customers.
 */
export type CustomerAudience = (
  changes: readonly ChangeEvent[],
  contactIds: readonly string[],
) => Promise<readonly ReadonlySet<string>[]>;

const HEARTBEAT_MS = 25_000;

/**
 * Server-Sent Events to the browsers connected to this process. It listens on the event bus, so a change
 * committed through any Keepdesk process on the same database reaches every browser: the outbox dispatcher
 * announces each committed change, presence (who views or types on a ticket) travels on its own topic.
 */
export class LiveHub {
  private readonly clients = new Set<Client>();
  /** Which permission lets a browser hear about changes of an entity type; others are not forwarded. */
  private readonly audiences = new Map<string, string>();
  /** Bus topics whose messages concern one user (`data.userId`) and go to that user's browsers only. */
  private readonly personal = new Set<string>(['notification']);
  /** Without one, customers' streams stay silent. */
  private customerAudience: CustomerAudience | undefined;
  private unsubscribe: (() => void) | undefined;
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(private readonly bus: EventBus) {}

  /** Changes of `entityType` go to browsers whose user has `permission`. */
  expose(entityType: string, permission: string): void {
    this.audiences.set(entityType, permission);
  }

  /** Messages on `topic` (with `data.userId`) reach that user's browsers as events named after the topic. */
  forwardToUser(topic: string): void {
    this.personal.add(topic);
  }

  start(): void {
    this.unsubscribe ??= this.bus.subscribe((message) => this.onBusMessage(message));
    this.heartbeat ??= setInterval(() => {
      for (const client of this.clients) client.reply.raw.write(': keep-alive\n\n');
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  get connections(): number {
    return this.clients.size;
  }

  /** Turns the request into an event stream for its principal until the browser goes away. */
  connect(req: FastifyRequest, reply: FastifyReply, principal: Principal): void {
    this.open(req, reply, { principal, reply });
  }

  /** Decides which `change` events reach which connected customer (the portal's visibility rule). */
  admitCustomers(audience: CustomerAudience): void {
    this.customerAudience = audience;
  }

  /** A portal customer's stream: `change` events only, those the customer audience lets through. */
  connectCustomer(req: FastifyRequest, reply: FastifyReply, contactId: string): void {
    this.open(req, reply, { principal: null, contactId, reply });
  }

  private open(req: FastifyRequest, reply: FastifyReply, client: Client): void {
    startEventStream(reply);
    this.clients.add(client);
    req.raw.on('close', () => this.clients.delete(client));
  }

  /** Ends every stream (browsers reconnect to another process); call before the HTTP server closes. */
  closeAll(): void {
    for (const client of this.clients) client.reply.raw.end();
    this.clients.clear();
  }

  stop(): void {
    this.closeAll();
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  /** Announces presence on a ticket to every process (and so every browser that may read tickets). */
  async announcePresence(event: Extract<LiveEvent, { type: 'presence' }>): Promise<void> {
    await this.bus.publish({ topic: 'presence', data: event });
  }

  private onBusMessage(message: BusMessage): void {
    if (message.topic === 'outbox') {
      const changes: ChangeEvent[] = [];
      for (const event of (message.data.events ?? []) as OutboxAnnouncement[]) {
        const entityType = String(event.entityType ?? '');
        const permission = this.audiences.get(entityType);
        if (!permission) continue;
        const change: ChangeEvent = {
          type: 'change',
          entityType,
          entityId: String(event.entityId ?? ''),
          action: String(event.type),
        };
        this.send(change, permission);
        changes.push(change);
      }
      this.sendToCustomers(changes);
    } else if (message.topic === 'presence') {
      this.send(message.data as LiveEvent, this.audiences.get('ticket') ?? 'tickets:read');
    } else if (this.personal.has(message.topic)) {
      // A user's notifications and calls concern only their own browsers.
      const userId = String(message.data.userId ?? '');
      const frame = `event: ${message.topic}\ndata: ${JSON.stringify({ type: message.topic, ...message.data })}\n\n`;
      for (const client of this.clients) {
        if (client.principal?.userId === userId) client.reply.raw.write(frame);
      }
    }
  }

  private send(event: LiveEvent, permission: string): void {
    const frame = `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
    for (const client of this.clients) {
      if (client.principal?.permissions.includes(permission)) client.reply.raw.write(frame);
    }
  }

  private sendToCustomers(changes: readonly ChangeEvent[]): void {
    const customers = [...this.clients].filter(
      (client): client is CustomerClient => client.principal === null,
    );
    const audience = this.customerAudience;
    if (changes.length === 0 || customers.length === 0 || !audience) return;
    // Asked when the message arrives, never cached (visibility may change at any time); when the check fails the
    // events are dropped — they carry no content, and the next change reloads the page anyway.
    const contactIds = [...new Set(customers.map((client) => client.contactId))];
    audience(changes, contactIds).then(
      (admitted) => {
        for (const [index, change] of changes.entries()) {
          const contacts = admitted[index];
          if (!contacts || contacts.size === 0) continue;
          const frame = `event: change\ndata: ${JSON.stringify(change)}\n\n`;
          for (const { contactId, reply } of customers) {
            if (contacts.has(contactId) && !reply.raw.writableEnded) reply.raw.write(frame);
          }
        }
      },
      () => undefined,
    );
  }
}

/** Takes the response over as a Server-Sent Events stream (headers set so far are kept, proxies told not to buffer). */
export function startEventStream(reply: FastifyReply): void {
  reply.hijack();
  const headers = { ...(reply.getHeaders() as Record<string, string>) };
  delete headers['content-length'];
  reply.raw.writeHead(200, {
    ...headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  reply.raw.write('retry: 3000\n: connected\n\n');
}

/** `GET /api/v1/live`: the signed-in browser's event stream. */
export function liveRoutes(live: LiveHub) {
  return async (app: App) => {
    app.get(
      '/live',
      {
        schema: {
          tags: ['live'],
          description:
            'Server-Sent Events: `change` (an entity changed; load it again), `presence` (who views or types on a ticket), `notification` (your notifications changed) and `call` (a call you took: load /calls/{callId}).',
        },
        config: { access: { permission: null } },
      },
      async (req, reply) => live.connect(req, reply, principalOf(req)),
    );
  };
}
