import type {
  CreatedTicket,
  Problem,
  Ticket,
  TicketEventList,
  TicketField,
  TicketPage,
  User,
  View,
} from '@keepdesk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, startTestServer, type TestServer, uniq } from '../../../test/harness';

// Field definitions are workspace-wide (a required-on-solve field would stop other files' tickets from being
// solved), so this file has a database of its own.
let server: TestServer;
let agent: { user: User; headers: { authorization: string } };
let manager: { user: User; headers: { authorization: string } };
beforeAll(async () => {
  server = await startTestServer({ isolated: true });
  agent = await bearerFor(server, 'agent');
  manager = await bearerFor(server, 'manager');
});
afterAll(async () => {
  await server?.close();
});

const call = (
  method: 'GET' | 'POST' | 'PATCH',
  url: string,
  payload?: unknown,
  headers: object = agent.headers,
) =>
  server.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: headers as Record<string, string>,
    payload: payload as object,
  });

const option = (value: string) => ({ value, labelEn: value, labelDe: value });

async function newTicket(customFields: Record<string, unknown> = {}, extra: object = {}) {
  return call('POST', '/tickets', {
    subject: `Fields ${uniq()}`,
    requester: { email: `fields-${uniq()}@example.com` },
    message: { body: 'Hello' },
    customFields,
    ...extra,
  });
}

async function countTickets(): Promise<number> {
  const { rows } = await server.deps.database.query('select count(*)::int as n from tickets');
  return Number(rows[0]?.n);
}

describe('custom ticket fields', () => {
  beforeAll(async () => {
    const fields = [
      {
        key: 'product',
        type: 'dropdown',
        options: [option('cloud'), option('desktop')],
        requiredOnSolve: true,
      },
      { key: 'order_no', type: 'text' },
      { key: 'seats', type: 'number' },
      { key: 'renewal', type: 'date' },
      { key: 'modules', type: 'multiselect', options: [option('billing'), option('export')] },
      { key: 'vip', type: 'checkbox' },
    ];
    for (const [i, field] of fields.entries()) {
      const res = await call(
        'POST',
        '/ticket-fields',
        { labelEn: field.key, labelDe: field.key, position: i, ...field },
        manager.headers,
      );
      expect(res.statusCode, res.body).toBe(201);
    }
  });

  it('are defined by admins only, with options exactly for choice fields', async () => {
    expect(
      (await call('POST', '/ticket-fields', { key: 'x', type: 'text', labelEn: 'X', labelDe: 'X' }))
        .statusCode,
    ).toBe(403);
    const noOptions = await call(
      'POST',
      '/ticket-fields',
      { key: 'colour', type: 'dropdown', labelEn: 'C', labelDe: 'F' },
      manager.headers,
    );
    expect(noOptions.statusCode).toBe(400);
    expect(noOptions.json<Problem>().errors?.[0]?.field).toBe('options');
    const twice = await call(
      'POST',
      '/ticket-fields',
      { key: 'seats', type: 'number', labelEn: 'S', labelDe: 'S' },
      manager.headers,
    );
    expect(twice.statusCode).toBe(409);
    const list = (await call('GET', '/ticket-fields')).json<{ items: TicketField[] }>();
    expect(list.items.map((f) => f.key)).toEqual([
      'product',
      'order_no',
      'seats',
      'renewal',
      'modules',
      'vip',
    ]);
  });

  it('store validated values on create and update, each change in the history', async () => {
    const created = await newTicket({
      product: 'cloud',
      seats: 12,
      modules: ['export', 'billing', 'export'],
    });
    expect(created.statusCode, created.body).toBe(201);
    const ticket = created.json<CreatedTicket>();
    expect(ticket.customFields).toEqual({ product: 'cloud', seats: 12, modules: ['export', 'billing'] });

    const updated = await call('PATCH', `/tickets/${ticket.id}`, {
      customFields: { seats: null, renewal: '2027-01-31', vip: false, order_no: ' A-1 ' },
    });
    expect(updated.statusCode, updated.body).toBe(200);
    expect(updated.json<Ticket>().customFields).toEqual({
      product: 'cloud',
      modules: ['export', 'billing'],
      renewal: '2027-01-31',
      vip: false,
      order_no: 'A-1',
    });
    const events = (await call('GET', `/tickets/${ticket.id}/events`)).json<TicketEventList>();
    const changes = events.items.filter((e) => e.field?.startsWith('customFields.'));
    expect(changes.map((e) => [e.field, e.from, e.to])).toEqual([
      ['customFields.order_no', null, 'A-1'],
      ['customFields.renewal', null, '2027-01-31'],
      ['customFields.seats', 12, null],
      ['customFields.vip', null, false],
    ]);
  });

  it('reject unknown fields and wrong types with a 400 naming the field, writing nothing', async () => {
    const before = await countTickets();
    const res = await newTicket({ seats: 'twelve', nope: 1, product: 'mobile' });
    expect(res.statusCode).toBe(400);
    expect(res.json<Problem>().errors?.map((e) => e.field)).toEqual([
      'customFields.seats',
      'customFields.nope',
      'customFields.product',
    ]);
    expect(await countTickets()).toBe(before);

    const ticket = (await newTicket({ seats: 3 })).json<CreatedTicket>();
    const bad = await call('PATCH', `/tickets/${ticket.id}`, {
      priority: 'high',
      customFields: { renewal: '2027-02-30' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<Problem>().errors?.[0]?.field).toBe('customFields.renewal');
    const after = (await call('GET', `/tickets/${ticket.id}`)).json<Ticket>();
    expect(after.priority).toBe('normal');
  });

  it('refuse to solve a ticket while a required-on-solve field is empty', async () => {
    const ticket = (await newTicket()).json<CreatedTicket>();
    const refused = await call('PATCH', `/tickets/${ticket.id}`, { status: 'solved' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json<Problem>().errors).toEqual([
      { field: 'customFields.product', message: 'required to solve' },
    ]);
    expect((await call('GET', `/tickets/${ticket.id}`)).json<Ticket>().statusCategory).toBe('new');
    expect((await newTicket({}, { status: 'solved' })).statusCode).toBe(400);

    const solved = await call('PATCH', `/tickets/${ticket.id}`, {
      status: 'solved',
      customFields: { product: 'desktop' },
    });
    expect(solved.statusCode, solved.body).toBe(200);
    expect(solved.json<Ticket>().statusCategory).toBe('solved');
  });

  it('filter views by value, by any option, by presence and by range', async () => {
    const tag = `fv${uniq()}`.slice(0, 40);
    const a = (
      await newTicket({ product: 'cloud', seats: 5, modules: ['billing'] }, { tags: [tag] })
    ).json<Ticket>();
    const b = (
      await newTicket({ product: 'desktop', seats: 50, renewal: '2027-03-01' }, { tags: [tag] })
    ).json<Ticket>();
    const c = (await newTicket({}, { tags: [tag] })).json<Ticket>();
    const matching = async (fields: object[]) => {
      const view = await call('POST', '/views', { name: `F ${uniq()}`, filter: { tagsAll: [tag], fields } });
      expect(view.statusCode, view.body).toBe(201);
      const page = (await call('GET', `/views/${view.json<View>().id}/tickets`)).json<TicketPage>();
      return page.items.map((t) => t.id).sort();
    };
    expect(await matching([{ key: 'product', op: 'in', values: ['cloud'] }])).toEqual([a.id]);
    expect(await matching([{ key: 'modules', op: 'in', values: ['billing', 'export'] }])).toEqual([a.id]);
    expect(await matching([{ key: 'product', op: 'unset' }])).toEqual([c.id]);
    expect(await matching([{ key: 'seats', op: 'gte', value: 10 }])).toEqual([b.id]);
    expect(
      await matching([
        { key: 'renewal', op: 'lte', value: '2027-12-31' },
        { key: 'seats', op: 'set' },
      ]),
    ).toEqual([b.id]);
    const unknown = await call('POST', '/views', {
      name: 'x',
      filter: { fields: [{ key: 'nope', op: 'set' }] },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json<Problem>().errors?.[0]?.field).toBe('filter.fields.nope');
  });

  it('keep options that tickets use, and take no new values once inactive', async () => {
    await newTicket({ modules: ['export'] });
    const removal = await call(
      'PATCH',
      '/ticket-fields/modules',
      { options: [option('billing')] },
      manager.headers,
    );
    expect(removal.statusCode).toBe(409);
    const added = await call(
      'PATCH',
      '/ticket-fields/modules',
      { options: [option('billing'), option('export'), option('api')] },
      manager.headers,
    );
    expect(added.json<TicketField>().options.map((o) => o.value)).toEqual(['billing', 'export', 'api']);
    await call('PATCH', '/ticket-fields/vip', { active: false }, manager.headers);
    const res = await newTicket({ vip: true });
    expect(res.statusCode).toBe(400);
    expect(res.json<Problem>().errors?.[0]).toEqual({
      field: 'customFields.vip',
      message: 'the field is inactive',
    });
  });
});
