import {
  CreateTeamBody,
  IdParams,
  NoContent,
  PageQuery,
  PutTeamMemberBody,
  Team,
  TeamDetail,
  TeamMemberParams,
  TeamPage,
  UpdateTeamBody,
} from '@keepdesk/contract';
import type { Deps } from '../../platform/context';
import { type App, actorOf } from '../../platform/http';
import {
  createTeam,
  deleteTeam,
  getTeam,
  listTeams,
  putTeamMember,
  removeTeamMember,
  updateTeam,
} from './teams.service';

const tags = ['teams'];
const read = { access: { permission: 'teams:read' } };
const manage = { access: { permission: 'teams:manage' } };

export function teamRoutes(deps: Deps) {
  return async (app: App) => {
    app.get(
      '/teams',
      { schema: { tags, querystring: PageQuery, response: { 200: TeamPage } }, config: read },
      async (req) => listTeams(deps, req.query),
    );
    app.post(
      '/teams',
      { schema: { tags, body: CreateTeamBody, response: { 201: Team } }, config: manage },
      async (req, reply) => reply.code(201).send(await createTeam(deps, actorOf(req), req.body)),
    );
    app.get(
      '/teams/:id',
      { schema: { tags, params: IdParams, response: { 200: TeamDetail } }, config: read },
      async (req) => getTeam(deps, req.params.id),
    );
    app.patch(
      '/teams/:id',
      { schema: { tags, params: IdParams, body: UpdateTeamBody, response: { 200: Team } }, config: manage },
      async (req) => updateTeam(deps, actorOf(req), req.params.id, req.body),
    );
    app.delete(
      '/teams/:id',
      { schema: { tags, params: IdParams, response: { 204: NoContent } }, config: manage },
      async (req, reply) => {
        await deleteTeam(deps, actorOf(req), req.params.id);
        return reply.code(204).send();
      },
    );
    app.put(
      '/teams/:id/members/:userId',
      {
        schema: { tags, params: TeamMemberParams, body: PutTeamMemberBody, response: { 200: TeamDetail } },
        config: manage,
      },
      async (req) => putTeamMember(deps, actorOf(req), req.params.id, req.params.userId, req.body.isLead),
    );
    app.delete(
      '/teams/:id/members/:userId',
      { schema: { tags, params: TeamMemberParams, response: { 200: TeamDetail } }, config: manage },
      async (req) => removeTeamMember(deps, actorOf(req), req.params.id, req.params.userId),
    );
  };
}
