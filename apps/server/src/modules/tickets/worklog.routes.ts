import { TicketParams, WorkSegmentBody, WorkSession } from '@keepdesk/contract';
import type { Deps } from '../../platform/context';
import { type App, principalOf } from '../../platform/http';
import { recordWork } from './worklog.service';

/** The agent workspace reports the time an agent works a ticket (handle time, agent utilisation). */
export function worklogRoutes(deps: Deps) {
  return async (app: App) => {
    app.post(
      '/tickets/:id/work',
      {
        schema: {
          tags: ['tickets'],
          description:
            'Adds seconds of active work on the ticket by you (the agent workspace sends them every 30 s and on leaving). You work one ticket at a time: only the part of the segment not yet recorded for you on any ticket counts (a segment sent twice, two tabs side by side). It extends your last visit of the ticket when it follows it within two minutes, else it is a new visit; the answer is the visit that holds the time. Work on a merged ticket is booked on the ticket it was merged into (following merges of merges), and the answer names it in `mergedInto`; solved and closed tickets may be worked.',
          params: TicketParams,
          body: WorkSegmentBody,
          response: { 200: WorkSession },
        },
        config: { access: { permission: 'tickets:write' } },
      },
      async (req) => recordWork(deps, principalOf(req).userId, req.params.id, req.body),
    );
  };
}
