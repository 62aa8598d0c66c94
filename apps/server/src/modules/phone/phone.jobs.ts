import { z } from 'zod';
import type { Deps } from '../../platform/context';
import type { JobDefinition } from '../../platform/jobs';
import { CALLBACK_DUE, remindOfCallback } from './phone.service';

const Due = z.object({ callbackId: z.uuid(), dueAt: z.string() });

/** At a callback's due time: its assignee is notified. */
export function callbackDueJob(deps: Deps): JobDefinition<typeof Due> {
  return {
    name: CALLBACK_DUE,
    payload: Due,
    handle: (payload) => remindOfCallback(deps, payload.callbackId, payload.dueAt),
  };
}
