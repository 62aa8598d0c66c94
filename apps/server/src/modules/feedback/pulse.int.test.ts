import type { Problem, Pulse, PulseList, PulseResults, Team, User } from '@keepdesk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, startTestServer, type TestServer, uniq } from '../../../test/harness';

let server: TestServer;
let manager: { user: User; headers: { authorization: string } };
let agents: { user: User; headers: { authorization: string } }[];
let team: Team;

beforeAll(async () => {
  server = await startTestServer();
  manager = await bearerFor(server, 'manager');
  agents = await Promise.all(Array.from({ length: 6 }, () => bearerFor(server, 'agent')));
  team = (await call(manager, 'POST', '/teams', { name: `Pulse ${uniq()}` })).json<Team>();
  for (const agent of agents)
    await call(manager, 'PUT', `/teams/${team.id}/members/${agent.user.id}`, { isLead: false });
});
afterAll(async () => {
  await server?.close();
});

type Who = { headers: Record<string, string> };
function call(who: Who, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) {
  return server.app.inject({ method, url: `/api/v1${url}`, headers: who.headers, payload });
}

const QUESTIONS = [
  {
    id: 'enps',
    kind: 'enps',
    textEn: 'How likely would you recommend working here?',
    textDe: 'Wie wahrscheinlich empfehlen Sie uns als Arbeitgeber?',
  },
  {
    id: 'workload',
    kind: 'agree',
    textEn: 'My workload is manageable.',
    textDe: 'Meine Arbeitslast ist zu bewältigen.',
  },
];

describe('employee pulse', () => {
  it('asks the team anonymously and shows results only from five answers on', async () => {
    const created = await call(manager, 'POST', '/pulse-surveys', {
      name: `Pulse ${uniq()}`,
      questions: QUESTIONS,
      teamIds: [team.id],
    });
    expect(created.statusCode, created.body).toBe(201);
    const pulse = created.json<Pulse>();
    expect(pulse).toMatchObject({ invited: 6, answered: 0, status: 'open' });
    expect(
      (await call(agents[0]!, 'GET', '/pulse-surveys/mine')).json<PulseList>().items.map((p) => p.id),
    ).toContain(pulse.id);
    expect(
      (await call(manager, 'GET', '/pulse-surveys/mine')).json<PulseList>().items.map((p) => p.id),
    ).not.toContain(pulse.id);

    const scores = [
      { enps: 10, workload: 2 },
      { enps: 9, workload: 4 },
      { enps: 6, workload: 3 },
      { enps: 8, workload: 4 },
      { enps: 9, workload: 5 },
    ];
    for (const [i, answers] of scores.slice(0, 4).entries()) {
      const res = await call(agents[i]!, 'POST', `/pulse-surveys/${pulse.id}/answers`, {
        answers,
        comment: i === 0 ? 'Mehr Schulungen bitte' : '',
      });
      expect(res.statusCode, res.body).toBe(204);
    }
    const early = (await call(agents[5]!, 'GET', `/pulse-surveys/${pulse.id}/results`)).json<PulseResults>();
    expect(early.overall).toMatchObject({ answers: 4, hidden: true, comments: [] });
    expect(early.overall.questions.every((q) => q.score === null)).toBe(true);
    expect(early.teams).toEqual([expect.objectContaining({ key: team.id, answers: 4, hidden: true })]);

    await call(agents[4]!, 'POST', `/pulse-surveys/${pulse.id}/answers`, { answers: scores[4] });
    // While it is open nothing shows: each look would reveal the newest answer by difference.
    const open = (await call(manager, 'GET', `/pulse-surveys/${pulse.id}/results`)).json<PulseResults>();
    expect(open.overall).toMatchObject({ answers: 5, hidden: true });
    await call(manager, 'POST', `/pulse-surveys/${pulse.id}/close`);
    const results = (await call(manager, 'GET', `/pulse-surveys/${pulse.id}/results`)).json<PulseResults>();
    expect(results.pulse.answered).toBe(5);
    expect(results.overall.hidden).toBe(false);
    // eNPS: promoters 10, 9, 9; passive 8; detractor 6 → (3 − 1)/5 = +40. Workload: mean 3.6, 3 of 5 agree.
    expect(results.overall.questions[0]).toMatchObject({ id: 'enps', kind: 'enps', score: 40 });
    expect(results.overall.questions[1]!.score).toBeCloseTo(3.6, 10);
    expect(results.overall.questions[1]!.favourable).toBeCloseTo(0.6, 10);
    expect(results.overall.comments).toEqual(['Mehr Schulungen bitte']);
    expect(results.teams[0]).toMatchObject({ key: team.id, hidden: false, comments: [] });

    // The answers carry no person and no time of day.
    const stored = await server.deps.database.query('select * from pulse_answers where pulse_id = $1', [
      pulse.id,
    ]);
    expect(Object.keys(stored.rows[0]!).sort()).toEqual([
      'answers',
      'comment',
      'day',
      'id',
      'pulse_id',
      'team_ids',
    ]);
  });

  it('takes one answer per person, on the scale, from those who were asked', async () => {
    const pulse = (
      await call(manager, 'POST', '/pulse-surveys', {
        name: `Once ${uniq()}`,
        questions: QUESTIONS,
        teamIds: [team.id],
      })
    ).json<Pulse>();
    const outside = await bearerFor(server, 'agent');
    const bad = await call(agents[0]!, 'POST', `/pulse-surveys/${pulse.id}/answers`, {
      answers: { enps: 11, workload: 3 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<Problem>().errors).toEqual([
      { field: 'answers.enps', message: 'a whole number from 0 to 10' },
    ]);
    expect(
      (
        await call(agents[0]!, 'POST', `/pulse-surveys/${pulse.id}/answers`, {
          answers: { enps: 7, workload: 3 },
        })
      ).statusCode,
    ).toBe(204);
    expect(
      (
        await call(agents[0]!, 'POST', `/pulse-surveys/${pulse.id}/answers`, {
          answers: { enps: 7, workload: 3 },
        })
      ).statusCode,
    ).toBe(409);
    expect(
      (
        await call(outside, 'POST', `/pulse-surveys/${pulse.id}/answers`, {
          answers: { enps: 7, workload: 3 },
        })
      ).statusCode,
    ).toBe(409);
    const closed = await call(manager, 'POST', `/pulse-surveys/${pulse.id}/close`);
    expect(closed.json<Pulse>().status).toBe('closed');
    expect(
      (
        await call(agents[1]!, 'POST', `/pulse-surveys/${pulse.id}/answers`, {
          answers: { enps: 7, workload: 3 },
        })
      ).statusCode,
    ).toBe(409);
    expect(
      (await call(agents[1]!, 'POST', '/pulse-surveys', { name: 'x', questions: QUESTIONS })).statusCode,
    ).toBe(403);
  });
});

describe('pulse results by team', () => {
  it('hides a team when everyone else would be a group of fewer than five', async () => {
    const other = (await call(manager, 'POST', '/teams', { name: `Other ${uniq()}` })).json<Team>();
    const outsider = await bearerFor(server, 'agent');
    await call(manager, 'PUT', `/teams/${other.id}/members/${outsider.user.id}`, { isLead: false });
    const pulse = (
      await call(manager, 'POST', '/pulse-surveys', {
        name: `Split ${uniq()}`,
        questions: QUESTIONS,
        teamIds: [team.id, other.id],
      })
    ).json<Pulse>();
    for (const who of [...agents.slice(0, 5), outsider]) {
      expect(
        (await call(who, 'POST', `/pulse-surveys/${pulse.id}/answers`, { answers: { enps: 8, workload: 4 } }))
          .statusCode,
      ).toBe(204);
    }
    await call(manager, 'POST', `/pulse-surveys/${pulse.id}/close`);
    const results = (await call(manager, 'GET', `/pulse-surveys/${pulse.id}/results`)).json<PulseResults>();
    // Six answers: five from the team, one from the other. Showing the team beside everyone would give the
    // outsider's answer away (6 × overall − 5 × team).
    expect(results.overall).toMatchObject({ answers: 6, hidden: false });
    const byTeam = Object.fromEntries(results.teams.map((t) => [t.key, t]));
    expect(byTeam[team.id]).toMatchObject({ answers: 5, hidden: true });
    expect(byTeam[other.id]).toMatchObject({ answers: 1, hidden: true });
  });
});
