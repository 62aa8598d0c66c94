import type { Mailbox, User } from '@keepdesk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dovecot, dovecotAvailable, startDovecot } from '../../../test/dovecot';
import { bearerFor, startTestServer, type TestServer, uniq } from '../../../test/harness';
import { ImapPoller } from './imap.poller';

/**
 * IMAP polling against a real Dovecot. The server's own poller looks only every 5 minutes here, so mail that
 * arrives within seconds came through IDLE.
 */
describe.skipIf(!dovecotAvailable())('IMAP polling', () => {
  let dovecot: Dovecot;
  let server: TestServer;
  let admin: { user: User; headers: { authorization: string } };
  let mailbox: Mailbox;
  const run = uniq();

  beforeAll(async () => {
    dovecot = await startDovecot(['support', 'other']);
    server = await startTestServer({ isolated: true, config: { imapPollSeconds: 300 } });
    admin = await bearerFor(server, 'admin');
  });
  afterAll(async () => {
    await server?.close();
    await dovecot?.stop();
  });

  const message = (n: number, extra: string[] = []) =>
    [
      `From: Kunde ${n} <kunde-${n}-${run}@example.com>`,
      'To: support@keepdesk.example',
      `Subject: IMAP ${run} #${n}`,
      `Message-ID: <imap-${n}-${run}@client.example>`,
      ...extra,
      '',
      `Nachricht ${n}`,
      '',
    ].join('\r\n');

  async function taken(): Promise<{ subject: string; outcome: string }[]> {
    const { rows } = await server.deps.database.query(
      'select subject, outcome from inbound_emails where subject like $1 order by subject',
      [`IMAP ${run} #%`],
    );
    return rows as { subject: string; outcome: string }[];
  }

  async function until(count: number, timeoutMs = 15_000): Promise<{ subject: string; outcome: string }[]> {
    const started = Date.now();
    for (;;) {
      const rows = await taken();
      // Rows are recorded before their ticket is written: wait until every one is taken in completely.
      const complete = rows.filter((r) => r.outcome !== 'received').length;
      if (complete >= count || Date.now() - started > timeoutMs) return rows;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  const state = async () => {
    const { rows } = await server.deps.database.query(
      'select imap_uid_validity::float8 as imap_uid_validity, imap_last_uid::int as imap_last_uid, last_polled_at, imap_lease_owner from mailboxes where id = $1',
      [mailbox.id],
    );
    return rows[0] as Record<string, unknown>;
  };

  it('reads what is there, then new mail through IDLE, and a restart neither loses nor duplicates', async () => {
    for (const n of [1, 2, 3]) await dovecot.deliver('support', message(n));
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/v1/mailboxes',
      headers: admin.headers,
      payload: {
        address: `imap-${run}@keepdesk.example`,
        senderName: 'IMAP',
        imapUrl: dovecot.url('support'),
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    mailbox = res.json<Mailbox>();
    expect(mailbox.imapUrl).toBe(`imap://support:***@127.0.0.1:${dovecot.port}`);

    let poller = new ImapPoller(server.deps);
    poller.start();
    expect((await until(3)).map((r) => r.outcome)).toEqual(['ticket', 'ticket', 'ticket']);
    // The poller remembers the UID right after the message is in: under load a moment after it shows.
    for (let tries = 0; tries < 50 && (await state()).imap_last_uid !== 3; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await state()).toMatchObject({ imap_last_uid: 3 });
    expect((await state()).last_polled_at).not.toBeNull();

    // Mail while the connection idles arrives at once (the next regular look is minutes away).
    await dovecot.deliver('support', message(4));
    expect(await until(4, 5000)).toHaveLength(4);

    // Stopped; mail keeps coming; started again: exactly the new messages, once.
    await poller.stop();
    expect((await state()).imap_lease_owner).toBeNull();
    for (const n of [5, 6]) await dovecot.deliver('support', message(n));
    poller = new ImapPoller(server.deps);
    poller.start();
    const afterRestart = await until(6);
    expect(afterRestart.map((r) => r.subject)).toEqual([1, 2, 3, 4, 5, 6].map((n) => `IMAP ${run} #${n}`));
    await poller.stop();

    // The folder was rebuilt (new UIDVALIDITY): read again from its start, and still nothing twice.
    const before = await state();
    await server.deps.database.query('update mailboxes set imap_uid_validity = 1 where id = $1', [
      mailbox.id,
    ]);
    poller = new ImapPoller(server.deps);
    poller.start();
    const started = Date.now();
    while ((await state()).imap_uid_validity !== before.imap_uid_validity && Date.now() - started < 10_000) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    while ((await state()).imap_last_uid !== 6 && Date.now() - started < 15_000) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await state()).toMatchObject({ imap_uid_validity: before.imap_uid_validity, imap_last_uid: 6 });
    expect(await taken()).toHaveLength(6);
    const { rows } = await server.deps.database.query(
      'select count(*)::int as n from tickets where subject like $1',
      [`IMAP ${run} #%`],
    );
    expect(rows[0]!.n).toBe(6);
    await poller.stop();
  }, 90_000);

  it('shows a wrong password as the mailbox error and keeps trying', async () => {
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/v1/mailboxes',
      headers: admin.headers,
      payload: {
        address: `wrong-${run}@keepdesk.example`,
        senderName: 'Wrong',
        imapUrl: `imap://other:not-the-password@127.0.0.1:${dovecot.port}`,
      },
    });
    const wrong = res.json<Mailbox>();
    const poller = new ImapPoller(server.deps);
    poller.start();
    let error: string | null = null;
    const started = Date.now();
    while (!error && Date.now() - started < 15_000) {
      const list = await server.app.inject({ url: '/api/v1/mailboxes', headers: admin.headers });
      error = list.json<{ items: Mailbox[] }>().items.find((m) => m.id === wrong.id)?.lastError ?? null;
      if (!error) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await poller.stop();
    expect(error).toMatch(/^imap: /);
  }, 30_000);
});
