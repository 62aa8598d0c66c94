import autocannon from 'autocannon';
import pg from 'pg';
import { surveyToken } from '../apps/server/src/modules/feedback/surveys.domain';
import type { KeepdeskUnderTest } from './keepdesk';
import { type BenchResult, Child, freePort, progress, round, waitForUrl } from './lib';

const LOAD = { connections: 20, warmUpSeconds: 3, seconds: 10 };
/** More sent surveys than the load can answer: each link answers once, a second answer would be a 409. */
const INVITATIONS = 100_000;

/** A CSAT survey sent to one contact `INVITATIONS` times (as if over years), straight into the database. */
async function sentSurveys(databaseUrl: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const texts = {
      subject: 'How did we do?',
      intro: '',
      question: 'How satisfied are you?',
      commentPrompt: '',
      thanks: 'Thanks',
    };
    const survey = await client.query<{ id: string }>(
      `insert into surveys (name, kind, scale, audience, texts, follow_up)
       values ('Bench CSAT', 'csat', 'good-bad', '{"organizationIds":[],"customer":[]}', $1, false) returning id`,
      [JSON.stringify({ en: texts, de: texts })],
    );
    const contact = await client.query<{ id: string }>(
      `insert into contacts (name) values ('Bench Kunde') returning id`,
    );
    const invitations = await client.query<{ id: string }>(
      `insert into survey_invitations (survey_id, contact_id, channel, language, status, send_at, sent_at, expires_at)
       select $1, $2, 'email', 'en', 'sent', now(), now(), now() + interval '14 days' from generate_series(1, $3)
       returning id`,
      [survey.rows[0]!.id, contact.rows[0]!.id, INVITATIONS],
    );
    // The key Keepdesk signs links with, made here first (Keepdesk makes it on first use otherwise).
    await client.query(
      `insert into email_secrets (name, value) values ('survey-token', md5(random()::text) || md5(random()::text))
       on conflict do nothing`,
    );
    const secret = (
      await client.query<{ value: string }>(`select value from email_secrets where name = 'survey-token'`)
    ).rows[0]!.value;
    return invitations.rows.map((row) => surveyToken(secret, row.id));
  } finally {
    await client.end();
  }
}

/** Answers/s under load, each request on the next link; fails on any answer that is not 201. */
async function answersPerSecond(baseUrl: string, path: (i: number) => string, body: (i: number) => string) {
  let next = 0;
  const run = (duration: number) =>
    autocannon({
      url: baseUrl,
      connections: LOAD.connections,
      duration,
      requests: [
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          setupRequest: (request) => {
            const i = next++;
            return { ...request, path: path(i), body: body(i) };
          },
        },
      ],
    });
  await run(LOAD.warmUpSeconds);
  const result = await run(LOAD.seconds);
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${result.non2xx} non-2xx answers and ${result.errors} errors under load`);
  }
  return { perSecond: result.requests.average, used: next };
}

/**
 * `survey.answer.http`: survey answers/s through the public endpoint on PostgreSQL — each answer checks the
 * signed link, reads the invitation and its survey, and records the answer once with its outbox event (one
 * statement) — against a bare Fastify route inserting one row with `pg` into the same database, same load.
 */
export async function surveyAnswer(k: KeepdeskUnderTest): Promise<BenchResult> {
  progress(`survey.answer.http: ${INVITATIONS} sent surveys`);
  const tokens = await sentSurveys(k.databaseUrl);
  progress(`survey.answer.http: keepdesk under load (${LOAD.connections} connections, ${LOAD.seconds} s)`);
  const keepdesk = await answersPerSecond(
    k.baseUrl,
    (i) => {
      const token = tokens[i];
      if (!token) throw new Error('more answers than sent surveys: raise INVITATIONS');
      return `/api/v1/public/surveys/${token}/answers`;
    },
    (i) =>
      JSON.stringify({
        score: i % 5 === 0 ? 'bad' : 'good',
        comment: i % 3 === 0 ? 'Schnell und freundlich' : undefined,
      }),
  );
  const port = await freePort();
  const reference = new Child(process.execPath, [
    '--import',
    'tsx',
    'bench/insert-server.ts',
    String(port),
    k.databaseUrl,
  ]);
  try {
    await waitForUrl(`http://127.0.0.1:${port}/healthz`, 30_000);
    progress('survey.answer.http: bare Fastify + pg insert under the same load');
    const bare = await answersPerSecond(
      `http://127.0.0.1:${port}`,
      () => '/insert',
      () => JSON.stringify({ subject: 'good', message: { body: 'Schnell und freundlich' } }),
    );
    return {
      id: 'survey.answer.http',
      value: round(keepdesk.perSecond, 0),
      unit: 'answers/s',
      reference: { name: 'bare Fastify route inserting one row with pg', value: round(bare.perSecond, 0) },
      ratio: round(keepdesk.perSecond / bare.perSecond, 3),
    };
  } finally {
    await reference.stop();
  }
}
