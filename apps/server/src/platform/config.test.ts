import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('uses the embedded database in ./data by default', () => {
    const config = loadConfig({}, {});
    expect(config.database.kind).toBe('pglite');
    expect(config.port).toBe(3000);
    expect(config.role).toBe('all');
    expect(config.baseUrl).toBe('http://127.0.0.1:3000');
  });

  it('switches to PostgreSQL when DATABASE_URL is set', () => {
    const config = loadConfig({}, { DATABASE_URL: 'postgres://u@db:5432/keepdesk' });
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://u@db:5432/keepdesk' });
  });

  it('lets flags override the environment', () => {
    const config = loadConfig(
      { port: '4001', role: 'web' },
      { KEEPDESK_PORT: '4000', KEEPDESK_ROLE: 'worker' },
    );
    expect(config.port).toBe(4001);
    expect(config.role).toBe('web');
  });

  it.each([
    [{ KEEPDESK_PORT: 'eighty' }, 'KEEPDESK_PORT', 'a port number 0–65535'],
    [{ KEEPDESK_ROLE: 'boss' }, 'KEEPDESK_ROLE', 'web, worker, all'],
    [{ KEEPDESK_LOG_LEVEL: 'loud' }, 'KEEPDESK_LOG_LEVEL', 'fatal, error, warn, info, debug, trace, silent'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL', 'postgres://'],
    [{ KEEPDESK_MAIL_TRANSPORT: 'smtp' }, 'KEEPDESK_SMTP_URL', 'smtp://'],
  ])('rejects %j naming %s and what it accepts', (env, variable, accepted) => {
    let error: unknown;
    try {
      loadConfig({}, env);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(variable);
    expect((error as Error).message).toContain(accepted);
  });

  it('names the flag when a flag is wrong', () => {
    expect(() => loadConfig({ role: 'nope' }, {})).toThrow('--role (KEEPDESK_ROLE)');
  });

  it('turns on secure links when the public URL is https', () => {
    expect(loadConfig({}, { KEEPDESK_PUBLIC_URL: 'https://help.example.com/' }).baseUrl).toBe(
      'https://help.example.com',
    );
  });
});
