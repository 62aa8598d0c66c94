import path from 'node:path';
import { z } from 'zod';

/**
 * The one place that reads `process.env`. Flags given on the command line override the environment;
 * a bad value stops start-up with a `ConfigError` naming the variable and what it accepts (exit code 2).
 */
export class ConfigError extends Error {
  readonly variable: string;
  constructor(variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
    this.variable = variable;
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const ROLES = ['web', 'worker', 'all'] as const;
const MAIL_TRANSPORTS = ['log', 'smtp'] as const;
const STORAGES = ['disk', 'database'] as const;

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().min(1);
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** Every setting: environment variable → schema and default. `docs/configuration.md` lists the same table. */
const SETTINGS = {
  port: { env: 'KEEPDESK_PORT', schema: port, fallback: '3000', accepted: 'a port number 0–65535' },
  host: {
    env: 'KEEPDESK_HOST',
    schema: z.string().min(1),
    fallback: '127.0.0.1',
    accepted: 'an interface address',
  },
  dataDir: {
    env: 'KEEPDESK_DATA_DIR',
    schema: z.string().min(1),
    fallback: './data',
    accepted: 'a directory path',
  },
  databaseUrl: {
    env: 'DATABASE_URL',
    schema: z
      .string()
      .regex(/^postgres(ql)?:\/\//)
      .optional(),
    fallback: undefined,
    accepted: 'a postgres:// or postgresql:// URL',
  },
  role: { env: 'KEEPDESK_ROLE', schema: z.enum(ROLES), fallback: 'all', accepted: ROLES.join(', ') },
  logLevel: {
    env: 'KEEPDESK_LOG_LEVEL',
    schema: z.enum(LOG_LEVELS),
    fallback: 'info',
    accepted: LOG_LEVELS.join(', '),
  },
  publicUrl: {
    env: 'KEEPDESK_PUBLIC_URL',
    schema: z.url().optional(),
    fallback: undefined,
    accepted: 'an http(s) URL',
  },
  mailTransport: {
    env: 'KEEPDESK_MAIL_TRANSPORT',
    schema: z.enum(MAIL_TRANSPORTS),
    fallback: 'log',
    accepted: MAIL_TRANSPORTS.join(', '),
  },
  smtpUrl: {
    env: 'KEEPDESK_SMTP_URL',
    schema: z
      .string()
      .regex(/^smtps?:\/\//)
      .optional(),
    fallback: undefined,
    accepted: 'an smtp:// or smtps:// URL',
  },
  mailFrom: {
    env: 'KEEPDESK_MAIL_FROM',
    schema: z.string().min(3),
    fallback: 'Keepdesk <keepdesk@localhost>',
    accepted: 'a sender address',
  },
  smtpPort: {
    env: 'KEEPDESK_SMTP_PORT',
    schema: port.optional(),
    fallback: undefined,
    accepted: 'a port for the built-in SMTP listener (inbound mail); unset: no listener',
  },
  smtpMaxBytes: {
    env: 'KEEPDESK_SMTP_MAX_BYTES',
    schema: positiveInt,
    fallback: String(25 * 1024 * 1024),
    accepted: 'the largest message the SMTP listener accepts, in bytes (larger ones get 552)',
  },
  smtpTlsKey: {
    env: 'KEEPDESK_SMTP_TLS_KEY',
    schema: z.string().min(1).optional(),
    fallback: undefined,
    accepted: 'a PEM private key file; with KEEPDESK_SMTP_TLS_CERT the listener offers STARTTLS',
  },
  smtpTlsCert: {
    env: 'KEEPDESK_SMTP_TLS_CERT',
    schema: z.string().min(1).optional(),
    fallback: undefined,
    accepted: 'a PEM certificate file (chain) for STARTTLS',
  },
  imapPollSeconds: {
    env: 'KEEPDESK_IMAP_POLL_SECONDS',
    schema: positiveInt,
    fallback: '60',
    accepted:
      'seconds between IMAP checks besides IDLE (also how often a worker takes over a silent mailbox)',
  },
  mailRetrySeconds: {
    env: 'KEEPDESK_MAIL_RETRY_SECONDS',
    schema: positiveInt,
    fallback: '30',
    accepted: 'seconds before the first retry of an undelivered e-mail (then doubling, 6 attempts)',
  },
  rateLimitPerMinute: {
    env: 'KEEPDESK_RATE_LIMIT',
    schema: positiveInt,
    fallback: '1200',
    accepted: 'requests per minute per client, a whole number ≥ 1',
  },
  authRateLimitPerMinute: {
    env: 'KEEPDESK_AUTH_RATE_LIMIT',
    schema: positiveInt,
    fallback: '20',
    accepted: 'login and password-reset requests per minute per client, a whole number ≥ 1',
  },
  bodyLimitBytes: {
    env: 'KEEPDESK_BODY_LIMIT',
    schema: positiveInt,
    fallback: String(1024 * 1024),
    accepted: 'bytes, a whole number ≥ 1',
  },
  sessionHours: {
    env: 'KEEPDESK_SESSION_HOURS',
    schema: positiveInt,
    fallback: '168',
    accepted: 'hours ≥ 1',
  },
  loginMaxFailures: {
    env: 'KEEPDESK_LOGIN_MAX_FAILURES',
    schema: positiveInt,
    fallback: '5',
    accepted: 'a count ≥ 1',
  },
  loginLockMinutes: {
    env: 'KEEPDESK_LOGIN_LOCK_MINUTES',
    schema: positiveInt,
    fallback: '15',
    accepted: 'minutes ≥ 1',
  },
  trustProxy: { env: 'KEEPDESK_TRUST_PROXY', schema: bool, fallback: 'false', accepted: 'true or false' },
  storage: {
    env: 'KEEPDESK_STORAGE',
    schema: z.enum(STORAGES),
    fallback: 'disk',
    accepted: `${STORAGES.join(' or ')} (where attachment files are kept)`,
  },
  attachmentMaxBytes: {
    env: 'KEEPDESK_ATTACHMENT_MAX_BYTES',
    schema: positiveInt,
    fallback: String(20 * 1024 * 1024),
    accepted: 'bytes per attachment, a whole number ≥ 1',
  },
  shutdownTimeoutMs: {
    env: 'KEEPDESK_SHUTDOWN_TIMEOUT_MS',
    schema: positiveInt,
    fallback: '10000',
    accepted: 'milliseconds ≥ 1',
  },
} as const;

type Settings = typeof SETTINGS;
export type SettingName = keyof Settings;
type Parsed = { [K in SettingName]: z.output<Settings[K]['schema']> };

export type Config = Parsed & {
  demo: boolean;
  /** Base URL for links in e-mails. */
  baseUrl: string;
  database: { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string };
};

export type ConfigOverrides = Partial<Record<SettingName, string | number | boolean | undefined>> & {
  demo?: boolean;
};

/** Parses environment and flags into a `Config`, or throws `ConfigError` for the first bad value. */
export function loadConfig(overrides: ConfigOverrides = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const values: Record<string, unknown> = {};
  for (const [name, setting] of Object.entries(SETTINGS) as [SettingName, Settings[SettingName]][]) {
    const fromFlag = overrides[name];
    const raw = fromFlag !== undefined ? String(fromFlag) : (env[setting.env] ?? setting.fallback);
    const parsed = setting.schema.safeParse(raw === '' ? setting.fallback : raw);
    if (!parsed.success) {
      const label = fromFlag !== undefined ? `--${kebab(name)} (${setting.env})` : setting.env;
      throw new ConfigError(label, `invalid value ${JSON.stringify(raw)}; accepted: ${setting.accepted}`);
    }
    values[name] = parsed.data;
  }
  const parsed = values as Parsed;
  if (parsed.mailTransport === 'smtp' && !parsed.smtpUrl) {
    throw new ConfigError(
      'KEEPDESK_SMTP_URL',
      'required when KEEPDESK_MAIL_TRANSPORT=smtp; accepted: an smtp:// URL',
    );
  }
  if (Boolean(parsed.smtpTlsKey) !== Boolean(parsed.smtpTlsCert)) {
    throw new ConfigError(
      parsed.smtpTlsKey ? 'KEEPDESK_SMTP_TLS_CERT' : 'KEEPDESK_SMTP_TLS_KEY',
      'STARTTLS needs both KEEPDESK_SMTP_TLS_KEY and KEEPDESK_SMTP_TLS_CERT',
    );
  }
  const dataDir = path.resolve(parsed.dataDir);
  return {
    ...parsed,
    dataDir,
    demo: overrides.demo ?? false,
    baseUrl: (parsed.publicUrl ?? `http://${displayHost(parsed.host)}:${parsed.port}`).replace(/\/$/, ''),
    database: parsed.databaseUrl
      ? { kind: 'postgres', url: parsed.databaseUrl }
      : { kind: 'pglite', dataDir: path.join(dataDir, 'pglite') },
  };
}

/** The environment variables and what they accept, for `--help` and the docs. */
export function describeSettings(): { variable: string; default: string; accepted: string }[] {
  return Object.values(SETTINGS).map((s) => ({
    variable: s.env,
    default: s.fallback ?? '',
    accepted: s.accepted,
  }));
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function displayHost(host: string): string {
  return host === '0.0.0.0' || host === '::' ? 'localhost' : host;
}
