import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';

const DOVECOT = '/usr/sbin/dovecot';

/** Whether Debian's dovecot-imapd is installed; `.ci/run` installs it and sets KEEPDESK_REQUIRE_DOVECOT. */
export function dovecotAvailable(): boolean {
  if (existsSync(DOVECOT)) return true;
  if (process.env.KEEPDESK_REQUIRE_DOVECOT === '1') {
    throw new Error(`${DOVECOT} not found: install dovecot-imapd (apt-get install -y dovecot-imapd)`);
  }
  return false;
}

export interface Dovecot {
  port: number;
  /** `imap://user:password@127.0.0.1:port` for a mailbox of the test server. */
  url(user: string): string;
  /** Puts a message into a user's folder over IMAP (APPEND), as a mail server's delivery would. */
  deliver(user: string, raw: string, folder?: string): Promise<void>;
  stop(): Promise<void>;
}

const PASSWORD = 'keepdesk-test';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`dovecot exited with ${child.exitCode}:\n${log()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.end();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`dovecot did not listen on ${port}:\n${log()}`);
}

/**
 * A real IMAP server for tests: Dovecot on a loopback port with its own configuration, users and maildirs in
 * a temporary directory. As root the mail belongs to Dovecot's own system user; otherwise to the caller.
 */
export async function startDovecot(users: readonly string[]): Promise<Dovecot> {
  const dir = mkdtempSync(path.join(tmpdir(), 'keepdesk-dovecot-'));
  const port = await freePort();
  const asRoot = process.getuid?.() === 0;
  const me = userInfo().username;
  const internal = asRoot ? 'dovecot' : me;
  const login = asRoot ? 'dovenull' : me;
  for (const sub of ['run', 'state', 'mail', 'home']) mkdirSync(path.join(dir, sub));
  writeFileSync(path.join(dir, 'users'), users.map((u) => `${u}:{PLAIN}${PASSWORD}\n`).join(''));
  writeFileSync(
    path.join(dir, 'dovecot.conf'),
    `base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:${dir}/mail/%u
first_valid_uid = 1
default_internal_user = ${internal}
default_internal_group = ${internal}
default_login_user = ${login}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/users
}
userdb {
  driver = static
  args = uid=${internal} gid=${internal} home=${dir}/home/%u
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
`,
  );
  if (asRoot) {
    // Dovecot's processes run as its own user: it must reach its files inside the (private) temporary directory.
    chmodSync(dir, 0o755);
    spawnSync('chown', ['-R', `${internal}:${internal}`, path.join(dir, 'mail'), path.join(dir, 'home')]);
  }
  const child = spawn(DOVECOT, ['-F', '-c', path.join(dir, 'dovecot.conf')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  await waitForPort(port, child, () => output);
  const url = (user: string) => `imap://${user}:${PASSWORD}@127.0.0.1:${port}`;
  return {
    port,
    url,
    async deliver(user, raw, folder = 'INBOX') {
      const client = new ImapFlow({
        host: '127.0.0.1',
        port,
        secure: false,
        auth: { user, pass: PASSWORD },
        logger: false,
      });
      await client.connect();
      try {
        await client.append(folder, raw);
      } finally {
        await client.logout();
      }
    },
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
