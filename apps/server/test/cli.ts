import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../bin/keepdesk.mjs');

/** Environment for a child `keepdesk`: this machine's, minus any Keepdesk setting that would leak in. */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('KEEPDESK_') && key !== 'DATABASE_URL'),
  );
  return { ...base, KEEPDESK_LOG_LEVEL: 'warn', ...env };
}

/** Runs `keepdesk ...args` to completion. */
export function runKeepdesk(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: childEnv(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Starts `keepdesk start ...args` and resolves once it prints its URL. */
export function startKeepdesk(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; url: string; output: () => string; exited: Promise<number | null> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'start', ...args], { env: childEnv(env) });
    let output = '';
    const exited = new Promise<number | null>((done) => child.on('close', done));
    const timer = setTimeout(() => reject(new Error(`keepdesk did not start:\n${output}`)), 45_000);
    const onData = (d: Buffer) => {
      output += d;
      const match = /Keepdesk is running at (\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1]!, output: () => output, exited });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`keepdesk exited with ${code}:\n${output}`));
    });
  });
}
