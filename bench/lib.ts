import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS = path.join(ROOT, 'bench', 'results.json');
const KEEPDESK = path.join(ROOT, 'apps', 'server', 'bin', 'keepdesk.mjs');
const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchResult {
  id: string;
  value: number;
  unit: string;
  reference: { name: string; value: number };
  ratio: number;
}

/** What the benchmarks are doing, on stderr, so a minute of waiting is not a silent minute. */
export function progress(message: string): void {
  process.stderr.write(`  … ${message}\n`);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function waitForUrl(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not become ready within ${timeoutMs} ms`);
}

/** A child process that is killed when the benchmark ends, whatever happens. */
export class Child {
  private readonly child: ChildProcess;
  private stderr = '';

  constructor(command: string, args: string[], env: Record<string, string> = {}) {
    this.child = spawn(command, args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-4000);
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get lastErrors(): string {
    return this.stderr;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

/** Runs `keepdesk <args>` to completion and returns its stdout. */
export function keepdesk(args: string[], env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [KEEPDESK, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`keepdesk ${args[0]} exited ${code}: ${err}`)),
    );
  });
}

export function startKeepdesk(
  databaseUrl: string,
  port: number,
  env: Record<string, string>,
  smtpPort?: number,
): Child {
  // `KEEPDESK_BENCH_PROFILE=DIR` writes a CPU profile of the server (open it in Chrome's DevTools).
  const profile = process.env.KEEPDESK_BENCH_PROFILE;
  return new Child(
    process.execPath,
    [
      ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : []),
      KEEPDESK,
      'start',
      '--database-url',
      databaseUrl,
      '--port',
      String(port),
      ...(smtpPort ? ['--smtp-port', String(smtpPort)] : []),
    ],
    env,
  );
}

/** A fresh PostgreSQL database for one bench run; drop it with the returned function. */
export async function createBenchDatabase(
  use: 'server' | 'in-process' = 'server',
): Promise<{ url: string; drop: () => Promise<void> }> {
  // `KEEPDESK_BENCH_DATABASE=NAME` measures the server again on a database an earlier run kept
  // (KEEPDESK_BENCH_KEEP), its seeded volume included; it is kept again.
  const reused = process.env.KEEPDESK_BENCH_DATABASE;
  if (reused && use === 'server') {
    progress(`using the kept bench database ${reused}`);
    return { url: `postgres://postgres@127.0.0.1:5432/${reused}`, drop: async () => {} };
  }
  const name = `keepdesk_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  return {
    url: `postgres://postgres@127.0.0.1:5432/${name}`,
    async drop() {
      // `KEEPDESK_BENCH_KEEP=1` keeps the seeded database for profiling (drop it by hand afterwards).
      if (process.env.KEEPDESK_BENCH_KEEP) {
        process.stderr.write(`kept the bench database ${name}\n`);
        return;
      }
      const client = new pg.Client({ connectionString: ADMIN_URL });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

/** Peak resident memory (VmHWM) of a process in MB, from /proc. */
export function peakRssMb(pid: number | undefined): number {
  if (!pid) return Number.NaN;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

/** Latencies in ms of `count` sequential calls after `warmUps` unmeasured ones. */
export async function latencies(call: () => Promise<void>, count: number, warmUps = 5): Promise<number[]> {
  for (let i = 0; i < warmUps; i++) await call();
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await call();
    out.push(performance.now() - started);
  }
  return out;
}

/** Requests per second (mean) of a GET under load, after a warm-up; fails on any non-2xx answer. */
export async function requestsPerSecond(
  url: string,
  headers: Record<string, string>,
  options: { connections: number; warmUpSeconds: number; seconds: number; method?: string; body?: string },
): Promise<number> {
  const request = {
    url,
    headers,
    connections: options.connections,
    ...(options.method ? { method: options.method, body: options.body } : {}),
  };
  await autocannon({ ...request, duration: options.warmUpSeconds });
  const result = await autocannon({ ...request, duration: options.seconds });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx answers and ${result.errors} errors under load`);
  }
  return result.requests.average;
}

/** Merges new results into bench/results.json, replacing those with the same id. */
export function writeResults(results: BenchResult[]): void {
  const previous: BenchResult[] = existsSync(RESULTS)
    ? (JSON.parse(readFileSync(RESULTS, 'utf8')) as { results: BenchResult[] }).results
    : [];
  const ids = new Set(results.map((r) => r.id));
  const merged = [...previous.filter((r) => !ids.has(r.id)), ...results].sort((a, b) =>
    a.id.localeCompare(b.id),
  );
  writeFileSync(
    RESULTS,
    `${JSON.stringify({ generatedAt: new Date().toISOString(), results: merged }, null, 2)}\n`,
  );
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
