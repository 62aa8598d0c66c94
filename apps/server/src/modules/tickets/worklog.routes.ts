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
            'Adds seconds of active work on the ticket by you (the agent workspace sends them every 30 s and on leaving). A segment that follows your last one within two minutes extends that visit; one already counted is ignored.',
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
