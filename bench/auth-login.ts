import { summarize } from '@keepdesk/stats';
import { hash, verify } from '@node-rs/argon2';
import type { KeepdeskUnderTest } from './keepdesk';
import { type BenchResult, progress, round } from './lib';

const WARM_UPS = 5;
const LOGINS = 60;
/** The server's own argon2id settings (apps/server/src/modules/auth/users.service.ts). */
const ARGON2 = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/**
 * `auth.login.p95`: p95 latency of a correct `POST /api/v1/auth/login`, one at a time, against the p95 of the
 * argon2id verification alone — the cost a login cannot avoid. ratio = reference / value (≤ 1, higher is better).
 */
export async function authLogin(keepdesk: KeepdeskUnderTest): Promise<BenchResult> {
  const body = JSON.stringify({ email: keepdesk.email, password: keepdesk.password });
  const login = async () => {
    const started = performance.now();
    const res = await fetch(`${keepdesk.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`login answered ${res.status}`);
    return performance.now() - started;
  };
  progress(`auth.login.p95: ${LOGINS} sequential logins`);
  for (let i = 0; i < WARM_UPS; i++) await login();
  const logins: number[] = [];
  for (let i = 0; i < LOGINS; i++) logins.push(await login());

  progress(`auth.login.p95: ${LOGINS} argon2id verifications alone`);
  const stored = await hash(keepdesk.password, ARGON2);
  const verifications: number[] = [];
  for (let i = 0; i < WARM_UPS + LOGINS; i++) {
    const started = performance.now();
    if (!(await verify(stored, keepdesk.password))) throw new Error('argon2 verify failed');
    if (i >= WARM_UPS) verifications.push(performance.now() - started);
  }

  const value = summarize(logins).p95;
  const reference = summarize(verifications).p95;
  return {
    id: 'auth.login.p95',
    value: round(value, 1),
    unit: 'ms',
    reference: { name: 'argon2id verify alone (same parameters), p95', value: round(reference, 1) },
    ratio: round(reference / value, 3),
  };
}
