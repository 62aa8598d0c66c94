import {
  AgentRouting,
  AgentRoutingList,
  PutAgentRoutingBody,
  PutPresenceBody,
  PutTeamRoutingBody,
  TeamRouting,
} from '@keepdesk/contract';
import { z } from 'zod';
import type { Deps } from '../../platform/context';
import { type App, actorOf } from '../../platform/http';
import {
  listAgents,
  myRouting,
  setAgentRouting,
  setPresence,
  setTeamRouting,
  teamRoutingOf,
} from './routing.service';

const tags = ['routing'];
const manage = { access: { permission: 'teams:manage' } };

/** Routing: how each team's tickets find agents, agents' capacity and skills, and their presence. */
export function routingRoutes(deps: Deps) {
  return async (app: App) => {
    app.get(
      '/teams/:id/routing',
      {
        schema: { tags, params: z.object({ id: z.uuid() }), response: { 200: TeamRouting } },
        config: { access: { permission: 'teams:read' } },
      },
      async (req) => teamRoutingOf(deps, req.params.id),
    );
    app.put(
      '/teams/:id/routing',
      {
        schema: {
          tags,
          description:
            'How the team’s new tickets find an agent: manual, round robin, least loaded or by skills.',
          params: z.object({ id: z.uuid() }),
          body: PutTeamRoutingBody,
          response: { 200: TeamRouting },
        },
        config: manage,
      },
      async (req) => setTeamRouting(deps, actorOf(req), req.params.id, req.body.method),
    );
    app.get(
      '/routing/agents',
      {
        schema: {
          tags,
          description: 'Agents with presence, capacity, open tickets, skills and languages.',
          response: { 200: AgentRoutingList },
        },
        config: { access: { permission: 'teams:read' } },
      },
      async () => listAgents(deps),
    );
    app.put(
      '/routing/agents/:userId',
      {
        schema: {
          tags,
          description: 'An agent’s capacity (open tickets at most), skills with levels 1–5, and languages.',
          params: z.object({ userId: z.uuid() }),
          body: PutAgentRoutingBody,
          response: { 200: AgentRouting },
        },
        config: manage,
      },
      async (req) => setAgentRouting(deps, actorOf(req), req.params.userId, req.body),
    );
    app.get(
      '/me/presence',
      {
        schema: {
          tags,
          description: 'Your presence, capacity and open tickets.',
          response: { 200: AgentRouting },
        },
        config: { access: { permission: 'tickets:read' } },
      },
      async (req) => myRouting(deps, actorOf(req)),
    );
    app.put(
      '/me/presence',
      {
        schema: {
          tags,
          description:
            'Your presence: online agents get tickets routed to them; away and offline ones do not.',
          body: PutPresenceBody,
          response: { 200: AgentRouting },
        },
        config: { access: { permission: 'tickets:read' } },
      },
      async (req) => setPresence(deps, actorOf(req), req.body.presence),
    );
  };
}
