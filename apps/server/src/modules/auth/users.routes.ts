import {
  ApiTokenList,
  CreateApiTokenBody,
  CreatedApiToken,
  CreateRoleBody,
  CreateUserBody,
  IdParams,
  NoContent,
  PageQuery,
  Role,
  RoleKeyParams,
  RoleList,
  UpdateRoleBody,
  UpdateUserBody,
  User,
  UserPage,
} from '@keepdesk/contract';
import type { Deps } from '../../platform/context';
import { type App, actorOf, principalOf } from '../../platform/http';
import { createRole, listRoles, updateRole } from './roles.service';
import { createApiToken, listApiTokens, revokeApiToken } from './tokens.service';
import { createUser, getUser, listUsers, updateUser } from './users.service';

/** Administration of users, roles and API tokens. */
export function userRoutes(deps: Deps) {
  return async (app: App) => {
    app.get(
      '/users',
      {
        schema: { tags: ['users'], querystring: PageQuery, response: { 200: UserPage } },
        config: { access: { permission: 'users:read' } },
      },
      async (req) => listUsers(deps, req.query),
    );
    app.post(
      '/users',
      {
        schema: { tags: ['users'], body: CreateUserBody, response: { 201: User } },
        config: { access: { permission: 'users:manage' } },
      },
      async (req, reply) => reply.code(201).send(await createUser(deps, actorOf(req), req.body)),
    );
    app.get(
      '/users/:id',
      {
        schema: { tags: ['users'], params: IdParams, response: { 200: User } },
        config: { access: { permission: 'users:read' } },
      },
      async (req) => getUser(deps, req.params.id),
    );
    app.patch(
      '/users/:id',
      {
        schema: { tags: ['users'], params: IdParams, body: UpdateUserBody, response: { 200: User } },
        config: { access: { permission: 'users:manage' } },
      },
      async (req) => updateUser(deps, actorOf(req), req.params.id, req.body),
    );

    app.get(
      '/roles',
      {
        schema: { tags: ['roles'], response: { 200: RoleList } },
        config: { access: { permission: 'roles:manage' } },
      },
      async () => listRoles(deps),
    );
    app.post(
      '/roles',
      {
        schema: { tags: ['roles'], body: CreateRoleBody, response: { 201: Role } },
        config: { access: { permission: 'roles:manage' } },
      },
      async (req, reply) => reply.code(201).send(await createRole(deps, actorOf(req), req.body)),
    );
    app.patch(
      '/roles/:key',
      {
        schema: { tags: ['roles'], params: RoleKeyParams, body: UpdateRoleBody, response: { 200: Role } },
        config: { access: { permission: 'roles:manage' } },
      },
      async (req) => updateRole(deps, actorOf(req), req.params.key, req.body),
    );

    app.get(
      '/tokens',
      {
        schema: { tags: ['tokens'], response: { 200: ApiTokenList } },
        config: { access: { permission: 'tokens:create' } },
      },
      async (req) => listApiTokens(deps, ownerScope(req)),
    );
    app.post(
      '/tokens',
      {
        schema: { tags: ['tokens'], body: CreateApiTokenBody, response: { 201: CreatedApiToken } },
        config: { access: { permission: 'tokens:create' } },
      },
      async (req, reply) =>
        reply.code(201).send(await createApiToken(deps, actorOf(req), principalOf(req).userId, req.body)),
    );
    app.delete(
      '/tokens/:id',
      {
        schema: { tags: ['tokens'], params: IdParams, response: { 204: NoContent } },
        config: { access: { permission: 'tokens:create' } },
      },
      async (req, reply) => {
        await revokeApiToken(deps, actorOf(req), req.params.id, ownerScope(req));
        return reply.code(204).send();
      },
    );
  };
}

/** Token admins see and revoke every token; everybody else only their own. */
function ownerScope(req: Parameters<typeof principalOf>[0]): string | null {
  const principal = principalOf(req);
  return principal.permissions.includes('tokens:manage-all') ? null : principal.userId;
}
