import { summarize } from '@keepdesk/stats';
import pg from 'pg';
import { startKeepdeskInProcess } from './in-process';
import { type BenchResult, latencies, progress, round } from './lib';

const ARTICLES = 50_000;
const BATCH = 5_000;
const QUERIES = 300;

/** A seeded generator, so every run searches the same knowledge base with the same queries. */
function generator(seed: number) {
  // mulberry32: 32-bit integer steps, so no precision is lost (a float LCG repeats after a few thousand draws).
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  /** Zipf-like: the first words of a list are used far more often than the last. */
  const zipf = <T>(items: readonly T[]) => items[Math.floor(items.length * random() ** 2.5)]!;
  return { random, pick, zipf };
}

/** Support topics, each with its own words, and the common words of help articles, in both languages. */
const TOPICS = {
  en: [
    'password reset login sign account locked forgotten link email expired',
    'invoice billing payment refund charge credit card receipt tax vat',
    'export report spreadsheet csv pdf download schedule dashboard chart filter',
    'shipping delivery parcel tracking carrier address courier delayed damaged returns',
    'subscription plan upgrade downgrade cancel renewal trial seats licence pricing',
    'integration webhook api token slack calendar sync connector oauth zapier',
    'mobile app iphone android notification push offline install update crash',
    'team member invite permission role admin owner access group workspace',
    'security authentication factor code authenticator sso saml audit encryption',
    'import migration upload contacts duplicates mapping columns spreadsheet records history',
    'privacy gdpr deletion consent cookie retention personal data request processor',
    'printer label barcode scanner hardware device bluetooth pairing firmware battery',
  ],
  de: [
    'passwort zurücksetzen anmeldung konto gesperrt vergessen link email abgelaufen',
    'rechnung zahlung rückerstattung abbuchung kreditkarte beleg steuer mehrwertsteuer gutschrift',
    'export bericht tabelle csv pdf herunterladen zeitplan dashboard diagramm filter',
    'versand lieferung paket sendungsverfolgung spediteur adresse kurier verspätet beschädigt rücksendung',
    'abonnement tarif upgrade kündigung verlängerung testphase lizenz preise plätze',
    'integration webhook schnittstelle token kalender synchronisierung verbindung oauth',
    'mobile app iphone android benachrichtigung offline installation aktualisierung absturz',
    'team mitglied einladung berechtigung rolle administrator eigentümer zugriff gruppe arbeitsbereich',
    'sicherheit authentifizierung faktor code authenticator sso saml protokoll verschlüsselung',
    'import migration hochladen kontakte duplikate zuordnung spalten datensätze verlauf',
    'datenschutz dsgvo löschung einwilligung cookie aufbewahrung personenbezogene daten auftragsverarbeiter',
    'drucker etikett barcode scanner gerät bluetooth kopplung firmware akku',
  ],
};
const COMMON = {
  en: `the a to you your and of in for on with is can this that it be or if from by when not are will as at an
    click open select choose settings page button menu option save change new first then next screen window list
    customer order support service help article step steps time day days number name field value error message
    show shows find enter check make sure use using need want see also only each all more other after before
    into while within without again right left top bottom section tab panel view edit delete remove add create`
    .split(/\s+/)
    .filter(Boolean),
  de: `der die das und zu den in von mit sie ist für auf im dem nicht ein eine als auch es an werden aus wenn
    können sich oder einer bei nach wird über so zum durch unter klicken öffnen wählen einstellungen seite
    schaltfläche menü option speichern ändern neu zuerst dann nächste bildschirm fenster liste kunde bestellung
    hilfe artikel schritt schritte zeit tag tage nummer name feld wert fehler meldung anzeigen finden eingeben
    prüfen sicher verwenden brauchen sehen nur jede alle mehr andere danach vorher rechts links oben unten
    bereich reiter ansicht bearbeiten entfernen hinzufügen erstellen`
    .split(/\s+/)
    .filter(Boolean),
};
const SUFFIXES = { en: ['', '', '', 's', 'ing', 'ed'], de: ['', '', '', 'e', 'en', 'er', 'ung'] };
const SYLLABLES = {
  en: 'con tra fer mo del ex port line sta tion ser vice ac count wor ker fil ter ma nage ment pro cess in ter face'.split(
    ' ',
  ),
  de: 'ver wal tung ab rech nung ein stel lun gen kon to be ar bei ter la ger wa ren kor b auf trag zah ler'.split(
    ' ',
  ),
};

/**
 * The long tail of a real knowledge base's vocabulary (feature, product and field names), as pronounceable
 * made-up words: 6,000 per language, used Zipf-like so a few are common and most are rare.
 */
function tailWords(language: Language): string[] {
  const { random, pick } = generator(language === 'de' ? 3 : 5);
  const words = new Set<string>();
  while (words.size < 6_000) {
    const length = 2 + Math.floor(random() * 3);
    words.add(Array.from({ length }, () => pick(SYLLABLES[language])).join(''));
  }
  return [...words];
}

type Language = 'de' | 'en';
interface Article {
  language: Language;
  title: string;
  body: string;
  tags: string[];
  status: string;
  visibility: string;
}

function topicWords(language: Language): string[][] {
  return TOPICS[language].map((line) => line.split(' '));
}

function makeArticles(count: number): Article[] {
  const { random, pick, zipf } = generator(7);
  const tailEn = tailWords('en');
  const tailDe = tailWords('de');
  const out: Article[] = [];
  for (let i = 0; i < count; i++) {
    const language: Language = i % 2 === 0 ? 'en' : 'de';
    const topics = topicWords(language);
    const tail = language === 'de' ? tailDe : tailEn;
    const topic = pick(topics);
    const second = random() < 0.3 ? pick(topics) : topic;
    const word = () => {
      const r = random();
      if (r < 0.2) return `${pick(r < 0.14 ? topic : second)}${pick(SUFFIXES[language])}`;
      if (r < 0.45) return zipf(tail);
      return zipf(COMMON[language]);
    };
    const sentence = (length: number) => Array.from({ length }, word).join(' ');
    const titleWords = [pick(topic), zipf(tail), zipf(COMMON[language]), pick(topic)];
    const title = titleWords.join(' ').replace(/^./, (c) => c.toUpperCase());
    const sentences = 8 + Math.floor(random() * 24);
    const body = Array.from({ length: sentences }, () => `${sentence(6 + Math.floor(random() * 12))}.`).join(
      ' ',
    );
    const status = random() < 0.8 ? 'published' : pick(['draft', 'in_review', 'archived']);
    out.push({
      language,
      title,
      body,
      tags: [pick(topic), pick(topic)],
      status,
      visibility: random() < 0.7 ? 'public' : 'internal',
    });
  }
  return out;
}

interface Query {
  text: string;
  language?: Language;
  audience: 'agent' | 'public';
}

/** What people type: one to three topic words, inflected, a few common ones, typos, and words nobody wrote. */
function makeQueries(count: number): Query[] {
  const { random, pick, zipf } = generator(11);
  const tails = { en: tailWords('en'), de: tailWords('de') };
  const typo = (word: string) => {
    const at = 1 + Math.floor(random() * (word.length - 2));
    return random() < 0.5
      ? word.slice(0, at) + word.slice(at + 1)
      : word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2);
  };
  return Array.from({ length: count }, (_, i) => {
    const language: Language = random() < 0.5 ? 'en' : 'de';
    const topic = pick(topicWords(language));
    const kind = i % 10;
    let text: string;
    if (kind < 4) text = [pick(topic), pick(topic)].slice(0, 1 + Math.floor(random() * 2)).join(' ');
    else if (kind < 6)
      text = `${pick(topic)}${pick(SUFFIXES[language])} ${pick(topic)} ${pick(COMMON[language])}`;
    else if (kind < 7) text = `${zipf(tails[language])} ${pick(topic)}`;
    else if (kind < 9) text = typo(pick(topic.filter((w) => w.length > 5)));
    else text = pick(['qwertzuiop', 'flux capacitor', 'zzxyq', 'hoverboard rental', 'teleportation']);
    return {
      text,
      language: random() < 0.7 ? language : undefined,
      audience: random() < 0.5 ? 'public' : 'agent',
    };
  });
}

/** The search document in SQL over the stored columns: the very expression of `articleVector` (checked below). */
const VECTOR_SQL = `
  setweight(to_tsvector(c, title), 'A') || setweight(to_tsvector('simple', title), 'A')
  || setweight(to_tsvector(c, array_to_string(tags, ' ')), 'B') || setweight(to_tsvector('simple', array_to_string(tags, ' ')), 'B')
  || setweight(to_tsvector(c, body_text), 'C') || setweight(to_tsvector('simple', body_text), 'C')`;

async function load(client: pg.Client, articles: Article[]): Promise<string> {
  const brand = await client.query<{ id: string }>(`select id from kb_brands where slug = 'default'`);
  const brandId = brand.rows[0]!.id;
  const categories = await client.query<{ id: string }>(
    `insert into kb_categories (brand_id, slug, names)
     select $1, 'topic-' || i, jsonb_build_object('en', 'Topic ' || i, 'de', 'Thema ' || i)
       from generate_series(1, 12) as i returning id`,
    [brandId],
  );
  const categoryIds = categories.rows.map((r) => r.id);
  for (let start = 0; start < articles.length; start += BATCH) {
    progress(`kb.search.p95: articles ${start + 1}–${Math.min(start + BATCH, articles.length)}`);
    const batch = articles.slice(start, start + BATCH);
    await client.query(
      `insert into kb_articles (translation_group_id, language, title, slug, body_html, body_text, tags, category_id,
                                visibility, status, published_at, search_vector)
       select gen_random_uuid(), x.language, x.title, lower(replace(x.title, ' ', '-')), '<p>' || x.body || '</p>',
              x.body, string_to_array(x.tags, ' '), x.category_id, x.visibility, x.status,
              case when x.status = 'published' then now() end,
              (select ${VECTOR_SQL}
                 from (select (case when x.language = 'de' then 'german' else 'english' end)::regconfig as c,
                              x.title, string_to_array(x.tags, ' ') as tags, x.body as body_text) s)
         from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::uuid[], $6::text[], $7::text[])
              as x(language, title, body, tags, category_id, visibility, status)`,
      [
        batch.map((a) => a.language),
        batch.map((a) => a.title),
        batch.map((a) => a.body),
        batch.map((a) => a.tags.join(' ')),
        batch.map((_, i) => categoryIds[(start + i) % categoryIds.length]),
        batch.map((a) => a.visibility),
        batch.map((a) => a.status),
      ],
    );
  }
  // What autovacuum does after a bulk load: moves the GIN indexes' pending entries into the index proper.
  await client.query('vacuum analyze kb_articles');
  await client.query('vacuum analyze kb_search_terms');
  return brandId;
}

/**
 * `kb.search.p95`: p95 of `searchArticles` (ranked first page with excerpts; typo correction when nothing
 * matches) over 50,000 articles in German and English, 300 varied queries (a fifth misspelt, a tenth matching
 * nothing), half public and half agent; reference: the bare ranked full-text statement through `pg`.
 */
export async function knowledgeSearch(): Promise<BenchResult> {
  const keepdesk = await startKeepdeskInProcess();
  const client = new pg.Client({ connectionString: keepdesk.databaseUrl });
  await client.connect();
  try {
    const articles = makeArticles(ARTICLES);
    const brandId = await load(client, articles);
    const { articleVector } = await import('../apps/server/src/modules/knowledge/search-document');
    const { articles: table } = await import('../apps/server/src/modules/knowledge/knowledge.tables');
    const sample = articles[1]!;
    const [expected] = await keepdesk.deps.database.db
      .select({ vector: articleVector(sample.language, sample.title, sample.tags, sample.body) })
      .from(table)
      .limit(1);
    const loaded = await client.query<{ vector: string }>(
      'select search_vector::text as vector from kb_articles where title = $1 and body_text = $2',
      [sample.title, sample.body],
    );
    if (String(expected?.vector) !== loaded.rows[0]?.vector) {
      throw new Error('the bulk-loaded search document differs from articleVector');
    }
    const { searchArticles } = await import('../apps/server/src/modules/knowledge');
    const queries = makeQueries(QUERIES);
    let i = 0;
    let hits = 0;
    let corrected = 0;
    progress(`kb.search.p95: ${QUERIES} searches through searchArticles`);
    const times = await latencies(async () => {
      const q = queries[i++ % queries.length]!;
      const result = await searchArticles(keepdesk.deps, {
        text: q.text,
        language: q.language,
        audience: q.audience,
        brandId: q.audience === 'public' ? brandId : undefined,
        log: { source: q.audience === 'public' ? 'helpcenter' : 'agent' },
      });
      if (result.total > 0) hits++;
      if (result.correctedText) corrected++;
    }, QUERIES);
    progress(`kb.search.p95: ${hits} of ${QUERIES + 5} found something, ${corrected} after a correction`);
    if (corrected === 0 || hits < QUERIES / 2) throw new Error('the queries do not exercise the search');
    progress(`kb.search.p95: ${QUERIES} bare ranked full-text statements through pg`);
    i = 0;
    const reference = await latencies(async () => {
      const q = queries[i++ % queries.length]!;
      const config = q.language === 'de' ? 'german' : 'english';
      await client.query(
        `select id from kb_articles where search_vector @@ websearch_to_tsquery($2::regconfig, $1)
          order by ts_rank_cd(search_vector, websearch_to_tsquery($2::regconfig, $1)) desc limit 10`,
        [q.text, config],
      );
    }, QUERIES);
    const value = summarize(times).p95;
    const referenceP95 = summarize(reference).p95;
    return {
      id: 'kb.search.p95',
      value: round(value, 1),
      unit: 'ms',
      reference: {
        name: 'bare ranked full-text statement (first 10 ids) through pg',
        value: round(referenceP95, 1),
      },
      ratio: round(referenceP95 / value, 3),
    };
  } finally {
    await client.end();
    await keepdesk.stop();
  }
}
