import type { Brand, Mailbox } from '@keepdesk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, startTestServer, type TestServer, uniq } from '../../../test/harness';
import { SYSTEM_ACTOR } from '../../platform/events';
import { AUTOMATIC_PER_HOUR } from '../email/outbound.service';
import { createBrand } from './brands.service';
import { HONEYPOT_FIELD, signFormStart } from './contact.domain';
import { contactFormSecret, submitContactRequest } from './contact.service';

// The thank-you page promises a confirmation e-mail only when one is expected (ADR 0053): a new ticket, an
// active mailbox that acknowledges, and the address under the hourly limit. A database of its own: which
// mailbox answers is installation-wide.

let server: TestServer;
let admin: { headers: { authorization: string } };
let mailbox: Mailbox;
let brand: Brand;
let ipCount = 0;
const nextIp = () => `10.53.${Math.floor(++ipCount / 250)}.${ipCount % 250}`;

beforeAll(async () => {
  server = await startTestServer({ isolated: true });
  admin = await bearerFor(server, 'admin');
  const res = await changeMailbox('POST', '/mailboxes', {
    address: `support-${uniq()}@keepdesk.example`,
    senderName: 'Keepdesk Support',
  });
  expect(res.statusCode, res.body).toBe(201);
  mailbox = res.json<Mailbox>();
  brand = await makeBrand(20);
});
afterAll(async () => {
  await server?.close();
});

function changeMailbox(method: 'POST' | 'PATCH', url: string, payload: object) {
  return server.app.inject({ method, url: `/api/v1${url}`, headers: admin.headers, payload });
}

/** Runs `work` with the mailbox changed, and changes it back. */
async function withMailbox(
  change: { autoAcknowledge?: boolean; active?: boolean },
  work: () => Promise<void>,
) {
  const changed = await changeMailbox('PATCH', `/mailboxes/${mailbox.id}`, change);
  expect(changed.statusCode, changed.body).toBe(200);
  try {
    await work();
  } finally {
    await changeMailbox('PATCH', `/mailboxes/${mailbox.id}`, { autoAcknowledge: true, active: true });
  }
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

/** The contact form as a browser posts it (multipart, started 10 s ago); the thank-you page is the answer. */
async function postContactForm(
  email: string,
  options: { language?: 'de' | 'en'; brandSlug?: string; honeypot?: string } = {},
) {
  const started = signFormStart(await contactFormSecret(server.deps), Date.now() - 10_000);
  const boundary = `----kd${uniq()}`;
  const fields = {
    started,
    name: 'Robin',
    email,
    subject: `Question ${uniq()}`,
    message: 'Hello',
    [HONEYPOT_FIELD]: options.honeypot ?? '',
  };
  const payload = `${Object.entries(fields)
    .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
    .join('')}--${boundary}--\r\n`;
  const res = await server.app.inject({
    method: 'POST',
    url: `/hc/${options.brandSlug ?? brand.slug}/${options.language ?? 'en'}/contact`,
    payload,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    remoteAddress: nextIp(),
  });
  expect(res.statusCode, res.body).toBe(200);
  if (!options.honeypot) expect(res.body).toContain('/portal/login?lang=');
  expect(res.body).not.toMatch(/<script/i);
  return res.body;
}

const promised = (email: string) => `A confirmation is on its way to ${email}, and we will answer you there.`;
const notPromised = (email: string) => `We will answer by e-mail to ${email}.`;

describe('thank-you page of the contact form', () => {
  it('promises a confirmation for a new ticket when the mailbox acknowledges, with the address escaped', async () => {
    const email = `o'hara-${uniq()}@example.com`;
    const page = await postContactForm(email);
    expect(page).toContain(promised(email.replace("'", '&#39;')));
    expect(page).not.toContain('We will answer by e-mail');

    const german = `anna-${uniq()}@example.com`;
    expect(await postContactForm(german, { language: 'de' })).toContain(
      `Eine Bestätigung ist per E-Mail an ${german} unterwegs, und dort antworten wir Ihnen auch.`,
    );
  });

  it('promises no confirmation when the mailbox sends no acknowledgements or none is active', async () => {
    await withMailbox({ autoAcknowledge: false }, async () => {
      const email = `quiet-${uniq()}@example.com`;
      const page = await postContactForm(email);
      expect(page).toContain(notPromised(email));
      expect(page).not.toContain('confirmation');
    });
    await withMailbox({ active: false }, async () => {
      const email = `lonely-${uniq()}@example.com`;
      const page = await postContactForm(email, { language: 'de' });
      expect(page).toContain(`Wir antworten Ihnen per E-Mail an ${email}.`);
      expect(page).not.toContain('Bestätigung');
    });
  });

  it('promises no confirmation when the request joins the latest ticket beyond the daily cap', async () => {
    const capped = await makeBrand(1);
    const email = `twice-${uniq()}@example.com`;
    expect(await postContactForm(email, { brandSlug: capped.slug })).toContain(promised(email));
    const second = await postContactForm(email, { brandSlug: capped.slug });
    expect(second).toContain(notPromised(email));
    expect(second).not.toContain('confirmation');
  });

  it('promises no confirmation to a post taken for spam, which creates nothing', async () => {
    const email = `bot-${uniq()}@example.com`;
    const page = await postContactForm(email, { honeypot: 'http://spam.example' });
    expect(page).toContain(notPromised(email));
    expect(page).not.toContain('confirmation');
  });

  it('promises no confirmation once the address got its hourly share of automatic mail', async () => {
    const email = `busy-${uniq()}@example.com`;
    const earlier = await Promise.all(
      Array.from({ length: AUTOMATIC_PER_HOUR }, (_, i) =>
        submitContactRequest(server.deps, {
          brandSlug: brand.slug,
          language: 'en',
          name: 'Busy',
          email,
          subject: `Earlier ${i}`,
          message: 'Hello',
          files: [],
          ip: nextIp(),
          source: 'helpcenter',
        }),
      ),
    );
    expect(earlier.map((r) => r.acknowledgementExpected)).toEqual(Array(AUTOMATIC_PER_HOUR).fill(true));
    // The acknowledgements are queued by a job after the commit: wait for them.
    const started = Date.now();
    while ((await acknowledgementsTo(email)) < AUTOMATIC_PER_HOUR && Date.now() - started < 20_000) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(await acknowledgementsTo(email)).toBe(AUTOMATIC_PER_HOUR);
    const page = await postContactForm(email);
    expect(page).toContain(notPromised(email));
    expect(page).not.toContain('confirmation');
  });
});

async function acknowledgementsTo(email: string): Promise<number> {
  const { rows } = await server.deps.database.query(
    `select count(*)::int as n from outbound_emails where kind = 'acknowledgement' and $1 = any(to_addresses)`,
    [email],
  );
  return Number(rows[0]?.n ?? 0);
}
