import type { Mailbox, MailboxList, Problem, Team, Ticket, User } from '@keepdesk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, startTestServer, type TestServer, uniq } from '../../../test/harness';

let server: TestServer;
let manager: { user: User; headers: { authorization: string } };
let agent: { user: User; headers: { authorization: string } };
beforeAll(async () => {
  server = await startTestServer();
  manager = await bearerFor(server, 'manager');
  agent = await bearerFor(server, 'agent');
});
afterAll(async () => {
  await server?.close();
});

const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, who = manager) =>
  server.app.inject({ method, url: `/api/v1${url}`, headers: who.headers, payload });

describe('mailboxes', () => {
  it('are managed by admins, with German and English acknowledgements and a masked SMTP password', async () => {
    const address = `billing-${uniq()}@keepdesk.example`;
    expect((await call('POST', '/mailboxes', { address, senderName: 'Billing' }, agent)).statusCode).toBe(
      403,
    );
    const res = await call('POST', '/mailboxes', {
      address: address.toUpperCase(),
      senderName: 'Billing',
      smtpUrl: 'smtp://billing:s3cret@mail.keepdesk.example:587',
    });
    expect(res.statusCode, res.body).toBe(201);
    const mailbox = res.json<Mailbox>();
    expect(mailbox).toMatchObject({
      address,
      active: true,
      autoAcknowledge: true,
      smtpUrl: 'smtp://billing:***@mail.keepdesk.example:587',
      lastReceivedAt: null,
    });
    expect(mailbox.ackSubjectDe).toContain('{{number}}');
    expect(mailbox.ackBodyEn).toContain('{{number}}');
    expect(JSON.stringify((await call('GET', '/mailboxes')).json<MailboxList>())).not.toContain('s3cret');
    const twice = await call('POST', '/mailboxes', { address, senderName: 'Again' });
    expect(twice.statusCode).toBe(409);
    const badTeam = await call('PATCH', `/mailboxes/${mailbox.id}`, {
      teamId: '00000000-0000-4000-8000-000000000000',
    });
    expect(badTeam.json<Problem>().errors?.[0]?.field).toBe('teamId');
    const badUrl = await call('PATCH', `/mailboxes/${mailbox.id}`, { smtpUrl: 'http://nope' });
    expect(badUrl.statusCode).toBe(400);
  });

  it('route mail for their address to their team and record when mail last arrived', async () => {
    const team = (await call('POST', '/teams', { name: `Billing ${uniq()}` })).json<Team>();
    const address = `rechnung-${uniq()}@keepdesk.example`;
    const mailbox = (
      await call('POST', '/mailboxes', { address, senderName: 'Rechnung', teamId: team.id })
    ).json<Mailbox>();
    const raw = Buffer.from(
      [
        `From: <kunde-${uniq()}@example.com>`,
        `To: "Rechnungsstelle" <${address.toUpperCase()}>`,
        'Subject: Rechnung falsch',
        `Message-ID: <${uniq()}@m>`,
        '',
        'Die Rechnung ist falsch.',
        '',
      ].join('\r\n'),
    );
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/v1/channels/email/inbound',
      headers: { ...agent.headers, 'content-type': 'message/rfc822' },
      payload: raw,
    });
    expect(res.statusCode, res.body).toBe(201);
    const ticketId = res.json<{ ticketId: string }>().ticketId;
    const ticket = (await call('GET', `/tickets/${ticketId}`)).json<Ticket>();
    expect(ticket.team?.id).toBe(team.id);
    const listed = (await call('GET', '/mailboxes'))
      .json<MailboxList>()
      .items.find((m) => m.id === mailbox.id);
    expect(listed?.lastReceivedAt).not.toBeNull();
  });
});
