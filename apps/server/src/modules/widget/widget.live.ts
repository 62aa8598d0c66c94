import type { FastifyReply, FastifyRequest } from 'fastify';
import type { BusMessage, EventBus, OutboxAnnouncement } from '../../platform/events';
import { startEventStream } from '../../platform/live';
import { liveEventOf } from './widget.domain';

const HEARTBEAT_MS = 25_000;

/**
 * The visitors' live streams, one set per ticket. Unlike the agents' `LiveHub`, a visitor hears only of the
 * one ticket their token opens, and only that a public message or the status changed (never internal notes);
 * the frame then loads the conversation again through the token-checked API.
 */
export class WidgetStreams {
  private readonly byTicket = new Map<string, Set<FastifyReply>>();
  private unsubscribe: (() => void) | undefined;
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(private readonly bus: EventBus) {}

  start(): void {
    this.unsubscribe ??= this.bus.subscribe((message) => this.onBusMessage(message));
    this.heartbeat ??= setInterval(() => {
      for (const replies of this.byTicket.values())
        for (const reply of replies) reply.raw.write(': keep-alive\n\n');
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  get connections(): number {
    let count = 0;
    for (const replies of this.byTicket.values()) count += replies.size;
    return count;
  }

  /** Turns the request into the event stream of one ticket until the visitor goes away. */
  connect(req: FastifyRequest, reply: FastifyReply, ticketId: string): void {
    startEventStream(reply);
    let replies = this.byTicket.get(ticketId);
    if (!replies) {
      replies = new Set();
      this.byTicket.set(ticketId, replies);
    }
    replies.add(reply);
    req.raw.on('close', () => {
      const current = this.byTicket.get(ticketId);
      current?.delete(reply);
      if (current?.size === 0) this.byTicket.delete(ticketId);
    });
  }

  /** Ends every stream (the frame reconnects); call before the HTTP server closes. */
  closeAll(): void {
    for (const replies of this.byTicket.values()) for (const reply of replies) reply.raw.end();
    this.byTicket.clear();
  }

  stop(): void {
    this.closeAll();
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  private onBusMessage(message: BusMessage): void {
    if (message.topic !== 'outbox' || this.byTicket.size === 0) return;
    for (const event of (message.data.events ?? []) as OutboxAnnouncement[]) {
      if (event.entityType !== 'ticket') continue;
      const replies = this.byTicket.get(String(event.entityId));
      const kind = liveEventOf(String(event.type));
      if (!replies || !kind) continue;
      // Nothing but the kind: the frame asks for the messages with its token.
      const frame = `event: ${kind}\ndata: ${JSON.stringify({ type: kind })}\n\n`;
      for (const reply of replies) reply.raw.write(frame);
    }
  }
}
