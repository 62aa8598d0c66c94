import type { PortalMe, PortalTicket } from '@keepdesk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, startTestServer, type TestServer, uniq } from '../../../test/harness';
import { type SmtpSink, startSmtpSink } from '../../../test/smtp';
import { makeTicket, portalSignIn } from './portal.fixture';

const IP_LIMIT = 8;
let smtp: SmtpSink;
let server: TestServer;
let agent: Record<string, string>;
beforeAll(async () => {
  smtp = await startSmtpSink();
  // A database of its own: the e-mail job must run in this server, which talks to this SMTP sink.
  server = await startTestServer({
    isolated: true,
    config: { mailTransport: 'smtp', smtpUrl: smtp.url, authRateLimitPerMinute: IP_LIMIT },
  });
  agent = (await bearerFor(server, 'agent')).headers;
});
afterAll(async () => {
  await server?.close();
  await smtp?.close();
});

let ipCounter = 0;
/** Each test asks from an address of its own, so the per-IP limit counts only what the test means it to. */
const nextIp = () => `10.0.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;

function askForLink(email: string, options: { ip?: string; lang?: string } = {}) {
  return server.app.inject({
    method: 'POST',
    url: '/portal/login',
    remoteAddress: options.ip ?? nextIp(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ email, lang: options.lang ?? 'en' }).toString(),
  });
}

const mailTo = (email: string) => smtp.waitFor((m) => JSON.stringify(m.to ?? '').includes(email));
const tokenIn = (text: string | undefined) =>
  decodeURIComponent(/\/portal\/auth\?token=([\w%-]+)/.exec(text ?? '')?.[1] ?? '');
const open = (token: string) =>
  server.app.inject({ method: 'GET', url: `/portal/auth?token=${encodeURIComponent(token)}` });

describe('portal sign-in links', () => {
  it('mails a single-use link in the chosen language that signs the customer in once', async () => {
    const email = `linked-${uniq()}@example.com`;
    await makeTicket(server, agent, email);
    const asked = await askForLink(email, { lang: 'de' });
    expect(asked.statusCode).toBe(200);
    expect(asked.body).toContain('ist ein Link unterwegs');

    const mail = await mailTo(email);
    expect(mail.subject).toBe('Ihr Anmeldelink für Ihre Anfragen');
    const token = tokenIn(mail.text);
    expect(token).toMatch(/^kdpl_/);
    expect(mail.text).toContain(`${server.deps.config.baseUrl}/portal/auth?token=`);

    const first = await open(token);
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe('/portal');
    const cookie = first.cookies.find((c) => c.name === 'kd_portal')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    const me = await server.app.inject({
      method: 'GET',
      url: '/api/v1/portal/me',
      headers: { cookie: `kd_portal=${cookie.value}` },
    });
    expect(me.json<PortalMe>().contact.email).toBe(email);

    const reused = await open(token);
    expect(reused.statusCode).toBe(410);
    expect(reused.cookies.find((c) => c.name === 'kd_portal')).toBeUndefined();
    expect(reused.body).toContain('This link has expired or was already used');
    expect(reused.body).toContain('action="/portal/login"');
    // Only the hash is stored, never the secret itself.
    const { rows } = await server.deps.database.query('select token_hash from portal_links');
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it('refuses an expired link with the friendly page and the form for a new one', async () => {
    const email = `expired-${uniq()}@example.com`;
    await makeTicket(server, agent, email);
    await askForLink(email);
    const token = tokenIn((await mailTo(email)).text);
    await server.deps.database.query(
      `update portal_links set expires_at = now() - interval '1 second' where used_at is null and contact_id in
         (select contact_id from contact_identities where value = $1)`,
      [email],
    );
    const res = await server.app.inject({
      method: 'GET',
      url: `/portal/auth?token=${encodeURIComponent(token)}`,
      headers: { 'accept-language': 'de-DE,de;q=0.9' },
    });
    expect(res.statusCode).toBe(410);
    expect(res.body).toContain('Dieser Link ist abgelaufen oder wurde schon benutzt');
    expect(res.body).toContain('<form method="post" action="/portal/login">');
    expect((await open('kdpl_not-a-real-token')).statusCode).toBe(410);
  });

  it('answers an unknown address exactly like a known one and sends nothing', async () => {
    const known = `known-${uniq()}@example.com`;
    await makeTicket(server, agent, known);
    const before = smtp.messages.length;
    const unknown = await askForLink(`nobody-${uniq()}@example.com`);
    const knownAnswer = await askForLink(known);
    expect(unknown.statusCode).toBe(knownAnswer.statusCode);
    expect(unknown.body).toBe(knownAnswer.body);
    await mailTo(known);
    await server.deps.outbox.kick();
    expect(smtp.messages.length).toBe(before + 1);
  });

  it('sends at most five links per address in a quarter hour and answers the same beyond', async () => {
    const email = `flood-${uniq()}@example.com`;
    await makeTicket(server, agent, email);
    const answers: Awaited<ReturnType<typeof askForLink>>[] = [];
    for (let i = 0; i < 7; i++) answers.push(await askForLink(email));
    expect(answers.every((a) => a.statusCode === 200 && a.body === answers[0]!.body)).toBe(true);
    await server.deps.outbox.kick();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await server.deps.outbox.kick();
    const sent = smtp.messages.filter((m) => JSON.stringify(m.to ?? '').includes(email));
    expect(sent).toHaveLength(5);
    // Each new link replaces the earlier ones: exactly one of them (the newest) signs in.
    const codes: number[] = [];
    for (const mail of sent) codes.push((await open(tokenIn(mail.text))).statusCode);
    expect(codes.sort()).toEqual([303, 410, 410, 410, 410]);
  });

  it('slows one client down after the per-IP limit', async () => {
    const ip = nextIp();
    const codes: number[] = [];
    for (let i = 0; i < IP_LIMIT + 2; i++)
      codes.push((await askForLink(`ip-${uniq()}@example.com`, { ip })).statusCode);
    expect(codes.slice(0, IP_LIMIT).every((c) => c === 200)).toBe(true);
    expect(codes.slice(IP_LIMIT)).toEqual([429, 429]);
  });

  // In this file because it needs a database of its own: a field required to solve would trip other files' tests.
  it('lets the customer mark a ticket solved although a field is required to solve for agents', async () => {
    const admin = (await bearerFor(server, 'admin')).headers;
    const field = await server.app.inject({
      method: 'POST',
      url: '/api/v1/ticket-fields',
      headers: admin,
      payload: {
        key: `cause_${uniq()}`,
        type: 'text',
        labelEn: 'Cause',
        labelDe: 'Ursache',
        requiredOnSolve: true,
      },
    });
    expect(field.statusCode).toBe(201);
    const ticket = await makeTicket(server, agent, `solver-${uniq()}@example.com`);
    const byAgent = await server.app.inject({
      method: 'PATCH',
      url: `/api/v1/tickets/${ticket.id}`,
      headers: agent,
      payload: { status: 'solved' },
    });
    expect(byAgent.statusCode).toBe(400);
    const customer = await portalSignIn(server, ticket.requester.id);
    const closed = await server.app.inject({
      method: 'POST',
      url: `/api/v1/portal/tickets/${ticket.id}/close`,
      headers: customer,
    });
    expect(closed.statusCode).toBe(200);
    expect(closed.json<PortalTicket>()).toMatchObject({ status: 'solved', canClose: false, canReply: true });
  });

  it('renders the sign-in page in German or English', async () => {
    const de = await server.app.inject({
      method: 'GET',
      url: '/portal/login',
      headers: { 'accept-language': 'de' },
    });
    expect(de.body).toContain('<html lang="de">');
    expect(de.body).toContain('E-Mail-Adresse');
    const en = await server.app.inject({
      method: 'GET',
      url: '/portal/login?lang=en',
      headers: { 'accept-language': 'de' },
    });
    expect(en.body).toContain('<html lang="en">');
    expect(en.body).toContain('Send me a link');
  });
});
