import type {
  Call,
  Callback,
  CallbackList,
  Contact,
  CreatedTicket,
  MessageList,
  NotificationPage,
  Problem,
  Ticket,
  User,
} from '@keepdesk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, startTestServer, type TestServer, uniq } from '../../../test/harness';
import { openSse } from '../../../test/sse';

let server: TestServer;
let url: string;
let pbx: { user: User; headers: { authorization: string } };
let agent: { user: User; headers: { authorization: string } };
let colleague: { user: User; headers: { authorization: string } };
beforeAll(async () => {
  server = await startTestServer();
  url = await server.listen();
  pbx = await bearerFor(server, 'admin');
  agent = await bearerFor(server, 'agent');
  colleague = await bearerFor(server, 'agent');
});
afterAll(async () => {
  await server?.close();
});

type Who = { headers: { authorization: string } };
const call = (method: 'GET' | 'POST' | 'PATCH', path: string, payload?: object, who: Who = pbx) =>
  server.app.inject({ method, url: `/api/v1${path}`, headers: who.headers, payload });

/** A random German number in the ways people write them: +49 30 …, with spaces. */
const number = () => `+49 30 ${Math.floor(1_000_000 + Math.random() * 8_999_999)}`;
const digits = (phone: string) => phone.replace(/\s/g, '');

describe('phone', () => {
  it('looks the caller up, pops the customer to the agent who answers, and logs the call on the chosen ticket', async () => {
    const phone = number();
    const contact = (
      await call('POST', '/contacts', { name: 'Erika Muster', phones: [phone], language: 'de' })
    ).json<Contact>();
    const open = (
      await call('POST', '/tickets', {
        subject: `Rechnung ${uniq()}`,
        requester: { id: contact.id },
        message: { body: 'Frage zur Rechnung' },
      })
    ).json<CreatedTicket>();
    const agentStream = await openSse(`${url}/api/v1/live`, agent.headers);
    const colleagueStream = await openSse(`${url}/api/v1/live`, colleague.headers);
    const callId = `pbx-${uniq()}`;
    const base = { callId, direction: 'inbound', from: phone, to: '+49 30 5555' };

    const ringing = await call('POST', '/channels/phone/events', { ...base, event: 'ringing' });
    expect(ringing.statusCode, ringing.body).toBe(200);
    expect(ringing.json<Call>()).toMatchObject({
      status: 'ringing',
      customerNumber: digits(phone),
      contact: { id: contact.id, name: 'Erika Muster' },
      openTickets: [expect.objectContaining({ id: open.id, number: open.number })],
    });

    const answered = await call('POST', '/channels/phone/events', {
      ...base,
      event: 'answered',
      agent: agent.user.email.toUpperCase(),
    });
    const callView = answered.json<Call>();
    expect(callView).toMatchObject({ status: 'answered', agent: { id: agent.user.id } });
    expect(await agentStream.waitFor((e) => e.event === 'call')).toEqual({
      type: 'call',
      userId: agent.user.id,
      callId: callView.id,
    });
    // The pop-up loads the call; the agent says which ticket it is about.
    const chosen = await call('PATCH', `/calls/${callView.id}`, { ticketId: open.id }, agent);
    expect(chosen.json<Call>().ticketId).toBe(open.id);

    const ended = await call('POST', '/channels/phone/events', {
      ...base,
      event: 'ended',
      durationSeconds: 245,
      recordingUrl: 'https://pbx.example.com/recordings/1.mp3',
      notes: 'Gutschrift zugesagt',
    });
    expect(ended.json<Call>()).toMatchObject({ status: 'ended', ticketId: open.id, durationSeconds: 245 });
    // The telephony system retries its webhook: nothing is logged twice, nothing goes back.
    await call('POST', '/channels/phone/events', { ...base, event: 'ended', durationSeconds: 245 });
    await call('POST', '/channels/phone/events', { ...base, event: 'answered', agent: agent.user.id });
    const messages = (await call('GET', `/tickets/${open.id}/messages`)).json<MessageList>().items;
    const logged = messages.filter((m) => m.channel === 'phone');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      visibility: 'internal',
      authorKind: 'agent',
      author: { id: agent.user.id },
    });
    expect(logged[0]!.bodyText).toContain('Dauer: 4:05');
    expect(logged[0]!.bodyHtml).toContain('href="https://pbx.example.com/recordings/1.mp3"');
    expect(logged[0]!.bodyText).toContain('Gutschrift zugesagt');
    expect((await call('GET', `/calls/${callView.id}`)).json<Call>().status).toBe('ended');
    expect(colleagueStream.events.some((e) => e.event === 'call')).toBe(false);
    await agentStream.close();
    await colleagueStream.close();
  });

  it('opens a ticket and a callback for a missed call from an unknown number', async () => {
    const phone = number();
    const missed = await call('POST', '/channels/phone/events', {
      event: 'ended',
      callId: `pbx-${uniq()}`,
      from: phone,
      to: '+49 30 5555',
    });
    const view = missed.json<Call>();
    expect(view.status).toBe('missed');
    const ticket = (await call('GET', `/tickets/${view.ticketId}`)).json<Ticket>();
    expect(ticket).toMatchObject({ channel: 'phone', subject: `Verpasster Anruf von ${digits(phone)}` });
    expect(ticket.tags).toContain('missed-call');
    const callbacks = (await call('GET', `/callbacks?ticketId=${ticket.id}`)).json<CallbackList>().items;
    expect(callbacks).toEqual([
      expect.objectContaining({
        phone: digits(phone),
        status: 'open',
        ticket: expect.objectContaining({ id: ticket.id }),
      }),
    ]);
    const contact = (await call('GET', `/contacts/${ticket.requester.id}`)).json<Contact>();
    expect(contact.phones).toEqual([digits(phone)]);
  });

  it('logs a call by hand and reminds the assignee when a callback is due', async () => {
    const ticket = (
      await call('POST', '/tickets', {
        subject: `Rückruf ${uniq()}`,
        requester: { email: `rueckruf-${uniq()}@example.com` },
        message: {
          body: 'Guten Tag, bitte rufen Sie mich morgen an, ich habe eine Frage zu meiner Rechnung.',
        },
      })
    ).json<CreatedTicket>();
    expect(ticket.language).toBe('de');
    const logged = await call(
      'POST',
      `/tickets/${ticket.id}/calls`,
      { direction: 'outbound', number: '030 1234567', durationSeconds: 65, notes: 'Nicht erreicht' },
      agent,
    );
    expect(logged.statusCode, logged.body).toBe(201);
    const messages = (await call('GET', `/tickets/${ticket.id}/messages`)).json<MessageList>().items;
    // In the ticket's language (German, from the customer's words).
    expect(messages.at(-1)!.bodyText).toContain('Ausgehender Anruf');
    expect(messages.at(-1)!.bodyText).toContain('Dauer: 1:05');

    const due = new Date(Date.now() + 1000).toISOString();
    const created = await call(
      'POST',
      `/tickets/${ticket.id}/callbacks`,
      { phone: '030 1234567', dueAt: due, note: 'Nach 14 Uhr', assigneeId: agent.user.id },
      agent,
    );
    expect(created.statusCode, created.body).toBe(201);
    const callback = created.json<Callback>();
    const mine = (await call('GET', '/callbacks?assignee=me', undefined, agent)).json<CallbackList>().items;
    expect(mine.map((c) => c.id)).toContain(callback.id);

    let reminded = false;
    const started = Date.now();
    while (!reminded && Date.now() - started < 20_000) {
      const page = (await call('GET', '/notifications', undefined, agent)).json<NotificationPage>();
      reminded = page.items.some((n) => n.kind === 'callback_due' && n.ticket?.id === ticket.id);
      if (!reminded) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(reminded).toBe(true);
    const done = await call('PATCH', `/callbacks/${callback.id}`, { status: 'done' }, agent);
    expect(done.json<Callback>()).toMatchObject({ status: 'done', overdue: false });
  }, 30_000);

  it('answers bad webhook bodies with the field that is wrong', async () => {
    const bad = await call('POST', '/channels/phone/events', {
      event: 'ringing',
      callId: 'x',
      from: 'abc',
      to: '1',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<Problem>().errors?.map((e) => e.field)).toEqual(expect.arrayContaining(['from', 'to']));
    const nobody = await call('POST', '/channels/phone/events', {
      event: 'answered',
      callId: `pbx-${uniq()}`,
      from: number(),
      to: '+49 30 5555',
      agent: 'nobody@example.com',
    });
    expect(nobody.json<Problem>().errors?.[0]?.field).toBe('agent');
    const reader = await bearerFor(server, 'collaborator');
    const forbidden = await call(
      'POST',
      '/channels/phone/events',
      { event: 'ringing', callId: 'y', from: number(), to: '+49 30 5555' },
      reader,
    );
    expect(forbidden.statusCode).toBe(403);
  });
});
