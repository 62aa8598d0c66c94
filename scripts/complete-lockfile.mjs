#!/usr/bin/env node
// Restores the platform-specific optional packages that npm leaves out of package-lock.json.
//
// The package registry these machines reach serves only the linux-glibc builds of native packages
// (biome, argon2, oxc-parser). `npm install` therefore drops every other platform's build from the
// lock file, and `npm ci` then refuses the lock as out of sync. This script adds a node for each
// missing optional dependency, with the `os`/`cpu`/`libc` its name declares, so `npm ci` accepts
// the lock and skips those nodes on this platform without fetching them. See docs/adr/0007.
//
// Run it after every `npm install`: `node scripts/complete-lockfile.mjs` (`--check` only reports).
import { readFileSync, writeFileSync } from 'node:fs';

const LOCK = new URL('../package-lock.json', import.meta.url);
const OS = [
  'aix',
  'android',
  'darwin',
  'freebsd',
  'linux',
  'netbsd',
  'openbsd',
  'openharmony',
  'sunos',
  'win32',
];
const CPU = {
  arm64: 'arm64',
  x64: 'x64',
  ia32: 'ia32',
  arm: 'arm',
  ppc64: 'ppc64',
  riscv64: 'riscv64',
  s390x: 's390x',
  loong64: 'loong64',
};

/** @param {string} name */
function platformOf(name) {
  const parts = name.slice(name.lastIndexOf('/') + 1).split('-');
  const os = parts.find((part) => OS.includes(part));
  const cpu = parts.map((part) => CPU[part]).find(Boolean);
  if (!os || !cpu) return null;
  const platform = { os: [os], cpu: [cpu] };
  if (os === 'linux') {
    platform.libc = [parts.some((part) => part.startsWith('musl')) ? 'musl' : 'glibc'];
  }
  return platform;
}

const lock = JSON.parse(readFileSync(LOCK, 'utf8'));
const added = [];
const unknown = [];
for (const [path, node] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(node.optionalDependencies ?? {})) {
    const nested = `${path}/node_modules/${name}`;
    const hoisted = `node_modules/${name}`;
    if (lock.packages[nested] || lock.packages[hoisted]) continue;
    const platform = platformOf(name);
    if (!platform) {
      unknown.push(`${name}@${version}`);
      continue;
    }
    const entry = { version, ...(node.dev ? { dev: true } : {}), optional: true, ...platform };
    lock.packages[hoisted] = entry;
    added.push(`${name}@${version}`);
  }
}

if (unknown.length > 0) {
  process.stderr.write(`cannot tell the platform of: ${unknown.join(', ')}\n`);
}
if (process.argv.includes('--check')) {
  if (added.length > 0) {
    process.stderr.write(
      `package-lock.json lacks ${added.length} platform packages; run: node scripts/complete-lockfile.mjs\n`,
    );
    process.exit(1);
  }
  process.exit(unknown.length > 0 ? 1 : 0);
}
const sorted = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
);
writeFileSync(LOCK, `${JSON.stringify({ ...lock, packages: sorted }, null, 2)}\n`);
process.stdout.write(`added ${added.length} platform packages to package-lock.json\n`);
