import type { AttachmentList, MessageList, Ticket, User } from '@keepdesk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, startTestServer, type TestServer, uniq } from '../../../test/harness';

type Result = {
  id: string;
  outcome: string;
  duplicate: boolean;
  ticketId: string | null;
  ticketMessageId: string | null;
  problem: string | null;
};

let server: TestServer;
let agent: { user: User; headers: { authorization: string } };
beforeAll(async () => {
  server = await startTestServer();
  agent = await bearerFor(server, 'agent');
});
afterAll(async () => {
  await server?.close();
});

/** A raw message with CRLF line ends, as it travels. */
const eml = (lines: string[]) => Buffer.from(`${lines.join('\r\n')}\r\n`, 'latin1');

function inbound(raw: Buffer, contentType = 'message/rfc822') {
  return server.app.inject({
    method: 'POST',
    url: '/api/v1/channels/email/inbound',
    headers: { ...agent.headers, 'content-type': contentType },
    payload: raw,
  });
}

const get = <T>(url: string) =>
  server.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: agent.headers }).then((r) => r.json<T>());

function simple(options: { id?: string; from: string; subject: string; body: string; extra?: string[] }) {
  return eml([
    `From: Kundin <${options.from}>`,
    'To: support@keepdesk.example',
    `Subject: ${options.subject}`,
    ...(options.id ? [`Message-ID: <${options.id}>`] : []),
    'Date: Tue, 01 Dec 2026 10:00:00 +0100',
    'MIME-Version: 1.0',
    ...(options.extra ?? []),
    'Content-Type: text/plain; charset=utf-8',
    '',
    options.body,
  ]);
}

describe('inbound e-mail', () => {
  it('opens a ticket with the sender as requester, its attachment and the raw message kept', async () => {
    const from = `erika-${uniq()}@example.com`;
    const raw = eml([
      `From: "Erika Muster" <${from}>`,
      'To: support@keepdesk.example',
      'Subject: =?UTF-8?Q?Lieferung_nicht_angekommen_=E2=80=93_Gr=C3=BC=C3=9Fe?=',
      `Message-ID: <${uniq()}@mail.example>`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=iso-8859-1',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'Guten Tag, mein Paket ist nicht angekommen. Gr=FC=DFe, Erika',
      '--b1',
      'Content-Type: application/octet-stream; name="beleg.pdf"',
      'Content-Disposition: attachment; filename="beleg.pdf"',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('%PDF-1.4\n% keepdesk test\n').toString('base64'),
      '--b1--',
    ]);
    const res = await inbound(raw);
    expect(res.statusCode, res.body).toBe(201);
    const result = res.json<Result>();
    expect(result).toMatchObject({ outcome: 'ticket', duplicate: false, problem: null });
    const ticket = await get<Ticket>(`/tickets/${result.ticketId}`);
    expect(ticket.subject).toBe('Lieferung nicht angekommen – Grüße');
    expect(ticket.channel).toBe('email');
    expect(ticket.requester).toMatchObject({ name: 'Erika Muster', email: from });
    const messages = await get<MessageList>(`/tickets/${ticket.id}/messages`);
    expect(messages.items[0]?.bodyText).toContain('Grüße, Erika');
    expect(messages.items[0]?.attachments).toMatchObject([
      { fileName: 'beleg.pdf', contentType: 'application/pdf' },
    ]);
    const stored = await server.app.inject({
      method: 'GET',
      url: `/api/v1/channels/email/inbound/${result.id}/raw`,
      headers: agent.headers,
    });
    expect(stored.rawPayload.equals(raw)).toBe(true);
  });

  it('recognises a message delivered twice, by Message-ID or, without one, by its bytes', async () => {
    const raw = simple({
      id: `${uniq()}@mail.example`,
      from: `twice-${uniq()}@example.com`,
      subject: 'Twice',
      body: 'Hi',
    });
    const first = (await inbound(raw)).json<Result>();
    const again = await inbound(raw);
    expect(again.statusCode).toBe(200);
    expect(again.json<Result>()).toMatchObject({ duplicate: true, ticketId: first.ticketId, id: first.id });

    const noId = simple({ from: `noid-${uniq()}@example.com`, subject: 'No id', body: `Body ${uniq()}` });
    const a = (await inbound(noId)).json<Result>();
    const b = (await inbound(noId)).json<Result>();
    expect(b).toMatchObject({ duplicate: true, ticketId: a.ticketId });
  });

  it('finishes a message a crash interrupted after its ticket was written, without a second ticket', async () => {
    const from = `crash-${uniq()}@example.com`;
    const raw = simple({ id: `${uniq()}@mail.example`, from, subject: 'Interrupted', body: 'Hallo' });
    const first = (await inbound(raw)).json<Result>();
    // What a process killed between writing the ticket and recording it leaves behind.
    await server.deps.database.query(
      `update inbound_emails set outcome = 'received', ticket_id = null, ticket_message_id = null where id = $1`,
      [first.id],
    );
    const again = await inbound(raw);
    expect(again.statusCode).toBe(201);
    expect(again.json<Result>()).toMatchObject({
      id: first.id,
      outcome: 'ticket',
      ticketId: first.ticketId,
      ticketMessageId: first.ticketMessageId,
    });
    const { rows } = await server.deps.database.query(
      `select count(*)::int as n from tickets t join contact_identities ci on ci.contact_id = t.requester_id
        where ci.value = $1`,
      [from],
    );
    expect(rows[0]!.n).toBe(1);
  });

  it('threads a reply by In-Reply-To or References, reopening a solved ticket', async () => {
    const from = `thread-${uniq()}@example.com`;
    const firstId = `${uniq()}@mail.example`;
    const first = (
      await inbound(simple({ id: firstId, from, subject: 'Rechnung', body: 'Frage' }))
    ).json<Result>();
    await server.app.inject({
      method: 'PATCH',
      url: `/api/v1/tickets/${first.ticketId}`,
      headers: agent.headers,
      payload: { status: 'solved' },
    });
    const reply = simple({
      id: `${uniq()}@mail.example`,
      from,
      subject: 'AW: Rechnung',
      body: 'Doch noch eine Frage',
      extra: [`In-Reply-To: <${firstId}>`, `References: <${firstId}>`],
    });
    const res = (await inbound(reply)).json<Result>();
    expect(res).toMatchObject({ outcome: 'reply', ticketId: first.ticketId });
    expect((await get<Ticket>(`/tickets/${first.ticketId}`)).statusCategory).toBe('open');

    // A broken In-Reply-To, but the thread is still in References.
    const later = simple({
      id: `${uniq()}@mail.example`,
      from,
      subject: 'Re: Rechnung',
      body: 'Und noch etwas',
      extra: ['In-Reply-To: <unknown@elsewhere>', `References: <${firstId}> <unknown@elsewhere>`],
    });
    expect((await inbound(later)).json<Result>().ticketId).toBe(first.ticketId);
  });

  it('threads by [#number] only for the ticket’s own requester', async () => {
    const from = `number-${uniq()}@example.com`;
    const first = (
      await inbound(simple({ id: `${uniq()}@m`, from, subject: 'Passwort', body: 'Hilfe' }))
    ).json<Result>();
    const ticket = await get<Ticket>(`/tickets/${first.ticketId}`);
    const mine = simple({
      id: `${uniq()}@m`,
      from,
      subject: `Re: [#${ticket.number}] Passwort`,
      body: 'Geht wieder',
    });
    expect((await inbound(mine)).json<Result>()).toMatchObject({ outcome: 'reply', ticketId: ticket.id });
    const stranger = simple({
      id: `${uniq()}@m`,
      from: `stranger-${uniq()}@example.com`,
      subject: `Re: [#${ticket.number}] Passwort`,
      body: 'Ich auch',
    });
    const other = (await inbound(stranger)).json<Result>();
    expect(other.outcome).toBe('ticket');
    expect(other.ticketId).not.toBe(ticket.id);
  });

  it('shows inline (cid) images in the body, from attachments of their own', async () => {
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
      'base64',
    );
    const raw = eml([
      `From: <inline-${uniq()}@example.com>`,
      'To: support@keepdesk.example',
      'Subject: Screenshot',
      `Message-ID: <${uniq()}@m>`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/related; boundary="rel"',
      '',
      '--rel',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<p>So sieht der Fehler aus:</p><p><img src="cid:shot@client" alt="Fehler"></p>',
      '--rel',
      'Content-Type: image/png; name="shot.png"',
      'Content-ID: <shot@client>',
      'Content-Disposition: inline; filename="shot.png"',
      'Content-Transfer-Encoding: base64',
      '',
      png.toString('base64'),
      '--rel--',
    ]);
    const result = (await inbound(raw)).json<Result>();
    const [message] = (await get<MessageList>(`/tickets/${result.ticketId}/messages`)).items;
    const image = message!.attachments.find((a) => a.fileName === 'shot.png')!;
    expect(message!.bodyHtml).toContain(`<img src="${image.url}" alt="Fehler" />`);
    const served = await server.app.inject({ method: 'GET', url: image.url, headers: agent.headers });
    expect(served.statusCode).toBe(200);
    expect(served.rawPayload.equals(png)).toBe(true);
  });

  it('keeps a message without a sender, with the reason, and turns broken MIME into what could be read', async () => {
    const orphan = eml([
      'To: support@keepdesk.example',
      'Subject: Ohne Absender',
      `Message-ID: <${uniq()}@m>`,
      '',
      'Hallo?',
    ]);
    const kept = await inbound(orphan);
    expect(kept.statusCode).toBe(201);
    expect(kept.json<Result>()).toMatchObject({
      outcome: 'quarantined',
      ticketId: null,
      problem: 'no sender address',
    });

    const broken = eml([
      `From: <broken-${uniq()}@example.com>`,
      'Subject: Kaputt',
      `Message-ID: <${uniq()}@m>`,
      'Content-Type: multipart/mixed; boundary="never-closed"',
      '',
      '--never-closed',
      'Content-Type: text/plain',
      '',
      'Lesbarer Anfang',
      '--never-closed',
      'Content-Type: application/octet-stream; name="x.bin"',
      'Content-Transfer-Encoding: base64',
      '',
      '!!!not base64 at all###',
    ]);
    const res = await inbound(broken);
    expect(res.statusCode, res.body).toBe(201);
    const result = res.json<Result>();
    expect(result.outcome).toBe('ticket');
    const messages = await get<MessageList>(`/tickets/${result.ticketId}/messages`);
    expect(messages.items[0]?.bodyText).toContain('Lesbarer Anfang');
  });

  it('answers a body that is no message with a clear problem', async () => {
    expect((await inbound(Buffer.from('x'), 'application/json')).statusCode).toBe(400);
    const empty = await server.app.inject({
      method: 'POST',
      url: '/api/v1/channels/email/inbound',
      headers: { ...agent.headers, 'content-type': 'message/rfc822' },
    });
    expect(empty.statusCode).toBe(400);
    expect(
      (await get<AttachmentList>(
        '/channels/email/inbound/00000000-0000-4000-8000-000000000000/raw',
      )) as unknown,
    ).toMatchObject({ status: 404 });
  });
});
