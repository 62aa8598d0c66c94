import type { Brand, Mailbox, MessageList, WidgetConversationCreated } from '@keepdesk/contract';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, startTestServer, type TestServer, uniq } from '../../../test/harness';
import { type SmtpSink, startSmtpSink } from '../../../test/smtp';
import { SYSTEM_ACTOR } from '../../platform/events';
import { submitContactRequest } from '../knowledge';
import { createBrand } from '../knowledge/brands.service';
import { signFormStart } from '../knowledge/contact.domain';
import { contactFormSecret } from '../knowledge/contact.service';
import { AUTOMATIC_PER_HOUR, acknowledgeWebRequest } from './outbound.service';

// Web and widget requests are acknowledged like mail (ADR 0046): through the default mailbox, after commit,
// under the hourly limit per address, threaded so that the customer's answer by mail joins the ticket.

let sink: SmtpSink;
let server: TestServer;
let admin: { headers: { authorization: string } };
let mailbox: Mailbox;
let brand: Brand;
let ipCount = 0;
const nextIp = () => `10.46.${Math.floor(++ipCount / 250)}.${ipCount % 250}`;

beforeAll(async () => {
  sink = await startSmtpSink();
  // A database of its own: the outbox and delivery jobs must run in this server, which talks to this sink.
  server = await startTestServer({
    isolated: true,
    config: { mailTransport: 'smtp', smtpUrl: sink.url, mailRetrySeconds: 1 },
  });
  admin = await bearerFor(server, 'admin');
  const res = await api('POST', '/mailboxes', {
    address: `support-${uniq()}@keepdesk.example`,
    senderName: 'Keepdesk Support',
    signature: 'Your support team\nOnline: {{portal_url}}',
  });
  expect(res.statusCode, res.body).toBe(201);
  mailbox = res.json<Mailbox>();
  brand = await makeBrand(20);
});
afterAll(async () => {
  await server?.close();
  await sink?.close();
});

function api(method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) {
  return server.app.inject({ method, url: `/api/v1${url}`, headers: admin.headers, payload });
}

function makeBrand(maxTicketsPerAddressPerDay: number) {
  return createBrand(server.deps, SYSTEM_ACTOR, {
    name: `Shop ${uniq()}`,
    slug: `shop-${uniq()}`,
    defaultLanguage: 'en',
    primaryColor: '#1864ab',
    contactFormEnabled: true,
    maxTicketsPerAddressPerDay,
    widget: {},
  });
}

/** The help center's contact form as a browser posts it (multipart, with a start time signed 10 s ago). */
async function postContactForm(fields: { email: string; subject: string; message: string }) {
  const started = signFormStart(await contactFormSecret(server.deps), Date.now() - 10_000);
  const boundary = `----kd${uniq()}`;
  const all: Record<string, string> = { started, name: 'Robin Roast', ...fields };
  const payload = `${Object.entries(all)
    .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
    .join('')}--${boundary}--\r\n`;
  return server.app.inject({
    method: 'POST',
    url: `/hc/${brand.slug}/en/contact`,
    payload,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    remoteAddress: nextIp(),
  });
}

function request(email: string, subject: string, brandSlug = brand.slug) {
  return submitContactRequest(server.deps, {
    brandSlug,
    language: 'en',
    name: 'Flo',
    email,
    subject,
    message: `About ${subject}`,
    files: [],
    ip: nextIp(),
    source: 'helpcenter',
  });
}

const recipients = (m: ParsedMail) => (m.to && !Array.isArray(m.to) ? m.to.text : JSON.stringify(m.to));
const bare = (id: string | undefined) => (id ?? '').replace(/^<|>$/g, '');

async function query(text: string, params: unknown[]) {
  return (await server.deps.database.query(text, params)).rows;
}

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() - started > timeoutMs) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Acknowledgement rows to an address, and the reasons recorded for the address's tickets that got none. */
async function outcomes(address: string) {
  const acks = await query(
    `select ticket_id from outbound_emails where kind = 'acknowledgement' and $1 = any(to_addresses)`,
    [address.toLowerCase()],
  );
  const skipped = await query(
    `select a.entity_id, a.data->>'reason' as reason from audit_log a
      join tickets t on t.id::text = a.entity_id
      join contact_identities ci on ci.contact_id = t.requester_id and ci.kind = 'email'
     where a.action = 'ticket.acknowledgement_skipped' and ci.value = $1`,
    [address.toLowerCase()],
  );
  return { acks: acks.length, skipped: skipped.map((r) => String(r.reason)) };
}

describe('acknowledging web requests', () => {
  it('acknowledges a contact-form request with the portal link, and the e-mail answer joins the ticket', async () => {
    const email = `robin-${uniq()}@example.com`;
    const subject = `Descaling light ${uniq()}`;
    const res = await postContactForm({ email, subject, message: 'The light stays on.' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).toContain(`A confirmation is on its way to ${email}`);
    const number = Number(/request number is #(\d+)/.exec(res.body)?.[1]);

    const ack = await sink.waitFor(
      (m) => recipients(m).includes(email) && m.subject?.includes(`[#${number}]`) === true,
    );
    expect(ack.subject).toBe(`We received your request [#${number}]`);
    expect(ack.from?.value[0]).toMatchObject({ address: mailbox.address, name: 'Keepdesk Support' });
    expect(ack.headers.get('auto-submitted')).toBe('auto-replied');
    const portal = `${server.deps.config.baseUrl}/portal/login`;
    expect(ack.text).toContain(`Your request has the number #${number}`);
    expect(ack.text).toContain(`You can follow your request at ${portal}`);
    expect(ack.text).toContain(`Online: ${portal}`);
    expect(ack.text).not.toContain('{{');

    // The customer answers the acknowledgement by mail: it threads onto the same ticket.
    const answer = await server.app.inject({
      method: 'POST',
      url: '/api/v1/channels/email/inbound',
      headers: { ...admin.headers, 'content-type': 'message/rfc822' },
      payload: Buffer.from(
        [
          `From: Robin <${email}>`,
          `To: ${mailbox.address}`,
          `Subject: Re: ${ack.subject}`,
          `Message-ID: <${uniq()}@robin.example>`,
          `In-Reply-To: ${ack.messageId}`,
          'Content-Type: text/plain; charset=utf-8',
          '',
          'Here is a photo of the light.',
          '',
        ].join('\r\n'),
      ),
    });
    const result = answer.json<{ outcome: string; ticketId: string }>();
    expect(result.outcome).toBe('reply');
    const [ticket] = await query('select id from tickets where number = $1', [number]);
    expect(result.ticketId).toBe(ticket!.id);
    const messages = (await api('GET', `/tickets/${result.ticketId}/messages`)).json<MessageList>().items;
    expect(messages.map((m) => m.bodyText)).toEqual([
      'The light stays on.',
      expect.stringContaining('Here is a photo of the light.'),
    ]);

    // The agent's reply continues the thread, and its signature points to the portal too.
    const sent = await api('POST', `/tickets/${result.ticketId}/messages`, {
      body: 'Hold both buttons.',
      visibility: 'public',
    });
    expect(sent.statusCode, sent.body).toBe(201);
    const reply = await sink.waitFor((m) => m.subject === `Re: [#${number}] ${subject}`);
    expect([reply.references].flat().map(bare)).toContain(bare(ack.messageId));
    expect(reply.text).toContain(`Online: ${portal}`);
  });

  it('acknowledges a widget request in the visitor’s language', async () => {
    const email = `vera-${uniq()}@example.com`;
    const res = await server.app.inject({
      method: 'POST',
      url: `/api/v1/widget/${brand.slug}/conversations`,
      remoteAddress: nextIp(),
      payload: { name: 'Vera', email, message: 'Mein Paket ist nicht angekommen', language: 'de' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const number = res.json<WidgetConversationCreated>().conversation.ticketNumber;
    const ack = await sink.waitFor((m) => recipients(m).includes(email));
    expect(ack.subject).toBe(`Wir haben Ihre Anfrage erhalten [#${number}]`);
    expect(ack.text).toContain(
      `Sie können Ihre Anfrage hier verfolgen: ${server.deps.config.baseUrl}/portal/login`,
    );
  });

  it('sends one address at most the hourly number of acknowledgements, however the form is flooded', async () => {
    const local = `victim-${uniq()}`;
    const requests = 3 * AUTOMATIC_PER_HOUR;
    // At once, from many clients, the address spelled in several ways.
    const results = await Promise.all(
      Array.from({ length: requests }, (_, i) =>
        request(i % 2 ? `${local.toUpperCase()}@Example.com` : `${local}@example.com`, `Flood ${i}`),
      ),
    );
    expect(results.filter((r) => r.appended)).toEqual([]);
    const done = await until(
      () => outcomes(`${local}@example.com`),
      (o) => o.acks + o.skipped.length >= requests,
    );
    expect(done.acks).toBe(AUTOMATIC_PER_HOUR);
    expect(done.skipped).toHaveLength(requests - AUTOMATIC_PER_HOUR);
    expect(done.skipped[0]).toMatch(/automatic e-mails within the hour/);
  });

  it('counts and writes under a lock, so acknowledgements asked for at the same moment stay within the limit', async () => {
    const email = `burst-${uniq()}@example.com`;
    const ticketIds: string[] = [];
    for (let i = 0; i < 2 * AUTOMATIC_PER_HOUR; i++) {
      const res = await api('POST', '/tickets', {
        subject: `Burst ${i}`,
        requester: { email },
        message: { body: 'Hello' },
      });
      expect(res.statusCode, res.body).toBe(201);
      ticketIds.push(res.json<{ id: string }>().id);
    }
    const reasons = await Promise.all(
      ticketIds.map((ticketId) => acknowledgeWebRequest(server.deps, { ticketId, to: email.toUpperCase() })),
    );
    expect(reasons.filter((r) => r === null)).toHaveLength(AUTOMATIC_PER_HOUR);
    expect(await outcomes(email)).toMatchObject({ acks: AUTOMATIC_PER_HOUR });
  });

  it('sends nothing when the mailbox does not acknowledge or no mailbox is active, and records why', async () => {
    const quiet = `quiet-${uniq()}@example.com`;
    expect((await api('PATCH', `/mailboxes/${mailbox.id}`, { autoAcknowledge: false })).statusCode).toBe(200);
    try {
      await request(quiet, 'Quiet please');
      const off = await until(
        () => outcomes(quiet),
        (o) => o.skipped.length > 0,
      );
      expect(off).toEqual({ acks: 0, skipped: ['the mailbox sends no acknowledgements'] });
    } finally {
      await api('PATCH', `/mailboxes/${mailbox.id}`, { autoAcknowledge: true });
    }

    const lonely = `lonely-${uniq()}@example.com`;
    expect((await api('PATCH', `/mailboxes/${mailbox.id}`, { active: false })).statusCode).toBe(200);
    try {
      await request(lonely, 'Anyone there?');
      const none = await until(
        () => outcomes(lonely),
        (o) => o.skipped.length > 0,
      );
      expect(none).toEqual({ acks: 0, skipped: ['there is no active mailbox to send from'] });
    } finally {
      await api('PATCH', `/mailboxes/${mailbox.id}`, { active: true });
    }
  });

  it('does not acknowledge a request that joins the latest ticket beyond the daily cap', async () => {
    const capped = await makeBrand(1);
    const email = `twice-${uniq()}@example.com`;
    const first = await request(email, 'First', capped.slug);
    const second = await request(email, 'Second', capped.slug);
    expect(second).toMatchObject({ appended: true, ticketId: first.ticketId });
    await sink.waitFor((m) => recipients(m).includes(email));
    const asked = await query(
      `select count(*)::int as n from outbox_events where type = 'ticket.web_request_received'
        and payload->>'entityId' = $1`,
      [first.ticketId],
    );
    expect(asked[0]!.n).toBe(1);
    expect(await outcomes(email)).toEqual({ acks: 1, skipped: [] });
  });
});
