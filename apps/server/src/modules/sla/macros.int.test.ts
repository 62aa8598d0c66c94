import type {
  CreatedTicket,
  Macro,
  MacroList,
  MacroPreview,
  Problem,
  Ticket,
  User,
} from '@keepdesk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, startTestServer, type TestServer, uniq } from '../../../test/harness';

let server: TestServer;
let manager: { user: User; headers: { authorization: string } };
let agent: { user: User; headers: { authorization: string } };
let colleague: { user: User; headers: { authorization: string } };
beforeAll(async () => {
  server = await startTestServer();
  manager = await bearerFor(server, 'manager');
  agent = await bearerFor(server, 'agent');
  colleague = await bearerFor(server, 'agent');
});
afterAll(async () => {
  await server?.close();
});

type Who = { headers: Record<string, string> };
const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, who: Who = agent) =>
  server.app.inject({ method, url: `/api/v1${url}`, headers: who.headers, payload });

describe('macros', () => {
  it('write the reply in the ticket language with its fields filled, and set fields when applied', async () => {
    const created = await call(
      'POST',
      '/macros',
      {
        name: `Erledigt ${uniq()}`,
        shared: true,
        bodyEn: 'Hello {{customer.firstName}}, request #{{ticket.number}} is done. {{agent.name}}',
        bodyDe: 'Hallo {{customer.firstName}}, Ihre Anfrage #{{ticket.number}} ist erledigt. {{agent.name}}',
        actions: { status: 'pending', addTags: ['erledigt'], assignToMe: true },
      },
      manager,
    );
    expect(created.statusCode, created.body).toBe(201);
    const macro = created.json<Macro>();
    const ticket = (
      await call('POST', '/tickets', {
        subject: 'Rechnung falsch',
        requester: { email: `erika-${uniq()}@example.com`, name: 'Erika Muster' },
        message: { body: 'Guten Tag, meine Rechnung ist leider falsch. Können Sie das bitte prüfen?' },
      })
    ).json<CreatedTicket>();
    expect(ticket.language).toBe('de');

    const preview = (
      await call('GET', `/tickets/${ticket.id}/macros/${macro.id}/preview`)
    ).json<MacroPreview>();
    expect(preview.body).toBe(`Hallo Erika, Ihre Anfrage #${ticket.number} ist erledigt. ${agent.user.name}`);
    expect(preview.changes.map((c) => c.field)).toEqual(['status', 'tags', 'assignee']);
    // A preview changes nothing.
    expect((await call('GET', `/tickets/${ticket.id}`)).json<Ticket>().assignee).toBeNull();

    const applied = await call('POST', `/tickets/${ticket.id}/macros/${macro.id}/apply`);
    expect(applied.json<MacroPreview>().body).toBe(preview.body);
    const after = (await call('GET', `/tickets/${ticket.id}`)).json<Ticket>();
    expect(after).toMatchObject({ status: 'pending', assignee: { id: agent.user.id } });
    expect(after.tags).toContain('erledigt');
  });

  it('keep personal macros to their owner, shared ones to managers, and refuse unknown placeholders', async () => {
    const own = (
      await call('POST', '/macros', { name: `Mine ${uniq()}`, bodyEn: 'Hi {{customer.name}}' })
    ).json<Macro>();
    expect(own).toMatchObject({ shared: false, ownerId: agent.user.id });
    const seen = (await call('GET', '/macros', undefined, colleague))
      .json<MacroList>()
      .items.map((m) => m.id);
    expect(seen).not.toContain(own.id);
    expect((await call('PATCH', `/macros/${own.id}`, { name: 'Stolen' }, colleague)).statusCode).toBe(404);
    expect((await call('POST', '/macros', { name: 'Shared', shared: true, bodyEn: 'x' })).statusCode).toBe(
      403,
    );
    const typo = await call('POST', '/macros', { name: 'Typo', bodyDe: 'Hallo {{customer.nmae}}' });
    expect(typo.statusCode).toBe(400);
    expect(typo.json<Problem>().errors).toEqual([
      { field: 'bodyDe', message: 'unknown placeholder {{customer.nmae}}' },
    ]);
    expect((await call('DELETE', `/macros/${own.id}`)).statusCode).toBe(204);
  });
});
