CREATE TABLE "report_dirty" (
	"subject" text NOT NULL,
	"id" uuid NOT NULL,
	"marked_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "report_dirty_subject_id_pk" PRIMARY KEY("subject","id")
);
--> statement-breakpoint
CREATE TABLE "report_facts" (
	"subject" text NOT NULL,
	"id" uuid NOT NULL,
	"report" jsonb NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "report_facts_subject_id_pk" PRIMARY KEY("subject","id")
);
--> statement-breakpoint
CREATE TABLE "report_rollups" (
	"zone" text NOT NULL,
	"metric" text NOT NULL,
	"dim" text NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"value" text NOT NULL,
	"n" bigint NOT NULL,
	"total" bigint NOT NULL,
	"hist" integer[],
	CONSTRAINT "report_rollups_zone_metric_dim_bucket_value_pk" PRIMARY KEY("zone","metric","dim","bucket","value")
);
--> statement-breakpoint
CREATE TABLE "report_zones" (
	"zone" text PRIMARY KEY NOT NULL,
	"built_until" text,
	"ready_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "report_dirty_marked_idx" ON "report_dirty" USING btree ("marked_at");