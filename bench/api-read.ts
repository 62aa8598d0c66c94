import type { KeepdeskUnderTest } from './keepdesk';
import { type BenchResult, Child, freePort, progress, requestsPerSecond, round, waitForUrl } from './lib';

const LOAD = { connections: 20, warmUpSeconds: 3, seconds: 10 };

/**
 * `api.read`: requests/s of `GET /api/v1/me` with a bearer token on PostgreSQL (token lookup, permissions,
 * user row, JSON out), against a bare node:http server sending the same body, under the same load.
 */
export async function apiRead(keepdesk: KeepdeskUnderTest): Promise<BenchResult> {
  const url = `${keepdesk.baseUrl}/api/v1/me`;
  const headers = { authorization: `Bearer ${keepdesk.token}` };
  const body = await (await fetch(url, { headers })).text();

  progress(`api.read: keepdesk under load (${LOAD.connections} connections, ${LOAD.seconds} s)`);
  const value = await requestsPerSecond(url, headers, LOAD);

  const port = await freePort();
  const reference = new Child(process.execPath, [
    '--import',
    'tsx',
    'bench/reference-server.ts',
    String(port),
    body,
  ]);
  try {
    await waitForUrl(`http://127.0.0.1:${port}/`);
    progress('api.read: bare node:http reference under the same load');
    const referenceValue = await requestsPerSecond(`http://127.0.0.1:${port}/api/v1/me`, headers, LOAD);
    return {
      id: 'api.read',
      value: round(value, 0),
      unit: 'requests/s',
      reference: { name: 'bare node:http JSON server, same body', value: round(referenceValue, 0) },
      ratio: round(value / referenceValue, 3),
    };
  } finally {
    await reference.stop();
  }
}
