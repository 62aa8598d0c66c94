ALTER TABLE "ticket_messages" ADD COLUMN "search_vector" "tsvector";--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "search_vector" "tsvector";--> statement-breakpoint
CREATE INDEX "ticket_messages_search_idx" ON "ticket_messages" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "tickets_search_idx" ON "tickets" USING gin ("search_vector");--> statement-breakpoint
UPDATE "tickets" SET "search_vector" =
	setweight(to_tsvector((CASE WHEN "language" = 'de' THEN 'german' ELSE 'english' END)::regconfig, "subject"), 'A')
	|| setweight(to_tsvector('simple', "subject"), 'A');--> statement-breakpoint
UPDATE "ticket_messages" m SET "search_vector" =
	to_tsvector((CASE WHEN t."language" = 'de' THEN 'german' ELSE 'english' END)::regconfig, m."body_text")
	|| to_tsvector('simple', m."body_text")
  FROM "tickets" t WHERE t."id" = m."ticket_id";
