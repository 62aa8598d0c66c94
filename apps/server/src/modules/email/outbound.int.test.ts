import type { Delivery, DeliveryList, Mailbox, MessageList, Ticket, User } from '@keepdesk/contract';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, startTestServer, type TestServer, uniq } from '../../../test/harness';
import { type SmtpSink, startSmtpSink } from '../../../test/smtp';
import { replyToken } from './email.domain';
import { AUTOMATIC_PER_HOUR, MAX_ATTEMPTS, replySecret } from './outbound.service';

type Result = { id: string; outcome: string; ticketId: string | null };

let sink: SmtpSink;
let server: TestServer;
let admin: { user: User; headers: { authorization: string } };
let mailbox: Mailbox;
beforeAll(async () => {
  sink = await startSmtpSink();
  // A database of its own: the delivery jobs must run in this server, which talks to this SMTP sink.
  server = await startTestServer({
    isolated: true,
    config: { mailTransport: 'smtp', smtpUrl: sink.url, mailRetrySeconds: 1 },
  });
  admin = await bearerFor(server, 'admin');
  const res = await call('POST', '/mailboxes', {
    address: `support-${uniq()}@keepdesk.example`,
    senderName: 'Keepdesk Support',
    signature: 'Ihr Support-Team\nKeepdesk GmbH',
  });
  expect(res.statusCode, res.body).toBe(201);
  mailbox = res.json<Mailbox>();
});
afterAll(async () => {
  await server?.close();
  await sink?.close();
});

function call(method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) {
  return server.app.inject({ method, url: `/api/v1${url}`, headers: admin.headers, payload });
}

function inbound(lines: string[]) {
  return server.app
    .inject({
      method: 'POST',
      url: '/api/v1/channels/email/inbound',
      headers: { ...admin.headers, 'content-type': 'message/rfc822' },
      payload: Buffer.from(`${lines.join('\r\n')}\r\n`),
    })
    .then((r) => r.json<Result>());
}

const mail = (o: { from: string; subject: string; id?: string; extra?: string[]; body?: string }) => [
  `From: Kundin <${o.from}>`,
  `To: ${mailbox.address}`,
  `Subject: ${o.subject}`,
  `Message-ID: <${o.id ?? `${uniq()}@kundin.example`}>`,
  ...(o.extra ?? []),
  'Content-Type: text/plain; charset=utf-8',
  '',
  o.body ?? 'Guten Tag, mein Paket ist nicht angekommen.',
];

const header = (message: ParsedMail, name: string) => {
  const value = message.headers.get(name);
  return typeof value === 'string' ? value : JSON.stringify(value);
};
const bare = (id: string | undefined) => (id ?? '').replace(/^<|>$/g, '');

async function deliveries(ticketId: string): Promise<Delivery[]> {
  return (await call('GET', `/tickets/${ticketId}/deliveries`)).json<DeliveryList>().items;
}

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() - started > timeoutMs) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('outbound e-mail', () => {
  it('acknowledges a new ticket, sends the agent reply with threading headers, and threads the answer back', async () => {
    const from = `kundin-${uniq()}@example.com`;
    const firstId = `${uniq()}@kundin.example`;
    const subject = `Paket ${uniq()}`;
    const first = await inbound(mail({ from, subject, id: firstId }));
    const ticket = (await call('GET', `/tickets/${first.ticketId}`)).json<Ticket>();

    const ack = await sink.waitFor(
      (m) =>
        (m.to && 'text' in m.to ? m.to.text : '').includes(from) &&
        m.subject?.includes(`[#${ticket.number}]`) === true,
    );
    expect(header(ack, 'auto-submitted')).toBe('auto-replied');
    expect(bare(ack.inReplyTo)).toBe(firstId);
    expect(ack.from?.value[0]).toMatchObject({ address: mailbox.address, name: 'Keepdesk Support' });
    expect(ack.text).toContain(String(ticket.number));

    const reply = await call('POST', `/tickets/${ticket.id}/messages`, {
      body: 'Wir haben das Paket erneut verschickt.',
      visibility: 'public',
    });
    expect(reply.statusCode, reply.body).toBe(201);
    const sent = await sink.waitFor((m) => m.subject === `Re: [#${ticket.number}] ${subject}`);
    expect(sent.text).toContain('Wir haben das Paket erneut verschickt.');
    expect(sent.text).toContain('Keepdesk GmbH');
    expect(sent.replyTo?.value[0]?.address).toBe(mailbox.address);
    expect(bare(sent.inReplyTo)).toBe(firstId);
    expect([sent.references].flat().map(bare)).toContain(firstId);
    const ourId = bare(sent.messageId);
    expect(ourId).toContain(`.kd${ticket.number}-`);
    expect(ourId.endsWith(`@${mailbox.address.split('@')[1]}`)).toBe(true);
    const status = await until(
      () => deliveries(ticket.id),
      (items) => items.every((d) => d.status === 'sent'),
    );
    expect(status.map((d) => [d.kind, d.status])).toEqual([
      ['acknowledgement', 'sent'],
      ['reply', 'sent'],
    ]);

    // The customer answers our reply: In-Reply-To names our Message-ID.
    const answer = await inbound(
      mail({ from, subject: `AW: ${sent.subject}`, extra: [`In-Reply-To: <${ourId}>`], body: 'Danke!' }),
    );
    expect(answer).toMatchObject({ outcome: 'reply', ticketId: ticket.id });
    const messages = (await call('GET', `/tickets/${ticket.id}/messages`)).json<MessageList>().items;
    expect(messages.map((m) => m.authorKind)).toEqual(['contact', 'agent', 'contact']);
  });

  it('threads by a reply token even when the message it names is unknown, and refuses a forged one', async () => {
    const from = `token-${uniq()}@example.com`;
    const first = await inbound(mail({ from, subject: `Token ${uniq()}` }));
    const ticket = (await call('GET', `/tickets/${first.ticketId}`)).json<Ticket>();
    const token = replyToken(await replySecret(server.deps), ticket.number);
    // A colleague of the customer answers from another address, with an id we never sent (a lost record).
    const viaToken = await inbound(
      mail({
        from: `kollege-${uniq()}@example.com`,
        subject: 'Re: Ihre Anfrage',
        extra: [`References: <broken <unknown.${token}@keepdesk.example>`],
      }),
    );
    expect(viaToken).toMatchObject({ outcome: 'reply', ticketId: ticket.id });
    const forged = await inbound(
      mail({
        from: `mallory-${uniq()}@example.com`,
        subject: 'Re: Ihre Anfrage',
        extra: [`In-Reply-To: <x.kd${ticket.number}-000000000000@keepdesk.example>`],
      }),
    );
    expect(forged.outcome).toBe('ticket');
    expect(forged.ticketId).not.toBe(ticket.id);
  });

  it('never acknowledges machines, and acknowledges one address at most a few times an hour', async () => {
    const robot = `robot-${uniq()}@example.com`;
    const autoHeaders = [
      ['Auto-Submitted: auto-replied'],
      ['Precedence: bulk'],
      ['X-Autoreply: yes'],
      ['List-Id: <news.example.com>'],
    ];
    const subjects = ['Out of Office: Ihre Nachricht', 'Abwesenheitsnotiz: Urlaub', 'Automatic reply: hello'];
    const automatic = [
      ...autoHeaders.map((extra) => mail({ from: robot, subject: `Robot ${uniq()}`, extra })),
      ...subjects.map((subject) => mail({ from: robot, subject })),
    ];
    for (const lines of automatic) {
      const result = await inbound(lines);
      expect(result.outcome).toBe('ticket');
      const { rows } = await server.deps.database.query(
        'select automatic, ack_skipped from inbound_emails where id = $1',
        [result.id],
      );
      expect(rows[0]!.automatic, lines.join('\n')).toBeTruthy();
      expect(String(rows[0]!.ack_skipped)).toMatch(/^sent by a machine/);
    }

    const chatty = `chatty-${uniq()}@example.com`;
    for (let i = 0; i < AUTOMATIC_PER_HOUR + 2; i++)
      await inbound(mail({ from: chatty, subject: `Frage ${i}` }));
    const { rows } = await server.deps.database.query(
      `select count(*)::int as n from outbound_emails where kind = 'acknowledgement' and $1 = any(to_addresses)`,
      [chatty],
    );
    expect(rows[0]!.n).toBe(AUTOMATIC_PER_HOUR);
    const robotAcks = await server.deps.database.query(
      `select count(*)::int as n from outbound_emails where $1 = any(to_addresses)`,
      [robot],
    );
    expect(robotAcks.rows[0]!.n).toBe(0);
  });

  it('retries an undeliverable reply with backoff, shows it failed, and sends it when retried by hand', async () => {
    const broken = (
      await call('POST', '/mailboxes', {
        address: `broken-${uniq()}@keepdesk.example`,
        senderName: 'Broken',
        autoAcknowledge: false,
        smtpUrl: 'smtp://127.0.0.1:9',
      })
    ).json<Mailbox>();
    const from = `retry-${uniq()}@example.com`;
    const first = await inbound([
      `From: <${from}>`,
      `To: ${broken.address}`,
      `Subject: Retry ${uniq()}`,
      `Message-ID: <${uniq()}@kundin.example>`,
      '',
      'Hallo',
    ]);
    const ticketId = first.ticketId!;
    await call('POST', `/tickets/${ticketId}/messages`, { body: 'Antwort', visibility: 'public' });
    const retrying = await until(
      () => deliveries(ticketId),
      (items) => items[0]?.status === 'retrying' && items[0].attempts >= 2,
    );
    expect(retrying[0]).toMatchObject({ kind: 'reply', status: 'retrying' });
    expect(retrying[0]!.lastError).toBeTruthy();
    expect(retrying[0]!.nextAttemptAt).not.toBeNull();
    const health = (await call('GET', '/mailboxes')).json<{ items: Mailbox[] }>().items;
    expect(health.find((m) => m.id === broken.id)?.lastError).toMatch(/^sending: /);

    // The last attempt fails for good.
    await server.deps.database.query('update outbound_emails set attempts = $2 where id = $1', [
      retrying[0]!.id,
      MAX_ATTEMPTS - 1,
    ]);
    const failed = await until(
      () => deliveries(ticketId),
      (items) => items[0]?.status === 'failed',
      30_000,
    );
    expect(failed[0]).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS, nextAttemptAt: null });

    // The admin fixes the mailbox; the agent retries.
    await call('PATCH', `/mailboxes/${broken.id}`, { smtpUrl: sink.url });
    const retried = await call('POST', `/deliveries/${failed[0]!.id}/retry`);
    expect(retried.statusCode, retried.body).toBe(200);
    expect(retried.json<Delivery>().status).toBe('queued');
    const sent = await until(
      () => deliveries(ticketId),
      (items) => items[0]?.status === 'sent',
    );
    expect(sent[0]).toMatchObject({ status: 'sent', attempts: 1, lastError: null });
    expect((await call('POST', `/deliveries/${failed[0]!.id}/retry`)).statusCode).toBe(409);
  }, 60_000);

  it('copies Cc people on replies, makes copied agents followers, and learns from a bounce', async () => {
    const from = `cc-${uniq()}@example.com`;
    const colleague = `kollegin-${uniq()}@example.com`;
    const agent = await bearerFor(server, 'agent');
    const first = await inbound(
      mail({
        from,
        subject: `Cc ${uniq()}`,
        extra: [`Cc: ${colleague}, ${agent.user.email}, ${mailbox.address}`],
      }),
    );
    const ticket = (await call('GET', `/tickets/${first.ticketId}`)).json<Ticket>();
    const followers = (await call('GET', `/tickets/${ticket.id}/followers`)).json<{
      items: { id: string }[];
    }>();
    expect(followers.items.map((f) => f.id)).toContain(agent.user.id);

    await call('POST', `/tickets/${ticket.id}/messages`, { body: 'Antwort an alle', visibility: 'public' });
    const sent = await sink.waitFor((m) => m.subject === `Re: [#${ticket.number}] ${ticket.subject}`);
    const cc = sent.cc && !Array.isArray(sent.cc) ? sent.cc.value.map((a) => a.address) : [];
    expect(cc).toEqual([colleague]);

    // The customer's server returns it: the address is gone.
    const dsn = [
      'From: Mail Delivery System <MAILER-DAEMON@mx.example.com>',
      `To: ${mailbox.address}`,
      'Subject: Undelivered Mail Returned to Sender',
      `Message-ID: <${uniq()}@mx.example.com>`,
      'Auto-Submitted: auto-replied',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="B"',
      '',
      '--B',
      'Content-Type: text/plain',
      '',
      'Your message could not be delivered.',
      '--B',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.example.com',
      '',
      `Final-Recipient: rfc822; ${from}`,
      'Action: failed',
      'Status: 5.1.1',
      'Diagnostic-Code: smtp; 550 5.1.1 User unknown',
      '',
      '--B',
      'Content-Type: text/rfc822-headers',
      '',
      `Message-ID: ${sent.messageId}`,
      `Subject: ${sent.subject}`,
      '',
      '--B--',
    ];
    const bounce = await inbound(dsn);
    expect(bounce).toMatchObject({ outcome: 'bounce', ticketId: ticket.id });
    const items = await deliveries(ticket.id);
    const reply = items.find((d) => d.kind === 'reply')!;
    expect(reply.status).toBe('failed');
    expect(reply.lastError).toContain('5.1.1');
    const contact = (await call('GET', `/contacts/${ticket.requester.id}`)).json<{
      bouncingEmails: { email: string; reason: string }[];
    }>();
    expect(contact.bouncingEmails).toEqual([
      expect.objectContaining({ email: from, reason: '5.1.1 550 5.1.1 User unknown' }),
    ]);
    const notes = (await call('GET', `/tickets/${ticket.id}/messages`)).json<MessageList>().items;
    const note = notes.find((m) => m.authorKind === 'system')!;
    expect(note.visibility).toBe('internal');
    expect(note.bodyText).toContain('Delivery failed');
    // A bounce is never acknowledged, and the same report twice changes nothing.
    const again = await inbound(dsn);
    expect(again.id).toBe(bounce.id);
    const acks = await server.deps.database.query(
      `select count(*)::int as n from outbound_emails where 'mailer-daemon@mx.example.com' = any(to_addresses)`,
    );
    expect(acks.rows[0]!.n).toBe(0);
  });
});
