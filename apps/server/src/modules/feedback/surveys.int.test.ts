import type {
  CreatedTicket,
  MessageList,
  Problem,
  PublicSurvey,
  ScoreReport,
  Survey,
  SurveyInvitationList,
  SurveyResponsePage,
  Team,
  Ticket,
  User,
} from '@keepdesk/contract';
import { sql } from 'drizzle-orm';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, eventually, startTestServer, type TestServer, uniq } from '../../../test/harness';
import { type SmtpSink, startSmtpSink } from '../../../test/smtp';
import { defaultTexts } from './surveys.domain';
import { runDueRounds } from './surveys.service';

let sink: SmtpSink;
let server: TestServer;
let manager: { user: User; headers: { authorization: string } };
let agent: { user: User; headers: { authorization: string } };
let team: Team;
let csat: Survey;

beforeAll(async () => {
  sink = await startSmtpSink();
  // A database of its own: its surveys must not go to other tests' customers, its mail must reach this sink.
  server = await startTestServer({ isolated: true, config: { mailTransport: 'smtp', smtpUrl: sink.url } });
  manager = await bearerFor(server, 'manager');
  agent = await bearerFor(server, 'agent');
  team = (await call('POST', '/teams', { name: `Support ${uniq()}` })).json<Team>();
  await call('PUT', `/teams/${team.id}/members/${agent.user.id}`, { isLead: false });
  // Throttling has its own test; the others survey the same contacts more than once.
  await call('PUT', '/feedback/settings', { throttleDays: 0 });
  csat = await survey({ name: 'CSAT', kind: 'csat', scale: 'good-bad', delayMinutes: 0, followUp: true });
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
  who: Who = manager,
) {
  return server.app.inject({ method, url: `/api/v1${url}`, headers: who.headers, payload });
}

async function survey(body: Record<string, unknown>): Promise<Survey> {
  const kind = body.kind as 'csat' | 'ces' | 'nps';
  const res = await call('POST', '/surveys', { texts: defaultTexts(kind), ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<Survey>();
}

/** A ticket from a new customer, worked by the agent in the team and solved. */
async function solvedTicket(email = `kunde-${uniq()}@example.com`, language?: 'de'): Promise<CreatedTicket> {
  const created = await call('POST', '/tickets', {
    subject: `Rechnung ${uniq()}`,
    requester: { email },
    message: {
      body: language === 'de' ? 'Guten Tag, meine Rechnung ist falsch. Bitte prüfen Sie das.' : 'Hello',
    },
    channel: 'email',
    teamId: team.id,
    assigneeId: agent.user.id,
  });
  expect(created.statusCode, created.body).toBe(201);
  const ticket = created.json<CreatedTicket>();
  const solved = await call('PATCH', `/tickets/${ticket.id}`, { status: 'solved' });
  expect(solved.statusCode, solved.body).toBe(200);
  return ticket;
}

const invitationsOf = (ticketId: string, ok: (list: SurveyInvitationList) => boolean) =>
  eventually(
    async () =>
      (await call('GET', `/feedback/invitations?ticketId=${ticketId}`)).json<SurveyInvitationList>(),
    ok,
  );

function mailTo(address: string): Promise<ParsedMail> {
  return sink.waitFor((m) => m.to !== undefined && JSON.stringify(m.to).includes(address));
}

/** The token and the one-click links of a survey e-mail. */
function linksOf(mail: ParsedMail): { token: string; links: Map<string, string> } {
  const links = new Map<string, string>();
  for (const match of (mail.text ?? '').matchAll(/(https?:\/\/\S+\/survey\/([\w.-]+)\?score=(\w+))/g)) {
    links.set(match[3]!, match[1]!);
  }
  const token = /\/survey\/([\w-]+\.[\w-]+)/.exec(mail.text ?? '')?.[1];
  if (!token) throw new Error(`no survey link in ${mail.text}`);
  return { token, links };
}

function answer(token: string, body: object) {
  return server.app.inject({ method: 'POST', url: `/api/v1/public/surveys/${token}/answers`, payload: body });
}

describe('CSAT after a solved ticket', () => {
  it('sends one-click links; the answer is recorded once with everything it concerns', async () => {
    const email = `csat-${uniq()}@example.com`;
    const ticket = await solvedTicket(email);
    const mail = await mailTo(email);
    expect(mail.subject).toBe(`How did we do? [#${ticket.number}]`);
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail.headerLines.find((h) => h.key === 'list-unsubscribe')?.line).toContain('/opt-out>');
    const { token, links } = linksOf(mail);
    expect([...links.keys()]).toEqual(['bad', 'good']);

    // The link opens the page with "good" chosen; the page records it (a mail scanner's GET records nothing).
    const page = await server.app.inject({ method: 'GET', url: `/survey/${token}?score=good` });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toMatch(/value="good" checked/);
    expect(page.body).toContain('data-preset="good"');
    // The texts' placeholders are filled in on the page as in the mail.
    expect(page.body).toContain(ticket.subject);
    expect(page.body).not.toContain('{{');
    expect(
      (
        await server.app.inject({ method: 'GET', url: `/api/v1/public/surveys/${token}` })
      ).json<PublicSurvey>().state,
    ).toBe('open');

    const first = await answer(token, { score: 'good' });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json<PublicSurvey>()).toMatchObject({ state: 'answered', score: 1, commentOpen: true });
    const again = await answer(token, { score: 'bad' });
    expect(again.statusCode).toBe(409);
    expect(again.json<Problem>().code).toBe('SURVEY_ANSWERED');

    const comment = await server.app.inject({
      method: 'POST',
      url: `/api/v1/public/surveys/${token}/comment`,
      payload: { comment: 'Quick and friendly, thank you!' },
    });
    expect(comment.statusCode, comment.body).toBe(200);
    expect(comment.json<PublicSurvey>().commentOpen).toBe(false);
    const secondComment = await server.app.inject({
      method: 'POST',
      url: `/api/v1/public/surveys/${token}/comment`,
      payload: { comment: 'changed my mind' },
    });
    expect(secondComment.statusCode).toBe(409);

    const reused = await server.app.inject({ method: 'GET', url: `/survey/${token}?score=bad` });
    expect(reused.body).toContain('already been answered');

    const responses = (
      await call('GET', `/feedback/responses?ticketId=${ticket.id}`, undefined, agent)
    ).json<SurveyResponsePage>();
    expect(responses.items).toHaveLength(1);
    expect(responses.items[0]).toMatchObject({
      kind: 'csat',
      scale: 'good-bad',
      score: 1,
      rating: 'satisfied',
      comment: 'Quick and friendly, thank you!',
      ticket: { id: ticket.id, number: ticket.number },
      agent: { id: agent.user.id },
      team: { id: team.id },
      channel: 'email',
      followUpTicketId: null,
    });
    expect(responses.items[0]!.contact?.id).toBe(ticket.requester.id);
    const invitations = (
      await call('GET', `/feedback/invitations?ticketId=${ticket.id}`)
    ).json<SurveyInvitationList>();
    expect(invitations.items).toMatchObject([{ status: 'sent', kind: 'csat' }]);
    expect(invitations.items[0]!.answeredAt).not.toBeNull();
  });

  it('answers through the plain form too, in German, and a bad answer opens a follow-up task', async () => {
    const email = `schlecht-${uniq()}@example.com`;
    const ticket = await solvedTicket(email, 'de');
    const mail = await mailTo(email);
    expect(mail.subject).toBe(`Wie zufrieden sind Sie? [#${ticket.number}]`);
    const { token } = linksOf(mail);
    const page = await server.app.inject({ method: 'GET', url: `/survey/${token}` });
    expect(page.body).toContain('<html lang="de">');
    expect(page.body).toContain('Schlecht, ich bin unzufrieden');

    const posted = await server.app.inject({
      method: 'POST',
      url: `/survey/${token}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ score: 'bad', comment: 'Zu langsam.' }).toString(),
    });
    expect(posted.statusCode, posted.body).toBe(200);
    expect(posted.body).toContain('Vielen Dank für Ihre Rückmeldung.');
    const twice = await server.app.inject({
      method: 'POST',
      url: `/survey/${token}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'score=good',
    });
    expect(twice.statusCode).toBe(409);
    expect(twice.body).toContain('bereits beantwortet');

    const responses = await eventually(
      async () => (await call('GET', `/feedback/responses?ticketId=${ticket.id}`)).json<SurveyResponsePage>(),
      (page) => page.items[0]?.followUpTicketId !== null && page.items.length === 1,
    );
    expect(responses.items[0]).toMatchObject({
      rating: 'unsatisfied',
      comment: 'Zu langsam.',
      language: 'de',
    });
    const followUpId = responses.items[0]!.followUpTicketId!;
    const followUp = (await call('GET', `/tickets/${followUpId}`)).json<Ticket>();
    expect(followUp).toMatchObject({ type: 'task', tags: ['survey-follow-up'] });
    expect(followUp.subject).toContain(`zu #${ticket.number}`);
    const messages = await eventually(
      async () => (await call('GET', `/tickets/${followUpId}/messages`)).json<MessageList>(),
      (list) => list.items.some((m) => m.bodyText.includes('Zu langsam.')),
    );
    expect(messages.items.every((m) => m.visibility === 'internal')).toBe(true);
    expect(messages.items.some((m) => m.bodyText.includes('Zu langsam.'))).toBe(true);
  });

  it('refuses a score outside the scale, a forged link and an expired one, and records nothing', async () => {
    const email = `edge-${uniq()}@example.com`;
    const ticket = await solvedTicket(email);
    const { token } = linksOf(await mailTo(email));
    const outside = await answer(token, { score: 7 });
    expect(outside.statusCode).toBe(400);
    expect(outside.json<Problem>().errors).toEqual([
      { field: 'score', message: 'the answer must be good or bad' },
    ]);

    const forged = `${token.slice(0, -2)}xx`;
    expect((await answer(forged, { score: 'good' })).statusCode).toBe(404);
    const invalidPage = await server.app.inject({
      method: 'GET',
      url: `/survey/${forged}`,
      headers: { 'accept-language': 'de-DE' },
    });
    expect(invalidPage.statusCode).toBe(404);
    expect(invalidPage.body).toContain('Link ungültig');

    await server.deps.database.db.execute(
      sql`update survey_invitations set expires_at = now() - interval '1 minute' where ticket_id = ${ticket.id}`,
    );
    const expired = await answer(token, { score: 'good' });
    expect(expired.statusCode).toBe(410);
    expect(expired.json<Problem>().code).toBe('SURVEY_EXPIRED');
    const expiredPage = await server.app.inject({ method: 'GET', url: `/survey/${token}?score=good` });
    expect(expiredPage.body).toContain('This survey link has expired');
    expect(
      (await call('GET', `/feedback/responses?ticketId=${ticket.id}`)).json<SurveyResponsePage>().items,
    ).toEqual([]);
  });

  it('records one answer when two clicks arrive at once', async () => {
    const email = `double-${uniq()}@example.com`;
    const ticket = await solvedTicket(email);
    const { token } = linksOf(await mailTo(email));
    const results = await Promise.all([answer(token, { score: 'good' }), answer(token, { score: 'bad' })]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect(
      (await call('GET', `/feedback/responses?ticketId=${ticket.id}`)).json<SurveyResponsePage>().items,
    ).toHaveLength(1);
  });
});

describe('consent and throttling', () => {
  it('sends nothing to a contact who opted out, by an agent or through the link', async () => {
    const email = `optout-${uniq()}@example.com`;
    const first = await solvedTicket(email);
    const { token } = linksOf(await mailTo(email));
    const confirm = await server.app.inject({ method: 'GET', url: `/survey/${token}/opt-out` });
    expect(confirm.body).toContain('Stop sending me surveys');
    const optedOut = await server.app.inject({ method: 'POST', url: `/survey/${token}/opt-out` });
    expect(optedOut.statusCode).toBe(200);
    const status = await call('GET', `/contacts/${first.requester.id}/survey-opt-out`, undefined, agent);
    expect(status.json<{ optedOut: boolean }>().optedOut).toBe(true);

    const second = await solvedTicket(email);
    const skipped = await invitationsOf(second.id, (l) => l.items[0]?.status === 'skipped');
    expect(skipped.items[0]).toMatchObject({ status: 'skipped', skipReason: 'opted_out', sentAt: null });

    // An agent records the customer's wish to be asked again.
    const back = await call(
      'PUT',
      `/contacts/${first.requester.id}/survey-opt-out`,
      { optedOut: false },
      agent,
    );
    expect(back.json<{ optedOut: boolean }>().optedOut).toBe(false);
    const third = await solvedTicket(email);
    expect((await invitationsOf(third.id, (l) => l.items[0]?.status === 'sent')).items[0]!.status).toBe(
      'sent',
    );
  });

  it('keeps an opt-out through a merge of contacts, and takes the one-click unsubscribe of mail clients', async () => {
    const email = `merge-${uniq()}@example.com`;
    const ticket = await solvedTicket(email);
    const { token } = linksOf(await mailTo(email));
    const duplicate = ticket.requester.id;
    const keeper = (
      await call('POST', '/contacts', { name: 'Keeper', emails: [`keeper-${uniq()}@example.com`] })
    ).json<{ id: string }>();
    // RFC 8058: the mail client posts "List-Unsubscribe=One-Click", here as multipart/form-data.
    const boundary = 'kd-boundary';
    const oneClick = await server.app.inject({
      method: 'POST',
      url: `/survey/${token}/opt-out`,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`,
    });
    expect(oneClick.statusCode, oneClick.body).toBe(200);
    const merged = await call('POST', `/contacts/${keeper.id}/merge`, { sourceId: duplicate });
    expect(merged.statusCode, merged.body).toBe(200);
    const kept = await call('GET', `/contacts/${keeper.id}/survey-opt-out`);
    expect(kept.json<{ optedOut: boolean }>().optedOut).toBe(true);
    expect((await call('GET', `/feedback/responses?contactId=${keeper.id}`)).statusCode).toBe(200);
  });

  it('queues an invitation again whose send job was lost, and surveys tickets closed right after solving', async () => {
    const { requeueStuckInvitations } = await import('./surveys.service');
    const email = `lost-${uniq()}@example.com`;
    const contact = (await call('POST', '/contacts', { name: 'Lost', emails: [email] })).json<{
      id: string;
    }>();
    const inserted = await server.deps.database.query(
      `insert into survey_invitations (survey_id, contact_id, language, status, send_at)
       values ($1, $2, 'en', 'scheduled', now() - interval '10 minutes') returning id`,
      [csat.id, contact.id],
    );
    expect(await requeueStuckInvitations(server.deps)).toBeGreaterThanOrEqual(1);
    await mailTo(email);
    const status = await server.deps.database.query('select status from survey_invitations where id = $1', [
      inserted.rows[0]!.id,
    ]);
    expect(status.rows[0]!.status).toMatch(/^(sending|sent)$/);

    const closedEmail = `closed-${uniq()}@example.com`;
    const created = (
      await call('POST', '/tickets', {
        subject: `Closed ${uniq()}`,
        requester: { email: closedEmail },
        message: { body: 'Hello' },
        channel: 'email',
      })
    ).json<CreatedTicket>();
    expect((await call('PATCH', `/tickets/${created.id}`, { status: 'closed' })).statusCode).toBe(200);
    await mailTo(closedEmail);
  });

  it('surveys a contact at most once in the throttle window, across surveys', async () => {
    const ces = await survey({ name: `CES ${uniq()}`, kind: 'ces', delayMinutes: 0, channels: ['phone'] });
    await call('PUT', '/feedback/settings', { throttleDays: 30 });
    try {
      const email = `throttle-${uniq()}@example.com`;
      const first = await solvedTicket(email);
      await invitationsOf(first.id, (l) => l.items[0]?.status === 'sent');
      const second = await solvedTicket(email);
      const throttled = await invitationsOf(second.id, (l) => l.items[0]?.status === 'skipped');
      expect(throttled.items[0]).toMatchObject({ skipReason: 'throttled' });
      // The CES survey asks only after phone tickets: this e-mail ticket was never scheduled for it.
      expect(throttled.items.map((i) => i.kind)).toEqual(['csat']);
    } finally {
      await call('PUT', '/feedback/settings', { throttleDays: 0 });
      await call('DELETE', `/surveys/${ces.id}`);
    }
  });

  it('skips a ticket reopened before its survey went out, and surveys it when solved again', async () => {
    const delayed = await call('PATCH', `/surveys/${csat.id}`, { delayMinutes: 60 });
    expect(delayed.statusCode, delayed.body).toBe(200);
    try {
      const ticket = await solvedTicket();
      const scheduled = await invitationsOf(ticket.id, (l) => l.items.length === 1);
      expect(scheduled.items[0]!.status).toBe('scheduled');
      await call('PATCH', `/tickets/${ticket.id}`, { status: 'open' });
      // The job due in an hour runs now, as if the hour had passed.
      await server.deps.database.db.execute(
        sql`update survey_invitations set send_at = now() where ticket_id = ${ticket.id}`,
      );
      const { sendInvitation } = await import('./surveys.service');
      expect(await sendInvitation(server.deps, scheduled.items[0]!.id)).toBeNull();
      const skipped = (
        await call('GET', `/feedback/invitations?ticketId=${ticket.id}`)
      ).json<SurveyInvitationList>();
      expect(skipped.items[0]).toMatchObject({ status: 'skipped', skipReason: 'reopened' });
      await call('PATCH', `/tickets/${ticket.id}`, { status: 'solved' });
      const again = await invitationsOf(ticket.id, (l) => l.items[0]?.status === 'scheduled');
      expect(again.items).toHaveLength(1);
      expect(again.items[0]!.skipReason).toBeNull();
    } finally {
      await call('PATCH', `/surveys/${csat.id}`, { delayMinutes: 0 });
    }
  });
});

describe('relationship NPS', () => {
  it('goes to the audience on schedule, once per round', async () => {
    const org = (await call('POST', '/organizations', { name: `Kunde AG ${uniq()}` })).json<{ id: string }>();
    const inside = [`nps-a-${uniq()}@example.com`, `nps-b-${uniq()}@example.com`];
    for (const email of inside) {
      const res = await call('POST', '/contacts', {
        name: 'NPS',
        emails: [email],
        organizationId: org.id,
        language: 'de',
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    const outside = `nps-out-${uniq()}@example.com`;
    await call('POST', '/contacts', { name: 'Other', emails: [outside] });
    const nps = await survey({
      name: `NPS ${uniq()}`,
      kind: 'nps',
      everyDays: 90,
      audience: { organizationIds: [org.id] },
    });
    expect(Date.parse(nps.nextRunAt!)).toBeGreaterThan(Date.now());
    expect(await runDueRounds(server.deps)).toBe(0);
    await call('PATCH', `/surveys/${nps.id}`, { nextRunAt: new Date(Date.now() - 1000).toISOString() });

    expect(await runDueRounds(server.deps)).toBe(2);
    const mail = await mailTo(inside[0]!);
    expect(mail.subject).toBe('Wie wahrscheinlich empfehlen Sie uns weiter?');
    expect(linksOf(mail).links.size).toBe(11);
    await mailTo(inside[1]!);
    expect(sink.messages.some((m) => JSON.stringify(m.to).includes(outside))).toBe(false);
    // The round is complete: the next starts in 90 days, and running again invites nobody twice.
    const after = (await call('GET', `/surveys/${nps.id}`)).json<Survey>();
    expect(Date.parse(after.nextRunAt!) - Date.now()).toBeGreaterThan(89 * 86_400_000);
    expect(await runDueRounds(server.deps)).toBe(0);

    const { token } = linksOf(mail);
    expect((await answer(token, { score: 11 })).statusCode).toBe(400);
    expect((await answer(token, { score: 'good' })).statusCode).toBe(400);
    const ok = await answer(token, { score: 9, comment: 'Guter Service' });
    expect(ok.json<PublicSurvey>()).toMatchObject({ state: 'answered', commentOpen: false });
  });
});

describe('scores', () => {
  it('are computed per group with Wilson intervals and response rates, days in the viewer’s time zone', async () => {
    const scored = await survey({ name: `Scored ${uniq()}`, kind: 'csat', scale: '1-5', active: false });
    const otherAgent = await bearerFor(server, 'agent');
    const contact = (
      await call('POST', '/contacts', { name: 'Scorer', emails: [`score-${uniq()}@example.com`] })
    ).json<{ id: string }>();
    // Agent 1: 5, 4, 4, 2 (3 of 4 satisfied) plus one unanswered; agent 2: 1 (0 of 1). Hand-checked below.
    const rows: [string, number | null, string][] = [
      [agent.user.id, 5, '2026-03-01T10:00:00Z'],
      [agent.user.id, 4, '2026-03-01T23:30:00Z'],
      [agent.user.id, 4, '2026-03-02T10:00:00Z'],
      [agent.user.id, 2, '2026-03-02T11:00:00Z'],
      [agent.user.id, null, '2026-03-02T12:00:00Z'],
      [otherAgent.user.id, 1, '2026-03-02T13:00:00Z'],
    ];
    for (const [agentId, score, at] of rows) {
      const inserted = await server.deps.database.db.execute(sql`
        insert into survey_invitations (survey_id, contact_id, agent_id, team_id, channel, language, status, send_at,
                                        sent_at, expires_at, answered_at)
        values (${scored.id}, ${contact.id}, ${agentId}, ${team.id}, 'email', 'en', 'sent', ${at}, ${at},
                ${at}::timestamptz + interval '14 days', ${score === null ? null : at})
        returning id`);
      if (score === null) continue;
      const id = (inserted as unknown as { rows: { id: string }[] }).rows[0]!.id;
      await server.deps.database.db.execute(sql`
        insert into survey_responses (invitation_id, survey_id, kind, scale, score, rating, contact_id, agent_id,
                                      team_id, channel, language, answered_at)
        values (${id}, ${scored.id}, 'csat', '1-5', ${score}, ${score >= 4 ? 'satisfied' : 'unsatisfied'},
                ${contact.id}, ${agentId}, ${team.id}, 'email', 'en', ${at})`);
    }
    const report = (group: string, extra = '') =>
      call(
        'GET',
        `/feedback/scores?kind=csat&surveyId=${scored.id}&from=2026-03-01&to=2026-03-02&groupBy=${group}${extra}`,
      );

    const byAgent = (await report('agent')).json<ScoreReport>();
    expect(byAgent.groups).toHaveLength(2);
    const first = byAgent.groups[0]!;
    expect(first).toMatchObject({ key: agent.user.id, answers: 4, sent: 5, satisfied: 3, score: 75 });
    // Wilson, 3 of 4: centre (0.75 + 1.9207/4)/1.9604 = 0.6275, half 1.96·√(0.046875 + 0.060023)/1.9604 = 0.3269.
    expect(first.low).toBeCloseTo(30.06, 1);
    expect(first.high).toBeCloseTo(95.44, 1);
    // Response rate 4 of 5 (Wilson): 37.55 %–96.38 %.
    expect(first.responseRate.estimate).toBeCloseTo(0.8, 10);
    expect(first.responseRate.low!).toBeCloseTo(0.3755, 3);
    expect(byAgent.groups[1]).toMatchObject({ answers: 1, score: 0 });

    // 23:30 UTC on 1 March is 2 March in Berlin.
    const utcDays = (await report('day')).json<ScoreReport>().groups.map((g) => [g.key, g.answers]);
    expect(utcDays).toEqual([
      ['2026-03-01', 2],
      ['2026-03-02', 3],
    ]);
    const berlinDays = (await report('day', '&timeZone=Europe/Berlin')).json<ScoreReport>().groups;
    expect(berlinDays.map((g) => [g.key, g.answers])).toEqual([
      ['2026-03-01', 1],
      ['2026-03-02', 4],
    ]);

    const overall = (await report('none')).json<ScoreReport>().groups[0]!;
    expect(overall).toMatchObject({ answers: 5, satisfied: 3, score: 60 });
    const bad = await call('GET', '/feedback/scores?kind=csat&from=2026-03-05&to=2026-03-01');
    expect(bad.statusCode).toBe(400);
    expect(bad.json<Problem>().errors?.[0]?.field).toBe('from');
    expect((await call('GET', '/feedback/scores?kind=csat&timeZone=Mars/Base')).statusCode).toBe(400);
  });
});
