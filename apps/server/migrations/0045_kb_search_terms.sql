CREATE TABLE "kb_search_terms" (
	"word" text NOT NULL,
	"language" text NOT NULL,
	"doc_count" integer DEFAULT 0 NOT NULL,
	"public_count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "kb_search_terms_word_language_pk" PRIMARY KEY("word","language")
);
--> statement-breakpoint
CREATE INDEX "kb_search_terms_word_trgm_idx" ON "kb_search_terms" USING gin ("word" gin_trgm_ops);--> statement-breakpoint
-- The lexicon of typo correction follows every article write (docs/adr/0041): per changed row, its words count
-- -1 for the old state and +1 for the new one, in all not-archived articles and in published public ones.
-- A word whose counts fall to 0 stays as a row and is ignored by the search (no delete in the write path).
CREATE FUNCTION kb_article_words(title text, tags text[], body_text text) RETURNS SETOF text
LANGUAGE sql IMMUTABLE AS $$
  SELECT w.lexeme FROM unnest(to_tsvector('simple', coalesce(title, '') || ' ' || array_to_string(tags, ' ') || ' ' || coalesce(body_text, ''))) AS w
  WHERE length(w.lexeme) BETWEEN 3 AND 40 AND w.lexeme !~ '^[0-9._/-]+$'
$$;
--> statement-breakpoint
CREATE FUNCTION kb_search_terms_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Each branch names only the transition tables its operation has: a statement is planned when first run.
  IF TG_OP = 'INSERT' THEN
    INSERT INTO kb_search_terms AS t (word, language, doc_count, public_count)
      SELECT w, n.language, sum((n.status <> 'archived')::int), sum((n.status = 'published' AND n.visibility = 'public')::int)
      FROM new_rows n CROSS JOIN LATERAL kb_article_words(n.title, n.tags, n.body_text) AS w
      GROUP BY w, n.language
      ON CONFLICT (word, language) DO UPDATE
        SET doc_count = t.doc_count + excluded.doc_count, public_count = t.public_count + excluded.public_count;
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE kb_search_terms t SET doc_count = t.doc_count - d.docs, public_count = t.public_count - d.publics
      FROM (SELECT w, o.language, sum((o.status <> 'archived')::int) AS docs,
                   sum((o.status = 'published' AND o.visibility = 'public')::int) AS publics
            FROM old_rows o CROSS JOIN LATERAL kb_article_words(o.title, o.tags, o.body_text) AS w
            GROUP BY w, o.language) d
      WHERE t.word = d.w AND t.language = d.language;
  ELSE
    -- Counter updates (views, votes) change no word: only rows whose words or audience changed count.
    INSERT INTO kb_search_terms AS t (word, language, doc_count, public_count)
      SELECT w, language, sum(docs), sum(publics) FROM (
        SELECT w, o.language, -(o.status <> 'archived')::int AS docs,
               -(o.status = 'published' AND o.visibility = 'public')::int AS publics
        FROM old_rows o JOIN new_rows n ON n.id = o.id
          CROSS JOIN LATERAL kb_article_words(o.title, o.tags, o.body_text) AS w
        WHERE (n.title, n.tags, n.body_text, n.language, n.status, n.visibility)
          IS DISTINCT FROM (o.title, o.tags, o.body_text, o.language, o.status, o.visibility)
        UNION ALL
        SELECT w, n.language, (n.status <> 'archived')::int, (n.status = 'published' AND n.visibility = 'public')::int
        FROM new_rows n JOIN old_rows o ON o.id = n.id
          CROSS JOIN LATERAL kb_article_words(n.title, n.tags, n.body_text) AS w
        WHERE (n.title, n.tags, n.body_text, n.language, n.status, n.visibility)
          IS DISTINCT FROM (o.title, o.tags, o.body_text, o.language, o.status, o.visibility)
      ) AS delta
      GROUP BY w, language HAVING sum(docs) <> 0 OR sum(publics) <> 0
      ON CONFLICT (word, language) DO UPDATE
        SET doc_count = t.doc_count + excluded.doc_count, public_count = t.public_count + excluded.public_count;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER kb_articles_terms_insert AFTER INSERT ON kb_articles REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION kb_search_terms_sync();
--> statement-breakpoint
CREATE TRIGGER kb_articles_terms_update AFTER UPDATE ON kb_articles REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION kb_search_terms_sync();
--> statement-breakpoint
CREATE TRIGGER kb_articles_terms_delete AFTER DELETE ON kb_articles REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION kb_search_terms_sync();
--> statement-breakpoint
INSERT INTO kb_search_terms (word, language, doc_count, public_count)
  SELECT w, a.language, sum((a.status <> 'archived')::int), sum((a.status = 'published' AND a.visibility = 'public')::int)
  FROM kb_articles a CROSS JOIN LATERAL kb_article_words(a.title, a.tags, a.body_text) AS w
  GROUP BY w, a.language;
