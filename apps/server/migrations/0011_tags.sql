CREATE TABLE "tags" (
	"name" text PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
INSERT INTO "tags" ("name") SELECT DISTINCT unnest("tags") FROM "tickets" ON CONFLICT DO NOTHING;
