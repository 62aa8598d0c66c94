CREATE TABLE "theme_documents" (
	"run_id" uuid NOT NULL,
	"theme" smallint NOT NULL,
	"source" text NOT NULL,
	"source_id" uuid NOT NULL,
	"ticket_id" uuid,
	"at" timestamp with time zone NOT NULL,
	"sentiment" text NOT NULL,
	"excerpt" text NOT NULL,
	CONSTRAINT "theme_documents_run_id_source_source_id_pk" PRIMARY KEY("run_id","source","source_id")
);
--> statement-breakpoint
CREATE TABLE "theme_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"from_day" date NOT NULL,
	"to_day" date NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"documents" integer DEFAULT 0 NOT NULL,
	"unassigned" integer DEFAULT 0 NOT NULL,
	"themes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"seconds" real,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "theme_documents" ADD CONSTRAINT "theme_documents_run_id_theme_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."theme_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "theme_documents_theme_idx" ON "theme_documents" USING btree ("run_id","theme","at");