import { type SQL, sql } from 'drizzle-orm';

/** The stemming of an article's language; `simple` is added so names, codes and numbers match as typed. */
export function languageConfig(language: string): SQL {
  return language === 'de' ? sql`'german'::regconfig` : sql`'english'::regconfig`;
}

/**
 * The search document of an article: title (weight A), tags (B) and body (C), each stemmed in the article's
 * language and as exact words. Every write of an article's title, tags or body sets it.
 */
export function articleVector(
  language: string,
  title: string,
  tags: readonly string[],
  bodyText: string,
): SQL {
  const config = languageConfig(language);
  const tagText = tags.join(' ');
  return sql`setweight(to_tsvector(${config}, ${title}), 'A') || setweight(to_tsvector('simple', ${title}), 'A')
    || setweight(to_tsvector(${config}, ${tagText}), 'B') || setweight(to_tsvector('simple', ${tagText}), 'B')
    || setweight(to_tsvector(${config}, ${bodyText}), 'C') || setweight(to_tsvector('simple', ${bodyText}), 'C')`;
}
