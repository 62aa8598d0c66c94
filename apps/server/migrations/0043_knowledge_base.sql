CREATE TABLE "kb_acknowledgements" (
	"article_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"user_id" uuid NOT NULL,
	"acknowledged_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "kb_acknowledgements_article_id_version_user_id_pk" PRIMARY KEY("article_id","version","user_id")
);
--> statement-breakpoint
CREATE TABLE "kb_article_files" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"article_id" uuid,
	"file_name" text NOT NULL,
	"content_type" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"storage_key" text NOT NULL,
	"uploaded_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kb_article_versions" (
	"article_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"title" text NOT NULL,
	"body_html" text NOT NULL,
	"body_text" text NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"status" text NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"author_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "kb_article_versions_article_id_version_pk" PRIMARY KEY("article_id","version")
);
--> statement-breakpoint
CREATE TABLE "kb_article_views" (
	"article_id" uuid NOT NULL,
	"day" date NOT NULL,
	"source" text NOT NULL,
	"views" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "kb_article_views_article_id_day_source_pk" PRIMARY KEY("article_id","day","source")
);
--> statement-breakpoint
CREATE TABLE "kb_article_votes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"article_id" uuid NOT NULL,
	"helpful" boolean NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"source" text NOT NULL,
	"voter_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kb_articles" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" integer GENERATED ALWAYS AS IDENTITY (sequence name "kb_articles_number_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1001 CACHE 1),
	"translation_group_id" uuid NOT NULL,
	"language" text NOT NULL,
	"kind" text DEFAULT 'article' NOT NULL,
	"title" text NOT NULL,
	"slug" text NOT NULL,
	"body_html" text NOT NULL,
	"body_text" text NOT NULL,
	"category_id" uuid,
	"section_id" uuid,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"visibility" text DEFAULT 'internal' NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"acknowledge_version" integer,
	"owner_id" uuid,
	"verification_interval_days" integer,
	"verified_at" timestamp with time zone,
	"verified_by_id" uuid,
	"verification_due_at" timestamp with time zone,
	"reminded_at" timestamp with time zone,
	"created_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	"view_count" integer DEFAULT 0 NOT NULL,
	"helpful_count" integer DEFAULT 0 NOT NULL,
	"not_helpful_count" integer DEFAULT 0 NOT NULL,
	"search_vector" "tsvector"
);
--> statement-breakpoint
CREATE TABLE "kb_brands" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"default_language" text DEFAULT 'en' NOT NULL,
	"primary_color" text DEFAULT '#1864ab' NOT NULL,
	"contact_form_enabled" boolean DEFAULT true NOT NULL,
	"max_tickets_per_address_per_day" integer DEFAULT 5 NOT NULL,
	"widget" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kb_categories" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"brand_id" uuid NOT NULL,
	"slug" text NOT NULL,
	"names" jsonb NOT NULL,
	"descriptions" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kb_search_queries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"brand_id" uuid,
	"source" text NOT NULL,
	"language" text NOT NULL,
	"query" text NOT NULL,
	"normalized" text NOT NULL,
	"result_count" integer NOT NULL,
	"clicked_article_id" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kb_sections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"category_id" uuid NOT NULL,
	"slug" text NOT NULL,
	"names" jsonb NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "kb_acknowledgements" ADD CONSTRAINT "kb_acknowledgements_article_id_kb_articles_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."kb_articles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_acknowledgements" ADD CONSTRAINT "kb_acknowledgements_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_article_files" ADD CONSTRAINT "kb_article_files_article_id_kb_articles_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."kb_articles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_article_files" ADD CONSTRAINT "kb_article_files_uploaded_by_id_users_id_fk" FOREIGN KEY ("uploaded_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_article_versions" ADD CONSTRAINT "kb_article_versions_article_id_kb_articles_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."kb_articles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_article_versions" ADD CONSTRAINT "kb_article_versions_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_article_views" ADD CONSTRAINT "kb_article_views_article_id_kb_articles_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."kb_articles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_article_votes" ADD CONSTRAINT "kb_article_votes_article_id_kb_articles_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."kb_articles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_articles" ADD CONSTRAINT "kb_articles_category_id_kb_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."kb_categories"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_articles" ADD CONSTRAINT "kb_articles_section_id_kb_sections_id_fk" FOREIGN KEY ("section_id") REFERENCES "public"."kb_sections"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_articles" ADD CONSTRAINT "kb_articles_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_articles" ADD CONSTRAINT "kb_articles_verified_by_id_users_id_fk" FOREIGN KEY ("verified_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_articles" ADD CONSTRAINT "kb_articles_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_categories" ADD CONSTRAINT "kb_categories_brand_id_kb_brands_id_fk" FOREIGN KEY ("brand_id") REFERENCES "public"."kb_brands"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_search_queries" ADD CONSTRAINT "kb_search_queries_brand_id_kb_brands_id_fk" FOREIGN KEY ("brand_id") REFERENCES "public"."kb_brands"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_search_queries" ADD CONSTRAINT "kb_search_queries_clicked_article_id_kb_articles_id_fk" FOREIGN KEY ("clicked_article_id") REFERENCES "public"."kb_articles"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_sections" ADD CONSTRAINT "kb_sections_category_id_kb_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."kb_categories"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "kb_acknowledgements_user_idx" ON "kb_acknowledgements" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "kb_article_files_article_idx" ON "kb_article_files" USING btree ("article_id");--> statement-breakpoint
CREATE INDEX "kb_article_views_day_idx" ON "kb_article_views" USING btree ("day");--> statement-breakpoint
CREATE UNIQUE INDEX "kb_article_votes_voter_key" ON "kb_article_votes" USING btree ("article_id","voter_key");--> statement-breakpoint
CREATE INDEX "kb_article_votes_created_idx" ON "kb_article_votes" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "kb_articles_number_key" ON "kb_articles" USING btree ("number");--> statement-breakpoint
CREATE UNIQUE INDEX "kb_articles_group_language_key" ON "kb_articles" USING btree ("translation_group_id","language");--> statement-breakpoint
CREATE INDEX "kb_articles_search_idx" ON "kb_articles" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "kb_articles_title_trgm_idx" ON "kb_articles" USING gin ("title" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "kb_articles_category_idx" ON "kb_articles" USING btree ("category_id","status");--> statement-breakpoint
CREATE INDEX "kb_articles_section_idx" ON "kb_articles" USING btree ("section_id");--> statement-breakpoint
CREATE INDEX "kb_articles_status_updated_idx" ON "kb_articles" USING btree ("status","updated_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "kb_articles_tags_idx" ON "kb_articles" USING gin ("tags");--> statement-breakpoint
CREATE INDEX "kb_articles_verification_due_idx" ON "kb_articles" USING btree ("verification_due_at") WHERE "kb_articles"."verification_due_at" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "kb_brands_slug_key" ON "kb_brands" USING btree ("slug");--> statement-breakpoint
CREATE UNIQUE INDEX "kb_categories_brand_slug_key" ON "kb_categories" USING btree ("brand_id","slug");--> statement-breakpoint
CREATE INDEX "kb_search_queries_at_idx" ON "kb_search_queries" USING btree ("at");--> statement-breakpoint
CREATE INDEX "kb_search_queries_normalized_idx" ON "kb_search_queries" USING btree ("normalized","at");--> statement-breakpoint
CREATE UNIQUE INDEX "kb_sections_category_slug_key" ON "kb_sections" USING btree ("category_id","slug");
--> statement-breakpoint
INSERT INTO kb_brands (slug, name, widget)
VALUES ('default', 'Help Center', '{"enabled": true, "primaryColor": "#1864ab", "textColor": "#ffffff", "position": "bottom-right", "language": "auto", "allowedOrigins": []}'::jsonb)
ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO role_permissions (role_key, permission)
SELECT key, 'kb:read' FROM roles WHERE key IN ('admin', 'manager', 'team_lead', 'agent', 'retention_specialist', 'collaborator')
ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO role_permissions (role_key, permission)
SELECT key, 'kb:write' FROM roles WHERE key IN ('admin', 'manager', 'team_lead', 'agent')
ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO role_permissions (role_key, permission)
SELECT key, 'kb:publish' FROM roles WHERE key IN ('admin', 'manager', 'team_lead')
ON CONFLICT DO NOTHING;
