import { z } from 'zod';
import type { Deps } from '../../platform/context';
import type { JobDefinition } from '../../platform/jobs';
import { sweepPresence } from './presence.service';
import { assignTicket, DRAIN_QUEUE, drainQueues, ROUTE_TICKET } from './routing.service';

const TicketEvent = z.object({ eventId: z.number(), entityId: z.uuid() });

/** A new or changed ticket waiting in a routed team's queue finds its agent. */
export function routeTicketJob(deps: Deps): JobDefinition<typeof TicketEvent> {
  return {
    name: ROUTE_TICKET,
    payload: TicketEvent,
    handle: async (payload) => {
      await assignTicket(deps, payload.entityId);
    },
  };
}

const Agent = z.object({ userId: z.uuid() });

/** An agent came online or got more room: waiting tickets of their teams are dealt out. */
export function drainQueueJob(deps: Deps): JobDefinition<typeof Agent> {
  return {
    name: DRAIN_QUEUE,
    payload: Agent,
    handle: async (payload) => {
      await drainQueues(deps, payload.userId);
    },
  };
}

const PRESENCE_SWEEP = 'routing.presence_sweep';

/** Every minute: agents whose session expired go offline; stretches of presence are cut at UTC midnight. */
export function presenceSweepJob(deps: Deps): JobDefinition<z.ZodObject<Record<string, never>>> {
  return {
    name: PRESENCE_SWEEP,
    payload: z.object({}),
    cron: '* * * * *',
    retryLimit: 0,
    handle: async () => {
      const { ended, cut } = await sweepPresence(deps);
      if (ended + cut > 0) deps.log.info({ ended, cut }, 'routing: presence swept');
    },
  };
}
