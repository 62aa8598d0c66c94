import type { FeedbackItemDetail, FeedbackItemList, Ticket, User } from '@keepdesk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, startTestServer, type TestServer, uniq } from '../../../test/harness';
import { type SmtpSink, startSmtpSink } from '../../../test/smtp';
import { isoWeek } from './items.service';

let sink: SmtpSink;
let server: TestServer;
let manager: { user: User; headers: { authorization: string } };
let agent: { user: User; headers: { authorization: string } };

beforeAll(async () => {
  sink = await startSmtpSink();
  // A database of its own: the digest lists only this file's items and goes to this sink.
  server = await startTestServer({ isolated: true, config: { mailTransport: 'smtp', smtpUrl: sink.url } });
  manager = await bearerFor(server, 'manager');
  agent = await bearerFor(server, 'agent');
});
afterAll(async () => {
  await server?.close();
  await sink?.close();
});

type Who = { headers: Record<string, string> };
function call(
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  url: string,
  payload?: object,
  who: Who = agent,
) {
  return server.app.inject({ method, url: `/api/v1${url}`, headers: who.headers, payload });
}

async function ticketFrom(email: string, organizationId?: string): Promise<Ticket> {
  const contact = await call('POST', '/contacts', {
    name: email.split('@')[0],
    emails: [email],
    organizationId,
  });
  expect(contact.statusCode, contact.body).toBe(201);
  const res = await call('POST', '/tickets', {
    subject: `Export ${uniq()}`,
    requester: { email },
    message: { body: 'Bitte Export nach Excel' },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<Ticket>();
}

describe('feedback for other teams', () => {
  it('groups tagged tickets into items weighed by customers and revenue, shares them and sends the digest', async () => {
    const big = (
      await call('POST', '/organizations', { name: `Groß AG ${uniq()}`, attributes: { mrr: 1200 } })
    ).json<{ id: string }>();
    const small = (
      await call('POST', '/organizations', { name: `Klein KG ${uniq()}`, attributes: { mrr: 300 } })
    ).json<{ id: string }>();
    const first = await ticketFrom(`a-${uniq()}@gross.example`, big.id);
    const second = await ticketFrom(`b-${uniq()}@gross.example`, big.id);
    const third = await ticketFrom(`c-${uniq()}@klein.example`, small.id);

    const created = await call('POST', '/feedback-items', {
      title: 'Export to Excel',
      category: 'feature_request',
    });
    expect(created.statusCode, created.body).toBe(201);
    const item = created.json<FeedbackItemDetail>();
    for (const ticket of [first, second, third]) {
      const res = await call('POST', `/feedback-items/${item.id}/links`, {
        source: 'ticket',
        sourceId: ticket.id,
        note: 'Wants .xlsx',
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    expect(
      (await call('POST', `/feedback-items/${item.id}/links`, { source: 'ticket', sourceId: first.id }))
        .statusCode,
    ).toBe(409);
    const pricing = (
      await call('POST', '/feedback-items', { title: 'Too expensive for small teams', category: 'pricing' })
    ).json<FeedbackItemDetail>();
    await call('POST', `/feedback-items/${pricing.id}/links`, { source: 'ticket', sourceId: third.id });

    const detail = (await call('GET', `/feedback-items/${item.id}`)).json<FeedbackItemDetail>();
    // Three customers of two organisations: 1,200 (counted once for both of Groß AG's contacts) + 300.
    expect(detail).toMatchObject({ customers: 3, organizations: 2, revenue: 1500, links: 3 });
    expect(detail.recentLinks[0]).toMatchObject({
      source: 'ticket',
      note: 'Wants .xlsx',
      by: { id: agent.user.id },
    });

    const byCustomers = (await call('GET', '/feedback-items?sort=customers')).json<FeedbackItemList>();
    expect(byCustomers.items.map((i) => i.title)).toEqual([
      'Export to Excel',
      'Too expensive for small teams',
    ]);
    expect(
      (await call('GET', '/feedback-items?category=pricing')).json<FeedbackItemList>().items,
    ).toHaveLength(1);
    expect(
      (await call('GET', `/feedback-items?ticketId=${third.id}`)).json<FeedbackItemList>().items,
    ).toHaveLength(2);

    const product = await bearerFor(server, 'collaborator');
    const shared = await call('PATCH', `/feedback-items/${item.id}`, {
      status: 'planned',
      trackerUrl: 'https://tracker.example/PROD-42',
      trackerStatus: 'In progress',
      collaboratorIds: [product.user.id],
    });
    expect(shared.statusCode, shared.body).toBe(200);
    expect(shared.json<FeedbackItemDetail>().collaborators).toEqual([
      { id: product.user.id, name: product.user.name },
    ]);
    const mine = (
      await call('GET', '/feedback-items?shared=me', undefined, product)
    ).json<FeedbackItemList>();
    expect(mine.items.map((i) => i.id)).toEqual([item.id]);
    const unknown = await call('PATCH', `/feedback-items/${item.id}`, {
      collaboratorIds: ['00000000-0000-4000-8000-000000000000'],
    });
    expect(unknown.statusCode).toBe(400);

    const settings = (await call('GET', '/feedback/settings', undefined, manager)).json<object>();
    await call(
      'PUT',
      '/feedback/settings',
      { ...settings, digestRecipients: ['produkt@example.com'] },
      manager,
    );
    const digest = await call('POST', '/feedback/digest', {}, manager);
    expect(digest.statusCode, digest.body).toBe(200);
    expect(digest.json<{ sentTo: string[] }>().sentTo.sort()).toEqual(
      ['produkt@example.com', product.user.email].sort(),
    );
    const mail = await sink.waitFor((m) => JSON.stringify(m.to).includes('produkt@example.com'));
    expect(mail.subject).toMatch(/^Feedback-Auswertung, wöchentlich – KW \d+/);
    expect(mail.text).toContain(
      'Export to Excel [feature_request, planned] – 3 neu/new, 3 Kunden/customers, Umsatz/revenue 1.500',
    );
    expect(mail.text).toContain('https://tracker.example/PROD-42 (In progress)');
  });

  it('counts ISO weeks as the German calendar does', () => {
    expect(isoWeek(new Date('2026-12-02T12:00:00Z'))).toBe(49);
    expect(isoWeek(new Date('2027-01-01T12:00:00Z'))).toBe(53);
    expect(isoWeek(new Date('2026-01-01T12:00:00Z'))).toBe(1);
  });
});
