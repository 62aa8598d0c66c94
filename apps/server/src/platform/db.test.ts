import { describe, expect, it } from 'vitest';
import { sessionOptions } from './db';

describe('session settings of a PostgreSQL connection', () => {
  it('turn JIT off and keep the options the URL gives', () => {
    expect(sessionOptions('postgres://postgres@127.0.0.1:5432/keepdesk')).toBe('-c jit=off');
    expect(
      sessionOptions('postgres://u@db:5432/keepdesk?options=-c%20search_path%3Dkeepdesk&sslmode=disable'),
    ).toBe('-c search_path=keepdesk -c jit=off');
    expect(sessionOptions('host=/var/run/postgresql dbname=keepdesk')).toBe('-c jit=off');
  });
});
