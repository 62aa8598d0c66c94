import { tokens } from '@keepdesk/stats';
import autocannon from 'autocannon';
import pg from 'pg';
import { surveyToken } from '../apps/server/src/modules/feedback/surveys.domain';
import { startKeepdeskInProcess } from './in-process';
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

/** Comments as customers write them: ten subjects in German and English, varied words, some noise. */
function syntheticComments(count: number): { id: string; text: string }[] {
  let seed = 42;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const subjects = [
    [
      'Rechnung doppelt abgebucht',
      'falscher Betrag auf der Rechnung',
      'Rechnung nicht erhalten',
      'Gutschrift fehlt',
    ],
    ['invoice charged twice', 'wrong amount on my invoice', 'refund still missing', 'billing address wrong'],
    [
      'Paket beschädigt angekommen',
      'Lieferung verspätet',
      'Sendungsverfolgung zeigt nichts',
      'Paket nie angekommen',
    ],
    ['parcel arrived damaged', 'delivery was late', 'tracking shows nothing', 'package never arrived'],
    ['Passwort zurücksetzen klappt nicht', 'Login nach Update unmöglich', 'Konto gesperrt'],
    ['password reset link broken', 'cannot login after update', 'account locked after password change'],
    ['App stürzt beim Export ab', 'Export als PDF bricht ab', 'Bericht lädt nicht'],
    ['app crashes on export', 'PDF export fails', 'report never loads'],
    ['sehr freundlicher Support', 'schnelle und kompetente Hilfe', 'tolle Beratung am Telefon'],
    ['very friendly support', 'quick and helpful answer', 'great advice on the phone'],
  ];
  const filler = [
    'heute',
    'leider',
    'wieder',
    'seit Montag',
    'bitte',
    'danke',
    'again',
    'today',
    'please',
    'since Monday',
    'my colleague',
    'unser Team',
    'the customer portal',
    'im Kundenportal',
    'last week',
    'letzte Woche',
  ];
  return Array.from({ length: count }, (_, i) => {
    const words = [pick(pick(subjects)), pick(filler)];
    if (random() < 0.3) words.push(pick(pick(subjects)));
    if (random() < 0.5) words.push(pick(filler), pick(filler));
    return { id: String(i), text: words.join(' ') };
  });
}

/**
 * `feedback.themes`: seconds for a theme run over 100,000 comments on PostgreSQL — `computeThemes` as its job
 * runs it: the texts read, the sentiment of each, keywords, co-occurrence, themes, assignment, and the run
 * with its 100,000 drill-down rows written — against one pass that only tokenises the same texts and counts
 * their words in memory, the least any keyword method must do.
 */
export async function feedbackThemes(): Promise<BenchResult> {
  const comments = syntheticComments(100_000);
  progress('feedback.themes: counting the words of 100,000 comments (reference)');
  let started = performance.now();
  const counts = new Map<string, number>();
  for (const comment of comments) {
    for (const word of tokens(comment.text)) counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  const reference = (performance.now() - started) / 1000;
  const keepdesk = await startKeepdeskInProcess();
  try {
    const client = new pg.Client({ connectionString: keepdesk.databaseUrl });
    await client.connect();
    progress('feedback.themes: 100,000 comments as reviews in the database');
    const day = (i: number) => new Date(Date.UTC(2026, 8, 1) + (i % 90) * 86_400_000).toISOString();
    await client.query(
      `insert into mentions (source, kind, external_id, author, text, posted_at, sentiment, sentiment_score)
       select 'bench', 'review', i::text, 'Kunde', t, d, 'neutral', 0
         from unnest($1::text[], $2::timestamptz[]) with ordinality as x(t, d, i)`,
      [comments.map((c) => c.text), comments.map((_, i) => day(i))],
    );
    const run = await client.query<{ id: string }>(
      `insert into theme_runs (from_day, to_day) values ('2026-09-01', '2026-11-30') returning id`,
    );
    await client.end();
    const { computeThemes } = await import('../apps/server/src/modules/feedback/themes.service');
    progress('feedback.themes: computeThemes over them');
    started = performance.now();
    await computeThemes(keepdesk.deps, run.rows[0]!.id);
    const seconds = (performance.now() - started) / 1000;
    const { rows } = await keepdesk.deps.database.query(
      'select status, documents, themes from theme_runs where id = $1',
      [run.rows[0]!.id],
    );
    const done = rows[0] as { status: string; documents: number; themes: unknown[] };
    if (done.status !== 'done' || done.documents !== 100_000 || done.themes.length < 5) {
      throw new Error(`theme run ${done.status}: ${done.documents} texts, ${done.themes.length} themes`);
    }
    return {
      id: 'feedback.themes',
      value: round(seconds, 2),
      unit: 's',
      reference: {
        name: 'tokenising and counting the words of the same comments in memory',
        value: round(reference, 2),
      },
      ratio: round(reference / seconds, 3),
    };
  } finally {
    await keepdesk.stop();
  }
}
