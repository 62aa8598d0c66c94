import { createServer as createNetServer } from 'node:net';
import nodemailer from 'nodemailer';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKeepdesk } from '../../../test/cli';
import { TEST_DB, uniq } from '../../../test/harness';
import { createDatabase, dropDatabase } from '../../../test/postgres';

/**
 * The no-loss promise, tested the hard way: a real SMTP client delivers thousands of messages (with retries,
 * as mail servers do) while the Keepdesk process is killed with SIGKILL again and again. Afterwards every
 * message is there exactly once. Needs a second process on one database, so PostgreSQL only.
 */
const MESSAGES = 2000;
const KILLS = 5;
const CONCURRENCY = 6;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(TEST_DB !== 'postgres')('SMTP delivery while the server is killed', () => {
  let databaseUrl: string;
  let db: pg.Client;
  beforeAll(async () => {
    databaseUrl = await createDatabase('keepdesk_test_crash');
    db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    if (databaseUrl) await dropDatabase(databaseUrl);
  });

  it('keeps every accepted message exactly once and takes the retries of the others', async () => {
    const smtpPort = await freePort();
    const start = () =>
      startKeepdesk(['--database-url', databaseUrl, '--port', '0', '--smtp-port', String(smtpPort)]);
    let server = await start();
    const address = `support-${uniq()}@keepdesk.example`;
    await db.query(
      `insert into mailboxes (address, sender_name, ack_subject_en, ack_body_en, ack_subject_de, ack_body_de)
       values ($1, 'Support', 'x', 'x', 'x', 'x')`,
      [address],
    );

    const run = uniq();
    // Every tenth message has no Message-ID: those are recognised by their bytes.
    const raws = Array.from({ length: MESSAGES }, (_, i) =>
      [
        `From: Kunde ${i} <kunde-${i}-${run}@example.com>`,
        `To: ${address}`,
        `Subject: crash ${run} #${i}`,
        ...(i % 10 === 0 ? [] : [`Message-ID: <m${i}.${run}@client.example>`]),
        'Content-Type: text/plain; charset=utf-8',
        '',
        `Nachricht ${i}: bitte um Rückruf.`,
        '',
      ].join('\r\n'),
    );
    let next = 0;
    let accepted = 0;
    let failures = 0;
    const deliver = async () => {
      const transport = nodemailer.createTransport({
        host: '127.0.0.1',
        port: smtpPort,
        ignoreTLS: true,
        connectionTimeout: 5000,
        socketTimeout: 10_000,
      });
      while (next < raws.length) {
        const raw = raws[next++]!;
        // A sending server keeps a message until it got a 250, and tries again after any other answer.
        for (;;) {
          try {
            const info = await transport.sendMail({
              envelope: { from: 'mta@example.com', to: [address] },
              raw,
            });
            if (/^250/.test(info.response)) break;
          } catch {
            failures++;
            await sleep(100);
          }
        }
        accepted++;
      }
      transport.close();
    };
    const kills = (async () => {
      for (let k = 1; k <= KILLS; k++) {
        while (accepted < (MESSAGES * k) / (KILLS + 1)) await sleep(50);
        server.child.kill('SIGKILL');
        await server.exited;
        server = await start();
      }
    })();
    await Promise.all([...Array.from({ length: CONCURRENCY }, deliver), kills]);
    server.child.kill('SIGTERM');
    await server.exited;

    expect(accepted).toBe(MESSAGES);
    expect(failures).toBeGreaterThan(0);
    const inbound = await db.query(
      `select count(*)::int as n, count(distinct subject)::int as distinct_subjects,
              count(*) filter (where outcome = 'ticket')::int as tickets
         from inbound_emails where subject like $1`,
      [`crash ${run} #%`],
    );
    expect(inbound.rows[0]).toEqual({ n: MESSAGES, distinct_subjects: MESSAGES, tickets: MESSAGES });
    const tickets = await db.query(
      `select count(*)::int as n, count(distinct subject)::int as distinct_subjects
         from tickets where subject like $1`,
      [`crash ${run} #%`],
    );
    expect(tickets.rows[0]).toEqual({ n: MESSAGES, distinct_subjects: MESSAGES });
    const messages = await db.query(
      `select count(*)::int as n from ticket_messages m join tickets t on t.id = m.ticket_id
        where t.subject like $1`,
      [`crash ${run} #%`],
    );
    expect(messages.rows[0]!.n).toBe(MESSAGES);
  }, 600_000);
});
