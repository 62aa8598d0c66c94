import { z } from 'zod';
import type { Deps } from '../../platform/context';
import type { JobDefinition } from '../../platform/jobs';
import { acknowledgeWebRequest, DELIVER_EMAIL, deliver, queueReply } from './outbound.service';

export const QUEUE_REPLY = 'email.queue-reply';
export const ACKNOWLEDGE_WEB_REQUEST = 'email.acknowledge-web-request';

const RepliedEvent = z.object({
  eventId: z.number(),
  entityId: z.uuid(),
  data: z.object({ messageId: z.uuid() }),
});

/** After an agent's reply committed (outbox event `ticket.replied`): its e-mail is queued and sent. */
export function queueReplyJob(deps: Deps): JobDefinition<typeof RepliedEvent> {
  return {
    name: QUEUE_REPLY,
    payload: RepliedEvent,
    handle: async (payload) => {
      await queueReply(deps, payload.data.messageId);
    },
  };
}

const WebRequestEvent = z.object({
  eventId: z.number(),
  entityId: z.uuid(),
  data: z.object({ to: z.string().min(3).max(320) }),
});

/** After a web request opened a ticket (outbox event `ticket.web_request_received`): its acknowledgement. */
export function acknowledgeWebRequestJob(deps: Deps): JobDefinition<typeof WebRequestEvent> {
  return {
    name: ACKNOWLEDGE_WEB_REQUEST,
    payload: WebRequestEvent,
    handle: async (payload) => {
      await acknowledgeWebRequest(deps, { ticketId: payload.entityId, to: payload.data.to });
    },
  };
}

/** One delivery attempt of an outbound e-mail; it schedules its own next attempt on failure. */
export function deliverJob(deps: Deps): JobDefinition<z.ZodObject<{ outboundId: z.ZodUUID }>> {
  return {
    name: DELIVER_EMAIL,
    payload: z.object({ outboundId: z.uuid() }),
    handle: (payload) => deliver(deps, payload.outboundId),
  };
}
