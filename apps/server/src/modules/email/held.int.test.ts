import type { EmailBlock, HeldEmailList, Mailbox, Problem, Ticket, User } from '@keepdesk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, startTestServer, type TestServer, uniq } from '../../../test/harness';

type Result = { id: string; outcome: string; ticketId: string | null; problem: string | null };

let server: TestServer;
let admin: { user: User; headers: { authorization: string } };
let agent: { user: User; headers: { authorization: string } };
beforeAll(async () => {
  server = await startTestServer();
  admin = await bearerFor(server, 'admin');
  agent = await bearerFor(server, 'agent');
});
afterAll(async () => {
  await server?.close();
});

const call = (method: 'GET' | 'POST' | 'DELETE' | 'PATCH', url: string, payload?: object, who = admin) =>
  server.app.inject({ method, url: `/api/v1${url}`, headers: who.headers, payload });

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

const mail = (from: string, subject: string, extra: string[] = []) => [
  `From: <${from}>`,
  'To: support@keepdesk.example',
  `Subject: ${subject}`,
  `Message-ID: <${uniq()}@sender.example>`,
  ...extra,
  '',
  'Hallo',
];

describe('held mail', () => {
  it('keeps spam out of the queue, in a spam view, until an admin releases it', async () => {
    const subject = `Gewinnspiel ${uniq()}`;
    const spam = await inbound(mail(`promo-${uniq()}@example.com`, subject, ['X-Spam-Flag: YES']));
    expect(spam).toMatchObject({ outcome: 'spam', ticketId: null });
    const view = (await call('GET', '/channels/email/held?kind=spam')).json<HeldEmailList>();
    const held = view.items.find((item) => item.id === spam.id)!;
    expect(held).toMatchObject({ kind: 'spam', subject });
    expect(held.problem).toMatch(/spam/);
    expect((await call('GET', '/channels/email/held', undefined, agent)).statusCode).toBe(403);
    const raw = await call('GET', held.rawUrl.replace('/api/v1', ''));
    expect(raw.body).toContain('X-Spam-Flag: YES');

    const released = await call('POST', `/channels/email/inbound/${spam.id}/release`);
    expect(released.statusCode, released.body).toBe(200);
    const result = released.json<Result>();
    expect(result.outcome).toBe('ticket');
    expect((await call('GET', `/tickets/${result.ticketId}`)).json<Ticket>().subject).toBe(subject);
    const after = (await call('GET', '/channels/email/held?kind=spam')).json<HeldEmailList>();
    expect(after.items.some((item) => item.id === spam.id)).toBe(false);
    expect((await call('POST', `/channels/email/inbound/${spam.id}/release`)).statusCode).toBe(409);
  });

  it('holds mail from blocked addresses and domains, with the reason', async () => {
    const domain = `bad-${uniq()}.example`;
    const created = await call('POST', '/email-blocks', {
      pattern: `@${domain.toUpperCase()}`,
      reason: 'Spam',
    });
    expect(created.statusCode, created.body).toBe(201);
    const block = created.json<EmailBlock>();
    expect(block.pattern).toBe(`@${domain}`);
    expect((await call('POST', '/email-blocks', { pattern: `@${domain}` })).statusCode).toBe(409);
    const bad = await call('POST', '/email-blocks', { pattern: 'not a pattern' });
    expect(bad.json<Problem>().errors?.[0]?.field).toBe('pattern');
    expect((await call('POST', '/email-blocks', { pattern: 'x.example' }, agent)).statusCode).toBe(403);

    const blocked = await inbound(mail(`someone@mail.${domain}`, 'Angebot'));
    expect(blocked).toMatchObject({ outcome: 'blocked', ticketId: null });
    expect(blocked.problem).toContain(`@${domain}`);
    const view = (await call('GET', '/channels/email/held?kind=blocked')).json<HeldEmailList>();
    expect(view.items.some((item) => item.id === blocked.id)).toBe(true);

    expect((await call('DELETE', `/email-blocks/${block.id}`)).statusCode).toBe(204);
    const welcome = await inbound(mail(`someone@mail.${domain}`, 'Zweiter Versuch'));
    expect(welcome.outcome).toBe('ticket');
  });

  it('lists unreadable mail and bounces for unknown messages as quarantined and bounce', async () => {
    const orphan = await inbound(['To: support@keepdesk.example', `Subject: Ohne ${uniq()}`, '', 'x']);
    const bounce = await inbound([
      'From: <MAILER-DAEMON@mx.example.com>',
      'To: support@keepdesk.example',
      `Subject: Undeliverable ${uniq()}`,
      `Message-ID: <${uniq()}@mx>`,
      '',
      'Message-ID: <never-sent-by-us@elsewhere>',
    ]);
    expect(bounce).toMatchObject({ outcome: 'bounce', ticketId: null });
    const all = (await call('GET', '/channels/email/held')).json<HeldEmailList>();
    const kinds = new Map(all.items.map((item) => [item.id, item.kind]));
    expect(kinds.get(orphan.id)).toBe('quarantined');
    expect(kinds.get(bounce.id)).toBe('bounce');
  });

  it('opens a new ticket for a reply to a solved ticket when the mailbox says so', async () => {
    const address = `done-${uniq()}@keepdesk.example`;
    const box = await call('POST', '/mailboxes', { address, senderName: 'Done', reopenSolved: false });
    expect(box.json<Mailbox>().reopenSolved).toBe(false);
    const from = `solved-${uniq()}@example.com`;
    const firstId = `${uniq()}@sender.example`;
    const lines = (subject: string, extra: string[] = [], id = `${uniq()}@sender.example`) => [
      `From: <${from}>`,
      `To: ${address}`,
      `Subject: ${subject}`,
      `Message-ID: <${id}>`,
      ...extra,
      '',
      'Hallo',
    ];
    const first = await inbound(lines('Frage', [], firstId));
    await call('PATCH', `/tickets/${first.ticketId}`, { status: 'solved' });
    const answer = await inbound(lines('Re: Frage', [`In-Reply-To: <${firstId}>`]));
    expect(answer.outcome).toBe('ticket');
    expect(answer.ticketId).not.toBe(first.ticketId);
    expect((await call('GET', `/tickets/${first.ticketId}`)).json<Ticket>().status).toBe('solved');
  });
});
