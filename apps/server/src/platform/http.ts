import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Config } from './config';
import { AppError, type ErrorCode, type FieldProblem, isConnectionError, STATUS_OF } from './errors';
import type { Logger } from './logging';
import type { Metrics } from './metrics';
import { type RateLimit, RateLimiter } from './rate-limit';

/**
 * A route's serializer that writes the answer as it is instead of checking it against the response schema first:
 * for large answers built by our own typed code (a dashboard's ten thousand report points), where the check costs
 * twice the writing. The schema still documents the answer, the type checker holds the handler to it, and the
 * route's integration tests parse answers with it.
 */
export const unvalidatedJson = () => (data: unknown) => JSON.stringify(data);

/** Who is calling: resolved from the session cookie or the bearer token before any handler runs. */
export interface Principal {
  userId: string;
  via: 'session' | 'token';
  permissions: readonly string[];
  language: 'de' | 'en';
  sessionId?: string;
  csrfToken?: string;
}

/**
 * A customer signed in to the portal through the `kd_portal` cookie. Kept apart from `Principal` on purpose:
 * a customer is never an agent, so no agent route can be reached with it and no portal route with an agent's.
 */
export interface CustomerPrincipal {
  contactId: string;
  sessionId: string;
  csrfToken: string;
}

/**
 * Every `/api` route declares who may call it; the guard refuses to start a server with an undeclared one.
 * `customer` routes take only a portal customer.
 */
export type Access = { public: true } | { permission: string | null } | { customer: true };

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    customer: CustomerPrincipal | null;
  }
  interface FastifyContextConfig {
    access?: Access;
    /** A stricter limit of its own for this route (sign-in, password reset); others share the general one. */
    rateLimit?: RateLimit;
  }
}

export type App = FastifyInstance<
  import('node:http').Server,
  import('node:http').IncomingMessage,
  import('node:http').ServerResponse,
  Logger,
  ZodTypeProvider
>;

export interface HttpOptions {
  config: Config;
  log: Logger;
  metrics: Metrics;
  authenticate: (req: FastifyRequest) => Promise<Principal | null>;
  /** Resolves the portal cookie; without it, `customer` routes answer 401. */
  authenticateCustomer?: (req: FastifyRequest) => Promise<CustomerPrincipal | null>;
  isShuttingDown: () => boolean;
  webRoot?: string;
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export const CONTENT_SECURITY_POLICY: Record<string, readonly string[]> = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'https:'],
  'connect-src': ["'self'"],
  'font-src': ["'self'", 'data:'],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'frame-ancestors': ["'none'"],
  'form-action': ["'self'"],
};

/**
 * The security headers of every answer, computed once: a strict Content-Security-Policy (no inline or foreign
 * scripts; Mantine needs inline styles), no framing, no sniffing, no referrer, HSTS when served over HTTPS.
 */
export function securityHeaders(config: Pick<Config, 'baseUrl'>): Readonly<Record<string, string>> {
  const csp = Object.entries(CONTENT_SECURITY_POLICY)
    .map(([directive, sources]) => `${directive} ${sources.join(' ')}`)
    .join('; ');
  return Object.freeze({
    'content-security-policy': csp,
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'origin-agent-cluster': '?1',
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    'x-dns-prefetch-control': 'off',
    'x-download-options': 'noopen',
    'x-frame-options': 'SAMEORIGIN',
    'x-permitted-cross-domain-policies': 'none',
    'x-xss-protection': '0',
    ...(config.baseUrl.startsWith('https://')
      ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' }
      : {}),
  });
}

/** The Fastify instance with everything every route shares: validation, errors, security, auth, docs. */
export async function createHttpApp(options: HttpOptions): Promise<App> {
  const { config, log, metrics } = options;
  const app = Fastify({
    loggerInstance: log,
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    return503OnClosing: true,
    // One access-log line per request, written when the answer is sent (below).
    logController: new LogController({ disableRequestLogging: true }),
  }).withTypeProvider<ZodTypeProvider>();
  const headers = securityHeaders(config);

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('principal', null);
  app.decorateRequest('customer', null);

  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/v1') && !route.config?.access) {
      throw new Error(`route ${route.method} ${route.url} declares no access rule`);
    }
  });
  const limiter = new RateLimiter();
  const generalLimit: RateLimit = { max: config.rateLimitPerMinute, timeWindow: 60_000 };
  app.addHook('onRequest', async (req, reply) => {
    reply.headers(headers);
    reply.header('x-request-id', req.id);
    const own = req.routeOptions.config?.rateLimit;
    const limit = own ?? generalLimit;
    const decision = limiter.hit(own ? `${req.routeOptions.url}|${req.ip}` : req.ip, limit, Date.now());
    reply.header('x-ratelimit-limit', limit.max);
    reply.header('x-ratelimit-remaining', decision.remaining);
    reply.header('x-ratelimit-reset', Math.ceil(decision.resetInMs / 1000));
    if (!decision.allowed) {
      throw new AppError('TOO_MANY_REQUESTS', {
        message: `rate limit of ${limit.max} requests per ${limit.timeWindow / 1000} s exceeded`,
        retryAfterSeconds: Math.ceil(decision.resetInMs / 1000),
      });
    }
  });
  app.addHook('onSend', async (_req, reply, payload) => {
    // A keep-alive connection that is busy when shutdown begins must close after its response.
    if (options.isShuttingDown()) reply.header('connection', 'close');
    return payload;
  });
  app.addHook('onResponse', async (req, reply) => {
    req.log.info(
      {
        method: req.method,
        url: req.url,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
        ip: req.ip,
      },
      'request completed',
    );
    metrics.observeRequest(
      req.method,
      req.routeOptions.url ?? 'unmatched',
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
  });

  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Keepdesk API',
        version: '1.0.0',
        description: 'Customer service and retention platform',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'API token from `keepdesk token create`' },
          session: { type: 'apiKey', in: 'cookie', name: 'kd_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.addHook('preHandler', async (req) => guard(req, options));
  app.setErrorHandler((err, req, reply) => sendProblem(req, reply, toAppError(err, req)));
  app.setNotFoundHandler((req, reply) => {
    if (options.webRoot && req.method === 'GET' && !req.url.startsWith('/api/')) {
      return reply.type('text/html').sendFile('index.html');
    }
    return sendProblem(
      req,
      reply,
      new AppError('ROUTE_NOT_FOUND', { message: `no route ${req.method} ${req.url.split('?')[0]}` }),
    );
  });

  if (options.webRoot && existsSync(options.webRoot)) {
    await app.register(fastifyStatic, { root: options.webRoot, wildcard: false, index: 'index.html' });
  }
  return app;
}

async function guard(req: FastifyRequest, options: HttpOptions): Promise<void> {
  const access = req.routeOptions.config.access;
  if (!access || 'public' in access) {
    req.principal = access ? await options.authenticate(req).catch(() => null) : null;
    return;
  }
  if ('customer' in access) {
    const customer = (await options.authenticateCustomer?.(req)) ?? null;
    if (!customer) throw new AppError('UNAUTHENTICATED', { message: 'sign in to the customer portal' });
    const sent = req.headers['x-csrf-token'];
    if (UNSAFE_METHODS.has(req.method) && (typeof sent !== 'string' || sent !== customer.csrfToken)) {
      throw new AppError('CSRF_FAILED', { message: 'missing or wrong x-csrf-token header' });
    }
    req.customer = customer;
    return;
  }
  const principal = await options.authenticate(req);
  if (!principal) throw new AppError('UNAUTHENTICATED', { message: 'sign in or send a bearer token' });
  if (principal.via === 'session' && UNSAFE_METHODS.has(req.method)) {
    const sent = req.headers['x-csrf-token'];
    if (typeof sent !== 'string' || sent !== principal.csrfToken) {
      throw new AppError('CSRF_FAILED', { message: 'missing or wrong x-csrf-token header' });
    }
  }
  if (access.permission && !principal.permissions.includes(access.permission)) {
    throw new AppError('FORBIDDEN', { message: `permission ${access.permission} required` });
  }
  req.principal = principal;
}

const TITLES: Partial<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  410: 'Gone',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

function toAppError(err: unknown, req: FastifyRequest): AppError {
  if (err instanceof AppError) return err;
  if (hasZodFastifySchemaValidationErrors(err)) {
    const errors: FieldProblem[] = err.validation.map((v) => ({
      field: fieldOf(v.instancePath, v.params),
      message: v.message ?? 'invalid',
    }));
    const where = err.validationContext ?? 'body';
    return new AppError('VALIDATION_FAILED', {
      message: `invalid ${where}: ${errors.map((e) => e.field).join(', ')}`,
      errors,
    });
  }
  if (isConnectionError(err))
    return new AppError('DATABASE_UNAVAILABLE', { message: 'database unavailable', cause: err });
  const fastifyCode = (err as { code?: string }).code;
  const statusCode = (err as { statusCode?: number }).statusCode;
  const mapped = fastifyCode ? FASTIFY_CODES[fastifyCode] : undefined;
  if (mapped) return new AppError(mapped, { message: (err as Error).message, cause: err });
  if (statusCode && statusCode >= 400 && statusCode < 500) {
    return new AppError(statusCode === 404 ? 'NOT_FOUND' : 'VALIDATION_FAILED', {
      message: (err as Error).message,
    });
  }
  req.log.error({ err }, 'unhandled error');
  return new AppError('INTERNAL', { message: 'internal error', cause: err });
}

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'VALIDATION_FAILED',
  FST_ERR_CTP_INVALID_JSON_BODY: 'VALIDATION_FAILED',
  FST_ERR_VALIDATION: 'VALIDATION_FAILED',
};

function fieldOf(instancePath: string, params: unknown): string {
  const path = instancePath.replace(/^\//, '').replace(/\//g, '.');
  const missing = (params as { missingProperty?: string } | undefined)?.missingProperty;
  return [path, missing].filter(Boolean).join('.') || '(root)';
}

/** Renders an `AppError` as RFC 9457 problem+json. Internal errors reveal nothing beyond the request id. */
export function sendProblem(req: FastifyRequest, reply: FastifyReply, error: AppError): FastifyReply {
  const status = STATUS_OF[error.code];
  if (status >= 500 && error.code !== 'INTERNAL') req.log.warn({ err: error }, error.message);
  if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
  return reply
    .code(status)
    .type('application/problem+json')
    .send({
      type: `urn:keepdesk:problem:${error.code.toLowerCase().replace(/_/g, '-')}`,
      title: TITLES[status] ?? 'Error',
      status,
      code: error.code,
      detail: error.code === 'INTERNAL' ? 'An unexpected error occurred.' : error.message,
      requestId: req.id,
      ...(error.errors ? { errors: error.errors } : {}),
    });
}

/** The actor of an authenticated request, for audit rows. */
export function actorOf(req: FastifyRequest): { kind: 'user' | 'token'; userId: string; requestId: string } {
  if (!req.principal) throw new AppError('UNAUTHENTICATED', { message: 'not signed in' });
  return {
    kind: req.principal.via === 'token' ? 'token' : 'user',
    userId: req.principal.userId,
    requestId: req.id,
  };
}

/** The portal customer of a `customer` route. */
export function customerOf(req: FastifyRequest): CustomerPrincipal {
  if (!req.customer) throw new AppError('UNAUTHENTICATED', { message: 'sign in to the customer portal' });
  return req.customer;
}

export function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw new AppError('UNAUTHENTICATED', { message: 'not signed in' });
  return req.principal;
}
