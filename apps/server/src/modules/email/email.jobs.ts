import { z } from 'zod';
import type { Deps } from '../../platform/context';
import type { JobDefinition } from '../../platform/jobs';
import { DELIVER_EMAIL, deliver, queueReply } from './outbound.service';

export const QUEUE_REPLY = 'email.queue-reply';

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

/** One delivery attempt of an outbound e-mail; it schedules its own next attempt on failure. */
export function deliverJob(deps: Deps): JobDefinition<z.ZodObject<{ outboundId: z.ZodUUID }>> {
  return {
    name: DELIVER_EMAIL,
    payload: z.object({ outboundId: z.uuid() }),
    handle: (payload) => deliver(deps, payload.outboundId),
  };
}
