import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Mailbox, MessageList, Ticket, User } from '@keepdesk/contract';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, startTestServer, type TestServer, uniq } from '../../../test/harness';
import { type SmtpListener, startSmtpListener } from './smtp.listener';

const TLS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/tls');
const MAX_BYTES = 3_000_000;

let server: TestServer;
let smtp: SmtpListener;
let admin: { user: User; headers: { authorization: string } };
let address: string;
beforeAll(async () => {
  server = await startTestServer({
    config: {
      smtpMaxBytes: MAX_BYTES,
      smtpTlsKey: path.join(TLS, 'key.pem'),
      smtpTlsCert: path.join(TLS, 'cert.pem'),
    },
  });
  smtp = await startSmtpListener(server.deps, { port: 0, host: '127.0.0.1' });
  admin = await bearerFor(server, 'admin');
  address = `support-${uniq()}@keepdesk.example`;
  const res = await server.app.inject({
    method: 'POST',
    url: '/api/v1/mailboxes',
    headers: admin.headers,
    payload: { address, senderName: 'Support' },
  });
  expect(res.statusCode, res.body).toBe(201);
});
afterAll(async () => {
  await smtp?.close();
  await server?.close();
});

function client(options: { requireTLS?: boolean; ignoreTLS?: boolean } = {}) {
  return nodemailer.createTransport({
    host: '127.0.0.1',
    port: smtp.port,
    secure: false,
    ignoreTLS: options.ignoreTLS ?? true,
    requireTLS: options.requireTLS ?? false,
    tls: { rejectUnauthorized: false },
  });
}

/** Sends raw bytes over SMTP; resolves with the server's reply or rejects with its error. */
function sendRaw(raw: string | Buffer, to = address, options: { requireTLS?: boolean } = {}) {
  const transport = client(options.requireTLS ? { requireTLS: true, ignoreTLS: false } : {});
  return transport
    .sendMail({ envelope: { from: 'customer@example.com', to: [to] }, raw })
    .finally(() => transport.close());
}

const get = <T>(url: string) =>
  server.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: admin.headers }).then((r) => r.json<T>());

async function ticketWithSubject(subject: string): Promise<Ticket | undefined> {
  const { rows } = await server.deps.database.query('select id from tickets where subject = $1', [subject]);
  return rows[0] ? get<Ticket>(`/tickets/${String(rows[0].id)}`) : undefined;
}

const message = (subject: string, from = `kunde-${uniq()}@example.com`, extra: string[] = []) =>
  [
    `From: Kunde <${from}>`,
    `To: ${address}`,
    `Subject: ${subject}`,
    `Message-ID: <${uniq()}@client.example>`,
    ...extra,
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Hallo, ich brauche Hilfe.',
    '',
  ].join('\r\n');

describe('the SMTP listener', () => {
  it('answers 250 only once the ticket is written, for mail to a mailbox address', async () => {
    const subject = `Über SMTP ${uniq()}`;
    const info = await sendRaw(message(subject));
    expect(info.accepted).toEqual([address]);
    expect(info.response).toMatch(/^250/);
    // No waiting: the ticket exists the moment the sender has its 250.
    const ticket = await ticketWithSubject(subject);
    expect(ticket).toMatchObject({ channel: 'email', status: 'new' });
    const mailbox = (await get<{ items: Mailbox[] }>('/mailboxes')).items.find((m) => m.address === address);
    expect(mailbox?.lastReceivedAt).not.toBeNull();
  });

  it('refuses recipients that are no mailbox, so it never relays', async () => {
    const err = await sendRaw(message(`Relay ${uniq()}`), 'someone@elsewhere.example').catch((e) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as { responseCode?: number }).responseCode).toBe(550);
  });

  it('answers a message over the size limit with a permanent 552 and keeps running', async () => {
    const big = message(`Zu groß ${uniq()}`).replace('Hallo', `${'x'.repeat(MAX_BYTES + 10)}\r\nHallo`);
    const err = await sendRaw(big).catch((e) => e);
    expect((err as { responseCode?: number }).responseCode).toBe(552);
    const subject = `Danach ${uniq()}`;
    await sendRaw(message(subject));
    expect(await ticketWithSubject(subject)).toBeDefined();
  });

  it('offers STARTTLS when a key and certificate are configured', async () => {
    const subject = `Verschlüsselt ${uniq()}`;
    const info = await sendRaw(message(subject), address, { requireTLS: true });
    expect(info.response).toMatch(/^250/);
    expect(await ticketWithSubject(subject)).toBeDefined();
  });

  it('takes in broken mail without falling over: what can be read becomes a ticket, the rest is quarantined', async () => {
    const tag = uniq();
    const longHeader = Array.from({ length: 100_000 }, (_, i) => `X-Line-${i}: v`).join('\r\n');
    const bomb = `../../${'a'.repeat(3000)}.zip`;
    const cases: { name: string; raw: string | Buffer; becomes: 'ticket' | 'quarantined' }[] = [
      {
        name: 'broken boundary',
        raw: message(`Grenze ${tag}`, undefined, [
          'MIME-Version: 1.0',
          'Content-Type: multipart/mixed; boundary="missing"',
        ]).replace('Content-Type: text/plain; charset=utf-8\r\n', ''),
        becomes: 'ticket',
      },
      {
        name: 'invalid base64',
        raw: message(`Base64 ${tag}`, undefined, ['Content-Transfer-Encoding: base64']).replace(
          'Hallo, ich brauche Hilfe.',
          '!!!%%%not base64 at all###',
        ),
        becomes: 'ticket',
      },
      {
        name: '8-bit bytes in headers',
        raw: Buffer.from(message(`Gr\u00fc\u00dfe ${tag}`), 'latin1'),
        becomes: 'ticket',
      },
      {
        name: 'a missing From',
        raw: message(`Ohne Absender ${tag}`).replace(/^From: .*\r\n/, ''),
        becomes: 'quarantined',
      },
      {
        name: 'a 100,000-line header block',
        raw: message(`Lang ${tag}`, undefined, [longHeader]),
        becomes: 'ticket',
      },
      {
        name: 'a zip bomb attachment name',
        raw: [
          `From: Kunde <bomb-${tag}@example.com>`,
          `To: ${address}`,
          `Subject: Anhang ${tag}`,
          `Message-ID: <${uniq()}@client.example>`,
          'MIME-Version: 1.0',
          'Content-Type: multipart/mixed; boundary="b"',
          '',
          '--b',
          'Content-Type: text/plain',
          '',
          'Siehe Anhang',
          '--b',
          `Content-Type: application/zip; name="${bomb}"`,
          `Content-Disposition: attachment; filename="${bomb}"`,
          'Content-Transfer-Encoding: base64',
          '',
          Buffer.from('PK\u0003\u0004 zip bytes').toString('base64'),
          '--b--',
          '',
        ].join('\r\n'),
        becomes: 'ticket',
      },
    ];
    for (const item of cases) {
      const info = await sendRaw(item.raw);
      expect(info.response, item.name).toMatch(/^250/);
      const { rows } = await server.deps.database.query(
        'select outcome, ticket_id, storage_key, problem from inbound_emails order by received_at desc limit 1',
      );
      const row = rows[0]!;
      expect(row.outcome === 'received' ? 'quarantined' : 'ticket', item.name).toBe(item.becomes);
      const stored = await server.deps.storage.get(String(row.storage_key));
      expect(stored.length, item.name).toBeGreaterThan(0);
      if (item.becomes === 'quarantined') expect(row.problem).toBe('no sender address');
    }
    const zipped = await ticketWithSubject(`Anhang ${tag}`);
    const messages = await get<MessageList>(`/tickets/${zipped!.id}/messages`);
    const name = messages.items[0]!.attachments[0]!.fileName;
    expect(name).not.toContain('/');
    expect(name.length).toBeLessThanOrEqual(255);
  }, 60_000);
});
