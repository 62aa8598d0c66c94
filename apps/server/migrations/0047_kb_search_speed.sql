-- The "head" of an article's search document (docs/adr/0041): title (A) and tags (B), stemmed in the article's
-- language and as exact words, exactly as in search_vector. Small enough to stay in the row, so a search ranks
-- every match by it without reading the large body document. IMMUTABLE because a generated column requires it:
-- array_to_string is only STABLE in general, but over text[] its result depends on no setting.
CREATE FUNCTION kb_article_head(language text, title text, tags text[]) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT setweight(to_tsvector(c, title), 'A') || setweight(to_tsvector('simple', title), 'A')
      || setweight(to_tsvector(c, t), 'B') || setweight(to_tsvector('simple', t), 'B')
    FROM (SELECT (CASE WHEN language = 'de' THEN 'german' ELSE 'english' END)::regconfig AS c,
                 array_to_string(tags, ' ') AS t) s
$$;
--> statement-breakpoint
ALTER TABLE "kb_articles" ADD COLUMN "search_head" "tsvector" GENERATED ALWAYS AS (kb_article_head(language, title, tags)) STORED;--> statement-breakpoint
CREATE INDEX "kb_articles_search_head_idx" ON "kb_articles" USING gin ("search_head");--> statement-breakpoint
CREATE INDEX "kb_articles_search_de_idx" ON "kb_articles" USING gin ("search_vector") WHERE "kb_articles"."language" = 'de';--> statement-breakpoint
CREATE INDEX "kb_articles_search_en_idx" ON "kb_articles" USING gin ("search_vector") WHERE "kb_articles"."language" = 'en';--> statement-breakpoint
CREATE INDEX "kb_articles_search_head_de_idx" ON "kb_articles" USING gin ("search_head") WHERE "kb_articles"."language" = 'de';--> statement-breakpoint
CREATE INDEX "kb_articles_search_head_en_idx" ON "kb_articles" USING gin ("search_head") WHERE "kb_articles"."language" = 'en';