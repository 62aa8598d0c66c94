import { randomUUID } from 'node:crypto';
import { and, eq, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import { ImapFlow } from 'imapflow';
import type { Deps } from '../../platform/context';
import { ingestEmail } from './email.service';
import { mailboxes } from './email.tables';

type MailboxRow = typeof mailboxes.$inferSelect;

/** Connection settings from `imap[s]://user:password@host[:port]`. */
export function imapSettings(url: string) {
  const parsed = new URL(url);
  const secure = parsed.protocol === 'imaps:';
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : secure ? 993 : 143,
    secure,
    auth: { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) },
  };
}

/**
 * Reads new mail of one folder into tickets: every message above the last UID taken in, in UID order, each
 * recorded as taken in only after `ingestEmail` returned. A crash re-reads at most the message under way, which
 * the intake recognises; a new UIDVALIDITY (the folder was rebuilt) reads the folder again from its start.
 */
export async function syncFolder(deps: Deps, client: ImapFlow, mailboxId: string): Promise<number> {
  const db = deps.database.db;
  const [row] = await db.select().from(mailboxes).where(eq(mailboxes.id, mailboxId));
  if (!row || !client.mailbox) return 0;
  const uidValidity = Number(client.mailbox.uidValidity);
  let last = row.imapUidValidity === uidValidity ? row.imapLastUid : 0;
  if (row.imapUidValidity !== uidValidity) {
    await db
      .update(mailboxes)
      .set({ imapUidValidity: uidValidity, imapLastUid: 0 })
      .where(eq(mailboxes.id, mailboxId));
  }
  // UIDs first, then each message on its own: no IMAP command runs while a fetch is still streaming.
  const uids: number[] = [];
  for await (const message of client.fetch(`${last + 1}:*`, { uid: true }, { uid: true })) {
    if (message.uid > last) uids.push(message.uid);
  }
  uids.sort((a, b) => a - b);
  for (const uid of uids) {
    const message = await client.fetchOne(String(uid), { source: true }, { uid: true });
    // Gone meanwhile (expunged by another client): nothing to take in.
    const source = message ? message.source : undefined;
    if (source) await ingestEmail(deps, source, { envelopeTo: [row.address] });
    last = uid;
    await db
      .update(mailboxes)
      .set({ imapLastUid: uid })
      .where(and(eq(mailboxes.id, mailboxId), eq(mailboxes.imapUidValidity, uidValidity)));
  }
  await db
    .update(mailboxes)
    .set({ lastPolledAt: deps.now(), ...(row.lastError?.startsWith('imap:') ? { lastError: null } : {}) })
    .where(eq(mailboxes.id, mailboxId));
  return uids.length;
}

/** One mailbox watched by this process: connect, read what is new, then IDLE until the server says more. */
class MailboxWatcher {
  private client: ImapFlow | undefined;
  private stopped = false;
  private syncing: Promise<void> = Promise.resolve();
  private wake: (() => void) | undefined;
  private readonly done: Promise<void>;

  constructor(
    private readonly deps: Deps,
    readonly mailbox: MailboxRow,
  ) {
    this.done = this.run();
  }

  private async run(): Promise<void> {
    let backoff = 1000;
    while (!this.stopped) {
      try {
        await this.session();
        backoff = 1000;
      } catch (error) {
        const reason = (error as Error).message.slice(0, 500);
        this.deps.log.warn({ err: error, mailbox: this.mailbox.address }, 'imap: mailbox not read');
        await this.deps.database.db
          .update(mailboxes)
          .set({ lastError: `imap: ${reason}`, lastErrorAt: this.deps.now() })
          .where(eq(mailboxes.id, this.mailbox.id))
          .catch(() => {});
        backoff = Math.min(backoff * 2, 60_000);
      }
      if (!this.stopped) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, backoff);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  }

  private async session(): Promise<void> {
    const client = new ImapFlow({
      ...imapSettings(this.mailbox.imapUrl!),
      logger: false,
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      // IDLE soon after the last command, so new mail is seen within a second or two.
      autoIdleDelay: 1000,
      // Re-issue IDLE now and then: some servers drop a silent connection.
      maxIdleTime: 5 * 60_000,
    });
    this.client = client;
    client.on('error', (err: Error) => this.deps.log.warn({ err }, 'imap: connection error'));
    const closed = new Promise<void>((resolve) => client.on('close', () => resolve()));
    await client.connect();
    await client.mailboxOpen(this.mailbox.imapFolder);
    const sync = () => {
      this.syncing = this.syncing
        .then(() => syncFolder(this.deps, client, this.mailbox.id))
        .then(
          () => undefined,
          (err: Error) => {
            this.deps.log.warn({ err, mailbox: this.mailbox.address }, 'imap: reading new mail failed');
            client.close();
          },
        );
      return this.syncing;
    };
    // New mail while IDLE: the server says EXISTS. A timer covers servers without IDLE.
    client.on('exists', () => void sync());
    const timer = setInterval(() => void sync(), this.deps.config.imapPollSeconds * 1000);
    try {
      await sync();
      await closed;
    } finally {
      clearInterval(timer);
      await this.syncing;
    }
    if (!this.stopped) throw new Error('the IMAP connection closed');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.syncing;
    await this.client?.logout().catch(() => this.client?.close());
    await this.done;
  }
}

/**
 * Watches the IMAP mailboxes, each in exactly one worker process: a process takes a mailbox by a lease in
 * the database and renews it while it runs; a mailbox whose lease ran out (its process died) is taken over.
 */
export class ImapPoller {
  private readonly owner = randomUUID();
  private readonly watchers = new Map<string, MailboxWatcher>();
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> = Promise.resolve();

  constructor(private readonly deps: Deps) {}

  start(): void {
    const every = this.deps.config.imapPollSeconds * 1000;
    this.timer = setInterval(() => this.tick(), every);
    this.timer.unref();
    this.tick();
  }

  private tick(): void {
    this.round = this.round.then(() =>
      this.claim().catch((err: Error) => this.deps.log.error({ err }, 'imap: claiming mailboxes failed')),
    );
  }

  /** Renews this process's leases, takes free mailboxes, and lets go of the ones that changed. */
  private async claim(): Promise<void> {
    const db = this.deps.database.db;
    const leaseSeconds = this.deps.config.imapPollSeconds * 3;
    const until = sql`now() + make_interval(secs => ${leaseSeconds})`;
    const mine = await db
      .update(mailboxes)
      .set({ imapLeaseUntil: until })
      .where(eq(mailboxes.imapLeaseOwner, this.owner))
      .returning();
    const free = await db
      .update(mailboxes)
      .set({ imapLeaseOwner: this.owner, imapLeaseUntil: until })
      .where(
        and(
          eq(mailboxes.active, true),
          isNotNull(mailboxes.imapUrl),
          or(isNull(mailboxes.imapLeaseUntil), lt(mailboxes.imapLeaseUntil, sql`now()`)),
        ),
      )
      .returning();
    const wanted = new Map(
      [...mine, ...free].filter((m) => m.active && m.imapUrl).map((m) => [m.id, m] as const),
    );
    for (const [id, watcher] of this.watchers) {
      const now = wanted.get(id);
      const changed =
        !now || now.imapUrl !== watcher.mailbox.imapUrl || now.imapFolder !== watcher.mailbox.imapFolder;
      if (changed) {
        this.watchers.delete(id);
        await watcher.stop();
      }
    }
    for (const [id, mailbox] of wanted) {
      if (!this.watchers.has(id)) this.watchers.set(id, new MailboxWatcher(this.deps, mailbox));
    }
    const released = [...mine].filter((m) => !wanted.has(m.id)).map((m) => m.id);
    for (const id of released) {
      await db
        .update(mailboxes)
        .set({ imapLeaseOwner: null, imapLeaseUntil: null })
        .where(and(eq(mailboxes.id, id), eq(mailboxes.imapLeaseOwner, this.owner)));
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.round;
    await Promise.all([...this.watchers.values()].map((w) => w.stop()));
    this.watchers.clear();
    await this.deps.database.db
      .update(mailboxes)
      .set({ imapLeaseOwner: null, imapLeaseUntil: null })
      .where(eq(mailboxes.imapLeaseOwner, this.owner));
  }
}
