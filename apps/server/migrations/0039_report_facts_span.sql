ALTER TABLE "report_facts" ADD COLUMN "first_at" bigint;--> statement-breakpoint
ALTER TABLE "report_facts" ADD COLUMN "last_at" bigint;--> statement-breakpoint
CREATE INDEX "report_facts_last_at_idx" ON "report_facts" USING btree ("subject","last_at");--> statement-breakpoint
UPDATE "report_facts" f SET "first_at" = s.first_at, "last_at" = s.last_at
  FROM (SELECT r.subject, r.id, min((x->>'t')::bigint) AS first_at, max((x->>'t')::bigint) AS last_at
          FROM "report_facts" r, jsonb_array_elements(r.report->'samples') x GROUP BY r.subject, r.id) s
 WHERE f.subject = s.subject AND f.id = s.id;
