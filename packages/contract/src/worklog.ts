import { z } from 'zod';

/** Time the agent actively worked a ticket in the agent workspace, sent in segments by the browser. */
export const WorkSegmentBody = z
  .object({
    startedAt: z.iso.datetime({ offset: true }).meta({
      description:
        'When the segment began: within the last 24 hours, not in the future, not before the ticket was created',
    }),
    seconds: z.number().int().min(1).max(3600).meta({ description: 'Active seconds in the segment, 1–3600' }),
  })
  .meta({ id: 'WorkSegmentBody' });
export type WorkSegmentBody = z.infer<typeof WorkSegmentBody>;

export const WorkSession = z
  .object({
    id: z.uuid(),
    ticketId: z.uuid(),
    agentId: z.uuid(),
    startedAt: z.string(),
    endedAt: z.string(),
    seconds: z.number().int().meta({ description: 'Active seconds of the visit so far' }),
    mergedInto: z.object({ id: z.uuid(), number: z.number().int() }).optional().meta({
      description:
        'Present when the ticket posted to was merged: the time is booked on this surviving ticket (`ticketId`) instead',
    }),
  })
  .meta({ id: 'WorkSession' });
export type WorkSession = z.infer<typeof WorkSession>;
