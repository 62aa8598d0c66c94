-- Substring search on contact names and addresses (ILIKE '%…%') through trigram indexes.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "contacts_name_trgm_idx" ON "contacts" USING gin ("name" gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "contact_identities_value_trgm_idx" ON "contact_identities" USING gin ("value" gin_trgm_ops);
