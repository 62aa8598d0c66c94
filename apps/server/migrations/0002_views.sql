CREATE TABLE "views" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"built_in" text,
	"owner_id" uuid,
	"filter" jsonb NOT NULL,
	"sort" jsonb NOT NULL,
	"position" integer DEFAULT 100 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "views_built_in_unique" UNIQUE("built_in")
);
--> statement-breakpoint
ALTER TABLE "views" ADD CONSTRAINT "views_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "views_owner_idx" ON "views" USING btree ("owner_id");--> statement-breakpoint
INSERT INTO "views" ("name", "built_in", "owner_id", "filter", "sort", "position") VALUES
	('My open tickets', 'my_open', NULL, '{"assignee":["me"],"statusCategory":["new","open"]}', '{"field":"updatedAt","direction":"desc"}', 10),
	('Unassigned', 'unassigned', NULL, '{"assignee":["none"],"statusCategory":["new","open"]}', '{"field":"createdAt","direction":"asc"}', 20),
	('All open', 'all_open', NULL, '{"statusCategory":["new","open"]}', '{"field":"updatedAt","direction":"desc"}', 30),
	('Pending', 'pending', NULL, '{"statusCategory":["pending"]}', '{"field":"updatedAt","direction":"desc"}', 40)
ON CONFLICT DO NOTHING;
