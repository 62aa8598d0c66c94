import pg from 'pg';
import type { KeepdeskUnderTest } from './keepdesk';
import { type BenchResult, progress, requestsPerSecond, round } from './lib';

const LOAD = { connections: 20, warmUpSeconds: 3, seconds: 10 };

/** A published public article of about 3 KB with a German translation and two related articles. */
async function publicArticle(databaseUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const brand = await client.query<{ id: string; slug: string }>(
      `select id, slug from kb_brands order by slug = 'default' desc, created_at limit 1`,
    );
    const { id: brandId, slug: brandSlug } = brand.rows[0]!;
    const category = await client.query<{ id: string }>(
      `insert into kb_categories (brand_id, slug, names) values ($1, 'bench-' || md5(random()::text), $2)
       returning id`,
      [brandId, JSON.stringify({ en: 'Account', de: 'Konto' })],
    );
    const section = await client.query<{ id: string }>(
      `insert into kb_sections (category_id, slug, names) values ($1, 'login', $2) returning id`,
      [category.rows[0]!.id, JSON.stringify({ en: 'Signing in', de: 'Anmelden' })],
    );
    const paragraph =
      'Open the sign-in page, choose “Forgot password” and enter the e-mail address of your account. ' +
      'We send you a link that is valid for one hour; open it on the same device and choose a new password.';
    const body = Array.from({ length: 12 }, (_, i) => `<h2>Step ${i + 1}</h2><p>${paragraph}</p>`).join('');
    const insert = `insert into kb_articles (translation_group_id, language, title, slug, body_html, body_text,
        category_id, section_id, visibility, status, published_at, search_vector)
      values ($1, $2, $3, $4, $5, $6, $7, $8, 'public', 'published', now(), to_tsvector('simple', $3))
      returning number, slug`;
    const group = await client.query<{ id: string }>('select gen_random_uuid() as id');
    const ids = [category.rows[0]!.id, section.rows[0]!.id];
    const article = await client.query<{ number: number; slug: string }>(insert, [
      group.rows[0]!.id,
      'en',
      'Reset your password',
      'reset-your-password',
      body,
      paragraph,
      ...ids,
    ]);
    await client.query(insert, [
      group.rows[0]!.id,
      'de',
      'Passwort zurücksetzen',
      'passwort-zuruecksetzen',
      body,
      paragraph,
      ...ids,
    ]);
    for (const title of ['Change your e-mail address', 'Sign in with single sign-on']) {
      await client.query(insert, [
        (await client.query<{ id: string }>('select gen_random_uuid() as id')).rows[0]!.id,
        'en',
        title,
        title.toLowerCase().replace(/[^a-z]+/g, '-'),
        `<p>${paragraph}</p>`,
        paragraph,
        ...ids,
      ]);
    }
    const { number, slug } = article.rows[0]!;
    return `/hc/${brandSlug}/en/articles/${number}-${slug}`;
  } finally {
    await client.end();
  }
}

/**
 * `helpcenter.article.http`: public article pages/s from Keepdesk on PostgreSQL — the brand from its short
 * cache, the article rendered at most once per few seconds (with its category, section, translation and related
 * articles), the ETag and the view counted in memory — against `/healthz` of the same server under the same
 * load: the floor of the framework, its hooks and logging (a bare Node server is ~10× faster than either).
 */
export async function helpCenterArticle(k: KeepdeskUnderTest): Promise<BenchResult> {
  progress('helpcenter.article.http: a public article with a translation and related articles');
  const url = `${k.baseUrl}${await publicArticle(k.databaseUrl)}`;
  const first = await fetch(url);
  if (first.status !== 200) throw new Error(`${url}: ${first.status}`);
  progress(
    `helpcenter.article.http: keepdesk under load (${LOAD.connections} connections, ${LOAD.seconds} s)`,
  );
  const pages = await requestsPerSecond(url, {}, LOAD);
  progress('helpcenter.article.http: /healthz of the same server under the same load');
  const floor = await requestsPerSecond(`${k.baseUrl}/healthz`, {}, LOAD);
  return {
    id: 'helpcenter.article.http',
    value: round(pages, 0),
    unit: 'pages/s',
    reference: { name: '/healthz of the same server', value: round(floor, 0) },
    ratio: round(pages / floor, 3),
  };
}
