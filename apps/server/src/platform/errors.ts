/**
 * One error type for the whole server. Services throw `AppError` with a stable code; the HTTP layer maps the
 * code to a status through `STATUS_OF` and renders RFC 9457 problem+json. Services never throw HTTP errors.
 */
export const STATUS_OF = {
  VALIDATION_FAILED: 400,
  RESET_TOKEN_INVALID: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  CSRF_FAILED: 403,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  EMAIL_TAKEN: 409,
  ROLE_IN_USE: 409,
  ROLE_READ_ONLY: 409,
  IDEMPOTENCY_KEY_IN_USE: 409,
  IDEMPOTENCY_KEY_REUSED: 422,
  TICKET_CLOSED: 409,
  REPLY_COLLISION: 409,
  RETENTION_RUN_IN_PROGRESS: 409,
  MERGE_INVALID: 409,
  LINK_INVALID: 409,
  SURVEY_ANSWERED: 409,
  SURVEY_EXPIRED: 410,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  TOO_MANY_REQUESTS: 429,
  LOGIN_LOCKED: 429,
  INTERNAL: 500,
  DATABASE_UNAVAILABLE: 503,
  SHUTTING_DOWN: 503,
  REPORT_NOT_READY: 503,
} as const;

export type ErrorCode = keyof typeof STATUS_OF;

export type FieldProblem = { field: string; message: string };

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly errors: FieldProblem[] | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(
    code: ErrorCode,
    options: { message?: string; errors?: FieldProblem[]; retryAfterSeconds?: number; cause?: unknown } = {},
  ) {
    super(options.message ?? code, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.errors = options.errors;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  get status(): number {
    return STATUS_OF[this.code];
  }
}

/** A 400 that names the field at fault: `field: message`, with the field in the problem's `errors`. */
export function fieldError(field: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', { message: `${field}: ${message}`, errors: [{ field, message }] });
}

export function notFound(what: string, id: string): AppError {
  return new AppError('NOT_FOUND', { message: `${what} ${id} not found` });
}

const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '08000',
  '08001',
  '08003',
  '08006',
]);

/** True when `err` (or its cause chain) says the database cannot be reached, not that a query was wrong. */
export function isConnectionError(err: unknown): boolean {
  let current: unknown = err;
  for (let depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && CONNECTION_ERROR_CODES.has(code)) return true;
    const message = (current as { message?: unknown }).message;
    if (
      typeof message === 'string' &&
      /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect/i.test(message)
    ) {
      return true;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
