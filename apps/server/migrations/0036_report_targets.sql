CREATE TABLE "report_target_alerts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"target_id" uuid NOT NULL,
	"period_start" timestamp with time zone NOT NULL,
	"alerted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"recovered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "report_targets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"metric" text NOT NULL,
	"stat" text NOT NULL,
	"comparison" text NOT NULL,
	"threshold" double precision NOT NULL,
	"scope" text,
	"period" text NOT NULL,
	"owner_id" uuid NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "notifications" ALTER COLUMN "ticket_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "notifications" ALTER COLUMN "ticket_number" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "notifications" ALTER COLUMN "ticket_subject" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "target_id" uuid;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "target_name" text;--> statement-breakpoint
ALTER TABLE "report_target_alerts" ADD CONSTRAINT "report_target_alerts_target_id_report_targets_id_fk" FOREIGN KEY ("target_id") REFERENCES "public"."report_targets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_targets" ADD CONSTRAINT "report_targets_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "report_target_alerts_open_idx" ON "report_target_alerts" USING btree ("target_id","period_start") WHERE "report_target_alerts"."recovered_at" is null;--> statement-breakpoint
CREATE INDEX "report_targets_owner_idx" ON "report_targets" USING btree ("owner_id");