import type { Contact, ContactPage, Organization, Problem } from '@keepdesk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, startTestServer, type TestServer, uniq } from '../../../test/harness';

let server: TestServer;
let agent: { authorization: string };
beforeAll(async () => {
  server = await startTestServer();
  agent = (await bearerFor(server, 'agent')).headers;
});
afterAll(async () => {
  await server?.close();
});

const post = (url: string, payload: unknown, headers: Record<string, string> = agent) =>
  server.app.inject({ method: 'POST', url: `/api/v1${url}`, headers, payload: payload as object });
const get = (url: string, headers: Record<string, string> = agent) =>
  server.app.inject({ url: `/api/v1${url}`, headers });

/** Contacts with this name: other test files write contacts at the same time, so never count them all. */
async function contactsNamed(name: string): Promise<number> {
  const { rows } = await server.deps.database.query(
    'select count(*)::int as n from contacts where name = $1',
    [name],
  );
  return Number(rows[0]?.n);
}

describe('organisations and contacts', () => {
  it('links a new contact to the organisation that claims the domain of its address', async () => {
    const domain = `acme-${uniq()}.example`;
    const org = await post('/organizations', { name: `ACME ${domain}`, domains: [domain.toUpperCase()] });
    expect(org.statusCode).toBe(201);
    expect(org.json<Organization>().domains).toEqual([domain]);

    const created = await post('/contacts', {
      name: 'Anna Schmidt',
      emails: [`Anna@${domain}`],
      phones: ['+49 (30) 1234-56'],
      language: 'de',
    });
    expect(created.statusCode).toBe(201);
    const contact = created.json<Contact>();
    expect(contact).toMatchObject({
      emails: [`anna@${domain}`],
      phones: ['+4930123456'],
      language: 'de',
      organization: { id: org.json<Organization>().id },
    });

    const found = await get(`/contacts?q=${encodeURIComponent(`anna@${domain}`)}`);
    expect(found.json<ContactPage>().items.map((c) => c.id)).toEqual([contact.id]);
    const orgNow = await get(`/organizations/${org.json<Organization>().id}`);
    expect(orgNow.json<Organization>().contactCount).toBe(1);
  });

  it('links earlier contacts when an organisation claims their domain later', async () => {
    const domain = `later-${uniq()}.example`;
    const contact = (await post('/contacts', { emails: [`ben@${domain}`] })).json<Contact>();
    expect(contact.organization).toBeNull();
    expect(contact.name).toBe('');
    const org = (
      await post('/organizations', { name: `Later ${domain}`, domains: [domain] })
    ).json<Organization>();
    expect((await get(`/contacts/${contact.id}`)).json<Contact>().organization?.id).toBe(org.id);
  });

  it('refuses an address that belongs to another contact, naming the field and writing nothing', async () => {
    const email = `dup-${uniq()}@example.com`;
    expect((await post('/contacts', { emails: [email] })).statusCode).toBe(201);
    const name = `Someone ${uniq()}`;
    const again = await post('/contacts', { name, emails: [email.toUpperCase()] });
    expect(again.statusCode).toBe(409);
    expect(again.json<Problem>().errors).toEqual([{ field: 'emails', message: `${email} is taken` }]);
    expect(await contactsNamed(name)).toBe(0);
  });

  it('answers invalid bodies with 400 naming the field', async () => {
    const bad = await post('/contacts', { emails: ['not-an-address'] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<Problem>().errors?.[0]?.field).toBe('emails.0');
    const empty = await post('/contacts', {});
    expect(empty.statusCode).toBe(400);
    expect(empty.json<Problem>().errors?.[0]?.field).toBe('name');
    const domain = await post('/organizations', { name: `Bad ${uniq()}`, domains: ['not a domain'] });
    expect(domain.json<Problem>().errors?.[0]?.field).toBe('domains.0');
  });

  it('refuses a domain another organisation claims', async () => {
    const domain = `claimed-${uniq()}.example`;
    expect((await post('/organizations', { name: `First ${domain}`, domains: [domain] })).statusCode).toBe(
      201,
    );
    const second = await post('/organizations', { name: `Second ${domain}`, domains: [domain] });
    expect(second.statusCode).toBe(409);
    expect(second.json<Problem>().errors?.[0]?.field).toBe('domains');
  });

  it('lets a collaborator read but not write customers', async () => {
    const collaborator = (await bearerFor(server, 'collaborator')).headers;
    expect((await get('/contacts', collaborator)).statusCode).toBe(200);
    expect((await post('/contacts', { name: 'Nope' }, collaborator)).statusCode).toBe(403);
  });
});

describe('merging duplicate contacts', () => {
  it('moves addresses and tickets to the kept contact and redirects the duplicate', async () => {
    const id = uniq();
    const kept = (
      await post('/contacts', { name: 'Carla Kunde', emails: [`carla-${id}@example.com`] })
    ).json<Contact>();
    const duplicate = (
      await post('/contacts', { emails: [`c.kunde-${id}@example.org`], notes: 'VIP' })
    ).json<Contact>();
    const ticket = await post('/tickets', {
      subject: 'Lieferung fehlt',
      requester: { id: duplicate.id },
      message: { body: 'Wo bleibt meine Lieferung?' },
    });
    expect(ticket.statusCode).toBe(201);

    const merged = await post(`/contacts/${kept.id}/merge`, { sourceId: duplicate.id });
    expect(merged.statusCode).toBe(200);
    expect(merged.json<Contact>()).toMatchObject({
      id: kept.id,
      name: 'Carla Kunde',
      emails: [`carla-${id}@example.com`, `c.kunde-${id}@example.org`],
      notes: 'VIP',
    });
    expect((await get(`/contacts/${duplicate.id}`)).json<Contact>().id).toBe(kept.id);
    const tickets = (await get(`/tickets?requesterId=${kept.id}`)).json<{ items: { id: string }[] }>();
    expect(tickets.items.map((t) => t.id)).toEqual([ticket.json<{ id: string }>().id]);
    const events = (await get(`/tickets/${ticket.json<{ id: string }>().id}/events`)).json<{
      items: { field: string | null; to: unknown }[];
    }>();
    expect(events.items.at(-1)).toMatchObject({ field: 'requester', to: kept.id });
  });

  it('refuses to merge a contact into itself', async () => {
    const contact = (await post('/contacts', { name: `Solo ${uniq()}` })).json<Contact>();
    const res = await post(`/contacts/${contact.id}/merge`, { sourceId: contact.id });
    expect(res.statusCode).toBe(409);
    expect(res.json<Problem>().code).toBe('MERGE_INVALID');
  });
});

describe('idempotent creates', () => {
  it('returns the first answer for a retried create and refuses the key with another body', async () => {
    const key = `create-${uniq()}`;
    const headers = { ...agent, 'idempotency-key': key };
    const email = `idem-${uniq()}@example.com`;
    const first = await post('/contacts', { emails: [email] }, headers);
    const retry = await post('/contacts', { emails: [email] }, headers);
    expect(first.statusCode).toBe(201);
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json<Contact>().id).toBe(first.json<Contact>().id);

    const other = await post('/contacts', { emails: [`other-${email}`] }, headers);
    expect(other.statusCode).toBe(422);
    expect(other.json<Problem>().code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('lets a failed create be retried with the same key', async () => {
    const headers = { ...agent, 'idempotency-key': `fail-${uniq()}` };
    const taken = `taken-${uniq()}@example.com`;
    await post('/contacts', { emails: [taken] });
    expect((await post('/contacts', { emails: [taken] }, headers)).statusCode).toBe(409);
    await server.deps.database.query('delete from contact_identities where value = $1', [taken]);
    expect((await post('/contacts', { emails: [taken] }, headers)).statusCode).toBe(201);
  });
});
