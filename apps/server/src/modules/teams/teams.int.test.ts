import type { Problem, Team, TeamDetail, TeamPage } from '@keepdesk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeToken, makeUser, startTestServer, type TestServer } from '../../../test/harness';

let server: TestServer;
let manager: { authorization: string };
beforeAll(async () => {
  server = await startTestServer();
  manager = {
    authorization: `Bearer ${await makeToken(server, await makeUser(server, { role: 'manager' }))}`,
  };
});
afterAll(async () => {
  await server?.close();
});

describe('teams', () => {
  it('creates a team, adds a lead and a member, and removes one', async () => {
    const name = `Second Level ${Date.now()}`;
    const created = await server.app.inject({
      method: 'POST',
      url: '/api/v1/teams',
      headers: manager,
      payload: { name, description: 'Hard cases' },
    });
    expect(created.statusCode).toBe(201);
    const team = created.json<Team>();
    const lead = await makeUser(server, { role: 'team_lead', name: 'Aa Lead' });
    const agent = await makeUser(server, { name: 'Bb Agent' });
    await server.app.inject({
      method: 'PUT',
      url: `/api/v1/teams/${team.id}/members/${lead.id}`,
      headers: manager,
      payload: { isLead: true },
    });
    const withBoth = await server.app.inject({
      method: 'PUT',
      url: `/api/v1/teams/${team.id}/members/${agent.id}`,
      headers: manager,
      payload: {},
    });
    const detail = withBoth.json<TeamDetail>();
    expect(detail.memberCount).toBe(2);
    expect(detail.members.map((m) => [m.userId, m.isLead])).toEqual([
      [lead.id, true],
      [agent.id, false],
    ]);
    const removed = await server.app.inject({
      method: 'DELETE',
      url: `/api/v1/teams/${team.id}/members/${agent.id}`,
      headers: manager,
    });
    expect(removed.json<TeamDetail>().members.map((m) => m.userId)).toEqual([lead.id]);
  });

  it('refuses a duplicate team name regardless of case', async () => {
    const name = `Billing ${Date.now()}`;
    await server.app.inject({ method: 'POST', url: '/api/v1/teams', headers: manager, payload: { name } });
    const again = await server.app.inject({
      method: 'POST',
      url: '/api/v1/teams',
      headers: manager,
      payload: { name: name.toUpperCase() },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json<Problem>().errors?.[0]?.field).toBe('name');
  });

  it('lets a collaborator read teams but not change them', async () => {
    const reader = {
      authorization: `Bearer ${await makeToken(server, await makeUser(server, { role: 'collaborator' }))}`,
    };
    const list = await server.app.inject({ method: 'GET', url: '/api/v1/teams?limit=1', headers: reader });
    expect(list.statusCode).toBe(200);
    expect(list.json<TeamPage>().items.length).toBeLessThanOrEqual(1);
    const denied = await server.app.inject({
      method: 'POST',
      url: '/api/v1/teams',
      headers: reader,
      payload: { name: 'X' },
    });
    expect(denied.statusCode).toBe(403);
  });

  it('deletes a team and answers 404 for it afterwards', async () => {
    const team = (
      await server.app.inject({
        method: 'POST',
        url: '/api/v1/teams',
        headers: manager,
        payload: { name: `Temp ${Date.now()}` },
      })
    ).json<Team>();
    expect(
      (await server.app.inject({ method: 'DELETE', url: `/api/v1/teams/${team.id}`, headers: manager }))
        .statusCode,
    ).toBe(204);
    const gone = await server.app.inject({
      method: 'GET',
      url: `/api/v1/teams/${team.id}`,
      headers: manager,
    });
    expect(gone.statusCode).toBe(404);
    expect(gone.json<Problem>().code).toBe('NOT_FOUND');
  });
});
