import {
  LoginBody,
  Me,
  NoContent,
  PasswordResetConfirmBody,
  PasswordResetRequestBody,
  UpdateMeBody,
} from '@keepdesk/contract';
import type { FastifyReply } from 'fastify';
import type { Deps } from '../../platform/context';
import { type App, actorOf, principalOf } from '../../platform/http';
import {
  confirmPasswordReset,
  getMe,
  login,
  logout,
  requestPasswordReset,
  SESSION_COOKIE,
} from './sessions.service';
import { updateUser } from './users.service';

const tags = ['auth'];

/** Sign-in, sign-out, password reset and the caller's own profile. */
export function authRoutes(deps: Deps) {
  const STRICT_LIMIT = { max: deps.config.authRateLimitPerMinute, timeWindow: 60_000 };
  return async (app: App) => {
    app.post(
      '/auth/login',
      {
        schema: { tags, body: LoginBody, response: { 200: Me } },
        config: { access: { public: true }, rateLimit: STRICT_LIMIT },
      },
      async (req, reply) => {
        const result = await login(deps, req.body, {
          ip: req.ip,
          userAgent: req.headers['user-agent'],
          requestId: req.id,
        });
        setSessionCookie(reply, deps, result.sessionToken, result.expiresAt);
        return result.me;
      },
    );

    app.post(
      '/auth/logout',
      { schema: { tags, response: { 204: NoContent } }, config: { access: { permission: null } } },
      async (req, reply) => {
        await logout(deps, principalOf(req));
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.code(204).send();
      },
    );

    app.post(
      '/auth/password-reset',
      {
        schema: { tags, body: PasswordResetRequestBody, response: { 202: NoContent } },
        config: { access: { public: true }, rateLimit: STRICT_LIMIT },
      },
      async (req, reply) => {
        await requestPasswordReset(deps, req.body.email, req.id);
        return reply.code(202).send();
      },
    );

    app.post(
      '/auth/password-reset/confirm',
      {
        schema: { tags, body: PasswordResetConfirmBody, response: { 204: NoContent } },
        config: { access: { public: true }, rateLimit: STRICT_LIMIT },
      },
      async (req, reply) => {
        await confirmPasswordReset(deps, req.body.token, req.body.password, req.id);
        return reply.code(204).send();
      },
    );

    app.get(
      '/me',
      { schema: { tags, response: { 200: Me } }, config: { access: { permission: null } } },
      async (req) => getMe(deps, principalOf(req)),
    );

    app.patch(
      '/me',
      {
        schema: { tags, body: UpdateMeBody, response: { 200: Me } },
        config: { access: { permission: null } },
      },
      async (req) => {
        const principal = principalOf(req);
        await updateUser(deps, actorOf(req), principal.userId, req.body);
        return getMe(deps, principal);
      },
    );
  };
}

function setSessionCookie(reply: FastifyReply, deps: Deps, token: string, expiresAt: Date): void {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: deps.config.baseUrl.startsWith('https://'),
    expires: expiresAt,
  });
}
