import type { Contact, Organization, Ticket } from '@keepdesk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, startTestServer, type TestServer, uniq } from '../../../test/harness';
import { supportSignals } from './signals.service';

let server: TestServer;
let manager: { authorization: string };
beforeAll(async () => {
  server = await startTestServer();
  manager = (await bearerFor(server, 'manager')).headers;
});
afterAll(async () => {
  await server?.close();
});

async function call<T>(method: 'POST' | 'PATCH' | 'PUT', url: string, payload: object): Promise<T> {
  const res = await server.app.inject({ method, url: `/api/v1${url}`, headers: manager, payload });
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res.json<T>();
}

async function ticketOf(email: string, type = 'question'): Promise<Ticket> {
  return call<Ticket>('POST', '/tickets', {
    subject: `Rechnung ${uniq()}`,
    requester: { email },
    type,
    message: { body: 'Die Rechnung ist falsch' },
  });
}

/** A CSAT or NPS answer of the contact (and, as the survey module copies it, its organisation). */
async function answer(contactId: string, kind: 'csat' | 'nps', score: number, rating: string, at: Date) {
  const db = server.deps.database;
  const survey = await db.query(
    `insert into surveys (name, kind, scale, audience, texts) values ($1, $2, $3, '{}', '{}') returning id`,
    [`${kind} ${uniq()}`, kind, kind === 'csat' ? '1-5' : null],
  );
  const surveyId = survey.rows[0]!.id;
  const invitation = await db.query(
    `insert into survey_invitations (survey_id, contact_id, language, send_at) values ($1, $2, 'de', $3) returning id`,
    [surveyId, contactId, at],
  );
  await db.query(
    `insert into survey_responses
       (invitation_id, survey_id, kind, scale, score, rating, contact_id, organization_id, language, answered_at)
     select $1, $2, $3, $4, $5, $6, $7, organization_id, 'de', $8 from contacts where id = $7`,
    [invitation.rows[0]!.id, surveyId, kind, kind === 'csat' ? '1-5' : '0-10', score, rating, contactId, at],
  );
}

describe('support signals', () => {
  it('counts the tickets, complaints, reopenings, breaches and answers of a contact and its organisation', async () => {
    const domain = `${uniq()}.example`;
    const org = await call<Organization>('POST', '/organizations', { name: `Kunde ${uniq()}` });
    const lea = await call<Contact>('POST', '/contacts', {
      name: 'Lea',
      emails: [`lea@${domain}`],
      organizationId: org.id,
    });
    const max = await call<Contact>('POST', '/contacts', {
      name: 'Max',
      emails: [`max@${domain}`],
      organizationId: org.id,
    });
    const other = await call<Contact>('POST', '/contacts', { name: 'Other', emails: [`o@other-${domain}`] });

    await ticketOf(`lea@${domain}`);
    const reopened = await ticketOf(`max@${domain}`);
    await call('PATCH', `/tickets/${reopened.id}`, { status: 'solved' });
    await call('PATCH', `/tickets/${reopened.id}`, { status: 'open' });
    await call('PATCH', `/tickets/${reopened.id}`, { status: 'solved' });
    const complaint = await ticketOf(`lea@${domain}`, 'complaint');
    await call('PUT', `/tickets/${complaint.id}/complaint`, { category: 'billing' });
    await server.deps.database.query(`update tickets set sla_status = 'breached' where id = $1`, [
      complaint.id,
    ]);
    await ticketOf(`o@other-${domain}`);

    const now = server.deps.now();
    await answer(lea.id, 'csat', 5, 'satisfied', new Date(now.getTime() - 2 * 86_400_000));
    await answer(max.id, 'csat', 1, 'dissatisfied', new Date(now.getTime() - 86_400_000));
    await answer(lea.id, 'nps', 9, 'promoter', new Date(now.getTime() - 3 * 86_400_000));
    await answer(max.id, 'nps', 3, 'detractor', new Date(now.getTime() - 86_400_000));

    const signals = await supportSignals(
      server.deps.database.db,
      [
        { key: 'account', contactId: null, organizationId: org.id },
        { key: 'lea', contactId: lea.id, organizationId: null },
        { key: 'quiet', contactId: other.id, organizationId: null },
        { key: 'nobody', contactId: null, organizationId: null },
      ],
      { asOf: new Date(now.getTime() + 60_000), days: 90 },
    );
    expect(signals.get('account')).toMatchObject({
      openTickets: 2,
      tickets: 3,
      complaints: 1,
      reopened: 1,
      slaBreaches: 1,
      csat: 0.5,
      nps: 3,
    });
    expect(signals.get('account')?.lastContactAt).toBeInstanceOf(Date);
    expect(signals.get('lea')).toMatchObject({
      openTickets: 2,
      tickets: 2,
      complaints: 1,
      reopened: 0,
      slaBreaches: 1,
      csat: 1,
      nps: 9,
    });
    expect(signals.get('quiet')).toMatchObject({
      openTickets: 1,
      tickets: 1,
      complaints: 0,
      csat: null,
      nps: null,
    });
    expect(signals.get('nobody')).toEqual({
      openTickets: 0,
      tickets: 0,
      complaints: 0,
      reopened: 0,
      slaBreaches: 0,
      csat: null,
      nps: null,
      lastContactAt: null,
    });
  });

  it('looks only at the window before the moment asked about', async () => {
    const email = `${uniq()}@past.example`;
    const contact = await call<Contact>('POST', '/contacts', { name: 'Past', emails: [email] });
    await ticketOf(email);
    const before = await supportSignals(
      server.deps.database.db,
      [{ key: 'c', contactId: contact.id, organizationId: null }],
      { asOf: new Date(server.deps.now().getTime() - 3_600_000), days: 30 },
    );
    expect(before.get('c')).toMatchObject({ openTickets: 0, tickets: 0, lastContactAt: null });
  });
});
