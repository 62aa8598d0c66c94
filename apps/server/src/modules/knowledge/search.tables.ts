import { sql } from 'drizzle-orm';
import { index, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';

/**
 * The words of the knowledge base as written (lower case, not stemmed), per article language, with how many
 * articles use them: the lexicon that typo correction matches a misspelt query word against (trigram index).
 * `public_count` counts only published public articles, so a public search never suggests an internal word.
 * A database trigger on `kb_articles` keeps both counts (migration 0044; docs/adr/0041).
 */
export const searchTerms = pgTable(
  'kb_search_terms',
  {
    word: text('word').notNull(),
    language: text('language').$type<'de' | 'en'>().notNull(),
    /** Articles that are not archived and use the word. */
    docCount: integer('doc_count').notNull().default(0),
    /** Published public articles that use the word. */
    publicCount: integer('public_count').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.word, t.language] }),
    index('kb_search_terms_word_trgm_idx').using('gin', sql`${t.word} gin_trgm_ops`),
  ],
);
